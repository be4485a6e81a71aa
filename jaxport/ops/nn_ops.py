"""`tf.nn`: activations, cross-entropies with logits, dropout, average-loss helpers."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport import errors
from jaxport.context import state as _state
from jaxport.eager import Tensor, dispatch
from jaxport.ops import math_ops
from jaxport.ops._helpers import as_input, binary_inputs

sigmoid = math_ops.sigmoid
tanh = math_ops.tanh
softplus = math_ops.softplus


def _relu_pure(a):
    return jax.nn.relu(a)  # gradient 0 at 0, as TF (jnp.maximum would give 0.5)


_relu_pure.tf_op_name = "Relu"


def relu(features: Any, name: str | None = None) -> Tensor:
    """`tf.nn.relu`: max(x, 0) (gradient 0 at 0, as TF)."""
    return dispatch(_relu_pure, as_input(features))


def _softmax_pure(a, axis):
    return jax.nn.softmax(a, axis=axis)


_softmax_pure.tf_op_name = "Softmax"


def _floating(x: Any, op_name: str) -> Any:
    t = as_input(x)
    if not t.dtype.is_floating:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Value for attr 'T' of {t.dtype.name} is not in the list of allowed values: half, bfloat16, float, "
            f"double [Op:{op_name}]",
        )
    return t


def softmax(logits: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """`tf.nn.softmax` along `axis` (floating inputs only, as TF)."""
    return dispatch(_softmax_pure, _floating(logits, "Softmax"), axis=int(axis))


def _log_softmax_pure(a, axis):
    return jax.nn.log_softmax(a, axis=axis)


_log_softmax_pure.tf_op_name = "LogSoftmax"


def log_softmax(logits: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """`tf.nn.log_softmax` along `axis`."""
    return dispatch(_log_softmax_pure, _floating(logits, "LogSoftmax"), axis=int(axis))


def sigmoid_cross_entropy_pure(labels, logits):
    """TF's stable form: max(x, 0) - x*z + log(1 + exp(-|x|))."""
    zeros = jnp.zeros_like(logits)
    return jnp.where(logits >= zeros, logits, zeros) - logits * labels + jnp.log1p(jnp.exp(-jnp.abs(logits)))


sigmoid_cross_entropy_pure.tf_op_name = "SigmoidCrossEntropyWithLogits"


def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None, name: str | None = None) -> Tensor:
    """`tf.nn.sigmoid_cross_entropy_with_logits` (elementwise; same shapes and dtypes)."""
    if labels is None or logits is None:
        raise ValueError("Both `labels` and `logits` must be provided.")
    z, x = binary_inputs(labels, logits, "SigmoidCrossEntropyWithLogits")
    if z.shape != x.shape:
        raise ValueError(f"`logits` and `labels` must have the same shape, received ({x.shape} vs {z.shape}).")
    return dispatch(sigmoid_cross_entropy_pure, z, x)


def _dropout_pure(x, key, rate):
    keep = 1.0 - rate
    mask = jax.random.uniform(key, x.shape, x.dtype) >= jnp.asarray(rate, x.dtype)
    return jnp.where(mask, x / jnp.asarray(keep, x.dtype), jnp.zeros_like(x))


_dropout_pure.tf_op_name = "Dropout"


def dropout(x: Any, rate: float, noise_shape: Any = None, seed: int | None = None, name: str | None = None) -> Tensor:
    """`tf.nn.dropout`: zero elements with probability `rate`, scale the rest by 1/(1-rate)."""
    from jaxport.ops import random_ops

    t = as_input(x)
    if not t.dtype.is_floating:
        raise ValueError(f"`x.dtype` must be a floating point tensor, got {t.dtype!r}")
    if isinstance(rate, (int, float)) and not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
    if rate == 0:
        return t
    return dispatch(_dropout_pure, t, Tensor(random_ops.next_key()), rate=float(rate))


def compute_average_loss(
    per_example_loss: Any, sample_weight: Any = None, global_batch_size: int | None = None
) -> Tensor:
    """`tf.nn.compute_average_loss`: sum / global batch size (replicas' sums add up to the mean)."""
    loss = as_input(per_example_loss)
    if sample_weight is not None:
        loss = math_ops.multiply(loss, math_ops.cast(sample_weight, loss.dtype))
    if global_batch_size is None:
        replica = _state.replica
        n_rep = 1 if replica is None else replica.num_replicas_in_sync
        global_batch_size = (loss.shape[0] if loss.ndim else 1) * n_rep
    if isinstance(global_batch_size, (int, float)) and global_batch_size <= 0:
        raise errors.InvalidArgumentError(None, None, f"global_batch_size must be positive. Got {global_batch_size}.")
    total = math_ops.reduce_sum(loss)
    return math_ops.divide(total, Tensor(jnp.asarray(global_batch_size, loss.dtype._np)))


def _l2_loss_pure(a):
    return jnp.sum(jnp.square(a)) / 2


_l2_loss_pure.tf_op_name = "L2Loss"


def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """`tf.nn.l2_loss`: sum(t ** 2) / 2."""
    return dispatch(_l2_loss_pure, as_input(t))
