"""Keras's per-coordinate adaptive optimizers as optax transforms: RMSprop, Adagrad, Adadelta,
Ftrl and Adafactor.

Keras's formulas (epsilon inside the square root for RMSprop, Adagrad and Adadelta; Ftrl and
Adafactor read the variable itself, so their `update` needs `params`). State fields are the
step `count` and Keras's slot names.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jaxport.modules.optimizers.transforms_common import cast, leafwise, learning_rate_at, zero_count


class KerasRMSpropState(NamedTuple):
    """RMSprop's state: the step count, `velocity`, and `momentum` / `average_gradient`
    (None unless `momentum > 0` / `centered`)."""

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
    """RMSprop as Keras computes it: `v = rho*v + (1-rho)*g^2` (centered: minus the squared
    average gradient), increment `lr * g / sqrt(v + epsilon)` (epsilon inside the root),
    applied through a momentum buffer when `momentum > 0`."""

    def init(params):
        zeros = lambda: jax.tree.map(jnp.zeros_like, params)  # noqa: E731
        return KerasRMSpropState(
            zero_count(), zeros(), zeros() if momentum > 0 else None, zeros() if centered else None
        )

    def update(grads, state, params=None):
        lr = learning_rate_at(learning_rate, state.count)

        def one(g, v, m, a):
            dtype = g.dtype
            v = cast(rho, dtype) * v + cast(1 - rho, dtype) * jnp.square(g)
            if centered:
                a = cast(rho, dtype) * a + cast(1 - rho, dtype) * g
                denominator = v - jnp.square(a) + cast(epsilon, dtype)
            else:
                denominator = v + cast(epsilon, dtype)
            increment = cast(lr, dtype) * g * jax.lax.rsqrt(denominator)
            if momentum > 0:
                m = cast(momentum, dtype) * m + increment
                increment = m
            return -increment, v, m, a

        updates, v, m, a = leafwise(one, 4, grads, state.velocity, state.momentum, state.average_gradient)
        return updates, KerasRMSpropState(state.count + 1, v, m if momentum > 0 else None, a if centered else None)

    return optax.GradientTransformation(init, update)


class KerasAdagradState(NamedTuple):
    """Adagrad's state: the step count and the squared-gradient `accumulator`."""

    count: jax.Array
    accumulator: Any


def keras_adagrad(
    learning_rate: float | Callable = 0.001, initial_accumulator_value: float = 0.1, epsilon: float = 1e-7
) -> optax.GradientTransformation:
    """Keras Adagrad: `acc += g^2` (from `initial_accumulator_value`), update `-lr*g / sqrt(acc + epsilon)`."""

    def init(params):
        return KerasAdagradState(
            zero_count(), jax.tree.map(lambda p: jnp.full_like(p, initial_accumulator_value), params)
        )

    def update(grads, state, params=None):
        lr = learning_rate_at(learning_rate, state.count)

        def one(g, acc):
            acc = acc + g * g
            return -(cast(lr, g.dtype) * g / jnp.sqrt(acc + cast(epsilon, g.dtype))), acc

        updates, acc = leafwise(one, 2, grads, state.accumulator)
        return updates, KerasAdagradState(state.count + 1, acc)

    return optax.GradientTransformation(init, update)


class KerasAdadeltaState(NamedTuple):
    """Adadelta's state: the step count and the running averages `accumulated_grad`
    (of g^2) and `accumulated_delta_var` (of the squared steps)."""

    count: jax.Array
    accumulated_grad: Any
    accumulated_delta_var: Any


def keras_adadelta(
    learning_rate: float | Callable = 0.001, rho: float = 0.95, epsilon: float = 1e-7
) -> optax.GradientTransformation:
    """Keras Adadelta (Zeiler 2012) with a learning rate: `ag = rho*ag + (1-rho)*g^2`,
    `delta = -sqrt(adv + eps) * g / sqrt(ag + eps)`, `adv = rho*adv + (1-rho)*delta^2`,
    update `lr * delta`."""

    def init(params):
        zeros = lambda: jax.tree.map(jnp.zeros_like, params)  # noqa: E731
        return KerasAdadeltaState(zero_count(), zeros(), zeros())

    def update(grads, state, params=None):
        lr = learning_rate_at(learning_rate, state.count)

        def one(g, ag, adv):
            dtype = g.dtype
            r, one_minus_r, eps = cast(rho, dtype), cast(1 - rho, dtype), cast(epsilon, dtype)
            ag = r * ag + one_minus_r * g * g
            delta = -jnp.sqrt(adv + eps) * g / jnp.sqrt(ag + eps)
            adv = r * adv + one_minus_r * delta * delta
            return cast(lr, dtype) * delta, ag, adv

        updates, ag, adv = leafwise(one, 3, grads, state.accumulated_grad, state.accumulated_delta_var)
        return updates, KerasAdadeltaState(state.count + 1, ag, adv)

    return optax.GradientTransformation(init, update)


class KerasFtrlState(NamedTuple):
    """Ftrl's state: the step count, the squared-gradient `accumulator` and the `linear` term."""

    count: jax.Array
    accumulator: Any
    linear: Any


def keras_ftrl(
    learning_rate: float | Callable = 0.001,
    learning_rate_power: float = -0.5,
    initial_accumulator_value: float = 0.1,
    l1_regularization_strength: float = 0.0,
    l2_regularization_strength: float = 0.0,
    l2_shrinkage_regularization_strength: float = 0.0,
    beta: float = 0.0,
) -> optax.GradientTransformation:
    """Keras FTRL-Proximal (McMahan et al. 2013); the update moves each parameter to
    `(clip(linear, -l1, l1) - linear) / quadratic`, so `update` needs `params`.

    With p = -learning_rate_power, l2 = l2_regularization_strength + beta / (2 lr):
      g' = g + 2 * l2_shrinkage * w;  acc' = acc + g^2
      linear += g' - (acc'^p - acc^p) / lr * w;  quadratic = acc'^p / lr + 2 l2
    """

    def init(params):
        return KerasFtrlState(
            zero_count(),
            jax.tree.map(lambda p: jnp.full_like(p, initial_accumulator_value), params),
            jax.tree.map(jnp.zeros_like, params),
        )

    def update(grads, state, params=None):
        if params is None:
            raise ValueError("keras_ftrl needs `params` in `update` (FTRL moves each parameter to a new value).")
        lr = learning_rate_at(learning_rate, state.count)

        def one(g, acc, linear, w):
            dtype = g.dtype
            lr_t = cast(lr, dtype)
            power = -learning_rate_power
            l2 = cast(l2_regularization_strength, dtype) + cast(beta, dtype) / (2.0 * lr_t)
            grad_to_use = g + cast(2 * l2_shrinkage_regularization_strength, dtype) * w
            new_acc = acc + g**2
            linear = linear + grad_to_use - (new_acc**power - acc**power) / lr_t * w
            quadratic = new_acc**power / lr_t + 2 * l2
            l1 = cast(l1_regularization_strength, dtype)
            new_w = (jnp.clip(linear, -l1, l1) - linear) / quadratic
            return new_w - w, new_acc, linear

        updates, acc, linear = leafwise(one, 3, grads, state.accumulator, state.linear, params)
        return updates, KerasFtrlState(state.count + 1, acc, linear)

    return optax.GradientTransformation(init, update)


class KerasAdafactorState(NamedTuple):
    """Adafactor's state: the step count, the factored second moments `r` (rows) and `c`
    (columns) of rank >= 2 parameters (scalar placeholders otherwise), and `v`."""

    count: jax.Array
    r: Any
    c: Any
    v: Any


def adafactor_factor_shapes(shape: tuple) -> tuple[tuple, tuple] | None:
    """The shapes of Adafactor's `r` and `c` for a parameter of `shape` (None below rank 2)."""
    if len(shape) < 2:
        return None
    return tuple(shape[:-1]), tuple(shape[:-2]) + (shape[-1],)


def keras_adafactor(
    learning_rate: float | Callable = 0.001,
    beta_2_decay: float = -0.8,
    epsilon_1: float = 1e-30,
    epsilon_2: float = 1e-3,
    clip_threshold: float = 1.0,
    relative_step: bool = True,
) -> optax.GradientTransformation:
    """Keras Adafactor (Shazeer & Stern 2018); `update` needs `params` (the step is relative
    to the parameter's RMS).

    With t = count + 1: lr = min(lr, 1/sqrt(t)) when `relative_step`;
      rho = min(lr, 1/sqrt(t));  alpha = max(epsilon_2, rms(w)) * rho;  beta = 1 - t^beta_2_decay
      rank >= 2: r, c = running means of (g^2 + epsilon_1) over the last / second-last axis,
                 v = r / mean(r) (x) c;  otherwise v = beta v + (1 - beta)(g^2 + epsilon_1)
      u = g / sqrt(v);  update = -alpha * u / max(1, rms(u) / clip_threshold)
    Keras ignores `relative_step` when the learning rate is a schedule; pass False then.
    """

    def init(params):
        def factor(p, which):
            shapes = adafactor_factor_shapes(p.shape)
            return jnp.zeros(shapes[which] if shapes else (), p.dtype)

        return KerasAdafactorState(
            zero_count(),
            jax.tree.map(lambda p: factor(p, 0), params),
            jax.tree.map(lambda p: factor(p, 1), params),
            jax.tree.map(jnp.zeros_like, params),
        )

    def rms(x):
        return jnp.sqrt(jnp.mean(jnp.square(x)))

    def update(grads, state, params=None):
        if params is None:
            raise ValueError("keras_adafactor needs `params` in `update` (its step is relative to rms(params)).")
        lr = learning_rate_at(learning_rate, state.count)

        def one(g, r, c, v, w):
            dtype = g.dtype
            step = (state.count + 1).astype(dtype)
            lr_t = cast(lr, dtype)
            if relative_step:
                lr_t = jnp.minimum(lr_t, jax.lax.rsqrt(step))
            rho_t = jnp.minimum(lr_t, jax.lax.rsqrt(step))
            alpha_t = jnp.maximum(cast(epsilon_2, dtype), rms(w)) * rho_t
            regulated = jnp.square(g) + cast(epsilon_1, dtype)
            beta_2_t = 1 - step ** cast(beta_2_decay, dtype)
            if g.ndim >= 2:
                r = beta_2_t * r + (1 - beta_2_t) * jnp.mean(regulated, axis=-1)
                c = beta_2_t * c + (1 - beta_2_t) * jnp.mean(regulated, axis=-2)
                v = jnp.expand_dims(r / jnp.mean(r, axis=-1, keepdims=True), -1) * jnp.expand_dims(c, -2)
            else:
                v = beta_2_t * v + (1 - beta_2_t) * regulated
            u = g * jax.lax.rsqrt(v)
            u_hat = u / jnp.maximum(cast(1.0, dtype), rms(u) / cast(clip_threshold, dtype))
            return -alpha_t * u_hat, r, c, v

        updates, r, c, v = leafwise(one, 4, grads, state.r, state.c, state.v, params)
        return updates, KerasAdafactorState(state.count + 1, r, c, v)

    return optax.GradientTransformation(init, update)
