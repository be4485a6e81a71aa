"""`tf.keras.losses.Loss`, `LossFunctionWrapper` and the built-in loss classes (Keras 2).

`loss(y_true, y_pred, sample_weight=None)` computes the per-sample values with `call`, folds
any Keras mask into the weights, then weights and reduces them (`Reduction`; AUTO is
SUM_OVER_BATCH_SIZE: the weighted sum over the number of elements).
"""

from __future__ import annotations

from typing import Any, Callable

from jaxport.context import state as _state
from jaxport.eager import Tensor
from jaxport.modules.losses import functions as F
from jaxport.modules.losses.reduction import (
    Reduction,
    _is_tensor,
    apply_valid_mask,
    compute_weighted_loss,
    squeeze_or_expand_dimensions,
)
from jaxport.ops import math_ops
from jaxport.ops._helpers import concrete
from jaxport.strategy_context import has_strategy

_DISTRIBUTED_REDUCTION_ERROR = (
    "Please use `tf.keras.losses.Reduction.SUM` or `tf.keras.losses.Reduction.NONE` for loss reduction "
    "when losses are used with `tf.distribute.Strategy`, except for specifying losses in "
    "`Model.compile()` for use by the built-in training looop `Model.fit()`.\nPlease see "
    "https://www.tensorflow.org/tutorials/distribute/custom_training for more details."
)


def _call_autograph(fn: Callable, y_true: Any, y_pred: Any, kwargs: dict[str, Any]) -> Any:
    """`fn(y_true, y_pred, **kwargs)`; while a `function` traces, in its AutoGraph-converted
    form (as tf_keras converts a Loss's `call` and a wrapped function), so Python control flow
    on Tensors in a user's loss works; jaxport's own functions run as they are."""
    if _state.trace is None:
        return fn(y_true, y_pred, **kwargs)
    from jaxport.autograph.conversion import call_converted

    return call_converted(fn, (y_true, y_pred), kwargs)


class Loss:
    """`tf.keras.losses.Loss`: subclass it and override `call(y_true, y_pred)` (per-sample values).

    Args:
      reduction: a `tf.keras.losses.Reduction` key (default AUTO).
      name: the loss's name (None by default for direct subclasses, as in tf_keras).

    Raises:
      ValueError: an unknown reduction key (TF's message).
    """

    def __init__(self, reduction: str = Reduction.AUTO, name: str | None = None):
        Reduction.validate(reduction)
        self.reduction = reduction
        self.name = name
        self._allow_sum_over_batch_size = False

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        """The weighted, reduced loss.

        Args:
          y_true: labels, shape `[batch, d0, ..., dN]`.
          y_pred: predictions of the same shape (or one trailing size-1 axis apart).
          sample_weight: a scalar, per-sample `[batch]` / `[batch, 1]`, or per-element weights.

        Returns:
          A scalar, or the weighted per-sample losses for `Reduction.NONE`.
        """
        losses = _call_autograph(self.call, y_true, y_pred, {})
        in_mask = getattr(y_pred, "_keras_mask", None)
        out_mask = getattr(losses, "_keras_mask", None)
        if in_mask is not None and out_mask is not None:
            mask = math_ops.logical_and(in_mask, out_mask)
        else:
            mask = in_mask if in_mask is not None else out_mask
        reduction = self._get_reduction()
        sample_weight = apply_valid_mask(losses, sample_weight, mask, reduction)
        return compute_weighted_loss(losses, sample_weight, reduction=reduction)

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        """The per-sample losses; subclasses implement it."""
        raise NotImplementedError("Must be implemented in subclasses.")

    def _get_reduction(self) -> str:
        """The effective reduction (AUTO is SUM_OVER_BATCH_SIZE). As TF, AUTO and SUM_OVER_BATCH_SIZE
        are refused under a strategy (in its scope or `run`) outside `compile`."""
        if (
            not self._allow_sum_over_batch_size
            and self.reduction in (Reduction.AUTO, Reduction.SUM_OVER_BATCH_SIZE)
            and (_state.replica is not None or has_strategy())
        ):
            raise ValueError(_DISTRIBUTED_REDUCTION_ERROR)
        if self.reduction == Reduction.AUTO:
            return Reduction.SUM_OVER_BATCH_SIZE
        return self.reduction

    def get_config(self) -> dict[str, Any]:
        """`{'reduction': ..., 'name': ...}`."""
        return {"reduction": self.reduction, "name": self.name}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        """`cls(**config)`."""
        return cls(**config)


def _config_value(value: Any) -> Any:
    if _is_tensor(value):
        array = concrete(value)
        return array.tolist() if array is not None else value
    return value


class LossFunctionWrapper(Loss):
    """A Loss from a per-sample function `fn(y_true, y_pred, **kwargs)`.

    `call` first aligns the ranks of Tensor inputs (a trailing size-1 axis of `y_pred` or
    `y_true` is squeezed when their ranks differ by one); NumPy inputs are left as they are,
    so `(3,)` labels against `(3, 1)` NumPy predictions broadcast, as in tf_keras.
    """

    def __init__(self, fn: Callable, reduction: str = Reduction.AUTO, name: str | None = None, **kwargs: Any):
        super().__init__(reduction=reduction, name=name)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        """`fn(y_true, y_pred, **kwargs)` after the rank alignment."""
        if _is_tensor(y_pred) and _is_tensor(y_true):
            y_pred, y_true = squeeze_or_expand_dimensions(y_pred, y_true)
        return _call_autograph(self.fn, y_true, y_pred, self._fn_kwargs)

    def get_config(self) -> dict[str, Any]:
        """The base config, the function's keyword arguments, and `fn` (its registered name)."""
        config = super().get_config()
        config.update({k: _config_value(v) for k, v in self._fn_kwargs.items()})
        config["fn"] = getattr(self.fn, "__name__", None)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        """`cls(**config)`; a plain LossFunctionWrapper looks its `fn` up by name. As tf_keras,
        this pops `fn` from the given dict."""
        fn_name = config.pop("fn", None)
        if fn_name and cls is LossFunctionWrapper:
            from jaxport.modules.losses.serialization import get

            config["fn"] = get(fn_name)
        return cls(**config)


class MeanSquaredError(LossFunctionWrapper):
    """`tf.keras.losses.MeanSquaredError`: `mean(square(y_true - y_pred))`."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "mean_squared_error"):
        super().__init__(F.mean_squared_error, name=name, reduction=reduction)


class MeanAbsoluteError(LossFunctionWrapper):
    """`tf.keras.losses.MeanAbsoluteError`: `mean(abs(y_true - y_pred))`."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "mean_absolute_error"):
        super().__init__(F.mean_absolute_error, name=name, reduction=reduction)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """`tf.keras.losses.MeanAbsolutePercentageError`: `100 * mean(abs((y_true - y_pred) / y_true))`."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "mean_absolute_percentage_error"):
        super().__init__(F.mean_absolute_percentage_error, name=name, reduction=reduction)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """`tf.keras.losses.MeanSquaredLogarithmicError`: `mean(square(log(y_true + 1) - log(y_pred + 1)))`."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "mean_squared_logarithmic_error"):
        super().__init__(F.mean_squared_logarithmic_error, name=name, reduction=reduction)


class Huber(LossFunctionWrapper):
    """`tf.keras.losses.Huber`: quadratic within `delta` of the target, linear beyond."""

    def __init__(self, delta: float = 1.0, reduction: str = Reduction.AUTO, name: str = "huber_loss"):
        super().__init__(F.huber, name=name, reduction=reduction, delta=delta)


class LogCosh(LossFunctionWrapper):
    """`tf.keras.losses.LogCosh`: `log(cosh(y_pred - y_true))`."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "log_cosh"):
        super().__init__(F.log_cosh, name=name, reduction=reduction)


class CosineSimilarity(LossFunctionWrapper):
    """`tf.keras.losses.CosineSimilarity`: `-sum(l2_norm(y_true) * l2_norm(y_pred), axis)`."""

    def __init__(self, axis: int = -1, reduction: str = Reduction.AUTO, name: str = "cosine_similarity"):
        super().__init__(F.cosine_similarity, reduction=reduction, name=name, axis=axis)


class Hinge(LossFunctionWrapper):
    """`tf.keras.losses.Hinge`: `max(1 - y_true * y_pred, 0)` ({0, 1} labels become {-1, 1})."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "hinge"):
        super().__init__(F.hinge, name=name, reduction=reduction)


class SquaredHinge(LossFunctionWrapper):
    """`tf.keras.losses.SquaredHinge`: `square(max(1 - y_true * y_pred, 0))`."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "squared_hinge"):
        super().__init__(F.squared_hinge, name=name, reduction=reduction)


class CategoricalHinge(LossFunctionWrapper):
    """`tf.keras.losses.CategoricalHinge`: `max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "categorical_hinge"):
        super().__init__(F.categorical_hinge, name=name, reduction=reduction)


class KLDivergence(LossFunctionWrapper):
    """`tf.keras.losses.KLDivergence`: `y_true * log(y_true / y_pred)` (both clipped to [1e-7, 1])."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "kl_divergence"):
        super().__init__(F.kl_divergence, name=name, reduction=reduction)


class Poisson(LossFunctionWrapper):
    """`tf.keras.losses.Poisson`: `y_pred - y_true * log(y_pred + 1e-7)`."""

    def __init__(self, reduction: str = Reduction.AUTO, name: str = "poisson"):
        super().__init__(F.poisson, name=name, reduction=reduction)


class BinaryCrossentropy(LossFunctionWrapper):
    """`tf.keras.losses.BinaryCrossentropy` (probabilities clipped at 1e-7; a Keras sigmoid's
    output uses its logits)."""

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str = Reduction.AUTO,
        name: str = "binary_crossentropy",
    ):
        super().__init__(
            F.binary_crossentropy,
            name=name,
            reduction=reduction,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """`tf.keras.losses.BinaryFocalCrossentropy`: binary cross-entropy down-weighting easy
    examples by `(1 - p_t)**gamma`; `apply_class_balancing` weights 1s by `alpha`, 0s by `1 - alpha`."""

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str = Reduction.AUTO,
        name: str = "binary_focal_crossentropy",
    ):
        super().__init__(
            F.binary_focal_crossentropy,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            name=name,
            reduction=reduction,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma


class CategoricalCrossentropy(LossFunctionWrapper):
    """`tf.keras.losses.CategoricalCrossentropy` (one-hot or probability labels over `axis`)."""

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str = Reduction.AUTO,
        name: str = "categorical_crossentropy",
    ):
        super().__init__(
            F.categorical_crossentropy,
            name=name,
            reduction=reduction,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """`tf.keras.losses.CategoricalFocalCrossentropy`: `alpha * (1 - p)**gamma` times the
    categorical cross-entropy."""

    def __init__(
        self,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str = Reduction.AUTO,
        name: str = "categorical_focal_crossentropy",
    ):
        super().__init__(
            F.categorical_focal_crossentropy,
            alpha=alpha,
            gamma=gamma,
            name=name,
            reduction=reduction,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.alpha = alpha
        self.gamma = gamma


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """`tf.keras.losses.SparseCategoricalCrossentropy` (integer labels); positions labelled
    `ignore_class` are left out of the loss and of the SUM_OVER_BATCH_SIZE count."""

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: int | None = None,
        reduction: str = Reduction.AUTO,
        name: str = "sparse_categorical_crossentropy",
    ):
        super().__init__(
            F.sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            from_logits=from_logits,
            ignore_class=ignore_class,
        )
