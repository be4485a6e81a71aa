"""Keras 2's stateless metric functions (`tf.keras.metrics.binary_accuracy`, ...): each maps
`(y_true, y_pred)` to per-sample values with one dispatched pure jnp function.

The losses that are also metrics (`mean_squared_error`, `binary_crossentropy`, ...) come from
`jaxport.modules.losses` where it has them; the others are written here against tf_keras's
formulas (epsilon 1e-7).
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.ops import math_ops
from jaxport.ops._helpers import as_input

EPSILON = 1e-7
NEG_INF = -1e10


def _float_pair(y_true: Any, y_pred: Any) -> tuple:
    """`y_pred` as a float Tensor and `y_true` cast to its dtype (Keras's loss-function prologue)."""
    y_pred = as_input(y_pred)
    if not y_pred.dtype.is_floating:
        y_pred = math_ops.cast(y_pred, "float32")
    y_true = as_input(y_true)
    if y_true.dtype != y_pred.dtype:
        y_true = math_ops.cast(y_true, y_pred.dtype)
    return y_true, y_pred


def _check_compatible(a: Any, b: Any) -> None:
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(f"Shapes {_shape(a.shape)} and {_shape(b.shape)} are incompatible")


def _shape(shape: Any) -> str:
    dims = tuple(shape)
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


# -- accuracy --------------------------------------------------------------------------------


def _accuracy_pure(y_true, y_pred):
    return (y_true == y_pred.astype(y_true.dtype)).astype(jnp.float32)


def _binary_matches_pure(y_true, y_pred, threshold):
    pred = (y_pred > jnp.asarray(threshold, y_pred.dtype)).astype(y_pred.dtype)
    return (y_true.astype(pred.dtype) == pred).astype(jnp.float32)


def _binary_accuracy_pure(y_true, y_pred, threshold):
    return jnp.mean(_binary_matches_pure(y_true, y_pred, threshold), axis=-1)


def _sparse_matches_pure(y_true, y_pred):
    shape = y_true.shape
    reshape = y_true.ndim == y_pred.ndim
    if reshape:
        y_true = jnp.squeeze(y_true, -1)
    pred = jnp.argmax(y_pred, axis=-1)
    matches = (y_true == pred.astype(y_true.dtype)).astype(jnp.float32)
    return matches.reshape(shape) if reshape else matches


def _categorical_matches_pure(y_true, y_pred):
    return _sparse_matches_pure(jnp.argmax(y_true, axis=-1), y_pred)


def _sparse_accuracy_pure(y_true, y_pred):
    matches = _sparse_matches_pure(y_true, y_pred)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = jnp.squeeze(matches, -1)
    return matches


def _in_top_k(predictions, targets, k):
    """TF's `in_top_k`: ties at the boundary count as in; non-finite or out-of-range is out."""
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)
    safe = jnp.clip(targets, 0, classes - 1)
    target_pred = jnp.take_along_axis(predictions, safe[:, None], axis=-1)[:, 0]
    better = jnp.sum(predictions > target_pred[:, None], axis=-1)
    finite = jnp.all(jnp.isfinite(predictions), axis=-1)
    return valid & finite & (better < k)


def _sparse_top_k_pure(y_true, y_pred, k):
    shape = y_true.shape
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    reshape = y_true.ndim > 1
    if reshape:
        y_true = y_true.reshape(-1)
    matches = _in_top_k(y_pred, y_true.astype(jnp.int32), k).astype(jnp.float32)
    return matches.reshape(shape) if reshape else matches


def _top_k_pure(y_true, y_pred, k):
    return _sparse_top_k_pure(jnp.argmax(y_true, axis=-1), y_pred, k)


def accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.metrics.accuracy`: 1.0 where `y_pred` equals `y_true` (shapes must match).

    Raises:
      ValueError: the shapes are incompatible.
    """
    y_true, y_pred = as_input(y_true), as_input(y_pred)
    _check_compatible(y_true, y_pred)
    return dispatch(_accuracy_pure, y_true, y_pred)


def binary_matches(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Tensor:
    """1.0 where `y_pred > threshold` agrees with `y_true` (element-wise, no mean)."""
    y_true, y_pred = as_input(y_true), as_input(y_pred)
    return dispatch(_binary_matches_pure, y_true, y_pred, threshold=float(threshold))


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Tensor:
    """`tf.keras.metrics.binary_accuracy`: the share of `y_pred > threshold` matching
    `y_true`, over the last axis."""
    y_true, y_pred = as_input(y_true), as_input(y_pred)
    return dispatch(_binary_accuracy_pure, y_true, y_pred, threshold=float(threshold))


def sparse_categorical_matches(y_true: Any, y_pred: Any) -> Tensor:
    """1.0 where `argmax(y_pred)` equals the integer label (labels of y_pred's rank keep their shape)."""
    return dispatch(_sparse_matches_pure, as_input(y_true), as_input(y_pred))


def categorical_matches(y_true: Any, y_pred: Any) -> Tensor:
    """1.0 where `argmax(y_pred)` equals `argmax(y_true)`."""
    return dispatch(_categorical_matches_pure, as_input(y_true), as_input(y_pred))


def categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.metrics.categorical_accuracy`: 1.0 where `argmax(y_pred) == argmax(y_true)`."""
    return categorical_matches(y_true, y_pred)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.metrics.sparse_categorical_accuracy`: 1.0 where `argmax(y_pred)` is the label."""
    return dispatch(_sparse_accuracy_pure, as_input(y_true), as_input(y_pred))


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Tensor:
    """`tf.keras.metrics.sparse_top_k_categorical_accuracy`: 1.0 where the label is among
    the `k` largest predictions (ties at the boundary count, as TF's `in_top_k`)."""
    return dispatch(_sparse_top_k_pure, as_input(y_true), as_input(y_pred), k=int(k))


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Tensor:
    """`tf.keras.metrics.top_k_categorical_accuracy`: 1.0 where `argmax(y_true)` is among the
    `k` largest predictions."""
    return dispatch(_top_k_pure, as_input(y_true), as_input(y_pred), k=int(k))


# -- losses as metric functions (tf_keras formulas) --------------------------------------------


def _mape_pure(y_true, y_pred):
    diff = jnp.abs((y_true - y_pred) / jnp.maximum(jnp.abs(y_true), EPSILON))
    return 100.0 * jnp.mean(diff, axis=-1)


def _msle_pure(y_true, y_pred):
    first = jnp.log(jnp.maximum(y_pred, EPSILON) + 1.0)
    second = jnp.log(jnp.maximum(y_true, EPSILON) + 1.0)
    return jnp.mean(jnp.square(first - second), axis=-1)


def _kld_pure(y_true, y_pred):
    y_true = jnp.clip(y_true, EPSILON, 1)
    y_pred = jnp.clip(y_pred, EPSILON, 1)
    return jnp.sum(y_true * jnp.log(y_true / y_pred), axis=-1)


def _poisson_pure(y_true, y_pred):
    return jnp.mean(y_pred - y_true * jnp.log(y_pred + EPSILON), axis=-1)


def _signed_labels(y_true):
    """Keras's hinge labels: {0, 1} labels become {-1, 1}; other labels stay."""
    is_binary = jnp.all((y_true == 0) | (y_true == 1))
    return jnp.where(is_binary, 2.0 * y_true - 1.0, y_true)


def _hinge_pure(y_true, y_pred):
    return jnp.mean(jnp.maximum(1.0 - _signed_labels(y_true) * y_pred, 0.0), axis=-1)


def _squared_hinge_pure(y_true, y_pred):
    return jnp.mean(jnp.square(jnp.maximum(1.0 - _signed_labels(y_true) * y_pred, 0.0)), axis=-1)


def _categorical_hinge_pure(y_true, y_pred):
    pos = jnp.sum(y_true * y_pred, axis=-1)
    neg = jnp.max((1.0 - y_true) * y_pred, axis=-1)
    return jnp.maximum(neg - pos + 1.0, 0.0)


def _logcosh_pure(y_true, y_pred):
    x = y_pred - y_true
    return jnp.mean(x + jax.nn.softplus(-2.0 * x) - jnp.log(2.0).astype(x.dtype), axis=-1)


def _l2_normalize(x, axis):
    return x * jax.lax.rsqrt(jnp.maximum(jnp.sum(jnp.square(x), axis=axis, keepdims=True), 1e-12))


def _cosine_similarity_pure(y_true, y_pred, axis):
    return jnp.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Tensor:
    """`100 * mean(|y_true - y_pred| / max(|y_true|, 1e-7))` over the last axis."""
    return dispatch(_mape_pure, *_float_pair(y_true, y_pred))


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Tensor:
    """`mean((log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1))**2)` over the last axis."""
    return dispatch(_msle_pure, *_float_pair(y_true, y_pred))


def kl_divergence(y_true: Any, y_pred: Any) -> Tensor:
    """`sum(y_true * log(y_true / y_pred))` over the last axis, both clipped to [1e-7, 1]."""
    return dispatch(_kld_pure, *_float_pair(y_true, y_pred))


def poisson(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(y_pred - y_true * log(y_pred + 1e-7))` over the last axis."""
    return dispatch(_poisson_pure, *_float_pair(y_true, y_pred))


def hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(max(1 - y_true * y_pred, 0))`; labels in {0, 1} are first mapped to {-1, 1}."""
    return dispatch(_hinge_pure, *_float_pair(y_true, y_pred))


def squared_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(max(1 - y_true * y_pred, 0)**2)`; labels in {0, 1} are first mapped to {-1, 1}."""
    return dispatch(_squared_hinge_pure, *_float_pair(y_true, y_pred))


def categorical_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)` over the last axis."""
    return dispatch(_categorical_hinge_pure, *_float_pair(y_true, y_pred))


def log_cosh(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(log(cosh(y_pred - y_true)))` over the last axis (as `x + softplus(-2x) - log 2`)."""
    return dispatch(_logcosh_pure, *_float_pair(y_true, y_pred))


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """`tf.keras.metrics.cosine_similarity`: the cosine of the angle along `axis` (positive,
    unlike the loss)."""
    return dispatch(_cosine_similarity_pure, *_float_pair(y_true, y_pred), axis=int(axis))


kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
