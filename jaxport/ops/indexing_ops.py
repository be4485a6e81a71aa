"""Indexing: Tensor `__getitem__` (ints, slices with negative steps, `tf.newaxis`, `...`,
scalar int tensors, a bool mask), `tf.slice`, `tf.gather` (axis, batch_dims), `tf.gather_nd`,
`tf.where` (1-argument coordinates; 3-argument select) and `tf.boolean_mask`.

Ops whose output shape depends on the data (`tf.where(cond)`, `tf.boolean_mask`) need the
values, so they run eagerly only: XLA compiles static shapes.
"""

from __future__ import annotations

import builtins
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.eager import Tensor, dispatch, to_raw
from jaxport.ops._helpers import (
    as_input,
    binary_inputs,
    check_broadcastable,
    concrete,
    dims_text,
    dispatch_folded,
    int_list,
    no_gradient,
    op_error,
    pure_op,
    raw_value,
    shape_dims,
    shape_of,
    tf_type_name,
    with_shape_dims,
)
from jaxport.variables import Variable

_INDEX_TYPE_ERROR = (
    "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
    "tf.int32/tf.int64 tensors are valid indices, got {!r}"
)


def _is_tensor(x: Any) -> bool:
    if x is None or type(x) is int:  # the common index parts, without the NNX Variable instance check
        return False
    return isinstance(x, (Tensor, Variable))


def _scalar_int(x: Any) -> Any:
    """A Python int for an int-like index (ints, numpy ints, eager scalar int tensors); the
    tensor itself when it is symbolic; raises TypeError otherwise."""
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(_INDEX_TYPE_ERROR.format(x))
    if isinstance(x, (int, np.integer)):
        return int(x)
    if _is_tensor(x) and x.ndim == 0 and x.dtype.is_integer:
        value = concrete(x)
        return x if value is None else int(value)
    raise TypeError(_INDEX_TYPE_ERROR.format(x))


def _static_index(index: Any) -> Any:
    """A hashable form of an index (ints, slices, None, Ellipsis; eager scalar int tensors
    count as ints), or None if it holds a symbolic tensor or is not a basic index."""
    items = tuple(index) if isinstance(index, (tuple, list)) else (index,)
    out = []
    try:
        for item in items:
            if isinstance(item, builtins.slice):
                parts = tuple(None if p is None else _scalar_int(p) for p in (item.start, item.stop, item.step))
                if any(_is_tensor(p) for p in parts):
                    return None
                out.append(("s",) + parts)
            elif item is None:
                out.append(("n",))
            elif item is Ellipsis:
                out.append(("e",))
            else:
                value = _scalar_int(item)
                if _is_tensor(value):
                    return None
                out.append(("i", value))
    except TypeError:
        return None
    return tuple(out)


def _rebuild_index(spec: tuple, dynamic: tuple = ()) -> tuple:
    out = []
    for item in spec:
        kind = item[0]
        if kind == "s":
            out.append(builtins.slice(*item[1:]))
        elif kind == "n":
            out.append(None)
        elif kind == "e":
            out.append(Ellipsis)
        elif kind == "t":
            out.append(dynamic[item[1]])
        else:
            out.append(item[1])
    return tuple(out)


@pure_op("StridedSlice")
def _getitem_pure(a, *dynamic, spec):
    return a[_rebuild_index(spec, dynamic)]


def _index_spec(index: Any) -> tuple[tuple, list]:
    """(spec, symbolic scalar index tensors) for `getitem`; TypeError for unsupported items."""
    items = tuple(index) if isinstance(index, (tuple, list)) else (index,)
    parts = [p for it in items for p in ((it.start, it.stop, it.step) if isinstance(it, builtins.slice) else (it,))]
    index_dtypes = [p.dtype for p in parts if _is_tensor(p)]
    for i, dt in enumerate(index_dtypes[1:], 1):
        if dt != index_dtypes[0]:
            raise op_error(
                f"cannot compute Pack as input #{i}(zero-based) was expected to be a {index_dtypes[0].name} tensor "
                f"but is a {dt.name} tensor",
                "Pack",
            )
    spec, dynamic = [], []
    for item in items:
        if isinstance(item, builtins.slice):
            parts = tuple(None if p is None else _scalar_int(p) for p in (item.start, item.stop, item.step))
            if any(_is_tensor(p) for p in parts):
                raise TypeError(
                    "jaxport slices with symbolic bounds are not supported inside tf.function (XLA needs "
                    f"static shapes); got {item!r}"
                )
            spec.append(("s",) + parts)
        elif item is None:
            spec.append(("n",))
        elif item is Ellipsis:
            spec.append(("e",))
        else:
            value = _scalar_int(item)
            if _is_tensor(value):
                spec.append(("t", len(dynamic)))
                dynamic.append(value)
            else:
                spec.append(("i", value))
    return tuple(spec), dynamic


def _check_spec(spec: tuple, dims: list) -> None:
    rank = len(dims)
    if sum(1 for it in spec if it[0] == "e") > 1:
        raise op_error("Multiple ellipses in slice spec not allowed", "StridedSlice")
    consumed = sum(1 for it in spec if it[0] in "sit")
    if rank == 0 and any(it[0] in "it" for it in spec):
        raise op_error("Attempting to slice scalar input.", "StridedSlice")
    axis = 0
    for position, item in enumerate(spec):
        kind = item[0]
        if kind == "e":
            axis += max(rank - consumed, 0)
        elif kind == "n":
            continue
        else:
            if axis >= rank:
                raise op_error(f"Index out of range using input dim {axis}; input has only {rank} dims", "StridedSlice")
            if kind == "i" and not -dims[axis] <= item[1] < dims[axis]:
                shown = item[1] + dims[axis] if item[1] < 0 else item[1]
                raise op_error(f"slice index {shown} of dimension {axis} out of bounds.", "StridedSlice")
            if kind == "s" and item[3] == 0:
                raise op_error(f"strides[{position}] must be non-zero", "StridedSlice")
            axis += 1


def getitem(tensor: Any, index: Any) -> Tensor:
    """Tensor indexing and slicing as TF's `__getitem__`: `t[0]`, `t[:, ::-1]`, `t[tf.newaxis, ..., 1]`,
    `t[tf.constant(1)]`, a list as a tuple (`t[[0, 1]]` is `t[0, 1]`), a bool tensor as a mask.

    Raises:
      TypeError: a float, a non-scalar int tensor or an array as an index (as TF).
      InvalidArgumentError: an index out of range, too many indices, a zero step.
    """
    t = as_input(tensor)
    if _is_tensor(index) and index.dtype.is_bool:
        return boolean_mask(t, index)
    spec, dynamic = _index_spec(index)
    _check_spec(spec, list(shape_of(t)))
    out = dispatch_folded(_getitem_pure, t, *[as_input(d) for d in dynamic], spec=spec)
    dims = shape_dims(t)
    if dims is not None and isinstance(index, (int, builtins.slice)):  # tf.shape(x)[0] keeps its size
        with_shape_dims(out, dims[index] if isinstance(index, int) else tuple(dims[index]))
    return out


# -- slice ---------------------------------------------------------------------------------


@pure_op("Slice")
def _slice_pure(a, begin, size):
    return jax.lax.slice(a, begin, tuple(b + s for b, s in zip(begin, size)))


def slice(input_: Any, begin: Any, size: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's name
    """`tf.slice`: the block starting at `begin` of extent `size` (-1: to the end of the axis).

    Raises:
      InvalidArgumentError: `begin`/`size` of the wrong length or out of range.
    """
    t = as_input(input_)
    starts, sizes = int_list(begin, "begin"), int_list(size, "size")
    if len(starts) != t.ndim or len(sizes) != t.ndim:
        raise op_error(
            f"Expected begin and size arguments to be 1-D tensors of size {t.ndim}, but got shapes "
            f"[{len(starts)}] and [{len(sizes)}] instead.",
            "Slice",
        )
    for i, (b, s, d) in enumerate(zip(starts, sizes, t.shape)):
        if s == -1:
            s = sizes[i] = d - b
        if not 0 <= b <= d:
            raise op_error(f"Expected begin[{i}] in [0, {d}], but got {b}", "Slice")
        if not 0 <= s <= d - b:
            raise op_error(f"Expected size[{i}] in [0, {d - b}], but got {s}", "Slice")
    return dispatch(_slice_pure, t, begin=tuple(starts), size=tuple(sizes))


# -- gather --------------------------------------------------------------------------------


def _index_input(indices: Any, op_name: str, allowed: tuple = ("int16", "int32", "int64")) -> Any:
    idx = as_input(indices)
    if idx.dtype.name not in allowed:
        raise op_error(
            f"Value for attr 'Tindices' of {tf_type_name(idx.dtype)} is not in the list of allowed values: "
            + ", ".join(allowed),
            op_name,
        )
    return idx


def _batched(fn, batch_dims: int):
    for _ in range(batch_dims):
        fn = jax.vmap(fn)
    return fn


@pure_op("GatherV2")
def _gather_pure(params, indices, axis, batch_dims):
    def take(p, i):
        return jnp.take(p, i, axis=axis - batch_dims, mode="fill", fill_value=0)

    return _batched(take, batch_dims)(params, indices)


def gather(
    params: Any,
    indices: Any,
    validate_indices: Any = None,
    axis: Any = None,
    batch_dims: int = 0,
    name: str | None = None,
) -> Tensor:
    """`tf.gather`: slices of `params` along `axis` at `indices`; with `batch_dims` b, the
    first b axes of `params` and `indices` are batch axes gathered pairwise. The gradient
    sums into repeated indices.

    Raises:
      InvalidArgumentError: non-integer indices, an axis out of range, or (eagerly) an
        index outside `[0, params.shape[axis])`.
    """
    p = as_input(params)
    idx = _index_input(indices, "GatherV2")
    b = int(batch_dims)
    if b < 0:
        b += idx.ndim
    ax = b if axis is None else int(int_list(axis, "axis")[0])
    if ax < 0:
        ax += p.ndim
    if not 0 <= ax < p.ndim:
        raise op_error(f"Shape must be at least rank {ax + 1} but is rank {p.ndim}", "GatherV2")
    if not 0 <= b <= min(ax, idx.ndim):
        raise ValueError(f"batch_dims ({batch_dims}) must be less than or equal to axis ({ax}) and rank(indices).")
    if tuple(p.shape)[:b] != tuple(idx.shape)[:b]:
        raise op_error(
            f"params.shape[:{b}] = {dims_text(tuple(p.shape)[:b])} must equal indices.shape[:{b}] = "
            f"{dims_text(tuple(idx.shape)[:b])}",
            "GatherV2",
        )
    values = concrete(idx)
    if values is not None and p.shape[ax] is not None:  # a symbolic size (None) is not known to check
        bad = np.argwhere((values < 0) | (values >= p.shape[ax]))
        if len(bad):
            where = ",".join(str(i) for i in bad[0])
            raise op_error(f"indices[{where}] = {values[tuple(bad[0])]} is not in [0, {p.shape[ax]})", "GatherV2")
    return dispatch(_gather_pure, p, no_gradient(idx), axis=ax, batch_dims=b)


@pure_op("GatherNd")
def _gather_nd_pure(params, indices, batch_dims):
    def take(p, i):
        return p[tuple(jnp.moveaxis(i, -1, 0))]

    return _batched(take, batch_dims)(params, indices)


def gather_nd(params: Any, indices: Any, batch_dims: int = 0, name: str | None = None) -> Tensor:
    """`tf.gather_nd`: the slices of `params` at the coordinate vectors in `indices`' last axis.

    Raises:
      InvalidArgumentError: an index deeper than `params`, or (eagerly) out of range.
    """
    p = as_input(params)
    idx = _index_input(indices, "GatherNd", ("int16", "int32", "int64"))
    b = int(batch_dims)
    if idx.ndim < 1:
        raise op_error("indices must be at least a vector", "GatherNd")
    depth = idx.shape[-1]
    if depth > p.ndim - b:
        raise op_error(
            f"index innermost dimension length must be <= params rank; saw: {depth} vs. {p.ndim - b}", "GatherNd"
        )
    if tuple(p.shape)[:b] != tuple(idx.shape)[:b]:
        raise op_error("Batch dimensions of params and indices must be equal.", "GatherNd")
    values = concrete(idx)
    if values is not None and values.size and None not in tuple(p.shape)[b : b + depth]:
        bounds = np.asarray(tuple(p.shape)[b : b + depth])
        flat = values.reshape(-1, depth)
        bad = np.nonzero(((flat < 0) | (flat >= bounds)).any(axis=1))[0]
        if len(bad):
            shown = ", ".join(str(v) for v in flat[bad[0]])
            raise op_error(
                f"indices{dims_text(np.unravel_index(bad[0], values.shape[:-1]))} = [{shown}] does not index into "
                f"param shape {dims_text(p.shape)}, node name: GatherNd",
                "GatherNd",
            )
    return dispatch(_gather_nd_pure, p, no_gradient(idx), batch_dims=b)


# -- data-dependent shapes: where (1 argument), boolean_mask -------------------------------


def _eager_values(t: Any, what: str) -> np.ndarray:
    values = concrete(t)
    if values is None:
        raise NotImplementedError(
            f"{what} has an output shape that depends on the data, which XLA cannot compile: jaxport runs it "
            "eagerly only. Inside tf.function use the 3-argument tf.where or multiply by the mask."
        )
    return values


@pure_op("SelectV2")
def _select_pure(cond, x, y):
    return jnp.where(cond, x, y)


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """`tf.where`: with `x` and `y`, elementwise select (all three broadcast together);
    alone, the int64 coordinates `[n, rank]` of the true (non-zero) elements (eager only).

    Raises:
      ValueError: only one of `x`, `y`.
      TypeError: a non-bool Python condition for the select form.
      InvalidArgumentError: `x`/`y` of different dtypes, or shapes that do not broadcast.
    """
    if (x is None) != (y is None):
        raise ValueError("x and y must both be non-None or both be None.")
    if x is None:
        c = as_input(condition)
        values = _eager_values(c, "tf.where(condition)")
        return Tensor(jnp.asarray(np.argwhere(values).astype(np.int64).reshape(-1, c.ndim)))
    if _is_tensor(condition):
        c = condition
        if not c.dtype.is_bool:
            raise op_error(
                f"cannot compute SelectV2 as input #0(zero-based) was expected to be a bool tensor but is a "
                f"{c.dtype.name} tensor",
                "SelectV2",
            )
    else:
        if _dtypes.default_for_python(condition) not in (None, np.dtype(bool)) or (
            isinstance(condition, np.ndarray) and condition.dtype != bool
        ):
            raise TypeError(f"Cannot convert {condition!r} to EagerTensor of dtype bool")
        c = Tensor(to_raw(condition, "bool"))
    a, b = binary_inputs(x, y, "SelectV2")
    try:
        check_broadcastable(shape_of(c), shape_of(a), shape_of(b))
    except ValueError:
        raise op_error(
            f"condition {dims_text(c.shape)}, then {dims_text(a.shape)}, and else {dims_text(b.shape)} "
            "must be broadcastable",
            "SelectV2",
        ) from None
    return dispatch(_select_pure, no_gradient(c), a, b)


@pure_op("BooleanMask")
def _boolean_mask_pure(a, positions, axis, mask_rank):
    shape = a.shape[:axis] + (-1,) + a.shape[axis + mask_rank :]
    return jnp.take(jnp.reshape(a, shape), positions, axis=axis)


def boolean_mask(tensor: Any, mask: Any, axis: Any = None, name: str = "boolean_mask") -> Tensor:
    """`tf.boolean_mask`: the entries of `tensor` where `mask` (matching `tensor`'s axes from
    `axis`) is true, flattened over the mask's axes. Eager only (data-dependent shape);
    differentiable with respect to `tensor`.

    Raises:
      ValueError: a scalar mask, or one whose shape does not match.
    """
    t = as_input(tensor)
    m = as_input(mask)
    if m.ndim == 0:
        raise ValueError("mask cannot be scalar.")
    ax = 0 if axis is None else int(int_list(axis, "axis")[0])
    part = tuple(t.shape)[ax : ax + m.ndim]  # TF slices the shape with the axis as given
    if part != tuple(m.shape):
        raise ValueError(f"Shapes {tuple(part)} and {tuple(m.shape)} are incompatible")
    ax %= t.ndim
    values = _eager_values(m, "tf.boolean_mask")
    positions = np.flatnonzero(values.reshape(-1)).astype(np.int32)
    return dispatch(_boolean_mask_pure, t, jnp.asarray(positions), axis=ax, mask_rank=m.ndim)


__all__ = ["getitem", "slice", "gather", "gather_nd", "where", "boolean_mask", "raw_value"]
