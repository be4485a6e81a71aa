"""`tf.nn` cross-entropies with logits: sigmoid, weighted sigmoid, softmax (dense labels, any
class axis) and sparse softmax, computed as TF's kernels compute them.

The dense softmax cross-entropy keeps TF's gradient: `softmax - labels` for the logits (the
exact gradient only when each label row sums to 1, which TF assumes) and `-log_softmax` for
the labels.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport.eager import Tensor, dispatch
from jaxport.ops._gradients import abs_tf
from jaxport.ops._helpers import (
    FLOATS,
    as_input,
    binary_inputs,
    check_dtype,
    concrete,
    dims_text,
    no_gradient,
    op_error,
    pure_op,
)
from jaxport.variables import Variable


@pure_op("SigmoidCrossEntropyWithLogits")
def sigmoid_cross_entropy_pure(labels, logits):
    """TF's stable form: max(x, 0) - x*z + log(1 + exp(-|x|))."""
    zeros = jnp.zeros_like(logits)
    return jnp.where(logits >= zeros, logits, zeros) - logits * labels + jnp.log1p(jnp.exp(-jnp.abs(logits)))


def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None, name: str | None = None) -> Tensor:
    """`tf.nn.sigmoid_cross_entropy_with_logits` (elementwise; same shapes and dtypes)."""
    if labels is None or logits is None:
        raise ValueError("Both `labels` and `logits` must be provided.")
    z, x = binary_inputs(labels, logits, "SigmoidCrossEntropyWithLogits")
    if z.shape != x.shape:
        raise ValueError(f"`logits` and `labels` must have the same shape, received ({x.shape} vs {z.shape}).")
    return dispatch(sigmoid_cross_entropy_pure, z, x)


@pure_op("WeightedCrossEntropyWithLogits")
def _weighted_cross_entropy_pure(labels, logits, pos_weight):
    log_weight = 1 + (pos_weight - 1) * labels
    # TF's formula with TF's abs and relu gradients (0 at logits == 0)
    return (1 - labels) * logits + log_weight * (jnp.log1p(jnp.exp(-abs_tf(logits))) + jax.nn.relu(-logits))


def weighted_cross_entropy_with_logits(labels: Any, logits: Any, pos_weight: Any, name: str | None = None) -> Tensor:
    """`tf.nn.weighted_cross_entropy_with_logits`: sigmoid cross-entropy with the positive
    term weighted by `pos_weight`."""
    z, x = binary_inputs(labels, logits, "WeightedCrossEntropyWithLogits")
    if z.shape != x.shape:
        raise ValueError(f"`logits` and `labels` must have the same shape, received ({x.shape} vs {z.shape}).")
    q = (
        as_input(pos_weight, x.dtype)
        if isinstance(pos_weight, (Tensor, Variable))
        else Tensor(jnp.asarray(pos_weight, x.dtype._np))
    )
    return dispatch(_weighted_cross_entropy_pure, z, x, q)


# -- softmax cross-entropy -----------------------------------------------------------------


def _xent_parts(labels, logits):
    shifted = logits - jnp.max(logits, axis=-1, keepdims=True)
    neg_log_softmax = jnp.log(jnp.sum(jnp.exp(shifted), axis=-1, keepdims=True)) - shifted
    return jnp.sum(labels * neg_log_softmax, axis=-1), neg_log_softmax


@jax.custom_jvp
def softmax_xent_tf(labels, logits):
    """TF's softmax cross-entropy kernel over the last axis (labels broadcast to the logits),
    with TF's gradient `softmax - labels` for the logits."""
    return _xent_parts(labels, logits)[0]


@softmax_xent_tf.defjvp
def _softmax_xent_tf_jvp(primals, tangents):
    (labels, logits), (dlabels, dlogits) = primals, tangents
    labels = jnp.broadcast_to(labels, logits.shape)
    loss, neg_log_softmax = _xent_parts(labels, logits)
    backprop = jax.nn.softmax(logits, axis=-1) - labels  # TF's kernel backprop
    tangent = jnp.sum(dlogits * backprop, axis=-1) + jnp.sum(
        jnp.broadcast_to(dlabels, logits.shape) * neg_log_softmax, axis=-1
    )
    return loss, tangent


@pure_op("SoftmaxCrossEntropyWithLogits")
def _softmax_xent_pure(labels, logits, axis):
    labels = jnp.moveaxis(jnp.broadcast_to(labels, logits.shape), axis, -1)
    return softmax_xent_tf(labels, jnp.moveaxis(logits, axis, -1))


def softmax_cross_entropy_with_logits(labels: Any, logits: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """`tf.nn.softmax_cross_entropy_with_logits`: `-sum(labels * log_softmax(logits), axis)`.

    Labels are cast to the logits' dtype and broadcast to their shape; the result drops
    `axis`. Gradients are TF's (see the module docstring).

    Raises:
      InvalidArgumentError: labels that do not broadcast to the logits, or non-float logits.
    """
    x = as_input(logits)
    check_dtype(x, "SoftmaxCrossEntropyWithLogits", FLOATS)
    z = as_input(labels)
    if z.dtype != x.dtype:
        from jaxport.ops.math_ops import cast

        z = cast(z, x.dtype)
    if x.ndim == 0:
        raise op_error("logits must have rank >= 1, got shape []", "SoftmaxCrossEntropyWithLogits")
    try:
        if np.broadcast_shapes(tuple(z.shape), tuple(x.shape)) != tuple(x.shape):
            raise ValueError
    except ValueError:
        raise op_error(
            f"logits and labels must be broadcastable: logits_size={dims_text(x.shape)} "
            f"labels_size={dims_text(z.shape)}",
            "SoftmaxCrossEntropyWithLogits",
        ) from None
    ax = int(axis)
    if not -x.ndim <= ax < x.ndim:
        raise op_error(f"axis {ax} out of range for logits of rank {x.ndim}", "SoftmaxCrossEntropyWithLogits")
    return dispatch(_softmax_xent_pure, z, x, axis=ax % x.ndim)


@pure_op("SparseSoftmaxCrossEntropyWithLogits")
def sparse_xent_pure(labels, logits):
    """TF's sparse softmax cross-entropy kernel: `logsumexp(logits) - logits[label]` per row."""
    shifted = logits - jax.lax.stop_gradient(jnp.max(logits, axis=-1, keepdims=True))
    log_sum = jnp.log(jnp.sum(jnp.exp(shifted), axis=-1))
    picked = jnp.take_along_axis(shifted, labels[..., None].astype(jnp.int32), axis=-1)[..., 0]
    return log_sum - picked


def sparse_softmax_cross_entropy_with_logits(labels: Any, logits: Any, name: str | None = None) -> Tensor:
    """`tf.nn.sparse_softmax_cross_entropy_with_logits`: `-log_softmax(logits)[label]` per row.

    Raises:
      ValueError: `labels.shape` other than `logits.shape[:-1]`.
      InvalidArgumentError: non-integer labels, non-float logits, or (eagerly) a label outside
        `[0, num_classes)`.
    """
    x = as_input(logits)
    z = as_input(labels)
    if z.dtype.name not in ("int32", "int64"):
        raise op_error(
            f"Value for attr 'Tlabels' of {z.dtype.name} is not in the list of allowed values: int32, int64",
            "SparseSoftmaxCrossEntropyWithLogits",
        )
    check_dtype(x, "SparseSoftmaxCrossEntropyWithLogits", "half, bfloat16, float, double")
    check_sparse_labels(concrete(z), tuple(z.shape), tuple(x.shape))
    return dispatch(sparse_xent_pure, no_gradient(z), x)


def check_sparse_labels(values: np.ndarray | None, labels_shape: tuple, logits_shape: tuple) -> None:
    """The checks of TF's SparseSoftmaxCrossEntropyWithLogits on its labels.

    Args:
      values: the labels when known now (eagerly), else None (a tracer: the range is not checked).
      labels_shape: the labels' shape; logits_shape: the logits' shape.

    Raises:
      ValueError: `labels_shape` other than `logits_shape[:-1]`.
      InvalidArgumentError: a label outside `[0, num_classes)`.
    """
    if not logits_shape or labels_shape != logits_shape[:-1]:
        raise ValueError(
            "`labels.shape` must equal `logits.shape` except for the last dimension. Received: "
            f"labels.shape={labels_shape} and logits.shape={logits_shape}"
        )
    classes = logits_shape[-1]
    if values is not None and ((values < 0) | (values >= classes)).any():
        bad = values[(values < 0) | (values >= classes)].reshape(-1)[0]
        shown = " ".join(str(v) for v in values.reshape(-1))
        raise op_error(
            f"Received a label value of {bad} which is outside the valid range of [0, {classes}).  "
            f"Label values: {shown}",
            "SparseSoftmaxCrossEntropyWithLogits",
        )
