"""`tf.keras.layers.BatchNormalization` with Keras 2 numerics."""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules import initializers, regularizers
from jaxport.modules.base_layer import Layer, training_flag
from jaxport.modules.serialization import serialize_initializer, serialize_regularizer
from jaxport.ops import array_ops
from jaxport.ops._helpers import shape_of

MEAN = "mean"  # aggregation of the moving statistics across replicas


def _broadcast_shape(x, axes) -> tuple:
    """The shape the per-channel statistics broadcast as: 1 on the reduced axes."""
    return tuple(1 if i in axes else d for i, d in enumerate(x.shape))


def _bn_train_pure(x, gamma, beta, axes, epsilon, variance_correction):
    shape = _broadcast_shape(x, axes)
    mean = jnp.mean(x, axis=axes)
    var = jnp.mean(jnp.square(x - mean.reshape(shape)), axis=axes)  # biased batch variance normalises
    inv = jax.lax.rsqrt(var + epsilon)
    if gamma is not None:
        inv = inv * gamma
    shift = -mean * inv if beta is None else beta - mean * inv
    if variance_correction == "unbiased":  # n/(n-1) for a symbolic batch size (a signature's None dim)
        n = jnp.asarray(math.prod(x.shape[i] for i in axes), var.dtype)
        variance_correction = jnp.where(n > 1, n / jnp.maximum(n - 1, 1), 1)
    return x * inv.reshape(shape) + shift.reshape(shape), mean, var * variance_correction


_bn_train_pure.tf_op_name = "FusedBatchNormV3"


def _bn_infer_pure(x, gamma, beta, mean, var, epsilon, axes=None):
    shape = _broadcast_shape(x, axes if axes is not None else tuple(range(x.ndim - 1)))
    inv = jax.lax.rsqrt(var + epsilon)
    if gamma is not None:
        inv = inv * gamma
    shift = -mean * inv if beta is None else beta - mean * inv
    return x * inv.reshape(shape) + shift.reshape(shape)


_bn_infer_pure.tf_op_name = "FusedBatchNormV3"


def _moving_update_pure(moving, batch, momentum):
    return moving - (moving - batch) * (1.0 - momentum)


class BatchNormalization(Layer):
    """`tf.keras.layers.BatchNormalization` over the last axis (Keras 2 defaults).

    Training (`training=True`, and the layer trainable) normalises with the batch's mean and
    biased variance and moves the moving statistics by `(moving - batch) * (1 - momentum)`;
    for 4-D inputs TF's fused kernel feeds the moving variance the unbiased batch variance.
    Inference (including `training=None`) uses the moving statistics.
    """

    supports_masking = True  # Keras 2: the input mask passes through

    def __init__(
        self,
        axis: int = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        moving_mean_initializer: Any = "zeros",
        moving_variance_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        synchronized: bool = False,
        **kwargs: Any,
    ):
        for key in (
            "renorm",
            "virtual_batch_size",
            "adjustment",
            "fused",
            "renorm_clipping",
            "renorm_momentum",
            "trainable_momentum",
        ):
            kwargs.pop(key, None)
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and len(axis) == 1:  # a config's built axis ([3])
            axis = axis[0]
        if not isinstance(axis, int):
            raise TypeError(f"jaxport's BatchNormalization takes one integer `axis`; received {axis!r}.")
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.synchronized = bool(synchronized)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = beta_constraint
        self.gamma_constraint = gamma_constraint

    def build(self, input_shape: Any) -> None:
        rank = len(input_shape)
        axis = self.axis % rank if rank else 0
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"Invalid axis: {self.axis} for input with rank {rank}; expected -{rank} <= axis < {rank}."
            )
        dim = input_shape[axis]
        if dim is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the layer "
                f"received an input with shape {input_shape}."
            )
        self._axis = axis
        self._rank = rank
        shape = (dim,)
        self.gamma = (
            self.add_weight(
                "gamma",
                shape,
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
                shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
            if self.center
            else None
        )
        self.moving_mean = self.add_weight(
            "moving_mean", shape, initializer=self.moving_mean_initializer, trainable=False, aggregation=MEAN
        )
        self.moving_variance = self.add_weight(
            "moving_variance", shape, initializer=self.moving_variance_initializer, trainable=False, aggregation=MEAN
        )
        self.built = True

    def _check_input_shape(self, inputs: Any) -> None:
        shape = getattr(inputs, "shape", None)
        if (
            self.built
            and shape is not None
            and (len(shape) != self._rank or shape[self._axis] != self.moving_mean.shape[0])
        ):
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected axis '
                f"{self._axis} of input shape to have value {self.moving_mean.shape[0]}, but received "
                f"input with shape {tuple(shape)}"
            )

    def call(self, inputs: Any, training: Any = None) -> Tensor:
        flag = training_flag(training) if self.trainable else False
        if flag is None or flag is False:
            return self._inference(inputs)
        if flag is not True:  # a traced bool Tensor: both modes, selected at run time (Keras's smart_cond)
            out = self._training(inputs, flag)
            return array_ops.where(flag, out, self._inference(inputs))
        return self._training(inputs, True)

    def _training(self, inputs: Any, flag: Any) -> Tensor:
        """Normalise with the batch's moments and update the moving statistics (only where a
        traced `flag` is true)."""
        gamma, beta = self.gamma, self.beta
        axes = tuple(i for i in range(self._rank) if i != self._axis)
        n = math.prod(shape_of(inputs)[i] for i in axes)
        fused = self._rank == 4 and self._axis in (1, 3)  # TF's fused kernel (NHWC/NCHW)
        if fused and not isinstance(n, int):
            correction = "unbiased"  # computed from the shape at run time
        else:
            correction = n / (n - 1) if fused and n > 1 else 1.0
        if self.synchronized:
            out, mean, var = self._synchronized_moments(inputs, axes)
        else:
            out, mean, var = dispatch(
                _bn_train_pure, inputs, gamma, beta, axes=axes, epsilon=self.epsilon, variance_correction=correction
            )
        self._update_moving(self.moving_mean, mean, flag)
        self._update_moving(self.moving_variance, var, flag)
        return out

    def _synchronized_moments(self, inputs: Any, axes: tuple) -> tuple:
        """`synchronized=True`: normalise with the global batch's moments, the mean over the
        replicas' moments (the replica context's all-reduce, recorded on tapes so that the
        gradient flows through them); outside a strategy, the local moments. Keras never fuses a
        synchronized layer, so the moving variance gets the biased variance (no n/(n-1))."""
        from jaxport.ops import math_ops, reduction_ops
        from jaxport.strategy_context import ReduceOp, get_replica_context

        context = get_replica_context()
        sync = context is not None and context.num_replicas_in_sync > 1 and context.collective
        mean = reduction_ops.reduce_mean(inputs, axis=axes)
        if sync:
            mean = context.all_reduce(ReduceOp.MEAN, mean)
        shape = _broadcast_shape(inputs, axes)
        centred = math_ops.subtract(inputs, array_ops.reshape(mean, shape))
        var = reduction_ops.reduce_mean(math_ops.square(centred), axis=axes)
        if sync:
            var = context.all_reduce(ReduceOp.MEAN, var)
        out = dispatch(_bn_infer_pure, inputs, self.gamma, self.beta, mean, var, epsilon=self.epsilon, axes=axes)
        return out, mean, var

    def _inference(self, inputs: Any) -> Tensor:
        gamma, beta = self.gamma, self.beta
        return dispatch(
            _bn_infer_pure,
            inputs,
            gamma,
            beta,
            self.moving_mean,
            self.moving_variance,
            epsilon=self.epsilon,
            axes=tuple(i for i in range(self._rank) if i != self._axis),
        )

    def _update_moving(self, variable: Any, batch_value: Tensor, flag: Any = True) -> None:
        from jaxport.eager import raw_op

        old = variable._current_value()
        new = raw_op(_moving_update_pure, old, batch_value._value, momentum=self.momentum)
        if flag is not True:
            new = jnp.where(flag._value, new, old)
        variable._set_current_value(new)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            axis=[self._axis] if self.built else self.axis,  # tf_keras keeps the built axis as a list
            momentum=self.momentum,
            epsilon=self.epsilon,
            center=self.center,
            scale=self.scale,
            beta_initializer=serialize_initializer(self.beta_initializer),
            gamma_initializer=serialize_initializer(self.gamma_initializer),
            moving_mean_initializer=serialize_initializer(self.moving_mean_initializer),
            moving_variance_initializer=serialize_initializer(self.moving_variance_initializer),
            beta_regularizer=serialize_regularizer(self.beta_regularizer),
            gamma_regularizer=serialize_regularizer(self.gamma_regularizer),
            beta_constraint=self.beta_constraint,
            gamma_constraint=self.gamma_constraint,
        )
        if self.synchronized:  # tf_keras writes the key only when set
            config["synchronized"] = True
        return config
