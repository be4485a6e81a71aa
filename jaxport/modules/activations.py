"""`tf.keras.activations`: each activation as a pure jnp function (fused into layers) and as a
Tensor function with Keras 2's arguments (`relu(x, alpha, max_value, threshold)`,
`softmax(x, axis)`, ...). Like Keras 2, `sigmoid` and `softmax` outputs carry their logits
(`_keras_logits`), which the cross-entropy losses use instead of the probabilities.

`get` follows tf_keras: None is `linear`, a name is looked up (also tf.nn's `relu6`,
`leaky_relu`, `log_softmax`, `silu`), a callable passes through, anything else is a TypeError.
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


def _clip_by_value(x, lo, hi):
    """TF's ClipByValue: its gradient is 1 on the closed interval (jnp.clip gives 0.5 at the ends)."""
    lo, hi = jnp.asarray(lo, x.dtype), jnp.asarray(hi, x.dtype)
    return jnp.where(x < lo, lo, jnp.where(x > hi, hi, x))


def _hard_sigmoid(x):
    """tf_keras's clip(0.2x + 0.5, 0, 1) (not Keras 3's x/6 + 0.5); the clip is decided on x
    (|x| <= 2.5) so that XLA's fused multiply-add cannot move the ends of TF's closed interval."""
    linear = 0.2 * x + 0.5
    lo, hi = jnp.asarray(-2.5, x.dtype), jnp.asarray(2.5, x.dtype)
    return jnp.where(x < lo, jnp.zeros_like(x), jnp.where(x > hi, jnp.ones_like(x), linear))


def _mish(x):
    return x * jnp.tanh(softplus_tf(x))


def _relu6(x):
    # TF's Relu6 gradient is 1 strictly inside (0, 6)
    return jnp.where(x <= 0, jnp.zeros_like(x), jnp.where(x >= 6, jnp.full_like(x, 6), x))


def _leaky_relu(x, alpha=0.2):
    return jnp.where(x > 0, x, x * jnp.asarray(alpha, x.dtype))


def _log_softmax(x):
    return jax.nn.log_softmax(x, axis=-1)


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
    "mish": _mish,
    "relu6": _relu6,
    "leaky_relu": _leaky_relu,
    "log_softmax": _log_softmax,
}

CARRIES_LOGITS = frozenset({"sigmoid", "softmax"})
_TF_NAMES = {"silu": "swish"}  # tf.nn.silu's __name__ is 'swish'


# -- activations with arguments (Keras 2's formulas) --------------------------------------------


def _relu_general(x, alpha, max_value, threshold):
    """`backend.relu`: x above `threshold` (strictly), capped at `max_value`, slope `alpha` below."""
    if alpha != 0.0 and max_value is None and threshold == 0:
        return _leaky_relu(x, alpha)
    negative = jax.nn.relu(threshold - x) if threshold != 0 else jax.nn.relu(-x)
    clip = max_value is not None
    if threshold != 0:
        x = x * (x > threshold).astype(x.dtype)
    elif max_value == 6:
        x, clip = _relu6(x), False
    else:
        x = jax.nn.relu(x)
    if clip:
        x = _clip_by_value(x, 0, max_value)
    if alpha != 0.0:
        x = x - jnp.asarray(alpha, x.dtype) * negative
    return x


def _elu_general(x, alpha):
    out = nn_ops._elu_pure(x)
    return out if alpha == 1 else jnp.where(x > 0, out, jnp.asarray(alpha, x.dtype) * out)


def _softmax_general(x, axis):
    if isinstance(axis, int):
        return jax.nn.softmax(x, axis=axis)
    shifted = jnp.exp(x - jnp.max(x, axis=axis, keepdims=True))
    return shifted / jnp.sum(shifted, axis=axis, keepdims=True)


def _log_softmax_general(x, axis):
    return jax.nn.log_softmax(x, axis=axis)


_GENERAL: dict[str, tuple[Callable, dict]] = {
    "relu": (_relu_general, {"alpha": 0.0, "max_value": None, "threshold": 0.0}),
    "elu": (_elu_general, {"alpha": 1.0}),
    "gelu": (nn_ops._gelu_pure, {"approximate": False}),
    "softmax": (_softmax_general, {"axis": -1}),
    "leaky_relu": (_leaky_relu, {"alpha": 0.2}),
    "log_softmax": (_log_softmax_general, {"axis": -1}),
}


class Activation:
    """A named activation: callable on Tensors with Keras's arguments; `.pure` is the jnp
    function (default arguments) that layers fuse."""

    def __init__(self, name: str, pure: Callable):
        self.__name__ = _TF_NAMES.get(name, name)
        self.name = name
        self.pure = pure

    def __call__(self, x: Any, *args: Any, **kwargs: Any) -> Tensor:
        t = as_input(x)
        if self.name == "softmax" and t.ndim <= 1:
            raise ValueError(f"Cannot apply softmax to a tensor that is 1D. Received input: {t}")
        params = self._params(args, kwargs)
        if params:
            general, _ = _GENERAL[self.name]
            if self.name == "softmax":
                out, logits = dispatch(_general_with_logits, t, activation=self.name, params=params)
                out._keras_logits = logits
                return out
            return dispatch(_apply_general, t, activation=self.name, params=params)
        if self.name in CARRIES_LOGITS:
            out, logits = dispatch(_with_logits, t, activation=self.name)
            out._keras_logits = logits
            return out
        return dispatch(_apply, t, activation=self.name)

    def _params(self, args: tuple, kwargs: dict) -> tuple:
        """The non-default arguments as a hashable tuple (empty: the fused default form)."""
        if not args and not kwargs:
            return ()
        if self.name not in _GENERAL:
            raise TypeError(f"{self.__name__}() takes 1 positional argument; received extra {args or kwargs}")
        defaults = _GENERAL[self.name][1]
        names = list(defaults)
        if len(args) > len(names):
            raise TypeError(f"{self.__name__}() takes at most {len(names) + 1} positional arguments")
        given = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in defaults:
                raise TypeError(f"{self.__name__}() got an unexpected keyword argument '{key}'")
            given[key] = value
        merged = {**defaults, **given}
        if merged == defaults:
            return ()
        return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in merged.items())

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"


def _apply(x, activation):
    return PURE[activation](x)


def _with_logits(x, activation):
    return PURE[activation](x), x


def _apply_general(x, activation, params):
    return _GENERAL[activation][0](x, **dict(params))


def _general_with_logits(x, activation, params):
    return _GENERAL[activation][0](x, **dict(params)), x


for _fn in (_apply, _with_logits, _apply_general, _general_with_logits):
    _fn.tf_op_name = "Activation"

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
softsign = _BUILTIN["softsign"]
exponential = _BUILTIN["exponential"]
hard_sigmoid = _BUILTIN["hard_sigmoid"]
mish = _BUILTIN["mish"]


def deserialize(name: Any, custom_objects: dict | None = None, use_legacy_format: bool = False) -> Callable:
    """`tf.keras.activations.deserialize`: the activation function a name (or config dict) names.

    Raises:
      ValueError: an unknown name ("Unknown activation function 'x' cannot be deserialized."),
        or a dict without `class_name` and `config`.
    """
    if isinstance(name, dict):
        if "class_name" not in name or "config" not in name:
            raise ValueError(
                f"Improper config format for {name}. Expecting python dict contains `class_name` and `config` as keys"
            )
        key = name["class_name"]
        found = (custom_objects or {}).get(key) or _BUILTIN.get(key)
        if found is None:
            raise ValueError(
                f"Unknown activation function: '{key}'. Please ensure you are using a "
                "`keras.utils.custom_object_scope` and that this object is included in the scope. See "
                "https://www.tensorflow.org/guide/keras/save_and_serialize#registering_the_custom_object for details."
            )
        return found
    if isinstance(name, str):
        found = (custom_objects or {}).get(name) or _BUILTIN.get(name)
        if found is not None:
            return found
        from jaxport.modules.layers import core  # tf_keras also finds its activation layers by name

        layer = {"ReLU": core.ReLU, "Softmax": core.Softmax}.get(name)
        if layer is not None:
            return layer()
    raise ValueError(f"Unknown activation function '{name}' cannot be deserialized.")


def get(identifier: Any) -> Callable:
    """`tf.keras.activations.get`: None -> `linear`; a name or config -> the function (see
    `deserialize`); a callable passes through.

    Raises:
      ValueError: an unknown name.
      TypeError: an identifier that is neither (TF: "Could not interpret activation function
        identifier: 3").
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation function identifier: {identifier}")


def serialize(activation: Any, use_legacy_format: bool = False) -> Any:
    """`tf.keras.activations.serialize`: a built-in activation's name ('relu'; tf.nn's
    `softmax_v2` is 'softmax'); a plain Python function's config dict, as Keras 2 writes it.

    Raises:
      ValueError: not a function (TF: "Unknown activation function 'x' cannot be serialized").
    """
    if isinstance(activation, Activation):
        return activation.__name__
    name = getattr(activation, "__name__", None)
    if name == "softmax_v2":
        return "softmax"
    if name in _BUILTIN:
        return name
    if not callable(activation) or name is None:
        raise ValueError(
            f"Unknown activation function '{activation}' cannot be serialized due to invalid function name. "
            "Make sure to use an activation name that matches the references defined in activations.py or use "
            "`@keras.saving.register_keras_serializable()` to register any custom activations. "
            f"config={activation}"
        )
    return {"module": "builtins", "class_name": "function", "config": name, "registered_name": "function"}
