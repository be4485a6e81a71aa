"""`tf.keras.losses`' functions (`mean_squared_error`, `binary_crossentropy`, ...): per-sample
losses of Tensors, each one dispatched pure function from `pure.py` (one recorded op, TF's
gradients), after TF's checks on the inputs.

As in tf_keras, `y_true` is cast to `y_pred`'s dtype; the cross-entropies given the output of
a Keras sigmoid/softmax (which carries `_keras_logits`), or inside a `function` the output of
`tf.sigmoid`, use its logits instead of the clipped probabilities.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxport.context import state as _state
from jaxport.eager import Tensor, dispatch
from jaxport.modules.losses import pure
from jaxport.ops import math_ops
from jaxport.ops._helpers import (
    as_input,
    check_broadcastable,
    concrete,
    dims_text,
    no_gradient,
    op_error,
    pure_op,
    shape_of,
)
from jaxport.ops.nn_loss_ops import check_sparse_labels

_KERNEL_DTYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


# -- input preparation and TF's checks ---------------------------------------------------------


def _prepare(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    """`y_pred = convert_to_tensor(y_pred)`; `y_true` cast to its dtype (a failing cast raises
    TF's error now; numeric casts happen inside the pure function)."""
    y_pred = as_input(y_pred)
    y_true = as_input(y_true)
    if y_true.dtype != y_pred.dtype and not (_numeric(y_true) and _numeric(y_pred)):
        y_true = math_ops.cast(y_true, y_pred.dtype)
    return y_true, y_pred


def _numeric(t: Any) -> bool:
    return t.dtype.is_floating or t.dtype.is_integer or t.dtype.is_bool


def _arg(t: Any) -> Any:
    """A dispatch argument: floating Tensors are recorded (differentiable); others pass as
    plain arrays, which TF does not differentiate either."""
    return t if t.dtype.is_floating else no_gradient(t)


def _check_broadcast(a: Any, b: Any, op_name: str) -> None:
    """TF's eager error of the binary op `op_name` on shapes that do not broadcast."""
    try:
        check_broadcastable(shape_of(a), shape_of(b))
    except ValueError:
        raise op_error(f"Incompatible shapes: {dims_text(a.shape)} vs. {dims_text(b.shape)}", op_name) from None


def _check_axis(rank: int, axis: int, op_name: str) -> None:
    """TF's error of a reduction over an axis that the (broadcast) input does not have."""
    if not -rank <= int(axis) < rank:
        raise op_error(f"Invalid reduction dimension ({axis} for input with {rank} dimension(s)", op_name)


def _rank(*tensors: Any) -> int:
    return max(t.ndim for t in tensors)


def _float_param(value: Any, y_pred: Any) -> float:
    """A float hyper-parameter converted to `y_pred`'s dtype, with TF's TypeError when it cannot be."""
    if not y_pred.dtype.is_floating or isinstance(value, (str, bytes)) or value is None:
        dtype = _KERNEL_DTYPE_NAMES.get(y_pred.dtype.name, y_pred.dtype.name)
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype}")
    return float(value)


def _check_compatible(y_true: Any, y_pred: Any) -> None:
    """`target.shape.assert_is_compatible_with(output.shape)`: same rank, equal known sizes."""
    t_shape, p_shape = tuple(y_true.shape), tuple(y_pred.shape)
    if len(t_shape) != len(p_shape) or any(
        a is not None and b is not None and a != b for a, b in zip(t_shape, p_shape)
    ):
        raise ValueError(f"Shapes {t_shape} and {p_shape} are incompatible")


def _check_axis_type(axis: Any) -> None:
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}")


def _check_same_shape(labels: Any, logits: Any) -> None:
    """`tf.nn.sigmoid_cross_entropy_with_logits`'s check."""
    if tuple(labels.shape) != tuple(logits.shape):
        raise ValueError(
            "`logits` and `labels` must have the same shape, received "
            f"({tuple(logits.shape)} vs {tuple(labels.shape)})."
        )


def _warn_single_class(fn_name: str, y_pred: Any) -> None:
    if y_pred.ndim and shape_of(y_pred)[-1] == 1:
        warnings.warn(
            f"In loss {fn_name}, expected y_pred.shape to be (batch_size, num_classes) with num_classes > 1. "
            f"Received: y_pred.shape={tuple(y_pred.shape)}. Consider using 'binary_crossentropy' if you only "
            "have 2 classes.",
            SyntaxWarning,
            stacklevel=3,
        )


def _get_logits(y_pred: Any, from_logits: bool, op_type: str, fn_name: str) -> tuple[Any, bool]:
    """tf_keras's `_get_logits`: the logits behind a Keras sigmoid/softmax output (and, while a
    `function` traces, behind `tf.sigmoid`) replace the output; `from_logits=True` on such an
    output warns and still uses them."""
    logits = getattr(y_pred, "_keras_logits", None)
    if logits is None and op_type == "Sigmoid" and _state.trace is not None:
        logits = getattr(y_pred, "_sigmoid_input", None)
    if logits is None:
        return y_pred, bool(from_logits)
    if from_logits:
        warnings.warn(
            f'"`{fn_name}` received `from_logits=True`, but the `output` argument was produced by a '
            f"{op_type} activation and thus does not represent logits. Was this intended?",
            stacklevel=3,
        )
    return logits, True


def _elementwise(pure_fn: Any, op_name: str, y_true: Any, y_pred: Any, order: str = "pt") -> Tensor:
    """An element-wise loss reduced over the last axis: TF's checks, then one dispatch."""
    y_true, y_pred = _prepare(y_true, y_pred)
    first, second = (y_pred, y_true) if order == "pt" else (y_true, y_pred)
    _check_broadcast(first, second, op_name)
    _check_axis(_rank(y_true, y_pred), -1, "Sum" if pure_fn in _SUMMED else "Mean")
    return dispatch(pure_fn, _arg(y_true), _arg(y_pred))


_SUMMED = (pure.kl_divergence, pure.categorical_hinge)


# -- regression ---------------------------------------------------------------------------------


def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.losses.mean_squared_error`: `mean(square(y_pred - y_true), axis=-1)`."""
    return _elementwise(pure.mean_squared_error, "SquaredDifference", y_true, y_pred)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.losses.mean_absolute_error`: `mean(abs(y_pred - y_true), axis=-1)`."""
    return _elementwise(pure.mean_absolute_error, "Sub", y_true, y_pred)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.losses.mean_absolute_percentage_error`:
    `100 * mean(abs((y_true - y_pred) / max(abs(y_true), 1e-7)), axis=-1)`."""
    return _elementwise(pure.mean_absolute_percentage_error, "Sub", y_true, y_pred, order="tp")


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.losses.mean_squared_logarithmic_error`:
    `mean(square(log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1)), axis=-1)`."""
    return _elementwise(pure.mean_squared_logarithmic_error, "SquaredDifference", y_true, y_pred)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Tensor:
    """`tf.keras.losses.huber`: quadratic for `|error| <= delta`, linear beyond; computed in
    float32 (floatx) whatever the inputs' dtype, as tf_keras does."""
    y_pred, y_true = as_input(y_pred), as_input(y_true)
    y_pred = y_pred if _numeric(y_pred) else math_ops.cast(y_pred, "float32")  # raises TF's cast error
    y_true = y_true if _numeric(y_true) else math_ops.cast(y_true, "float32")
    _check_broadcast(y_pred, y_true, "Sub")
    _check_axis(_rank(y_true, y_pred), -1, "Mean")
    return dispatch(pure.huber, _arg(y_true), _arg(y_pred), delta=float(delta))


def log_cosh(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.losses.log_cosh`: `mean(log(cosh(y_pred - y_true)), axis=-1)`."""
    return _elementwise(pure.log_cosh, "Sub", y_true, y_pred)


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """`tf.keras.losses.cosine_similarity`: `-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`
    (-1 for parallel vectors, 0 when either is zero)."""
    y_true, y_pred = _prepare(y_true, y_pred)
    _check_broadcast(y_true, y_pred, "Mul")
    _check_axis(_rank(y_true, y_pred), axis, "Sum")
    return dispatch(pure.cosine_similarity, _arg(y_true), _arg(y_pred), axis=int(axis))


# -- hinge ----------------------------------------------------------------------------------


def hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.losses.hinge`: `mean(max(1 - y_true * y_pred, 0), axis=-1)`; labels that are all
    0 or 1 become -1 / 1."""
    return _elementwise(pure.hinge, "Mul", y_true, y_pred, order="tp")


def squared_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.losses.squared_hinge`: `mean(square(max(1 - y_true * y_pred, 0)), axis=-1)`."""
    return _elementwise(pure.squared_hinge, "Mul", y_true, y_pred, order="tp")


def categorical_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.losses.categorical_hinge`: `max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`."""
    return _elementwise(pure.categorical_hinge, "Mul", y_true, y_pred, order="tp")


# -- probabilistic --------------------------------------------------------------------------


def kl_divergence(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.losses.kl_divergence`: `sum(y_true * log(y_true / y_pred), axis=-1)`, both
    clipped to [1e-7, 1]."""
    return _elementwise(pure.kl_divergence, "RealDiv", y_true, y_pred, order="tp")


def poisson(y_true: Any, y_pred: Any) -> Tensor:
    """`tf.keras.losses.poisson`: `mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)`."""
    return _elementwise(pure.poisson, "Mul", y_true, y_pred, order="tp")


def binary_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """`tf.keras.losses.binary_crossentropy`: the mean over `axis` of the element-wise binary
    cross-entropy; probabilities are clipped to [1e-7, 1 - 1e-7] (Keras sigmoid outputs use
    their logits); `label_smoothing` moves the labels towards 0.5.

    Raises:
      ValueError: with logits, labels of another shape than the logits.
      InvalidArgumentError: probabilities and labels whose shapes do not broadcast.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    smoothing = _float_param(label_smoothing, y_pred)
    output, from_logits = _get_logits(y_pred, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        _check_same_shape(y_true, output)
    else:
        _check_broadcast(y_true, output, "Mul")
    _check_axis(_rank(y_true, output), axis, "Mean")
    return dispatch(
        pure.binary_crossentropy,
        _arg(y_true),
        output,
        from_logits=from_logits,
        label_smoothing=smoothing,
        axis=int(axis),
    )


@pure_op("BinaryFocalCrossentropy")
def _binary_focal_pure(y_true, y_pred, bce_input, **static):
    return pure.binary_focal_core(y_true, y_pred, bce_input, **static)


def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """`tf.keras.losses.binary_focal_crossentropy`: binary cross-entropy times
    `(1 - p_t)**gamma` (times `alpha` for 1s and `1 - alpha` for 0s with
    `apply_class_balancing`), averaged over `axis`. As tf_keras, the focal factor uses the
    given output and the cross-entropy the logits of a Keras sigmoid."""
    y_true, y_pred = _prepare(y_true, y_pred)
    smoothing = _float_param(label_smoothing, y_pred)
    gamma = _float_param(gamma, y_pred)
    alpha = _float_param(alpha, y_pred)
    _check_broadcast(y_true, y_pred, "Mul")
    output, bce_from_logits = _get_logits(y_pred, from_logits, "Sigmoid", "binary_crossentropy")
    if bce_from_logits:
        _check_same_shape(y_true, output)
    _check_axis(_rank(y_true, y_pred), axis, "Mean")
    return dispatch(
        _binary_focal_pure,
        _arg(y_true),
        y_pred,
        output,
        apply_class_balancing=bool(apply_class_balancing),
        alpha=alpha,
        gamma=gamma,
        from_logits=bool(from_logits),
        bce_from_logits=bce_from_logits,
        label_smoothing=smoothing,
        axis=int(axis),
    )


def categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """`tf.keras.losses.categorical_crossentropy` over `axis` (one-hot / probability labels).

    Raises:
      ValueError: `axis` a bool, or labels and predictions of incompatible shapes.
    """
    _check_axis_type(axis)
    y_true, y_pred = _prepare(y_true, y_pred)
    smoothing = _float_param(label_smoothing, y_pred)
    _warn_single_class("categorical_crossentropy", y_pred)
    _check_compatible(y_true, y_pred)
    output, from_logits = _get_logits(y_pred, from_logits, "Softmax", "categorical_crossentropy")
    _check_axis(output.ndim, axis, "SoftmaxCrossEntropyWithLogits" if from_logits else "Sum")
    return dispatch(
        pure.categorical_crossentropy,
        _arg(y_true),
        output,
        from_logits=from_logits,
        label_smoothing=smoothing,
        axis=int(axis) % output.ndim,
    )


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """`tf.keras.losses.categorical_focal_crossentropy`: `sum(alpha * (1 - p)**gamma * cce, axis)`.

    Raises:
      ValueError: `axis` a bool, or labels and predictions of incompatible shapes.
    """
    _check_axis_type(axis)
    y_true, y_pred = _prepare(y_true, y_pred)
    smoothing = _float_param(label_smoothing, y_pred)
    _warn_single_class("categorical_focal_crossentropy", y_pred)
    _check_compatible(y_true, y_pred)
    output, from_logits = _get_logits(y_pred, from_logits, "Softmax", "categorical_focal_crossentropy")
    _check_axis(output.ndim, axis, "Sum")
    return dispatch(
        pure.categorical_focal_crossentropy,
        _arg(y_true),
        output,
        alpha=_float_param(alpha, y_pred),
        gamma=_float_param(gamma, y_pred),
        from_logits=from_logits,
        label_smoothing=smoothing,
        axis=int(axis) % output.ndim,
    )


@pure_op("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_pure(y_true, y_pred, from_logits, axis, ignore_class):
    return pure.sparse_categorical_core(y_true, y_pred, from_logits, axis, ignore_class)[0]


def _sparse_mask(labels, result_shape, ignore_class):
    return (labels.astype(jnp.int32) != ignore_class).reshape(result_shape)


def sparse_categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, axis: int = -1, ignore_class: int | None = None
) -> Tensor:
    """`tf.keras.losses.sparse_categorical_crossentropy`: `-log(p[label])` with integer labels
    (float labels are truncated); a trailing size-1 label axis is flattened away. With
    `ignore_class`, those positions give 0 and the result carries a Keras mask, so that a Loss
    averages over the other positions only.

    Raises:
      ValueError: labels whose shape does not match the predictions' leading axes.
      InvalidArgumentError: (eagerly) a label outside `[0, num_classes)`.
    """
    y_pred = as_input(y_pred)
    y_true = as_input(y_true)
    output, from_logits = _get_logits(y_pred, from_logits, "Softmax", "sparse_categorical_crossentropy")
    if not output.dtype.is_floating:
        output = math_ops.cast(output, "float32")
    rank = output.ndim
    _check_axis(rank, axis, "Transpose")
    shape = list(shape_of(output))
    classes = shape.pop(int(axis) % rank)
    result_shape = tuple(shape)
    labels_shape = tuple(shape_of(y_true))
    logits_shape = result_shape + (classes,)
    flatten = len(labels_shape) != rank - 1
    if flatten:  # math.prod keeps symbolic sizes (an unknown batch) symbolic
        labels_shape = (math.prod(labels_shape),)
        logits_shape = (math.prod(result_shape), classes)
    check_sparse_labels(None, labels_shape, logits_shape)
    values = concrete(y_true)
    if values is not None:
        values = values.astype(np.int64).reshape(-1)
        if ignore_class is not None:
            values = values[values != ignore_class]
        check_sparse_labels(values, (values.size,), (values.size, classes))
    labels = no_gradient(y_true)
    losses = dispatch(
        _sparse_pure,
        labels,
        output,
        from_logits=from_logits,
        axis=int(axis) % rank,
        ignore_class=None if ignore_class is None else int(ignore_class),
    )
    if ignore_class is not None:
        losses._keras_mask = Tensor(_sparse_mask(labels, result_shape, int(ignore_class)))
    return losses


# -- aliases (tf_keras's module names; `get` resolves the same ones) --------------------------

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
huber_loss = huber
bce = BCE = binary_crossentropy
