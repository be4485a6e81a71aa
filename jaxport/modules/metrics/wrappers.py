"""Keras 2's metrics that average a per-sample function: accuracies, and every loss as a
metric (`MeanSquaredError`, `BinaryCrossentropy`, `Hinge`, ...), with tf_keras's names."""

from __future__ import annotations

from typing import Any

from jaxport.modules import losses
from jaxport.modules.metrics import functions as fns
from jaxport.modules.metrics.base import MeanMetricWrapper


class Accuracy(MeanMetricWrapper):
    """`tf.keras.metrics.Accuracy`: how often predictions equal labels."""

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(fns.accuracy, name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """`tf.keras.metrics.BinaryAccuracy`: how often `y_pred > threshold` matches binary labels."""

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5):
        super().__init__(fns.binary_matches, name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """`tf.keras.metrics.CategoricalAccuracy`: how often `argmax(y_pred) == argmax(y_true)`."""

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None):
        super().__init__(fns.categorical_matches, name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """`tf.keras.metrics.SparseCategoricalAccuracy`: how often `argmax(y_pred)` is the label."""

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None):
        super().__init__(fns.sparse_categorical_matches, name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """`tf.keras.metrics.TopKCategoricalAccuracy`: how often `argmax(y_true)` is in the top `k`."""

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None):
        super().__init__(fns.top_k_categorical_accuracy, name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """`tf.keras.metrics.SparseTopKCategoricalAccuracy`: how often the label is in the top `k`."""

    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy", dtype: Any = None):
        super().__init__(fns.sparse_top_k_categorical_accuracy, name, dtype=dtype, k=k)


class MeanSquaredError(MeanMetricWrapper):
    """`tf.keras.metrics.MeanSquaredError`."""

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(losses.mean_squared_error, name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """`tf.keras.metrics.MeanAbsoluteError`."""

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None):
        super().__init__(losses.mean_absolute_error, name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """`tf.keras.metrics.MeanAbsolutePercentageError`."""

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype: Any = None):
        super().__init__(losses.mean_absolute_percentage_error, name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """`tf.keras.metrics.MeanSquaredLogarithmicError`."""

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype: Any = None):
        super().__init__(losses.mean_squared_logarithmic_error, name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """`tf.keras.metrics.CosineSimilarity`: the mean cosine of the angle along `axis`."""

    def __init__(self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1):
        super().__init__(fns.cosine_similarity, name, dtype=dtype, axis=axis)


class LogCoshError(MeanMetricWrapper):
    """`tf.keras.metrics.LogCoshError`: the mean log-cosh of the error."""

    def __init__(self, name: str = "logcosh", dtype: Any = None):
        super().__init__(losses.log_cosh, name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """`tf.keras.metrics.Poisson`."""

    def __init__(self, name: str = "poisson", dtype: Any = None):
        super().__init__(losses.poisson, name, dtype=dtype)


class KLDivergence(MeanMetricWrapper):
    """`tf.keras.metrics.KLDivergence`."""

    def __init__(self, name: str = "kullback_leibler_divergence", dtype: Any = None):
        super().__init__(losses.kl_divergence, name, dtype=dtype)


class Hinge(MeanMetricWrapper):
    """`tf.keras.metrics.Hinge`."""

    def __init__(self, name: str = "hinge", dtype: Any = None):
        super().__init__(losses.hinge, name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """`tf.keras.metrics.SquaredHinge`."""

    def __init__(self, name: str = "squared_hinge", dtype: Any = None):
        super().__init__(losses.squared_hinge, name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """`tf.keras.metrics.CategoricalHinge`."""

    def __init__(self, name: str = "categorical_hinge", dtype: Any = None):
        super().__init__(losses.categorical_hinge, name, dtype=dtype)


class BinaryCrossentropy(MeanMetricWrapper):
    """`tf.keras.metrics.BinaryCrossentropy` (a Keras sigmoid output's logits are used, as in
    the loss)."""

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
    ):
        super().__init__(
            losses.binary_crossentropy, name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing
        )


class CategoricalCrossentropy(MeanMetricWrapper):
    """`tf.keras.metrics.CategoricalCrossentropy`."""

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ):
        super().__init__(
            losses.categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """`tf.keras.metrics.SparseCategoricalCrossentropy`."""

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
    ):
        super().__init__(
            losses.sparse_categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
