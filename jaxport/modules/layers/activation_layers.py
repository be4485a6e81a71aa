"""Activation layers with parameters: LeakyReLU, PReLU, ELU, ThresholdedReLU (Keras 2).

ReLU and Softmax live in `core.py`. Each layer runs as one recorded op; all pass the input
mask through (`supports_masking`), as Keras 2.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules import initializers, regularizers
from jaxport.modules.base_layer import Layer
from jaxport.ops import nn_ops


def _leaky_relu_pure(x, alpha):
    return jnp.where(x >= 0, x, jnp.asarray(alpha, x.dtype) * x)


_leaky_relu_pure.tf_op_name = "LeakyRelu"


class LeakyReLU(Layer):
    """`tf.keras.layers.LeakyReLU(alpha=0.3)`: `x` for x >= 0, `alpha * x` below (Keras 2's default
    slope 0.3, not tf.nn.leaky_relu's 0.2)."""

    supports_masking = True

    def __init__(self, alpha: float = 0.3, **kwargs: Any):
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError(
                f"The alpha value of a Leaky ReLU layer cannot be None, Expecting a float. Received: {alpha}"
            )
        self.alpha = float(alpha)

    def call(self, inputs: Any) -> Tensor:
        return nn_ops.leaky_relu(inputs, alpha=self.alpha)

    def get_config(self) -> dict:
        config = super().get_config()
        config["alpha"] = self.alpha
        return config


def _prelu_pure(x, alpha):
    return jnp.maximum(x, 0) - alpha * jnp.maximum(-x, 0)


_prelu_pure.tf_op_name = "PReLU"


class PReLU(Layer):
    """`tf.keras.layers.PReLU`: `x` for x >= 0, `alpha * x` below, with a learned `alpha` shaped
    like one sample (`input_shape[1:]`), of size 1 on the `shared_axes` (weight `p_re_lu/alpha:0`).

    Args:
      alpha_initializer: the initializer of `alpha` (default zeros: the layer starts as ReLU).
      shared_axes: axes (counted with the batch axis as 0) along which one slope is shared.
    """

    supports_masking = True

    def __init__(
        self,
        alpha_initializer: Any = "zeros",
        alpha_regularizer: Any = None,
        alpha_constraint: Any = None,
        shared_axes: Any = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = alpha_constraint
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [int(a) for a in shared_axes]
        else:
            self.shared_axes = [int(shared_axes)]

    def build(self, input_shape: Any) -> None:
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            if not 1 <= axis < len(input_shape):
                raise ValueError(
                    f"`shared_axes` of a PReLU layer must name axes of the input (1 to {len(input_shape) - 1}); "
                    f"received shared_axes={self.shared_axes} for an input of shape {tuple(input_shape)}"
                )
            param_shape[axis - 1] = 1
        if any(d is None for d in param_shape):
            raise ValueError(
                f"PReLU needs every non-shared axis of its input to be defined; received shape {tuple(input_shape)}"
            )
        self.alpha = self.add_weight(
            "alpha",
            param_shape,
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        return dispatch(_prelu_pure, inputs, self.alpha)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            alpha_initializer={
                "module": "keras.initializers",
                "class_name": type(self.alpha_initializer).__name__,
                "config": self.alpha_initializer.get_config(),
                "registered_name": None,
            },
            alpha_regularizer=None
            if self.alpha_regularizer is None
            else regularizers.serialize(self.alpha_regularizer),
            alpha_constraint=self.alpha_constraint,
            shared_axes=self.shared_axes,
        )
        return config


def _elu_pure(x, alpha):
    negative = jnp.asarray(alpha, x.dtype) * jnp.expm1(jnp.minimum(x, 0))
    return jnp.where(x > 0, x, negative)


_elu_pure.tf_op_name = "Elu"


class ELU(Layer):
    """`tf.keras.layers.ELU(alpha=1.0)`: `x` for x > 0, `alpha * (exp(x) - 1)` below."""

    supports_masking = True

    def __init__(self, alpha: float = 1.0, **kwargs: Any):
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError(f"Alpha of an ELU layer cannot be None, expecting a float. Received: {alpha}")
        self.alpha = float(alpha)

    def call(self, inputs: Any) -> Tensor:
        return dispatch(_elu_pure, inputs, alpha=self.alpha)

    def get_config(self) -> dict:
        config = super().get_config()
        config["alpha"] = self.alpha
        return config


def _thresholded_relu_pure(x, theta):
    return x * (x > jnp.asarray(theta, x.dtype)).astype(x.dtype)


_thresholded_relu_pure.tf_op_name = "ThresholdedRelu"


class ThresholdedReLU(Layer):
    """`tf.keras.layers.ThresholdedReLU(theta=1.0)`: `x` where x > theta, else 0."""

    supports_masking = True

    def __init__(self, theta: float = 1.0, **kwargs: Any):
        super().__init__(**kwargs)
        if theta is None:
            raise ValueError(f"Theta of a Thresholded ReLU layer cannot be None, expecting a float. Received: {theta}")
        if theta < 0:
            raise ValueError(f"The theta value of a Thresholded ReLU layer should be >=0. Received: {theta}")
        self.theta = float(theta)

    def call(self, inputs: Any) -> Tensor:
        return dispatch(_thresholded_relu_pure, inputs, theta=self.theta)

    def get_config(self) -> dict:
        config = super().get_config()
        config["theta"] = self.theta
        return config
