"""Keras 2's stateless metric functions (`tf.keras.metrics.binary_accuracy`, ...): each maps
`(y_true, y_pred)` to per-sample values with one dispatched pure jnp function.

The losses that are also metrics (`mean_squared_error`, `hinge`, ...) are the functions of
`jaxport.modules.losses`, as in tf_keras; only the metric's cosine similarity (positive) is here.
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


# -- cosine similarity (the metric is positive, the loss its negative) -------------------------


def _l2_normalize(x, axis):
    return x * jax.lax.rsqrt(jnp.maximum(jnp.sum(jnp.square(x), axis=axis, keepdims=True), 1e-12))


def _cosine_similarity_pure(y_true, y_pred, axis):
    return jnp.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """`tf.keras.metrics.cosine_similarity`: the cosine of the angle along `axis` (positive,
    unlike the loss)."""
    return dispatch(_cosine_similarity_pure, *_float_pair(y_true, y_pred), axis=int(axis))
