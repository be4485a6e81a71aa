"""Conv2D and the pooling layers (channels_last, as Keras's default)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules import activations, initializers, regularizers
from jaxport.modules.base_layer import Layer
from jaxport.ops import math_ops


def _pair(value: Any, arg: str) -> tuple[int, int]:
    if isinstance(value, int):
        return (value, value)
    try:
        out = tuple(int(v) for v in value)
    except TypeError:
        raise ValueError(f"The `{arg}` argument must be a tuple of 2 integers. Received: {value!r}") from None
    if len(out) != 2:
        raise ValueError(
            f"The `{arg}` argument must be a tuple of 2 integers. Received: {value!r} including {len(out)} elements"
        )
    return out


def _conv_pure(x, kernel, bias, strides, padding, dilation, activation):
    z = jax.lax.conv_general_dilated(
        x,
        kernel,
        window_strides=strides,
        padding=padding,
        rhs_dilation=dilation,
        dimension_numbers=("NHWC", "HWIO", "NHWC"),
    )
    if bias is not None:
        z = z + bias
    if activation in activations.CARRIES_LOGITS:
        return activations.PURE[activation](z), z
    return activations.PURE[activation](z)


_conv_pure.tf_op_name = "Conv2D"


class Conv2D(Layer):
    """`tf.keras.layers.Conv2D`: 2-D convolution over (batch, height, width, channels) inputs.

    Output shape: (batch, new_height, new_width, filters); `padding` 'valid' or 'same'.
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
        groups: int = 1,
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
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(
                f"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}."
            )
        padding_l = str(padding).lower()
        if padding_l not in ("valid", "same"):
            raise ValueError(
                f'The `padding` argument must be a list/tuple or one of "valid", "same" '
                f'(or "causal", only for `Conv1D). Received: {padding}'
            )
        if data_format not in (None, "channels_last"):
            raise ValueError(f"jaxport's Conv2D supports data_format='channels_last' only; received {data_format!r}.")
        self.filters = filters
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.strides = _pair(strides, "strides")
        self.dilation_rate = _pair(dilation_rate, "dilation_rate")
        self.padding = padding_l
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
        if shape is not None and len(shape) != 4:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected min_ndim=4, '
                f"found ndim={len(shape)}. Full shape received: {tuple(shape)}"
            )

    def build(self, input_shape: Any) -> None:
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(
                "The channel dimension of the inputs should be defined. The input_shape received is "
                f"{input_shape}, where axis -1 (0-based) is the channel dimension, which found to be `None`."
            )
        self.kernel = self.add_weight(
            "kernel",
            self.kernel_size + (channels, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = (
            self.add_weight(
                "bias",
                (self.filters,),
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
        name = act.name if isinstance(act, activations.Activation) else "linear"
        static = dict(strides=self.strides, padding=self.padding.upper(), dilation=self.dilation_rate, activation=name)
        if name in activations.CARRIES_LOGITS:
            out, logits = dispatch(_conv_pure, inputs, self.kernel, self.bias, **static)
            out._keras_logits = logits
            return out
        out = dispatch(_conv_pure, inputs, self.kernel, self.bias, **static)
        return out if isinstance(act, activations.Activation) else act(out)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            filters=self.filters,
            kernel_size=self.kernel_size,
            strides=self.strides,
            padding=self.padding,
            dilation_rate=self.dilation_rate,
            activation=activations.serialize(self.activation),
            use_bias=self.use_bias,
        )
        return config


class GlobalAveragePooling2D(Layer):
    """`tf.keras.layers.GlobalAveragePooling2D`: (batch, h, w, c) -> (batch, c) (keepdims keeps 1x1)."""

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.keepdims = bool(keepdims)

    def _check_input_shape(self, inputs: Any) -> None:
        shape = getattr(inputs, "shape", None)
        if shape is not None and len(shape) != 4:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected ndim=4, '
                f"found ndim={len(shape)}. Full shape received: {tuple(shape)}"
            )

    def call(self, inputs: Any) -> Tensor:
        return math_ops.reduce_mean(inputs, axis=(1, 2), keepdims=self.keepdims)


def _pool_pure(x, window, strides, padding, kind):
    dims = (1,) + window + (1,)
    strd = (1,) + strides + (1,)
    if kind == "max":
        return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, dims, strd, padding)
    total = jax.lax.reduce_window(x, 0.0, jax.lax.add, dims, strd, padding)
    counts = jax.lax.reduce_window(jnp.ones_like(x), 0.0, jax.lax.add, dims, strd, padding)
    return total / counts


_pool_pure.tf_op_name = "Pool"


class _Pooling2D(Layer):
    _kind = "max"

    def __init__(
        self,
        pool_size: Any = (2, 2),
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.pool_size = _pair(pool_size, "pool_size")
        self.strides = self.pool_size if strides is None else _pair(strides, "strides")
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. Received: {padding}")

    def call(self, inputs: Any) -> Tensor:
        return dispatch(
            _pool_pure,
            inputs,
            window=self.pool_size,
            strides=self.strides,
            padding=self.padding.upper(),
            kind=self._kind,
        )


class MaxPooling2D(_Pooling2D):
    """`tf.keras.layers.MaxPooling2D`."""

    _kind = "max"


class AveragePooling2D(_Pooling2D):
    """`tf.keras.layers.AveragePooling2D` (padding cells are not counted, as TF)."""

    _kind = "avg"
