"""`tf.image.resize` with TF's kernels (flips, crops, dtype and colour ops are in
`image_adjust_ops`).

`tf.image.resize` follows TF2's `resize_images_v2`: half-pixel centres, no antialiasing by
default (`jax.image.resize` antialiases when downsampling, so it is not used for the
default path); `nearest` keeps the input dtype, every other method returns float32.
Bilinear, nearest and area sample as TF's kernels do (`ResizeBilinear`, `ResizeNearestNeighbor`,
`ResizeArea`, which, as in TF, has no gradient); bicubic uses TF's Keys (a = -0.5) coefficient table of 1024 steps and
renormalises the weights at the borders; `antialias=True` and the Lanczos kernels use
`jax.image.scale_and_translate`, which ports TF's ScaleAndTranslate. The sampling weights
depend only on the shapes, so they are computed once in numpy (float32, as TF) and every
resize is a differentiable gather / contraction.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.eager import Tensor, dispatch
from jaxport.ops import array_ops, math_ops
from jaxport.ops._gradients import no_registered_gradient
from jaxport.ops._helpers import as_input, int_list, op_error, pure_op, shape_of

__all__ = ["ResizeMethod", "resize", "batched", "unbatched"]


class ResizeMethod:
    """`tf.image.ResizeMethod`: the names `tf.image.resize` accepts as `method`."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


# -- sampling weights (numpy, float32 as TF's kernels) ------------------------------------


def _bilinear_weights(in_size: int, out_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """TF's `compute_interpolation_weights` with half-pixel centres: (lower, upper, lerp)."""
    scale = np.float32(in_size) / np.float32(out_size)
    centre = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * scale - np.float32(0.5)
    floor = np.floor(centre)
    lower = np.maximum(floor, 0).astype(np.int32)
    upper = np.minimum(np.ceil(centre), in_size - 1).astype(np.int32)
    return lower, upper, (centre - floor).astype(np.float32)


def _nearest_index(in_size: int, out_size: int) -> np.ndarray:
    scale = np.float32(in_size) / np.float32(out_size)
    source = np.floor((np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * scale)
    return np.clip(source, 0, in_size - 1).astype(np.int32)


_TABLE_SIZE = 1024


def _keys_table() -> np.ndarray:
    """TF's bicubic coefficient table for Keys' kernel with a = -0.5."""
    a = -0.5
    x = np.arange(_TABLE_SIZE + 1, dtype=np.float64) / _TABLE_SIZE
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * (x + 1) - 5 * a) * (x + 1) + 8 * a) * (x + 1) - 4 * a
    return np.stack([near, far], axis=1).astype(np.float32)


def _bicubic_matrix(in_size: int, out_size: int) -> np.ndarray:
    """The [out, in] weights of TF's half-pixel bicubic resize along one axis."""
    table = _keys_table()
    scale = np.float32(in_size) / np.float32(out_size)
    weights = np.zeros((out_size, in_size), np.float32)
    for o in range(out_size):
        centre = (np.float32(o) + np.float32(0.5)) * scale - np.float32(0.5)
        base = int(np.floor(centre))
        offset = int(np.rint(np.float32(centre - base) * _TABLE_SIZE))
        taps = [
            (base - 1, table[offset, 1]),
            (base, table[offset, 0]),
            (base + 1, table[_TABLE_SIZE - offset, 0]),
            (base + 2, table[_TABLE_SIZE - offset, 1]),
        ]
        inside = [(i, w) for i, w in taps if 0 <= i < in_size]  # outside samples get weight 0
        total = np.float32(sum(w for _, w in inside))
        for i, w in inside:
            weights[o, i] += w / total if abs(total) >= 1000 * np.finfo(np.float32).tiny else w
    return weights


def _area_matrix(in_size: int, out_size: int) -> np.ndarray:
    """The [out, in] overlaps of TF's ResizeArea (no half-pixel offset), divided by the scale."""
    scale = np.float32(in_size) / np.float32(out_size)
    weights = np.zeros((out_size, in_size), np.float32)
    for o in range(out_size):
        start, end = np.float32(o) * scale, np.float32(o + 1) * scale
        for i in range(int(np.floor(start)), int(np.ceil(end))):
            overlap = min(np.float32(i + 1), end) - max(np.float32(i), start)
            weights[o, min(max(i, 0), in_size - 1)] += overlap / scale
    return weights


# -- pure resizes of [batch, height, width, channels] float32 images -----------------------


@pure_op("ResizeBilinear")
def _resize_bilinear_pure(images, rows, cols):
    (top, bottom, y_lerp), (left, right, x_lerp) = rows, cols
    y_lerp = jnp.asarray(y_lerp)[None, :, None, None]
    x_lerp = jnp.asarray(x_lerp)[None, None, :, None]
    upper, lower = images[:, np.asarray(top)], images[:, np.asarray(bottom)]
    top_left, top_right = upper[:, :, np.asarray(left)], upper[:, :, np.asarray(right)]
    bottom_left, bottom_right = lower[:, :, np.asarray(left)], lower[:, :, np.asarray(right)]
    top_row = top_left + (top_right - top_left) * x_lerp
    bottom_row = bottom_left + (bottom_right - bottom_left) * x_lerp
    return top_row + (bottom_row - top_row) * y_lerp


@pure_op("ResizeNearestNeighbor")
def _resize_nearest_pure(images, rows, cols):
    return images[:, np.asarray(rows)][:, :, np.asarray(cols)]


@pure_op("ResizeBicubic")
def _resize_separable_pure(images, rows, cols):
    out = jnp.einsum("oh,bhwc->bowc", jnp.asarray(np.asarray(rows)), images)
    return jnp.einsum("pw,bowc->bopc", jnp.asarray(np.asarray(cols)), out)


@no_registered_gradient  # TF registers no gradient for ResizeArea: reaching it raises LookupError
@pure_op("ResizeArea")
def _resize_area_pure(images, rows, cols):
    return _resize_separable_pure(images, rows=rows, cols=cols)


@pure_op("ScaleAndTranslate")
def _scale_and_translate_pure(images, size, method, antialias):
    scale = jnp.asarray(np.asarray(size, np.float32) / np.asarray(images.shape[1:3], np.float32))
    shape = (images.shape[0], size[0], size[1], images.shape[3])
    return jax.image.scale_and_translate(
        images, shape, (1, 2), scale, jnp.zeros(2, jnp.float32), method=method, antialias=antialias
    )


def _axis_weights(method: str, in_size: int, out_size: int) -> _Hashable:
    key = (method, in_size, out_size)
    if method == "bilinear":
        return _Hashable(_bilinear_weights(in_size, out_size), key)
    if method == "nearest":
        return _Hashable(_nearest_index(in_size, out_size), key)
    if method == "bicubic":
        return _Hashable(_bicubic_matrix(in_size, out_size), key)
    return _Hashable(_area_matrix(in_size, out_size), key)


class _Hashable:
    """A static numpy value (or tuple of them) keyed by how it was made, for `dispatch`."""

    __slots__ = ("value", "key")

    def __init__(self, value: Any, key: tuple):
        self.value, self.key = value, key

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, _Hashable) and self.key == other.key

    def __iter__(self):
        return iter(self.value)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.value, dtype=dtype)


_RESIZERS = {
    "bilinear": _resize_bilinear_pure,
    "nearest": _resize_nearest_pure,
    "bicubic": _resize_separable_pure,
    "area": _resize_area_pure,
}
_SCALE_AND_TRANSLATE = {"bilinear": "linear", "bicubic": "cubic", "lanczos3": "lanczos3", "lanczos5": "lanczos5"}
_OP_NAMES = {"bilinear": "ResizeBilinear", "nearest": "ResizeNearestNeighbor", "bicubic": "ResizeBicubic"}


def batched(image: Any, what: str = "images") -> tuple[Any, bool]:
    """`image` as a rank-4 batch (a rank-3 image gets a leading axis, recorded on the tape),
    and whether it was one already.

    Raises:
      ValueError: a rank other than 3 or 4 (TF's message, naming `what`).
    """
    t = as_input(image)
    if t.ndim not in (3, 4):
        raise ValueError(f"'{what}' must have either 3 or 4 dimensions.")
    if t.ndim == 3:
        return array_ops.expand_dims(t, 0), False
    return t, True


def unbatched(t: Tensor, is_batch: bool) -> Tensor:
    """Undo `batched`: drop the leading axis it added."""
    return t if is_batch else array_ops.squeeze(t, 0)


def _target_size(size: Any) -> list[int]:
    try:
        dims = int_list(size, "size")
    except TypeError:
        raise ValueError("'size' must be a 1-D int32 Tensor") from None
    if len(dims) != 2 or (isinstance(size, (int, np.integer))):
        raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
    return dims


def resize(
    images: Any,
    size: Any,
    method: str = ResizeMethod.BILINEAR,
    preserve_aspect_ratio: bool = False,
    antialias: bool = False,
    name: str | None = None,
) -> Tensor:
    """`tf.image.resize` (TF2): resize `[height, width, channels]` or `[batch, height, width,
    channels]` images to `size = [new_height, new_width]`.

    Args:
      method: bilinear, nearest, bicubic, area, lanczos3 or lanczos5 (`tf.image.ResizeMethod`).
      preserve_aspect_ratio: scale to fit inside `size`, keeping the aspect ratio (TF rounds
        each side half to even).
      antialias: filter when downsampling (bilinear, bicubic; Lanczos always uses
        ScaleAndTranslate with this flag).

    Returns:
      float32 images, or the input dtype for `nearest`.

    Raises:
      ValueError: images not of rank 3 or 4, a `size` that is not 2 integers, an unknown method.
      InvalidArgumentError: a non-positive output size.
    """
    x, is_batch = batched(images)
    method = str(getattr(method, "value", method)).lower()
    new_h, new_w = _target_size(size)
    _, height, width, _ = shape_of(x)
    if preserve_aspect_ratio:
        factor = min(np.float32(new_h) / np.float32(height), np.float32(new_w) / np.float32(width))
        new_h = int(np.round(np.float32(factor * np.float32(height))))
        new_w = int(np.round(np.float32(factor * np.float32(width))))
    if method not in ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5"):
        if method in ("gaussian", "mitchellcubic"):
            raise NotImplementedError(f"tf.image.resize method {method!r} is not ported (no JAX kernel).")
        raise ValueError(f"Resize method is not implemented: {method}")
    op_name = _OP_NAMES.get(method, "ResizeArea" if method == "area" else "ScaleAndTranslate")
    if new_h <= 0 or new_w <= 0:
        raise op_error("output dimensions must be positive", op_name)
    if method == "nearest":
        out = dispatch(
            _resize_nearest_pure,
            x,
            rows=_axis_weights("nearest", height, new_h),
            cols=_axis_weights("nearest", width, new_w),
        )
    else:
        floats = x if x.dtype == _dtypes.float32 else math_ops.cast(x, "float32")
        if method in ("lanczos3", "lanczos5") or antialias:
            out = dispatch(
                _scale_and_translate_pure,
                floats,
                size=(new_h, new_w),
                method=_SCALE_AND_TRANSLATE.get(method, "linear"),
                antialias=bool(antialias),
            )
        else:
            out = dispatch(
                _RESIZERS[method],
                floats,
                rows=_axis_weights(method, height, new_h),
                cols=_axis_weights(method, width, new_w),
            )
    return unbatched(out, is_batch)
