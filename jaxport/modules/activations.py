"""`tf.keras.activations`: each activation as a pure jnp function (fused into layers) and as a
Tensor function. Like Keras 2, `sigmoid` and `softmax` outputs carry their logits
(`_keras_logits`), which the cross-entropy losses use instead of the probabilities.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.ops import nn_ops
from jaxport.ops._gradients import softplus_tf
from jaxport.ops._helpers import as_input


def _relu(x):
    return jax.nn.relu(x)  # gradient 0 at 0, as TF


def _linear(x):
    return x


def _softmax(x):
    return jax.nn.softmax(x, axis=-1)


def _elu(x):
    return nn_ops._elu_pure(x)  # TF's gradient at 0


def _selu(x):
    return nn_ops._selu_pure(x)  # TF's gradient at 0 (scale, not scale*alpha)


def _gelu(x):
    return nn_ops._gelu_pure(x, False)


def _swish(x):
    return x * jax.nn.sigmoid(x)


def _exponential(x):
    return jnp.exp(x)


def _hard_sigmoid(x):
    return jnp.clip(0.2 * x + 0.5, 0.0, 1.0)


PURE: dict[str, Callable] = {
    "linear": _linear,
    "relu": _relu,
    "sigmoid": jax.nn.sigmoid,
    "softmax": _softmax,
    "tanh": jnp.tanh,
    "elu": _elu,
    "selu": _selu,
    "gelu": _gelu,
    "swish": _swish,
    "silu": _swish,
    "softplus": softplus_tf,  # TF's thresholded kernel
    "softsign": jax.nn.soft_sign,
    "exponential": _exponential,
    "hard_sigmoid": _hard_sigmoid,
}

CARRIES_LOGITS = frozenset({"sigmoid", "softmax"})


class Activation:
    """A named activation: callable on Tensors; `.pure` is the jnp function layers fuse."""

    def __init__(self, name: str, pure: Callable):
        self.__name__ = name
        self.name = name
        self.pure = pure

    def __call__(self, x: Any) -> Tensor:
        t = as_input(x)
        if self.name in CARRIES_LOGITS:
            out, logits = dispatch(_with_logits, t, activation=self.name)
            out._keras_logits = logits
            return out
        return dispatch(_apply, t, activation=self.name)

    def __repr__(self) -> str:
        return f"<activation {self.name}>"


def _apply(x, activation):
    return PURE[activation](x)


def _with_logits(x, activation):
    return PURE[activation](x), x


_apply.tf_op_name = "Activation"
_with_logits.tf_op_name = "Activation"

_BUILTIN = {name: Activation(name, fn) for name, fn in PURE.items()}
relu = _BUILTIN["relu"]
sigmoid = _BUILTIN["sigmoid"]
softmax = _BUILTIN["softmax"]
tanh = _BUILTIN["tanh"]
linear = _BUILTIN["linear"]
elu = _BUILTIN["elu"]
selu = _BUILTIN["selu"]
gelu = _BUILTIN["gelu"]
swish = _BUILTIN["swish"]
softplus = _BUILTIN["softplus"]


def get(identifier: Any) -> Activation | Callable:
    """An activation from a name ('relu'), None (linear), an Activation or a callable."""
    if identifier is None:
        return _BUILTIN["linear"]
    if isinstance(identifier, Activation):
        return identifier
    if isinstance(identifier, str):
        if identifier not in _BUILTIN:
            raise ValueError(
                f"Unknown activation function: '{identifier}'. Please ensure you are using a "
                "`keras.utils.custom_object_scope` and that this object is included in the scope."
            )
        return _BUILTIN[identifier]
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation function identifier: {identifier!r}")


def serialize(activation: Any) -> str:
    return getattr(activation, "__name__", str(activation))
