"""`tf.random.Generator`: an RNG whose state is a non-trainable Variable.

The state is a JAX PRNG key (uint32[2]) in a Variable named `StateVar`, so `tf.function`
lifts it like any Variable: each compiled call draws fresh numbers and advances the state,
exactly as eager calls do (TF's stateful Generator contract). The numbers themselves are
JAX's, not TF's Philox stream; the same seed gives the same sequence.
"""

from __future__ import annotations

import secrets
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.eager import Tensor
from jaxport.ops import random_ops
from jaxport.variables import Variable

__all__ = ["Generator", "get_global_generator", "set_global_generator"]


def _key_data(seed: int) -> np.ndarray:
    with jax.ensure_compile_time_eval():
        return np.asarray(jax.random.PRNGKey(int(seed) % (1 << 63)))


class Generator:
    """`tf.random.Generator`: make one with `Generator.from_seed(seed)` or
    `Generator.from_non_deterministic_state()`.

    Args:
      copy_from: another Generator to copy the state of.
      state: an initial state (as `Generator.state` returns it).
      alg: accepted for TF compatibility (the algorithm is JAX's threefry).
    """

    def __init__(self, copy_from: Generator | None = None, state: Any = None, alg: Any = None):
        if copy_from is not None:
            if state is not None:
                raise ValueError("When `copy_from` is given, `state` must be None.")
            value = np.asarray(copy_from.state.numpy())
        elif state is not None:
            value = np.asarray(state.numpy() if hasattr(state, "numpy") else state)
            if value.shape != (2,):
                raise ValueError(f"`state` must be a jaxport Generator state of shape (2,); got shape {value.shape}.")
            value = value.astype(np.uint32)
        else:
            raise ValueError("Use Generator.from_seed(...) or Generator.from_non_deterministic_state().")
        self._alg = 1 if alg is None else alg
        self._state_var = Variable(value, trainable=False, name="StateVar")

    # -- construction --------------------------------------------------------------------
    @classmethod
    def from_seed(cls, seed: int, alg: Any = None) -> Generator:
        """A Generator whose sequence is fixed by the integer `seed`."""
        if isinstance(seed, (Tensor, Variable)):
            seed = int(seed.numpy())
        if not isinstance(seed, (int, np.integer)):
            raise TypeError(f"`seed` must be an integer; received {seed!r}.")
        return cls(state=_key_data(seed), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg: Any = None) -> Generator:
        """A Generator seeded from the operating system's entropy."""
        return cls.from_seed(secrets.randbits(63), alg=alg)

    @classmethod
    def from_state(cls, state: Any, alg: Any = None) -> Generator:
        """A Generator starting from `state` (another Generator's `.state`)."""
        return cls(state=state, alg=alg)

    def reset_from_seed(self, seed: int) -> None:
        """Restart the sequence as `from_seed(seed)` would."""
        self._state_var.assign(_key_data(seed))

    def reset(self, state: Any) -> None:
        """Set the state (as `.state` returns it)."""
        self._state_var.assign(np.asarray(state.numpy() if hasattr(state, "numpy") else state, np.uint32))

    # -- state ---------------------------------------------------------------------------
    @property
    def state(self) -> Variable:
        """The state Variable (non-trainable, uint32[2])."""
        return self._state_var

    @property
    def algorithm(self) -> Any:
        return self._alg

    def _next_key(self) -> jax.Array:
        key = self._state_var._current_value()
        new_state, sub = jax.random.split(key)
        self._state_var._set_current_value(new_state)
        return sub

    # -- draws ---------------------------------------------------------------------------
    def normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = "float32", name: Any = None):
        """Normal values of `shape` (advances the state)."""
        random_ops._float_dtype(dtype)
        return random_ops.normal_from_key(self._next_key(), random_ops._shape(shape), mean, stddev, dtype)

    def truncated_normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = "float32", name=None):
        """Normal values within two standard deviations of `mean` (advances the state)."""
        random_ops._float_dtype(dtype)
        return random_ops.truncated_normal_from_key(self._next_key(), random_ops._shape(shape), mean, stddev, dtype)

    def uniform(self, shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = "float32", name: Any = None):
        """Uniform values in [minval, maxval) (maxval 1 for floats; for integers both bounds or
        neither, which gives the full range)."""
        dt = _dtypes.as_dtype(dtype)
        if dt.is_integer:
            if minval is None and maxval is None:
                return self.uniform_full_int(shape, dt)
            if minval is None or maxval is None:
                raise ValueError(
                    f"For integer dtype {dt}, minval and maxval must be both `None` or both non-`None`; "
                    f"got minval={minval} and maxval={maxval}"
                )
        return random_ops.uniform_from_key(self._next_key(), random_ops._shape(shape), minval, maxval, dt)

    def uniform_full_int(self, shape: Any, dtype: Any = "uint64", name: Any = None) -> Tensor:
        """Integers uniform over the whole range of `dtype`."""
        dt = _dtypes.as_dtype(dtype)
        bits = jax.random.bits(self._next_key(), random_ops._shape(shape), jnp.dtype(f"uint{dt.size * 8}"))
        return Tensor(jax.lax.bitcast_convert_type(bits, dt._np))

    def make_seeds(self, count: int = 1) -> Tensor:
        """`[2, count]` int64 seeds for stateless ops (advances the state)."""
        bits = jax.random.bits(self._next_key(), (2, int(count)), jnp.uint64)
        return Tensor(jax.lax.bitcast_convert_type(bits, jnp.int64))

    def split(self, count: int = 1) -> list[Generator]:
        """`count` new Generators with independent streams (advances this one's state)."""
        keys = jax.random.split(self._next_key(), int(count))
        return [Generator(state=np.asarray(k)) for k in keys]


_global: list = [None]


def get_global_generator() -> Generator:
    """`tf.random.get_global_generator`: a process-wide Generator (non-deterministically seeded)."""
    if _global[0] is None:
        _global[0] = Generator.from_non_deterministic_state()
    return _global[0]


def set_global_generator(generator: Generator) -> None:
    """`tf.random.set_global_generator`."""
    _global[0] = generator
