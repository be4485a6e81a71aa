"""Keras's Adam family as optax transforms: Adam (and AdamW's update), Adamax, Nadam.

These are Keras's formulas, not optax's: Keras Adam folds the bias corrections into the step
size and adds epsilon to `sqrt(v)` (`optax.adam` adds it to the bias-corrected root, so no
setting of it reproduces Keras). Hyper-parameters combine as TF combines them: Python floats
(`1 - beta_1`) are rounded to the variable's dtype once, powers are taken in that dtype.
State fields are the step `count` and Keras's slot names (`m`, `v`, `vhat`, `u`).
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jaxport.modules.optimizers.transforms_common import cast, leafwise, learning_rate_at, zero_count


class KerasAdamState(NamedTuple):
    """Adam's state: the step count, first/second moments `m`, `v` and (amsgrad) `vhat`."""

    count: jax.Array
    m: Any
    v: Any
    vhat: Any


def keras_adam(
    learning_rate: float | Callable = 0.001,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
    amsgrad: bool = False,
) -> optax.GradientTransformation:
    """Adam exactly as Keras computes it (Kingma & Ba, with epsilon on `sqrt(v)`).

    With t = count + 1:
      alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
      m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)
      update = -alpha * m / (sqrt(v) + epsilon)      (v -> vhat = max(vhat, v) with amsgrad)
    """

    def init(params):
        zeros = lambda: jax.tree.map(jnp.zeros_like, params)  # noqa: E731
        return KerasAdamState(zero_count(), zeros(), zeros(), zeros() if amsgrad else None)

    def update(grads, state, params=None):
        lr = learning_rate_at(learning_rate, state.count)
        t = state.count + 1

        def one(g, m, v, vhat):
            dtype = g.dtype
            step = t.astype(dtype)
            alpha = cast(lr, dtype) * jnp.sqrt(1 - cast(beta_2, dtype) ** step) / (1 - cast(beta_1, dtype) ** step)
            m = m + (g - m) * cast(1 - beta_1, dtype)
            v = v + (jnp.square(g) - v) * cast(1 - beta_2, dtype)
            if amsgrad:
                vhat = jnp.maximum(vhat, v)
            root = jnp.sqrt(vhat if amsgrad else v)
            return -(m * alpha) / (root + cast(epsilon, dtype)), m, v, vhat

        updates, m, v, vhat = leafwise(one, 4, grads, state.m, state.v, state.vhat)
        return updates, KerasAdamState(t, m, v, vhat if amsgrad else None)

    return optax.GradientTransformation(init, update)


class KerasAdamaxState(NamedTuple):
    """Adamax's state: the step count, the moment `m` and the infinity norm `u`."""

    count: jax.Array
    m: Any
    u: Any


def keras_adamax(
    learning_rate: float | Callable = 0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7
) -> optax.GradientTransformation:
    """Keras Adamax: `m += (g - m)(1 - beta_1)`, `u = max(beta_2*u, |g|)`,
    update `-lr*m / ((1 - beta_1^t) * (u + epsilon))`."""

    def init(params):
        return KerasAdamaxState(
            zero_count(), jax.tree.map(jnp.zeros_like, params), jax.tree.map(jnp.zeros_like, params)
        )

    def update(grads, state, params=None):
        lr = learning_rate_at(learning_rate, state.count)
        t = state.count + 1

        def one(g, m, u):
            dtype = g.dtype
            beta_1_power = cast(beta_1, dtype) ** t.astype(dtype)
            m = m + (g - m) * cast(1 - beta_1, dtype)
            u = jnp.maximum(cast(beta_2, dtype) * u, jnp.abs(g))
            return -(cast(lr, dtype) * m) / ((1 - beta_1_power) * (u + cast(epsilon, dtype))), m, u

        updates, m, u = leafwise(one, 3, grads, state.m, state.u)
        return updates, KerasAdamaxState(t, m, u)

    return optax.GradientTransformation(init, update)


class KerasNadamState(NamedTuple):
    """Nadam's state: the step count, moments `m`, `v`, and the running momentum-schedule
    product `u_product` (a scalar)."""

    count: jax.Array
    m: Any
    v: Any
    u_product: jax.Array


def nadam_momentum_cache(beta_1: Any, step: Any, dtype: Any) -> jax.Array:
    """Nadam's momentum schedule `mu_t = beta_1 * (1 - 0.5 * 0.96^t)` (Dozat 2016), in `dtype`."""
    return cast(beta_1, dtype) * (1.0 - 0.5 * cast(0.96, dtype) ** jnp.asarray(step).astype(dtype))


def nadam_leaf(g, m, v, lr, beta_1, beta_2, epsilon, t, u_product_t):
    """One variable's Nadam step given the momentum product up to step `t`; returns (update, m, v)."""
    dtype = g.dtype
    step = t.astype(dtype)
    b1, b2 = cast(beta_1, dtype), cast(beta_2, dtype)
    u_t = nadam_momentum_cache(beta_1, step, dtype)
    u_t_1 = nadam_momentum_cache(beta_1, step + 1, dtype)
    u_product_t = u_product_t.astype(dtype)
    m = m + (g - m) * (1 - b1)
    v = v + (jnp.square(g) - v) * (1 - b2)
    m_hat = u_t_1 * m / (1 - u_product_t * u_t_1) + (1 - u_t) * g / (1 - u_product_t)
    v_hat = v / (1 - b2**step)
    return -(m_hat * cast(lr, dtype)) / (jnp.sqrt(v_hat) + cast(epsilon, dtype)), m, v


def keras_nadam(
    learning_rate: float | Callable = 0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7
) -> optax.GradientTransformation:
    """Keras Nadam (Adam with Nesterov momentum and Dozat's momentum schedule).

    With u_t = beta_1 (1 - 0.5 * 0.96^t) and P_t = u_1 ... u_t (kept in `u_product`):
      m_hat = u_{t+1} m / (1 - P_t u_{t+1}) + (1 - u_t) g / (1 - P_t),  v_hat = v / (1 - beta_2^t)
      update = -lr * m_hat / (sqrt(v_hat) + epsilon)
    """

    def init(params):
        zeros = lambda: jax.tree.map(jnp.zeros_like, params)  # noqa: E731
        leaves = jax.tree.leaves(params)
        dtype = leaves[0].dtype if leaves else jnp.float32
        return KerasNadamState(zero_count(), zeros(), zeros(), jnp.ones((), dtype))

    def update(grads, state, params=None):
        lr = learning_rate_at(learning_rate, state.count)
        t = state.count + 1
        u_product = state.u_product * nadam_momentum_cache(beta_1, t, state.u_product.dtype)

        def one(g, m, v):
            return nadam_leaf(g, m, v, lr, beta_1, beta_2, epsilon, t, u_product)

        updates, m, v = leafwise(one, 3, grads, state.m, state.v)
        return updates, KerasNadamState(t, m, v, u_product)

    return optax.GradientTransformation(init, update)
