"""Argument handling shared by the op wrappers: TF's conversion and dtype rules."""

from __future__ import annotations

import functools
from typing import Any, Callable

import jax
import numpy as np
from jax.export import is_symbolic_dim

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.context import is_captured_buffer
from jaxport.context import state as _state
from jaxport.eager import Tensor, TensorShape, convert_to_tensor, dispatch, to_raw
from jaxport.variables import Variable

# TF's lists of allowed element types, as its "not in the list of allowed values" errors name them.
FLOATS = "bfloat16, half, float, double"
FLOATS_COMPLEX = FLOATS + ", complex64, complex128"
NUMBERS = "bfloat16, half, float, double, int8, int16, int32, int64, complex64, complex128"
_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half", "object": "string"}


def pure_op(op_name: str) -> Callable[[Callable], Callable]:
    """Mark a pure jnp function with the TF op name that `dispatch` reports (`[Op:Name]`)."""

    def mark(fn: Callable) -> Callable:
        fn.tf_op_name = op_name
        return fn

    return mark


def op_error(message: str, op_name: str) -> errors.InvalidArgumentError:
    """TF's eager op failure: an InvalidArgumentError whose message ends in `[Op:Name]`."""
    return errors.InvalidArgumentError(None, None, f"{message} [Op:{op_name}]")


def is_tracing() -> bool:
    """True while a `function` is being traced (values are tracers; data checks are skipped)."""
    return _state.trace is not None


def raw_value(x: Tensor | Variable) -> Any:
    """The jax value of a Tensor or the current value of a Variable."""
    return x._current_value() if isinstance(x, Variable) else x._value


def dims_text(shape: Any) -> str:
    """A shape as TF's kernels print it: `[2,3]`."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def shape_dims(x: Any) -> Any:
    """The dims a Tensor's value is known to equal while `function` traces an `input_signature`
    with None dims: `tf.shape(x)` (and its items) hold the symbolic sizes, so
    `tf.zeros(tf.shape(x))` or `tf.reshape(y, [tf.shape(x)[0], -1])` still have static
    shapes for XLA. None for any other value."""
    return getattr(x, "_shape_dims", None) if isinstance(x, Tensor) else None


def with_shape_dims(t: Tensor, dims: Any) -> Tensor:
    """Mark `t` as holding `dims` (see `shape_dims`), when any of them is symbolic."""
    items = dims if isinstance(dims, tuple) else (dims,)
    if any(is_symbolic_dim(d) for d in items):
        t._shape_dims = dims
    return t


def _resolve_dims(value: Any) -> Any:
    """Replace shape Tensors (and list items that are) by the symbolic dims they hold."""
    dims = shape_dims(value)
    if dims is not None:
        return list(dims) if isinstance(dims, tuple) else [dims]
    if isinstance(value, (list, tuple)) and any(shape_dims(d) is not None for d in value):
        return [d if shape_dims(d) is None else shape_dims(d) for d in value]
    return value


def _dim(d: Any) -> Any:
    """One dim as an int (a float must be integral), or kept as a symbolic size."""
    if is_symbolic_dim(d):
        return d
    if isinstance(d, (float, np.floating)) and not float(d).is_integer():
        raise TypeError
    return int(d)


def is_symbolic_shape(shape: Any) -> bool:
    """Whether a raw shape holds a symbolic (None in TF) dimension."""
    return any(is_symbolic_dim(d) for d in shape)


def check_broadcastable(*shapes: Any) -> None:
    """TF's static broadcast check: ValueError when two known sizes of one axis (aligned from
    the right) differ and neither is 1; unknown (None or symbolic) sizes match anything."""
    rank = max((len(s) for s in shapes), default=0)
    for axis in range(1, rank + 1):
        sizes = {int(s[-axis]) for s in shapes if len(s) >= axis and isinstance(s[-axis], (int, np.integer))}
        sizes.discard(1)
        if len(sizes) > 1:
            raise ValueError(f"shapes {[tuple(s) for s in shapes]} are not broadcastable")


def shape_of(x: Tensor | Variable) -> tuple:
    """The static shape as a tuple of ints (cheaper than `x.shape` on the hot path)."""
    return tuple(raw_value(x).shape)


def concrete(x: Tensor | Variable) -> np.ndarray | None:
    """The value as numpy when it is known now (eagerly), else None (a tracer)."""
    value = raw_value(x)
    if isinstance(value, jax.core.Tracer) or is_captured_buffer(value):
        return None
    return np.asarray(value)


def dispatch_folded(fn: Callable, *args: Any, **static: Any) -> Any:
    """`dispatch`, except that while a `function` is traced, an op whose inputs are all known
    values (e.g. `tf.shape(x)[0]`, which is static in jaxport) is computed now, so its result
    stays a known value (`tf.zeros([tf.shape(x)[0], 3])`, `tf.range(tf.shape(x)[0])` trace)."""
    if _state.trace is not None and all(_known_now(a) for a in args):
        with jax.ensure_compile_time_eval():
            return dispatch(fn, *args, **static)
    return dispatch(fn, *args, **static)


def _known_now(arg: Any) -> bool:
    """A value an op may fold while tracing: not a tracer, not a Variable (its value at call
    time may differ), not a Variable's captured buffer."""
    if isinstance(arg, Variable):
        return False
    value = arg._value if isinstance(arg, Tensor) else arg
    return not isinstance(value, jax.core.Tracer) and not is_captured_buffer(value)


def python_value(value: Any, dtype: Any = None) -> Tensor:
    """A Tensor for a Python/numpy value; a known value (not a tracer) while tracing too."""
    if _state.trace is not None:
        with jax.ensure_compile_time_eval():
            return Tensor(to_raw(value, dtype))
    return Tensor(to_raw(value, dtype))


def as_input(x: Any, dtype: Any = None) -> Tensor | Variable:
    """A Tensor or Variable for an op input (Tensors/Variables keep their identity for tapes)."""
    if isinstance(x, (Tensor, Variable)):
        if dtype is not None and x.dtype != _dtypes.as_dtype(dtype):
            raise errors.InvalidArgumentError(
                None, None, f"Expected a {_dtypes.as_dtype(dtype).name} tensor, got {x.dtype.name}."
            )
        return x
    if isinstance(x, (list, tuple)) and _holds_tensor(x):
        from jaxport.ops.array_ops import stack  # packed by a recorded op, so tapes see through it

        packed = stack(x)
        return packed if dtype is None else as_input(packed, dtype)
    return python_value(x, dtype)


def _holds_tensor(values: Any) -> bool:
    return any(isinstance(v, (Tensor, Variable)) or (isinstance(v, (list, tuple)) and _holds_tensor(v)) for v in values)


def no_gradient(x: Tensor | Variable) -> Any:
    """The raw value of an input to an op TF does not differentiate (`tf.floor`, `tf.one_hot`):
    passed to `dispatch` as a plain array, the op is not recorded and the gradient is None.
    A Variable is still read through `read_value`, so tapes see (and auto-watch) the read."""
    if isinstance(x, Variable):
        x = x.read_value()
    return x._value


@functools.lru_cache(maxsize=None)
def _allowed_names(allowed: str) -> frozenset:
    return frozenset(a.strip() for a in allowed.split(","))


def is_floating(t: Tensor | Variable) -> bool:
    """Whether the element type is floating (cheaper than `t.dtype.is_floating` on the hot path)."""
    dt = raw_value(t).dtype
    return dt.kind == "f" or dt.name == "bfloat16"


def check_dtype(t: Tensor | Variable, op_name: str, allowed: str = FLOATS, attr: str = "T") -> None:
    """TF's InvalidArgumentError for an element type outside the op's list `allowed`."""
    name = raw_value(t).dtype.name
    name = _TF_NAMES.get(name, name)
    if name not in _allowed_names(allowed):
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Value for attr '{attr}' of {name} is not in the list of allowed values: {allowed} [Op:{op_name}]",
        )


def binary_inputs(x: Any, y: Any, op_name: str) -> tuple[Any, Any]:
    """Convert a binary op's inputs as TF does: Python/numpy values take the Tensor's dtype,
    and two Tensors of different dtypes raise InvalidArgumentError."""
    x_is = isinstance(x, (Tensor, Variable))
    y_is = isinstance(y, (Tensor, Variable))
    if x_is and y_is:
        if x.dtype != y.dtype:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"cannot compute {op_name} as input #1(zero-based) was expected to be a "
                f"{x.dtype.name} tensor but is a {y.dtype.name} tensor [Op:{op_name}]",
            )
        return x, y
    if x_is:
        return x, python_value(y, x.dtype)
    if y_is:
        return python_value(x, y.dtype), y
    x = python_value(x)
    return x, python_value(y, x.dtype)


def hinted_inputs(x: Any, y: Any, op_name: str) -> tuple[Any, Any]:
    """TF's conversion for `tf.add` / `x + y`: `x` on its own, `y` with `x`'s dtype as a hint
    (its own default when that fails), then both must agree (InvalidArgumentError), so
    `int_tensor + 1.5` is an InvalidArgumentError where `int_tensor * 1.5` is a TypeError."""
    a = x if isinstance(x, (Tensor, Variable)) else python_value(x)
    if isinstance(y, (Tensor, Variable)):
        b = y
    else:
        try:
            b = python_value(y, a.dtype)
        except (TypeError, ValueError):
            b = python_value(y)
    if a.dtype != b.dtype:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"cannot compute {op_name} as input #1(zero-based) was expected to be a "
            f"{a.dtype.name} tensor but is a {b.dtype.name} tensor [Op:{op_name}]",
        )
    return a, b


def same_dtype_inputs(values: Any, op_name: str, joint: bool = False) -> list[Tensor | Variable]:
    """A list op's inputs (`concat`, `stack`, `add_n`): Python values take the dtype of the
    first Tensor among them; Tensors of another dtype raise InvalidArgumentError. With
    `joint`, a list of Python values only is converted as one value (`tf.stack([1, 2.5])`)."""
    if isinstance(values, (Tensor, Variable)):
        values = [values[i] for i in range(values.shape[0])]
    values = [as_input(v) if isinstance(v, (list, tuple)) and _holds_tensor(v) else v for v in values]
    first = next((v for v in values if isinstance(v, (Tensor, Variable))), None)
    if first is None and values:
        first = convert_to_tensor(values[0])
        if joint:
            try:
                first = convert_to_tensor(values)
            except (TypeError, ValueError):
                pass
    out = []
    first_dtype = raw_value(first).dtype if first is not None else None
    for i, v in enumerate(values):
        if isinstance(v, (Tensor, Variable)):
            if raw_value(v).dtype != first_dtype:
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    f"cannot compute {op_name} as input #{i}(zero-based) was expected to be a "
                    f"{first.dtype.name} tensor but is a {v.dtype.name} tensor [Op:{op_name}]",
                )
            out.append(v)
        else:
            out.append(Tensor(to_raw(v, first.dtype)))
    return out


def normalize_axis(axis: Any) -> Any:
    """A hashable static axis (int, tuple of ints or None) from TF's axis argument."""
    if axis is None:
        return None
    if isinstance(axis, (Tensor, Variable)):
        axis = axis.numpy()
    if hasattr(axis, "tolist"):
        axis = axis.tolist()
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return int(axis)


def check_axis(axis: Any, rank: int, op_name: str) -> None:
    """TF's InvalidArgumentError for an axis outside [-rank, rank)."""
    axes = () if axis is None else (axis if isinstance(axis, tuple) else (axis,))
    for a in axes:
        if not -max(rank, 1) <= a < max(rank, 1):
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Invalid reduction dimension ({a} for input with {rank} dimension(s)) [Op:{op_name}]",
            )


def int_list(value: Any, arg: str) -> list[int]:
    """A list of Python ints from a list, tuple, TensorShape, numpy array or (eager) Tensor
    (symbolic sizes from `tf.shape` in a signature trace are kept: see `shape_dims`)."""
    value = _resolve_dims(value)
    if isinstance(value, (Tensor, Variable)):
        value = concrete(value)
        if value is None:
            raise TypeError(f"`{arg}` must be known when the op runs; got a symbolic tensor.")
    if isinstance(value, TensorShape):
        value = known_dims(value)
    if isinstance(value, (int, np.integer)):
        value = [value]
    if isinstance(value, np.ndarray):
        value = value.reshape(-1).tolist()
    try:
        return [_dim(d) for d in value]
    except (TypeError, ValueError):
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype int32") from None


def known_dims(shape: TensorShape) -> list[int]:
    """The dims of a TensorShape used as a shape argument; TF converts it to a Tensor, so a
    partially known one raises TF's ValueError."""
    if not shape.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
    return shape.as_list()


def tf_type_name(dtype: Any) -> str:
    """A dtype as TF's kernel messages name it (`float` for float32, `double` for float64)."""
    name = _dtypes.as_dtype(dtype).name
    return _TF_NAMES.get(name, name)


def shape_tuple(shape: Any, arg: str = "shape") -> tuple[int, ...]:
    """A static shape from TF's `shape` argument; negative dims raise InvalidArgumentError.
    Symbolic sizes (`tf.shape` of a signature's None dims) are kept."""
    shape = _resolve_dims(shape)
    if isinstance(shape, (Tensor, Variable)):
        if raw_value(shape).dtype.name not in ("int32", "int64"):
            raise op_error(
                f"Value for attr 'index_type' of {tf_type_name(raw_value(shape).dtype)} is not in the list of "
                "allowed values: int32, int64",
                "Fill",
            )
        shape = concrete(shape).tolist()
    if isinstance(shape, TensorShape):
        shape = known_dims(shape)
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    try:
        dims = tuple(d if is_symbolic_dim(d) else int(d) for d in shape)
    except (TypeError, ValueError):
        raise TypeError(f"`{arg}` must be a list of non-negative integers; received {shape!r}.") from None
    if any(isinstance(d, (float, np.floating)) for d in shape):
        raise TypeError(f"Cannot convert {list(shape)!r} to EagerTensor of dtype int32")
    for d in dims:
        if isinstance(d, int) and d < 0:
            raise op_error(f"Dimension {d} must be >= 0", "Fill")
    return dims
