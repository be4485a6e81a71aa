"""Keras 2's pooling layers: Max/Average pooling 1D/2D/3D and the global poolings.

`padding='same'` average pooling divides by the number of real cells in each window, as TF.
GlobalAveragePooling1D honours a mask (the mean over unmasked steps), as Keras 2.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules.base_layer import Layer
from jaxport.modules.layers.conv import normalize_tuple


def _pool_pure(x, window, strides, padding, kind, channels_first):
    if channels_first:
        dims, strd = (1, 1) + window, (1, 1) + strides
    else:
        dims, strd = (1,) + window + (1,), (1,) + strides + (1,)
    if kind == "max":
        return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, dims, strd, padding)
    total = jax.lax.reduce_window(x, 0.0, jax.lax.add, dims, strd, padding)
    counts = jax.lax.reduce_window(jnp.ones_like(x), 0.0, jax.lax.add, dims, strd, padding)
    return total / counts


_pool_pure.tf_op_name = "Pool"


def _data_format(value: Any) -> str:
    value = value or "channels_last"
    if value not in ("channels_last", "channels_first"):
        raise ValueError(
            f'The `data_format` argument must be one of "channels_first", "channels_last". Received: {value}'
        )
    return value


class _Pooling(Layer):
    rank = 2
    kind = "max"

    def __init__(
        self,
        pool_size: Any = 2,
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size")
        self.strides = self.pool_size if strides is None else normalize_tuple(strides, self.rank, "strides")
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(f'The `padding` argument must be one of "valid", "same". Received: {padding}')
        self.data_format = _data_format(data_format)

    def _check_input_shape(self, inputs: Any) -> None:
        shape = getattr(inputs, "shape", None)
        if shape is not None and len(shape) != self.rank + 2:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected ndim={self.rank + 2}, '
                f"found ndim={len(shape)}. Full shape received: {tuple(shape)}"
            )

    def call(self, inputs: Any) -> Tensor:
        return dispatch(
            _pool_pure,
            inputs,
            window=self.pool_size,
            strides=self.strides,
            padding=self.padding.upper(),
            kind=self.kind,
            channels_first=self.data_format == "channels_first",
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            pool_size=self.pool_size, strides=self.strides, padding=self.padding, data_format=self.data_format
        )
        return config


class MaxPooling1D(_Pooling):
    """`tf.keras.layers.MaxPooling1D(pool_size=2, strides=None, padding='valid')`."""

    rank, kind = 1, "max"


class AveragePooling1D(_Pooling):
    """`tf.keras.layers.AveragePooling1D(pool_size=2, strides=None, padding='valid')`."""

    rank, kind = 1, "avg"


class MaxPooling2D(_Pooling):
    """`tf.keras.layers.MaxPooling2D(pool_size=(2, 2), strides=None, padding='valid')`."""

    rank, kind = 2, "max"


class AveragePooling2D(_Pooling):
    """`tf.keras.layers.AveragePooling2D` (with 'same' padding, padding cells are not counted)."""

    rank, kind = 2, "avg"


class MaxPooling3D(_Pooling):
    """`tf.keras.layers.MaxPooling3D`."""

    rank, kind = 3, "max"


class AveragePooling3D(_Pooling):
    """`tf.keras.layers.AveragePooling3D`."""

    rank, kind = 3, "avg"


def _global_pool_pure(x, mask, axes, kind, keepdims):
    if kind == "max":
        return jnp.max(x, axis=axes, keepdims=keepdims)
    if mask is None:
        return jnp.mean(x, axis=axes, keepdims=keepdims)
    weights = mask.astype(x.dtype)[..., None]  # (batch, steps, 1): Keras 2's masked mean
    return jnp.sum(x * weights, axis=axes, keepdims=keepdims) / jnp.sum(weights, axis=axes, keepdims=keepdims)


_global_pool_pure.tf_op_name = "GlobalPool"


class _GlobalPooling(Layer):
    rank = 2
    kind = "avg"

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)
        self.keepdims = bool(keepdims)

    def _check_input_shape(self, inputs: Any) -> None:
        shape = getattr(inputs, "shape", None)
        if shape is not None and len(shape) != self.rank + 2:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected ndim={self.rank + 2}, '
                f"found ndim={len(shape)}. Full shape received: {tuple(shape)}"
            )

    def _axes(self) -> tuple[int, ...]:
        start = 1 if self.data_format == "channels_last" else 2
        return tuple(range(start, start + self.rank))

    def call(self, inputs: Any, mask: Any = None) -> Tensor:
        if mask is not None and (self.kind != "avg" or self.rank != 1 or self.data_format != "channels_last"):
            mask = None
        return dispatch(_global_pool_pure, inputs, mask, axes=self._axes(), kind=self.kind, keepdims=self.keepdims)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """Pooling removes the time axis: no output mask."""
        return None

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(data_format=self.data_format, keepdims=self.keepdims)
        return config


class GlobalAveragePooling1D(_GlobalPooling):
    """`tf.keras.layers.GlobalAveragePooling1D`: (batch, steps, features) -> (batch, features);
    the mean over unmasked steps when a mask is passed."""

    rank, kind = 1, "avg"
    supports_masking = True


class GlobalMaxPooling1D(_GlobalPooling):
    """`tf.keras.layers.GlobalMaxPooling1D`."""

    rank, kind = 1, "max"


class GlobalAveragePooling2D(_GlobalPooling):
    """`tf.keras.layers.GlobalAveragePooling2D`: (batch, h, w, c) -> (batch, c) (keepdims keeps 1x1)."""

    rank, kind = 2, "avg"


class GlobalMaxPooling2D(_GlobalPooling):
    """`tf.keras.layers.GlobalMaxPooling2D`."""

    rank, kind = 2, "max"


class GlobalAveragePooling3D(_GlobalPooling):
    """`tf.keras.layers.GlobalAveragePooling3D`."""

    rank, kind = 3, "avg"


class GlobalMaxPooling3D(_GlobalPooling):
    """`tf.keras.layers.GlobalMaxPooling3D`."""

    rank, kind = 3, "max"
