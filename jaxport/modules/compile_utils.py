"""What `compile` sets up for the train step (Keras's compile_utils): the compiled loss,
plus regularization losses, with its tracker, the compiled metrics, and class weights."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaxport.eager import Tensor
from jaxport.modules.compile_outputs import (
    _batch_weight,
    build_output_metrics,
    flatten_outputs,
    is_multi_output,
    multi_output_loss,
    output_names,
    update_output_metrics,
)
from jaxport.ops import math_ops

__all__ = [
    "LossesContainer",
    "MetricsContainer",
    "check_duplicated_metrics",
    "class_sample_weights",
    "compiled_loss_object",
    "get_metric_object",
    "match_dtype_and_rank",
]


class _UnknownLoss:
    """A loss name `compile` could not find: Keras 2 looks losses up when the compiled loss is
    first built (in `fit`/`evaluate`), so the error is raised then, not by `compile`."""

    def __init__(self, identifier: str, error: ValueError):
        self.identifier = identifier
        self.name = identifier
        self._error = error

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(str(self._error))


def compiled_loss_object(identifier: Any) -> Any:
    """The loss `compile(loss=...)` stores: `losses.loss_for_compile(identifier)`, except that
    an unknown name fails at the first use, as in TF ("Unknown loss function: ..."). A list or
    dict (one loss per output) keeps its structure, None entries included."""
    from jaxport.modules import losses as losses_mod

    if isinstance(identifier, (list, tuple)):
        return [None if item is None else compiled_loss_object(item) for item in identifier]
    if isinstance(identifier, dict):
        return {key: None if item is None else compiled_loss_object(item) for key, item in identifier.items()}

    try:
        return losses_mod.loss_for_compile(identifier)
    except ValueError as exc:
        if not isinstance(identifier, str):
            raise
        return _UnknownLoss(identifier, exc)


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
        if is_multi_output(self._model, state, y_pred):
            loss = multi_output_loss(self._model, state, y_true, y_pred, sample_weight)
        else:
            loss = state.loss(y_true, y_pred, sample_weight)
            state.output_losses = None
        state.loss_built = True
        if regularization_losses:
            loss = math_ops.add(loss, math_ops.cast(math_ops.add_n(list(regularization_losses)), loss.dtype))
        return loss

    def track(self, loss: Tensor, y_pred: Any) -> None:
        """Add the batch's loss to the loss tracker (and each output's loss to its tracker)."""
        state = self._model._compile_state
        first = flatten_outputs(y_pred, output_names(self._model, y_pred))[0]
        state.loss_tracker.update_state(loss, sample_weight=_batch_weight(first))
        for tracker, value, pred in getattr(state, "output_losses", None) or ():
            tracker.update_state(value, sample_weight=_batch_weight(pred))

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
        """Update each compiled metric with the batch (labels and weights matched to the
        predictions' rank and dtype, as Keras's `match_dtype_and_rank`)."""
        model = self._model
        state = model._compile_state
        multi = is_multi_output(model, state, y_pred)
        if state.metrics is None:
            self._build(y_true, y_pred, multi)
        if y_true is None or not state.metrics:
            return
        if multi:
            update_output_metrics(model, state, y_true, y_pred, sample_weight)
            return
        y_true, y_pred, sample_weight = match_dtype_and_rank(y_true, y_pred, sample_weight)
        for metric, weighted in zip(state.metrics, state.weighted):
            metric.update_state(y_true, y_pred, sample_weight=sample_weight if weighted else None)

    def _build(self, y_true: Any, y_pred: Any, multi: bool = False) -> None:
        """Make the metric objects (names made while the step is traced count per graph, as
        in TF) and check that their names are unique.

        Raises:
          ValueError: two metrics (or two weighted metrics) with the same name (TF's message).
        """
        model = self._model
        from jaxport.context import state as trace_state
        from jaxport.modules import naming

        ensure = (
            (lambda: build_output_metrics(model, model._compile_state, y_true, y_pred))
            if multi
            else (lambda: model._ensure_metrics(y_true, y_pred))
        )
        if trace_state.trace is not None:
            with naming.graph_counters():
                ensure()
        else:
            ensure()
        state = model._compile_state
        if multi:
            return  # names checked per output as they were made
        seen: set[str] = set()
        for metric, weighted in zip(state.metrics, state.weighted):
            if metric.name in seen:
                state.metrics = None  # built again (and refused again) on the next call, as TF
                kind = "weighted metrics" if weighted else "metrics"
                gap = "" if weighted else " "
                raise ValueError(
                    f"Found two {kind} with the same name: {metric.name}.{gap}All the metrics added to the "
                    "model need to have unique names."
                )
            seen.add(metric.name)

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


def match_dtype_and_rank(y_true: Any, y_pred: Any, sample_weight: Any) -> tuple:
    """Keras's `match_dtype_and_rank`: rank-1 labels/weights of rank-2 predictions get a
    trailing axis; labels take the predictions' dtype when both are float or both integer;
    weights take the predictions' dtype."""
    from jaxport.ops import array_ops
    from jaxport.ops._helpers import as_input

    y_true, y_pred = as_input(y_true), as_input(y_pred)
    if y_true.ndim == 1 and y_pred.ndim == 2:
        y_true = array_ops.expand_dims(y_true, -1)
    if sample_weight is not None:
        sample_weight = as_input(sample_weight)
        if sample_weight.ndim == 1 and y_pred.ndim == 2:
            sample_weight = array_ops.expand_dims(sample_weight, -1)
    same_kind = (y_true.dtype.is_floating and y_pred.dtype.is_floating) or (
        y_true.dtype.is_integer and y_pred.dtype.is_integer
    )
    if same_kind and y_true.dtype != y_pred.dtype:
        y_true = math_ops.cast(y_true, y_pred.dtype)
    if sample_weight is not None and sample_weight.dtype != y_pred.dtype:
        sample_weight = math_ops.cast(sample_weight, y_pred.dtype)
    return y_true, y_pred, sample_weight


_BY_OUTPUT = {
    "accuracy": ("binary_accuracy", "sparse_categorical_accuracy", "categorical_accuracy"),
    "crossentropy": ("binary_crossentropy", "sparse_categorical_crossentropy", "categorical_crossentropy"),
}


def get_metric_object(metric: Any, y_true_shape: tuple, y_pred_shape: tuple) -> Any:
    """The Metric for one entry of `compile(metrics=...)`, as tf_keras's compile_utils makes it.

    'accuracy'/'acc' and 'crossentropy'/'ce' (any case) pick the binary, sparse categorical or
    categorical function from the shapes (binary when the output's last dim is 1; sparse when
    the labels have a lower rank, or a last dim of 1 against more classes). Other names go
    through `tf.keras.metrics.get`; a function becomes a `MeanMetricWrapper` named as the user
    wrote it (`'mae'` stays `mae`) or after the function. An unknown name is kept and fails
    when the metric is first updated, as in TF ("'str' object is not callable").

    Raises:
      ValueError: a callable without a name.
    """
    from jaxport.modules import metrics as metrics_mod

    if metric is None:
        return None
    key = str(metric).lower()
    if key in ("accuracy", "acc", "crossentropy", "ce"):
        t_rank, p_rank = len(y_true_shape), len(y_pred_shape)
        t_last = y_true_shape[-1] if t_rank else None
        p_last = y_pred_shape[-1] if p_rank else None
        binary, sparse, categorical = _BY_OUTPUT["accuracy" if key in ("accuracy", "acc") else "crossentropy"]
        if p_last == 1:
            chosen = binary
        elif t_rank < p_rank or (t_last == 1 and p_last != 1):
            chosen = sparse
        else:
            chosen = categorical
        metric_obj = getattr(metrics_mod, chosen)
    else:
        metric_obj = metrics_mod.get(metric)
    if not isinstance(metric_obj, metrics_mod.Metric):
        if isinstance(metric, str):
            name = metric
        else:
            name = custom_object_name(metric)
            if name is None:
                raise ValueError(f"Metric should be a callable, received: {metric}")
        metric_obj = metrics_mod.MeanMetricWrapper(metric_obj, name=name)
    return metric_obj


def custom_object_name(obj: Any) -> str | None:
    """The name of a user's loss or metric callable: its `name`, `__name__`, or its class's
    name in snake_case (tf_keras's `get_custom_object_name`)."""
    from jaxport.modules import naming

    if hasattr(obj, "name"):
        return obj.name
    if hasattr(obj, "__name__"):
        return obj.__name__
    if hasattr(obj, "__class__"):
        return naming.to_snake_case(type(obj).__name__)
    return None


def check_duplicated_metrics(metrics: Any, weighted_metrics: Any) -> None:
    """Refuse one Metric object given twice to `compile` (it would be updated twice), as Keras 2.

    Raises:
      ValueError: a Metric instance that occurs more than once in `metrics` + `weighted_metrics`.
    """
    from jaxport.modules import metrics as metrics_mod

    seen: list = []
    duplicated: list = []
    for item in list(metrics or []) + list(weighted_metrics or []):
        if isinstance(item, metrics_mod.Metric):
            if any(item is other for other in seen):
                duplicated.append(item)
            seen.append(item)
    if duplicated:
        raise ValueError(
            "Found duplicated metrics object in the user provided metrics and weighted metrics. This will "
            "cause the same metric object to be updated multiple times, and report wrong results. \n"
            f"Duplicated items: {duplicated}"
        )
