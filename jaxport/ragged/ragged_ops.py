"""Ops on `tf.RaggedTensor`: `to_tensor`, row indexing, `tf.ragged.constant`, `map_flat_values`,
and the TF ops that dispatch to ragged values (elementwise `tf.math` ops, reductions, `tf.concat`,
`tf.cast`). Numeric work runs as dispatched jnp ops on the flat values, so tapes record it; the
row partition is host data (numpy), as in TF's eager kernels.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.composite_tensor import host_constant
from jaxport.eager import Tensor, convert_to_tensor, dispatch
from jaxport.ops._helpers import pure_op
from jaxport.ragged.ragged_tensor import RaggedTensor, _host
from jaxport.strings.host import is_string_array

# -- to_tensor ------------------------------------------------------------------------------


def _coordinates(rt: RaggedTensor) -> list[np.ndarray]:
    """For each flat value, its index along every outer and ragged dimension (outermost first)."""
    levels = []
    node: Any = rt
    while isinstance(node, RaggedTensor):
        levels.append(node._splits_host())
        node = node._values
    count = int(node.shape[0])
    element = np.arange(count, dtype=np.int64)
    coords = []
    for splits in reversed(levels):
        row = np.searchsorted(splits, element, side="right") - 1
        coords.append(element - splits[row])
        element = row
    coords.append(element)
    return coords[::-1]


@pure_op("RaggedTensorToTensor")
def _scatter_pure(values, default, keep, positions, shape):
    inner = values.shape[1:]
    size = int(np.prod(shape[: len(shape) - len(inner)], dtype=np.int64))
    dense = jnp.broadcast_to(default.astype(values.dtype), (size,) + inner)
    return dense.at[positions].set(values[keep]).reshape(shape)


def to_tensor(rt: RaggedTensor, default_value: Any = None, shape: Any = None) -> Tensor:
    """`RaggedTensor.to_tensor`: pad (or cut) every row to one dense shape."""
    flat = rt.flat_values
    bounding = [int(d) for d in _host(rt.bounding_shape())]
    if shape is not None:
        wanted = list(shape.numpy()) if isinstance(shape, Tensor) else list(shape)
        if len(wanted) != len(bounding):
            raise errors.InvalidArgumentError(
                None,
                None,
                f"rt_input.shape and shape=[{','.join(str(-1 if d is None else d) for d in wanted)}] are incompatible: "
                f"rt_input.rank = {len(bounding)} but shape.rank = {len(wanted)} [Op:RaggedTensorToTensor]",
            )
        bounding = [b if d is None or int(d) < 0 else int(d) for b, d in zip(bounding, wanted)]
    outer = bounding[: rt.ragged_rank + 1]
    coords = _coordinates(rt)
    keep = np.ones(coords[0].shape, dtype=bool)
    for c, limit in zip(coords, outer):
        keep &= c < limit
    positions = np.ravel_multi_index([c[keep] for c in coords], outer) if keep.any() else np.zeros((0,), np.int64)
    keep_index = np.nonzero(keep)[0]
    values = flat._value
    if is_string_array(values):
        default = b"" if default_value is None else _host(convert_to_tensor(default_value, dtype="string"))[()]
        dense = np.empty((int(np.prod(outer)),) + tuple(values.shape[1:]), dtype=object)
        dense[...] = default
        dense[positions] = values[keep_index]
        return Tensor(dense.reshape(bounding))
    default = jnp.asarray(
        0 if default_value is None else _host(convert_to_tensor(default_value, dtype=flat.dtype)), values.dtype
    )
    return dispatch(
        _scatter_pure, flat, default, jnp.asarray(keep_index), jnp.asarray(positions), shape=tuple(bounding)
    )


# -- indexing -------------------------------------------------------------------------------


def _rows(rt: RaggedTensor, start: int, stop: int) -> Any:
    """Rows [start, stop) of `rt` as a RaggedTensor."""
    splits = rt._splits_host()
    lo, hi = int(splits[start]), int(splits[stop])
    new_splits = host_constant(splits[start : stop + 1] - lo)
    return RaggedTensor._from_parts(_value_range(rt._values, lo, hi), new_splits)


def _value_range(values: Any, lo: int, hi: int) -> Any:
    if isinstance(values, RaggedTensor):
        return _rows(values, lo, hi)
    return values[lo:hi]


def _take(values: Any, positions: np.ndarray) -> Any:
    """The items `positions` of a Tensor, or the rows `positions` of a RaggedTensor."""
    from jaxport.ops.array_ops import gather

    if isinstance(values, RaggedTensor):
        splits = values._splits_host()
        lengths = np.diff(splits)[positions]
        inner = [np.arange(splits[p], splits[p + 1]) for p in positions]
        inner_positions = np.concatenate(inner or [np.zeros((0,), np.int64)]).astype(np.int64)
        new_splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        return RaggedTensor._from_parts(_take(values._values, inner_positions), host_constant(new_splits))
    return gather(values, host_constant(positions.astype(np.int64)))


def _slice_each_row(rt: RaggedTensor, key: slice) -> RaggedTensor:
    """`rt[:, a:b:c]`: the same slice of every row."""
    splits = rt._splits_host()
    picks = [np.arange(splits[r], splits[r + 1])[key] for r in range(len(splits) - 1)]
    lengths = np.asarray([len(p) for p in picks], np.int64)
    positions = np.concatenate(picks or [np.zeros((0,), np.int64)]).astype(np.int64)
    new_splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return RaggedTensor._from_parts(_take(rt._values, positions), host_constant(new_splits))


def getitem(rt: RaggedTensor, key: Any) -> Any:
    """`rt[i]` (row i: a Tensor, or a RaggedTensor when ragged_rank > 1), `rt[a:b:c]` (rows),
    `rt[i, ...]` (indexing row i), `rt[a:b, c:d]` (a slice of every row).

    Raises:
      IndexError: a row index out of bounds (TF's "Row key ... out of bounds").
      ValueError: an integer index into a ragged dimension of several rows.
    """
    if isinstance(key, tuple):
        if not key:
            return rt
        head = getitem(rt, key[0])
        rest = key[1:]
        if not rest:
            return head
        if isinstance(key[0], slice):
            if len(rest) > 1 or not isinstance(rest[0], slice):
                raise ValueError("Cannot index into an inner ragged dimension.")
            return _slice_each_row(head, rest[0])
        return head[rest if len(rest) > 1 else rest[0]]
    nrows = int(rt._row_splits.shape[0]) - 1
    if isinstance(key, slice):
        start, stop, step = key.indices(nrows)
        if step == 1:
            return _rows(rt, start, max(start, stop))
        return _take(rt, np.arange(start, stop, step, dtype=np.int64))
    index = int(key.numpy()) if isinstance(key, Tensor) else int(key)
    if not -nrows <= index < nrows:
        raise IndexError(f"Row key {index} out of bounds")
    index %= nrows
    splits = rt._splits_host()
    return _value_range(rt._values, int(splits[index]), int(splits[index + 1]))


# -- construction ---------------------------------------------------------------------------


def _depths(value: Any, depth: int, out: set) -> None:
    if isinstance(value, (list, tuple)):
        for item in value:
            _depths(item, depth + 1, out)
    else:
        out.add(depth)


def _list_depth(value: Any) -> int:
    if not isinstance(value, (list, tuple)):
        return 0
    return 1 + max((_list_depth(v) for v in value), default=0)


def constant(
    pylist: Any,
    dtype: Any = None,
    ragged_rank: int | None = None,
    inner_shape: Any = None,
    name: str | None = None,
    row_splits_dtype: Any = "int64",
) -> Any:
    """`tf.ragged.constant`: a RaggedTensor from nested Python lists of uneven lengths.

    Raises:
      ValueError: scalars at different nesting depths, or a `ragged_rank` the lists do not allow.
    """
    depths: set = set()
    _depths(pylist, 0, depths)
    if len(depths) > 1:
        raise ValueError("all scalar values must have the same nesting depth")
    depth = depths.pop() if depths else _list_depth(pylist)  # no scalars: as deep as the lists go
    if not isinstance(pylist, (list, tuple)):
        return convert_to_tensor(pylist, dtype=dtype)
    inner_rank = len(inner_shape) if inner_shape is not None else 0
    if ragged_rank is None:
        ragged_rank = max(depth - 1 - inner_rank, 0)
    if not 0 <= ragged_rank < max(depth, 1):
        raise ValueError(f"Invalid pylist={pylist!r}: incompatible with ragged_rank={ragged_rank}")
    if ragged_rank == 0:
        return convert_to_tensor(pylist, dtype=dtype)
    items: list = list(pylist)
    splits_by_level = []
    for _ in range(ragged_rank):
        lengths = [len(item) for item in items]
        splits_by_level.append(np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64))
        items = [leaf for item in items for leaf in item]
    if items:
        flat = convert_to_tensor(items, dtype=dtype)
    else:
        from jaxport.eager import constant as _constant

        flat = _constant(np.zeros((0,), (_dtypes.as_dtype(dtype) if dtype is not None else _dtypes.float32)._np))
    if row_splits_dtype is not None and _dtypes.as_dtype(row_splits_dtype).name == "int32":
        splits_by_level = [s.astype(np.int32) for s in splits_by_level]
    result: Any = flat
    for splits in reversed(splits_by_level):
        result = RaggedTensor._from_parts(result, host_constant(splits))
    return result


def _same_partition(a: RaggedTensor, b: RaggedTensor) -> bool:
    sa, sb = a.nested_row_splits, b.nested_row_splits
    return len(sa) == len(sb) and all(np.array_equal(_host(x), _host(y)) for x, y in zip(sa, sb))


def _flatten_args(values: Any, ragged: list) -> Any:
    if isinstance(values, RaggedTensor):
        ragged.append(values)
        return values.flat_values
    if isinstance(values, (list, tuple)):
        return type(values)(_flatten_args(v, ragged) for v in values)
    return values


def map_flat_values(op: Callable, *args: Any, **kwargs: Any) -> Any:
    """`tf.ragged.map_flat_values`: `op` on the flat values of the RaggedTensor arguments, in their rows.

    Raises:
      ValueError: no RaggedTensor argument, or arguments with different row partitions.
    """
    ragged: list = []
    flat_args = _flatten_args(list(args), ragged)
    flat_kwargs = {k: _flatten_args(v, ragged) for k, v in kwargs.items()}
    if not ragged:
        return op(*args, **kwargs)
    first = ragged[0]
    for other in ragged[1:]:
        if not _same_partition(first, other):
            raise errors.InvalidArgumentError(None, None, "Inputs must have identical ragged splits")
    result = op(*flat_args, **flat_kwargs)
    if int(result.shape[0]) != int(first.flat_values.shape[0]):
        raise ValueError(
            f"tf.ragged.map_flat_values: the result has {int(result.shape[0])} rows, expected "
            f"{int(first.flat_values.shape[0])} (one per flat value)"
        )
    return first.with_flat_values(result)


# -- TF ops on ragged values ----------------------------------------------------------------


@pure_op("RaggedReduce")
def _segment_reduce_pure(values, segment_ids, num_segments, kind):
    counts = jax.ops.segment_sum(jnp.ones(values.shape[:1], jnp.int32), segment_ids, num_segments)
    counts = counts.reshape(counts.shape + (1,) * (values.ndim - 1))
    if kind in ("sum", "mean"):
        total = jax.ops.segment_sum(values, segment_ids, num_segments)
        if kind == "sum":
            return total
        if jnp.issubdtype(values.dtype, jnp.integer):
            return total / counts
        return total / counts.astype(values.dtype)
    if kind == "prod":
        return jax.ops.segment_prod(values, segment_ids, num_segments)
    reduce = jax.ops.segment_max if kind == "max" else jax.ops.segment_min
    out = reduce(values, segment_ids, num_segments)
    if jnp.issubdtype(values.dtype, jnp.floating):  # TF's identity for an empty row: the lowest/highest finite value
        info = jnp.finfo(values.dtype)
        out = jnp.where(counts == 0, info.min if kind == "max" else info.max, out)
    return out


def _reduction_kind(api: Callable) -> str | None:
    from jaxport.ops import reduction_ops

    table = {
        reduction_ops.reduce_sum: "sum",
        reduction_ops.reduce_mean: "mean",
        reduction_ops.reduce_max: "max",
        reduction_ops.reduce_min: "min",
        reduction_ops.reduce_prod: "prod",
    }
    return table.get(api)


def _reduce(api: Callable, kind: str, rt: RaggedTensor, axis: Any = None, keepdims: bool = False, **_: Any) -> Any:
    rank = rt.shape.rank
    if axis is None:
        return api(rt.flat_values, axis=None, keepdims=keepdims)
    axis = int(axis.numpy()) if isinstance(axis, Tensor) else axis
    if isinstance(axis, (list, tuple)):
        if len(axis) != 1:
            raise ValueError("jaxport reduces a RaggedTensor along one axis at a time")
        axis = axis[0]
    if not -rank <= axis < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    axis %= rank
    flat = rt.flat_values
    if axis == 0 and rt.ragged_rank == 1:
        splits = rt._splits_host()
        rowids = rt._rowids_host()
        segment = np.arange(rowids.size, dtype=np.int64) - splits[rowids]
        count = int(np.diff(splits).max()) if rowids.size else 0
    elif axis == rt.ragged_rank:
        innermost = rt
        while isinstance(innermost._values, RaggedTensor):
            innermost = innermost._values
        segment = innermost._rowids_host()
        count = int(innermost._row_splits.shape[0]) - 1
    else:
        raise ValueError(
            f"jaxport reduces a RaggedTensor of ragged_rank {rt.ragged_rank} along axis None, 0 (ragged_rank 1) "
            f"or its innermost ragged axis {rt.ragged_rank}; got axis={axis}"
        )
    reduced = dispatch(_segment_reduce_pure, flat, jnp.asarray(segment), num_segments=count, kind=kind)
    if axis == 0 or rt.ragged_rank == 1:
        if keepdims:
            from jaxport.ops.array_ops import expand_dims

            return expand_dims(reduced, axis)
        return reduced
    outer = rt
    parts = []
    while isinstance(outer._values, RaggedTensor):
        parts.append(outer._row_splits)
        outer = outer._values
    result: Any = reduced
    for splits in reversed(parts):
        result = RaggedTensor._from_parts(result, splits)
    return result


def _as_ragged(value: Any) -> RaggedTensor:
    if isinstance(value, RaggedTensor):
        return value
    return RaggedTensor.from_tensor(value)


def concat(values: Any, axis: int) -> RaggedTensor:
    """`tf.concat` of RaggedTensors (dense Tensors are taken as whole rows) along axis 0 or 1."""
    from jaxport.ops import array_ops

    items = [_as_ragged(v) for v in values]
    rank = items[0].shape.rank
    if not -rank <= axis < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    axis %= rank
    if axis == 0:
        splits, offset = [np.zeros((1,), np.int64)], 0
        for item in items:
            host = item._splits_host()
            splits.append(host[1:] + offset)
            offset += int(host[-1])
        inner = [item._values for item in items]
        if all(isinstance(v, RaggedTensor) for v in inner):
            joined = concat(inner, 0)
        else:
            joined = array_ops.concat(inner, 0)
        return RaggedTensor._from_parts(joined, host_constant(np.concatenate(splits)))
    if axis == 1 and all(item.ragged_rank == 1 for item in items):
        nrows = {int(item._row_splits.shape[0]) - 1 for item in items}
        if len(nrows) != 1:
            raise errors.InvalidArgumentError(
                None, None, f"Input tensors have incompatible shapes: the number of rows differ ({sorted(nrows)})"
            )
        order, lengths, offset = [], 0, 0
        hosts = [item._splits_host() for item in items]
        for row in range(nrows.pop()):
            for host, base in zip(hosts, np.cumsum([0] + [int(h[-1]) for h in hosts[:-1]])):
                order.extend(range(int(base + host[row]), int(base + host[row + 1])))
        lengths = sum(np.diff(h) for h in hosts)
        joined = array_ops.concat([item._values for item in items], 0)
        picked = array_ops.gather(joined, host_constant(np.asarray(order, np.int64)))
        return RaggedTensor.from_row_lengths(picked, lengths, validate=False)
    raise ValueError(f"jaxport concatenates RaggedTensors along axis 0, or axis 1 at ragged_rank 1; got axis={axis}")


def dispatch_ragged(api: Callable, args: tuple, kwargs: dict) -> Any:
    """A TF op given RaggedTensor arguments: reductions, concat, cast, else elementwise on flat values."""
    from jaxport.ops import array_ops, math_ops

    kind = _reduction_kind(api)
    if kind is not None:
        return _reduce(api, kind, *args, **kwargs)
    if api is array_ops.concat:
        return concat(*args, **kwargs)
    if api is math_ops.cast:
        return args[0].with_flat_values(math_ops.cast(args[0].flat_values, *args[1:], **kwargs))
    template = next(a for a in list(args) + list(kwargs.values()) if isinstance(a, RaggedTensor))
    args = tuple(_broadcast_to_flat(a, template, api) for a in args)
    kwargs = {k: _broadcast_to_flat(v, template, api) for k, v in kwargs.items()}
    return map_flat_values(api, *args, **kwargs)


def _broadcast_to_flat(value: Any, rt: RaggedTensor, api: Callable) -> Any:
    """A dense operand of an elementwise op on `rt`, as an operand of its flat values: scalars and
    size-1 shapes as they are, a [nrows, 1] column repeated along each row (TF's broadcasting
    of a uniform dimension against a ragged one).

    Raises:
      InvalidArgumentError: a dense shape that would broadcast along a ragged dimension.
    """
    from jaxport.ops.array_ops import gather, reshape

    if not isinstance(value, Tensor) and hasattr(value, "read_value"):
        value = value.read_value()
    if not isinstance(value, Tensor) or value.shape.rank in (0, None):
        return value
    dims = [int(d) for d in value.shape]
    if all(d == 1 for d in dims) and len(dims) <= rt.shape.rank:
        return reshape(value, [])
    nrows = int(rt._row_splits.shape[0]) - 1
    if rt.ragged_rank == 1 and rt.flat_values.shape.rank == 1 and len(dims) == 2 and dims[1] == 1 and dims[0] == nrows:
        return gather(reshape(value, [nrows]), host_constant(rt._rowids_host()))
    raise errors.InvalidArgumentError(
        None,
        None,
        f"{getattr(api, '__name__', api)}: a dense operand of shape {list(dims)} does not broadcast against a "
        f"RaggedTensor of shape {rt.shape} (jaxport broadcasts scalars, size-1 shapes and [nrows, 1] columns)",
    )
