"""`tf.keras.losses` with Keras 2 numerics.

Cross-entropies given a Keras sigmoid/softmax output use its logits (`_keras_logits`), as
tf.keras does; other probabilities are clipped to [1e-7, 1 - 1e-7]. The default reduction,
SUM_OVER_BATCH_SIZE, divides the weighted sum by the number of elements.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp

from jaxport.context import state as _state
from jaxport.eager import Tensor, dispatch
from jaxport.ops import math_ops
from jaxport.ops._helpers import as_input
from jaxport.ops.nn_ops import sigmoid_cross_entropy_pure

EPSILON = 1e-7


class Reduction:
    """`tf.keras.losses.Reduction`."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls) -> tuple:
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key: str) -> None:
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')


# -- pure per-sample losses (y_true already cast to y_pred's dtype) -----------------------


def _bce_probs(y_true, y_pred):
    eps = jnp.asarray(EPSILON, y_pred.dtype)
    p = jnp.clip(y_pred, eps, 1 - eps)
    # The barrier keeps XLA from rewriting (1 - p) + eps as (1 + eps) - p, which rounds
    # differently in float32 than TF's kernels (20.0 logit: 15.249 instead of TF's 15.333).
    one_minus_p = jax.lax.optimization_barrier(1 - p)
    bce = y_true * jnp.log(p + eps) + (1 - y_true) * jnp.log(one_minus_p + eps)
    return jnp.mean(-bce, axis=-1)


def _bce_logits(y_true, logits):
    return jnp.mean(sigmoid_cross_entropy_pure(y_true, logits), axis=-1)


def _cce_probs(y_true, y_pred, axis):
    p = y_pred / jnp.sum(y_pred, axis=axis, keepdims=True)
    p = jnp.clip(p, EPSILON, 1.0 - EPSILON)
    return -jnp.sum(y_true * jnp.log(p), axis=axis)


def _cce_logits(y_true, logits, axis):
    return -jnp.sum(y_true * jax.nn.log_softmax(logits, axis=axis), axis=axis)


def _sparse_cce_probs(y_true, y_pred, axis):
    logp = jnp.log(jnp.clip(y_pred, EPSILON, 1.0 - EPSILON))
    return _sparse_cce_logits(y_true, logp, axis)


def _sparse_cce_logits(y_true, logits, axis):
    labels = y_true.astype(jnp.int32)
    if labels.ndim == logits.ndim:
        labels = jnp.squeeze(labels, axis=-1)
    logp = jax.nn.log_softmax(logits, axis=axis)
    return -jnp.take_along_axis(logp, labels[..., None], axis=axis)[..., 0]


def _mse(y_true, y_pred):
    return jnp.mean(jnp.square(y_pred - y_true), axis=-1)


def _mae(y_true, y_pred):
    return jnp.mean(jnp.abs(y_pred - y_true), axis=-1)


for _fn, _name in [
    (_bce_probs, "BinaryCrossentropy"),
    (_bce_logits, "BinaryCrossentropy"),
    (_cce_probs, "CategoricalCrossentropy"),
    (_cce_logits, "CategoricalCrossentropy"),
    (_sparse_cce_probs, "SparseCategoricalCrossentropy"),
    (_sparse_cce_logits, "SparseCategoricalCrossentropy"),
    (_mse, "MeanSquaredError"),
    (_mae, "MeanAbsoluteError"),
]:
    _fn.tf_op_name = _name


def _logits_of(y_pred: Any, activation_op: str) -> Any:
    """The logits behind a Keras sigmoid/softmax output (or a traced tf.sigmoid), else None."""
    logits = getattr(y_pred, "_keras_logits", None)
    if logits is not None:
        return logits
    if activation_op == "sigmoid" and _state.trace is not None:
        return getattr(y_pred, "_sigmoid_input", None)
    return None


# -- functional losses ------------------------------------------------------------------


def _prepare(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    y_pred = as_input(y_pred)
    if not y_pred.dtype.is_floating:
        y_pred = math_ops.cast(y_pred, "float32")
    y_true = math_ops.cast(as_input(y_true), y_pred.dtype)
    return y_true, y_pred


def binary_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Per-sample binary cross-entropy, the mean over the last axis."""
    logits = _logits_of(y_pred, "sigmoid") if not from_logits else None
    y_true, y_pred = _prepare(y_true, y_pred)
    if label_smoothing:
        y_true = math_ops.add(math_ops.multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    if from_logits:
        return dispatch(_bce_logits, y_true, y_pred)
    if logits is not None:
        return dispatch(_bce_logits, y_true, logits)
    return dispatch(_bce_probs, y_true, y_pred)


def categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Per-sample categorical cross-entropy over `axis` (one-hot labels)."""
    logits = _logits_of(y_pred, "softmax") if not from_logits else None
    y_true, y_pred = _prepare(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"Arguments `target` and `output` must have the same shape. Received: "
            f"target.shape={y_true.shape}, output.shape={y_pred.shape}"
        )
    if label_smoothing:
        n = y_pred.shape[-1]
        y_true = math_ops.add(math_ops.multiply(y_true, 1.0 - label_smoothing), label_smoothing / n)
    if from_logits or logits is not None:
        return dispatch(_cce_logits, y_true, y_pred if from_logits else logits, axis=axis)
    return dispatch(_cce_probs, y_true, y_pred, axis=axis)


def sparse_categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, axis: int = -1, ignore_class: Any = None
) -> Tensor:
    """Per-sample cross-entropy with integer labels."""
    logits = _logits_of(y_pred, "softmax") if not from_logits else None
    y_pred = as_input(y_pred)
    y_true = as_input(y_true)
    if from_logits or logits is not None:
        return dispatch(_sparse_cce_logits, y_true, y_pred if from_logits else logits, axis=axis)
    return dispatch(_sparse_cce_probs, y_true, y_pred, axis=axis)


def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """Per-sample mean of squared errors over the last axis."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return dispatch(_mse, y_true, y_pred)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """Per-sample mean of absolute errors over the last axis."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return dispatch(_mae, y_true, y_pred)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error


# -- Loss classes --------------------------------------------------------------------------


def squeeze_or_expand(y_pred: Any, y_true: Any) -> tuple[Any, Any]:
    """Keras's rank alignment: drop a trailing 1 from the higher-rank side when ranks differ by one."""
    from jaxport.ops import array_ops

    p_rank, t_rank = y_pred.ndim, y_true.ndim
    if p_rank - t_rank == 1 and y_pred.shape[-1] == 1:
        y_pred = array_ops.squeeze(y_pred, -1)
    elif t_rank - p_rank == 1 and y_true.shape[-1] == 1:
        y_true = array_ops.squeeze(y_true, -1)
    return y_pred, y_true


def _reduce_pure(losses, weights, reduction):
    if weights is not None:
        losses = losses * weights
    total = jnp.sum(losses)
    if reduction == "sum":
        return total
    # SUM_OVER_BATCH_SIZE: divide by the element count (not the weights' sum); 0 when empty
    return total / losses.size if losses.size else jnp.zeros_like(total)


_reduce_pure.tf_op_name = "ReduceLoss"


def compute_weighted_loss(losses: Tensor, sample_weight: Any, reduction: str) -> Tensor:
    """Weight per-sample losses and reduce them (NONE keeps them; SUM; SUM_OVER_BATCH_SIZE)."""
    if sample_weight is not None:
        sw = math_ops.cast(as_input(sample_weight), losses.dtype)
        if sw.ndim > losses.ndim and sw.shape[-1] == 1:
            from jaxport.ops import array_ops

            sw = array_ops.squeeze(sw, -1)
        if sw.ndim < losses.ndim:
            from jaxport.ops import array_ops

            while sw.ndim < losses.ndim:
                sw = array_ops.expand_dims(sw, -1)
    else:
        sw = None
    if reduction == Reduction.NONE:
        return losses if sw is None else math_ops.multiply(losses, sw)
    return dispatch(_reduce_pure, losses, sw, reduction="sum" if reduction == Reduction.SUM else "mean")


class Loss:
    """`tf.keras.losses.Loss`: `loss(y_true, y_pred, sample_weight)` reduces per-sample `call` values."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str | None = None):
        Reduction.validate(reduction)
        self.reduction = reduction
        self.name = name or type(self).__name__
        self._allow_sum_over_batch_size = False

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        raise NotImplementedError("Must be implemented in subclasses.")

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        if (
            _state.replica is not None
            and self.reduction in (Reduction.AUTO, Reduction.SUM_OVER_BATCH_SIZE)
            and not self._allow_sum_over_batch_size
        ):
            raise ValueError(
                "Please use `tf.keras.losses.Reduction.SUM` or `tf.keras.losses.Reduction.NONE` for loss reduction "
                "when losses are used with `tf.distribute.Strategy`, except for specifying losses in "
                "`Model.compile()` for use by the built-in training looop `Model.fit()`.\nPlease see "
                "https://www.tensorflow.org/tutorials/distribute/custom_training for more details."
            )
        losses = self.call(y_true, y_pred)
        return compute_weighted_loss(losses, sample_weight, self.reduction)

    def get_config(self) -> dict:
        return {"reduction": self.reduction, "name": self.name}


class LossFunctionWrapper(Loss):
    """A Loss from a per-sample function `fn(y_true, y_pred, **kwargs)`."""

    def __init__(self, fn: Callable, reduction: str = Reduction.AUTO, name: str | None = None, **kwargs: Any):
        super().__init__(reduction=reduction, name=name)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        y_pred_t = as_input(y_pred)
        y_true_t = as_input(y_true)
        logits = getattr(y_pred_t, "_keras_logits", None)
        y_pred_s, y_true_s = squeeze_or_expand(y_pred_t, y_true_t)
        if y_pred_s is not y_pred_t and logits is not None:
            from jaxport.ops import array_ops

            y_pred_s._keras_logits = array_ops.squeeze(logits, -1)
        elif y_pred_s is not y_pred_t and hasattr(y_pred_t, "_sigmoid_input"):
            from jaxport.ops import array_ops

            y_pred_s._sigmoid_input = array_ops.squeeze(y_pred_t._sigmoid_input, -1)
        return self.fn(y_true_s, y_pred_s, **self._fn_kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(self._fn_kwargs)
        return config


class BinaryCrossentropy(LossFunctionWrapper):
    """`tf.keras.losses.BinaryCrossentropy` (Keras 2: clips at 1e-7, uses carried logits)."""

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str = Reduction.AUTO,
        name: str = "binary_crossentropy",
    ):
        super().__init__(
            binary_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits


class CategoricalCrossentropy(LossFunctionWrapper):
    """`tf.keras.losses.CategoricalCrossentropy` (one-hot labels)."""

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str = Reduction.AUTO,
        name: str = "categorical_crossentropy",
    ):
        super().__init__(
            categorical_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """`tf.keras.losses.SparseCategoricalCrossentropy` (integer labels)."""

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: Any = None,
        reduction: str = Reduction.AUTO,
        name: str = "sparse_categorical_crossentropy",
    ):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name, from_logits=from_logits)

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        return self.fn(y_true, y_pred, **self._fn_kwargs)


class MeanSquaredError(LossFunctionWrapper):
    """`tf.keras.losses.MeanSquaredError`."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "mean_squared_error"):
        super().__init__(mean_squared_error, reduction=reduction, name=name)


class MeanAbsoluteError(LossFunctionWrapper):
    """`tf.keras.losses.MeanAbsoluteError`."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "mean_absolute_error"):
        super().__init__(mean_absolute_error, reduction=reduction, name=name)


_BY_NAME = {
    "binary_crossentropy": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "mean_squared_error": MeanSquaredError,
    "mse": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError,
    "mae": MeanAbsoluteError,
}


def get(identifier: Any) -> Loss | Callable:
    """A loss from a name ('binary_crossentropy'), a Loss, or a function."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(
                f"Unknown loss function: '{identifier}'. Please ensure you are using a "
                "`keras.utils.custom_object_scope` and that this object is included in the scope."
            )
        return _BY_NAME[identifier]()
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        return LossFunctionWrapper(identifier, name=getattr(identifier, "__name__", None))
    raise ValueError(f"Could not interpret loss function identifier: {identifier!r}")
