"""Regularization layers active only in training: GaussianNoise, GaussianDropout, AlphaDropout,
SpatialDropout1D/2D/3D, and ActivityRegularization (Keras 2).

In inference (also `training=None` outside `fit`) the noise layers are the identity. Their
draws come from the global RNG (`tf.random.set_seed` repeats them), so values cannot match
TF's; the distributions, scalings and mask sharing do.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules import regularizers
from jaxport.modules.base_layer import Layer, training_flag
from jaxport.modules.layers.core import Dropout
from jaxport.ops import array_ops, random_ops
from jaxport.ops._helpers import shape_of

# SELU's constants (Klambauer et al. 2017), which AlphaDropout keeps the statistics of.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _in_training(layer_output: Any, inputs: Any, training: Any) -> Any:
    """Keras's `in_train_phase`: the noised value when `training` is True, the input otherwise
    (a traced bool selects at run time)."""
    flag = training_flag(training)
    if flag is None or flag is False:
        return inputs
    noised = layer_output()
    return noised if flag is True else array_ops.where(flag, noised, inputs)


def _gaussian_noise_pure(x, key, stddev):
    return x + jax.random.normal(key, x.shape, x.dtype) * jnp.asarray(stddev, x.dtype)


_gaussian_noise_pure.tf_op_name = "GaussianNoise"


class GaussianNoise(Layer):
    """`tf.keras.layers.GaussianNoise(stddev)`: adds zero-centred normal noise of `stddev` in
    training; the identity in inference."""

    supports_masking = True

    def __init__(self, stddev: float, seed: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.stddev = stddev
        self.seed = seed

    def call(self, inputs: Any, training: Any = None) -> Any:
        return _in_training(
            lambda: dispatch(_gaussian_noise_pure, inputs, Tensor(random_ops.next_key()), stddev=float(self.stddev)),
            inputs,
            training,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(stddev=self.stddev, seed=self.seed)
        return config


def _gaussian_dropout_pure(x, key, stddev):
    return x * (1.0 + jax.random.normal(key, x.shape, x.dtype) * jnp.asarray(stddev, x.dtype))


_gaussian_dropout_pure.tf_op_name = "GaussianDropout"


class GaussianDropout(Layer):
    """`tf.keras.layers.GaussianDropout(rate)`: multiplies by normal noise of mean 1 and standard
    deviation `sqrt(rate / (1 - rate))` in training (only for 0 < rate < 1); else the identity."""

    supports_masking = True

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not 0 < self.rate < 1:
            return inputs
        stddev = (self.rate / (1.0 - self.rate)) ** 0.5
        return _in_training(
            lambda: dispatch(_gaussian_dropout_pure, inputs, Tensor(random_ops.next_key()), stddev=stddev),
            inputs,
            training,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed)
        return config


def _alpha_dropout_pure(x, key, rate, noise_shape):
    alpha_p = -_SELU_ALPHA * _SELU_SCALE
    kept = (jax.random.uniform(key, noise_shape, x.dtype) >= rate).astype(x.dtype)
    # the affine map that restores zero mean and unit variance after setting drops to alpha_p
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    b = -a * alpha_p * rate
    dropped = x * kept + jnp.asarray(alpha_p, x.dtype) * (1 - kept)
    return jnp.asarray(a, x.dtype) * dropped + jnp.asarray(b, x.dtype)


_alpha_dropout_pure.tf_op_name = "AlphaDropout"


class AlphaDropout(Layer):
    """`tf.keras.layers.AlphaDropout(rate)`: for SELU networks, in training sets dropped inputs
    to SELU's negative saturation `-alpha*scale` and applies the affine map `a*x + b` that keeps
    the mean and variance (only for 0 < rate < 1); else the identity.

    Args:
      noise_shape: the shape of the keep mask (broadcast to the input's), default the input's.
    """

    supports_masking = True

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not 0 < self.rate < 1:
            return inputs
        noise_shape = tuple(self.noise_shape) if self.noise_shape else tuple(inputs.shape)
        return _in_training(
            lambda: dispatch(
                _alpha_dropout_pure,
                inputs,
                Tensor(random_ops.next_key()),
                rate=float(self.rate),
                noise_shape=noise_shape,
            ),
            inputs,
            training,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed)
        return config


def _check_ndim(layer: Layer, inputs: Any, ndim: int) -> None:
    shape = getattr(inputs, "shape", None)
    if shape is not None and len(shape) != ndim:
        raise ValueError(
            f'Input 0 of layer "{layer.name}" is incompatible with the layer: expected ndim={ndim}, '
            f"found ndim={len(shape)}. Full shape received: {tuple(shape)}"
        )


def _data_format(data_format: str | None) -> str:
    data_format = "channels_last" if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f'`data_format` must be "channels_last" or "channels_first". Received: data_format={data_format}.'
        )
    return data_format


class SpatialDropout1D(Dropout):
    """`tf.keras.layers.SpatialDropout1D(rate)`: Dropout of whole channels of (batch, steps,
    channels) inputs: one keep/drop draw per sample and channel, shared by every step."""

    def __init__(self, rate: float, **kwargs: Any):
        super().__init__(rate, **kwargs)

    def _check_input_shape(self, inputs: Any) -> None:
        _check_ndim(self, inputs, 3)

    def _get_noise_shape(self, inputs: Any) -> Any:
        dims = shape_of(inputs)
        return [dims[0], 1, dims[2]]


class SpatialDropout2D(Dropout):
    """`tf.keras.layers.SpatialDropout2D(rate, data_format=None)`: Dropout of whole feature maps
    of 4D inputs (one draw per sample and channel, shared over rows and columns)."""

    def __init__(self, rate: float, data_format: str | None = None, **kwargs: Any):
        super().__init__(rate, **kwargs)
        self.data_format = _data_format(data_format)

    def _check_input_shape(self, inputs: Any) -> None:
        _check_ndim(self, inputs, 4)

    def _get_noise_shape(self, inputs: Any) -> Any:
        dims = shape_of(inputs)
        if self.data_format == "channels_first":
            return [dims[0], dims[1], 1, 1]
        return [dims[0], 1, 1, dims[3]]


class SpatialDropout3D(Dropout):
    """`tf.keras.layers.SpatialDropout3D(rate, data_format=None)`: Dropout of whole feature
    volumes of 5D inputs (one draw per sample and channel)."""

    def __init__(self, rate: float, data_format: str | None = None, **kwargs: Any):
        super().__init__(rate, **kwargs)
        self.data_format = _data_format(data_format)

    def _check_input_shape(self, inputs: Any) -> None:
        _check_ndim(self, inputs, 5)

    def _get_noise_shape(self, inputs: Any) -> Any:
        dims = shape_of(inputs)
        if self.data_format == "channels_first":
            return [dims[0], dims[1], 1, 1, 1]
        return [dims[0], 1, 1, 1, dims[4]]


class ActivityRegularization(Layer):
    """`tf.keras.layers.ActivityRegularization(l1=0., l2=0.)`: the identity that adds
    `(l1 * sum|y| + l2 * sum y^2) / batch_size` of its output to `losses`."""

    supports_masking = True

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2

    def call(self, inputs: Any) -> Any:
        return inputs

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(l1=self.l1, l2=self.l2)
        return config
