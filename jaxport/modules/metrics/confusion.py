"""Confusion-matrix metrics (Keras 2's `confusion_metrics.py`): TruePositives ... FalseNegatives,
Precision, Recall and the metrics at a fixed sensitivity / specificity / precision / recall.

All share `update_confusion_matrix` (tf_keras's `update_confusion_matrix_variables`): counts of
`y_pred > threshold` against boolean labels per threshold, weighted by the sample weights. For
evenly spaced thresholds it uses the same bucketing as tf_keras's fast path
(`ceil(y_pred * (n - 1)) - 1`, then a reverse cumulative sum), so that predictions on a
threshold land in the same counts as in TF.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import errors
from jaxport.eager import Tensor, raw_op
from jaxport.modules.losses import squeeze_or_expand
from jaxport.modules.metrics.base import Metric, align_sample_weight, divide_no_nan, raw, to_tensor
from jaxport.modules.metrics.functions import NEG_INF, _shape

EPSILON = 1e-7
TP, FP, TN, FN = "tp", "fp", "tn", "fn"


def assert_thresholds_range(thresholds: list | None) -> None:
    """Raise TF's ValueError unless every threshold is in [0, 1]."""
    if thresholds is not None:
        invalid = [t for t in thresholds if t is None or t < 0 or t > 1]
        if invalid:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")


def _to_list(x: Any) -> list:
    return list(x) if isinstance(x, (list, tuple, np.ndarray)) else [x]


def parse_init_thresholds(thresholds: Any, default_threshold: float = 0.5) -> list:
    """The thresholds as a list (range-checked), or `[default_threshold]`."""
    if thresholds is not None:
        assert_thresholds_range(_to_list(thresholds))
    return [float(t) for t in _to_list(default_threshold if thresholds is None else thresholds)]


def is_evenly_distributed_thresholds(thresholds: Any) -> bool:
    """Whether the thresholds are `i / (n - 1)` (n >= 3) to within 1e-7, as tf_keras checks."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=EPSILON))


def _filter_top_k(x, k):
    _, index = jax.lax.top_k(x, k)
    mask = jnp.sum(jax.nn.one_hot(index, x.shape[-1], dtype=x.dtype), axis=-2)
    return x * mask + NEG_INF * (1 - mask)


def _confusion_pure(
    states, y_true, y_pred, sample_weight, label_weights, *, keys, thresholds, evenly, top_k, class_id, multi_label
):
    """New confusion counts (one array per key, shape (T,) or (T, L) when multi_label)."""
    dtype = states[0].dtype
    y_true = y_true.astype(dtype)
    y_pred = y_pred.astype(dtype)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    thresholds_raw = np.asarray(thresholds, np.float64)
    weights = None
    if sample_weight is not None:
        weights = jnp.broadcast_to(sample_weight.astype(dtype), y_pred.shape)
    if label_weights is not None:
        lw = jnp.broadcast_to(label_weights.astype(dtype)[None], y_pred.shape)
        weights = lw if weights is None else weights * lw
    labels = (y_true != 0).astype(dtype)
    n = len(thresholds)
    if evenly:
        with_eps = thresholds_raw[0] < 0.0 or thresholds_raw[-1] > 1.0
        counts = _bucketed_counts(labels, jnp.clip(y_pred, 0.0, 1.0), weights, n, with_eps, multi_label)
    else:
        counts = _thresholded_counts(labels, y_pred, weights, jnp.asarray(thresholds_raw, dtype), multi_label)
    return tuple(state + counts[key] for state, key in zip(states, keys))


def _bucketed_counts(labels, y_pred, weights, n, with_eps, multi_label):
    if weights is None:
        weights = jnp.ones_like(y_pred)
    if not multi_label:
        labels, y_pred, weights = labels.reshape(-1), y_pred.reshape(-1), weights.reshape(-1)
    true_labels = labels * weights
    false_labels = (1.0 - labels) * weights
    buckets = jnp.ceil(y_pred * (n - 1)) - 1
    if with_eps:
        buckets = jnp.maximum(buckets, 0)
    buckets = buckets.astype(jnp.int32)

    def per_label(data, ids):
        summed = jax.ops.segment_sum(data, ids, num_segments=n)
        return jnp.flip(jnp.cumsum(jnp.flip(summed)))

    if multi_label:
        tp = jax.vmap(per_label, in_axes=1, out_axes=1)(true_labels, buckets)
        fp = jax.vmap(per_label, in_axes=1, out_axes=1)(false_labels, buckets)
        total_true, total_false = jnp.sum(true_labels, axis=0), jnp.sum(false_labels, axis=0)
    else:
        tp, fp = per_label(true_labels, buckets), per_label(false_labels, buckets)
        total_true, total_false = jnp.sum(true_labels), jnp.sum(false_labels)
    return {TP: tp, FP: fp, TN: total_false - fp, FN: total_true - tp}


def _thresholded_counts(labels, y_pred, weights, thresholds, multi_label):
    if multi_label:  # (T, N, L) summed over the batch
        pred_pos = y_pred[None] > thresholds[:, None, None]
        label_pos = jnp.broadcast_to(labels[None] > 0, pred_pos.shape)
        w = None if weights is None else weights[None]
    else:
        pred_pos = y_pred.reshape(1, -1) > thresholds[:, None]
        label_pos = jnp.broadcast_to(labels.reshape(1, -1) > 0, pred_pos.shape)
        w = None if weights is None else weights.reshape(1, -1)

    def count(label, pred):
        hits = (label & pred).astype(y_pred.dtype)
        if w is not None:
            hits = hits * w
        return jnp.sum(hits, axis=1)

    return {
        TP: count(label_pos, pred_pos),
        FP: count(~label_pos, pred_pos),
        TN: count(~label_pos, ~pred_pos),
        FN: count(label_pos, ~pred_pos),
    }


def update_confusion_matrix(
    variables: dict,
    y_true: Any,
    y_pred: Any,
    thresholds: list,
    evenly: bool,
    top_k: int | None = None,
    class_id: int | None = None,
    sample_weight: Any = None,
    multi_label: bool = False,
    label_weights: Any = None,
) -> None:
    """Add a batch to the confusion counts in `variables` ({'tp': Variable, ...}).

    Raises:
      ValueError: `y_pred` and `y_true` have incompatible shapes (after Keras's squeeze).
      InvalidArgumentError: `class_id` out of range, or `top_k` above the number of classes.
    """
    dtype = next(iter(variables.values())).dtype
    y_true = to_tensor(y_true, dtype)
    y_pred = to_tensor(y_pred, dtype)
    y_pred, y_true = squeeze_or_expand(y_pred, y_true)
    weights = raw(sample_weight, dtype)
    if weights is not None:
        weights = align_sample_weight(tuple(y_pred.shape), weights)
    if tuple(y_pred.shape) != tuple(y_true.shape):
        raise ValueError(f"Shapes {_shape(y_pred.shape)} and {_shape(y_true.shape)} are incompatible")
    classes = y_pred.shape[-1] if y_pred.ndim else 1
    if top_k is not None and top_k > classes:
        raise errors.InvalidArgumentError(
            None, None, f"input must have at least k columns. Had {classes}, needed {top_k} [Op:TopKV2]"
        )
    if class_id is not None and not -classes <= class_id < classes:
        raise errors.InvalidArgumentError(
            None, None, f"slice index {class_id} of dimension {y_pred.ndim - 1} out of bounds. [Op:StridedSlice]"
        )
    keys = tuple(variables)
    shape = tuple(y_pred.shape) if class_id is None else tuple(y_pred.shape[:-1]) + (1,)
    if weights is not None:
        try:
            np.broadcast_shapes(tuple(weights.shape), shape)
        except ValueError:
            raise ValueError(
                f"weights can not be broadcast to values. values.shape={_shape(shape)}. "
                f"weights.shape={_shape(weights.shape)}."
            ) from None
    lw = None if label_weights is None else raw(label_weights, dtype)
    states = tuple(v._current_value() for v in variables.values())
    new = raw_op(
        _confusion_pure,
        states,
        raw(y_true),
        raw(y_pred),
        weights,
        lw,
        keys=keys,
        thresholds=tuple(float(t) for t in thresholds),
        evenly=bool(evenly),
        top_k=top_k,
        class_id=class_id,
        multi_label=bool(multi_label),
    )
    for var, value in zip(variables.values(), new):
        var._set_current_value(value)


def _ratio(a, b):
    return divide_no_nan(a, a + b)


def _first_or_all(x, single):
    return x[0] if single else x


class _ConfusionMatrixConditionCount(Metric):
    """One confusion count per threshold (`accumulator`)."""

    reset_state = Metric._zero_state

    _condition = TP

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_init_thresholds(thresholds, default_threshold=0.5)
        self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(self.thresholds)
        self.accumulator = self.add_weight("accumulator", shape=(len(self.thresholds),), initializer="zeros")

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's count at each threshold."""
        update_confusion_matrix(
            {self._condition: self.accumulator},
            y_true,
            y_pred,
            self.thresholds,
            self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
        )

    def result(self) -> Tensor:
        return Tensor(raw_op(_first_or_all, self.accumulator._current_value(), single=len(self.thresholds) == 1))

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """`tf.keras.metrics.TruePositives`: weighted count of positive labels predicted positive."""

    _condition = TP


class FalsePositives(_ConfusionMatrixConditionCount):
    """`tf.keras.metrics.FalsePositives`: weighted count of negative labels predicted positive."""

    _condition = FP


class TrueNegatives(_ConfusionMatrixConditionCount):
    """`tf.keras.metrics.TrueNegatives`: weighted count of negative labels predicted negative."""

    _condition = TN


class FalseNegatives(_ConfusionMatrixConditionCount):
    """`tf.keras.metrics.FalseNegatives`: weighted count of positive labels predicted negative."""

    _condition = FN


class _PrecisionRecall(Metric):
    reset_state = Metric._zero_state
    _other = FP

    def __init__(
        self,
        thresholds: Any = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = parse_init_thresholds(thresholds, default_threshold=default)
        self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(self.thresholds)
        n = len(self.thresholds)
        self.true_positives = self.add_weight("true_positives", shape=(n,), initializer="zeros")
        other = "false_positives" if self._other == FP else "false_negatives"
        setattr(self, other, self.add_weight(other, shape=(n,), initializer="zeros"))
        self._other_var = getattr(self, other)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's counts at each threshold (after `top_k` / `class_id` selection)."""
        update_confusion_matrix(
            {TP: self.true_positives, self._other: self._other_var},
            y_true,
            y_pred,
            self.thresholds,
            self._thresholds_distributed_evenly,
            top_k=self.top_k,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def result(self) -> Tensor:
        value = raw_op(_ratio, self.true_positives._current_value(), self._other_var._current_value())
        return Tensor(value[0] if len(self.thresholds) == 1 else value)

    def get_config(self) -> dict:
        config = {"thresholds": self.init_thresholds, "top_k": self.top_k, "class_id": self.class_id}
        return {**super().get_config(), **config}


class Precision(_PrecisionRecall):
    """`tf.keras.metrics.Precision`: `tp / (tp + fp)` at each threshold (default 0.5).

    Args:
      thresholds: a float or list of floats in [0, 1]; a list gives one value per threshold.
      top_k: count only the `k` highest predictions of each row as positive.
      class_id: the class (last-axis index) to measure.
    """

    _other = FP


class Recall(_PrecisionRecall):
    """`tf.keras.metrics.Recall`: `tp / (tp + fn)` at each threshold (default 0.5); arguments as Precision."""

    _other = FN


def _max_under_constraint(tp, tn, fp, fn, *, kind, value):
    sensitivity = _ratio(tp, fn)
    specificity = _ratio(tn, fp)
    precision = _ratio(tp, fp)
    constrained, dependent = {
        "sensitivity_at_specificity": (specificity, sensitivity),
        "specificity_at_sensitivity": (sensitivity, specificity),
        "precision_at_recall": (sensitivity, precision),
        "recall_at_precision": (precision, sensitivity),
    }[kind]
    feasible = constrained >= value
    best = jnp.max(jnp.where(feasible, dependent, -jnp.inf))
    return jnp.where(jnp.any(feasible), best, 0.0).astype(tp.dtype)


class SensitivitySpecificityBase(Metric):
    """The four confusion counts over `num_thresholds` evenly spaced thresholds in [0, 1]."""

    reset_state = Metric._zero_state

    _kind = ""
    _value_name = ""

    def __init__(
        self,
        value: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        if value < 0 or value > 1:
            raise ValueError(
                f"Argument `{self._value_name}` must be in the range [0, 1]. Received: {self._value_name}={value}"
            )
        super().__init__(name=name, dtype=dtype)
        if num_thresholds <= 0:
            raise ValueError(
                f"Argument `num_thresholds` must be an integer > 0. Received: num_thresholds={num_thresholds}"
            )
        setattr(self, self._value_name, value)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        for var in ("true_positives", "true_negatives", "false_positives", "false_negatives"):
            setattr(self, var, self.add_weight(var, shape=(num_thresholds,), initializer="zeros"))
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True

    def _counts(self) -> dict:
        return {TP: self.true_positives, TN: self.true_negatives, FP: self.false_positives, FN: self.false_negatives}

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's four counts at each threshold."""
        update_confusion_matrix(
            self._counts(),
            y_true,
            y_pred,
            self.thresholds,
            self._thresholds_distributed_evenly,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def result(self) -> Tensor:
        values = [v._current_value() for v in self._counts().values()]
        return Tensor(raw_op(_max_under_constraint, *values, kind=self._kind, value=float(self.value)))

    def get_config(self) -> dict:
        config = {"class_id": self.class_id, "num_thresholds": self.num_thresholds, self._value_name: self.value}
        return {**super().get_config(), **config}


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """`tf.keras.metrics.SensitivityAtSpecificity`: the best sensitivity where specificity >= `specificity`."""

    _kind, _value_name = "sensitivity_at_specificity", "specificity"

    def __init__(
        self,
        specificity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """`tf.keras.metrics.SpecificityAtSensitivity`: the best specificity where sensitivity >= `sensitivity`."""

    _kind, _value_name = "specificity_at_sensitivity", "sensitivity"

    def __init__(
        self,
        sensitivity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)


class PrecisionAtRecall(SensitivitySpecificityBase):
    """`tf.keras.metrics.PrecisionAtRecall`: the best precision where recall >= `recall`."""

    _kind, _value_name = "precision_at_recall", "recall"

    def __init__(
        self,
        recall: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(recall, num_thresholds, class_id, name, dtype)


class RecallAtPrecision(SensitivitySpecificityBase):
    """`tf.keras.metrics.RecallAtPrecision`: the best recall where precision >= `precision`."""

    _kind, _value_name = "recall_at_precision", "precision"

    def __init__(
        self,
        precision: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(precision, num_thresholds, class_id, name, dtype)
