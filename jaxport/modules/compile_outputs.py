"""Multi-output `compile` (tf_keras's compile_utils for several outputs): losses, loss weights
and metrics given per output (a list in output order, a dict by output name, or one entry for
all), matched to the model's outputs; per-output loss trackers `<output>_loss` and metric
names `<output>_<metric>` as tf_keras 2.21 logs them."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxport.eager import Tensor
from jaxport.ops._helpers import shape_of

__all__ = [
    "build_output_metrics",
    "flatten_outputs",
    "is_multi_output",
    "map_to_outputs",
    "multi_output_loss",
    "output_names",
    "update_output_metrics",
]


def output_names(model: Any, y_pred: Any) -> list[str]:
    """The model's output names (a Functional model's output layers), else Keras's pseudo
    names `output_1`, `output_2`, ..."""
    names = getattr(model, "output_names", None)
    count = len(y_pred) if isinstance(y_pred, (list, tuple, dict)) else 1
    if names and len(names) == count:
        return list(names)
    if isinstance(y_pred, dict):
        return list(y_pred)
    return [f"output_{i + 1}" for i in range(count)]


def flatten_outputs(value: Any, names: list[str]) -> list:
    """`value` (one per output: a dict by name, a list in order, or a single value) as a list."""
    if isinstance(value, dict):
        return [value.get(name) for name in names]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def is_multi_output(model: Any, state: Any, y_pred: Any) -> bool:
    """Whether `compile`'s per-output handling applies: several outputs, or a loss / loss
    weights / metrics given per output."""
    if isinstance(y_pred, (list, tuple, dict)) and len(y_pred) > 1:
        return True
    return isinstance(state.loss, (list, tuple, dict)) or getattr(state, "loss_weights", None) is not None


def map_to_outputs(struct: Any, names: list[str], strict: bool = False) -> list:
    """One entry per output: a dict by output name (missing names None), a list matched to the
    outputs in order, or a single entry repeated for every output. Losses and loss weights
    are zipped with the outputs as tf_keras does (a short list leaves the last outputs
    without one, extra entries are ignored); `strict` lists (metrics per output) must match.

    Raises:
      ValueError: a dict key that names no output, or a strict list of another length (TF's
        messages).
    """
    if isinstance(struct, dict):
        rest = dict(struct)
        mapped = [rest.pop(name, None) for name in names]
        if rest:
            raise ValueError(
                "Found unexpected losses or metrics that do not correspond to any Model output: "
                f"{rest.keys()}. Valid mode output names: {names}. Received struct is: {rest}."
            )
        return mapped
    if isinstance(struct, (list, tuple)):
        if strict and len(struct) != len(names):
            raise _length_error(len(struct), len(names))
        return [struct[i] if i < len(struct) else None for i in range(len(names))]
    return [struct] * len(names)


def _length_error(given: int, expected: int) -> ValueError:
    return ValueError(
        "The two structures don't have the same sequence length. Input structure has length "
        f"{given}, while shallow structure has length {expected}."
    )


def _targets(y_true: Any, names: list[str]) -> list:
    """The targets per output (a lone array is the one output's)."""
    return flatten_outputs(y_true, names) if len(names) > 1 or isinstance(y_true, dict) else [y_true]


def _sample_weights(sample_weight: Any, names: list[str]) -> list:
    """The sample weights per output (one array weights every output)."""
    if isinstance(sample_weight, (list, tuple, dict)):
        return flatten_outputs(sample_weight, names)
    return [sample_weight] * len(names)


def _batch_weight(pred: Any) -> Tensor:
    batch = shape_of(pred)[0] if pred.ndim else 1
    return Tensor(np.float32(batch) if isinstance(batch, int) else jnp.asarray(batch, jnp.float32))


def multi_output_loss(model: Any, state: Any, y_true: Any, y_pred: Any, sample_weight: Any) -> Tensor:
    """The sum over outputs of loss_i(y_i, pred_i, sw_i) * weight_i (outputs without a loss or
    a target skipped), as tf_keras; each unweighted loss_i is kept for its `<output>_loss`
    tracker (created on the first call, when the model has several outputs).

    Raises:
      ValueError: losses/weights that do not match the outputs, or no loss for any output.
    """
    from jaxport.ops import math_ops

    names = output_names(model, y_pred)
    preds = flatten_outputs(y_pred, names)
    losses = map_to_outputs(state.loss, names)
    loss_weights = getattr(state, "loss_weights", None)
    weights = [None] * len(names) if loss_weights is None else map_to_outputs(loss_weights, names)
    trues = _targets(y_true, names)
    if len(trues) != len(preds):
        raise _length_error(len(trues), len(preds))
    weights_in = _sample_weights(sample_weight, names)
    if getattr(state, "output_loss_trackers", None) is None:
        from jaxport.modules import metrics as metrics_mod

        state.output_loss_trackers = [
            metrics_mod.Mean(name=f"{name}_loss") if loss is not None and len(names) > 1 else None
            for name, loss in zip(names, losses)
        ]
    total = None
    state.output_losses = []
    # tf_keras zips the outputs with the loss-weight list: outputs past a short list get no
    # loss at all (their `<output>_loss` tracker stays 0)
    count = len(loss_weights) if isinstance(loss_weights, (list, tuple)) else len(names)
    entries = list(zip(losses, trues, preds, weights_in, weights, state.output_loss_trackers))[:count]
    for loss_obj, true, pred, sw, weight, tracker in entries:
        if loss_obj is None or true is None:
            continue
        value = loss_obj(true, pred, sw)
        if tracker is not None:
            state.output_losses.append((tracker, value, pred))
        if weight is not None:
            value = math_ops.multiply(value, math_ops.cast(weight, value.dtype))
        total = value if total is None else math_ops.add(total, value)
    if total is None:
        raise ValueError("No loss to compute: `compile()`'s losses name no output that has target data.")
    return total


def build_output_metrics(model: Any, state: Any, y_true: Any, y_pred: Any) -> None:
    """Make each output's metric objects (names prefixed `<output>_` with several outputs; a
    weighted twin named `<output>_weighted_<metric>`), ordered per output, as tf_keras.

    Raises:
      ValueError: metrics that do not match the outputs, or two metrics with the same name.
    """
    from jaxport.modules.compile_utils import get_metric_object

    names = output_names(model, y_pred)
    preds = flatten_outputs(y_pred, names)
    trues = _targets(y_true, names)
    per_output = {}
    for kind, ids in (("plain", state.metric_ids), ("weighted", state.weighted_metric_ids)):
        if isinstance(ids, dict):
            mapped = map_to_outputs(ids, names)
        elif ids and all(isinstance(item, (list, tuple)) for item in ids) and len(names) > 1:
            mapped = map_to_outputs(list(ids), names, strict=True)
        else:
            mapped = [ids] * len(names)
        per_output[kind] = [[] if m is None else list(m) if isinstance(m, (list, tuple)) else [m] for m in mapped]
    multi = len(names) > 1
    seen: set[str] = set()
    ordered, flags, outputs = [], [], []
    for index, name in enumerate(names):
        true_shape = () if trues[index] is None else tuple(trues[index].shape)
        pred_shape = tuple(preds[index].shape)
        for weighted in (False, True):
            for identifier in per_output["weighted" if weighted else "plain"][index]:
                metric = get_metric_object(identifier, true_shape, pred_shape)
                if metric is None:
                    continue
                base = metric.name
                if multi:
                    twin = weighted and f"{name}_{base}" in seen
                    metric._name = f"{name}_weighted_{base}" if twin else f"{name}_{base}"
                elif weighted and base in seen:
                    metric._name = f"weighted_{base}"
                if metric.name in seen:
                    kind = "weighted metrics" if weighted else "metrics"
                    gap = "" if weighted else " "
                    raise ValueError(
                        f"Found two {kind} with the same name: {metric.name}.{gap}All the metrics added to the "
                        "model need to have unique names."
                    )
                seen.add(metric.name)
                ordered.append(metric)
                flags.append(weighted)
                outputs.append(index)
    state.metrics, state.weighted, state.metric_outputs = ordered, flags, outputs


def update_output_metrics(model: Any, state: Any, y_true: Any, y_pred: Any, sample_weight: Any) -> None:
    """Update each metric with its output's targets, predictions and (weighted metrics only)
    sample weights; outputs without targets are skipped."""
    from jaxport.modules.compile_utils import match_dtype_and_rank

    names = output_names(model, y_pred)
    preds = flatten_outputs(y_pred, names)
    trues = _targets(y_true, names)
    sws = _sample_weights(sample_weight, names)
    for metric, weighted, index in zip(state.metrics, state.weighted, state.metric_outputs):
        if trues[index] is None:
            continue
        true, pred, sw = match_dtype_and_rank(trues[index], preds[index], sws[index])
        metric.update_state(true, pred, sample_weight=sw if weighted else None)
