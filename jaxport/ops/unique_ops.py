"""`tf.unique` and `tf.unique_with_counts`: the distinct values of a vector in order of first
appearance, each element's position among them, and (with counts) how often each occurs.

The output size depends on the data, which XLA cannot compile, so these run eagerly only
(inside `tf.function` they raise NotImplementedError, naming the alternative). TF registers
no gradient for Unique: a tape watching `x` records it, and a gradient reaching `y` raises
TF's LookupError.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.eager import Tensor, dispatch
from jaxport.grad import is_watched
from jaxport.ops._gradients import no_registered_gradient
from jaxport.ops._helpers import as_input, concrete, op_error, pure_op, tf_type_name

__all__ = ["unique", "unique_with_counts", "Unique", "UniqueWithCounts"]

Unique = namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def _unique(x: Any, out_idx: Any, op_name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = as_input(x)
    index_type = _dtypes.as_dtype(out_idx)
    if index_type.name not in ("int32", "int64"):
        raise op_error(
            f"Value for attr 'out_idx' of {tf_type_name(index_type)} is not in the list of allowed values: "
            "int32, int64",
            op_name,
        )
    if t.ndim != 1:
        raise op_error("unique expects a 1D vector.", op_name)
    values = concrete(t)
    if values is None:
        raise NotImplementedError(
            f"tf.{'unique' if op_name == 'Unique' else 'unique_with_counts'} has an output shape that depends on "
            "the data, which XLA cannot compile: jaxport runs it eagerly only."
        )
    # NaNs are all distinct, as in TF's hash table (numpy would merge them)
    _, first, inverse, counts = np.unique(
        values, return_index=True, return_inverse=True, return_counts=True, equal_nan=False
    )
    order = np.argsort(first, kind="stable")  # distinct values in order of first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    y = values[first[order]]
    idx = rank[inverse.reshape(-1)].astype(index_type._np)
    return y, idx, counts[order].astype(index_type._np)


@no_registered_gradient
@pure_op("Unique")
def _unique_recorded(x, y):
    return y


@no_registered_gradient
@pure_op("UniqueWithCounts")
def _unique_with_counts_recorded(x, y):
    return y


def _values(x: Any, y: np.ndarray, recorded: Any) -> Tensor:
    """`y` as a Tensor; recorded (without gradient) on the tapes watching `x`."""
    t = as_input(x)
    return dispatch(recorded, t, jnp.asarray(y)) if is_watched(t) else Tensor(jnp.asarray(y))


def unique(x: Any, out_idx: Any = "int32", name: str | None = None) -> Unique:
    """`tf.unique`: `(y, idx)` with `y` the distinct values of the vector `x` in order of first
    appearance and `x == tf.gather(y, idx)`.

    Raises:
      InvalidArgumentError: `x` not 1-D, or `out_idx` other than int32/int64.
    """
    y, idx, _ = _unique(x, out_idx, "Unique")
    return Unique(_values(x, y, _unique_recorded), Tensor(jnp.asarray(idx)))


def unique_with_counts(x: Any, out_idx: Any = "int32", name: str | None = None) -> UniqueWithCounts:
    """`tf.unique_with_counts`: `unique`'s `(y, idx)` and the `count` of each value in `x`
    (of dtype `out_idx`)."""
    y, idx, count = _unique(x, out_idx, "UniqueWithCounts")
    y_tensor = _values(x, y, _unique_with_counts_recorded)
    return UniqueWithCounts(y_tensor, Tensor(jnp.asarray(idx)), Tensor(jnp.asarray(count)))
