"""`tf.sparse` ops. Index bookkeeping (order, union, grouping) runs on the host with numpy, as
TF's CPU kernels do; arithmetic on `values` and dense operands runs as dispatched jnp ops, so
GradientTape differentiates it (w.r.t. values and dense inputs). `sparse_dense_matmul` is a
`jax.experimental.sparse.BCOO` product.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np
from jax.experimental import sparse as jsparse

from jaxport import errors
from jaxport.composite_tensor import host_constant
from jaxport.eager import Tensor, convert_to_tensor, dispatch
from jaxport.ops._helpers import pure_op
from jaxport.sparse.sparse_tensor import SparseTensor


def _op_error(message: str, op_name: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, f"{message} [Op:{op_name}]")


def _host(t: Tensor) -> np.ndarray | None:
    """The value as numpy, or None while `function` traces it."""
    value = t._value
    return None if isinstance(value, jax.core.Tracer) else np.asarray(value)


def _eager_indices(sp: SparseTensor, op_name: str) -> np.ndarray:
    indices = _host(sp.indices)
    if indices is None:
        raise errors.InvalidArgumentError(
            None, None, f"{op_name}: jaxport computes sparse index structure on the host; the indices cannot be traced."
        )
    return indices.reshape(-1, len(sp._dense_shape))


def _dims(values: Any) -> str:
    return "[" + ",".join(str(int(v)) for v in values) + "]"


def _tensor(array: np.ndarray) -> Tensor:
    return host_constant(array)


def _check_sparse(sp: Any, name: str) -> SparseTensor:
    if not isinstance(sp, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor; got {type(sp).__name__} for {name}")
    return sp


# -- conversions ----------------------------------------------------------------------------


@pure_op("SparseToDense")
def _to_dense_pure(indices, values, default, shape):
    dense = jnp.full(shape, default, dtype=values.dtype)
    if not shape:
        return dense
    return dense.at[tuple(indices[:, i] for i in range(len(shape)))].set(values)


def _validate(indices: np.ndarray, shape: tuple, op_name: str) -> None:
    """TF's SparseToDense checks: each index in bounds, the list strictly increasing."""
    previous = None
    for i, index in enumerate(indices):
        if (index < 0).any() or (index >= np.asarray(shape)).any():
            raise _op_error(
                f"indices[{i}] = {_dims(index)} is out of bounds: need 0 <= index < {_dims(shape)}", op_name
            )
        if previous is not None:
            key, before = tuple(index), tuple(previous)
            if key == before:
                raise _op_error(f"indices[{i}] = {_dims(index)} is repeated", op_name)
            if key < before:
                raise _op_error(
                    f"indices[{i}] = {_dims(index)} is out of order. Many sparse ops require sorted indices.\n"
                    "    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n",
                    op_name,
                )
        previous = index


def to_dense(
    sp_input: Any, default_value: Any = None, validate_indices: bool = True, name: str | None = None
) -> Tensor:
    """`tf.sparse.to_dense`: the dense tensor, `default_value` (0) where no entry is given.

    Raises:
      InvalidArgumentError: with `validate_indices`, an index out of bounds, repeated or out of order.
    """
    sp = _check_sparse(sp_input, "sp_input")
    shape = sp._dense_shape
    host = _host(sp.indices)
    if validate_indices and host is not None:
        _validate(host.reshape(-1, len(shape)), shape, "SparseToDense")
    default = jnp.asarray(
        0 if default_value is None else convert_to_tensor(default_value, dtype=sp.dtype)._value, sp.values._value.dtype
    )
    return dispatch(_to_dense_pure, sp.indices, sp.values, default, shape=shape)


def from_dense(tensor: Any, name: str | None = None) -> SparseTensor:
    """`tf.sparse.from_dense`: a SparseTensor of the non-zero entries of `tensor`, in row-major order."""
    from jaxport.ops.array_ops import gather_nd

    t = convert_to_tensor(tensor)
    host = _host(t)
    if host is None:
        raise errors.InvalidArgumentError(
            None, None, "tf.sparse.from_dense: jaxport finds the non-zero entries on the host"
        )
    indices = np.argwhere(host != (b"" if host.dtype == object else 0)).astype(np.int64)
    values = gather_nd(t, _tensor(indices))
    return SparseTensor._from_parts(_tensor(indices), values, tuple(int(d) for d in host.shape))


# -- products and reductions ----------------------------------------------------------------


@pure_op("SparseTensorDenseMatMul")
def _matmul_pure(values, indices, b, shape, adjoint_a, adjoint_b):
    a = jsparse.BCOO((values, indices), shape=shape)
    if adjoint_a:
        a = a.T
        if jnp.iscomplexobj(values):
            a = jsparse.BCOO((jnp.conj(a.data), a.indices), shape=a.shape)
    if adjoint_b:
        b = jnp.conj(b.T) if jnp.iscomplexobj(b) else b.T
    return a @ b


def sparse_dense_matmul(
    sp_a: Any, b: Any, adjoint_a: bool = False, adjoint_b: bool = False, name: str | None = None
) -> Tensor:
    """`tf.sparse.sparse_dense_matmul`: `op(sp_a) @ op(b)` (op: adjoint when asked); either argument
    may be the SparseTensor. Differentiable w.r.t. the sparse values and the dense matrix.

    Raises:
      InvalidArgumentError: inner dimensions that do not match (TF's message).
    """
    from jaxport.ops.array_ops import transpose

    if not isinstance(sp_a, SparseTensor) and isinstance(b, SparseTensor):
        # op(A) @ op(B) = (op(B)^T @ op(A)^T)^T, with B the sparse operand (real values)
        a = convert_to_tensor(sp_a)
        return transpose(sparse_dense_matmul(b, a if adjoint_a else transpose(a), adjoint_a=not adjoint_b))
    sp = _check_sparse(sp_a, "sp_a")
    dense = convert_to_tensor(b)
    if len(sp._dense_shape) != 2 or dense.shape.rank != 2:
        raise ValueError(f"sparse_dense_matmul takes rank-2 operands; got {list(sp._dense_shape)} and {dense.shape}")
    inner_a = sp._dense_shape[0 if adjoint_a else 1]
    inner_b = int(dense.shape[1 if adjoint_b else 0])
    if inner_a != inner_b:
        rows, cols = sp._dense_shape
        raise _op_error(
            f"Cannot multiply A and B because inner dimension does not match: {inner_a} vs. {inner_b}.  Did you "
            f"forget a transpose?  Dimensions of A: [{rows}, {cols}).  Dimensions of B: {_dims(dense.shape)}",
            "SparseTensorDenseMatMul",
        )
    if sp.dtype != dense.dtype:
        raise _op_error(
            f"cannot compute SparseTensorDenseMatMul as input #2(zero-based) was expected to be a {sp.dtype.name} "
            f"tensor but is a {dense.dtype.name} tensor",
            "SparseTensorDenseMatMul",
        )
    return dispatch(
        _matmul_pure,
        sp.values,
        sp.indices,
        dense,
        shape=sp._dense_shape,
        adjoint_a=bool(adjoint_a),
        adjoint_b=bool(adjoint_b),
    )


@pure_op("SparseSegmentSum")
def _segment_sum_pure(values, segment_ids, num_segments):
    return jax.ops.segment_sum(values, segment_ids, num_segments)


def _axes(axis: Any, rank: int) -> list[int]:
    items = axis.numpy().tolist() if isinstance(axis, Tensor) else axis
    items = [items] if isinstance(items, (int, np.integer)) else list(items)
    out = []
    for a in items:
        if not -rank <= int(a) < rank:
            raise _op_error(f"Invalid reduction dimension {a}, for input with {rank} dimensions.", "SparseReduceSum")
        out.append(int(a) % rank)
    return sorted(set(out))


def reduce_sum(
    sp_input: Any, axis: Any = None, keepdims: Any = None, output_is_sparse: bool = False, name: str | None = None
) -> Any:
    """`tf.sparse.reduce_sum`: the sum over `axis` (all axes when None) as a dense Tensor, or a
    SparseTensor holding one entry per group that had entries with `output_is_sparse`."""
    sp = _check_sparse(sp_input, "sp_input")
    rank = len(sp._dense_shape)
    reduced = list(range(rank)) if axis is None else _axes(axis, rank)
    kept = [d for d in range(rank) if d not in reduced]
    if not kept and not output_is_sparse:
        from jaxport.ops.reduction_ops import reduce_sum as _dense_sum

        total = _dense_sum(sp.values)
        if keepdims:
            from jaxport.ops.array_ops import reshape as _reshape

            return _reshape(total, [1] * rank)
        return total
    indices = _eager_indices(sp, "SparseReduceSum")
    groups, inverse = np.unique(indices[:, kept], axis=0, return_inverse=True)
    groups = groups.reshape(-1, len(kept)).astype(np.int64)
    sums = dispatch(
        _segment_sum_pure, sp.values, _tensor(inverse.reshape(-1).astype(np.int64)), num_segments=len(groups)
    )
    if keepdims:
        shape = tuple(1 if d in reduced else sp._dense_shape[d] for d in range(rank))
        full = np.zeros((len(groups), rank), np.int64)
        full[:, kept] = groups
        groups = full
    else:
        shape = tuple(sp._dense_shape[d] for d in kept)
    if output_is_sparse:
        return SparseTensor._from_parts(_tensor(groups), sums, shape)
    zero = jnp.zeros((), sp.values._value.dtype)
    return dispatch(_to_dense_pure, _tensor(groups), sums, zero, shape=shape)


# -- rearranging ------------------------------------------------------------------------------


def _take(sp: SparseTensor, order: np.ndarray, indices: np.ndarray, shape: tuple) -> SparseTensor:
    from jaxport.ops.array_ops import gather

    values = gather(sp.values, _tensor(order.astype(np.int64)))
    return SparseTensor._from_parts(_tensor(indices.astype(np.int64).reshape(-1, len(shape))), values, shape)


def _row_major_order(indices: np.ndarray) -> np.ndarray:
    return np.lexsort(indices.T[::-1]) if indices.size else np.zeros((0,), np.int64)


def reorder(sp_input: Any, name: str | None = None) -> SparseTensor:
    """`tf.sparse.reorder`: the entries in row-major (canonical) order."""
    sp = _check_sparse(sp_input, "sp_input")
    indices = _eager_indices(sp, "SparseReorder")
    order = _row_major_order(indices)
    return _take(sp, order, indices[order], sp._dense_shape)


def transpose(sp_input: Any, perm: Any = None, name: str | None = None) -> SparseTensor:
    """`tf.sparse.transpose`: dimensions permuted by `perm` (reversed when None), entries reordered."""
    sp = _check_sparse(sp_input, "sp_input")
    rank = len(sp._dense_shape)
    perm = (
        list(range(rank))[::-1]
        if perm is None
        else [int(p) for p in (perm.numpy() if isinstance(perm, Tensor) else perm)]
    )
    if sorted(perm) != list(range(rank)):
        raise _op_error(f"transpose expects a permutation of 0..{rank - 1}; got {perm}", "Transpose")
    indices = _eager_indices(sp, "SparseTranspose")[:, perm]
    order = _row_major_order(indices)
    return _take(sp, order, indices[order], tuple(sp._dense_shape[p] for p in perm))


def reshape(sp_input: Any, shape: Any, name: str | None = None) -> SparseTensor:
    """`tf.sparse.reshape`: the same entries in a dense shape of the same size (one -1 inferred).

    Raises:
      InvalidArgumentError: a shape of another size, or more than one -1.
    """
    sp = _check_sparse(sp_input, "sp_input")
    wanted = [int(d) for d in (shape.numpy() if isinstance(shape, Tensor) else shape)]
    size = int(np.prod(sp._dense_shape, dtype=np.int64))
    if wanted.count(-1) > 1:
        raise _op_error("only one output dimension may be -1, not both 0 and 1", "SparseReshape")
    known = int(np.prod([d for d in wanted if d != -1], dtype=np.int64))
    if -1 in wanted:
        if known == 0 or size % known:
            raise _op_error(
                f"Input to reshape is a SparseTensor with {size} dense values, but the requested shape requires a "
                f"multiple of {known}. input_shape={_dims(sp._dense_shape)} output_shape={_dims(wanted)}",
                "SparseReshape",
            )
        wanted[wanted.index(-1)] = size // known
    elif known != size:
        raise _op_error(
            f"Input to reshape is a tensor with {size} dense values, but the requested shape has {known}. "
            f"input_shape={_dims(sp._dense_shape)} output_shape={_dims(wanted)}",
            "SparseReshape",
        )
    indices = _eager_indices(sp, "SparseReshape")
    linear = np.ravel_multi_index(tuple(indices.T), sp._dense_shape) if indices.size else np.zeros((0,), np.int64)
    new_indices = np.stack(np.unravel_index(linear, wanted), axis=1) if len(linear) else np.zeros((0, len(wanted)))
    return SparseTensor._from_parts(_tensor(new_indices.astype(np.int64)), sp.values, tuple(wanted))


def slice(sp_input: Any, start: Any, size: Any, name: str | None = None) -> SparseTensor:  # noqa: A001
    """`tf.sparse.slice`: the entries inside [start, start + size), re-based at `start`."""
    sp = _check_sparse(sp_input, "sp_input")
    begin = np.asarray(start.numpy() if isinstance(start, Tensor) else start, np.int64)
    extent = np.asarray(size.numpy() if isinstance(size, Tensor) else size, np.int64)
    indices = _eager_indices(sp, "SparseSlice")
    keep = np.all((indices >= begin) & (indices < begin + extent), axis=1)
    order = np.nonzero(keep)[0]
    shape = tuple(int(d) for d in np.maximum(np.minimum(extent, np.asarray(sp._dense_shape) - begin), 0))
    return _take(sp, order, indices[order] - begin, shape)


def retain(sp_input: Any, to_retain: Any) -> SparseTensor:
    """`tf.sparse.retain`: the entries where the boolean vector `to_retain` is True."""
    sp = _check_sparse(sp_input, "sp_input")
    mask = np.asarray(to_retain.numpy() if isinstance(to_retain, Tensor) else to_retain, bool).reshape(-1)
    if mask.shape[0] != int(sp.values.shape[0]):
        raise ValueError(f"Dimensions {mask.shape[0]} and {int(sp.values.shape[0])} are not compatible")
    indices = _eager_indices(sp, "SparseRetain")
    order = np.nonzero(mask)[0]
    return _take(sp, order, indices[order], sp._dense_shape)


def to_indicator(sp_input: Any, vocab_size: int, name: str | None = None) -> Tensor:
    """`tf.sparse.to_indicator`: a dense bool Tensor [..., vocab_size], True at each entry's (row, value)."""
    sp = _check_sparse(sp_input, "sp_input")
    indices = _eager_indices(sp, "SparseToIndicator")
    ids = _host(sp.values)
    out = np.zeros(tuple(sp._dense_shape[:-1]) + (int(vocab_size),), bool)
    for index, value in zip(indices, ids.reshape(-1)):
        if not 0 <= int(value) < int(vocab_size):
            raise _op_error(f"Value {int(value)} is out of range [0, {int(vocab_size)})", "SparseToDense")
        out[tuple(index[:-1]) + (int(value),)] = True
    return _tensor(out)


# -- combining ------------------------------------------------------------------------------


def _check_same_shape(a: SparseTensor, b: SparseTensor, op_name: str) -> None:
    if len(a._dense_shape) != len(b._dense_shape):
        raise _op_error(
            f"Operands do not have the same ranks; got shapes: {_dims(a._dense_shape)} and {_dims(b._dense_shape)}",
            op_name,
        )
    for dim, (x, y) in enumerate(zip(a._dense_shape, b._dense_shape)):
        if x != y:
            raise _op_error(f"Operands' shapes do not match: got {x} and {y} for dimension {dim}", op_name)


def _union(a: SparseTensor, b: SparseTensor, op_name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sorted union of both index sets and where each operand's entries go in it."""
    ia, ib = _eager_indices(a, op_name), _eager_indices(b, op_name)
    union, inverse = np.unique(np.concatenate([ia, ib]), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    return union.reshape(-1, len(a._dense_shape)), inverse[: len(ia)], inverse[len(ia) :]


@pure_op("SparseAdd")
def _combine_pure(va, vb, where_a, where_b, size, kind):
    zeros = jnp.zeros((size,), jnp.result_type(va, vb))
    if kind == "add":
        return zeros.at[where_a].add(va).at[where_b].add(vb)
    a, b = zeros.at[where_a].set(va), zeros.at[where_b].set(vb)
    return jnp.maximum(a, b) if kind == "maximum" else jnp.minimum(a, b)


def _combine(a: SparseTensor, b: SparseTensor, kind: str, op_name: str) -> SparseTensor:
    _check_same_shape(a, b, op_name)
    union, where_a, where_b = _union(a, b, op_name)
    values = dispatch(_combine_pure, a.values, b.values, _tensor(where_a), _tensor(where_b), size=len(union), kind=kind)
    return SparseTensor._from_parts(_tensor(union.astype(np.int64)), values, a._dense_shape)


def add(a: Any, b: Any, threshold: Any = 0) -> Any:
    """`tf.sparse.add`: sparse + sparse is a SparseTensor over the union of entries (sums with
    magnitude below `threshold` dropped); sparse + dense is a dense Tensor.

    Raises:
      InvalidArgumentError: operands of different dense shapes.
    """
    if not isinstance(a, SparseTensor) or not isinstance(b, SparseTensor):
        sparse, dense = (a, b) if isinstance(a, SparseTensor) else (b, a)
        dense = convert_to_tensor(dense)
        if tuple(int(d) for d in dense.shape) != sparse._dense_shape:
            raise _op_error(
                f"Dimensions of operands do not match: {_dims(sparse._dense_shape)} vs. {_dims(dense.shape)}",
                "SparseTensorDenseAdd",
            )
        return to_dense(sparse, validate_indices=False) + dense
    out = _combine(a, b, "add", "SparseAdd")
    limit = float(np.asarray(threshold.numpy() if isinstance(threshold, Tensor) else threshold))
    if limit > 0:
        keep = np.nonzero(np.abs(_host(out.values)) >= limit)[0]
        return _take(out, keep, _host(out.indices)[keep], out._dense_shape)
    return out


def maximum(sp_a: Any, sp_b: Any, name: str | None = None) -> SparseTensor:
    """`tf.sparse.maximum`: elementwise maximum over the union of entries (missing entries are 0)."""
    return _combine(_check_sparse(sp_a, "sp_a"), _check_sparse(sp_b, "sp_b"), "maximum", "SparseSparseMaximum")


def minimum(sp_a: Any, sp_b: Any, name: str | None = None) -> SparseTensor:
    """`tf.sparse.minimum`: elementwise minimum over the union of entries (missing entries are 0)."""
    return _combine(_check_sparse(sp_a, "sp_a"), _check_sparse(sp_b, "sp_b"), "minimum", "SparseSparseMinimum")


def map_values(op: Callable, *args: Any, **kwargs: Any) -> SparseTensor:
    """`tf.sparse.map_values`: `op` applied to the values of the SparseTensor arguments (same indices).

    Raises:
      ValueError: no SparseTensor argument, or SparseTensors with different indices or shapes.
    """
    found: list[SparseTensor] = []

    def unwrap(value: Any) -> Any:
        if isinstance(value, SparseTensor):
            found.append(value)
            return value.values
        return value

    new_args = [unwrap(a) for a in args]
    new_kwargs = {k: unwrap(v) for k, v in kwargs.items()}
    if not found:
        raise ValueError("No SparseTensor in argument list of map_values")
    first = found[0]
    for other in found[1:]:
        same = other._dense_shape == first._dense_shape and np.array_equal(_host(other.indices), _host(first.indices))
        if not same:
            raise ValueError("SparseTensors passed to map_values must have the same indices and dense_shape")
    return first.with_values(op(*new_args, **new_kwargs))


def sparse_dense_cwise(sp: SparseTensor, dense: Any, kind: str) -> SparseTensor:
    """TF's SparseDenseCwiseMul/Div: each entry combined with the dense value at its index, the
    dense operand broadcast to the dense shape.

    Raises:
      InvalidArgumentError: a dense operand that does not broadcast to the sparse shape.
    """
    from jaxport.ops.array_ops import broadcast_to, gather_nd
    from jaxport.ops.math_ops import multiply, truediv

    op_name = "SparseDenseCwiseMul" if kind == "mul" else "SparseDenseCwiseDiv"
    other = dense if isinstance(dense, Tensor) else convert_to_tensor(dense, dtype=sp.dtype)
    combine = multiply if kind == "mul" else truediv
    if other.shape.rank == 0:
        return sp.with_values(combine(sp.values, other))
    try:
        np.broadcast_shapes(tuple(int(d) for d in other.shape), sp._dense_shape)
    except ValueError:
        raise _op_error(
            f"SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible shapes: "
            f"{_dims(sp._dense_shape)} vs. {_dims(other.shape)}",
            op_name,
        ) from None
    at_entries = gather_nd(broadcast_to(other, list(sp._dense_shape)), sp.indices)
    return sp.with_values(combine(sp.values, at_entries))


def concat(axis: int, sp_inputs: Any, expand_nonconcat_dims: bool = False, name: str | None = None) -> SparseTensor:
    """`tf.sparse.concat`: SparseTensors joined along `axis` (other dims equal, or the largest with
    `expand_nonconcat_dims`), entries in row-major order.

    Raises:
      InvalidArgumentError: inputs of different ranks or, without `expand_nonconcat_dims`, other dims.
    """
    from jaxport.ops.array_ops import concat as dense_concat

    items = [_check_sparse(sp, "sp_inputs") for sp in sp_inputs]
    rank = len(items[0]._dense_shape)
    if not -rank <= axis < rank:
        raise _op_error(f"Concat dimension is out of range: {axis} vs. rank {rank}", "SparseConcat")
    axis %= rank
    shape = list(items[0]._dense_shape)
    for i, sp in enumerate(items[1:], 1):
        other = sp._dense_shape
        if len(other) != rank:
            raise _op_error(
                f"Ranks of all input tensors must match: expected {rank} but got {len(other)} at position {i}",
                "SparseConcat",
            )
        for d in range(rank):
            if d != axis and other[d] != shape[d] and not expand_nonconcat_dims:
                raise _op_error(
                    f"Input shapes must match: expected {shape[d]} for dimension {d} but got {other[d]} "
                    f"at position {i}",
                    "SparseConcat",
                )
    if expand_nonconcat_dims:
        shape = [max(sp._dense_shape[d] for sp in items) for d in range(rank)]
    parts, offset = [], 0
    for sp in items:
        moved = _eager_indices(sp, "SparseConcat").copy()
        moved[:, axis] += offset
        parts.append(moved)
        offset += sp._dense_shape[axis]
    shape[axis] = offset
    indices = np.concatenate(parts).astype(np.int64)
    values = dense_concat([sp.values for sp in items], 0)
    joined = SparseTensor._from_parts(_tensor(indices), values, tuple(shape))
    order = _row_major_order(indices)
    return _take(joined, order, indices[order], tuple(shape))


def expand_dims(sp_input: Any, axis: int | None = None, name: str | None = None) -> SparseTensor:
    """`tf.sparse.expand_dims`: a dimension of size 1 inserted at `axis` (-1: last)."""
    sp = _check_sparse(sp_input, "sp_input")
    rank = len(sp._dense_shape)
    axis = -1 if axis is None else int(axis)
    if not -rank - 1 <= axis <= rank:
        raise _op_error(f"Tried to expand dim index {axis} for tensor with {rank} dimensions.", "ExpandDims")
    axis = axis % (rank + 1)
    indices = np.insert(_eager_indices(sp, "ExpandDims"), axis, 0, axis=1)
    shape = list(sp._dense_shape)
    shape.insert(axis, 1)
    return SparseTensor._from_parts(_tensor(indices.astype(np.int64)), sp.values, tuple(shape))


def eye(num_rows: int, num_columns: int | None = None, dtype: Any = "float32", name: str | None = None) -> SparseTensor:
    """`tf.sparse.eye`: the identity (ones on the main diagonal) as a SparseTensor."""
    from jaxport import dtypes as _dtypes

    rows = int(num_rows)
    cols = rows if num_columns is None else int(num_columns)
    diagonal = np.arange(min(rows, cols), dtype=np.int64)
    values = _tensor(np.ones(diagonal.shape, _dtypes.as_dtype(dtype)._np))
    return SparseTensor._from_parts(_tensor(np.stack([diagonal, diagonal], axis=1)), values, (rows, cols))


def fill_empty_rows(sp_input: Any, default_value: Any, name: str | None = None) -> tuple[SparseTensor, Tensor]:
    """`tf.sparse.fill_empty_rows`: an entry `default_value` at column 0 of every row without
    entries; returns the new SparseTensor (row-major order) and the bool vector of empty rows."""
    from jaxport.ops.array_ops import concat as dense_concat
    from jaxport.ops.array_ops import fill

    sp = _check_sparse(sp_input, "sp_input")
    indices = _eager_indices(sp, "SparseFillEmptyRows")
    nrows = sp._dense_shape[0]
    empty = np.ones((nrows,), bool)
    empty[indices[:, 0]] = False
    added = np.zeros((int(empty.sum()), len(sp._dense_shape)), np.int64)
    added[:, 0] = np.nonzero(empty)[0]
    default = convert_to_tensor(default_value, dtype=sp.dtype)
    values = dense_concat([sp.values, fill([len(added)], default)], 0)
    all_indices = np.concatenate([indices, added]).astype(np.int64)
    order = _row_major_order(all_indices)
    joined = SparseTensor._from_parts(_tensor(all_indices), values, sp._dense_shape)
    return _take(joined, order, all_indices[order], sp._dense_shape), _tensor(empty)
