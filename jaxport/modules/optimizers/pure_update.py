"""One Keras optimizer step as a pure function of raw arrays (what `Optimizer.apply_gradients`
runs as one compiled call, or inlines under `tf.function`): Keras's gradient clipping, decoupled
weight decay, the optax transform's update and the EMA of the variables."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import optax


def clip_pure(grads: list, clipnorm: Any, global_clipnorm: Any, clipvalue: Any) -> list:
    """Keras's clipping: only the first option set (and positive) of clipnorm, global_clipnorm, clipvalue."""
    if clipnorm and clipnorm > 0:  # tf.clip_by_norm per gradient
        out = []
        for g in grads:
            l2sum = jnp.sum(g * g)
            positive = l2sum > 0
            l2norm = jnp.where(positive, jnp.sqrt(jnp.where(positive, l2sum, 1.0)), l2sum)
            clip = jnp.asarray(clipnorm, g.dtype)
            out.append(g * clip / jnp.maximum(l2norm, clip))
        return out
    if global_clipnorm and global_clipnorm > 0:  # tf.clip_by_global_norm
        norm = jnp.sqrt(2.0 * sum(jnp.sum(g * g) / 2.0 for g in grads))
        clip = jnp.asarray(global_clipnorm, norm.dtype)
        scale = clip * jnp.minimum(1.0 / norm, 1.0 / clip) + (norm - norm)
        return [g * scale.astype(g.dtype) for g in grads]
    if clipvalue and clipvalue > 0:
        return [jnp.clip(g, -clipvalue, clipvalue) for g in grads]
    return grads


def apply_pure(count, lr, grads, params, slots, extras, averages, aux, optimizer):
    """One Keras step on raw arrays: returns (params, slots, extras, averages, count + 1)."""
    cls, hyper, config = optimizer
    clipnorm, global_clipnorm, clipvalue, weight_decay, decay_mask, ema_momentum, ema_every = config
    grads = clip_pure(grads, clipnorm, global_clipnorm, clipvalue)
    if weight_decay is not None:
        params = [
            p - p * jnp.asarray(weight_decay, p.dtype) * lr.astype(p.dtype) if use else p
            for p, use in zip(params, decay_mask)
        ]
    fields = dict.fromkeys(cls._state_type._fields)  # unused slots are None
    fields.update(count=count, **slots, **extras)
    state = cls._state_type(**fields)
    updates, new_state = cls._pure_update(hyper, lr, grads, state, params, aux)
    new_params = optax.apply_updates(params, updates)
    new_state = new_state._asdict()
    new_slots = {name: new_state[name] for name in slots}
    new_extras = {name: new_state[name] for name in extras}
    if averages is not None:
        m = ema_momentum
        averages = [m * a + (1 - m) * p for a, p in zip(averages, new_params)]
        if ema_every:
            overwrite = (count + 1) % ema_every == 0
            new_params = [jnp.where(overwrite, a, p) for a, p in zip(averages, new_params)]
    return new_params, new_slots, new_extras, averages, count + 1
