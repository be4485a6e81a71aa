"""`tf.ragged.range`, `tf.ragged.boolean_mask` and `tf.ragged.stack`."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.composite_tensor import host_constant
from jaxport.eager import Tensor, convert_to_tensor
from jaxport.ragged.ragged_tensor import RaggedTensor, _host


def _row_tensor(value: Any, dtype: Any) -> np.ndarray:
    t = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype=dtype)
    return np.asarray(_host(t)).reshape(-1) if t.shape.rank else np.asarray(_host(t)).reshape(())


def range(  # noqa: A001 - TF's name
    starts: Any,
    limits: Any = None,
    deltas: Any = 1,
    dtype: Any = None,
    name: str | None = None,
    row_splits_dtype: Any = "int64",
) -> RaggedTensor:
    """`tf.ragged.range`: row i is `range(starts[i], limits[i], deltas[i])` (scalars broadcast).

    Raises:
      InvalidArgumentError: a zero delta, or arguments of different lengths.
    """
    if limits is None:
        starts, limits = 0, starts
    if dtype is None:
        kinds = [convert_to_tensor(v).dtype for v in (starts, limits, deltas)]
        dtype = next((k for k in kinds if k.is_floating), kinds[1] if kinds[1].is_integer else _dtypes.int32)
    np_dtype = _dtypes.as_dtype(dtype)._np
    parts = [_row_tensor(v, dtype) for v in (starts, limits, deltas)]
    try:
        starts_np, limits_np, deltas_np = np.broadcast_arrays(*parts)
    except ValueError:
        raise errors.InvalidArgumentError(
            None, None, "starts, limits, and deltas must have the same shape [Op:RaggedRange]"
        ) from None
    if (deltas_np == 0).any():
        raise errors.InvalidArgumentError(None, None, "Requires delta != 0 [Op:RaggedRange]")
    rows = [
        np.arange(start, limit, delta, dtype=np_dtype)
        for start, limit, delta in zip(starts_np.reshape(-1), limits_np.reshape(-1), deltas_np.reshape(-1))
    ]
    lengths = np.asarray([len(r) for r in rows], np.int64)
    flat = np.concatenate(rows) if rows else np.zeros((0,), np_dtype)
    splits = np.concatenate([[0], np.cumsum(lengths)]).astype(_dtypes.as_dtype(row_splits_dtype)._np)
    return RaggedTensor._from_parts(host_constant(flat.astype(np_dtype)), host_constant(splits))


def boolean_mask(data: Any, mask: Any, name: str | None = None) -> Any:
    """`tf.ragged.boolean_mask`: the items of `data` where `mask` is True, rows kept (a rank-2 dense
    `data` gives a RaggedTensor; a RaggedTensor needs a ragged mask of the same rows).

    Raises:
      ValueError: a mask whose shape or row partition differs from the data's.
    """
    from jaxport.ops.array_ops import boolean_mask as dense_boolean_mask

    if isinstance(data, RaggedTensor):
        if not isinstance(mask, RaggedTensor) or data.ragged_rank != 1 or mask.ragged_rank != 1:
            raise ValueError("jaxport's tf.ragged.boolean_mask of a RaggedTensor takes a ragged mask (ragged_rank 1)")
        if not np.array_equal(data._splits_host(), mask._splits_host()):
            raise ValueError("The mask's row partition must match the data's")
        keep = np.asarray(_host(mask.flat_values), bool)
        nrows = int(data._row_splits.shape[0]) - 1
        lengths = np.bincount(data._rowids_host()[keep], minlength=nrows).astype(np.int64)
        values = dense_boolean_mask(data.flat_values, mask.flat_values)
        return RaggedTensor.from_row_lengths(values, lengths, validate=False)
    t = convert_to_tensor(data)
    m = np.asarray(_host(convert_to_tensor(mask)), bool)
    if t.shape.rank == 1:
        return dense_boolean_mask(t, host_constant(m))
    if t.shape.rank != 2 or tuple(m.shape) != tuple(int(d) for d in t.shape):
        raise ValueError(
            f"jaxport's tf.ragged.boolean_mask takes rank-2 data with a mask of its shape; got {t.shape} and {m.shape}"
        )
    values = dense_boolean_mask(t, host_constant(m))
    return RaggedTensor.from_row_lengths(values, m.sum(axis=1).astype(np.int64), validate=False)


def stack(values: Any, axis: int = 0, name: str | None = None) -> RaggedTensor:
    """`tf.ragged.stack` along axis 0: the inputs (RaggedTensors or dense rows) as the rows of a
    RaggedTensor with one more ragged dimension."""
    from jaxport.ragged.ragged_ops import concat

    if axis != 0:
        raise ValueError(f"jaxport's tf.ragged.stack stacks along axis 0; got axis={axis}")
    items = [v if isinstance(v, RaggedTensor) else RaggedTensor.from_tensor(convert_to_tensor(v)) for v in values]
    joined = concat(items, 0)
    counts = np.asarray([int(v._row_splits.shape[0]) - 1 for v in items], np.int64)
    splits = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return RaggedTensor._from_parts(joined, host_constant(splits))
