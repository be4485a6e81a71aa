"""Core layers: Dense, Dropout, Flatten, Activation."""

from __future__ import annotations

import math
from typing import Any

import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules import activations, initializers, regularizers
from jaxport.modules.base_layer import Layer, training_flag
from jaxport.modules.serialization import serialize_initializer, serialize_regularizer
from jaxport.ops import array_ops, math_ops, nn_ops, reduction_ops
from jaxport.ops._helpers import shape_of


def _dense_pure(x, kernel, bias, activation):
    z = jnp.matmul(x, kernel)
    if bias is not None:
        z = z + bias
    if activation in activations.CARRIES_LOGITS:
        return activations.PURE[activation](z), z
    return activations.PURE[activation](z)


_dense_pure.tf_op_name = "Dense"


def _dense_pure_custom(x, kernel, bias):
    z = jnp.matmul(x, kernel)
    return z if bias is None else z + bias


_dense_pure_custom.tf_op_name = "Dense"


class Dense(Layer):
    """`tf.keras.layers.Dense`: `activation(inputs @ kernel + bias)`.

    Input shape: (batch, ..., input_dim), rank >= 2. Output shape: (batch, ..., units).
    The whole layer runs as one recorded op (one jitted call eagerly).
    """

    supports_masking = True  # Keras 2: the input mask passes through

    def __init__(
        self,
        units: int,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        try:
            units = int(units)  # TF converts with int() too: a bad string is a ValueError
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{exc} (`units` must be an integer; received units={units!r})") from None
        if units < 0:  # Keras 2 accepts units=0: the layer outputs (batch, ..., 0)
            raise ValueError(
                f"Received an invalid value for `units`, expected a positive integer. Received: units={units}"
            )
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_constraint = kernel_constraint
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = bias_constraint

    def _check_input_shape(self, inputs: Any) -> None:
        shape = getattr(inputs, "shape", None)
        if shape is None:
            return
        if len(shape) < 2:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected min_ndim=2, '
                f"found ndim={len(shape)}. Full shape received: {tuple(shape)}"
            )
        if self.built and shape[-1] != self.kernel.shape[0]:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected axis -1 of input '
                f"shape to have value {self.kernel.shape[0]}, but received input with shape {tuple(shape)}"
            )

    def build(self, input_shape: Any) -> None:
        last_dim = input_shape[-1]
        if last_dim is None:
            raise ValueError(
                "The last dimension of the inputs to a Dense layer should be defined. Found None. "
                f"Full input shape received: {input_shape}"
            )
        self.kernel = self.add_weight(
            "kernel",
            (last_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = (
            self.add_weight(
                "bias",
                (self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if self.use_bias
            else None
        )
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        act = self.activation
        bias = self.bias
        if isinstance(act, activations.Activation):
            if act.name in activations.CARRIES_LOGITS:
                out, logits = dispatch(_dense_pure, inputs, self.kernel, bias, activation=act.name)
                out._keras_logits = logits
                return out
            return dispatch(_dense_pure, inputs, self.kernel, bias, activation=act.name)
        return act(dispatch(_dense_pure_custom, inputs, self.kernel, bias))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            units=self.units,
            activation=activations.serialize(self.activation),
            use_bias=self.use_bias,
            kernel_initializer=serialize_initializer(self.kernel_initializer),
            bias_initializer=serialize_initializer(self.bias_initializer),
            kernel_regularizer=serialize_regularizer(self.kernel_regularizer),
            bias_regularizer=serialize_regularizer(self.bias_regularizer),
            activity_regularizer=serialize_regularizer(self.activity_regularizer),
            kernel_constraint=self.kernel_constraint,
            bias_constraint=self.bias_constraint,
        )
        return config


class Dropout(Layer):
    """`tf.keras.layers.Dropout`: in training, zero inputs with probability `rate` and scale the
    rest by 1/(1-rate); the identity in inference (including `training=None` outside fit).

    Args:
      rate: the fraction of inputs to drop, in [0, 1] (1 is accepted here and refused by
        `tf.nn.dropout` when the layer trains, as in Keras 2).
      noise_shape: the mask's shape, broadcast to the input's (e.g. `(batch, 1, features)`
        keeps or drops a feature at every timestep together); None entries take the input's size.
      seed: accepted as Keras's layer seed (the draw comes from the global RNG).
    """

    supports_masking = True  # Keras 2: the input mask passes through

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if isinstance(rate, (int, float)) and not 0 <= rate <= 1:
            raise ValueError(f"Invalid value {rate} received for `rate`, expected a value between 0 and 1.")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed

    def _get_noise_shape(self, inputs: Any) -> Any:
        """`noise_shape` with its None entries filled from the input's shape (Keras's rule)."""
        if self.noise_shape is None:
            return None
        dims = shape_of(inputs)
        return [dims[i] if value is None else value for i, value in enumerate(self.noise_shape)]

    def call(self, inputs: Any, training: Any = None) -> Any:
        flag = training_flag(training)
        if flag is None or flag is False or (isinstance(self.rate, (int, float)) and self.rate == 0):
            return inputs
        dropped = nn_ops.dropout(inputs, self.rate, noise_shape=self._get_noise_shape(inputs), seed=self.seed)
        if flag is not True:  # a traced bool Tensor: chosen at run time, as Keras's smart_cond
            return array_ops.where(flag, dropped, inputs)
        return dropped

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)
        return config


class Flatten(Layer):
    """`tf.keras.layers.Flatten`: (batch, d1, d2, ...) -> (batch, d1*d2*...)."""

    def __init__(self, data_format: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.data_format = data_format

    def call(self, inputs: Any) -> Tensor:
        shape = inputs.shape
        if len(shape) == 0:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected min_ndim=1, '
                f"found ndim=0. Full shape received: ()"
            )
        if len(shape) == 1:
            return array_ops.expand_dims(inputs, 1)
        if self.data_format == "channels_first" and len(shape) > 2:
            inputs = array_ops.transpose(inputs, (0,) + tuple(range(2, len(shape))) + (1,))
        dims = shape_of(inputs)  # symbolic sizes where a signature's dims are None
        return array_ops.reshape(inputs, (dims[0], math.prod(dims[1:])))

    def get_config(self) -> dict:
        config = super().get_config()
        config["data_format"] = self.data_format or "channels_last"  # tf_keras writes the resolved format
        return config


class Activation(Layer):
    """`tf.keras.layers.Activation`: apply an activation function."""

    supports_masking = True  # Keras 2: the input mask passes through

    def __init__(self, activation: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs: Any) -> Any:
        return self.activation(inputs)


class Softmax(Layer):
    """`tf.keras.layers.Softmax(axis=-1)`: softmax over `axis` (an int, or a list of axes); with
    `mask=` the masked logits get -1e9 added first, as tf_keras. The output carries its logits,
    as Keras 2 (a cross-entropy of it uses them)."""

    supports_masking = True  # Keras 2: the input mask passes through

    def __init__(self, axis: Any = -1, robust_masking: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis = axis
        self.robust_masking = bool(robust_masking)

    def call(self, inputs: Any, mask: Any = None) -> Tensor:
        if mask is not None:  # tf_keras: masked logits get -1e9 added (robust_masking: replaced by it)
            if self.robust_masking:
                keep = mask if mask.dtype.name == "bool" else math_ops.greater(mask, 0.5)
                inputs = array_ops.where(keep, inputs, math_ops.cast(_large_negative(inputs), inputs.dtype))
            else:
                adder = math_ops.multiply(
                    math_ops.subtract(1.0, math_ops.cast(mask, inputs.dtype)), _large_negative(inputs)
                )
                inputs = math_ops.add(inputs, adder)
        axis = self.axis
        if isinstance(axis, (list, tuple)):
            if len(axis) > 1:
                return math_ops.exp(
                    math_ops.subtract(inputs, reduction_ops.reduce_logsumexp(inputs, axis=list(axis), keepdims=True))
                )
            axis = axis[0]
        if axis == -1:
            return activations.softmax(inputs)
        return nn_ops.softmax(inputs, axis=axis)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        if self.robust_masking:
            config["robust_masking"] = True
        return config


def _large_negative(inputs: Any) -> float:
    """tf_keras's `_large_compatible_negative`: -1e9, or float16's lowest value for float16."""
    return -65504.0 if inputs.dtype.name == "float16" else -1e9


class ReLU(Layer):
    """`tf.keras.layers.ReLU`: max(x, 0) (optionally capped by `max_value`)."""

    supports_masking = True  # Keras 2: the input mask passes through

    def __init__(
        self, max_value: float | None = None, negative_slope: float = 0.0, threshold: float = 0.0, **kwargs: Any
    ):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0:
            raise ValueError(f"max_value of a ReLU layer cannot be a negative value. Received: {max_value}")
        if negative_slope is None or negative_slope < 0:
            raise ValueError(f"negative_slope of a ReLU layer cannot be a negative value. Received: {negative_slope}")
        if threshold is None or threshold < 0:
            raise ValueError(f"threshold of a ReLU layer cannot be a negative value. Received: {threshold}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs: Any) -> Tensor:
        if self.max_value is None and not self.negative_slope and not self.threshold:
            return nn_ops.relu(inputs)
        # Keras 2's backend.relu: x above the threshold (strictly), slope below, capped
        return activations.relu(
            inputs, alpha=float(self.negative_slope), max_value=self.max_value, threshold=float(self.threshold)
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(max_value=self.max_value, negative_slope=self.negative_slope, threshold=self.threshold)
        return config
