"""`tf.keras.backend`'s cross-entropies (`binary_crossentropy`, `categorical_crossentropy`, ...):
the element-wise / per-position kernels under the losses, without label smoothing or the mean
over the last axis. Each is one dispatched pure function; a Keras sigmoid/softmax output uses
its logits, as tf_keras's backend does.
"""

from __future__ import annotations

from typing import Any

from jaxport import errors
from jaxport.eager import Tensor, dispatch
from jaxport.modules.losses import functions as F
from jaxport.modules.losses import pure
from jaxport.ops._helpers import as_input, pure_op

_KERNEL_DTYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _same_dtype(target: Any, output: Any, op_name: str) -> None:
    """TF's error of a binary op on Tensors of two dtypes (the backend does not cast)."""
    if target.dtype != output.dtype:
        want = _KERNEL_DTYPE_NAMES.get(output.dtype.name, output.dtype.name)
        got = _KERNEL_DTYPE_NAMES.get(target.dtype.name, target.dtype.name)
        raise errors.InvalidArgumentError(
            None,
            None,
            f"cannot compute {op_name} as input #1(zero-based) was expected to be a {got} tensor but is a "
            f"{want} tensor [Op:{op_name}]",
        )


@pure_op("BinaryCrossentropy")
def _binary_pure(target, output, from_logits):
    return pure.elementwise_bce(target, output, from_logits)


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Tensor:
    """`tf.keras.backend.binary_crossentropy`: element-wise; probabilities clipped to
    [1e-7, 1 - 1e-7] with 1e-7 inside the logs, or TF's stable logits form.

    Raises:
      ValueError: with logits, a target of another shape.
      InvalidArgumentError: target and output of different dtypes or unbroadcastable shapes.
    """
    target, output = as_input(target), as_input(output)
    output, from_logits = F._get_logits(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        F._check_same_shape(target, output)
    else:
        F._check_broadcast(target, output, "Mul")
    _same_dtype(target, output, "Mul")
    return dispatch(_binary_pure, F._arg(target), output, from_logits=from_logits)


@pure_op("BinaryFocalCrossentropy")
def _binary_focal_pure(target, output, bce_input, **static):
    return pure.elementwise_binary_focal(target, output, bce_input, **static)


def binary_focal_crossentropy(
    target: Any,
    output: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
) -> Tensor:
    """`tf.keras.backend.binary_focal_crossentropy`: element-wise `(1 - p_t)**gamma * bce`
    (times `alpha` / `1 - alpha` per class with `apply_class_balancing`)."""
    target, output = as_input(target), as_input(output)
    F._check_broadcast(target, output, "Mul")
    _same_dtype(target, output, "Mul")
    bce_input, bce_from_logits = F._get_logits(output, from_logits, "Sigmoid", "binary_crossentropy")
    if bce_from_logits:
        F._check_same_shape(target, bce_input)
    return dispatch(
        _binary_focal_pure,
        F._arg(target),
        output,
        bce_input,
        apply_class_balancing=bool(apply_class_balancing),
        alpha=F._float_param(alpha, output),
        gamma=F._float_param(gamma, output),
        from_logits=bool(from_logits),
        bce_from_logits=bce_from_logits,
    )


def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> Tensor:
    """`tf.keras.backend.categorical_crossentropy`: `-sum(target * log(p), axis)` (logits
    through TF's softmax cross-entropy, or renormalised probabilities clipped at 1e-7).

    Raises:
      ValueError: target and output of incompatible shapes.
    """
    target, output = as_input(target), as_input(output)
    F._check_compatible(target, output)
    logits, from_logits = F._get_logits(output, from_logits, "Softmax", "categorical_crossentropy")
    if not from_logits:  # TF's softmax cross-entropy casts the labels; the probability path does not
        _same_dtype(target, output, "Mul")
    F._check_axis(logits.ndim, axis, "SoftmaxCrossEntropyWithLogits" if from_logits else "Sum")
    return dispatch(
        pure.categorical_crossentropy,
        F._arg(target),
        logits,
        from_logits=from_logits,
        label_smoothing=0.0,
        axis=int(axis) % logits.ndim,
    )


def categorical_focal_crossentropy(
    target: Any, output: Any, alpha: float = 0.25, gamma: float = 2.0, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """`tf.keras.backend.categorical_focal_crossentropy`: `sum(alpha * (1 - p)**gamma * cce, axis)`."""
    target, output = as_input(target), as_input(output)
    F._check_compatible(target, output)
    _same_dtype(target, output, "Mul")
    logits, from_logits = F._get_logits(output, from_logits, "Softmax", "categorical_focal_crossentropy")
    F._check_axis(logits.ndim, axis, "Sum")
    return dispatch(
        pure.categorical_focal_crossentropy,
        F._arg(target),
        logits,
        alpha=F._float_param(alpha, output),
        gamma=F._float_param(gamma, output),
        from_logits=from_logits,
        label_smoothing=0.0,
        axis=int(axis) % logits.ndim,
    )


def sparse_categorical_crossentropy(
    target: Any, output: Any, from_logits: bool = False, axis: int = -1, ignore_class: int | None = None
) -> Tensor:
    """`tf.keras.backend.sparse_categorical_crossentropy` (what the loss function calls)."""
    return F.sparse_categorical_crossentropy(
        target, output, from_logits=from_logits, axis=axis, ignore_class=ignore_class
    )
