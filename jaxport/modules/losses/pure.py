"""Keras 2's losses as pure jnp functions: per-sample values with TF's gradients.

Each function takes raw arrays `(y_true, y_pred)` and returns the per-sample loss (the last
axis, or `axis`, reduced), with tf_keras 2's formulas and clipping (epsilon 1e-7). They run
inside `jax.grad`, `jax.jit` and `jax.vmap`; the Keras-facing functions
(`tf.keras.losses.mean_squared_error`, ...) dispatch them as one recorded op each.

Gradients follow TF's kernels where JAX's defaults differ: a clip passes the gradient on the
closed interval (JAX's `jnp.clip` halves it at the bounds), `max(a, b)` sends a tie's
gradient to `a` (JAX splits it), `|x|` has gradient 0 at 0, and the softmax cross-entropy
with logits has TF's `softmax - labels` backprop.

Example (plain JAX):
    grads = jax.grad(lambda p: pure.huber(y, p).mean())(predictions)
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport.ops._gradients import abs_tf, maximum_tf, pow_tf, softplus_tf
from jaxport.ops.nn_loss_ops import sigmoid_cross_entropy_pure, softmax_xent_tf, sparse_xent_pure

EPSILON = 1e-7


def clip_tf(x: Any, low: Any, high: Any) -> Any:
    """`tf.clip_by_value`: gradient 1 on the closed interval [low, high], 0 outside."""
    low = jnp.asarray(low, x.dtype)
    high = jnp.asarray(high, x.dtype)
    return jnp.where(x < low, low, jnp.where(x > high, high, x))


def _mean(x: Any, axis: int) -> Any:
    """`tf.reduce_mean`: integers divide their sum by the count with truncation, as TF's kernel."""
    if jnp.issubdtype(x.dtype, jnp.integer):
        return jax.lax.div(jnp.sum(x, axis=axis, dtype=x.dtype), jnp.asarray(x.shape[axis], x.dtype))
    return jnp.mean(x, axis=axis)


def _same_dtype(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    y_pred = jnp.asarray(y_pred)
    return jnp.asarray(y_true).astype(y_pred.dtype), y_pred


# -- regression losses -------------------------------------------------------------------------


def mean_squared_error(y_true: Any, y_pred: Any) -> Any:
    """`mean((y_pred - y_true)**2, axis=-1)`."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    return _mean(jnp.square(y_pred - y_true), -1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Any:
    """`mean(|y_pred - y_true|, axis=-1)`."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    return _mean(abs_tf(y_pred - y_true), -1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Any:
    """`100 * mean(|(y_true - y_pred) / max(|y_true|, 1e-7)|, axis=-1)`."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    eps = jnp.asarray(EPSILON, y_pred.dtype)
    diff = abs_tf((y_true - y_pred) / maximum_tf(abs_tf(y_true), eps))
    return 100.0 * _mean(diff, -1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Any:
    """`mean((log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1))**2, axis=-1)`."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    eps = jnp.asarray(EPSILON, y_pred.dtype)
    first = jnp.log(maximum_tf(y_pred, eps) + 1.0)
    second = jnp.log(maximum_tf(y_true, eps) + 1.0)
    return _mean(jnp.square(first - second), -1)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Any:
    """`mean(0.5 * e**2 if |e| <= delta else delta * |e| - 0.5 * delta**2)`, e = y_pred - y_true.

    tf_keras computes it in floatx (float32) whatever the inputs' dtype.
    """
    y_pred = jnp.asarray(y_pred).astype(jnp.float32)
    y_true = jnp.asarray(y_true).astype(jnp.float32)
    delta = jnp.asarray(delta, jnp.float32)
    error = y_pred - y_true
    abs_error = abs_tf(error)
    half = jnp.asarray(0.5, jnp.float32)
    return jnp.mean(
        jnp.where(abs_error <= delta, half * jnp.square(error), delta * abs_error - half * jnp.square(delta)),
        axis=-1,
    )


def log_cosh(y_true: Any, y_pred: Any) -> Any:
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, as `x + softplus(-2x) - log(2)`."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    x = y_pred - y_true
    log2 = jnp.asarray(np.log(np.float32(2.0)), x.dtype)
    return jnp.mean(x + softplus_tf(-2.0 * x) - log2, axis=-1)


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Any:
    """`-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)` (norms floored at 1e-12)."""
    y_true, y_pred = _same_dtype(y_true, y_pred)

    def l2_normalize(x):
        square_sum = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
        return x * jax.lax.rsqrt(maximum_tf(square_sum, jnp.asarray(1e-12, x.dtype)))

    return -jnp.sum(l2_normalize(y_true) * l2_normalize(y_pred), axis=axis)


# -- hinge losses ------------------------------------------------------------------------------


def _signed_labels(y_true: Any) -> Any:
    """Keras's hinge labels: when every label is 0 or 1 they become -1 / 1 (decided per batch)."""
    is_binary = jnp.all((y_true == 0) | (y_true == 1))
    return jnp.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true: Any, y_pred: Any) -> Any:
    """`mean(max(1 - y_true * y_pred, 0), axis=-1)`; {0, 1} labels become {-1, 1}."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    margin = 1.0 - _signed_labels(y_true) * y_pred
    return jnp.mean(maximum_tf(margin, jnp.zeros_like(margin)), axis=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> Any:
    """`mean(max(1 - y_true * y_pred, 0)**2, axis=-1)`; {0, 1} labels become {-1, 1}."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    margin = 1.0 - _signed_labels(y_true) * y_pred
    return jnp.mean(jnp.square(maximum_tf(margin, jnp.zeros_like(margin))), axis=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Any:
    """`max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)` over the last axis."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    pos = jnp.sum(y_true * y_pred, axis=-1)
    neg = jnp.max((1.0 - y_true) * y_pred, axis=-1)
    value = neg - pos + 1.0
    return maximum_tf(value, jnp.zeros_like(value))


# -- probabilistic losses ----------------------------------------------------------------------


def kl_divergence(y_true: Any, y_pred: Any) -> Any:
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to [1e-7, 1]."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    y_true = clip_tf(y_true, EPSILON, 1.0)
    y_pred = clip_tf(y_pred, EPSILON, 1.0)
    return jnp.sum(y_true * jnp.log(y_true / y_pred), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> Any:
    """`mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)`."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    return jnp.mean(y_pred - y_true * jnp.log(y_pred + EPSILON), axis=-1)


def _smooth_binary(y_true: Any, label_smoothing: float) -> Any:
    if not label_smoothing:
        return y_true
    smoothing = jnp.asarray(label_smoothing, y_true.dtype)
    return y_true * (1.0 - smoothing) + 0.5 * smoothing


def _smooth_categorical(y_true: Any, label_smoothing: float, axis: int) -> Any:
    if not label_smoothing:
        return y_true
    smoothing = jnp.asarray(label_smoothing, y_true.dtype)
    classes = jnp.asarray(y_true.shape[axis], y_true.dtype)
    return y_true * (1.0 - smoothing) + smoothing / classes


def elementwise_bce(target: Any, output: Any, from_logits: bool) -> Any:
    """tf_keras's `backend.binary_crossentropy`: TF's stable logits form, or probabilities
    clipped to [1e-7, 1 - 1e-7] with 1e-7 added inside both logs."""
    if from_logits:
        return sigmoid_cross_entropy_pure(target, output)
    eps = jnp.asarray(EPSILON, output.dtype)
    p = clip_tf(output, eps, 1.0 - eps)
    # The barrier keeps XLA from rewriting (1 - p) + eps as (1 + eps) - p, which rounds
    # differently in float32 than TF's kernels (logit 20: 15.249 instead of TF's 15.333).
    one_minus_p = jax.lax.optimization_barrier(1.0 - p)
    return -(target * jnp.log(p + eps) + (1.0 - target) * jnp.log(one_minus_p + eps))


def binary_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Any:
    """Mean over `axis` of the element-wise binary cross-entropy (labels smoothed towards 0.5)."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    target = _smooth_binary(y_true, label_smoothing)
    return jnp.mean(elementwise_bce(target, y_pred, from_logits), axis=axis)


def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Any:
    """Binary cross-entropy scaled by `(1 - p_t)**gamma` (and `alpha` / `1 - alpha` per class
    with `apply_class_balancing`), averaged over `axis`."""
    return binary_focal_core(
        y_true, y_pred, y_pred, apply_class_balancing, alpha, gamma, from_logits, from_logits, label_smoothing, axis
    )


def binary_focal_core(
    y_true: Any,
    y_pred: Any,
    bce_input: Any,
    apply_class_balancing: bool,
    alpha: float,
    gamma: float,
    from_logits: bool,
    bce_from_logits: bool,
    label_smoothing: float,
    axis: int,
) -> Any:
    """The focal loss with its cross-entropy term taken from `bce_input`: tf_keras computes the
    focal factor from the given output but the cross-entropy from a Keras sigmoid's logits."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    target = _smooth_binary(y_true, label_smoothing)
    focal_bce = elementwise_binary_focal(
        target,
        y_pred,
        bce_input.astype(y_pred.dtype),
        apply_class_balancing,
        alpha,
        gamma,
        from_logits,
        bce_from_logits,
    )
    return jnp.mean(focal_bce, axis=axis)


def elementwise_binary_focal(
    target: Any,
    output: Any,
    bce_input: Any,
    apply_class_balancing: bool,
    alpha: float,
    gamma: float,
    from_logits: bool,
    bce_from_logits: bool,
) -> Any:
    """tf_keras's `backend.binary_focal_crossentropy` (element-wise, no label smoothing)."""
    sigmoidal = jax.nn.sigmoid(output) if from_logits else output
    p_t = target * sigmoidal + (1 - target) * (1 - sigmoidal)
    focal_factor = pow_tf(1.0 - p_t, jnp.asarray(gamma, output.dtype))
    focal_bce = focal_factor * elementwise_bce(target, bce_input, bce_from_logits)
    if apply_class_balancing:
        focal_bce = (target * alpha + (1 - target) * (1 - alpha)) * focal_bce
    return focal_bce


def categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Any:
    """`-sum(y_true * log(p), axis)`: logits through TF's softmax cross-entropy kernel, else the
    probabilities renormalised over `axis` and clipped to [1e-7, 1 - 1e-7]."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    axis = axis % y_pred.ndim
    target = _smooth_categorical(y_true, label_smoothing, axis)
    if from_logits:
        return softmax_xent_tf(jnp.moveaxis(target, axis, -1), jnp.moveaxis(y_pred, axis, -1))
    p = y_pred / jnp.sum(y_pred, axis=axis, keepdims=True)
    p = clip_tf(p, EPSILON, 1.0 - EPSILON)
    return -jnp.sum(target * jnp.log(p), axis=axis)


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Any:
    """`sum(alpha * (1 - p)**gamma * -y_true * log(p), axis)` with p the (softmax of the logits
    or the) probabilities renormalised over `axis` and clipped to [1e-7, 1 - 1e-7]."""
    y_true, y_pred = _same_dtype(y_true, y_pred)
    target = _smooth_categorical(y_true, label_smoothing, -1)
    p = jax.nn.softmax(y_pred, axis=axis) if from_logits else y_pred
    p = p / jnp.sum(p, axis=axis, keepdims=True)
    p = clip_tf(p, EPSILON, 1.0 - EPSILON)
    cce = -target * jnp.log(p)
    weighting = pow_tf(1.0 - p, jnp.asarray(gamma, p.dtype)) * alpha
    return jnp.sum(weighting * cce, axis=axis)


def sparse_categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, axis: int = -1, ignore_class: int | None = None
) -> Any:
    """`-log(p[label])` per position, with integer labels (a trailing size-1 label axis is
    flattened away, as tf_keras does); positions labelled `ignore_class` give 0."""
    return sparse_categorical_core(y_true, y_pred, from_logits, axis, ignore_class)[0]


def sparse_categorical_core(
    y_true: Any, y_pred: Any, from_logits: bool, axis: int, ignore_class: int | None
) -> tuple[Any, Any]:
    """The per-position loss and the valid mask (all True without `ignore_class`)."""
    y_pred = jnp.asarray(y_pred)
    labels = jnp.asarray(y_true).astype(jnp.int32)
    if not from_logits:
        y_pred = jnp.log(clip_tf(y_pred, EPSILON, 1.0 - EPSILON))
    logits = jnp.moveaxis(y_pred, axis % y_pred.ndim, -1)
    result_shape = logits.shape[:-1]
    flatten = labels.ndim != logits.ndim - 1
    if flatten:
        labels = labels.reshape(-1)
        logits = logits.reshape(-1, logits.shape[-1])
    valid = jnp.ones(labels.shape, bool) if ignore_class is None else labels != ignore_class
    losses = sparse_xent_pure(jnp.where(valid, labels, 0), logits)
    losses = jnp.where(valid, losses, jnp.zeros_like(losses))
    if ignore_class is not None or (flatten and len(result_shape) >= 2):
        losses = losses.reshape(result_shape)
        valid = valid.reshape(result_shape)
    return losses, valid


PER_SAMPLE = {
    "mean_squared_error": mean_squared_error,
    "mean_absolute_error": mean_absolute_error,
    "mean_absolute_percentage_error": mean_absolute_percentage_error,
    "mean_squared_logarithmic_error": mean_squared_logarithmic_error,
    "huber": huber,
    "log_cosh": log_cosh,
    "cosine_similarity": cosine_similarity,
    "hinge": hinge,
    "squared_hinge": squared_hinge,
    "categorical_hinge": categorical_hinge,
    "kl_divergence": kl_divergence,
    "poisson": poisson,
    "binary_crossentropy": binary_crossentropy,
    "binary_focal_crossentropy": binary_focal_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "categorical_focal_crossentropy": categorical_focal_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}
"""Every Keras loss's pure per-sample function by its tf_keras function name."""
