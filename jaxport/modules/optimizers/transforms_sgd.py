"""Keras's sign and momentum optimizers as optax transforms: SGD (momentum, Nesterov) and Lion.

Each returns an `optax.GradientTransformation`; its state is a NamedTuple whose fields are the
step `count` and Keras's slot names (`m`), so the stateful Keras optimizer maps its slot
Variables onto it one to one.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jaxport.modules.optimizers.transforms_common import cast, leafwise, learning_rate_at, zero_count


class KerasSGDState(NamedTuple):
    """SGD's state: the step count and the momentum buffers `m` (kept even at momentum 0, as Keras)."""

    count: jax.Array
    m: Any


def keras_sgd(
    learning_rate: float | Callable = 0.01, momentum: float = 0.0, nesterov: bool = False
) -> optax.GradientTransformation:
    """Keras SGD: `m = -lr*g + momentum*m`; update `m` (Nesterov: `-lr*g + momentum*m` again).

    Keras builds and updates `m` even when `momentum` is 0 (then `m = -lr*g`).
    """

    def init(params):
        return KerasSGDState(zero_count(), jax.tree.map(jnp.zeros_like, params))

    def update(grads, state, params=None):
        lr = learning_rate_at(learning_rate, state.count)

        def one(g, m):
            step = -g * cast(lr, g.dtype)
            m = step + m * cast(momentum, g.dtype)
            return (step + m * cast(momentum, g.dtype) if nesterov else m), m

        updates, m = leafwise(one, 2, grads, state.m)
        return updates, KerasSGDState(state.count + 1, m)

    return optax.GradientTransformation(init, update)


class KerasLionState(NamedTuple):
    """Lion's state: the step count and the momentum `m`."""

    count: jax.Array
    m: Any


def keras_lion(
    learning_rate: float | Callable = 0.0001, beta_1: float = 0.9, beta_2: float = 0.99
) -> optax.GradientTransformation:
    """Keras Lion (Chen et al. 2023): update `-lr * sign(beta_1*m + (1-beta_1)*g)`, then
    `m = beta_2*m + (1-beta_2)*g`."""

    def init(params):
        return KerasLionState(zero_count(), jax.tree.map(jnp.zeros_like, params))

    def update(grads, state, params=None):
        lr = learning_rate_at(learning_rate, state.count)

        def one(g, m):
            b1, b2 = cast(beta_1, g.dtype), cast(beta_2, g.dtype)
            step = -cast(lr, g.dtype) * jnp.sign(m * b1 + g * (1.0 - b1))
            return step, m * b2 + g * (1.0 - b2)

        updates, m = leafwise(one, 2, grads, state.m)
        return updates, KerasLionState(state.count + 1, m)

    return optax.GradientTransformation(init, update)
