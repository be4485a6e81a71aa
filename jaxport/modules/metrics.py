"""`tf.keras.metrics`: stateful metrics whose state lives in Variables (updated inside the
compiled train step, read at the end of an epoch). Under a strategy the state variables sum
the replicas' contributions (aggregation 'sum')."""

from __future__ import annotations

from typing import Any, Callable

import jax.numpy as jnp

from jaxport.eager import Tensor, raw_op
from jaxport.modules import naming
from jaxport.modules.base_layer import Layer
from jaxport.modules.losses import squeeze_or_expand
from jaxport.ops import math_ops
from jaxport.ops._helpers import as_input

SUM = "sum"


def _mean_update_pure(total, count, values, weights):
    if weights is None:
        return total + jnp.sum(values).astype(total.dtype), count + jnp.asarray(values.size, count.dtype)
    weights = jnp.broadcast_to(weights, values.shape).astype(values.dtype)
    return total + jnp.sum(values * weights).astype(total.dtype), count + jnp.sum(weights).astype(count.dtype)


class Metric(Layer):
    """`tf.keras.metrics.Metric`: `update_state`, `result`, `reset_state`; calling updates and
    returns the result."""

    def __init__(self, name: str | None = None, dtype: Any = None, **kwargs: Any):
        super().__init__(name=name or naming.to_snake_case(type(self).__name__), dtype=dtype, **kwargs)
        self.built = True

    def add_weight(self, name: str, shape: Any = (), dtype: Any = None, initializer: Any = "zeros", **kwargs: Any):
        kwargs.setdefault("aggregation", SUM)
        return super().add_weight(
            name=name, shape=shape, dtype=dtype, initializer=initializer, trainable=False, **kwargs
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Tensor:
        self.update_state(*args, **kwargs)
        return self.result()

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError

    def result(self) -> Tensor:
        raise NotImplementedError

    def reset_state(self) -> None:
        """Zero every state variable."""
        for v in self.variables:
            v.assign(jnp.zeros(v.shape.as_list(), v.dtype.as_numpy_dtype))

    reset_states = reset_state


class Mean(Metric):
    """`tf.keras.metrics.Mean`: the (weighted) mean of all values seen."""

    def __init__(self, name: str = "mean", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        with naming.name_scope(self.name):
            self.total = self.add_weight("total")
            self.count = self.add_weight("count")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        v = as_input(values)
        v = v._value if isinstance(v, Tensor) else v._current_value()
        v = v.astype(self.total.dtype.as_numpy_dtype)
        w = None
        if sample_weight is not None:
            sw = as_input(sample_weight)
            w = (sw._value if isinstance(sw, Tensor) else sw._current_value()).astype(v.dtype)
            if w.ndim > v.ndim and w.shape[-1] == 1:
                w = w.reshape(w.shape[:-1])
            while w.ndim < v.ndim:
                w = w[..., None]
        total, count = raw_op(_mean_update_pure, self.total._current_value(), self.count._current_value(), v, w)
        self.total._set_current_value(total)
        self.count._set_current_value(count)

    def result(self) -> Tensor:
        return math_ops.divide_no_nan(self.total, self.count)


class MeanMetricWrapper(Mean):
    """A Mean of per-sample values `fn(y_true, y_pred)`."""

    def __init__(self, fn: Callable, name: str | None = None, dtype: Any = None, **kwargs: Any):
        super().__init__(name=name or fn.__name__, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true = as_input(y_true)
        y_pred = as_input(y_pred)
        y_pred, y_true = squeeze_or_expand(y_pred, y_true)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        super().update_state(values, sample_weight)


def _binary_accuracy_pure(y_true, y_pred, threshold):
    pred = (y_pred > threshold).astype(y_pred.dtype)
    return jnp.mean((y_true.astype(y_pred.dtype) == pred).astype(y_pred.dtype), axis=-1)


def _sparse_accuracy_pure(y_true, y_pred):
    labels = y_true
    if labels.ndim == y_pred.ndim:
        labels = labels[..., 0]
    return (jnp.argmax(y_pred, axis=-1).astype(jnp.float32) == labels.astype(jnp.float32)).astype(jnp.float32)


def _categorical_accuracy_pure(y_true, y_pred):
    return (jnp.argmax(y_true, axis=-1) == jnp.argmax(y_pred, axis=-1)).astype(jnp.float32)


def _accuracy_pure(y_true, y_pred):
    return (y_true.astype(y_pred.dtype) == y_pred).astype(jnp.float32)


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Tensor:
    """Per-sample share of predictions on the right side of `threshold`."""
    from jaxport.eager import dispatch

    return dispatch(_binary_accuracy_pure, as_input(y_true), as_input(y_pred), threshold=float(threshold))


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """1.0 where argmax(y_pred) equals the integer label."""
    from jaxport.eager import dispatch

    return dispatch(_sparse_accuracy_pure, as_input(y_true), as_input(y_pred))


def categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """1.0 where argmax(y_pred) equals argmax(y_true)."""
    from jaxport.eager import dispatch

    return dispatch(_categorical_accuracy_pure, as_input(y_true), as_input(y_pred))


def accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """1.0 where values are equal."""
    from jaxport.eager import dispatch

    return dispatch(_accuracy_pure, as_input(y_true), as_input(y_pred))


class BinaryAccuracy(MeanMetricWrapper):
    """`tf.keras.metrics.BinaryAccuracy`."""

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """`tf.keras.metrics.SparseCategoricalAccuracy`."""

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class CategoricalAccuracy(MeanMetricWrapper):
    """`tf.keras.metrics.CategoricalAccuracy`."""

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class Accuracy(MeanMetricWrapper):
    """`tf.keras.metrics.Accuracy`: exact equality."""

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(accuracy, name=name, dtype=dtype)


def resolve(identifier: Any, y_true_shape: Any, y_pred_shape: Any) -> Metric:
    """A metric object for `compile(metrics=[...])`; 'accuracy' picks binary, sparse or
    categorical accuracy from the shapes, as Keras 2 does."""
    if isinstance(identifier, Metric):
        return identifier
    if identifier in ("accuracy", "acc"):
        p_last = y_pred_shape[-1] if len(y_pred_shape) else 1
        t_last = y_true_shape[-1] if len(y_true_shape) else 1
        if p_last == 1:
            return MeanMetricWrapper(binary_accuracy, name=identifier)
        if len(y_true_shape) < len(y_pred_shape) or (t_last == 1 and p_last > 1):
            return MeanMetricWrapper(sparse_categorical_accuracy, name=identifier)
        return MeanMetricWrapper(categorical_accuracy, name=identifier)
    table = {
        "binary_accuracy": BinaryAccuracy,
        "sparse_categorical_accuracy": SparseCategoricalAccuracy,
        "categorical_accuracy": CategoricalAccuracy,
    }
    if isinstance(identifier, str):
        if identifier in table:
            return table[identifier]()
        from jaxport.modules import losses

        try:
            fn = losses.get(identifier)
        except ValueError:
            raise ValueError(
                f"Unknown metric function: '{identifier}'. Please ensure you are using a "
                "`keras.utils.custom_object_scope` and that this object is included in the scope."
            ) from None
        return MeanMetricWrapper(lambda t, p: fn.call(t, p), name=identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        return MeanMetricWrapper(identifier, name=getattr(identifier, "__name__", "metric"))
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")
