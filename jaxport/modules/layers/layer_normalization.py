"""Per-sample normalization layers: LayerNormalization, GroupNormalization, UnitNormalization.

Unlike BatchNormalization they keep no moving statistics: every call normalises each sample
over its own features, the same in training and inference. Each runs as one recorded op.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules import initializers, regularizers
from jaxport.modules.base_layer import Layer
from jaxport.modules.serialization import serialize_initializer, serialize_regularizer


def _axes(axis: Any, rank: int) -> tuple[int, ...]:
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    out = []
    for a in axes:
        a = int(a)
        if not -rank <= a < rank:
            raise ValueError(f"Invalid axis: {a}")
        out.append(a % rank)
    if len(set(out)) != len(out):
        raise ValueError(f"Duplicate axis: {tuple(axes)}")
    return tuple(sorted(out))


def _layer_norm_pure(x, gamma, beta, axes, epsilon):
    mean = jnp.mean(x, axis=axes, keepdims=True)
    variance = jnp.mean(jnp.square(x - mean), axis=axes, keepdims=True)
    normalized = (x - mean) * jax.lax.rsqrt(variance + epsilon)  # TF's fused kernel, then scale/offset
    if gamma is not None:
        normalized = normalized * gamma
    if beta is not None:
        normalized = normalized + beta
    return normalized


_layer_norm_pure.tf_op_name = "LayerNormalization"


class LayerNormalization(Layer):
    """`tf.keras.layers.LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True)`:
    each sample normalised over `axis` by its own mean and (biased) variance, then scaled by
    `gamma` and shifted by `beta` (weights in that order, shaped like the normalised axes)."""

    supports_masking = True

    def __init__(
        self,
        axis: Any = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(f"Expected an int or a list/tuple of ints for the argument 'axis', but received: {axis}")
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = beta_constraint
        self.gamma_constraint = gamma_constraint

    def build(self, input_shape: Any) -> None:
        rank = len(input_shape)
        self._norm_axes = _axes(self.axis, rank)
        param_shape = tuple(input_shape[a] for a in self._norm_axes)
        if any(d is None for d in param_shape):
            raise ValueError(
                f"The normalized axes of LayerNormalization must be defined; got input shape {input_shape}"
            )
        # Parameters broadcast against the input: size 1 on the axes not normalised.
        self._broadcast = tuple(input_shape[a] if a in self._norm_axes else 1 for a in range(rank))
        self.gamma = (
            self.add_weight(
                "gamma",
                param_shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight(
                "beta",
                param_shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
            if self.center
            else None
        )
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        gamma = None if self.gamma is None else _reshaped(self.gamma, self._broadcast)
        beta = None if self.beta is None else _reshaped(self.beta, self._broadcast)
        return dispatch(_layer_norm_pure, inputs, gamma, beta, axes=self._norm_axes, epsilon=self.epsilon)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            axis=[int(a) for a in self._norm_axes] if self.built else self.axis,  # TF keeps the built axes
            epsilon=self.epsilon,
            center=self.center,
            scale=self.scale,
            beta_initializer=serialize_initializer(self.beta_initializer),
            gamma_initializer=serialize_initializer(self.gamma_initializer),
            beta_regularizer=serialize_regularizer(self.beta_regularizer),
            gamma_regularizer=serialize_regularizer(self.gamma_regularizer),
            beta_constraint=self.beta_constraint,
            gamma_constraint=self.gamma_constraint,
        )
        return config


def _reshape_pure(x, shape):
    return jnp.reshape(x, shape)


_reshape_pure.tf_op_name = "Reshape"


def _reshaped(weight: Any, shape: tuple) -> Tensor:
    return dispatch(_reshape_pure, weight, shape=shape)


def _group_norm_pure(x, gamma, beta, groups, axis, epsilon):
    channels = x.shape[axis]
    moved = jnp.moveaxis(x, axis, -1)
    grouped = moved.reshape(moved.shape[:-1] + (groups, channels // groups))
    reduce = tuple(range(1, grouped.ndim - 2)) + (grouped.ndim - 1,)
    mean = jnp.mean(grouped, axis=reduce, keepdims=True)
    variance = jnp.mean(jnp.square(grouped - mean), axis=reduce, keepdims=True)
    normalized = ((grouped - mean) * jax.lax.rsqrt(variance + epsilon)).reshape(moved.shape)
    if gamma is not None:
        normalized = normalized * gamma
    if beta is not None:
        normalized = normalized + beta
    return jnp.moveaxis(normalized, -1, axis)


_group_norm_pure.tf_op_name = "GroupNormalization"


class GroupNormalization(Layer):
    """`tf.keras.layers.GroupNormalization(groups=32, axis=-1, epsilon=1e-3)`: the channels on
    `axis` split into `groups`, each normalised per sample over its channels and the other
    non-batch axes; `gamma`, `beta` per channel."""

    supports_masking = True

    def __init__(
        self,
        groups: int = 32,
        axis: int = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.groups, self.axis, self.epsilon = int(groups), int(axis), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint

    def build(self, input_shape: Any) -> None:
        rank = len(input_shape)
        axis = self.axis % rank
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the layer received "
                f"an input with shape {tuple(input_shape)}."
            )
        if channels < self.groups:
            raise ValueError(
                f"Number of groups ({self.groups}) cannot be more than the number of channels ({channels})."
            )
        if channels % self.groups:
            raise ValueError(
                f"Number of groups ({self.groups}) must be a multiple of the number of channels ({channels})."
            )
        self._axis = axis
        self.gamma = (
            self.add_weight(
                "gamma", (channels,), initializer=self.gamma_initializer, regularizer=self.gamma_regularizer
            )
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight("beta", (channels,), initializer=self.beta_initializer, regularizer=self.beta_regularizer)
            if self.center
            else None
        )
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        return dispatch(
            _group_norm_pure, inputs, self.gamma, self.beta, groups=self.groups, axis=self._axis, epsilon=self.epsilon
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(groups=self.groups, axis=self.axis, epsilon=self.epsilon, center=self.center, scale=self.scale)
        return config


def _unit_norm_pure(x, axes):
    square_sum = jnp.sum(jnp.square(x), axis=axes, keepdims=True)
    return x * jax.lax.rsqrt(jnp.maximum(square_sum, 1e-12))  # tf.math.l2_normalize


_unit_norm_pure.tf_op_name = "UnitNormalization"


class UnitNormalization(Layer):
    """`tf.keras.layers.UnitNormalization(axis=-1)`: each sample scaled to unit L2 norm over
    `axis` (`tf.math.l2_normalize`)."""

    supports_masking = True

    def __init__(self, axis: Any = -1, **kwargs: Any):
        super().__init__(**kwargs)
        if not isinstance(axis, (int, list, tuple)):
            raise TypeError(
                f"Invalid value for `axis` argument: expected an int or a list/tuple of ints. Received: axis={axis}"
            )
        self.axis = axis

    def call(self, inputs: Any) -> Tensor:
        return dispatch(_unit_norm_pure, inputs, axes=_axes(self.axis, len(inputs.shape)))

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config
