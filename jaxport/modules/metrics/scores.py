"""Keras 2's metrics with their own state: RootMeanSquaredError, MeanRelativeError, R2Score,
FBetaScore and F1Score."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, raw_op
from jaxport.modules.losses import squeeze_or_expand
from jaxport.modules.metrics.base import Mean, Metric, divide_no_nan, raw, to_tensor


def _squared_difference(a, b):
    return jnp.square(a - b)


def _rmse_result(total, count):
    return jnp.sqrt(divide_no_nan(total, count))


class RootMeanSquaredError(Mean):
    """`tf.keras.metrics.RootMeanSquaredError`: `sqrt(mean((y_pred - y_true)**2))`."""

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None):
        super().__init__(name, dtype=dtype)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's squared errors."""
        y_true = to_tensor(y_true, self._dtype)
        y_pred = to_tensor(y_pred, self._dtype)
        y_pred, y_true = squeeze_or_expand(y_pred, y_true)
        super().update_state(Tensor(raw_op(_squared_difference, raw(y_pred), raw(y_true))), sample_weight)

    def result(self) -> Tensor:
        return Tensor(raw_op(_rmse_result, self.total._current_value(), self.count._current_value()))


def _relative_error(y_true, y_pred, normalizer):
    return divide_no_nan(jnp.abs(y_true - y_pred), normalizer)


class MeanRelativeError(Mean):
    """`tf.keras.metrics.MeanRelativeError`: the mean of `|y_true - y_pred| / normalizer`."""

    def __init__(self, normalizer: Any, name: str | None = None, dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.normalizer = to_tensor(normalizer, self._dtype)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's relative errors.

        Raises:
          ValueError: `y_pred` and `y_true` have incompatible shapes.
        """
        y_true = to_tensor(y_true, self._dtype)
        y_pred = to_tensor(y_pred, self._dtype)
        y_pred, y_true = squeeze_or_expand(y_pred, y_true)
        y_pred, normalizer = squeeze_or_expand(y_pred, self.normalizer)
        if tuple(y_pred.shape) != tuple(y_true.shape):
            from jaxport.modules.metrics.functions import _shape

            raise ValueError(f"Shapes {_shape(y_pred.shape)} and {_shape(y_true.shape)} are incompatible")
        values = raw_op(_relative_error, raw(y_true), raw(y_pred), raw(normalizer))
        super().update_state(Tensor(values), sample_weight)

    def get_config(self) -> dict:
        import numpy as np

        return {**super().get_config(), "normalizer": np.asarray(self.normalizer._value)}


def _check_2d(metric: str, y_true_shape: tuple, y_pred_shape: tuple) -> None:
    if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
        raise ValueError(
            f"{metric} expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
            f"y_pred.shape={_dims(y_pred_shape)} and y_true.shape={_dims(y_true_shape)}."
        )


def _dims(shape: tuple) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _r2_update(num_samples, squared_sum, total, residual, count, y_true, y_pred, weights):
    if weights is None:
        weights = jnp.ones((), y_true.dtype)
    if weights.ndim == 1:
        weights = weights[:, None]
    weights = jnp.broadcast_to(weights, y_true.shape)
    weighted = y_true * weights
    return (
        num_samples + jnp.asarray(y_true.size, num_samples.dtype),
        squared_sum + _row_sum(y_true * weighted),
        total + _row_sum(weighted),
        residual + _row_sum(jnp.square(y_true - y_pred) * weights),
        count + _row_sum(weights),
    )


def _row_sum(x):
    """The sum over rows, row after row: R2's `sum_sq - sum**2 / n` cancels, so it is summed
    in TF's order rather than XLA's (which differs in the last bits)."""
    return jax.lax.scan(lambda acc, row: (acc + row, None), jnp.zeros(x.shape[1:], x.dtype), x)[0]


def _r2_result(num_samples, squared_sum, total, residual, count, *, aggregation, num_regressors):
    mean = total / count
    spread = squared_sum - total * mean
    raw_scores = 1 - residual / spread
    raw_scores = jnp.where(jnp.isinf(raw_scores), 0.0, raw_scores)
    if aggregation == "uniform_average":
        score = jnp.mean(raw_scores)
    elif aggregation == "variance_weighted_average":
        score = jnp.sum(spread * raw_scores) / jnp.sum(spread)
    else:
        score = raw_scores
    if num_regressors:
        n = num_samples.astype(jnp.float32)
        p = jnp.float32(num_regressors)
        adjusted = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
        score = jnp.where(num_regressors < num_samples - 1, adjusted, score)  # else TF falls back (and warns)
    return score


class R2Score(Metric):
    """`tf.keras.metrics.R2Score`: the coefficient of determination per output column, averaged.

    Args:
      class_aggregation: 'uniform_average' (default), 'variance_weighted_average' or None (per column).
      num_regressors: > 0 for the adjusted R2 score.
    """

    reset_state = Metric._zero_state

    def __init__(
        self,
        class_aggregation: str | None = "uniform_average",
        num_regressors: int = 0,
        name: str = "r2_score",
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError(
                "Invalid value for argument `class_aggregation`. Expected one of "
                f"{valid}. Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_weight(name="num_samples", dtype="int32")
        self.built = False

    def build(self, y_true_shape: tuple, y_pred_shape: tuple) -> None:
        """Create the per-column state for inputs (batch, columns).

        Raises:
          ValueError: the inputs are not 2-D.
        """
        _check_2d("R2Score", y_true_shape, y_pred_shape)
        columns = y_pred_shape[-1]
        self.squared_sum = self.add_weight(name="squared_sum", shape=[columns], initializer="zeros")
        self.sum = self.add_weight(name="sum", shape=[columns], initializer="zeros")
        self.total_mse = self.add_weight(name="residual", shape=[columns], initializer="zeros")
        self.count = self.add_weight(name="count", shape=[columns], initializer="zeros")
        self.built = True

    def _state(self) -> list:
        return [self.num_samples, self.squared_sum, self.sum, self.total_mse, self.count]

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's sums."""
        t = raw(y_true, self._dtype)
        p = raw(y_pred, self._dtype)
        if not self.built:
            self.build(tuple(t.shape), tuple(p.shape))
        self._write(self._state(), _r2_update, t, p, raw(sample_weight, self._dtype))

    def result(self) -> Tensor:
        if not self.built:  # as in Keras 2, the per-column state does not exist yet
            raise AttributeError("'R2Score' object has no attribute 'sum'")
        values = [v._current_value() for v in self._state()]
        score = raw_op(_r2_result, *values, aggregation=self.class_aggregation, num_regressors=int(self.num_regressors))
        return Tensor(score)

    def get_config(self) -> dict:
        config = {"class_aggregation": self.class_aggregation, "num_regressors": self.num_regressors}
        return {**super().get_config(), **config}


def _fbeta_update(tp, fp, fn, support, y_true, y_pred, weights, *, threshold, axis):
    if threshold is None:
        top = jnp.max(y_pred, axis=-1, keepdims=True)
        pred = (y_pred >= top) & (jnp.abs(y_pred) > 1e-9)
    else:
        pred = y_pred > threshold
    pred = pred.astype(y_true.dtype)

    def weighted_sum(value):
        if weights is not None:
            value = value * weights[:, None]
        return jnp.sum(value, axis=axis)

    return (
        tp + weighted_sum(pred * y_true),
        fp + weighted_sum(pred * (1 - y_true)),
        fn + weighted_sum((1 - pred) * y_true),
        support + weighted_sum(y_true),
    )


def _fbeta_result(tp, fp, fn, support, *, beta, average):
    precision = divide_no_nan(tp, tp + fp)
    recall = divide_no_nan(tp, tp + fn)
    score = divide_no_nan(precision * recall, beta**2 * precision + recall) * (1 + beta**2)
    if average == "weighted":
        score = jnp.sum(score * divide_no_nan(support, jnp.sum(support)))
    elif average is not None:
        score = jnp.mean(score)
    return score


class FBetaScore(Metric):
    """`tf.keras.metrics.FBetaScore`: `(1 + beta**2) * p * r / (beta**2 * p + r)` per class.

    Args:
      average: None (per class), 'micro' (global counts), 'macro' (mean) or 'weighted' (by support).
      beta: the weight of recall (a float > 0).
      threshold: predictions above it are positive; default the row's maximum.
    """

    reset_state = Metric._zero_state

    def __init__(
        self,
        average: str | None = None,
        beta: float = 1.0,
        threshold: float | None = None,
        name: str = "fbeta_score",
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', 'weighted'}. "
                f"Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                "Invalid `beta` argument value. It should be a Python float. "
                f"Received: beta={beta} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                    f"Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self.built = False

    def build(self, y_true_shape: tuple, y_pred_shape: tuple) -> None:
        """Create the per-class (or, for 'micro', scalar) counts.

        Raises:
          ValueError: the inputs are not 2-D.
        """
        _check_2d("FBetaScore", y_true_shape, y_pred_shape)
        shape = [] if self.average == "micro" else [y_pred_shape[-1]]
        self.true_positives = self.add_weight("true_positives", shape=shape, initializer="zeros")
        self.false_positives = self.add_weight("false_positives", shape=shape, initializer="zeros")
        self.false_negatives = self.add_weight("false_negatives", shape=shape, initializer="zeros")
        self.intermediate_weights = self.add_weight("intermediate_weights", shape=shape, initializer="zeros")
        self.built = True

    def _state(self) -> list:
        return [self.true_positives, self.false_positives, self.false_negatives, self.intermediate_weights]

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's counts."""
        t = raw(y_true, self._dtype)
        p = raw(y_pred, self._dtype)
        if not self.built:
            self.build(tuple(t.shape), tuple(p.shape))
        static = dict(threshold=self.threshold, axis=self.axis)
        self._write(self._state(), _fbeta_update, t, p, raw(sample_weight, self._dtype), **static)

    def result(self) -> Tensor:
        values = [v._current_value() for v in self._state()]
        return Tensor(raw_op(_fbeta_result, *values, beta=float(self.beta), average=self.average))

    def get_config(self) -> dict:
        return {**super().get_config(), "average": self.average, "beta": self.beta, "threshold": self.threshold}


class F1Score(FBetaScore):
    """`tf.keras.metrics.F1Score`: FBetaScore with beta 1."""

    def __init__(
        self, average: str | None = None, threshold: float | None = None, name: str = "f1_score", dtype: Any = None
    ):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config
