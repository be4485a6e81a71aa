"""How Keras 2 turns per-sample losses into the loss: `tf.keras.losses.Reduction`, the rank
alignment of labels, predictions and sample weights, masks, and the weighted reduction
(tf_keras's `losses_utils`).

SUM_OVER_BATCH_SIZE divides the weighted sum by the number of loss elements (not by the sum
of the sample weights), and gives 0 for an empty batch.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.ops import array_ops, math_ops
from jaxport.ops._helpers import as_input, check_broadcastable, dims_text, op_error, pure_op, shape_of


class Reduction:
    """`tf.keras.losses.Reduction`: how a Loss reduces its weighted per-sample values.

    AUTO means SUM_OVER_BATCH_SIZE (and, like it, raises inside `strategy.run`); NONE keeps the
    weighted values; SUM adds them; SUM_OVER_BATCH_SIZE divides their sum by their count.
    """

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls) -> tuple[str, ...]:
        """The four keys."""
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key: Any) -> None:
        """Raise TF's ValueError unless `key` is one of the four keys."""
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')


def _is_tensor(x: Any) -> bool:
    from jaxport.variables import Variable

    return isinstance(x, (Tensor, Variable))


def remove_squeezable_dimensions(labels: Any, predictions: Any) -> tuple[Any, Any]:
    """Squeeze the last axis (of size 1) of whichever of the two has rank one higher."""
    labels, predictions = as_input(labels), as_input(predictions)
    rank_diff = predictions.ndim - labels.ndim
    if rank_diff == 1 and shape_of(predictions)[-1] == 1:
        predictions = array_ops.squeeze(predictions, -1)
    elif rank_diff == -1 and shape_of(labels)[-1] == 1:
        labels = array_ops.squeeze(labels, -1)
    return labels, predictions


def squeeze_or_expand_dimensions(y_pred: Any, y_true: Any = None, sample_weight: Any = None) -> tuple:
    """tf_keras's rank alignment: squeeze a trailing size-1 axis of `y_pred` or `y_true` when
    their ranks differ by one; then squeeze or expand the last axis of `sample_weight` when its
    rank differs by one from `y_pred`'s (a scalar weight stays a scalar).

    Returns:
      `(y_pred, y_true)` without `sample_weight`, else `(y_pred, y_true, sample_weight)`.

    Raises:
      InvalidArgumentError: a weight with one axis more whose last size is not 1 (TF's Squeeze).
    """
    if y_true is not None:
        p_rank, t_rank = y_pred.ndim, y_true.ndim
        if p_rank - t_rank != 1 or shape_of(y_pred)[-1] == 1:
            y_true, y_pred = remove_squeezable_dimensions(y_true, y_pred)
    if sample_weight is None:
        return y_pred, y_true
    w_rank = sample_weight.ndim
    if w_rank == 0:
        return y_pred, y_true, sample_weight
    if w_rank - y_pred.ndim == 1:
        sample_weight = array_ops.squeeze(sample_weight, -1)
    elif y_pred.ndim - w_rank == 1:
        sample_weight = array_ops.expand_dims(sample_weight, -1)
    return y_pred, y_true, sample_weight


def squeeze_or_expand(y_pred: Any, y_true: Any) -> tuple[Any, Any]:
    """`squeeze_or_expand_dimensions(y_pred, y_true)` for Tensors: `(y_pred, y_true)` aligned."""
    return squeeze_or_expand_dimensions(as_input(y_pred), as_input(y_true))


@pure_op("Mul")
def _weighted_pure(losses, weights, reduction):
    weighted = losses * weights
    if reduction == Reduction.NONE:
        return weighted
    total = jnp.sum(weighted)
    if reduction == Reduction.SUM:
        return total
    # divide_no_nan by the element count: 0 for an empty batch
    return total / weighted.size if weighted.size else jnp.zeros_like(total)


def compute_weighted_loss(
    losses: Any, sample_weight: Any = None, reduction: str = Reduction.SUM_OVER_BATCH_SIZE
) -> Tensor:
    """Weight per-sample losses and reduce them (`tf.keras.__internal__.losses.compute_weighted_loss`).

    Args:
      losses: per-sample losses, shape `[batch, d1, ...]`.
      sample_weight: None, a scalar, or a tensor broadcastable to `losses` once its last axis
        is squeezed or expanded to `losses`' rank.
      reduction: a `Reduction` key (AUTO is SUM_OVER_BATCH_SIZE).

    Returns:
      The weighted losses (NONE) or their scalar reduction, in `losses`' dtype (integer losses
      are weighted in float32 and cast back, as tf_keras does).

    Raises:
      ValueError: an unknown reduction key.
      InvalidArgumentError: a weight whose shape does not broadcast to the losses.
    """
    Reduction.validate(reduction)
    if reduction == Reduction.AUTO:
        reduction = Reduction.SUM_OVER_BATCH_SIZE
    losses = as_input(losses)
    input_dtype = losses.dtype
    if not input_dtype.is_floating:
        losses = math_ops.cast(losses, "float32")
    if sample_weight is None:
        weights = jnp.ones((), losses.dtype._np)  # TF multiplies by 1.0
    else:
        weights = math_ops.cast(as_input(sample_weight), losses.dtype)
        losses, _, weights = squeeze_or_expand_dimensions(losses, None, weights)
        try:
            check_broadcastable(shape_of(losses), shape_of(weights))
        except ValueError:
            raise op_error(
                f"Incompatible shapes: {dims_text(losses.shape)} vs. {dims_text(weights.shape)}", "Mul"
            ) from None
    loss = dispatch(_weighted_pure, losses, weights, reduction=reduction)
    if not input_dtype.is_floating:
        loss = math_ops.cast(loss, input_dtype)
    return loss


def apply_mask(y_pred: Any, sample_weight: Any, mask: Any) -> Any:
    """A Keras mask (`_keras_mask`) folded into the sample weights."""
    if mask is None:
        return sample_weight
    mask = math_ops.cast(mask, as_input(y_pred).dtype)
    if sample_weight is None:
        return mask
    sample_weight = math_ops.cast(as_input(sample_weight), mask.dtype)
    mask, _, sample_weight = squeeze_or_expand_dimensions(mask, sample_weight=sample_weight)
    return math_ops.multiply(sample_weight, mask)


def apply_valid_mask(losses: Any, sample_weight: Any, mask: Any, reduction: str) -> Any:
    """Fold a mask into the weights; for SUM_OVER_BATCH_SIZE the mask is scaled by
    `size / valid`, so that the mean runs over the valid entries only (NaN when none is)."""
    if mask is None:
        return sample_weight
    mask = math_ops.cast(mask, losses.dtype)
    if reduction in (Reduction.AUTO, Reduction.SUM_OVER_BATCH_SIZE):
        mask = dispatch(_rescaled_mask_pure, mask)
    return apply_mask(losses, sample_weight, mask)


@pure_op("Mul")
def _rescaled_mask_pure(mask):
    # `mask * (size / valid)`: the mean then runs over the valid entries (NaN when none is)
    return mask * (jnp.asarray(mask.size, mask.dtype) / jnp.sum(mask))
