"""Keras 2's metric base classes: `Metric`, `Reduce` (`Sum`, `Mean`, `SumOverBatchSize`),
`MeanTensor` and the wrappers that turn a per-sample function into a streaming metric.

A metric is a Layer whose state is NNX Variables made by `add_weight` (non-trainable,
aggregation SUM: under a MirroredStrategy the replicas' increments are summed, as TF's
SyncOnRead SUM variables are). Each `update_state` computes the new state with one pure
jnp function (`raw_op`: one cached `jax.jit` eagerly, plain tracing inside a `function`),
then writes it to the Variables.
"""

from __future__ import annotations

from typing import Any, Callable

import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.eager import Tensor, raw_op
from jaxport.modules.base_layer import Layer
from jaxport.modules.losses import squeeze_or_expand
from jaxport.ops import math_ops
from jaxport.ops._helpers import as_input, raw_value
from jaxport.variables import Variable

SUM = "sum"


class Reduction:
    """`metrics_utils.Reduction`: how `Reduce` combines values."""

    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"
    WEIGHTED_MEAN = "weighted_mean"


def to_tensor(x: Any, dtype: Any = None) -> Tensor | Variable:
    """`x` as a Tensor (Variables kept), cast to `dtype` when given (same-dtype inputs keep
    their identity, so a Keras sigmoid output keeps its logits, as `tf.cast` does)."""
    t = as_input(x)
    if dtype is not None and t.dtype != _dtypes.as_dtype(dtype):
        t = math_ops.cast(t, dtype)
    return t


def raw(x: Any, dtype: Any = None) -> Any:
    """The jax array of `x` (cast to `dtype` when given); None stays None."""
    if x is None:
        return None
    return raw_value(to_tensor(x, dtype))


def _weights_broadcastable(weights_shape: tuple, values_shape: tuple) -> bool:
    """TF's `broadcast_weights` rule: scalar weights, or the same rank with each dim 1 or equal."""
    if len(weights_shape) == 0:
        return True
    if len(weights_shape) != len(values_shape):
        return False
    return all(w in (1, v) for w, v in zip(weights_shape, values_shape))


def align_sample_weight(values_shape: tuple, weights: Any) -> Any:
    """Keras's `squeeze_or_expand_dimensions` for a sample weight: a trailing dim dropped or
    added when its rank differs from the values' by one (a scalar stays a scalar)."""
    if weights is None or weights.ndim == 0:
        return weights
    if weights.ndim - len(values_shape) == 1:
        if weights.shape[-1] != 1:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Can not squeeze dim[{weights.ndim - 1}], expected a dimension of 1, got {weights.shape[-1]} "
                "[Op:Squeeze]",
            )
        return jnp.squeeze(weights, -1)
    if len(values_shape) - weights.ndim == 1:
        return weights[..., None]
    return weights


def check_weights(values_shape: tuple, weights: Any) -> None:
    """Raise TF's InvalidArgumentError when the (aligned) weights cannot multiply the values."""
    if weights is None:
        return
    shape = tuple(align_sample_weight(tuple(values_shape), weights).shape)
    if _weights_broadcastable(shape, tuple(values_shape)) or len(shape) < len(values_shape):
        return
    try:
        np.broadcast_shapes(shape, tuple(values_shape))
    except ValueError:
        raise errors.InvalidArgumentError(
            None, None, f"Incompatible shapes: {_dims(values_shape)} vs. {_dims(shape)} [Op:Mul]"
        ) from None


def _dims(shape: tuple) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _reduce_update(total, count, values, weights, reduction):
    """New (total, count) of a `Reduce` metric after `values` with `weights` (Keras 2's rules)."""
    if weights is not None:
        weights = align_sample_weight(values.shape, weights.astype(values.dtype))
        if _weights_broadcastable(weights.shape, values.shape):
            weights = jnp.broadcast_to(weights, values.shape)
        elif weights.ndim < values.ndim:  # reduce the values down to the weights' rank
            axes = tuple(range(weights.ndim, values.ndim))
            values = jnp.sum(values, axes) if reduction == Reduction.SUM else jnp.mean(values, axes)
        values = values * weights
    total = total + jnp.sum(values).astype(total.dtype)
    if count is None:
        return (total,)
    if reduction == Reduction.WEIGHTED_MEAN and weights is not None:
        return total, count + jnp.sum(weights).astype(count.dtype)
    return total, count + jnp.asarray(values.size, count.dtype)


def _divide_no_nan(x, y):
    safe = jnp.where(y == 0, jnp.ones_like(y), y)
    return jnp.where(y == 0, jnp.zeros_like(x), x / safe)


class Metric(Layer):
    """`tf.keras.metrics.Metric`: a stateful metric (`update_state`, `result`, `reset_state`);
    calling it updates the state and returns the result.

    Args:
      name: the metric name; default a unique snake_case name of the class (`auc_1`).
      dtype: the dtype of the state and result (default float32).
    """

    _is_metric = True  # not listed in a model's `layers` (its variables are still its weights)

    def __init__(self, name: str | None = None, dtype: Any = None, **kwargs: Any):
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.stateful = True
        self.built = True

    def add_weight(
        self,
        name: str,
        shape: Any = (),
        aggregation: Any = SUM,
        synchronization: Any = None,
        initializer: Any = None,
        dtype: Any = None,
    ) -> Variable:
        """A state variable: non-trainable, zeros by default, summed across replicas."""
        return super().add_weight(
            name=name,
            shape=shape,
            dtype=dtype,
            initializer=initializer or "zeros",
            trainable=False,
            aggregation=(aggregation or SUM).lower() if isinstance(aggregation, str) else SUM,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Tensor:
        self.update_state(*args, **kwargs)
        return self.result()

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Accumulate statistics of a batch (override)."""
        raise NotImplementedError("Must be implemented in subclasses.")

    def result(self) -> Tensor:
        """The metric value from the state (override)."""
        raise NotImplementedError("Must be implemented in subclasses.")

    def reset_state(self) -> None:
        """Set every state variable to zero (between epochs, as Keras does).

        Keras 2 assigns the scalar 0, so a subclass with non-scalar state must override this
        (the built-in metrics do); otherwise nothing is changed and TF's error is raised.

        Raises:
          ValueError: a non-scalar state variable (TF's "Shape mismatch" message).
        """
        for v in self.variables:
            if v.ndim:
                raise ValueError(
                    f"Cannot assign value to variable ' {v.name}': Shape mismatch.The variable shape "
                    f"{_shape_text(tuple(v.shape))}, and the assigned value shape () are incompatible."
                )
        self._zero_state()

    def _zero_state(self) -> None:
        """Set every state variable to zeros of its shape."""
        for v in self.variables:
            v._set_current_value(jnp.zeros(v.shape.as_list(), v.dtype.as_numpy_dtype))

    def reset_states(self) -> None:
        """Deprecated alias of `reset_state`."""
        self.reset_state()

    def merge_state(self, metrics: list) -> None:
        """Add the state of other metrics of the same kind to this one's.

        Raises:
          ValueError: a metric whose variables do not match this one's.
        """
        for metric in metrics:
            if len(self.weights) != len(metric.weights):
                raise ValueError(f"Metric {metric} is not compatible with {self}")
        for metric in metrics:
            for weight, other in zip(self.weights, metric.weights):
                weight.assign_add(other)

    def _write(self, variables: list, fn: Callable, *inputs: Any, **static: Any) -> None:
        """Run the pure update `fn(*states, *inputs, **static) -> new states` and store them."""
        states = [v._current_value() for v in variables]
        new = raw_op(fn, *states, *inputs, **static)
        for var, value in zip(variables, new):
            var._set_current_value(value)

    @property
    def dtype(self) -> str:
        return self._dtype.name

    def get_config(self) -> dict:
        """`{'name', 'dtype'}` plus the constructor arguments (Keras's metric config)."""
        return {"name": self.name, "dtype": self.dtype}

    def __str__(self) -> str:
        args = ",".join(f"{k}={v}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Reduce(Metric):
    """A metric that reduces values: `Reduction.SUM`, `WEIGHTED_MEAN` or `SUM_OVER_BATCH_SIZE`."""

    def __init__(self, reduction: str, name: str | None, dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.reduction = reduction
        self.total = self.add_weight("total", initializer="zeros")
        if reduction in (Reduction.SUM_OVER_BATCH_SIZE, Reduction.WEIGHTED_MEAN):
            self.count = self.add_weight("count", initializer="zeros")

    def _state(self) -> list:
        return [self.total] if self.reduction == Reduction.SUM else [self.total, self.count]

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        """Add `values` (weighted by `sample_weight`, broadcast as Keras does) to the state.

        Raises:
          InvalidArgumentError: weights whose shape does not broadcast to the values'.
        """
        v = raw(values, self._dtype)
        w = raw(sample_weight, self._dtype)
        check_weights(v.shape, w)
        if self.reduction == Reduction.SUM:
            self._write([self.total], _sum_update, v, w)
        else:
            self._write([self.total, self.count], _reduce_update, v, w, reduction=self.reduction)

    def result(self) -> Tensor:
        if self.reduction == Reduction.SUM:
            return Tensor(raw_op(_identity, self.total._current_value()))
        return Tensor(raw_op(_divide_no_nan, self.total._current_value(), self.count._current_value()))


def _sum_update(total, values, weights):
    return _reduce_update(total, None, values, weights, Reduction.SUM)


def _identity(x):
    return x


class Sum(Reduce):
    """`tf.keras.metrics.Sum`: the (weighted) sum of all values seen."""

    def __init__(self, name: str = "sum", dtype: Any = None):
        super().__init__(Reduction.SUM, name=name, dtype=dtype)


class Mean(Reduce):
    """`tf.keras.metrics.Mean`: the (weighted) mean of all values seen (`total / count`)."""

    def __init__(self, name: str = "mean", dtype: Any = None):
        super().__init__(Reduction.WEIGHTED_MEAN, name=name, dtype=dtype)


class SumOverBatchSize(Reduce):
    """The weighted sum of values over their number (`total / count` of elements)."""

    def __init__(self, name: str = "sum_over_batch_size", dtype: Any = None):
        super().__init__(Reduction.SUM_OVER_BATCH_SIZE, name=name, dtype=dtype)


def _wrapped_update(metric: Any, y_true: Any, y_pred: Any, sample_weight: Any) -> None:
    """Keras's wrapper update: cast, align ranks, per-sample values of `fn`, and a Keras mask
    on them (e.g. `ignore_class`) folded into the sample weights."""
    from jaxport.modules.losses.reduction import apply_valid_mask

    y_true = to_tensor(y_true, metric._dtype)
    y_pred = to_tensor(y_pred, metric._dtype)
    y_pred, y_true = squeeze_or_expand(y_pred, y_true)
    values = metric._fn(y_true, y_pred, **metric._fn_kwargs)
    mask = getattr(values, "_keras_mask", None)
    sample_weight = apply_valid_mask(values, sample_weight, mask, metric.reduction)
    Reduce.update_state(metric, values, sample_weight)


class MeanMetricWrapper(Mean):
    """`tf.keras.metrics.MeanMetricWrapper`: the mean of per-sample values `fn(y_true, y_pred)`.

    Args:
      fn: the per-sample function, `fn(y_true, y_pred, **kwargs)` on Tensors.
      name: the metric name (default a unique `mean_metric_wrapper`).
      dtype: the dtype of inputs, state and result (default float32).
      **kwargs: passed on to `fn`.
    """

    def __init__(self, fn: Callable, name: str | None = None, dtype: Any = None, **kwargs: Any):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the per-sample values of a batch (both inputs cast to the metric's dtype, a
        trailing 1 squeezed where the ranks differ by one)."""
        _wrapped_update(self, y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        config = dict(self._fn_kwargs)
        if type(self) is MeanMetricWrapper:
            config["fn"] = self._fn
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict) -> MeanMetricWrapper:
        """Recreate the metric; a plain wrapper looks its `fn` up by name."""
        config = dict(config)
        fn = config.pop("fn", None)
        if cls is MeanMetricWrapper:
            from jaxport.modules.metrics import get

            return cls(get(fn), **config)
        return cls(**config)


class SumOverBatchSizeMetricWrapper(SumOverBatchSize):
    """The sum of per-sample values `fn(y_true, y_pred)` over their number."""

    def __init__(self, fn: Callable, name: str | None = None, dtype: Any = None, **kwargs: Any):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the per-sample values of a batch."""
        _wrapped_update(self, y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        return {**super().get_config(), **self._fn_kwargs}


def _mean_tensor_update(total, count, values, weights):
    ones = jnp.ones_like(values)
    if weights is not None:
        weights = align_sample_weight(values.shape, weights.astype(values.dtype))
        if _weights_broadcastable(weights.shape, values.shape):
            weights = jnp.broadcast_to(weights, values.shape)
        elif weights.ndim < values.ndim:
            values = jnp.mean(values, tuple(range(weights.ndim, values.ndim)))
        ones = ones * weights
        values = values * weights
    return total + values, count + ones


class MeanTensor(Metric):
    """`tf.keras.metrics.MeanTensor`: the element-wise (weighted) mean of tensors of one shape.

    Args:
      name: the metric name.
      dtype: the dtype of state and result.
      shape: the values' shape; default the shape of the first `update_state`.
    """

    def __init__(self, name: str = "mean_tensor", dtype: Any = None, shape: Any = None):
        super().__init__(name=name, dtype=dtype)
        self._shape = None
        self._total = None
        self._count = None
        self._built = False
        if shape is not None:
            self._build(shape)

    def _build(self, shape: Any) -> None:
        self._shape = tuple(int(d) for d in shape)
        self._total = self.add_weight("total", shape=self._shape, initializer="zeros")
        self._count = self.add_weight("count", shape=self._shape, initializer="zeros")
        self._built = True

    @property
    def total(self) -> Variable | None:
        return self._total if self._built else None

    @property
    def count(self) -> Variable | None:
        return self._count if self._built else None

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        """Add `values` element-wise.

        Raises:
          ValueError: `values` has another shape than the first call's.
        """
        v = raw(values, self._dtype)
        if not self._built:
            self._build(v.shape)
        elif tuple(v.shape) != self._shape:
            raise ValueError(
                "MeanTensor input values must always have the same shape. Expected shape (set during "
                f"the first call): {_shape_text(self._shape)}. Got: {_shape_text(v.shape)}."
            )
        self._write([self._total, self._count], _mean_tensor_update, v, raw(sample_weight, self._dtype))

    def result(self) -> Tensor:
        """The element-wise mean.

        Raises:
          ValueError: nothing was added yet (the shape is unknown).
        """
        if not self._built:
            raise ValueError(
                "MeanTensor does not have any value yet. Please call the MeanTensor instance or use "
                "`.update_state(value)` before retrieving the result."
            )
        return Tensor(raw_op(_divide_no_nan, self._total._current_value(), self._count._current_value()))

    def reset_state(self) -> None:
        if self._built:
            self._zero_state()


def _shape_text(shape: Any) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def divide_no_nan(x: Any, y: Any) -> Any:
    """`tf.math.divide_no_nan` on raw arrays (for results computed inside pure functions)."""
    return _divide_no_nan(x, y)


__all__ = [
    "Metric",
    "Reduce",
    "Sum",
    "Mean",
    "SumOverBatchSize",
    "MeanMetricWrapper",
    "SumOverBatchSizeMetricWrapper",
    "MeanTensor",
    "Reduction",
]
