"""What `compile` sets up for the train step (Keras's compile_utils): the compiled loss,
plus regularization losses, with its tracker, the compiled metrics, and class weights."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxport.eager import Tensor
from jaxport.ops import math_ops
from jaxport.ops._helpers import shape_of

__all__ = ["LossesContainer", "MetricsContainer", "class_sample_weights"]


class LossesContainer:
    """`model.compiled_loss` (Keras 2): the compiled loss plus regularization losses, and the
    update of the loss tracker (weighted by the batch size, symbolic under a None batch)."""

    def __init__(self, model: Any):
        self._model = model

    def value(self, y_true: Any, y_pred: Any, sample_weight: Any = None, regularization_losses: Any = ()) -> Tensor:
        """The loss, without updating the tracker.

        Raises:
          ValueError: `compile()` was given no loss.
        """
        state = self._model._require_compiled()
        if state.loss is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        loss = state.loss(y_true, y_pred, sample_weight)
        if regularization_losses:
            loss = math_ops.add(loss, math_ops.cast(math_ops.add_n(list(regularization_losses)), loss.dtype))
        return loss

    def track(self, loss: Tensor, y_pred: Any) -> None:
        """Add the batch's loss to the loss tracker."""
        batch = shape_of(y_pred)[0] if y_pred.ndim else 1
        weight = np.float32(batch) if isinstance(batch, int) else jnp.asarray(batch, jnp.float32)
        self._model._compile_state.loss_tracker.update_state(loss, sample_weight=Tensor(weight))

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None, regularization_losses: Any = None):
        loss = self.value(y_true, y_pred, sample_weight, regularization_losses or ())
        self.track(loss, y_pred)
        return loss

    @property
    def metrics(self) -> list:
        state = self._model._compile_state
        return [] if state is None else [state.loss_tracker]


class MetricsContainer:
    """`model.compiled_metrics` (Keras 2): updates the metrics given to `compile` (sample
    weights weight the `weighted_metrics` only)."""

    def __init__(self, model: Any):
        self._model = model

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        model = self._model
        model._ensure_metrics(y_true, y_pred)
        state = model._compile_state
        for metric, weighted in zip(state.metrics, state.weighted):
            metric.update_state(y_true, y_pred, sample_weight if weighted else None)

    @property
    def metrics(self) -> list:
        state = self._model._compile_state
        return [] if state is None else list(state.metrics or [])


def class_sample_weights(class_weight: dict, y: Any, sample_weight: Any) -> np.ndarray:
    """Keras's `class_weight`: each sample weighted by its class's weight (labels as ints, or
    the argmax of one-hot rows), times any `sample_weight`.

    Raises:
      ValueError: the keys are not the classes 0..n-1 (TF's message).
      NotImplementedError: `y` is not an array (a Dataset).
    """
    keys = sorted(class_weight)
    if keys != list(range(len(keys))):
        raise ValueError(
            "Expected `class_weight` to be a dict with keys from 0 to one less than the number of classes, "
            f"found {class_weight}"
        )
    labels = y
    if not isinstance(labels, np.ndarray):
        raise NotImplementedError("jaxport applies `class_weight` to array labels, not to a Dataset's.")
    if labels.ndim == 2 and labels.shape[1] > 1:
        labels = labels.argmax(axis=1)
    table = np.asarray([class_weight[k] for k in keys], np.float32)
    weights = table[np.clip(labels.reshape(len(labels), -1)[:, 0].astype(np.int64), 0, len(keys) - 1)]
    if sample_weight is not None:
        weights = weights * np.asarray(sample_weight, np.float32).reshape(len(weights))
    return weights
