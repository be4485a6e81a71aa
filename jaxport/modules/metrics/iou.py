"""Intersection-over-union metrics (Keras 2's `iou_metrics.py`): a weighted confusion matrix
of labels (rows) against predictions (columns) accumulated over batches; IoU per class is
`tp / (tp + fp + fn)`, averaged over the target classes that occurred."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxport import errors
from jaxport.eager import Tensor, raw_op
from jaxport.modules.metrics.base import Metric, divide_no_nan, raw
from jaxport.ops._helpers import concrete


def _cm_update(total_cm, y_true, y_pred, weights, *, num_classes, ignore_class, dtype):
    t = y_true.astype(dtype).reshape(-1).astype(jnp.int64)
    p = y_pred.astype(dtype).reshape(-1).astype(jnp.int64)
    w = jnp.ones(t.shape, total_cm.dtype) if weights is None else weights.reshape(-1).astype(total_cm.dtype)
    if ignore_class is not None:
        valid = y_true.astype(dtype).reshape(-1) != ignore_class
        w = jnp.where(valid, w, 0)
        t = jnp.where(valid, t, 0)
        p = jnp.where(valid, p, 0)
    return (total_cm.at[t, p].add(w, mode="drop"),)


def _iou_result(total_cm, *, target_class_ids):
    sum_over_row = jnp.sum(total_cm, axis=0)
    sum_over_col = jnp.sum(total_cm, axis=1)
    true_positives = jnp.diagonal(total_cm)
    denominator = sum_over_row + sum_over_col - true_positives
    ids = jnp.asarray(target_class_ids)
    true_positives, denominator = true_positives[ids], denominator[ids]
    num_valid = jnp.sum((denominator != 0).astype(total_cm.dtype))
    iou = divide_no_nan(true_positives, denominator)
    return divide_no_nan(jnp.sum(iou), num_valid)


class _IoUBase(Metric):
    """The confusion matrix `total_confusion_matrix` (num_classes x num_classes)."""

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(name=name, dtype=dtype)
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_weight("total_confusion_matrix", shape=(num_classes, num_classes), initializer="zeros")

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's (weighted) label/prediction pairs to the confusion matrix.

        Raises:
          ValueError: sample weights of another size than the labels.
          InvalidArgumentError: a label or prediction outside [0, num_classes) (checked when
            the values are known, i.e. eagerly).
        """
        t = raw(y_true)
        p = raw(y_pred)
        if not self.sparse_y_true:
            t = jnp.argmax(t, axis=self.axis)
        if not self.sparse_y_pred:
            p = jnp.argmax(p, axis=self.axis)
        w = raw(sample_weight, self._dtype)
        if w is not None and w.ndim and w.size != t.size:
            raise ValueError(f"Shapes ({t.size},) and ({w.size},) are incompatible")
        self._check_range(t, p)
        static = dict(num_classes=self.num_classes, ignore_class=self.ignore_class, dtype=self._dtype.as_numpy_dtype)
        self._write([self.total_cm], _cm_update, t, p, w, **static)

    def _check_range(self, t: Any, p: Any) -> None:
        t_known, p_known = _concrete_array(t), _concrete_array(p)
        if t_known is None or p_known is None:
            return
        dtype = self._dtype.as_numpy_dtype
        labels = t_known.astype(dtype).reshape(-1).astype(np.int64)
        preds = p_known.astype(dtype).reshape(-1).astype(np.int64)
        if self.ignore_class is not None:
            keep = t_known.astype(dtype).reshape(-1) != self.ignore_class
            labels, preds = labels[keep], preds[keep]
        for what, values in (("labels", labels), ("predictions", preds)):
            if values.size and (values.min() < 0 or values.max() >= self.num_classes):
                raise errors.InvalidArgumentError(
                    None, None, f"`{what}` out of bound Condition x < y did not hold. y: [{self.num_classes}]"
                )

    reset_state = Metric._zero_state


def _concrete_array(x: Any) -> np.ndarray | None:
    """The numpy value of a raw array when known now (not a tracer)."""
    return concrete(Tensor(x))


class IoU(_IoUBase):
    """`tf.keras.metrics.IoU`: the mean IoU over `target_class_ids`.

    Args:
      num_classes: the number of classes (the confusion matrix is num_classes x num_classes).
      target_class_ids: the classes to average over.
      ignore_class: a label whose pixels are left out.
      sparse_y_true / sparse_y_pred: False for one-hot / probability inputs (argmax over `axis`).
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Any,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(
            name=name,
            num_classes=num_classes,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
            dtype=dtype,
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which is [0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)

    def result(self) -> Tensor:
        """The IoU averaged over the target classes that have a non-zero denominator."""
        return Tensor(
            raw_op(_iou_result, self.total_cm._current_value(), target_class_ids=tuple(self.target_class_ids))
        )

    def get_config(self) -> dict:
        config = {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
        return {**super().get_config(), **config}


def _binarize(y_pred, *, threshold):
    return (y_pred >= threshold).astype(y_pred.dtype)


class BinaryIoU(IoU):
    """`tf.keras.metrics.BinaryIoU`: IoU of two classes, predictions `>= threshold` being 1."""

    def __init__(
        self, target_class_ids: Any = (0, 1), threshold: float = 0.5, name: str | None = None, dtype: Any = None
    ):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Binarize `y_pred` at the threshold, then add the batch."""
        p = raw_op(_binarize, raw(y_pred, self._dtype), threshold=float(self.threshold))
        super().update_state(y_true, Tensor(p), sample_weight)

    def get_config(self) -> dict:
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class MeanIoU(IoU):
    """`tf.keras.metrics.MeanIoU`: the IoU averaged over all classes that occurred."""

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(
            name=name,
            num_classes=num_classes,
            target_class_ids=list(range(num_classes)),
            axis=axis,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotIoU(IoU):
    """`tf.keras.metrics.OneHotIoU`: IoU with one-hot labels (and by default probability predictions)."""

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Any,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotMeanIoU(MeanIoU):
    """`tf.keras.metrics.OneHotMeanIoU`: MeanIoU with one-hot labels."""

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            axis=axis,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
