"""Helpers shared by the Keras-numerics optax transforms: per-leaf maps and the learning rate."""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp


def leafwise(fn: Callable, n_out: int, grads: Any, *trees: Any) -> tuple:
    """Apply `fn(g, *state_leaves)` leaf by leaf; returns `n_out` trees shaped like `grads`.

    A state tree that is None gives None leaves (an unused slot)."""
    leaves, treedef = jax.tree.flatten(grads)
    columns = [treedef.flatten_up_to(t) if t is not None else [None] * len(leaves) for t in trees]
    outs = [fn(*args) for args in zip(leaves, *columns)]
    return tuple(treedef.unflatten([o[i] for o in outs]) for i in range(n_out))


def learning_rate_at(learning_rate: Any, count: jax.Array) -> Any:
    """The learning rate of this step: a schedule (any callable) is called with the step count."""
    return learning_rate(count) if callable(learning_rate) else learning_rate


def cast(value: Any, dtype: Any) -> jax.Array:
    """`value` as a `dtype` array (TF casts every hyper-parameter to the variable's dtype)."""
    return jnp.asarray(value).astype(dtype)


def zero_count() -> jax.Array:
    """The step counter's initial value (int64, as Keras's `iterations`)."""
    return jnp.zeros((), jnp.int64)


class KerasWeightDecayState(NamedTuple):
    """The step count (for a scheduled learning rate)."""

    count: jax.Array


def keras_weight_decay(learning_rate: float | Callable = 0.001, weight_decay: float = 0.004) -> Any:
    """Keras's decoupled weight decay as an optax transform: adds `-w * weight_decay * lr` to
    the updates. Chain it after an optimizer's transform: `optax.chain(keras_adam(lr),
    keras_weight_decay(lr, 0.004))` is Keras's AdamW (Keras subtracts the decay from the
    variable just before the optimizer's step, which does not read the variable)."""
    import optax

    def init(params):
        return KerasWeightDecayState(zero_count())

    def update(updates, state, params=None):
        if params is None:
            raise ValueError("keras_weight_decay needs `params` in `update` (the decay is proportional to them).")
        lr = learning_rate_at(learning_rate, state.count)
        decayed = jax.tree.map(lambda u, p: u - p * cast(weight_decay, p.dtype) * cast(lr, p.dtype), updates, params)
        return decayed, KerasWeightDecayState(state.count + 1)

    return optax.GradientTransformation(init, update)
