"""`tf.random`: a global, seedable RNG kept in one non-trainable Variable.

The state is a JAX PRNG key stored in a Variable, so a `function` lifts it like any other
Variable: each compiled call draws fresh numbers and advances the state, as TF's stateful
random ops do. Inside `strategy.run`, each replica folds in its replica id.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.context import state as _state
from jaxport.eager import Tensor

_DEFAULT_SEED = 87654321
_rng_state: list = [None]  # the global RNG Variable, created on first use


def _rng_variable():
    from jaxport.variables import Variable

    var = _rng_state[0]
    if var is None:
        seed = _DEFAULT_SEED if _seed_holder[0] is None else _seed_holder[0]
        var = Variable(_key_data(seed), trainable=False, name="global_rng")
        _rng_state[0] = var
    return var


_seed_holder: list = [None]


def _key_data(seed: int) -> np.ndarray:
    """A raw PRNG key computed eagerly (also while a `function` is being traced)."""
    with jax.ensure_compile_time_eval():
        return np.asarray(jax.random.PRNGKey(seed))


def set_seed(seed: int) -> None:
    """`tf.random.set_seed`: reset the global RNG so later random ops repeat."""
    if seed is not None and not isinstance(seed, (int, np.integer)):
        raise TypeError(f"`seed` must be an integer or None; received {seed!r}.")
    _seed_holder[0] = None if seed is None else int(seed)
    from jaxport.modules import initializers

    initializers.reseed(_seed_holder[0])
    key = _key_data(_DEFAULT_SEED if seed is None else int(seed))
    var = _rng_state[0]
    if var is None:
        _rng_variable()
    else:
        var.assign(key)


def get_global_seed() -> int | None:
    """The seed last given to `set_seed`, or None."""
    return _seed_holder[0]


def next_key() -> jax.Array:
    """A fresh PRNG key from the global state (advances it; per-replica inside strategy.run)."""
    var = _rng_variable()
    key = var._current_value()
    new_state, sub = jax.random.split(key)
    var._set_current_value(new_state)
    replica = _state.replica
    if replica is not None:
        sub = jax.random.fold_in(sub, replica.replica_id_raw)
    return sub


def _shape(shape: Any) -> tuple[int, ...]:
    from jaxport.ops.array_ops import _shape_tuple

    return _shape_tuple(shape)


def normal(
    shape: Any,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = "float32",
    seed: int | None = None,
    name: str | None = None,
) -> Tensor:
    """`tf.random.normal` from the global RNG."""
    dt = _dtypes.as_dtype(dtype)._np
    z = jax.random.normal(next_key(), _shape(shape), dt)
    return Tensor(z * jnp.asarray(stddev, dt) + jnp.asarray(mean, dt))


def uniform(
    shape: Any,
    minval: float = 0,
    maxval: float | None = None,
    dtype: Any = "float32",
    seed: int | None = None,
    name: str | None = None,
) -> Tensor:
    """`tf.random.uniform` in [minval, maxval) from the global RNG (maxval 1 for floats)."""
    dt = _dtypes.as_dtype(dtype)
    shp = _shape(shape)
    if dt.is_integer:
        if maxval is None:
            raise ValueError("Must specify maxval for integer dtype int32")
        return Tensor(jax.random.randint(next_key(), shp, int(minval), int(maxval), dt._np))
    hi = 1.0 if maxval is None else maxval
    return Tensor(jax.random.uniform(next_key(), shp, dt._np, minval=minval, maxval=hi))
