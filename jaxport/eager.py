"""Eager execution: `Tensor`, `TensorShape`, op dispatch, `convert_to_tensor`, `constant`.

Every TF op in jaxport is one pure `jnp`/`lax` function run through `dispatch`:

    unwrap Tensors/Variables -> call the pure function -> wrap outputs as Tensors
    -> hand (function, inputs, outputs, vjp_fn) to every GradientTape watching an input.

Eagerly, the pure function runs as a `jax.jit` compiled once per op and static arguments
(JAX caches it per input shape/dtype); when a tape records, a jitted "forward + vjp
residuals" runs instead. While `function` traces, ops run un-jitted on tracers so that
XLA sees one program. Plain `jnp` calls on Tensors also work (Tensor implements
`__jax_array__`) but are invisible to tapes, like numpy calls in TF.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.context import state as _state
from jaxport.tensor_shape import TensorShape

jax.config.update("jax_enable_x64", True)  # TF keeps float64/int64; defaults stay 32-bit here

__all__ = [
    "Tensor",
    "TensorShape",
    "dispatch",
    "convert_to_tensor",
    "constant",
    "executing_eagerly",
    "is_tensor",
]


def _numpy_text(array: np.ndarray, is_repr: bool) -> str:
    """TF's rendering of a value: scalars as plain numbers (`numpy=1.5`), arrays as numpy does,
    starting on a new line when they span several."""
    if array.ndim == 0:
        return str(array[()])
    text = repr(array) if is_repr else str(array)
    if "\n" in text:
        text = "\n" + text
    return text


class TensorOperators:
    """Python operators of Tensor and Variable; installed by `jaxport.ops.operators`."""

    __slots__ = ()
    __array_priority__ = 100


class Tensor(TensorOperators):
    """`tf.Tensor`: an immutable value holding a `jax.Array` (or a tracer inside `function`).

    Tensors are pytree nodes with one leaf, so they pass through `jax.jit`/`jax.tree.map`.
    """

    __slots__ = (
        "_value",
        "_keras_logits",
        "_keras_mask",
        "_sigmoid_input",
        "_slice_of",
        "_shape_dims",  # symbolic sizes the value holds (`tf.shape` in a signature trace)
        "__weakref__",
    )

    def __init__(self, value: Any):
        self._value = value

    # -- the TF Tensor API -----------------------------------------------------------
    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._value.shape)

    @property
    def dtype(self) -> _dtypes.DType:
        return _dtypes.as_dtype(self._value.dtype)

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def device(self) -> str:
        """TF's full name of the device holding the value ('' while traced)."""
        from jaxport.device import device_of

        return device_of(self._value)

    def get_shape(self) -> TensorShape:
        return self.shape

    def numpy(self) -> np.ndarray:
        """The value as a numpy array (a scalar for rank 0), like `EagerTensor.numpy()`."""
        if isinstance(self._value, jax.core.Tracer):
            raise NotImplementedError(
                "numpy() is only available when eager execution is enabled; "
                "this Tensor is symbolic (inside a tf.function trace)."
            )
        out = np.asarray(self._value)
        return out[()] if out.ndim == 0 else out

    def __jax_array__(self) -> jax.Array:
        return self._value

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        out = np.asarray(self._value)
        return out.astype(dtype) if dtype is not None else out

    def __repr__(self) -> str:
        if isinstance(self._value, jax.core.Tracer):
            return f"<tf.Tensor 'Placeholder' shape={self.shape} dtype={self.dtype.name}>"
        text = _numpy_text(np.asarray(self._value), True)
        return f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, numpy={text}>"

    def __str__(self) -> str:
        if isinstance(self._value, jax.core.Tracer):
            return f'Tensor("Placeholder", shape={self.shape}, dtype={self.dtype.name})'
        text = _numpy_text(np.asarray(self._value), False)
        return f"tf.Tensor({text}, shape={self.shape}, dtype={self.dtype.name})"

    def __format__(self, spec: str) -> str:
        if self._value.ndim == 0 and not isinstance(self._value, jax.core.Tracer):
            return format(self.numpy(), spec)
        return format(str(self), spec)

    def __bool__(self) -> bool:
        if isinstance(self._value, jax.core.Tracer):
            raise errors.OperatorNotAllowedInGraphError(
                "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed: AutoGraph did convert this "
                "function. This might indicate you are trying to use an unsupported feature."
            )
        return bool(self._value)

    def __float__(self) -> float:
        return float(self._value)

    def __int__(self) -> int:
        return int(self._value)

    def __index__(self) -> int:
        if not self.dtype.is_integer:
            raise TypeError(f"Only integer tensors can be used as an index; got {self.dtype.name}")
        return int(self._value)

    def __len__(self) -> int:
        if self._value.ndim == 0:
            raise TypeError("len is not well defined for a rank-0 tensor")
        return self._value.shape[0]

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return iter(_array_protocol_op("unstack")(self))

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self) -> Any:
        """A hashable reference to this Tensor (`tensor.ref()` in TF)."""
        return _Reference(self)

    def __copy__(self) -> Tensor:
        return self

    def __deepcopy__(self, memo) -> Tensor:
        return self


class _Reference:
    __slots__ = ("_obj",)

    def __init__(self, obj: Any):
        self._obj = obj

    def deref(self) -> Any:
        return self._obj

    def __hash__(self) -> int:
        return id(self._obj)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, _Reference) and other._obj is self._obj


jax.tree_util.register_pytree_node(Tensor, lambda t: ((t._value,), None), lambda _, children: Tensor(children[0]))


# The two array ops the Tensor protocol itself needs: iterating a Tensor is `tf.unstack`, and
# converting a list that holds Tensors is `tf.stack` (recorded by tapes, as TF's Pack). They
# live with the other array ops in `jaxport/ops/array_ops.py`, which registers them here when
# it is imported (`import jaxport` always imports it), so this bottom layer imports no op module.
_ARRAY_PROTOCOL_OPS: dict[str, Callable] = {}


def register_array_protocol_ops(stack: Callable, unstack: Callable) -> None:
    """Register `tf.stack` / `tf.unstack` for Tensor iteration and list conversion."""
    _ARRAY_PROTOCOL_OPS.update(stack=stack, unstack=unstack)


def _array_protocol_op(name: str) -> Callable:
    try:
        return _ARRAY_PROTOCOL_OPS[name]
    except KeyError:
        raise RuntimeError(f"jaxport's array ops are not loaded: import jaxport before using tf.{name}") from None


def is_tensor(x: Any) -> bool:
    """`tf.is_tensor`: True for Tensors and Variables."""
    from jaxport.composite_tensor import CompositeTensor
    from jaxport.variables import Variable

    return isinstance(x, (Tensor, Variable, CompositeTensor))


def executing_eagerly() -> bool:
    """`tf.executing_eagerly`: False while a `function` is being traced."""
    return _state.trace is None


# -- conversion -------------------------------------------------------------------------


def _python_to_array(value: Any, np_dtype: np.dtype | None) -> np.ndarray:
    default = _dtypes.default_for_python(value)
    if np_dtype is None:
        if default is None:
            raise ValueError(
                f"Attempt to convert a value ({value!r}) with an unsupported type ({type(value)}) to a Tensor."
            )
        try:
            return np.asarray(value, dtype=default)
        except ValueError:  # numpy's "inhomogeneous shape"
            raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from None
    if default is not None and default.kind == "f" and np_dtype.kind in "iub":
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {np_dtype.name}")
    try:
        return np.asarray(value, dtype=np_dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {np_dtype.name}") from exc


def _shape_to_array(shape: TensorShape, np_dtype: np.dtype | None) -> np.ndarray:
    """TF's conversion of a TensorShape: a fully defined one becomes an int32 vector (int64
    when a dim does not fit, or when asked); a partially known one is refused."""
    if not shape.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
    if np_dtype is not None and np_dtype not in (np.dtype("int32"), np.dtype("int64")):
        raise TypeError(
            f"Cannot convert TensorShape {shape} to dtype <dtype: '{_dtypes.as_dtype(np_dtype).name}'>. "
            "Allowed dtypes are tf.int32 and tf.int64."
        )
    dims = shape.as_list()
    if np_dtype is None:
        np_dtype = np.dtype("int64") if any(d >= 2**31 for d in dims) else np.dtype("int32")
    return np.asarray(dims, dtype=np_dtype).reshape(len(dims))


def to_raw(value: Any, dtype: Any = None) -> Any:
    """A jax value for `value` with TF's conversion rules (Variables are read)."""
    np_dtype = None if dtype is None else _dtypes.as_dtype(dtype)._np
    if isinstance(value, Tensor):
        raw = value._value
        if np_dtype is not None and raw.dtype != np_dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {np_dtype.name} for Tensor with dtype {raw.dtype.name}: {value!r}"
            )
        return raw
    from jaxport.variables import Variable

    if isinstance(value, Variable):
        raw = value._current_value()
        if np_dtype is not None and raw.dtype != np_dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {np_dtype.name} for Variable with dtype {raw.dtype.name}: {value!r}"
            )
        return raw
    if isinstance(value, (jax.Array, jax.core.Tracer)):
        return value if np_dtype is None or value.dtype == np_dtype else value.astype(np_dtype)
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        arr = np.asarray(value)
        if arr.dtype.kind in "OUS":
            return _host_strings(value, np_dtype)
        if np_dtype is not None and arr.dtype != np_dtype:
            if arr.dtype.kind == "f" and np_dtype.kind in "iub":
                raise TypeError(f"Cannot convert a {arr.dtype.name} array to EagerTensor of dtype {np_dtype.name}")
            arr = arr.astype(np_dtype)
        return jnp.asarray(arr)
    if isinstance(value, TensorShape):
        return jnp.asarray(_shape_to_array(value, np_dtype))
    if getattr(type(value), "_keras_symbolic", False):  # a KerasTensor reaching an op that does not dispatch
        from jaxport.modules.keras_tensor import not_dispatchable_error

        raise not_dispatchable_error(value)
    if value is None:
        raise ValueError("Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")
    if isinstance(value, (list, tuple)) and any(
        isinstance(v, (Tensor, jax.Array)) or is_tensor(v) for v in jax.tree.leaves(value)
    ):
        return _array_protocol_op("stack")(list(value))._value
    if isinstance(value, _TEXT_OR_LIST):
        strings = _host_strings(value, np_dtype, required=False)
        if strings is not None:
            return strings
    return jnp.asarray(_python_to_array(value, np_dtype))


_TEXT_OR_LIST = (str, bytes, list, tuple)


def _host_strings(value: Any, np_dtype: Any, required: bool = True) -> Any:
    """A host string array for a text value (see jaxport/strings/host.py); None when `value`
    is not text and `required` is False."""
    from jaxport.strings.host import host_value

    strings = host_value(value, np_dtype)
    if strings is None and required:
        raise TypeError(f"Failed to convert elements of {value!r} to Tensor: objects are not supported by jaxport.")
    return strings


def convert_to_tensor(value: Any, dtype: Any = None, dtype_hint: Any = None, name: str | None = None) -> Tensor:
    """`tf.convert_to_tensor`: Tensors pass through, Variables are read, the rest becomes a constant.

    Args:
      value: a Tensor, Variable, numpy array, Python scalar or nested list.
      dtype: the required dtype; a Tensor of another dtype raises ValueError.
      dtype_hint: a preferred dtype for Python values, used when it fits.
    """
    if isinstance(value, Tensor) and dtype is None:
        return value
    from jaxport.variables import Variable

    if isinstance(value, Variable):
        out = value.read_value()
        if dtype is not None and out.dtype != _dtypes.as_dtype(dtype):
            to_raw(value, dtype)  # raises TF's error
        return out
    if isinstance(value, (list, tuple)) and any(is_tensor(v) for v in jax.tree.leaves(value, is_leaf=is_tensor)):
        # recorded by tapes, as TF's Pack
        return _array_protocol_op("stack")([convert_to_tensor(v, dtype=dtype) for v in value])
    if dtype is None and dtype_hint is not None and not isinstance(value, (np.ndarray, jax.Array)):
        try:
            return Tensor(to_raw(value, dtype_hint))
        except (TypeError, ValueError):
            pass
    return Tensor(to_raw(value, dtype))


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const") -> Tensor:
    """`tf.constant`: a Tensor from a Python or numpy value (float32/int32 defaults).

    With `shape`, a scalar (or one-element) value is broadcast, otherwise reshaped.
    """
    if isinstance(value, Tensor) or is_tensor(value):
        raw = to_raw(value)
        if dtype is not None:
            raw = raw.astype(_dtypes.as_dtype(dtype)._np)
    elif isinstance(value, TensorShape):
        raw = to_raw(value, dtype)
    else:
        np_dtype = None if dtype is None else _dtypes.as_dtype(dtype)._np
        strings = _host_strings(value, np_dtype, required=False)
        if strings is not None:
            from jaxport.strings.host import with_shape

            return Tensor(strings if shape is None else with_shape(strings, shape, value))
        if isinstance(value, (np.ndarray, np.generic)):
            arr = np.asarray(value)
            arr = arr if np_dtype is None else arr.astype(np_dtype)
        else:
            arr = _python_to_array(value, np_dtype)
        raw = jnp.asarray(arr)
    if shape is not None:
        target = tuple(int(d) for d in shape)
        if raw.size == 1:
            raw = jnp.broadcast_to(raw.reshape(()), target)
        elif raw.size == int(np.prod(target)):
            raw = raw.reshape(target)
        else:
            raise TypeError(
                f"Eager execution of tf.constant with unsupported shape. Tensor {value!r} "
                f"(converted from {value!r}) has {raw.size} elements, but got `shape` "
                f"{TensorShape(target)} with {int(np.prod(target))} elements)."
            )
    return Tensor(raw)


# -- dispatch ---------------------------------------------------------------------------


class _CompiledOp:
    """The jitted forms of one pure op with its static arguments bound."""

    __slots__ = ("pure", "forward", "forward_with_vjp")

    def __init__(self, fn: Callable, static: tuple):
        self.pure = functools.partial(fn, **dict(static)) if static else fn
        self.forward = jax.jit(self.pure)
        pure = self.pure
        self.forward_with_vjp = jax.jit(lambda *xs: jax.vjp(pure, *xs))


_COMPILED: dict[tuple, _CompiledOp] = {}


def compiled_op(fn: Callable, static: tuple) -> _CompiledOp:
    key = (fn, static)
    op = _COMPILED.get(key)
    if op is None:
        op = _COMPILED[key] = _CompiledOp(fn, static)
    return op


def _op_name(fn: Callable) -> str:
    return getattr(fn, "tf_op_name", None) or fn.__name__.strip("_")


def _describe_inputs(values: list) -> str:
    parts = []
    for v in values:
        shape = getattr(v, "shape", None)
        dtype = getattr(v, "dtype", None)
        parts.append(f"{dtype}{list(shape)}" if shape is not None else repr(v))
    return ", ".join(parts)


def _raise_op_error(fn: Callable, values: list, exc: Exception) -> None:
    raise errors.InvalidArgumentError(
        None,
        None,
        f"{exc} (inputs: {_describe_inputs(values)}) [Op:{_op_name(fn)}]",
    ) from exc


def dispatch(fn: Callable, *args: Any, **static: Any) -> Any:
    """Run the pure op `fn(*arrays, **static)` on Tensors/Variables and record it on tapes.

    Args:
      fn: a pure function of jax arrays (positional) and hashable static keywords.
      *args: Tensors, Variables, or raw jax arrays (already of the right dtype).
      **static: hashable non-array arguments (axes, flags), part of the compile key.

    Returns:
      A Tensor, or a tuple of Tensors when `fn` returns a tuple.
    """
    from jaxport.variables import Variable

    values = []
    tapes = _state.tapes
    watched_by = None
    for arg in args:
        if type(arg) is Tensor:
            values.append(arg._value)
        elif isinstance(arg, Variable):
            values.append(arg._current_value())
            for tape in tapes:
                tape._on_variable_read(arg)
        elif isinstance(arg, Tensor):  # a Tensor subclass (e.g. a Variable slice)
            values.append(arg._value)
        else:
            values.append(arg)
    if tapes:
        watched_by = [t for t in tapes if t._recording and t._watches_any(args)]
    static_key = tuple(static.items())
    tracing = _state.trace is not None
    try:
        # an op TF does not differentiate (ops._gradients.not_differentiable) is recorded without residuals
        if watched_by and not getattr(fn, "tf_not_differentiable", False):
            if tracing:
                pure = functools.partial(fn, **static) if static else fn
                out, vjp_fn = jax.vjp(pure, *values)
            else:
                out, vjp_fn = compiled_op(fn, static_key).forward_with_vjp(*values)
        else:
            vjp_fn = None
            if tracing:
                out = fn(*values, **static)
            else:
                out = compiled_op(fn, static_key).forward(*values)
    except (TypeError, ValueError) as exc:
        from jaxport.strings.host import host_dispatch  # strings live on the host: XLA has no string type

        host = host_dispatch(fn, values, static)
        if host is not NotImplemented:
            return host
        _raise_op_error(fn, values, exc)
    if isinstance(out, tuple):
        wrapped = tuple(Tensor(o) for o in out)
    else:
        wrapped = Tensor(out)
    if watched_by:
        for tape in watched_by:
            tape._record(fn, static_key, args, values, wrapped, vjp_fn)
    return wrapped


def raw_op(fn: Callable, *values: Any, **static: Any) -> Any:
    """Run a pure op on raw arrays without tapes (optimizer updates, metric states)."""
    if _state.trace is not None:
        return fn(*values, **static)
    return compiled_op(fn, tuple(static.items())).forward(*values)
