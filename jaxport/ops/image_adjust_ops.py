"""`tf.image` beyond resizing: flips (fixed, random, stateless random), `rot90`, crops and pads
to bounding boxes, `central_crop`, `resize_with_crop_or_pad`, `convert_image_dtype` (with
`saturate`), `rgb_to_grayscale`, `grayscale_to_rgb`, `adjust_brightness`, `adjust_contrast`,
`per_image_standardization` — each in TF's formulas (the same scale factors, the same
float32 round trip for integer images), composed from dispatched ops so the tape sees them.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.eager import Tensor, dispatch
from jaxport.ops import array_ops, linalg_ops, math_ops, random_ops
from jaxport.ops._gradients import maximum_tf, no_registered_gradient
from jaxport.ops._helpers import as_input, int_list, pure_op, shape_of
from jaxport.ops.image_ops import batched, unbatched

__all__ = [
    "flip_left_right",
    "flip_up_down",
    "random_flip_left_right",
    "random_flip_up_down",
    "stateless_random_flip_left_right",
    "stateless_random_flip_up_down",
    "rot90",
    "crop_to_bounding_box",
    "pad_to_bounding_box",
    "central_crop",
    "resize_with_crop_or_pad",
    "convert_image_dtype",
    "rgb_to_grayscale",
    "grayscale_to_rgb",
    "adjust_brightness",
    "adjust_contrast",
    "per_image_standardization",
]


def _image(image: Any) -> Any:
    """An image input of rank 3 or 4 (TF's `_AssertAtLeast3DImage` and rank checks)."""
    t = as_input(image)
    if t.ndim < 3:
        raise ValueError(f"'image' (shape {t.shape}) must be at least three-dimensional.")
    if t.ndim > 4:
        raise ValueError(f"'image' (shape {t.shape}) must have either 3 or 4 dimensions.")
    if 0 in shape_of(t)[-3:]:
        raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {t.shape}")
    return t


# -- flips and rotations -------------------------------------------------------------------


def flip_left_right(image: Any) -> Tensor:
    """`tf.image.flip_left_right`: reverse the width axis of an image or a batch."""
    t = _image(image)
    return array_ops.reverse(t, [t.ndim - 2])


def flip_up_down(image: Any) -> Tensor:
    """`tf.image.flip_up_down`: reverse the height axis of an image or a batch."""
    t = _image(image)
    return array_ops.reverse(t, [t.ndim - 3])


def _random_flip(image: Any, axis_from_end: int, draw: Any) -> Tensor:
    """TF's `_random_flip`: one draw for an image (flip when < 0.5), one per image of a batch
    (flip when it rounds to 1), both from uniform [0, 1)."""
    t = _image(image)
    axis = t.ndim - axis_from_end
    if t.ndim == 3:  # a select rather than a Python branch, so it also traces inside tf.function
        return array_ops.where(math_ops.less(draw([]), 0.5), array_ops.reverse(t, [axis]), t)
    batch = shape_of(t)[0]
    flips = math_ops.cast(math_ops.round(array_ops.reshape(draw([batch]), [batch, 1, 1, 1])), t.dtype)
    return flips * array_ops.reverse(t, [axis]) + (1 - flips) * t


def random_flip_left_right(image: Any, seed: int | None = None) -> Tensor:
    """`tf.image.random_flip_left_right`: flip with probability 1/2 (per image of a batch),
    drawn from jaxport's seeded global RNG (not TF's random stream)."""
    return _random_flip(image, 2, lambda shape: random_ops.uniform(shape, 0, 1.0, seed=seed))


def random_flip_up_down(image: Any, seed: int | None = None) -> Tensor:
    """`tf.image.random_flip_up_down`: `random_flip_left_right` along the height axis."""
    return _random_flip(image, 3, lambda shape: random_ops.uniform(shape, 0, 1.0, seed=seed))


def stateless_random_flip_left_right(image: Any, seed: Any) -> Tensor:
    """`tf.image.stateless_random_flip_left_right`: the flips decided by
    `tf.random.stateless_uniform(..., seed)`, so equal seeds flip alike."""
    return _random_flip(image, 2, lambda shape: random_ops.stateless_uniform(shape, seed, 0, 1.0))


def stateless_random_flip_up_down(image: Any, seed: Any) -> Tensor:
    """`tf.image.stateless_random_flip_up_down`: the stateless flip along the height axis."""
    return _random_flip(image, 3, lambda shape: random_ops.stateless_uniform(shape, seed, 0, 1.0))


@pure_op("Rot90")
def _rot90_pure(a, k, axes):
    return jnp.rot90(a, k, axes=axes)


def rot90(image: Any, k: int = 1, name: str | None = None) -> Tensor:
    """`tf.image.rot90`: rotate counter-clockwise by `k` quarter turns (height/width axes)."""
    t = _image(image)
    turns = int_list(k, "k")[0] % 4
    return dispatch(_rot90_pure, t, k=turns, axes=(t.ndim - 3, t.ndim - 2))


# -- crops and pads ------------------------------------------------------------------------


def _int(value: Any, arg: str) -> int:
    return int_list(value, arg)[0]


def crop_to_bounding_box(
    image: Any, offset_height: Any, offset_width: Any, target_height: Any, target_width: Any
) -> Tensor:
    """`tf.image.crop_to_bounding_box`: the `target_height x target_width` window whose top-left
    corner is at (`offset_height`, `offset_width`).

    Raises:
      ValueError: TF's checks (offsets >= 0, targets > 0, the window inside the image).
    """
    x, is_batch = batched(_image(image), "image")
    _, height, width, _ = shape_of(x)
    oh, ow = _int(offset_height, "offset_height"), _int(offset_width, "offset_width")
    th, tw = _int(target_height, "target_height"), _int(target_width, "target_width")
    for ok, message in (
        (ow >= 0, "offset_width must be >= 0."),
        (oh >= 0, "offset_height must be >= 0."),
        (tw > 0, "target_width must be > 0."),
        (th > 0, "target_height must be > 0."),
        (width >= tw + ow, "width must be >= target + offset."),
        (height >= th + oh, "height must be >= target + offset."),
    ):
        if not ok:
            raise ValueError(message)
    return unbatched(array_ops.slice(x, [0, oh, ow, 0], [-1, th, tw, -1]), is_batch)


def pad_to_bounding_box(
    image: Any, offset_height: Any, offset_width: Any, target_height: Any, target_width: Any
) -> Tensor:
    """`tf.image.pad_to_bounding_box`: zero-pad to `target_height x target_width`, the image's
    top-left corner at (`offset_height`, `offset_width`).

    Raises:
      ValueError: TF's checks (offsets >= 0, the image fits inside the target).
    """
    x, is_batch = batched(_image(image), "image")
    _, height, width, _ = shape_of(x)
    oh, ow = _int(offset_height, "offset_height"), _int(offset_width, "offset_width")
    th, tw = _int(target_height, "target_height"), _int(target_width, "target_width")
    after_w, after_h = tw - ow - width, th - oh - height
    for ok, message in (
        (oh >= 0, "offset_height must be >= 0"),
        (ow >= 0, "offset_width must be >= 0"),
        (after_w >= 0, "width must be <= target - offset"),
        (after_h >= 0, "height must be <= target - offset"),
    ):
        if not ok:
            raise ValueError(message)
    padded = array_ops.pad(x, [[0, 0], [oh, after_h], [ow, after_w], [0, 0]])
    return unbatched(padded, is_batch)


def central_crop(image: Any, central_fraction: float) -> Tensor:
    """`tf.image.central_crop`: keep the central `central_fraction` of the height and width
    (TF's offsets: `int((size - size * fraction) / 2)` on each side).

    Raises:
      ValueError: a fraction outside (0, 1], or an image not of rank 3 or 4.
    """
    fraction = float(central_fraction)
    if fraction <= 0.0 or fraction > 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    t = as_input(image)
    if fraction == 1.0:
        return t if isinstance(t, Tensor) else array_ops.identity(t)
    t = _image(t)
    if t.ndim not in (3, 4):
        raise ValueError(f"`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = {t.ndim}.")
    height, width = shape_of(t)[-3], shape_of(t)[-2]
    top = int((float(height) - float(height) * fraction) / 2)
    left = int((float(width) - float(width) * fraction) / 2)
    begin = [top, left, 0] if t.ndim == 3 else [0, top, left, 0]
    size = [height - 2 * top, width - 2 * left, -1]
    return array_ops.slice(t, begin, size if t.ndim == 3 else [-1] + size)


def resize_with_crop_or_pad(image: Any, target_height: Any, target_width: Any) -> Tensor:
    """`tf.image.resize_with_crop_or_pad`: centrally crop or zero-pad each of the height and
    width to the target (TF's split: the crop offset rounds down, as does the pad offset).

    Raises:
      ValueError: a non-positive target, or an image not of rank 3 or 4.
    """
    t = as_input(image)
    if t.ndim not in (3, 4):
        raise ValueError(f"'image' (shape {t.shape}) must have either 3 or 4 dimensions.")
    x, is_batch = batched(_image(t), "image")
    th, tw = _int(target_height, "target_height"), _int(target_width, "target_width")
    if tw <= 0:
        raise ValueError("target_width must be > 0.")
    if th <= 0:
        raise ValueError("target_height must be > 0.")
    _, height, width, _ = shape_of(x)
    crop_w, pad_w = max(-(tw - width) // 2, 0), max((tw - width) // 2, 0)
    crop_h, pad_h = max(-(th - height) // 2, 0), max((th - height) // 2, 0)
    cropped = crop_to_bounding_box(x, crop_h, crop_w, min(th, height), min(tw, width))
    return unbatched(pad_to_bounding_box(cropped, pad_h, pad_w, th, tw), is_batch)


# -- dtypes and colour ---------------------------------------------------------------------


def _limits(dtype: Any) -> tuple[Any, Any]:
    info = np.finfo(dtype._np) if dtype.is_floating else np.iinfo(dtype._np)
    return info.min, info.max


def _saturate_cast(x: Any, dtype: Any) -> Tensor:
    """`tf.dtypes.saturate_cast`: clip to the target's range, then cast."""
    low, high = _limits(dtype)
    source_low, source_high = _limits(x.dtype)
    if low > source_low:
        x = math_ops.maximum(x, math_ops.cast(low, x.dtype))
    if high < source_high:
        x = math_ops.minimum(x, math_ops.cast(high, x.dtype))
    return math_ops.cast(x, dtype)


def convert_image_dtype(image: Any, dtype: Any, saturate: bool = False, name: str | None = None) -> Tensor:
    """`tf.image.convert_image_dtype`: rescale between integer ranges ([0, MAX]) and floats
    ([0, 1]), as TF: int -> float multiplies by `1 / MAX`, float -> int by `MAX + 0.5` then
    truncates, int -> int shifts by the ratio of the ranges; `saturate` clips first.

    Raises:
      AttributeError: a target or image dtype that is neither integer nor floating (TF's).
    """
    t = as_input(image)
    target = _dtypes.as_dtype(dtype)
    if not target.is_floating and not target.is_integer:
        raise AttributeError("dtype must be either floating point or integer")
    if not t.dtype.is_floating and not t.dtype.is_integer:
        raise AttributeError("image dtype must be either floating point or integer")
    if target == t.dtype:
        return array_ops.identity(t)
    if t.dtype.is_integer and target.is_integer:
        scale_in, scale_out = int(_limits(t.dtype)[1]), int(_limits(target)[1])
        if scale_in > scale_out:
            scaled = math_ops.floordiv(t, (scale_in + 1) // (scale_out + 1))
            return _saturate_cast(scaled, target) if saturate else math_ops.cast(scaled, target)
        cast = _saturate_cast(t, target) if saturate else math_ops.cast(t, target)
        return math_ops.multiply(cast, (scale_out + 1) // (scale_in + 1))
    if t.dtype.is_floating and target.is_floating:
        return math_ops.cast(t, target)
    if t.dtype.is_integer:
        return math_ops.multiply(math_ops.cast(t, target), 1.0 / float(_limits(t.dtype)[1]))
    scaled = math_ops.multiply(t, float(_limits(target)[1]) + 0.5)
    return _saturate_cast(scaled, target) if saturate else math_ops.cast(scaled, target)


def rgb_to_grayscale(images: Any, name: str | None = None) -> Tensor:
    """`tf.image.rgb_to_grayscale`: `0.2989 R + 0.5870 G + 0.1140 B` in float32, converted back
    to the input dtype; the channel axis keeps size 1."""
    t = as_input(images)
    floats = convert_image_dtype(t, "float32")
    weights = Tensor(jnp.asarray([0.2989, 0.5870, 0.1140], jnp.float32))
    gray = array_ops.expand_dims(linalg_ops.tensordot(floats, weights, [[-1], [-1]]), -1)
    return convert_image_dtype(gray, t.dtype)


def grayscale_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """`tf.image.grayscale_to_rgb`: repeat the size-1 channel axis three times.

    Raises:
      ValueError: a last axis other than 1, or rank < 2.
    """
    t = as_input(images)
    if t.ndim < 2:
        raise ValueError(f"'image' (shape {t.shape}) must be at least two-dimensional.")
    if shape_of(t)[-1] != 1:
        raise ValueError("Last dimension of a grayscale image should be size 1.")
    return array_ops.tile(t, [1] * (t.ndim - 1) + [3])


def _as_float(t: Any) -> Any:
    return t if t.dtype in (_dtypes.float16, _dtypes.float32) else convert_image_dtype(t, "float32")


def adjust_brightness(image: Any, delta: Any) -> Tensor:
    """`tf.image.adjust_brightness`: add `delta` in float (integer images via [0, 1] floats),
    converted back to the input dtype with saturation."""
    t = as_input(image)
    floats = _as_float(t)
    adjusted = math_ops.add(floats, math_ops.cast(delta, floats.dtype))
    return convert_image_dtype(adjusted, t.dtype, saturate=True)


@no_registered_gradient  # as TF: a gradient reaching AdjustContrastv2 raises LookupError
@pure_op("AdjustContrastv2")
def _adjust_contrast_pure(images, factor):
    mean = jnp.mean(images, axis=(-3, -2), keepdims=True)
    return (images - mean) * factor + mean


def adjust_contrast(images: Any, contrast_factor: Any) -> Tensor:
    """`tf.image.adjust_contrast`: `(x - mean) * contrast_factor + mean` per image and
    channel (means over height and width), in float; back to the input dtype, saturated.
    Not differentiable (TF registers no gradient: a tape raises LookupError).

    Raises:
      ValueError: images of rank < 3.
    """
    t = as_input(images)
    if t.ndim < 3:
        raise ValueError(f"Shape must be at least rank 3 but is rank {t.ndim}")
    floats = _as_float(t)
    adjusted = dispatch(_adjust_contrast_pure, floats, math_ops.cast(contrast_factor, floats.dtype))
    return convert_image_dtype(adjusted, t.dtype, saturate=True)


@pure_op("PerImageStandardization")
def _standardize_pure(images):
    axes = (-3, -2, -1)
    count = int(np.prod(images.shape[-3:]))
    mean = jnp.mean(images, axis=axes, keepdims=True)
    stddev = jnp.sqrt(jnp.mean(jnp.square(images - mean), axis=axes, keepdims=True))
    adjusted = maximum_tf(stddev, jnp.asarray(1 / np.sqrt(np.float32(count)), jnp.float32))
    return (images - mean) / adjusted


def per_image_standardization(image: Any) -> Tensor:
    """`tf.image.per_image_standardization`: `(x - mean) / max(stddev, 1 / sqrt(N))` per image
    (N its element count), in float32.

    Raises:
      ValueError: an image of rank < 3.
    """
    t = _image(image) if as_input(image).ndim < 3 else as_input(image)
    return dispatch(_standardize_pure, math_ops.cast(t, "float32"))
