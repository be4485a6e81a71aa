"""`tf.keras.regularizers`: penalties on weights (and activities) added to the loss.

A regularizer is a callable `weight -> scalar Tensor`. `add_weight(regularizer=...)` makes
the layer report `regularizer(weight)`, computed from the weight's current value, in
`layer.losses`; `compile`/`fit` add `model.losses` to the loss, as Keras does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaxport.eager import Tensor
from jaxport.ops import math_ops, reduction_ops

__all__ = ["Regularizer", "L1L2", "L1", "L2", "l1", "l2", "l1_l2", "get", "serialize", "deserialize"]


class Regularizer:
    """`tf.keras.regularizers.Regularizer`: override `__call__(x)`."""

    def __call__(self, x: Any) -> Tensor:
        return math_ops.cast(0.0, "float32")

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        return cls(**config)


def _validate(name: str, value: Any) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"Value '{value}' is not a valid regularization penalty number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"Value '{value}' is not a valid regularization penalty number, expected an int or float")
    return value


def _floatx(value: float) -> float:
    """A factor as tf_keras's configs write it: the float32 it is stored as (0.01 -> 0.009999999776482582)."""
    return float(np.float32(value))


class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x^2)` (a zero factor adds nothing)."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = _validate("l1", l1)
        self.l2 = _validate("l2", l2)

    def __call__(self, x: Any) -> Tensor:
        total = None
        if self.l1:
            total = math_ops.multiply(self.l1, reduction_ops.reduce_sum(math_ops.abs(x)))
        if self.l2:
            term = math_ops.multiply(self.l2, reduction_ops.reduce_sum(math_ops.square(x)))
            total = term if total is None else math_ops.add(total, term)
        return total if total is not None else math_ops.cast(0.0, "float32")

    def get_config(self) -> dict:
        return {"l1": _floatx(self.l1), "l2": _floatx(self.l2)}


class L1(Regularizer):
    """`l1 * sum(|x|)` (default 0.01)."""

    def __init__(self, l1: float = 0.01, **kwargs: Any):
        self.l1 = _validate("l1", kwargs.pop("l", l1))

    def __call__(self, x: Any) -> Tensor:
        return math_ops.multiply(self.l1, reduction_ops.reduce_sum(math_ops.abs(x)))

    def get_config(self) -> dict:
        return {"l1": _floatx(self.l1)}


class L2(Regularizer):
    """`l2 * sum(x^2)` (default 0.01)."""

    def __init__(self, l2: float = 0.01, **kwargs: Any):
        self.l2 = _validate("l2", kwargs.pop("l", l2))

    def __call__(self, x: Any) -> Tensor:
        return math_ops.multiply(self.l2, reduction_ops.reduce_sum(math_ops.square(x)))

    def get_config(self) -> dict:
        return {"l2": _floatx(self.l2)}


l1 = L1
l2 = L2


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:  # noqa: F811 - Keras's function of that name
    """`L1L2` with both factors 0.01 by default."""
    return L1L2(l1=l1, l2=l2)


_BY_NAME = {"l1": L1, "l2": L2, "l1_l2": l1_l2, "l1l2": L1L2}


def serialize(regularizer: Regularizer) -> dict:
    """`{"class_name": ..., "config": ...}` of a regularizer."""
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def deserialize(config: dict) -> Regularizer:
    """A regularizer from `serialize`'s dict."""
    classes = {"L1": L1, "L2": L2, "L1L2": L1L2}
    return classes[config["class_name"]].from_config(config.get("config", {}))


def get(identifier: Any) -> Any:
    """A regularizer from None, a name ('l2'), a config dict or a callable.

    Raises:
      ValueError: an identifier that names no regularizer.
    """
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}")
