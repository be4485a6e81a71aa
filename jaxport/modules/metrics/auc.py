"""`tf.keras.metrics.AUC` (Keras 2): the area under the ROC or PR curve by a Riemann sum over
confusion counts at `num_thresholds` thresholds (the first at -1e-7, the last at 1 + 1e-7, so
that predictions of exactly 0 and 1 are counted), or by Davis & Goadrich's interpolation for PR.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxport import errors
from jaxport.eager import Tensor, raw_op
from jaxport.modules.metrics.base import Metric, divide_no_nan, to_tensor
from jaxport.modules.metrics.confusion import (
    EPSILON,
    FN,
    FP,
    TN,
    TP,
    is_evenly_distributed_thresholds,
    update_confusion_matrix,
)
from jaxport.ops import math_ops

_CURVES = {"pr": "PR", "PR": "PR", "roc": "ROC", "ROC": "ROC"}
_CURVES.update({k: "PR_GAIN" for k in ("pr_gain", "prgain", "PR_GAIN", "PRGAIN")})
_SUMMATIONS = {k: k.lower() for k in ("interpolation", "Interpolation", "majoring", "Majoring", "minoring", "Minoring")}


def _curve_from_str(key: Any) -> str:
    if key not in _CURVES:
        raise ValueError(f'Invalid AUC curve value: "{key}". Expected values are ["PR", "ROC", "PR_GAIN"]')
    return _CURVES[key]


def _summation_from_str(key: Any) -> str:
    if key not in _SUMMATIONS:
        raise ValueError(
            f'Invalid AUC summation method value: "{key}". '
            'Expected values are ["interpolation", "majoring", "minoring"]'
        )
    return _SUMMATIONS[key]


def _by_label(values, label_weights, multi_label):
    if not multi_label:
        return jnp.sum(values)
    by_label = jnp.sum(values, axis=0)
    if label_weights is None:
        return jnp.mean(by_label)
    return divide_no_nan(jnp.sum(by_label * label_weights), jnp.sum(label_weights))


def _interpolate_pr_auc(tp, fp, fn, label_weights, multi_label):
    dtp = tp[:-1] - tp[1:]
    p = tp + fp
    dp = p[:-1] - p[1:]
    prec_slope = divide_no_nan(dtp, jnp.maximum(dp, 0))
    intercept = tp[1:] - prec_slope * p[1:]
    safe_p_ratio = jnp.where(
        (p[:-1] > 0) & (p[1:] > 0), divide_no_nan(p[:-1], jnp.maximum(p[1:], 0)), jnp.ones_like(p[1:])
    )
    increment = divide_no_nan(prec_slope * (dtp + intercept * jnp.log(safe_p_ratio)), jnp.maximum(tp[1:] + fn[1:], 0))
    return _by_label(increment, label_weights, multi_label)


def _auc_pure(tp, tn, fp, fn, label_weights, *, curve, summation, multi_label):
    if curve == "PR" and summation == "interpolation":
        return _interpolate_pr_auc(tp, fp, fn, label_weights, multi_label)
    recall = divide_no_nan(tp, tp + fn)
    if curve == "ROC":
        x, y = divide_no_nan(fp, fp + tn), recall
    elif curve == "PR":
        x, y = recall, divide_no_nan(tp, tp + fp)
    else:  # PR_GAIN
        scaling = divide_no_nan(tp + fn, fp + tn)
        recall_gain = 1.0 - scaling * divide_no_nan(fn, tp)
        precision_gain = 1.0 - scaling * divide_no_nan(fp, tp)
        recall_gain = jnp.maximum(jnp.where(tp == 0.0, jnp.zeros_like(recall_gain), recall_gain), 0.0)
        precision_gain = jnp.where(tp == 0.0, jnp.ones_like(precision_gain), precision_gain)
        x, y = recall_gain, precision_gain
    if summation == "interpolation":
        heights = (y[:-1] + y[1:]) / 2.0
    elif summation == "minoring":
        heights = jnp.minimum(y[:-1], y[1:])
    else:
        heights = jnp.maximum(y[:-1], y[1:])
    return _by_label((x[:-1] - x[1:]) * heights, label_weights, multi_label)


class AUC(Metric):
    """`tf.keras.metrics.AUC`: area under the ROC (default), PR or PR-gain curve.

    Args:
      num_thresholds: the number of thresholds (> 1), evenly spaced; ignored with `thresholds`.
      curve: 'ROC', 'PR' or 'PR_GAIN'.
      summation_method: 'interpolation' (default; PR uses Davis & Goadrich), 'minoring', 'majoring'.
      name: the metric name (default a unique `auc`).
      dtype: the dtype of state and result.
      thresholds: explicit thresholds (sorted; -1e-7 and 1 + 1e-7 are added at the ends).
      multi_label: one curve per label (the last axis), averaged; else labels are flattened.
      num_labels: the number of labels, to create the state before the first update.
      label_weights: non-negative weights of the labels (the average with multi_label, else
        weights of each label's counts).
      from_logits: apply a sigmoid to predictions first.
    """

    def __init__(
        self,
        num_thresholds: int = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name: str | None = None,
        dtype: Any = None,
        thresholds: Any = None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights: Any = None,
        from_logits: bool = False,
    ):
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(float(t) for t in thresholds)
            self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(np.array([0.0] + thresholds + [1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    f"Argument `num_thresholds` must be an integer > 1. Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        self._thresholds = np.array([0.0 - EPSILON] + thresholds + [1.0 + EPSILON])
        self.curve = _curve_from_str(curve)
        self.summation_method = _summation_from_str(summation_method)
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        if label_weights is not None:
            weights = np.asarray(label_weights, dtype=self._dtype.as_numpy_dtype)
            if np.any(weights < 0):
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    "All values of `label_weights` must be non-negative.. Condition x >= 0 did not hold "
                    f"element-wise: x (shape={weights.shape} dtype={self.dtype}) = {weights.tolist()}",
                )
            self.label_weights = to_tensor(weights)
        else:
            self.label_weights = None
        self._from_logits = from_logits
        self._built = False
        if self.multi_label:
            if num_labels:
                self._build((None, num_labels))
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self) -> list:
        """The thresholds, including the -1e-7 and 1 + 1e-7 ends."""
        return list(self._thresholds)

    def _build(self, shape: Any) -> None:
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    "`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                    f"{len(shape)}. Full shape received for `y_pred`: {_shape_text(shape)}"
                )
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        for var in ("true_positives", "true_negatives", "false_positives", "false_negatives"):
            setattr(self, var, self.add_weight(var, shape=variable_shape, initializer="zeros"))
        self._built = True

    def _counts(self) -> dict:
        return {TP: self.true_positives, TN: self.true_negatives, FP: self.false_positives, FN: self.false_negatives}

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's confusion counts at every threshold.

        Raises:
          ValueError: incompatible shapes, or a multi-label `y_pred` not of rank 2.
          InvalidArgumentError: the number of labels differs from the state's or `label_weights`'.
        """
        y_pred = to_tensor(y_pred)
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self.multi_label or self.label_weights is not None:
            self._check_labels(to_tensor(y_true))
        if self._from_logits:
            y_pred = math_ops.sigmoid(y_pred)
        update_confusion_matrix(
            self._counts(),
            y_true,
            y_pred,
            list(self._thresholds),
            self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
        )

    def _check_labels(self, y_true: Any) -> None:
        labels = {y_true.shape[-1] if y_true.ndim else None}
        if self.multi_label:
            labels.add(self._num_labels)
        if self.label_weights is not None:
            labels.add(self.label_weights.shape[0])
        if y_true.ndim != 2 or len(labels) != 1:
            raise errors.InvalidArgumentError(None, None, "Number of labels is not consistent.")

    def result(self) -> Tensor:
        """The area under the curve (the label average with `multi_label`)."""
        counts = [v._current_value() for v in self._counts().values()]
        lw = None if self.label_weights is None else self.label_weights._value
        value = raw_op(
            _auc_pure,
            *counts,
            lw,
            curve=self.curve,
            summation=self.summation_method,
            multi_label=bool(self.multi_label),
        )
        return Tensor(value)

    def reset_state(self) -> None:
        if self._built:
            self._zero_state()

    def get_config(self) -> dict:
        label_weights = None if self.label_weights is None else np.asarray(self.label_weights._value).tolist()
        config = {
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": label_weights,
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return {**super().get_config(), **config}


def _shape_text(shape: Any) -> str:
    dims = tuple("None" if d is None else d for d in shape)
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"
