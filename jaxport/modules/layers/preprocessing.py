"""Numeric and image preprocessing layers that run inside models: Rescaling, Normalization,
Resizing, CenterCrop (tf_keras 2); the categorical ones are in `preprocessing_categorical.py`.

Images are channels-last, (batch, height, width, channels) or (height, width, channels).
Normalization keeps Keras's non-trainable weights `mean`, `variance` and `count`, which
`adapt(data)` fills batch by batch with the same pooled-variance update as tf_keras.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxport.eager import Tensor, TensorShape, convert_to_tensor, dispatch
from jaxport.modules.base_layer import Layer
from jaxport.ops import array_ops, image_ops, math_ops
from jaxport.ops._helpers import shape_of
from jaxport.variables import Variable

_EPSILON = 1e-7  # backend.epsilon(): the smallest standard deviation Normalization divides by


def _as_float(layer: Layer, inputs: Any) -> Tensor:
    t = convert_to_tensor(inputs)
    return t if t.dtype == layer._dtype else math_ops.cast(t, layer._dtype)


def _rescale_pure(x, scale, offset):
    return x * jnp.asarray(scale, x.dtype) + jnp.asarray(offset, x.dtype)


_rescale_pure.tf_op_name = "Rescaling"


class Rescaling(Layer):
    """`tf.keras.layers.Rescaling(scale, offset=0.)`: `inputs * scale + offset` in the layer's
    dtype (integer images are cast first), e.g. `Rescaling(1/255)`."""

    def __init__(self, scale: float, offset: float = 0.0, **kwargs: Any):
        self.scale = scale
        self.offset = offset
        super().__init__(**kwargs)

    def call(self, inputs: Any) -> Tensor:
        x = _as_float(self, inputs)
        return dispatch(_rescale_pure, x, convert_to_tensor(self.scale), convert_to_tensor(self.offset))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(scale=self.scale, offset=self.offset)
        return config


def _normalize_pure(x, mean, variance, invert):
    std = jnp.maximum(jnp.sqrt(variance), jnp.asarray(_EPSILON, x.dtype))
    return mean + x * std if invert else (x - mean) / std


_normalize_pure.tf_op_name = "Normalization"


class Normalization(Layer):
    """`tf.keras.layers.Normalization(axis=-1, mean=None, variance=None, invert=False)`:
    `(inputs - mean) / max(sqrt(variance), 1e-7)` per index of the kept `axis` (None: one
    scalar mean and variance); `invert=True` maps back (`mean + inputs * std`).

    Either pass `mean` and `variance`, or call `adapt(data)`: it builds the layer and computes
    them over batches of the data (non-trainable weights `mean`, `variance`, `count`).
    """

    def __init__(self, axis: Any = -1, mean: Any = None, variance: Any = None, invert: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        if isinstance(mean, Variable):
            raise ValueError("Normalization does not support passing a Variable for the `mean` init arg.")
        if isinstance(variance, Variable):
            raise ValueError("Normalization does not support passing a Variable for the `variance` init arg.")
        if (mean is not None) != (variance is not None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Got mean: {mean} and variance: {variance}"
            )
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)

    def build(self, input_shape: Any) -> None:
        if isinstance(input_shape, (list, tuple)) and input_shape and isinstance(input_shape[0], (list, TensorShape)):
            raise ValueError(
                "Normalization only accepts a single input. If you are passing a python list or tuple as a "
                "single input, please convert to a numpy array or `tf.Tensor`."
            )
        shape = list(TensorShape(input_shape))
        ndim = len(shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                f"All `axis` values must be in the range [-ndim, ndim). Found ndim: `{ndim}`, axis: {self.axis}"
            )
        keep = sorted(a % ndim for a in self.axis)
        for d in keep:
            if shape[d] is None:
                raise ValueError(
                    f"All `axis` values to be kept must have known shape. Got axis: {self.axis}, "
                    f"input shape: {shape}, with unknown axis at index: {d}"
                )
        self._keep_axis = keep
        self._reduce_axis = tuple(d for d in range(ndim) if d not in keep)
        self._broadcast_shape = tuple(shape[d] if d in keep else 1 for d in range(ndim))
        stat_shape = tuple(shape[d] for d in keep)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight("mean", stat_shape, initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight("variance", stat_shape, initializer="ones", trainable=False)
            self.count = self.add_weight("count", (), dtype="int64", initializer="zeros", trainable=False)
        else:
            self._mean_value = np.reshape(self.input_mean * np.ones(stat_shape), self._broadcast_shape)
            self._variance_value = np.reshape(self.input_variance * np.ones(stat_shape), self._broadcast_shape)
        self.built = True

    @property
    def mean(self) -> Tensor:
        """The mean the layer subtracts, shaped to broadcast against the input."""
        if self.input_mean is None:
            return array_ops.reshape(self.adapt_mean, self._broadcast_shape)
        return convert_to_tensor(self._mean_value.astype(self._dtype.as_numpy_dtype))

    @property
    def variance(self) -> Tensor:
        """The variance the layer divides by the square root of, shaped to broadcast."""
        if self.input_mean is None:
            return array_ops.reshape(self.adapt_variance, self._broadcast_shape)
        return convert_to_tensor(self._variance_value.astype(self._dtype.as_numpy_dtype))

    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Compute `mean` and `variance` over `data` (an array, Tensor or `tf.data.Dataset`),
        merged batch by batch (32 rows per batch for arrays, as Keras's default)."""
        if self.input_mean is not None:
            raise ValueError(
                "Cannot `adapt` a Normalization layer that is initialized with static `mean` and `variance`, "
                f"you passed mean {self.input_mean} and variance {self.input_variance}."
            )
        batches = _adapt_batches(data, batch_size, steps)
        if not batches:
            raise ValueError(f"`adapt()` received no data to compute `mean` and `variance` from; received {data!r}")
        if not self.built:
            if self._batch_input_shape is None:
                self._batch_input_shape = (None,) * batches[0].ndim
            self.build(batches[0].shape if not isinstance(data, np.ndarray) else data.shape)
        mean = np.zeros(self.adapt_mean.shape.as_list(), np.float32)
        variance = np.ones_like(mean)
        count = 0
        for batch in batches:
            batch = batch.astype(np.float32)
            batch_mean = batch.mean(axis=self._reduce_axis)
            batch_variance = np.square(batch - batch.mean(axis=self._reduce_axis, keepdims=True)).mean(
                axis=self._reduce_axis
            )
            batch_count = int(np.prod([batch.shape[d] for d in self._reduce_axis])) if self._reduce_axis else 1
            total = count + batch_count
            weight = np.float32(batch_count / total)
            existing = np.float32(1.0) - weight
            total_mean = mean * existing + batch_mean * weight
            variance = (variance + (mean - total_mean) ** 2) * existing + (
                batch_variance + (batch_mean - total_mean) ** 2
            ) * weight
            mean, count = total_mean, total
        self.adapt_mean.assign(mean.astype(np.float32))
        self.adapt_variance.assign(variance.astype(np.float32))
        self.count.assign(np.int64(count))

    def call(self, inputs: Any) -> Tensor:
        x = _as_float(self, inputs)
        return dispatch(_normalize_pure, x, self.mean, self.variance, invert=self.invert)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            axis=self.axis,
            invert=self.invert,
            mean=_listify(self.input_mean),
            variance=_listify(self.input_variance),
        )
        return config


def _listify(value: Any) -> Any:
    if isinstance(value, Tensor):
        value = value.numpy()
    return value.tolist() if isinstance(value, np.ndarray) else value


def _adapt_batches(data: Any, batch_size: int | None, steps: int | None) -> list[np.ndarray]:
    """The batches `adapt` reads, as numpy arrays."""
    if hasattr(data, "element_spec") or (hasattr(data, "__iter__") and hasattr(data, "batch")):
        out = []
        for i, batch in enumerate(data):
            if steps is not None and i >= steps:
                break
            out.append(np.asarray(batch.numpy() if hasattr(batch, "numpy") else batch))
        return out
    array = np.asarray(data.numpy() if hasattr(data, "numpy") else data)
    size = 32 if batch_size is None else int(batch_size)
    if array.ndim == 0:
        return [array]
    return [array[i : i + size] for i in range(0, len(array), size)]


_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")


def _crop_box(height: int, width: int, target_height: int, target_width: int) -> tuple[int, int, int, int]:
    """The largest centred crop with the target's aspect ratio (Keras's smart_resize)."""
    crop_height = min(height, int(np.float32(width * target_height) / np.float32(target_width)))
    crop_width = min(width, int(np.float32(height * target_width) / np.float32(target_height)))
    return int((height - crop_height) / 2), int((width - crop_width) / 2), crop_height, crop_width


def _crop(x: Any, top: int, left: int, height: int, width: int) -> Tensor:
    index = (Ellipsis, slice(top, top + height), slice(left, left + width), slice(None))
    return x[index]


def _check_image_rank(layer: Layer, inputs: Any) -> None:
    rank = len(inputs.shape)
    if rank not in (3, 4):
        raise ValueError(
            f'Input 0 of layer "{layer.name}" is incompatible with the layer: expected an image of shape '
            f"(height, width, channels) or (batch, height, width, channels), found ndim={rank}. "
            f"Full shape received: {tuple(inputs.shape)}"
        )


class Resizing(Layer):
    """`tf.keras.layers.Resizing(height, width, interpolation='bilinear', crop_to_aspect_ratio=False)`:
    `tf.image.resize` to (height, width), optionally after the largest centred crop of the
    target's aspect ratio; the output is float32 (for `nearest`, the layer's dtype)."""

    def __init__(
        self,
        height: int,
        width: int,
        interpolation: str = "bilinear",
        crop_to_aspect_ratio: bool = False,
        **kwargs: Any,
    ):
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        if interpolation.lower() not in _INTERPOLATIONS:
            raise NotImplementedError(
                f"Value not recognized for `interpolation`: {interpolation}. Supported values are: "
                f"dict_keys({list(_INTERPOLATIONS)})"
            )
        super().__init__(**kwargs)

    def call(self, inputs: Any) -> Tensor:
        x = convert_to_tensor(inputs)
        _check_image_rank(self, x)
        method = self.interpolation.lower()
        x = math_ops.cast(x, self._dtype if method == "nearest" else "float32")
        if self.crop_to_aspect_ratio:
            height, width = shape_of(x)[-3:-1]
            x = _crop(x, *_crop_box(height, width, self.height, self.width))
        outputs = image_ops.resize(x, [self.height, self.width], method=method)
        return outputs if outputs.dtype == self._dtype else math_ops.cast(outputs, self._dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            height=self.height,
            width=self.width,
            interpolation=self.interpolation,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
        )
        return config


class CenterCrop(Layer):
    """`tf.keras.layers.CenterCrop(height, width)`: the central (height, width) window of each
    image (start `(size - target) // 2`); an image smaller than the target on either side is
    instead resized bilinearly to it after the largest centred crop of its aspect ratio."""

    def __init__(self, height: int, width: int, **kwargs: Any):
        self.height = height
        self.width = width
        super().__init__(**kwargs)

    def call(self, inputs: Any) -> Tensor:
        x = _as_float(self, inputs)
        _check_image_rank(self, x)
        height, width = shape_of(x)[-3:-1]
        h_diff, w_diff = height - self.height, width - self.width
        if h_diff >= 0 and w_diff >= 0:
            return _crop(x, int(h_diff / 2), int(w_diff / 2), self.height, self.width)
        cropped = _crop(x, *_crop_box(height, width, self.height, self.width))
        return math_ops.cast(image_ops.resize(cropped, [self.height, self.width]), self._dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(height=self.height, width=self.width)
        return config
