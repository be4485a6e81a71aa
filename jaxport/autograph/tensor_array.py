"""`tf.TensorArray`: a list of same-dtype Tensors that loops can write to.

Eagerly it is what TF eager's TensorArray is: a Python list of element Tensors shared by the
arrays `write` returns (so a write without re-assignment is seen), read once unless
`clear_after_read=False`, growing when `dynamic_size=True`. Gradients flow because the
elements are the very Tensors written, and `stack` is an ordinary recorded op.

While a `function` is traced it is functional, as TF's graph TensorArray is: a buffer of
shape `(capacity, *element_shape)` (a pytree, so it can be a loop variable or a branch
output), updated by recorded ops that return a new TensorArray. XLA needs static shapes, so
the element shape comes from `element_shape` or from the first write, and a `dynamic_size`
array carried by a loop grows by the loop's static bound before the loop runs.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.context import state as _state
from jaxport.eager import Tensor, TensorShape, convert_to_tensor, dispatch

__all__ = ["TensorArray"]


def _ta_write(buffer, index, value):
    # Past the capacity a write is dropped: only a loop with a run-time trip count can get
    # there, and its function then runs again with the capacity it needed (ConcreteEntry.call).
    if buffer.shape[0] == 0:
        return buffer
    return buffer.at[index].set(value, mode="drop")


def _ta_length(length, index):
    return jnp.maximum(length, jnp.asarray(index, jnp.int32) + 1)


def _ta_read(buffer, index):
    if buffer.shape[0] == 0:  # only in a run whose capacities are being learned
        return jnp.zeros(buffer.shape[1:], buffer.dtype)
    return jax.lax.dynamic_index_in_dim(buffer, index, keepdims=False)


def _ta_gather(buffer, indices):
    return buffer[indices]


def _ta_scatter(buffer, indices, values):
    return buffer.at[indices].set(values)


def _ta_concat(buffer):
    return buffer.reshape((-1,) + buffer.shape[2:])


def _ta_stack(*elements):
    return jnp.stack(elements)


def _ta_grow(buffer, pad):
    return jnp.concatenate([buffer, pad])


_ta_write.tf_op_name = "TensorListSetItem"
_ta_read.tf_op_name = "TensorListGetItem"
_ta_gather.tf_op_name = "TensorListGather"
_ta_scatter.tf_op_name = "TensorListScatterIntoExistingList"
_ta_concat.tf_op_name = "TensorListConcat"
_ta_stack.tf_op_name = "TensorListStack"
_ta_grow.tf_op_name = "TensorListResize"
_ta_length.tf_op_name = "TensorListLength"

# Elements a run-time-bounded loop adds to a dynamic_size array on its first trace; the
# function learns the real count from the first run and traces again for it.
DEFAULT_LOOP_CAPACITY = 0


class _Cell:
    """The state eager TensorArrays share: the element list and the indices already read."""

    __slots__ = ("elements", "cleared")

    def __init__(self, size: int) -> None:
        self.elements: list[Tensor | None] = [None] * size
        self.cleared: set[int] = set()


def _static_index(index: Any) -> int | None:
    if isinstance(index, Tensor):
        if isinstance(index._value, jax.core.Tracer):
            return None
        return int(index._value)
    if hasattr(index, "_current_value"):
        return None if _state.trace is not None else int(index._current_value())
    return int(index)


class TensorArray:
    """`tf.TensorArray(dtype, size=None, dynamic_size=None, clear_after_read=None, ...,
    infer_shape=True, element_shape=None)`.

    Methods follow TF: `write`, `read`, `stack`, `unstack`, `gather`, `scatter`, `concat`,
    `size`, `identity`, `close`; `write`/`unstack`/`scatter` return the updated array (use it,
    as TF's graph mode requires).
    """

    _element_dims: tuple | None = None  # the buffer's element shape, symbolic sizes kept (set by _allocate)
    _length: Tensor | None = None  # traced: the elements written so far, when capacity-planned
    _plan: tuple | None = None  # (slot, capacity before the loop) of the run-time-bounded loop growing it

    def __init__(
        self,
        dtype: Any,
        size: Any = None,
        dynamic_size: bool | None = None,
        clear_after_read: bool | None = None,
        tensor_array_name: str | None = None,
        handle: Any = None,
        flow: Any = None,
        infer_shape: bool = True,
        element_shape: Any = None,
        colocate_with_first_write_call: bool = True,
        name: str | None = None,
    ):
        if size is None and handle is None:
            raise ValueError("Size must be provided if handle is not provided")
        self._dtype = _dtypes.as_dtype(dtype)
        self._dynamic = bool(dynamic_size)
        self._clear_after_read = True if clear_after_read is None else bool(clear_after_read)
        self._infer_shape = bool(infer_shape)
        self._element_shape = None if element_shape is None else TensorShape(element_shape)
        if self._element_shape is not None and self._element_shape.rank is None:
            self._element_shape = None
        static_size = _static_index(size)
        if static_size is None:
            raise NotImplementedError(
                "tf.TensorArray needs a size known when it is created (XLA needs static shapes); "
                f"received a symbolic size {size!r}."
            )
        self._reserved = False
        if _state.trace is None:
            self._cell: _Cell | None = _Cell(static_size)
            self._buffer: Tensor | None = None
            self._capacity = static_size
        else:
            self._cell = None
            self._capacity = static_size
            self._buffer = None
            if self._element_shape is not None and self._element_shape.is_fully_defined():
                self._allocate(tuple(self._element_shape.as_list()))
        self._origin: TensorArray = self

    # -- construction helpers ---------------------------------------------------------------
    def _derive(self, buffer: Tensor | None = None, capacity: int | None = None) -> TensorArray:
        out = object.__new__(TensorArray)
        out.__dict__.update(self.__dict__)
        if self._cell is None:
            out._buffer = buffer if buffer is not None else self._buffer
            out._capacity = self._capacity if capacity is None else capacity
        return out

    def _allocate(self, shape: tuple) -> None:
        self._element_dims = tuple(shape)
        self._element_shape = TensorShape(shape)
        self._buffer = Tensor(jnp.zeros((self._capacity,) + tuple(shape), self._dtype.as_numpy_dtype))

    def _reserve(self, extra: int) -> None:
        """Grow a dynamic array by `extra` elements before a loop with that static bound."""
        if not self._dynamic or self._cell is not None:
            return
        self._reserve_exact(extra)
        self._reserved = True

    def _reserve_exact(self, extra: int) -> None:
        self._capacity += int(extra)
        if self._buffer is not None:
            pad = jnp.zeros((int(extra),) + tuple(self._buffer.shape[1:]), self._dtype.as_numpy_dtype)
            self._buffer = dispatch(_ta_grow, self._buffer, Tensor(pad))

    def _traced_view(self) -> TensorArray:
        """An eager array used inside a trace becomes a buffer-backed one."""
        if self._cell is None:
            return self
        out = object.__new__(TensorArray)
        out.__dict__.update(self.__dict__)
        out._cell = None
        out._capacity = len(self._cell.elements)
        out._buffer = None
        shape = self._known_shape()
        if shape is not None:
            out._element_shape = TensorShape(shape)
            out._element_dims = tuple(shape)
            out._buffer = self._eager_stack()
        out._origin = out
        return out

    # -- properties -------------------------------------------------------------------------
    @property
    def dtype(self) -> _dtypes.DType:
        return self._dtype

    @property
    def element_shape(self) -> TensorShape:
        return self._element_shape if self._element_shape is not None else TensorShape(None)

    @property
    def dynamic_size(self) -> bool:
        return self._dynamic

    def size(self, name: str | None = None) -> Tensor:
        """The number of elements, an int32 Tensor."""
        if self._cell is None and self._length is not None:
            return self._length
        n = len(self._cell.elements) if self._cell is not None else self._capacity
        return Tensor(jnp.asarray(n, jnp.int32))

    # -- checks ----------------------------------------------------------------------------
    def _value_of(self, value: Any) -> Tensor:
        if isinstance(value, Tensor) or hasattr(value, "_current_value"):
            tensor = value if isinstance(value, Tensor) else value.read_value()
            if tensor.dtype != self._dtype:
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    f"TensorArray dtype is {self._dtype.name} but Op is trying to write dtype {tensor.dtype.name}",
                )
            return tensor
        return convert_to_tensor(value, dtype=self._dtype)

    def _check_shape(self, shape: tuple) -> None:
        known = self._known_shape()
        if known is not None and tuple(known) != tuple(shape) and self._infer_shape:
            raise ValueError(f"Incompatible shape for value ({tuple(shape)}), expected ({tuple(known)})")
        if known is None and self._element_shape is not None and self._element_shape.rank is not None:
            if not TensorShape(shape).is_compatible_with(self._element_shape):
                raise ValueError(f"Incompatible shape for value ({tuple(shape)}), expected ({self._element_shape})")

    def _known_shape(self) -> tuple | None:
        if self._element_dims is not None:
            return self._element_dims
        if self._element_shape is not None and self._element_shape.is_fully_defined():
            return tuple(self._element_shape.as_list())
        if self._cell is not None:
            for element in self._cell.elements:
                if element is not None:
                    return tuple(element.shape)
        return None

    def _check_write_index(self, i: int, size: int) -> None:
        if i < 0:
            raise errors.OutOfRangeError(None, None, f"Writing to negative indices (index {i}) is not allowed.")
        if i >= size and not self._dynamic:
            raise errors.OutOfRangeError(
                None, None, f"Tried to write to index {i} but array is not resizeable and size is: {size}"
            )

    # -- eager -----------------------------------------------------------------------------
    def _eager_stack(self) -> Tensor:
        elements = self._cell.elements
        shape = self._known_shape()
        if not elements:
            return Tensor(jnp.zeros((0,) + (shape or ()), self._dtype.as_numpy_dtype))
        if shape is None:
            raise ValueError("Cannot convert a partially known TensorShape <unknown> to a Tensor.")
        zero = Tensor(jnp.zeros(shape, self._dtype.as_numpy_dtype))
        return dispatch(_ta_stack, *[zero if e is None else e for e in elements])

    def _eager_read(self, i: int) -> Tensor:
        cell = self._cell
        n = len(cell.elements)
        if i < 0:
            raise errors.OutOfRangeError(None, None, f"Reading from negative indices (index {i}) is not allowed.")
        if i >= n:
            raise errors.OutOfRangeError(None, None, f"Tried to read from index {i} but array size is: {n}")
        if i in cell.cleared:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Could not read index {i} twice because it was cleared after a previous read "
                "(perhaps try setting clear_after_read = false?)",
            )
        element = cell.elements[i]
        if element is None:
            shape = self._known_shape()
            if shape is None:
                raise ValueError("Cannot convert a partially known TensorShape <unknown> to a Tensor.")
            element = Tensor(jnp.zeros(shape, self._dtype.as_numpy_dtype))
        if self._clear_after_read:
            cell.cleared.add(i)
        return element

    def _eager_write(self, i: int, tensor: Tensor) -> None:
        cell = self._cell
        self._check_write_index(i, len(cell.elements))
        self._check_shape(tuple(tensor._value.shape))
        if i >= len(cell.elements):
            cell.elements.extend([None] * (i + 1 - len(cell.elements)))
        cell.elements[i] = tensor
        cell.cleared.discard(i)

    # -- traced ----------------------------------------------------------------------------
    def _ensure_buffer(self, shape: tuple) -> None:
        if self._buffer is None:
            self._allocate(shape)
            origin = self._origin
            if origin is not self and origin._buffer is None:
                origin._pending_shape = shape

    def _traced_write(self, index: Any, tensor: Tensor) -> TensorArray:
        i = _static_index(index)
        self._check_shape(tuple(tensor._value.shape))
        target = self._derive()
        if i is not None:
            self._check_write_index(i, self._capacity)
            if i >= self._capacity:
                target._reserve_exact(i + 1 - self._capacity)
        elif self._dynamic and not self._reserved:
            raise NotImplementedError(
                "A dynamic_size tf.TensorArray written at a symbolic index needs a static capacity under XLA: "
                "give the TensorArray a size, or write to it in a loop with a static bound "
                "(`for i in tf.range(N)`, or `maximum_iterations`)."
            )
        target._ensure_buffer(tuple(tensor._value.shape))
        idx = index if isinstance(index, Tensor) else Tensor(jnp.asarray(i, jnp.int32))
        target._buffer = dispatch(_ta_write, target._buffer, idx, tensor)
        if target._length is not None:
            target._length = dispatch(_ta_length, target._length, idx)
        return target

    # -- the TF API --------------------------------------------------------------------------
    def write(self, index: Any, value: Any, name: str | None = None) -> TensorArray:
        """Write `value` at `index`; returns the updated TensorArray."""
        tensor = self._value_of(value)
        if self._cell is not None and _state.trace is None:
            i = _static_index(index)
            self._eager_write(i, tensor)
            return self._derive()
        return self._traced_view()._traced_write(index, tensor)

    def read(self, index: Any, name: str | None = None) -> Tensor:
        """The element at `index` (zeros if never written and the shape is known)."""
        if self._cell is not None and _state.trace is None:
            return self._eager_read(_static_index(index))
        view = self._traced_view()
        i = _static_index(index)
        if i is not None and not 0 <= i < view._capacity:
            raise errors.OutOfRangeError(
                None, None, f"Tried to read from index {i} but array size is: {view._capacity}"
            )
        view._require_buffer()
        idx = index if isinstance(index, Tensor) else Tensor(jnp.asarray(i, jnp.int32))
        return dispatch(_ta_read, view._buffer, idx)

    def _require_buffer(self) -> None:
        if self._buffer is None:
            if self._capacity == 0:
                shape = self._known_shape() or ()
                self._allocate(shape)
                return
            raise ValueError(
                "Cannot read from a tf.TensorArray whose element shape is unknown: write to it first, "
                "or pass element_shape."
            )

    def stack(self, name: str | None = None) -> Tensor:
        """All elements stacked along a new first axis."""
        if self._cell is not None and _state.trace is None:
            return self._eager_stack()
        view = self._traced_view()
        view._require_buffer()
        return view._buffer

    def gather(self, indices: Any, name: str | None = None) -> Tensor:
        """The elements at `indices`, stacked."""
        idx = convert_to_tensor(indices, dtype_hint=_dtypes.int32)
        if self._cell is not None and _state.trace is None:
            return dispatch(_ta_gather, self._eager_stack(), idx)
        view = self._traced_view()
        view._require_buffer()
        return dispatch(_ta_gather, view._buffer, idx)

    def unstack(self, value: Any, name: str | None = None) -> TensorArray:
        """Write the rows of `value` as the elements; returns the updated TensorArray."""
        tensor = self._value_of(value)
        if tensor.shape.rank == 0:
            raise ValueError("Shape must be at least rank 1 but is rank 0 for tf.TensorArray.unstack.")
        rows = tensor.shape[0]
        if self._cell is not None and _state.trace is None:
            from jaxport.ops import array_ops

            self._check_shape(tuple(tensor.shape[1:]))
            self._cell.elements[:] = list(array_ops.unstack(tensor)) if rows else []
            self._cell.cleared.clear()
            return self._derive()
        view = self._traced_view()
        view._check_shape(tuple(tensor.shape[1:]))
        target = view._derive(buffer=tensor, capacity=rows)
        target._element_shape = TensorShape(tuple(tensor.shape[1:]))
        target._element_dims = tuple(tensor._value.shape[1:])
        return target

    def scatter(self, indices: Any, value: Any, name: str | None = None) -> TensorArray:
        """Write the rows of `value` at `indices`; returns the updated TensorArray."""
        tensor = self._value_of(value)
        idx = convert_to_tensor(indices, dtype_hint=_dtypes.int32)
        if isinstance(indices, (list, tuple, int, np.ndarray, np.generic)):
            static = np.asarray(indices).reshape(-1)
        else:
            static = None if isinstance(idx._value, jax.core.Tracer) else np.asarray(idx._value).reshape(-1)
        if self._cell is not None and _state.trace is None:
            from jaxport.ops import array_ops

            for i, row in zip(static.tolist(), array_ops.unstack(tensor)):
                self._eager_write(int(i), row)
            return self._derive()
        view = self._traced_view()
        capacity = view._capacity
        if static is not None:
            for i in static.tolist():
                view._check_write_index(int(i), view._capacity)
            capacity = max([capacity] + [int(i) + 1 for i in static.tolist()])
        view._check_shape(tuple(tensor.shape[1:]))
        target = view._derive()
        if capacity > view._capacity:
            target._reserve_exact(capacity - view._capacity)
        target._ensure_buffer(tuple(tensor.shape[1:]))
        target._buffer = dispatch(_ta_scatter, target._buffer, idx, tensor)
        return target

    def concat(self, name: str | None = None) -> Tensor:
        """The elements concatenated along their first axis."""
        if self._cell is not None and _state.trace is None:
            elements = self._cell.elements
            if any(e is None for e in elements) or not elements:
                return dispatch(_ta_concat, self._eager_stack())
            from jaxport.ops import array_ops

            return array_ops.concat(list(elements), 0)
        view = self._traced_view()
        view._require_buffer()
        return dispatch(_ta_concat, view._buffer)

    def identity(self) -> TensorArray:
        """The same array (TF's control-dependency identity)."""
        return self._derive()

    def close(self, name: str | None = None) -> None:
        """Accepted for TF compatibility."""

    def mark_used(self) -> None:
        """Accepted for TF compatibility."""

    def __repr__(self) -> str:
        size = self._capacity if self._cell is None else len(self._cell.elements)
        return f"<tf.TensorArray dtype={self._dtype.name} size={size}>"


def _flatten_ta(ta: TensorArray):
    if ta._cell is not None:
        return (), ("eager", ta)
    children = tuple(x for x in (ta._buffer, ta._length) if x is not None)
    aux = (
        ta._length is None,
        ta._plan,
        ta._dtype,
        ta._element_shape,
        ta._dynamic,
        ta._clear_after_read,
        ta._infer_shape,
        ta._capacity,
        ta._reserved,
        ta._buffer is None,
        _OriginRef(ta._origin),
    )
    return children, aux


class _OriginRef:
    """Compares equal for every array; carries the array a traced one derives from."""

    __slots__ = ("ta",)

    def __init__(self, ta: TensorArray) -> None:
        self.ta = ta

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, _OriginRef)

    def __hash__(self) -> int:
        return 0


def _unflatten_ta(aux, children) -> TensorArray:
    if aux[0] == "eager":
        return aux[1]
    no_length, plan, dtype, shape, dynamic, clear, infer, capacity, reserved, empty, origin = aux
    ta = object.__new__(TensorArray)
    ta._plan = plan
    ta._length = None if no_length else children[-1]
    children = children if no_length else children[:-1]
    ta._dtype, ta._element_shape, ta._dynamic = dtype, shape, dynamic
    ta._clear_after_read, ta._infer_shape, ta._capacity, ta._reserved = clear, infer, capacity, reserved
    ta._cell = None
    ta._buffer = None if empty else children[0]
    ta._origin = origin.ta
    return ta


jax.tree_util.register_pytree_node(TensorArray, _flatten_ta, _unflatten_ta)


def tensor_arrays(structure: Any) -> list[TensorArray]:
    """The TensorArrays in a nested structure."""
    leaves = jax.tree.leaves(structure, is_leaf=lambda x: isinstance(x, (TensorArray, Tensor)))
    return [leaf for leaf in leaves if isinstance(leaf, TensorArray)]


def prepare_for_staging(structure: Any, bound: int | None) -> Any:
    """Traced views of the TensorArrays in `structure`, dynamic ones grown by `bound`."""

    def convert(x):
        if isinstance(x, TensorArray):
            view = x._traced_view()
            view = view._derive()
            if bound is not None:
                view._reserve(bound)
            else:
                _plan_capacity(view)
            return view
        return x

    return jax.tree.map(convert, structure, is_leaf=lambda x: isinstance(x, (TensorArray, Tensor)))


def _plan_capacity(ta: TensorArray) -> None:
    """Give a dynamic array that a loop with a run-time trip count grows the capacity the
    function's plan holds for this loop (`TraceContext.ta_plan`), and count its elements.

    Only at a top-level function's own trace level: the function runs the program again when
    the count differs (`ConcreteEntry.call`). Elsewhere such a write raises, as before."""
    trace = _state.trace
    if not ta._dynamic or ta._reserved or trace is None or trace.parent is not None or trace.ta_plan is None:
        return
    slot = len(trace.ta_used)
    extra = trace.ta_plan[slot] if slot < len(trace.ta_plan) else DEFAULT_LOOP_CAPACITY
    trace.ta_used.append(int(extra))
    trace.ta_observed.append(jnp.int32(0))
    base = ta._capacity
    if ta._length is None:
        ta._length = Tensor(jnp.asarray(base, jnp.int32))
    ta._plan = (slot, base)
    ta._reserve(extra)


def observe_loop_results(structure: Any) -> None:
    """After a run-time-bounded loop: note how many elements it added to each planned array."""
    trace = _state.trace
    for ta in tensor_arrays(structure):
        if ta._plan is None or trace is None or trace.parent is not None or trace.ta_plan is None:
            continue
        slot, base = ta._plan
        trace.ta_observed[slot] = ta._length._value - base
        ta._plan = None
        ta._reserved = False  # a later loop plans its own growth


def allocate_pending(structure: Any) -> bool:
    """Give arrays that a staged body wrote for the first time a buffer; True if any did."""
    changed = False
    for ta in tensor_arrays(structure):
        origin = ta._origin
        shape = getattr(origin, "_pending_shape", None)
        if origin._buffer is None and shape is not None:
            origin._allocate(shape)
            del origin._pending_shape
            changed = True
        if ta._buffer is None and origin._buffer is not None:
            ta._allocate(origin._element_dims)
            changed = True
    return changed
