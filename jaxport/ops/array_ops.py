"""Creation and shape ops (`tf.zeros`, `tf.reshape`, `tf.concat`, indexing, ...)."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.eager import Tensor, TensorShape, dispatch
from jaxport.ops._helpers import as_input, normalize_axis


def _shape_tuple(shape: Any, arg: str = "shape") -> tuple[int, ...]:
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    try:
        dims = tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise TypeError(f"`{arg}` must be a list of non-negative integers; received {shape!r}.") from None
    if any(d < 0 for d in dims):
        raise errors.InvalidArgumentError(
            None, None, f"`{arg}` must have non-negative dimensions; received {list(dims)}."
        )
    return dims


def zeros(shape: Any, dtype: Any = "float32", name: str | None = None) -> Tensor:
    """`tf.zeros`: a Tensor of zeros (float32 by default)."""
    return Tensor(jnp.zeros(_shape_tuple(shape), _dtypes.as_dtype(dtype)._np))


def ones(shape: Any, dtype: Any = "float32", name: str | None = None) -> Tensor:
    """`tf.ones`: a Tensor of ones (float32 by default)."""
    return Tensor(jnp.ones(_shape_tuple(shape), _dtypes.as_dtype(dtype)._np))


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """`tf.fill`: a Tensor of `dims` filled with `value` (its dtype)."""
    v = as_input(value)
    return Tensor(jnp.full(_shape_tuple(dims, "dims"), v._value if isinstance(v, Tensor) else v._current_value()))


def zeros_like(input: Any, dtype: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.zeros_like`."""
    t = as_input(input)
    return zeros(t.shape, dtype or t.dtype)


def ones_like(input: Any, dtype: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.ones_like`."""
    t = as_input(input)
    return ones(t.shape, dtype or t.dtype)


def _identity_pure(a):
    return a


_identity_pure.tf_op_name = "Identity"


def identity(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.identity`: the same value (a read, for Variables)."""
    return dispatch(_identity_pure, as_input(input))


def _reshape_pure(a, shape):
    return jnp.reshape(a, shape)


_reshape_pure.tf_op_name = "Reshape"


def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:
    """`tf.reshape`: one dim may be -1; the element count must match."""
    t = as_input(tensor)
    dims = tuple(int(d) for d in (shape.numpy().tolist() if isinstance(shape, Tensor) else shape))
    size = int(np.prod(t.shape.as_list(), dtype=np.int64))
    known = int(np.prod([d for d in dims if d != -1], dtype=np.int64))
    if dims.count(-1) > 1 or (-1 not in dims and known != size) or (-1 in dims and (known == 0 or size % known)):
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Input to reshape is a tensor with {size} values, but the requested shape has {known} [Op:Reshape]",
        )
    return dispatch(_reshape_pure, t, shape=dims)


def _transpose_pure(a, perm):
    return jnp.transpose(a, perm)


_transpose_pure.tf_op_name = "Transpose"


def transpose(a: Any, perm: Any = None, conjugate: bool = False, name: str | None = None) -> Tensor:
    """`tf.transpose`: reverse the axes, or permute them by `perm`."""
    t = as_input(a)
    return dispatch(_transpose_pure, t, perm=normalize_axis(perm))


def _expand_pure(a, axis):
    return jnp.expand_dims(a, axis)


_expand_pure.tf_op_name = "ExpandDims"


def expand_dims(input: Any, axis: int, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.expand_dims`: insert a size-1 axis at `axis` (in [-rank-1, rank])."""
    t = as_input(input)
    axis = int(axis)
    if not -t.ndim - 1 <= axis <= t.ndim:
        raise errors.InvalidArgumentError(
            None, None, f"Tried to expand dim index {axis} for tensor with {t.ndim} dimensions. [Op:ExpandDims]"
        )
    return dispatch(_expand_pure, t, axis=axis)


def _squeeze_pure(a, axis):
    return jnp.squeeze(a, axis)


_squeeze_pure.tf_op_name = "Squeeze"


def squeeze(input: Any, axis: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.squeeze`: drop size-1 axes (all, or those in `axis`)."""
    t = as_input(input)
    ax = normalize_axis(axis)
    if ax is not None:
        for a in ax if isinstance(ax, tuple) else (ax,):
            if t.shape[a] != 1:
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    f"Can not squeeze dim[{a % t.ndim}], expected a dimension of 1, got {t.shape[a]} [Op:Squeeze]",
                )
    return dispatch(_squeeze_pure, t, axis=ax)


def _concat_pure(*arrays, axis):
    return jnp.concatenate(arrays, axis=axis)


_concat_pure.tf_op_name = "ConcatV2"


def concat(values: Any, axis: int, name: str | None = None) -> Tensor:
    """`tf.concat` along `axis`; all inputs of one dtype."""
    ts = [as_input(v) for v in values]
    if len({t.dtype for t in ts}) > 1:
        raise errors.InvalidArgumentError(
            None, None, "ConcatOp : Expected all inputs to have the same dtype [Op:ConcatV2]"
        )
    return dispatch(_concat_pure, *ts, axis=int(axis))


def _stack_pure(*arrays, axis):
    return jnp.stack(arrays, axis=axis)


_stack_pure.tf_op_name = "Pack"


def stack(values: Any, axis: int = 0, name: str | None = None) -> Tensor:
    """`tf.stack`: join same-shaped tensors along a new axis."""
    ts = [as_input(v) for v in values]
    return dispatch(_stack_pure, *ts, axis=int(axis))


def _unstack_pure(a, axis, num):
    return tuple(jnp.squeeze(p, axis) for p in jnp.split(a, num, axis=axis))


_unstack_pure.tf_op_name = "Unpack"


def unstack(value: Any, num: int | None = None, axis: int = 0, name: str | None = None) -> list[Tensor]:
    """`tf.unstack`: split along `axis` into rank-1-lower tensors."""
    t = as_input(value)
    n = t.shape[axis]
    if n == 0:
        return []
    if n == 1:
        return [squeeze(t, axis)]
    return list(dispatch(_unstack_pure, t, axis=int(axis), num=int(n)))


def shape(input: Any, out_type: Any = "int32", name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.shape`: the dynamic shape as an int32 Tensor."""
    t = as_input(input)
    return Tensor(jnp.asarray(np.asarray(t.shape.as_list(), _dtypes.as_dtype(out_type)._np)))


def rank(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.rank`."""
    return Tensor(jnp.asarray(as_input(input).ndim, jnp.int32))


def size(input: Any, out_type: Any = "int32", name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.size`."""
    t = as_input(input)
    return Tensor(jnp.asarray(int(np.prod(t.shape.as_list(), dtype=np.int64)), _dtypes.as_dtype(out_type)._np))


# -- indexing ------------------------------------------------------------------------------


def _static_index(index: Any) -> Any:
    """A hashable form of a basic index (ints, slices, None, Ellipsis), or None if dynamic."""
    items = index if isinstance(index, tuple) else (index,)
    out = []
    for item in items:
        if isinstance(item, slice):
            parts = (item.start, item.stop, item.step)
            if not all(p is None or isinstance(p, (int, np.integer)) for p in parts):
                return None
            out.append(("s",) + tuple(None if p is None else int(p) for p in parts))
        elif item is None:
            out.append(("n",))
        elif item is Ellipsis:
            out.append(("e",))
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            out.append(("i", int(item)))
        else:
            return None
    return tuple(out)


def _rebuild_index(spec: tuple) -> tuple:
    out = []
    for item in spec:
        kind = item[0]
        if kind == "s":
            out.append(slice(*item[1:]))
        elif kind == "n":
            out.append(None)
        elif kind == "e":
            out.append(Ellipsis)
        else:
            out.append(item[1])
    return tuple(out)


def _getitem_pure(a, spec):
    return a[_rebuild_index(spec)]


_getitem_pure.tf_op_name = "StridedSlice"


def _gather_index_pure(a, idx):
    return a[idx]


_gather_index_pure.tf_op_name = "GatherV2"


def getitem(tensor: Any, index: Any) -> Tensor:
    """Tensor indexing and slicing (`t[0]`, `t[:, 1:3]`, `t[..., None]`)."""
    t = as_input(tensor)
    spec = _static_index(index)
    if spec is not None:
        dims = list(t.shape)
        axis = 0
        for item in spec:
            if item[0] == "i":
                if axis >= len(dims):
                    raise errors.InvalidArgumentError(
                        None,
                        None,
                        f"Index out of range using input dim {axis}; input has only {len(dims)} dims [Op:StridedSlice]",
                    )
                if not -dims[axis] <= item[1] < dims[axis]:
                    raise errors.InvalidArgumentError(
                        None,
                        None,
                        f"slice index {item[1]} of dimension {axis} out of bounds. [Op:StridedSlice]",
                    )
                axis += 1
            elif item[0] == "s":
                axis += 1
            elif item[0] == "e":
                axis = (
                    len(dims)
                    - sum(1 for it in spec if it[0] in "si")
                    + sum(1 for it in spec[: spec.index(item)] if it[0] in "si")
                )
        return dispatch(_getitem_pure, t, spec=spec)
    idx = as_input(index)
    if not idx.dtype.is_integer and not idx.dtype.is_bool:
        raise TypeError(
            f"Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
            f"tf.int32/tf.int64 tensors are valid indices, got {index!r}"
        )
    return dispatch(_gather_index_pure, t, idx)
