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
from jaxport.eager import Tensor, dispatch, to_raw
from jaxport.ops._gradients import not_differentiable
from jaxport.ops._helpers import as_input, check_dtype, no_gradient, op_error, pure_op, shape_tuple

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
    return shape_tuple(shape)


_FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")
_UNIFORM_DTYPES = "(tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64)"


def _float_dtype(dtype: Any, value: float = 0.0) -> Any:
    """A floating dtype for a normal-like draw; TF's TypeError for an integer one."""
    dt = _dtypes.as_dtype(dtype)
    if dt.name not in _FLOAT_DTYPES:
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dt.name}")
    return dt


@pure_op("RandomStandardNormal")
def _normal_pure(key, mean, stddev, shape, dtype):
    return jax.random.normal(key, shape, dtype) * stddev + mean


@pure_op("TruncatedNormal")
def _truncated_normal_pure(key, mean, stddev, shape, dtype):
    return jax.random.truncated_normal(key, -2.0, 2.0, shape, dtype) * stddev + mean


@pure_op("RandomUniform")
def _uniform_pure(key, minval, maxval, shape, dtype):
    return jax.random.uniform(key, shape, dtype) * (maxval - minval) + minval


@pure_op("RandomUniformInt")
def _uniform_int_pure(key, minval, maxval, shape, dtype):
    return jax.random.randint(key, shape, minval, maxval, dtype)


def _param(value: Any, dtype: Any) -> Any:
    """A distribution parameter as a Tensor of `dtype` (Tensors keep their identity, so tapes
    differentiate the draw with respect to `mean`/`stddev`/`minval`/`maxval`, as in TF)."""
    if isinstance(value, Tensor) or hasattr(value, "_current_value"):
        if value.dtype != dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype {value.dtype.name}: {value!r}"
            )
        return value
    return Tensor(to_raw(value, dtype))


def normal_from_key(key: Any, shape: tuple, mean: Any, stddev: Any, dtype: Any) -> Tensor:
    """`mean + stddev * N(0, 1)` of `shape` drawn with `key`."""
    dt = _float_dtype(dtype)
    return dispatch(_normal_pure, key, _param(mean, dt), _param(stddev, dt), shape=shape, dtype=dt._np.name)


def truncated_normal_from_key(key: Any, shape: tuple, mean: Any, stddev: Any, dtype: Any) -> Tensor:
    """A normal draw re-drawn outside two standard deviations (values in mean +- 2 stddev)."""
    dt = _float_dtype(dtype)
    return dispatch(_truncated_normal_pure, key, _param(mean, dt), _param(stddev, dt), shape=shape, dtype=dt._np.name)


def uniform_from_key(key: Any, shape: tuple, minval: Any, maxval: Any, dtype: Any) -> Tensor:
    """Uniform in [minval, maxval) of `shape` drawn with `key` (floats or int32/int64)."""
    dt = _dtypes.as_dtype(dtype)
    if dt.name not in _FLOAT_DTYPES + ("int32", "int64"):
        raise ValueError(f"Argument `dtype` got invalid value {dt}. Accepted dtypes are {_UNIFORM_DTYPES}.")
    if dt.is_integer:
        lo, hi = int(_value(minval)), int(_value(maxval))
        if lo >= hi:
            raise op_error(f"Need minval < maxval, got {lo} >= {hi}", "RandomUniformInt")
        return dispatch(_uniform_int_pure, key, _param(lo, dt), _param(hi, dt), shape=shape, dtype=dt._np.name)
    hi = 1.0 if maxval is None else maxval
    return dispatch(_uniform_pure, key, _param(minval, dt), _param(hi, dt), shape=shape, dtype=dt._np.name)


def _value(x: Any) -> Any:
    """A number or array from a Python value or Tensor (tracers pass through)."""
    if isinstance(x, Tensor):
        return x._value
    if hasattr(x, "_current_value"):
        return x._current_value()
    return x


def normal(
    shape: Any,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = "float32",
    seed: int | None = None,
    name: str | None = None,
) -> Tensor:
    """`tf.random.normal` from the global RNG."""
    _float_dtype(dtype)
    return normal_from_key(next_key(), _shape(shape), mean, stddev, dtype)


def truncated_normal(
    shape: Any,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = "float32",
    seed: int | None = None,
    name: str | None = None,
) -> Tensor:
    """`tf.random.truncated_normal`: normal values, re-drawn beyond two standard deviations."""
    _float_dtype(dtype)
    return truncated_normal_from_key(next_key(), _shape(shape), mean, stddev, dtype)


def uniform(
    shape: Any,
    minval: float = 0,
    maxval: float | None = None,
    dtype: Any = "float32",
    seed: int | None = None,
    name: str | None = None,
) -> Tensor:
    """`tf.random.uniform` in [minval, maxval) from the global RNG (maxval 1 for floats).

    Raises:
      ValueError: an integer dtype without `maxval`, or an unsupported dtype.
      InvalidArgumentError: integer bounds with minval >= maxval.
    """
    dt = _dtypes.as_dtype(dtype)
    if dt.is_integer and maxval is None:
        raise ValueError(f"Must specify maxval for integer dtype {dt!r}")
    return uniform_from_key(next_key(), _shape(shape), minval, maxval, dt)


@not_differentiable
@pure_op("RandomShuffle")
def _shuffle_pure(value, key):
    return jax.random.permutation(key, value, axis=0)


def shuffle(value: Any, seed: int | None = None, name: str | None = None) -> Tensor:
    """`tf.random.shuffle`: permute `value` along its first axis (not differentiable, as TF)."""
    t = as_input(value)
    if t.ndim == 0:
        return t if isinstance(t, Tensor) else t.read_value()
    return dispatch(_shuffle_pure, t, next_key())


@pure_op("Multinomial")
def _categorical_pure(logits, key, num_samples, dtype):
    samples = jax.random.categorical(key, logits, axis=-1, shape=(num_samples, logits.shape[0]))
    return jnp.transpose(samples).astype(dtype)


def categorical(
    logits: Any, num_samples: int, dtype: Any = None, seed: int | None = None, name: str | None = None
) -> Tensor:
    """`tf.random.categorical`: `num_samples` class indices per row of the `[batch, classes]`
    unnormalized log-probabilities (int64 by default).

    Raises:
      ValueError: a dtype other than int32/int64.
      InvalidArgumentError: logits that are not a matrix.
    """
    out = _dtypes.int64 if dtype is None else _dtypes.as_dtype(dtype)
    if out.name not in ("int32", "int64"):
        raise ValueError(f"Argument `dtype` got invalid value {out}. Accepted dtypes are (tf.int32, tf.int64).")
    x = as_input(logits)
    check_dtype(x, "Multinomial", "half, bfloat16, float, double")
    if x.ndim != 2:
        raise op_error(f"logits should be a matrix, got shape [{','.join(str(d) for d in x.shape)}]", "Multinomial")
    return dispatch(_categorical_pure, no_gradient(x), next_key(), num_samples=int(num_samples), dtype=out._np.name)


# The stateless ops (TF's Philox numbers) live in `stateless_random_ops`; these names stay here.
from jaxport.ops.stateless_random_ops import (  # noqa: E402, F401
    stateless_normal,
    stateless_truncated_normal,
    stateless_uniform,
)
