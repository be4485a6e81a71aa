"""`tf.random.stateless_uniform / stateless_normal / stateless_truncated_normal`, bit for bit
TF's CPU numbers: the Philox-4x32-10 counter-based generator with TF's key/counter layout,
written in `jnp` uint32 arithmetic (so it also runs inside `tf.function`).

TF's recipe (`StatelessRandomGetKeyCounter` + `FillPhiloxRandom`):
  * seed `[s0, s1]` (as uint64) -> counter `(lo(s0), hi(s0), lo(s1), hi(s1))`, key
    `(0x3ec8f720, 0x02461e29)`; one Philox call on them gives `m`; the key becomes
    `(m0, m1)` and the counter `(0, 0, m2, m3)`;
  * output group g (4 float32 / int32 values, 2 float64 / int64 values per Philox call) comes
    from the Philox block at counter + g (a 128-bit add); truncated normals, which reject
    samples, take group g's stream from counter + 256 g;
  * uniform floats keep 23 (float32) or 52 (float64) random mantissa bits in [1, 2), minus 1;
    normals are Box-Muller (`sin`, `cos` of `2 pi u2`, radius `sqrt(-2 log max(u1, 1e-7))`);
    truncated normals keep the first 4 Box-Muller values with |x| < 2; integers in
    [minval, maxval) are `minval + bits % (maxval - minval)`.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.eager import Tensor, dispatch
from jaxport.ops._helpers import (
    as_input,
    check_dtype,
    dims_text,
    int_list,
    no_gradient,
    op_error,
    pure_op,
    shape_of,
    shape_tuple,
    tf_type_name,
)

__all__ = [
    "stateless_uniform",
    "stateless_normal",
    "stateless_truncated_normal",
    "stateless_categorical",
    "philox_4x32",
]

_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
_W0, _W1 = np.uint32(0x9E3779B9), np.uint32(0xBB67AE85)


def philox_4x32(counter: Any, key: Any) -> jax.Array:
    """Philox-4x32-10: uint32 blocks `counter` [4, N] under `key` [2] -> uint32 [4, N]."""
    counter, key = jnp.asarray(counter, jnp.uint32), jnp.asarray(key, jnp.uint32)
    c0, c1, c2, c3 = (counter[i] for i in range(4))
    k0, k1 = key[0], key[1]
    for _ in range(10):
        product0 = c0.astype(jnp.uint64) * _M0
        product1 = c2.astype(jnp.uint64) * _M1
        hi0, lo0 = (product0 >> 32).astype(jnp.uint32), product0.astype(jnp.uint32)
        hi1, lo1 = (product1 >> 32).astype(jnp.uint32), product1.astype(jnp.uint32)
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
        k0, k1 = k0 + _W0, k1 + _W1
    return jnp.stack([c0, c1, c2, c3])


def _key_counter(seed):
    """TF's `StatelessRandomGetKeyCounter` for Philox: the scrambled key and start counter."""
    s = seed.astype(jnp.int64).astype(jnp.uint64)  # int32 seeds sign-extend, as TF's C++ cast
    counter = jnp.stack([s[0], s[0] >> 32, s[1], s[1] >> 32]).astype(jnp.uint32)[:, None]
    mixed = philox_4x32(counter, jnp.asarray([0x3EC8F720, 0x02461E29], jnp.uint32))[:, 0]
    start = jnp.stack([jnp.uint32(0), jnp.uint32(0), mixed[2], mixed[3]])
    return mixed[:2], start


def _blocks(seed, groups: int) -> jax.Array:
    """The Philox outputs [4, groups] at counters start + g."""
    return _blocks_at(seed, jnp.arange(groups))


def _stream(seed, count: int) -> jax.Array:
    """`count` uint32 in TF's output order (block by block, 4 words each)."""
    return _blocks(seed, -(-count // 4)).T.reshape(-1)[:count]


def _unit_float32(bits):
    return jax.lax.bitcast_convert_type((bits & 0x7FFFFF) | np.uint32(127 << 23), jnp.float32) - 1.0


def _unit_float64(high, low):
    mantissa = ((high & 0xFFFFF).astype(jnp.uint64) << 32) | low.astype(jnp.uint64)
    return jax.lax.bitcast_convert_type(mantissa | np.uint64(1023 << 52), jnp.float64) - 1.0


def _unit_half(bits, dtype):
    if dtype == jnp.float16:
        pattern = ((bits & 0x3FF) | np.uint32(15 << 10)).astype(jnp.uint16)
    else:  # bfloat16
        pattern = ((bits & 0x7F) | np.uint32(127 << 7)).astype(jnp.uint16)
    return jax.lax.bitcast_convert_type(pattern, dtype) - jnp.asarray(1, dtype)


def _box_muller_float32(x0, x1):
    u1 = jnp.maximum(_unit_float32(x0), np.float32(1e-7))
    v1 = (2.0 * math.pi * _unit_float32(x1).astype(jnp.float64)).astype(jnp.float32)  # 2.0f * M_PI is double
    radius = jnp.sqrt(np.float32(-2.0) * jnp.log(u1))
    return jnp.sin(v1) * radius, jnp.cos(v1) * radius


def _size(shape: tuple) -> int:
    return int(np.prod(shape, dtype=np.int64))


@pure_op("StatelessRandomUniformV2")
def _uniform_pure(seed, shape, dtype):
    n, dt = _size(shape), jnp.dtype(dtype)
    if dt == jnp.float64:
        words = _stream(seed, 2 * n).reshape(-1, 2)
        return _unit_float64(words[:, 0], words[:, 1]).reshape(shape)
    bits = _stream(seed, n)
    if dt == jnp.float32:
        return _unit_float32(bits).reshape(shape)
    return _unit_half(bits, dt).reshape(shape)


@pure_op("StatelessRandomUniformIntV2")
def _uniform_int_pure(seed, minval, maxval, shape, dtype):
    n, dt = _size(shape), jnp.dtype(dtype)
    if dt.itemsize == 8:
        words = _stream(seed, 2 * n).reshape(-1, 2)
        bits = words[:, 0].astype(jnp.uint64) | (words[:, 1].astype(jnp.uint64) << 32)
        span = (maxval.astype(jnp.int64) - minval.astype(jnp.int64)).astype(jnp.uint64)
        return (minval.astype(jnp.uint64) + bits % span).astype(dt).reshape(shape)
    span = (maxval - minval).astype(jnp.uint32)
    return (minval.astype(jnp.uint32) + _stream(seed, n) % span).astype(dt).reshape(shape)


@pure_op("StatelessRandomUniformFullIntV2")
def _full_int_pure(seed, shape, dtype):
    n, dt = _size(shape), jnp.dtype(dtype)
    if dt.itemsize == 8:
        words = _stream(seed, 2 * n).reshape(-1, 2)
        bits = words[:, 0].astype(jnp.uint64) | (words[:, 1].astype(jnp.uint64) << 32)
        return jax.lax.bitcast_convert_type(bits, dt).reshape(shape)
    return jax.lax.bitcast_convert_type(_stream(seed, n), dt).reshape(shape)


@pure_op("StatelessRandomNormalV2")
def _normal_pure(seed, shape, dtype):
    n, dt = _size(shape), jnp.dtype(dtype)
    if dt == jnp.float64:
        words = _stream(seed, 4 * -(-n // 2)).reshape(-1, 4)
        u1 = jnp.maximum(_unit_float64(words[:, 0], words[:, 1]), 1e-7)
        v1 = 2.0 * math.pi * _unit_float64(words[:, 2], words[:, 3])
        radius = jnp.sqrt(-2.0 * jnp.log(u1))
        pairs = jnp.stack([jnp.sin(v1) * radius, jnp.cos(v1) * radius], axis=1)
        return pairs.reshape(-1)[:n].reshape(shape)
    words = _stream(seed, 2 * -(-n // 2)).reshape(-1, 2)
    f0, f1 = _box_muller_float32(words[:, 0], words[:, 1])
    return jnp.stack([f0, f1], axis=1).reshape(-1)[:n].astype(dt).reshape(shape)


_RESERVED_BLOCKS = 256  # TF skips 256 Philox blocks per group of 4 outputs (256 samples reserved per output)
_TRIED_BLOCKS = 8  # 32 Box-Muller values per group: fewer than 4 inside |x| < 2 has probability < 1e-30


@pure_op("StatelessTruncatedNormalV2")
def _truncated_normal_pure(seed, shape, dtype):
    n, dt = _size(shape), jnp.dtype(dtype)
    groups = -(-n // 4)
    # group g reads its own stream from counter + 256 g: the blocks g * 256 + j, j < _TRIED_BLOCKS
    index = (jnp.arange(groups)[:, None] * _RESERVED_BLOCKS + jnp.arange(_TRIED_BLOCKS)[None, :]).reshape(-1)
    blocks = _blocks_at(seed, index)
    words = blocks.T.reshape(groups, _TRIED_BLOCKS * 4)
    f0, f1 = _box_muller_float32(words[:, 0::2], words[:, 1::2])
    values = jnp.stack([f0, f1], axis=2).reshape(groups, -1)  # in TF's order: f0, f1 of each pair
    accepted = jnp.abs(values) < 2.0
    rank = jnp.cumsum(accepted, axis=1) - 1
    picked = jnp.zeros((groups, 4), jnp.float32)
    for slot in range(4):
        chosen = accepted & (rank == slot)
        picked = picked.at[:, slot].set(jnp.sum(jnp.where(chosen, values, 0.0), axis=1))
    return picked.reshape(-1)[:n].astype(dt).reshape(shape)


def _blocks_at(seed, index) -> jax.Array:
    """The Philox outputs [4, len(index)] at counters start + index (a 128-bit add)."""
    key, start = _key_counter(seed)
    offsets = index.astype(jnp.uint64)
    low = start[0].astype(jnp.uint64) | (start[1].astype(jnp.uint64) << 32)
    added = low + offsets
    carry = (added < low).astype(jnp.uint64)
    high = (start[2].astype(jnp.uint64) | (start[3].astype(jnp.uint64) << 32)) + carry
    counter = jnp.stack([added, added >> 32, high, high >> 32]).astype(jnp.uint32)
    return philox_4x32(counter, key)


# -- the TF ops ---------------------------------------------------------------------------


def _seed_input(seed: Any) -> Any:
    s = as_input(seed) if not isinstance(seed, (list, tuple)) else as_input(np.asarray(seed, np.int64))
    if s.dtype.name not in ("int32", "int64"):
        raise op_error(
            f"Value for attr 'Tseed' of {tf_type_name(s.dtype)} is not in the list of allowed values: int32, int64",
            "StatelessRandomGetKeyCounter",
        )
    if tuple(s.shape) != (2,):
        raise op_error(f"seed must have shape [2], not {list(s.shape)}", "StatelessRandomGetKeyCounter")
    return s._value if isinstance(s, Tensor) else s.read_value()._value


_FLOATS = ("float16", "bfloat16", "float32", "float64")


def stateless_uniform(
    shape: Any,
    seed: Any,
    minval: Any = 0,
    maxval: Any = None,
    dtype: Any = "float32",
    name: str | None = None,
    alg: str = "auto_select",
) -> Tensor:
    """`tf.random.stateless_uniform`: TF's Philox values for `seed = [s0, s1]` — uniform in
    [minval, maxval) (floats: maxval 1 by default, `rnd * (maxval - minval) + minval`;
    integers: both bounds or neither, the latter giving all bit patterns).

    Raises:
      ValueError: an unsupported dtype, or only one integer bound (TF's messages).
      InvalidArgumentError: a seed that is not two int32/int64 values.
    """
    dt = _dtypes.as_dtype(dtype)
    if dt.name not in _FLOATS + ("int32", "int64", "uint32", "uint64"):
        raise ValueError(
            f"Argument `dtype` got invalid value {dt!r}. Accepted dtypes are float16, bfloat16, "
            "float32, float64, int32, int64, uint32, uint64."
        )
    dims = shape_tuple(shape)
    s = _seed_input(seed)
    if dt.is_integer:
        if (minval is None) != (maxval is None):
            raise ValueError(
                f"For integer `dtype` argument {dt!r}, argument `minval` and `maxval` must be both None or not "
                f"None. Got `minval`={minval} and `maxval`={maxval}."
            )
        if minval is None:
            return dispatch(_full_int_pure, s, shape=dims, dtype=dt._np.name)
        if dt.name.startswith("uint"):
            raise ValueError(
                f"Argument `dtype` got invalid value {dt!r} when argument `minval` is not None. Please don't use "
                "unsigned integers in this case."
            )
        lo, hi = as_input(minval, dt), as_input(maxval, dt)
        return dispatch(_uniform_int_pure, s, lo, hi, shape=dims, dtype=dt._np.name)
    from jaxport.ops import math_ops

    rnd = dispatch(_uniform_pure, s, shape=dims, dtype=dt._np.name)
    lo = as_input(minval, dt)
    hi = as_input(1 if maxval is None else maxval, dt)
    return math_ops.add(rnd * (hi - lo), lo)


def stateless_normal(
    shape: Any,
    seed: Any,
    mean: Any = 0.0,
    stddev: Any = 1.0,
    dtype: Any = "float32",
    name: str | None = None,
    alg: str = "auto_select",
) -> Tensor:
    """`tf.random.stateless_normal`: TF's Philox Box-Muller values for `seed`, `rnd * stddev + mean`."""
    from jaxport.ops import math_ops

    dt = _dtypes.as_dtype(dtype)
    rnd = dispatch(_normal_pure, _seed_input(seed), shape=shape_tuple(shape), dtype=dt._np.name)
    return math_ops.add(rnd * as_input(stddev, dt), as_input(mean, dt))


def stateless_truncated_normal(
    shape: Any,
    seed: Any,
    mean: Any = 0.0,
    stddev: Any = 1.0,
    dtype: Any = "float32",
    name: str | None = None,
    alg: str = "auto_select",
) -> Tensor:
    """`tf.random.stateless_truncated_normal`: TF's Philox values for `seed`, normals redrawn
    until |x| < 2 (in TF's sample order), then `rnd * stddev + mean`."""
    from jaxport.ops import math_ops

    dt = _dtypes.as_dtype(dtype)
    rnd = dispatch(_truncated_normal_pure, _seed_input(seed), shape=shape_tuple(shape), dtype=dt._np.name)
    return math_ops.add(rnd * as_input(stddev, dt), as_input(mean, dt))


@pure_op("StatelessMultinomial")
def _categorical_pure(logits, seed, num_samples, dtype):
    batch, classes = logits.shape
    finite = jnp.isfinite(logits)
    top = jnp.max(jnp.where(finite, logits, -jnp.inf), axis=1, keepdims=True).astype(jnp.float64)
    weights = jnp.where(finite, jnp.exp(logits.astype(jnp.float64) - top), 0.0)
    cdf = jnp.cumsum(weights, axis=1)  # not normalised, as TF's
    words = _stream(seed, 2 * batch * num_samples).reshape(batch, num_samples, 2)
    to_find = _unit_float64(words[..., 0], words[..., 1]) * cdf[:, -1:]
    return jnp.sum(cdf[:, None, :] <= to_find[..., None], axis=-1).astype(dtype)  # std::upper_bound


def stateless_categorical(
    logits: Any, num_samples: int, seed: Any, dtype: Any = "int64", name: str | None = None
) -> Tensor:
    """`tf.random.stateless_categorical`: `num_samples` class indices per row of `logits`
    ([batch, classes]), TF's Philox draws: each sample is `upper_bound(cdf, u * total)` with the
    unnormalised cdf of `exp(logit - max)` over the finite logits, rows reading one stream in
    order (TF's numbers whenever its kernel runs the batch in one shard, as for small inputs).

    Raises:
      InvalidArgumentError: logits that are not a float matrix.
    """
    x = as_input(logits)
    check_dtype(x, "StatelessMultinomial", "half, bfloat16, float, double")
    if x.ndim != 2:
        raise op_error(f"logits should be a matrix, got shape {dims_text(shape_of(x))}", "StatelessMultinomial")
    out = _dtypes.as_dtype(dtype)
    if out.name not in ("int32", "int64"):
        raise op_error(
            f"Value for attr 'output_dtype' of {tf_type_name(out)} is not in the list of allowed values: int32, int64",
            "StatelessMultinomial",
        )
    n = int_list(num_samples, "num_samples")[0]
    if n < 0:
        raise op_error(f"num_samples should be nonnegative, got {n}", "StatelessMultinomial")
    return dispatch(_categorical_pure, no_gradient(x), _seed_input(seed), num_samples=n, dtype=out._np.name)
