"""`tf.Variable` as a Flax NNX Variable.

A trainable Variable is also an `nnx.Param`, a non-trainable one a plain `nnx.Variable`,
so `nnx.state(model, nnx.Param)` is exactly a Keras model's trainable weights and
`nnx.grad`/`nnx.split` work on jaxport models. The TF attributes (name, trainable,
constraint) live in the NNX metadata, so they survive `nnx.split`/`nnx.merge`.

Reads inside a `function` trace go through the trace's bindings (`context.TraceContext`):
the Variable itself is only changed when the compiled call commits its writes.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.context import outside_traces
from jaxport.context import state as _state
from jaxport.device import place_in_scope
from jaxport.eager import Tensor, TensorOperators, TensorShape, _numpy_text, dispatch, to_raw
from jaxport.name_scope import scoped_name
from jaxport.strategy_context import note_variable_created


def _identity(x):
    return x


_identity.tf_op_name = "ReadVariableOp"


def _static_shape(value: Any) -> bool:
    return all(isinstance(d, int) for d in value.shape)


class Variable(TensorOperators, nnx.Variable):
    """`tf.Variable`: a mutable tensor; trainable ones are watched by GradientTapes.

    Args:
      initial_value: a Tensor, array, Python value, or a zero-argument callable giving one.
      trainable: whether tapes watch it and `trainable_variables` lists it (default True).
      name: TF name; `:0` is appended (`'w'` -> `'w:0'`); default `'Variable'`.
      dtype: cast the initial value to this dtype.
      constraint: a function applied to the value after optimizer updates.
      shape: the static shape; must match the initial value.
    """

    def __new__(cls, *args: Any, **kwargs: Any):
        if cls is Variable:
            trainable = kwargs.get("trainable", args[1] if len(args) > 1 else None)
            if trainable is None or trainable:
                cls = TrainableVariable
        return object.__new__(cls)

    def __init__(
        self,
        initial_value: Any = None,
        trainable: bool | None = None,
        validate_shape: bool = True,
        caching_device: Any = None,
        name: str | None = None,
        variable_def: Any = None,
        dtype: Any = None,
        import_scope: Any = None,
        constraint: Callable | None = None,
        synchronization: Any = None,
        aggregation: Any = None,
        shape: Any = None,
        experimental_enable_variable_lifting: bool = True,
    ):
        if initial_value is None:
            raise ValueError("The `initial_value` argument must be specified.")
        if constraint is not None and not callable(constraint):
            raise ValueError(f"The `constraint` argument must be a callable. Received: constraint={constraint!r}")
        trace = _state.trace
        if callable(initial_value) and not isinstance(initial_value, (Tensor, Variable)):
            if trace is not None:
                with outside_traces():
                    initial_value = initial_value()
            else:
                initial_value = initial_value()
        if trace is not None:
            with outside_traces():
                raw = place_in_scope(to_raw(initial_value, None))
        else:
            raw = place_in_scope(to_raw(initial_value, None))  # on the tf.device scope's device
        pending = None
        if isinstance(raw, jax.core.Tracer):
            if trace is None or trace.parent is not None or trace.symbolic or not _static_shape(raw):
                raise ValueError(
                    "A tf.Variable created inside a tf.function must get an initial value that "
                    "does not depend on the function's inputs; received a symbolic tensor "
                    f"{initial_value!r}. Create the Variable outside the function."
                )
            # Initialised from the inputs on the first call: a placeholder now; `function` computes
            # the value with this call's inputs before tracing again (jaxport/function/polymorphic_function.py).
            pending = raw
            with outside_traces():
                raw = jnp.zeros(raw.shape, raw.dtype)
        if dtype is not None:
            np_dtype = _dtypes.as_dtype(dtype)._np
            if raw.dtype != np_dtype:
                raw = raw.astype(np_dtype)
        if shape is not None and validate_shape and TensorShape(shape) != TensorShape(raw.shape):
            raise ValueError(
                f"In this `tf.Variable` creation, the initial value's shape ({raw.shape}) is "
                f"not compatible with the explicitly supplied `shape` argument ({tuple(shape)})."
            )
        base = "Variable" if name is None else str(name)
        if base.endswith(":0"):
            base = base[:-2]
        base = scoped_name(base)
        super().__init__(
            raw,
            tf_name=base + ":0",
            trainable=True if trainable is None else bool(trainable),
            constraint=constraint,
            aggregation=aggregation,
        )
        note_variable_created(self)  # the strategy scope it belongs to (Keras's compile checks it)
        if trace is not None:
            if pending is not None:
                trace.bind(self, pending)  # this trace goes on with the traced initial value
                trace.pending.append((self, pending))
            while trace.parent is not None:  # creation is reported to the function's own trace
                trace = trace.parent
            trace.created.append(self)

    # -- reading ------------------------------------------------------------------------
    def _current_value(self) -> Any:
        trace = _state.trace
        if trace is None:
            return self._raw_value
        return trace.read(self)

    def _set_current_value(self, value: Any) -> None:
        trace = _state.trace
        if trace is None:
            object.__setattr__(self, "_raw_value", value)
        else:
            trace.write(self, value)

    def value(self) -> Tensor:
        """The current value as a Tensor (recorded as a read by watching tapes)."""
        return dispatch(_identity, self)

    def read_value(self) -> Tensor:
        """The current value as a Tensor (recorded as a read by watching tapes)."""
        return dispatch(_identity, self)

    def numpy(self) -> np.ndarray:
        """A numpy copy of the current value."""
        out = np.array(self._current_value())
        return out[()] if out.ndim == 0 else out

    def __jax_array__(self) -> jax.Array:
        return self._current_value()

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        out = np.array(self._current_value())
        return out.astype(dtype) if dtype is not None else out

    # -- TF attributes -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._var_metadata["tf_name"]

    @property
    def trainable(self) -> bool:
        return self._var_metadata["trainable"]

    @property
    def constraint(self) -> Callable | None:
        return self._var_metadata.get("constraint")

    @property
    def aggregation(self) -> Any:
        return self._var_metadata.get("aggregation")

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._raw_value.shape)

    @property
    def dtype(self) -> _dtypes.DType:
        return _dtypes.as_dtype(self._raw_value.dtype)

    @property
    def ndim(self) -> int:
        return self._raw_value.ndim

    @property
    def device(self) -> str:
        """TF's full name of the device holding the Variable's value."""
        from jaxport.device import device_of

        return device_of(self._raw_value)

    def get_shape(self) -> TensorShape:
        return self.shape

    # -- writing ------------------------------------------------------------------------
    def _checked(self, value: Any, what: str) -> Any:
        """The raw value for an assignment: the variable's dtype (TF's conversion ValueError
        otherwise) and exactly its shape (assign: ValueError; assign_add/sub: TF's
        InvalidArgumentError, since TF's update ops do not broadcast)."""
        if isinstance(value, (Tensor, Variable)) and value.dtype != self.dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {self.dtype.name} for Tensor with dtype "
                f"{value.dtype.name}: {value!r}"
            )
        raw = to_raw(value, self.dtype)
        if raw.shape != self._raw_value.shape:
            if what == "assign":
                raise ValueError(
                    f"Cannot assign value to variable ' {self.name}': Shape mismatch.The variable "
                    f"shape {TensorShape(self._raw_value.shape)}, and the assigned value shape "
                    f"{TensorShape(raw.shape)} are incompatible."
                )
            op = "AssignAddVariableOp" if what == "assign_add" else "AssignSubVariableOp"
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Cannot update variable with shape {list(self._raw_value.shape)} using a Tensor with shape "
                f"{list(raw.shape)}, shapes must be equal. [Op:{op}]",
            )
        return raw

    def assign(self, value: Any, use_locking: Any = None, name: Any = None, read_value: bool = True):
        """Set the value (same shape and dtype; TF's ValueError otherwise); returns the Variable."""
        self._set_current_value(self._checked(value, "assign"))
        return self if read_value else None

    def assign_add(self, delta: Any, use_locking: Any = None, name: Any = None, read_value: bool = True):
        """Add `delta` in place; returns the Variable."""
        raw = self._checked(delta, "assign_add")
        self._set_current_value(jnp.add(self._current_value(), raw))
        return self if read_value else None

    def assign_sub(self, delta: Any, use_locking: Any = None, name: Any = None, read_value: bool = True):
        """Subtract `delta` in place; returns the Variable."""
        raw = self._checked(delta, "assign_sub")
        self._set_current_value(jnp.subtract(self._current_value(), raw))
        return self if read_value else None

    def __getitem__(self, index: Any) -> Tensor:
        """A slice of the value (recorded by tapes); like TF's, it has an `assign` method
        that writes into this Variable (`v[0].assign(1.0)`)."""
        from jaxport.ops import array_ops

        out = array_ops.getitem(self, index)
        out.__class__ = VariableSlice  # same object, so tapes that recorded it still see it
        out._slice_of = (self, index)
        return out

    def __iter__(self):
        return iter(self.read_value())

    def __len__(self) -> int:
        return len(self.read_value())

    def __bool__(self) -> bool:
        return bool(self._current_value())

    def __float__(self) -> float:
        return float(self._current_value())

    def __int__(self) -> int:
        return int(self._current_value())

    def __index__(self) -> int:
        return int(self._current_value())

    def __format__(self, spec: str) -> str:
        return format(self.read_value(), spec)

    def __hash__(self):
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key.")

    def ref(self) -> Any:
        """A hashable reference to this Variable (`variable.ref()` in TF)."""
        from jaxport.eager import _Reference

        return _Reference(self)

    def __repr__(self) -> str:
        raw = self._current_value()
        if isinstance(raw, jax.core.Tracer):
            return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"
        text = _numpy_text(np.asarray(raw), True)
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}, numpy={text}>"

    __str__ = __repr__

    def __deepcopy__(self, memo):
        return Variable(np.array(self._raw_value), trainable=self.trainable, name=self.name)


class VariableSlice(Tensor):
    """A Tensor read from `variable[index]` that can write back with `.assign`, as TF's
    sliced-variable tensors can."""

    __slots__ = ()

    def assign(self, value: Any, use_locking: Any = None, name: Any = None) -> Variable:
        """Write `value` (broadcast to the slice's shape) into the sliced part of the Variable."""
        from jaxport.ops.array_ops import _rebuild_index, _static_index

        var, index = self._slice_of
        current = var._current_value()
        spec = _static_index(index)
        index = _rebuild_index(spec) if spec is not None else to_raw(index)
        raw = to_raw(value, var.dtype)
        part = current[index]
        try:
            raw = jnp.broadcast_to(raw, part.shape)
        except ValueError:
            raise ValueError(
                f"Cannot assign a value of shape {TensorShape(raw.shape)} to a slice of shape "
                f"{TensorShape(part.shape)} of variable '{var.name}'."
            ) from None
        var._set_current_value(current.at[index].set(raw))
        return var


# Leaving a function or jax transform, a slice is an ordinary Tensor.
jax.tree_util.register_pytree_node(VariableSlice, lambda t: ((t._value,), None), lambda _, c: Tensor(c[0]))


class TrainableVariable(Variable, nnx.Param):
    """A trainable `tf.Variable`; also an `nnx.Param`, so NNX filters treat it as a parameter."""
