"""`tf.keras.metrics` (Keras 2 / tf_keras 2.21): stateful metrics whose state is NNX Variables,
the stateless metric functions, and `get` / `serialize` / `deserialize` with Keras 2's rules.

A metric's state is made with `add_weight` (non-trainable Variables, aggregation SUM), updated
by pure jnp functions inside the compiled train step, and read at the end of an epoch. Under a
MirroredStrategy the replicas' increments are summed, as TF's SyncOnRead SUM variables are.
"""

import warnings as _warnings
from typing import Any as _Any

from jaxport.modules.losses import (  # noqa: F401
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    hinge,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from jaxport.modules.metrics.auc import AUC
from jaxport.modules.metrics.base import (
    Mean,
    MeanMetricWrapper,
    MeanTensor,
    Metric,
    Reduce,
    Sum,
    SumOverBatchSize,
    SumOverBatchSizeMetricWrapper,
)
from jaxport.modules.metrics.confusion import (
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SensitivitySpecificityBase,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from jaxport.modules.metrics.functions import (
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    cosine_similarity,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from jaxport.modules.metrics.iou import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from jaxport.modules.metrics.scores import F1Score, FBetaScore, MeanRelativeError, R2Score, RootMeanSquaredError
from jaxport.modules.metrics.wrappers import (
    Accuracy,
    BinaryAccuracy,
    BinaryCrossentropy,
    CategoricalAccuracy,
    CategoricalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    KLDivergence,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalAccuracy,
    SparseCategoricalCrossentropy,
    SparseTopKCategoricalAccuracy,
    SquaredHinge,
    TopKCategoricalAccuracy,
)

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
logcosh = log_cosh
kld = KLD = kullback_leibler_divergence = kl_divergence

_CLASSES = {
    cls.__name__: cls
    for cls in (
        Metric, Reduce, Sum, Mean, SumOverBatchSize, SumOverBatchSizeMetricWrapper, MeanMetricWrapper, MeanTensor,
        Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
        SparseTopKCategoricalAccuracy, MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
        MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError, Poisson, KLDivergence, Hinge, SquaredHinge,
        CategoricalHinge, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
        RootMeanSquaredError, MeanRelativeError, R2Score, FBetaScore, F1Score, AUC, Precision, Recall,
        TruePositives, FalsePositives, TrueNegatives, FalseNegatives, SensitivitySpecificityBase,
        SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision,
        IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU,
    )
}  # fmt: skip

# The names `tf.keras.metrics` exports for functions (aliases included), as tf_keras resolves them.
_FUNCTIONS = {
    "accuracy": accuracy, "acc": accuracy, "ACC": accuracy,
    "binary_accuracy": binary_accuracy, "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "top_k_categorical_accuracy": top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy,
    "binary_crossentropy": binary_crossentropy, "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "mean_squared_error": mean_squared_error, "mse": mean_squared_error, "MSE": mean_squared_error,
    "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mean_absolute_percentage_error": mean_absolute_percentage_error,
    "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
    "mean_squared_logarithmic_error": mean_squared_logarithmic_error,
    "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
    "kullback_leibler_divergence": kullback_leibler_divergence, "poisson": poisson,
    "hinge": hinge, "squared_hinge": squared_hinge, "categorical_hinge": categorical_hinge,
    "logcosh": logcosh, "log_cosh": logcosh,
    "cosine_similarity": cosine_similarity, "cosine_proximity": cosine_similarity,
}  # fmt: skip

# Names tf_keras's metrics module holds but does not export: looking them up fails in TF.
_UNEXPORTED = ("bce", "BCE")


def _function_name(fn: _Any) -> str:
    for name, value in _FUNCTIONS.items():
        if value is fn:
            return name
    return getattr(fn, "__name__", str(fn))


def serialize(metric: _Any, use_legacy_format: bool = False) -> _Any:
    """A metric's Keras config: `{'module', 'class_name', 'config', 'registered_name'}` (the
    legacy format has `class_name` and `config` only); functions by name."""
    if metric is None:
        return None
    if not isinstance(metric, Metric):
        _warnings.warn(
            "The `keras.metrics.serialize()` API should only be used for objects of type "
            f"`keras.metrics.Metric`. Found an instance of type {type(metric)}, which may lead to "
            "improper serialization.",
            stacklevel=2,
        )
        if use_legacy_format:
            return _function_name(metric)
        return {
            "module": "builtins",
            "class_name": "function",
            "config": _function_name(metric),
            "registered_name": "function",
        }
    config = metric.get_config()
    if "fn" in config:
        config["fn"] = serialize(config["fn"], use_legacy_format) if callable(config["fn"]) else config["fn"]
    if use_legacy_format:
        return {"class_name": type(metric).__name__, "config": config}
    return {"module": "keras.metrics", "class_name": type(metric).__name__, "config": config, "registered_name": None}


def _from_config(cls: type, config: dict) -> Metric:
    try:
        return cls.from_config(config)
    except TypeError as exc:
        raise TypeError(
            f"Error when deserializing class '{cls.__name__}' using config={config}.\n\nException encountered: {exc}"
        ) from None


def _lookup(name: str) -> _Any:
    if name in _UNEXPORTED:
        config = {"module": "keras.metrics", "class_name": "function", "config": name, "registered_name": name}
        raise TypeError(
            f"Could not locate function '{name}'. Make sure custom classes are decorated with "
            f"`@keras.saving.register_keras_serializable()`. Full object config: {config}"
        )
    if name in _FUNCTIONS:
        return _FUNCTIONS[name]
    if name in _CLASSES:
        return _CLASSES[name]()
    return name  # tf_keras returns an unknown name as it is (a later call of it fails)


def deserialize(config: _Any, custom_objects: dict | None = None, use_legacy_format: bool = False) -> _Any:
    """A metric (or metric function) from a name or a config made by `serialize`.

    Raises:
      ValueError: a legacy config of an unknown class (TF's "Unknown metric function").
      TypeError: a config that the class cannot be built from.
    """
    custom_objects = custom_objects or {}
    if isinstance(config, str):
        if config in custom_objects:
            return custom_objects[config]
        return _lookup(config)
    if isinstance(config, dict):
        class_name = config.get("class_name")
        inner = dict(config.get("config") or {}) if isinstance(config.get("config"), dict) else config.get("config")
        if class_name == "function":
            return deserialize(inner, custom_objects)
        cls = custom_objects.get(class_name) or _CLASSES.get(class_name)
        if cls is None:
            if use_legacy_format:
                raise ValueError(
                    f"Unknown metric function: '{class_name}'. Please ensure you are using a "
                    "`keras.utils.custom_object_scope` and that this object is included in the scope. See "
                    "https://www.tensorflow.org/guide/keras/save_and_serialize#registering_the_custom_object "
                    "for details."
                )
            return class_name
        if isinstance(inner, dict) and isinstance(inner.get("fn"), (str, dict)):
            inner["fn"] = deserialize(inner["fn"], custom_objects, use_legacy_format)
        return _from_config(cls, inner or {})
    return config


def get(identifier: _Any) -> _Any:
    """`tf.keras.metrics.get`: a name gives the function or a new instance of the class
    (`get('mse')` is the function, `get('AUC')` an `AUC()`); a config dict is deserialized; a
    callable is returned as it is; an unknown name is returned unchanged, as tf_keras does.

    Raises:
      ValueError: an identifier of another type.
    """
    if isinstance(identifier, dict):
        return deserialize(identifier, use_legacy_format="module" not in identifier)
    if isinstance(identifier, str):
        return deserialize(str(identifier))
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret metric identifier: {identifier}")


# Names the Keras 2 namespace does not export (still found by `get`, as in tf_keras).
del accuracy, categorical_hinge, cosine_similarity
del Reduce, SumOverBatchSize, SumOverBatchSizeMetricWrapper, SensitivitySpecificityBase


def resolve(identifier: _Any, y_true_shape: _Any, y_pred_shape: _Any) -> Metric:
    """The metric object `compile(metrics=[identifier])` uses (see `compile_utils`)."""
    from jaxport.modules.compile_utils import get_metric_object

    return get_metric_object(identifier, y_true_shape, y_pred_shape)
