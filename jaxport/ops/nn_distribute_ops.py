"""`tf.nn.compute_average_loss` and `tf.nn.scale_regularization_loss`: the losses of a custom
training loop scaled so that the replicas' gradients, summed by the all-reduce, give the
gradient of the global mean (TF's `nn_impl_distribute`)."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.eager import Tensor, convert_to_tensor, dispatch
from jaxport.ops import math_ops, reduction_ops
from jaxport.ops._helpers import shape_of
from jaxport.strategy_context import get_strategy, has_strategy, in_cross_replica_context


def _require_replica_context(name: str) -> None:
    if has_strategy() and in_cross_replica_context():
        raise RuntimeError(
            f"You are calling `{name}` in cross replica context, while it was expected to be called in replica context."
        )


def _weight_like_losses(losses: Tensor, weights: Tensor) -> Tensor:
    """Keras's squeeze-or-expand of sample weights: one rank apart from the losses, the last
    dim is squeezed from or added to the weights (then broadcast by the multiply)."""
    rank, weight_rank = losses.ndim, weights.ndim
    if weight_rank == 0:
        return weights
    from jaxport.ops import array_ops

    if weight_rank - rank == 1:
        return array_ops.squeeze(weights, [-1])
    if rank - weight_rank == 1:
        return array_ops.expand_dims(weights, -1)
    return weights


def _div_no_nan_pure(x, y):
    if jnp.issubdtype(x.dtype, jnp.integer):  # TF's int / int is float64
        x, y = x.astype(jnp.float64), y.astype(jnp.float64)
    return jnp.where(y == 0, jnp.zeros_like(x), x / jnp.where(y == 0, jnp.ones_like(y), y))


_div_no_nan_pure.tf_op_name = "DivNoNan"


def compute_average_loss(
    per_example_loss: Any, sample_weight: Any = None, global_batch_size: int | Any | None = None
) -> Tensor:
    """`tf.nn.compute_average_loss`: sum(per_example_loss * sample_weight) / global_batch_size.

    Without `global_batch_size`, it is the local batch (the first dim) times the replicas in
    sync, so that the replicas' results add up to the global mean; a global batch of 0 gives 0
    (`div_no_nan`). Weights one rank below the losses are broadcast along the last axis.

    Raises:
      ValueError: a rank-0 `per_example_loss` (TF: "Expected a tensor with at least rank 1").
      TypeError: a non-integer `global_batch_size`.
      InvalidArgumentError: a negative `global_batch_size`.
      RuntimeError: called in a strategy's cross-replica context without `global_batch_size`.
    """
    loss = convert_to_tensor(per_example_loss)
    input_dtype = loss.dtype
    if loss.ndim == 0:
        raise ValueError(
            "Invalid value passed for `per_example_loss`. Expected a tensor with at least rank 1. "
            f"Received per_example_loss={loss} with rank 0"
        )
    if sample_weight is not None:
        weights = convert_to_tensor(sample_weight)
        # TF multiplies in float32, then casts back to the losses' dtype
        scaled = math_ops.multiply(
            math_ops.cast(loss, _dtypes.float32), _weight_like_losses(loss, math_ops.cast(weights, _dtypes.float32))
        )
        loss = math_ops.cast(scaled, input_dtype)
    if global_batch_size is None:
        _require_replica_context("compute_average_loss")
        global_batch_size = shape_of(loss)[0] * get_strategy().num_replicas_in_sync  # may be symbolic
    else:
        size = global_batch_size._value if isinstance(global_batch_size, Tensor) else global_batch_size
        kind = np.asarray(size).dtype.kind if not hasattr(size, "dtype") else np.dtype(size.dtype).kind
        if jnp.ndim(size) != 0:
            raise errors.InvalidArgumentError(None, None, "global_batch_size must be scalar.")
        if kind not in "iu":
            raise TypeError(
                'global_batch_size must be an integer..  Expected "x" to be integer type.  Found: '
                f"tensor of dtype <dtype: '{'float32' if isinstance(size, float) else np.asarray(size).dtype.name}'> "
                f"(global_batch_size={size!r})"
            )
        if isinstance(size, (int, np.integer)) and size < 0:
            raise errors.InvalidArgumentError(
                None, None, f"global_batch_size must be non-negative..  Condition x >= 0 did not hold: x = {size}"
            )
    total = reduction_ops.reduce_sum(loss)
    size = global_batch_size._value if isinstance(global_batch_size, Tensor) else global_batch_size
    denominator = Tensor(jnp.asarray(size).astype(input_dtype._np))  # a symbolic size stays symbolic
    return dispatch(_div_no_nan_pure, total, denominator)


def scale_regularization_loss(regularization_loss: Any) -> Tensor:
    """`tf.nn.scale_regularization_loss`: sum(regularization_loss) / replicas in sync, so that
    the replicas' summed gradients count it once.

    Raises:
      RuntimeError: called in a strategy's cross-replica context (TF's message).
    """
    _require_replica_context("scale_regularization_loss")
    total = reduction_ops.reduce_sum(convert_to_tensor(regularization_loss))
    return math_ops.divide(total, get_strategy().num_replicas_in_sync)
