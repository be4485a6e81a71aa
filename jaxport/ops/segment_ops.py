"""Segment reductions: `tf.math.segment_sum/mean/max/min/prod` (sorted ids) and
`tf.math.unsorted_segment_sum/mean/max/min/prod/sqrt_n`, on `jax.ops.segment_*`.

TF's conventions: an empty segment gives 0 for sum/mean/sqrt_n and 1 for prod; for max/min
it gives 0 in the sorted ops and, in the unsorted ones, the dtype's lowest finite value
(max) or its highest (min); negative ids of the unsorted ops are
dropped. Gradients are TF's: max/min split the gradient evenly among ties, prod uses
`prod / x` (and the product of the other entries where x is 0).

The sorted ops need the ids' values for the number of segments, so inside `tf.function`
they run only on known ids; the unsorted ops compile (`num_segments` is static).
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport.eager import Tensor, dispatch
from jaxport.ops._helpers import (
    FLOATS_COMPLEX,
    as_input,
    check_dtype,
    concrete,
    dims_text,
    int_list,
    no_gradient,
    op_error,
    pure_op,
    shape_of,
    tf_type_name,
)

__all__ = [
    "segment_sum",
    "segment_mean",
    "segment_max",
    "segment_min",
    "segment_prod",
    "unsorted_segment_sum",
    "unsorted_segment_mean",
    "unsorted_segment_max",
    "unsorted_segment_min",
    "unsorted_segment_prod",
    "unsorted_segment_sqrt_n",
]


# -- pure reductions over flattened ids ----------------------------------------------------


def _lowest(dtype: Any) -> Any:
    return jnp.finfo(dtype).min if jnp.issubdtype(dtype, jnp.floating) else jnp.iinfo(dtype).min


def _highest(dtype: Any) -> Any:
    return jnp.finfo(dtype).max if jnp.issubdtype(dtype, jnp.floating) else jnp.iinfo(dtype).max


def _counts(ids, n, dtype):
    return jax.ops.segment_sum(jnp.ones(ids.shape, dtype), ids, n)


def _expand(values, ndim):
    return values.reshape(values.shape + (1,) * (ndim - values.ndim))


def _with_gradient(value, data, ids, n, partial):
    """`value`, differentiable with d value[s] / d data[i] = partial[i] for ids[i] == s (TF's
    gradient formulas for max/min/prod): adds `s - stop_gradient(s)`, exactly zero."""
    weighted = jax.ops.segment_sum(data * jax.lax.stop_gradient(partial), ids, n)
    frozen = jax.lax.stop_gradient(weighted)
    return jax.lax.stop_gradient(value) + jnp.where(jnp.isfinite(frozen), weighted - frozen, 0)


def _reduce(data, ids, n, kind, empty_zero):
    """Reduce `data` (leading axis matching the flat `ids`) into `n` segments."""
    if kind in ("sum", "mean", "sqrt_n"):
        total = jax.ops.segment_sum(data, ids, n)
        if kind == "sum":
            return total
        count = _expand(_counts(ids, n, data.dtype), data.ndim)
        if kind == "sqrt_n":
            return total / jnp.sqrt(jnp.maximum(count, 1))
        if jnp.issubdtype(data.dtype, jnp.integer):
            if not empty_zero:  # unsorted: TF's Python `sum / count`, a truediv (int32 -> float64)
                target = jnp.float32 if data.dtype.itemsize <= 2 else jnp.float64
                return total.astype(target) / jnp.maximum(count, 1).astype(target)
            return jax.lax.div(total, jnp.maximum(count, 1))  # the SegmentMean kernel truncates
        return total / jnp.maximum(count, 1)
    present = _expand(_counts(ids, n, jnp.int32), data.ndim) > 0
    if kind in ("max", "min"):
        segment_fn = jax.ops.segment_max if kind == "max" else jax.ops.segment_min
        value = segment_fn(jax.lax.stop_gradient(data), ids, n)
        empty = 0 if empty_zero else (_lowest(data.dtype) if kind == "max" else _highest(data.dtype))
        value = jnp.where(present, value, jnp.asarray(empty, data.dtype))
        if not jnp.issubdtype(data.dtype, jnp.inexact):
            return value
        safe_ids = jnp.clip(ids, 0, n - 1)
        selected = (data == value[safe_ids]) & _expand((ids >= 0) & (ids < n), data.ndim)
        ties = jax.ops.segment_sum(selected.astype(data.dtype), ids, n)
        partial = jnp.where(selected, 1 / jnp.maximum(ties, 1)[safe_ids], 0)
        return _with_gradient(value, data, ids, n, partial)
    value = jax.ops.segment_prod(jax.lax.stop_gradient(data), ids, n)  # kind == "prod"
    value = jnp.where(present, value, jnp.asarray(1, data.dtype))
    if not jnp.issubdtype(data.dtype, jnp.inexact):
        return value
    safe_ids = jnp.clip(ids, 0, n - 1)
    is_zero = data == 0
    zeros = jax.ops.segment_sum(is_zero.astype(jnp.int32), ids, n)
    nonzero_prod = jax.ops.segment_prod(jax.lax.stop_gradient(jnp.where(is_zero, 1, data)), ids, n)
    partial = jnp.where(is_zero, nonzero_prod[safe_ids], value[safe_ids] / jnp.where(is_zero, 1, data))
    partial = jnp.where(zeros[safe_ids] > 1, 0, partial)
    return _with_gradient(value, data, ids, n, partial)


@pure_op("SegmentReduction")
def _segment_pure(data, ids, num_segments, kind, empty_zero):
    flat = data.reshape((int(np.prod(ids.shape, dtype=np.int64)),) + data.shape[ids.ndim :])
    return _reduce(flat, ids.reshape(-1), num_segments, kind, empty_zero)


# -- argument checks ----------------------------------------------------------------------


def _ids_input(segment_ids: Any, op_name: str, allowed: tuple) -> Any:
    ids = as_input(segment_ids)
    if ids.dtype.name not in allowed:
        raise op_error(
            f"Value for attr 'Tindices' of {tf_type_name(ids.dtype)} is not in the list of allowed values: "
            + ", ".join(allowed),
            op_name,
        )
    return ids


_EXTREMUM_TYPES = "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64"
_SUM_TYPES = (
    "float, double, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, bfloat16, qint16, quint16, "
    "uint16, complex128, half, uint32, uint64"
)


def _check_data(x: Any, kind: str, op_name: str) -> None:
    if kind == "sqrt_n":
        check_dtype(x, "Sqrt", FLOATS_COMPLEX)
    check_dtype(x, op_name, _EXTREMUM_TYPES if kind in ("max", "min") else _SUM_TYPES)


def _sorted_segment(kind: str, op_name: str, data: Any, segment_ids: Any) -> Tensor:
    x = as_input(data)
    _check_data(x, kind, op_name)
    ids = _ids_input(segment_ids, op_name, ("int32", "int64"))
    if ids.ndim != 1:
        raise op_error(f"segment_ids should be a vector, got shape {dims_text(shape_of(ids))}", op_name)
    if x.ndim == 0 or shape_of(x)[0] != shape_of(ids)[0]:
        raise op_error("segment_ids should be the same size as dimension 0 of input.", op_name)
    values = concrete(ids)
    if values is None:
        raise NotImplementedError(
            f"tf.math.segment_{kind}'s output size depends on the values of "
            "`segment_ids`, which XLA cannot compile from a symbolic tensor: pass known ids, or use "
            "tf.math.unsorted_segment_* with `num_segments` inside tf.function."
        )
    values = values.astype(np.int64)
    n = int(values[-1]) + 1 if values.size else 0
    start = 0
    while start < len(values):  # TF's kernel order: each run of ids, then the next id, then the range
        segment = int(values[start])
        end = start
        while end < len(values) and values[end] == segment:
            end += 1
        if end < len(values) and values[end] < segment:
            raise op_error("segment ids are not increasing", op_name)
        if segment < 0 or segment >= n:
            raise op_error(
                f"Segment id {segment} out of range [0, {n}), possibly because 'segment_ids' input is not sorted.",
                op_name,
            )
        start = end
    return dispatch(_segment_pure, x, no_gradient(ids), num_segments=n, kind=kind, empty_zero=True)


def _unsorted_segment(kind: str, op_name: str, data: Any, segment_ids: Any, num_segments: Any) -> Tensor:
    x = as_input(data)
    _check_data(x, kind, op_name)
    ids = _ids_input(segment_ids, op_name, ("int16", "int32", "int64"))
    n = int_list(num_segments, "num_segments")[0]
    if n < 0:
        raise op_error(f"Input num_segments == {n} must not be negative.", op_name)
    if shape_of(x)[: ids.ndim] != shape_of(ids):
        raise op_error(
            f"data.shape = {dims_text(shape_of(x))} does not start with segment_ids.shape = {dims_text(shape_of(ids))}",
            op_name,
        )
    values = concrete(ids)
    if values is not None:
        bad = np.argwhere(values >= n)
        if len(bad):
            where = ",".join(str(i) for i in bad[0])
            raise op_error(f"segment_ids[{where}] = {values[tuple(bad[0])]} is out of range [0, {n})", op_name)
    return dispatch(_segment_pure, x, no_gradient(ids), num_segments=n, kind=kind, empty_zero=False)


# -- the TF ops ---------------------------------------------------------------------------


def segment_sum(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """`tf.math.segment_sum`: sums of the rows of `data` sharing a (sorted) segment id.

    The output has `segment_ids[-1] + 1` rows; segments with no rows are 0.

    Raises:
      InvalidArgumentError: ids not sorted, negative, non-integer, or not matching `data`'s
        first dimension.
    """
    return _sorted_segment("sum", "SegmentSum", data, segment_ids)


def segment_mean(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """`tf.math.segment_mean`: means per sorted segment (integer means truncate; empty: 0)."""
    return _sorted_segment("mean", "SegmentMean", data, segment_ids)


def segment_max(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """`tf.math.segment_max`: maxima per sorted segment (empty: 0; ties share the gradient)."""
    return _sorted_segment("max", "SegmentMax", data, segment_ids)


def segment_min(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """`tf.math.segment_min`: minima per sorted segment (empty: 0; ties share the gradient)."""
    return _sorted_segment("min", "SegmentMin", data, segment_ids)


def segment_prod(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """`tf.math.segment_prod`: products per sorted segment (empty: 1)."""
    return _sorted_segment("prod", "SegmentProd", data, segment_ids)


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """`tf.math.unsorted_segment_sum`: sums into `num_segments` rows by `segment_ids`
    (any order; ids may be multi-dimensional, matching `data`'s leading axes; negative ids
    are dropped).

    Raises:
      InvalidArgumentError: an id >= `num_segments`, a negative `num_segments`, or ids whose
        shape is not a prefix of `data`'s.
    """
    return _unsorted_segment("sum", "UnsortedSegmentSum", data, segment_ids, num_segments)


def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """`tf.math.unsorted_segment_mean`: means per segment (empty segments: 0)."""
    return _unsorted_segment("mean", "UnsortedSegmentSum", data, segment_ids, num_segments)


def unsorted_segment_sqrt_n(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """`tf.math.unsorted_segment_sqrt_n`: sums divided by sqrt(segment size) (empty: 0)."""
    return _unsorted_segment("sqrt_n", "UnsortedSegmentSum", data, segment_ids, num_segments)


def unsorted_segment_max(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """`tf.math.unsorted_segment_max`: maxima per segment; an empty segment is the dtype's lowest
    finite value (-3.4028235e38 for float32), as TF's kernel."""
    return _unsorted_segment("max", "UnsortedSegmentMax", data, segment_ids, num_segments)


def unsorted_segment_min(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """`tf.math.unsorted_segment_min`: minima per segment; an empty segment is the dtype's highest value."""
    return _unsorted_segment("min", "UnsortedSegmentMin", data, segment_ids, num_segments)


def unsorted_segment_prod(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """`tf.math.unsorted_segment_prod`: products per segment (empty segments: 1)."""
    return _unsorted_segment("prod", "UnsortedSegmentProd", data, segment_ids, num_segments)
