"""Keras 2's reshaping layers: Reshape, Permute, RepeatVector, ZeroPadding1D/2D/3D,
Cropping1D/2D/3D, UpSampling1D/2D (channels_last)."""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules.base_layer import Layer
from jaxport.ops import array_ops


class Reshape(Layer):
    """`tf.keras.layers.Reshape(target_shape)`: (batch, ...) -> (batch, *target_shape); one entry
    may be -1."""

    def __init__(self, target_shape: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)
        if sum(1 for d in self.target_shape if d == -1) > 1:
            raise ValueError(f"There must be at most one unknown dimension in output_shape. Received: {target_shape}.")

    def _resolved(self, input_shape: tuple) -> tuple:
        known = math.prod(int(d) for d in input_shape[1:])
        shape = list(self.target_shape)
        if -1 in shape:
            rest = math.prod(d for d in shape if d != -1)
            if rest == 0 or known % rest:
                raise ValueError(
                    "The total size of the tensor must be unchanged. Received: input_shape="
                    f"{tuple(input_shape[1:])}, output_shape={self.target_shape}"
                )
            shape[shape.index(-1)] = known // rest
        elif math.prod(shape) != known:
            raise ValueError(
                "total size of new array must be unchanged, "
                f"input_shape = {list(input_shape[1:])}, output_shape = {list(self.target_shape)}"
            )
        return tuple(shape)

    def call(self, inputs: Any) -> Tensor:
        # tf.reshape's checks and errors (InvalidArgumentError for a size that does not fit)
        return array_ops.reshape(inputs, [inputs.shape[0], *self.target_shape])

    def compute_output_shape(self, input_shape: Any) -> Any:
        """(batch, *target_shape) with the -1 entry resolved; ValueError if the sizes differ."""
        from jaxport.eager import TensorShape

        return TensorShape((input_shape[0],) + self._resolved(tuple(input_shape)))

    def get_config(self) -> dict:
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config


def _permute_pure(x, dims):
    return jnp.transpose(x, (0,) + dims)


_permute_pure.tf_op_name = "Transpose"


class Permute(Layer):
    """`tf.keras.layers.Permute(dims)`: permute the non-batch axes (1-based, as Keras)."""

    def __init__(self, dims: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.dims = tuple(int(d) for d in dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be "
                f"consecutive and start from 1. Received dims={dims}"
            )

    def call(self, inputs: Any) -> Tensor:
        return dispatch(_permute_pure, inputs, dims=self.dims)

    def get_config(self) -> dict:
        config = super().get_config()
        config["dims"] = self.dims
        return config


def _repeat_pure(x, n):
    return jnp.repeat(x[:, None, :], n, axis=1)


_repeat_pure.tf_op_name = "Tile"


class RepeatVector(Layer):
    """`tf.keras.layers.RepeatVector(n)`: (batch, features) -> (batch, n, features)."""

    def __init__(self, n: int, **kwargs: Any):
        super().__init__(**kwargs)
        if not isinstance(n, int):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        self.n = n

    def _check_input_shape(self, inputs: Any) -> None:
        shape = getattr(inputs, "shape", None)
        if shape is not None and len(shape) != 2:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected ndim=2, '
                f"found ndim={len(shape)}. Full shape received: {tuple(shape)}"
            )

    def call(self, inputs: Any) -> Tensor:
        return dispatch(_repeat_pure, inputs, n=self.n)

    def get_config(self) -> dict:
        config = super().get_config()
        config["n"] = self.n
        return config


def _pairs(value: Any, rank: int, arg: str) -> tuple:
    """Keras's padding/cropping argument: an int, `rank` ints, or `rank` (before, after) pairs."""
    if isinstance(value, int):
        return ((value, value),) * rank
    value = tuple(value)
    if rank == 1 and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (tuple(value),)
    if len(value) != rank:
        raise ValueError(f"`{arg}` should have {rank} elements. Received: {value}.")
    out = []
    for v in value:
        if isinstance(v, int):
            out.append((v, v))
        else:
            v = tuple(int(x) for x in v)
            if len(v) != 2:
                raise ValueError(f"`{arg}` should be a tuple of {rank} tuples of 2 integers. Received: {value}.")
            out.append(v)
    return tuple(out)


def _pad_pure(x, pads):
    return jnp.pad(x, ((0, 0),) + pads + ((0, 0),))


_pad_pure.tf_op_name = "Pad"


class _ZeroPadding(Layer):
    rank = 2

    def __init__(self, padding: Any = 1, data_format: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.padding = _pairs(padding, self.rank, "padding")

    def call(self, inputs: Any) -> Tensor:
        return dispatch(_pad_pure, inputs, pads=self.padding)

    def get_config(self) -> dict:
        config = super().get_config()
        config["padding"] = self.padding
        return config


class ZeroPadding1D(_ZeroPadding):
    """`tf.keras.layers.ZeroPadding1D(padding=1)`: zeros before and after the steps axis."""

    rank = 1


class ZeroPadding2D(_ZeroPadding):
    """`tf.keras.layers.ZeroPadding2D(padding=(1, 1))`: zero rows and columns around images."""

    rank = 2


class ZeroPadding3D(_ZeroPadding):
    """`tf.keras.layers.ZeroPadding3D`."""

    rank = 3


def _crop_pure(x, crops):
    index = [slice(None)]
    for (before, after), size in zip(crops, x.shape[1:]):
        index.append(slice(before, size - after))
    return x[tuple(index)]


_crop_pure.tf_op_name = "StridedSlice"


class _Cropping(Layer):
    rank = 2

    def __init__(self, cropping: Any = 1, data_format: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.cropping = _pairs(cropping, self.rank, "cropping")

    def call(self, inputs: Any) -> Tensor:
        for (before, after), size in zip(self.cropping, tuple(inputs.shape)[1:]):
            if before + after >= size:
                raise ValueError(
                    "Argument `cropping` must be greater than the input shape. Received: inputs.shape="
                    f"{tuple(inputs.shape)}, and cropping={self.cropping}"
                )
        return dispatch(_crop_pure, inputs, crops=self.cropping)

    def get_config(self) -> dict:
        config = super().get_config()
        config["cropping"] = self.cropping
        return config


class Cropping1D(_Cropping):
    """`tf.keras.layers.Cropping1D(cropping=(1, 1))`."""

    rank = 1


class Cropping2D(_Cropping):
    """`tf.keras.layers.Cropping2D(cropping=((0, 0), (0, 0)))`."""

    rank = 2


class Cropping3D(_Cropping):
    """`tf.keras.layers.Cropping3D`."""

    rank = 3


def _upsample_pure(x, sizes, interpolation):
    if interpolation == "nearest":
        for axis, size in enumerate(sizes, start=1):
            x = jnp.repeat(x, size, axis=axis)
        return x
    shape = (x.shape[0],) + tuple(d * s for d, s in zip(x.shape[1:-1], sizes)) + (x.shape[-1],)
    return jax.image.resize(x, shape, method=interpolation, antialias=False)  # TF's half-pixel resize


_upsample_pure.tf_op_name = "ResizeNearestNeighbor"


class UpSampling1D(Layer):
    """`tf.keras.layers.UpSampling1D(size=2)`: each step repeated `size` times."""

    def __init__(self, size: int = 2, **kwargs: Any):
        super().__init__(**kwargs)
        self.size = int(size)

    def call(self, inputs: Any) -> Tensor:
        return dispatch(_upsample_pure, inputs, sizes=(self.size,), interpolation="nearest")

    def get_config(self) -> dict:
        config = super().get_config()
        config["size"] = self.size
        return config


class UpSampling2D(Layer):
    """`tf.keras.layers.UpSampling2D(size=(2, 2), interpolation='nearest'|'bilinear')`."""

    def __init__(self, size: Any = (2, 2), data_format: str | None = None, interpolation: str = "nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = (size, size) if isinstance(size, int) else tuple(int(s) for s in size)
        allowed = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")
        if interpolation not in allowed:
            raise ValueError(f"`interpolation` argument should be one of {allowed}. Received: {interpolation}.")
        self.interpolation = interpolation

    def call(self, inputs: Any) -> Tensor:
        method = {"bilinear": "linear", "bicubic": "cubic"}.get(self.interpolation, self.interpolation)
        return dispatch(_upsample_pure, inputs, sizes=self.size, interpolation=method)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(size=self.size, interpolation=self.interpolation)
        return config
