"""Keras's optimizer numerics as `optax.GradientTransformation`s: `keras_adam`, `keras_sgd`,
`keras_rmsprop`. They compose with optax (`optax.chain(optax.clip_by_global_norm(1.0),
keras_adam(1e-3))`); `optimizers.py` wraps them in Keras's stateful `Optimizer`.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import optax

__all__ = ["KerasAdamState", "keras_adam", "KerasSGDState", "keras_sgd", "KerasRMSpropState", "keras_rmsprop"]


class KerasAdamState(NamedTuple):
    """Adam's state: the step count and the first/second moment estimates (and vhat)."""

    count: jax.Array
    mu: Any
    nu: Any
    vhat: Any


def keras_adam(
    learning_rate: float | Callable = 0.001,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
    amsgrad: bool = False,
) -> optax.GradientTransformation:
    """Adam exactly as Keras computes it (not optax.adam's epsilon placement).

    With t = count + 1:
      alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
      m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)
      update = -alpha * m / (sqrt(v) + epsilon)      (v -> max(vhat, v) with amsgrad)
    """

    def init(params):
        zeros = jax.tree.map(jnp.zeros_like, params)
        vhat = jax.tree.map(jnp.zeros_like, params) if amsgrad else None
        return KerasAdamState(jnp.zeros((), jnp.int64), zeros, jax.tree.map(jnp.zeros_like, params), vhat)

    def update(grads, state, params=None):
        t = state.count + 1
        lr = learning_rate(state.count) if callable(learning_rate) else learning_rate
        tf = t.astype(jnp.float32)

        def one(g, m, v, vh):
            dtype = g.dtype
            b1 = jnp.asarray(beta_1, dtype)
            b2 = jnp.asarray(beta_2, dtype)
            alpha = jnp.asarray(lr, dtype) * jnp.sqrt(1 - b2 ** tf.astype(dtype)) / (1 - b1 ** tf.astype(dtype))
            m = m + (g - m) * (1 - b1)
            v = v + (jnp.square(g) - v) * (1 - b2)
            if vh is not None:
                vh = jnp.maximum(vh, v)
                denom = jnp.sqrt(vh) + jnp.asarray(epsilon, dtype)
            else:
                denom = jnp.sqrt(v) + jnp.asarray(epsilon, dtype)
            return -(m * alpha) / denom, m, v, vh

        leaves_g, tree = jax.tree.flatten(grads)
        leaves_m = tree.flatten_up_to(state.mu)
        leaves_v = tree.flatten_up_to(state.nu)
        leaves_vh = tree.flatten_up_to(state.vhat) if amsgrad else [None] * len(leaves_g)
        outs = [one(g, m, v, vh) for g, m, v, vh in zip(leaves_g, leaves_m, leaves_v, leaves_vh)]
        updates = tree.unflatten([o[0] for o in outs])
        mu = tree.unflatten([o[1] for o in outs])
        nu = tree.unflatten([o[2] for o in outs])
        vhat = tree.unflatten([o[3] for o in outs]) if amsgrad else None
        return updates, KerasAdamState(t, mu, nu, vhat)

    return optax.GradientTransformation(init, update)


class KerasRMSpropState(NamedTuple):
    """RMSprop's state: the step count, the velocities, momentums and average gradients
    (the last two None unless `momentum > 0` / `centered`)."""

    count: jax.Array
    velocity: Any
    momentum: Any
    average_gradient: Any


def keras_rmsprop(
    learning_rate: float | Callable = 0.001,
    rho: float = 0.9,
    momentum: float = 0.0,
    epsilon: float = 1e-7,
    centered: bool = False,
) -> optax.GradientTransformation:
    """RMSprop as Keras computes it: v = rho*v + (1-rho)*g^2 (centered: minus the squared
    average gradient), increment = lr * g / sqrt(v + epsilon) (epsilon inside the root),
    applied through a momentum buffer when `momentum > 0`."""

    def init(params):
        zeros = lambda: jax.tree.map(jnp.zeros_like, params)  # noqa: E731
        return KerasRMSpropState(
            jnp.zeros((), jnp.int64), zeros(), zeros() if momentum else None, zeros() if centered else None
        )

    def update(grads, state, params=None):
        lr = learning_rate(state.count) if callable(learning_rate) else learning_rate
        leaves, tree = jax.tree.flatten(grads)
        velocities = tree.flatten_up_to(state.velocity)
        momentums = tree.flatten_up_to(state.momentum) if momentum else [None] * len(leaves)
        averages = tree.flatten_up_to(state.average_gradient) if centered else [None] * len(leaves)
        outs = []
        for g, v, m, a in zip(leaves, velocities, momentums, averages):
            r = jnp.asarray(rho, g.dtype)
            v = r * v + (1 - r) * jnp.square(g)
            if centered:
                a = r * a + (1 - r) * g
                denominator = v - jnp.square(a) + jnp.asarray(epsilon, g.dtype)
            else:
                denominator = v + jnp.asarray(epsilon, g.dtype)
            increment = jnp.asarray(lr, g.dtype) * g * jax.lax.rsqrt(denominator)
            if momentum:
                m = jnp.asarray(momentum, g.dtype) * m + increment
                increment = m
            outs.append((-increment, v, m, a))
        part = lambda i: tree.unflatten([o[i] for o in outs])  # noqa: E731
        return part(0), KerasRMSpropState(
            state.count + 1, part(1), part(2) if momentum else None, part(3) if centered else None
        )

    return optax.GradientTransformation(init, update)


class KerasSGDState(NamedTuple):
    """SGD's state: the step count and the momentum buffers (None without momentum)."""

    count: jax.Array
    momentum: Any


def keras_sgd(
    learning_rate: float | Callable = 0.01, momentum: float = 0.0, nesterov: bool = False
) -> optax.GradientTransformation:
    """Keras SGD: m = momentum*m - lr*g; update = m (nesterov: momentum*m - lr*g)."""

    def init(params):
        buffers = jax.tree.map(jnp.zeros_like, params) if momentum else None
        return KerasSGDState(jnp.zeros((), jnp.int64), buffers)

    def update(grads, state, params=None):
        lr = learning_rate(state.count) if callable(learning_rate) else learning_rate
        if not momentum:
            return jax.tree.map(lambda g: -jnp.asarray(lr, g.dtype) * g, grads), KerasSGDState(state.count + 1, None)

        def one(g, m):
            m = jnp.asarray(momentum, g.dtype) * m - jnp.asarray(lr, g.dtype) * g
            upd = jnp.asarray(momentum, g.dtype) * m - jnp.asarray(lr, g.dtype) * g if nesterov else m
            return upd, m

        outs = jax.tree.map(one, grads, state.momentum)
        updates = jax.tree.map(lambda o: o[0], outs, is_leaf=lambda x: isinstance(x, tuple))
        buffers = jax.tree.map(lambda o: o[1], outs, is_leaf=lambda x: isinstance(x, tuple))
        return updates, KerasSGDState(state.count + 1, buffers)

    return optax.GradientTransformation(init, update)
