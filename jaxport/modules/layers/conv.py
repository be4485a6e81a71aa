"""Keras 2's convolution layers: Conv1D/2D/3D, Conv1DTranspose/Conv2DTranspose, DepthwiseConv2D,
SeparableConv1D/2D.

Each layer runs as one recorded op: `lax.conv_general_dilated` with the bias and a built-in
activation fused (`channels_last` by default; `channels_first` uses the matching dimension
numbers). Kernels have Keras's shapes: `kernel_size + (in_channels // groups, filters)`;
transposed convolutions `kernel_size + (filters, in_channels)`; depthwise
`kernel_size + (in_channels, depth_multiplier)`.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules import activations, initializers, regularizers
from jaxport.modules.base_layer import Layer
from jaxport.modules.serialization import serialize_initializer, serialize_regularizer

_SPATIAL = {1: "W", 2: "HW", 3: "DHW"}


def normalize_tuple(value: Any, rank: int, arg: str, allow_zero: bool = False) -> tuple[int, ...]:
    """An int or `rank` ints as a tuple, with Keras's error for anything else."""
    if isinstance(value, int):
        out = (value,) * rank
    else:
        try:
            out = tuple(int(v) for v in value)
        except (TypeError, ValueError):
            raise ValueError(f"The `{arg}` argument must be a tuple of {rank} integers. Received: {value}") from None
        if len(out) != rank:
            raise ValueError(
                f"The `{arg}` argument must be a tuple of {rank} integers. Received: {value} "
                f"including {len(out)} elements"
            )
    if any(v < 0 or (v == 0 and not allow_zero) for v in out):
        raise ValueError(
            f"The `{arg}` argument must be a tuple of {rank} integers. Received {arg}={value} including "
            f"{{{', '.join(str(v) for v in out if v <= 0)}}} that does not satisfy the requirement `> 0`."
        )
    return out


def dimension_numbers(rank: int, data_format: str) -> tuple[str, str, str]:
    """`lax.conv_general_dilated`'s (lhs, rhs, out) layout strings for a Keras data format."""
    spatial = _SPATIAL[rank]
    lhs = "N" + spatial + "C" if data_format == "channels_last" else "NC" + spatial
    return lhs, spatial + "IO", lhs


def _activation_name(activation: Any) -> str | None:
    return activation.name if isinstance(activation, activations.Activation) else None


def _finish(z, bias, channel_axis, activation):
    if bias is not None:
        shape = [1] * z.ndim
        shape[channel_axis] = bias.shape[0]
        z = z + bias.reshape(shape)
    if activation in activations.CARRIES_LOGITS:
        return activations.PURE[activation](z), z
    return activations.PURE[activation or "linear"](z)


def _conv_pure(x, kernel, bias, strides, padding, dilation, groups, layout, channel_axis, activation):
    z = jax.lax.conv_general_dilated(
        x,
        kernel,
        window_strides=strides,
        padding=padding,
        rhs_dilation=dilation,
        dimension_numbers=layout,
        feature_group_count=groups,
    )
    return _finish(z, bias, channel_axis, activation)


_conv_pure.tf_op_name = "Conv2D"


class _Conv(Layer):
    """What every Keras convolution shares: arguments, validation, weights, the fused call."""

    rank = 2

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
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
        rank = self.rank
        if filters is not None and (not isinstance(filters, int) or filters <= 0):
            raise ValueError(
                f"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}."
            )
        self.filters = filters
        self.groups = int(groups or 1)
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size", allow_zero=True)
        self.strides = normalize_tuple(strides, rank, "strides", allow_zero=True)
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate")
        padding_l = str(padding).lower()
        if padding_l not in ("valid", "same", "causal"):
            raise ValueError(
                'The `padding` argument must be a list/tuple or one of "valid", "same" (or "causal", only for '
                f"`Conv1D). Received: {padding}"
            )
        self.padding = padding_l
        data_format = data_format or "channels_last"
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                f'The `data_format` argument must be one of "channels_first", "channels_last". Received: {data_format}'
            )
        self.data_format = data_format
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self._validate_init()

    def _validate_init(self) -> None:
        if self.filters is not None and self.filters % self.groups != 0:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={self.groups}, filters={self.filters}"
            )
        if not all(self.kernel_size):
            raise ValueError(f"The argument `kernel_size` cannot contain 0(s). Received: {self.kernel_size}")
        if not all(self.strides):
            raise ValueError(f"The argument `strides` cannot contains 0(s). Received: {self.strides}")
        if self.padding == "causal" and self.rank != 1:
            raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def _check_input_shape(self, inputs: Any) -> None:
        shape = getattr(inputs, "shape", None)
        if shape is not None and len(shape) != self.rank + 2:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected min_ndim={self.rank + 2}, '
                f"found ndim={len(shape)}. Full shape received: {tuple(shape)}"
            )

    def _input_channels(self, input_shape: Any) -> int:
        axis = self._channel_axis
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(
                "The channel dimension of the inputs should be defined. The input_shape received is "
                f"{input_shape}, where axis {axis} (0-based) is the channel dimension, which found to be `None`."
            )
        return int(channels)

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        if channels % self.groups != 0:
            raise ValueError(
                "The number of input channels must be evenly divisible by the number of groups. "
                f"Received groups={self.groups}, but the input has {channels} channels "
                f"(full input shape is {input_shape})."
            )
        self.kernel = self.add_weight(
            "kernel",
            self.kernel_size + (channels // self.groups, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = self._make_bias(self.filters)
        self.built = True

    def _make_bias(self, size: int) -> Any:
        if not self.use_bias:
            return None
        return self.add_weight(
            "bias",
            (size,),
            initializer=self.bias_initializer,
            regularizer=self.bias_regularizer,
            constraint=self.bias_constraint,
        )

    def _padding(self) -> Any:
        if self.padding == "causal":  # left-pad the time axis, then a valid convolution
            return (((self.kernel_size[0] - 1) * self.dilation_rate[0], 0),)
        return self.padding.upper()

    def _fused(self, pure: Any, inputs: Any, *weights: Any, **static: Any) -> Tensor:
        """Run `pure` with the built-in activation fused (or the activation applied after)."""
        name = _activation_name(self.activation)
        static.update(
            layout=dimension_numbers(self.rank, self.data_format),
            channel_axis=self._channel_axis % (self.rank + 2),
            activation=name,
        )
        if name in activations.CARRIES_LOGITS:
            out, logits = dispatch(pure, inputs, *weights, **static)
            out._keras_logits = logits
            return out
        out = dispatch(pure, inputs, *weights, **static)
        return out if name is not None else self.activation(out)

    def call(self, inputs: Any) -> Tensor:
        return self._fused(
            _conv_pure,
            inputs,
            self.kernel,
            self.bias,
            strides=self.strides,
            padding=self._padding(),
            dilation=self.dilation_rate,
            groups=self.groups,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            filters=self.filters,
            kernel_size=self.kernel_size,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
            groups=self.groups,
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


class Conv1D(_Conv):
    """`tf.keras.layers.Conv1D`: (batch, steps, channels) -> (batch, new_steps, filters);
    `padding` 'valid', 'same' or 'causal'."""

    rank = 1


class Conv2D(_Conv):
    """`tf.keras.layers.Conv2D`: (batch, rows, cols, channels) -> (batch, new_rows, new_cols, filters)."""

    rank = 2


class Conv3D(_Conv):
    """`tf.keras.layers.Conv3D`: (batch, d1, d2, d3, channels) -> (batch, n1, n2, n3, filters)."""

    rank = 3


# -- transposed convolutions ---------------------------------------------------------------------


def _deconv_length(length: int, kernel: int, padding: str, output_padding: int | None, stride: int, dilation: int):
    """tf_keras's `conv_utils.deconv_output_length`."""
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(kernel - stride, 0)
        return length * stride
    pad = kernel // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel - 2 * pad + output_padding


def _conv_transpose_pure(x, kernel, bias, strides, pads, dilation, layout, channel_axis, activation):
    # The gradient of a strided convolution with respect to its input, as TF's Conv2DBackpropInput:
    # dilate the input by the strides, pad, and correlate with the flipped kernel.
    spatial = len(strides)
    flipped = jnp.flip(kernel, axis=tuple(range(spatial)))
    flipped = jnp.swapaxes(flipped, -1, -2)  # (..., filters, in) -> (..., in, filters)
    z = jax.lax.conv_general_dilated(
        x,
        flipped,
        window_strides=(1,) * spatial,
        padding=pads,
        lhs_dilation=strides,
        rhs_dilation=dilation,
        dimension_numbers=layout,
    )
    return _finish(z, bias, channel_axis, activation)


_conv_transpose_pure.tf_op_name = "Conv2DBackpropInput"


class _ConvTranspose(_Conv):
    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid", **kwargs: Any):
        output_padding = kwargs.pop("output_padding", None)
        super().__init__(filters, kernel_size, strides=strides, padding=padding, **kwargs)
        if self.padding == "causal":
            raise ValueError(f'The `padding` argument must be one of "valid", "same". Received: {padding}')
        self.output_padding = (
            None if output_padding is None else normalize_tuple(output_padding, self.rank, "output_padding", True)
        )
        if self.output_padding is not None:
            for stride, out_pad in zip(self.strides, self.output_padding):
                if out_pad >= stride:
                    raise ValueError(
                        f"Strides must be greater than output padding. Received strides={self.strides}, "
                        f"output_padding={self.output_padding}."
                    )

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            "kernel",
            self.kernel_size + (self.filters, channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = self._make_bias(self.filters)
        self.built = True

    def _pads(self, spatial_shape: tuple) -> list[tuple[int, int]]:
        pads = []
        for i, length in enumerate(spatial_shape):
            k = self.kernel_size[i] + (self.kernel_size[i] - 1) * (self.dilation_rate[i] - 1)
            s = self.strides[i]
            out_len = _deconv_length(
                length,
                self.kernel_size[i],
                self.padding,
                None if self.output_padding is None else self.output_padding[i],
                s,
                self.dilation_rate[i],
            )
            # TF pads the forward convolution of the output by `before`; the transpose pads by k-1-before.
            total = max((length - 1) * s + k - out_len, 0) if self.padding == "same" else 0
            lo = k - 1 - total // 2
            # the dilated input, padded by (lo, hi) and correlated with the k-wide kernel, is out_len long
            hi = out_len - ((length - 1) * s + 1 + lo - k + 1)
            pads.append((lo, hi))
        return pads

    def call(self, inputs: Any) -> Tensor:
        shape = tuple(inputs.shape)
        spatial = shape[1:-1] if self.data_format == "channels_last" else shape[2:]
        return self._fused(
            _conv_transpose_pure,
            inputs,
            self.kernel,
            self.bias,
            strides=self.strides,
            pads=tuple(self._pads(tuple(int(d) for d in spatial))),
            dilation=self.dilation_rate,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("groups", None)
        config["output_padding"] = self.output_padding
        return config


class Conv1DTranspose(_ConvTranspose):
    """`tf.keras.layers.Conv1DTranspose`: kernel `(k, filters, in_channels)`."""

    rank = 1


class Conv2DTranspose(_ConvTranspose):
    """`tf.keras.layers.Conv2DTranspose`: kernel `(kh, kw, filters, in_channels)`; output size
    `deconv_output_length` (note `output_padding=0` differs from `None`, as in Keras)."""

    rank = 2


class Conv3DTranspose(_ConvTranspose):
    """`tf.keras.layers.Conv3DTranspose`."""

    rank = 3


# -- depthwise and separable -----------------------------------------------------------------------


def _depthwise_pure(x, depthwise_kernel, bias, strides, padding, dilation, layout, channel_axis, activation):
    k = depthwise_kernel
    channels = k.shape[-2]
    kernel = k.reshape(k.shape[:-2] + (1, channels * k.shape[-1]))
    z = jax.lax.conv_general_dilated(
        x,
        kernel,
        window_strides=strides,
        padding=padding,
        rhs_dilation=dilation,
        dimension_numbers=layout,
        feature_group_count=channels,
    )
    return _finish(z, bias, channel_axis, activation)


_depthwise_pure.tf_op_name = "DepthwiseConv2dNative"


def _separable_pure(
    x, depthwise_kernel, pointwise_kernel, bias, strides, padding, dilation, layout, channel_axis, activation
):
    depthwise = _depthwise_pure(x, depthwise_kernel, None, strides, padding, dilation, layout, channel_axis, None)
    z = jax.lax.conv_general_dilated(
        depthwise, pointwise_kernel, (1,) * len(strides), "VALID", dimension_numbers=layout
    )
    return _finish(z, bias, channel_axis, activation)


_separable_pure.tf_op_name = "SeparableConv2D"


class _DepthwiseBase(_Conv):
    def __init__(
        self,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        depth_multiplier: int = 1,
        depthwise_initializer: Any = "glorot_uniform",
        depthwise_regularizer: Any = None,
        depthwise_constraint: Any = None,
        filters: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = depthwise_constraint

    def _depthwise_kernel(self, channels: int) -> Any:
        return self.add_weight(
            "depthwise_kernel",
            self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )


class DepthwiseConv2D(_DepthwiseBase):
    """`tf.keras.layers.DepthwiseConv2D(kernel_size, strides, padding, depth_multiplier=1)`:
    each input channel convolved with its own `depth_multiplier` filters; weight
    `depthwise_kernel` (kh, kw, in_channels, depth_multiplier)."""

    rank = 2

    def __init__(self, kernel_size: Any, strides: Any = (1, 1), padding: str = "valid", **kwargs: Any):
        super().__init__(kernel_size, strides=strides, padding=padding, **kwargs)

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        self.depthwise_kernel = self._depthwise_kernel(channels)
        self.bias = self._make_bias(channels * self.depth_multiplier)
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        return self._fused(
            _depthwise_pure,
            inputs,
            self.depthwise_kernel,
            self.bias,
            strides=self.strides,
            padding=self._padding(),
            dilation=self.dilation_rate,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("filters", None)
        config.pop("groups", None)
        config["depth_multiplier"] = self.depth_multiplier
        return config


class _Separable(_DepthwiseBase):
    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        pointwise_initializer: Any = "glorot_uniform",
        pointwise_regularizer: Any = None,
        pointwise_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(kernel_size, strides=strides, padding=padding, filters=filters, **kwargs)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = pointwise_constraint

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        self.depthwise_kernel = self._depthwise_kernel(channels)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel",
            (1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        self.bias = self._make_bias(self.filters)
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        return self._fused(
            _separable_pure,
            inputs,
            self.depthwise_kernel,
            self.pointwise_kernel,
            self.bias,
            strides=self.strides,
            padding=self._padding(),
            dilation=self.dilation_rate,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("groups", None)
        config["depth_multiplier"] = self.depth_multiplier
        return config


class SeparableConv1D(_Separable):
    """`tf.keras.layers.SeparableConv1D`: a depthwise then a pointwise (1-wide) convolution."""

    rank = 1


class SeparableConv2D(_Separable):
    """`tf.keras.layers.SeparableConv2D`: weights `depthwise_kernel` (kh, kw, in, multiplier),
    `pointwise_kernel` (1, 1, in * multiplier, filters), `bias`."""

    rank = 2
