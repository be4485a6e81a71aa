"""`tf.keras.initializers`: host-side (numpy) initial values, so that weights created while a
`function` is being traced still get concrete values, as TF creates them outside the graph.

Unseeded initializers draw from one numpy generator that `tf.random.set_seed` reseeds.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaxport import dtypes as _dtypes

_generator = [np.random.default_rng(1337)]


def reseed(seed: int | None) -> None:
    """Reseed the generator unseeded initializers draw from (called by `tf.random.set_seed`)."""
    _generator[0] = np.random.default_rng(1337 if seed is None else seed)


class Initializer:
    """Base class: `initializer(shape, dtype)` returns a numpy array."""

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    def _rng(self, seed: int | None) -> np.random.Generator:
        return _generator[0] if seed is None else np.random.default_rng(seed)


def _np_dtype(dtype: Any) -> np.dtype:
    return _dtypes.as_dtype(dtype or "float32")._np


class Zeros(Initializer):
    """All zeros."""

    def __call__(self, shape, dtype=None, **kwargs):
        return np.zeros(tuple(shape), _np_dtype(dtype))


class Ones(Initializer):
    """All ones."""

    def __call__(self, shape, dtype=None, **kwargs):
        return np.ones(tuple(shape), _np_dtype(dtype))


class Constant(Initializer):
    """A constant value."""

    def __init__(self, value: float = 0):
        self.value = value

    def __call__(self, shape, dtype=None, **kwargs):
        return np.full(tuple(shape), self.value, _np_dtype(dtype))

    def get_config(self):
        return {"value": self.value}


def _fans(shape: tuple) -> tuple[float, float]:
    if len(shape) < 1:
        return 1.0, 1.0
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(Initializer):
    """Keras's VarianceScaling (scale / fan, truncated normal, untruncated normal or uniform)."""

    def __init__(
        self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal", seed: int | None = None
    ):
        if scale <= 0:
            raise ValueError(f"`scale` must be positive float. Received: scale={scale}.")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode!r}; expected fan_in, fan_out or fan_avg.")
        if distribution not in ("normal", "truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"Invalid `distribution` argument: {distribution!r}.")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed

    def __call__(self, shape, dtype=None, **kwargs):
        shape = tuple(shape)
        fan_in, fan_out = _fans(shape)
        denom = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        scale = self.scale / max(1.0, denom)
        rng = self._rng(self.seed)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * scale)
            out = rng.uniform(-limit, limit, shape)
        elif self.distribution == "untruncated_normal":
            out = rng.normal(0.0, math.sqrt(scale), shape)
        else:
            std = math.sqrt(scale) / 0.87962566103423978
            out = rng.normal(0.0, std, shape)
            bad = np.abs(out) > 2 * std
            while bad.any():
                out[bad] = rng.normal(0.0, std, int(bad.sum()))
                bad = np.abs(out) > 2 * std
        return out.astype(_np_dtype(dtype))

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution, "seed": self.seed}


class GlorotUniform(VarianceScaling):
    """Uniform in +-sqrt(6 / (fan_in + fan_out)) (Keras's default kernel initializer)."""

    def __init__(self, seed: int | None = None):
        super().__init__(1.0, "fan_avg", "uniform", seed)

    def get_config(self):
        return {"seed": self.seed}


class GlorotNormal(VarianceScaling):
    """Truncated normal with stddev sqrt(2 / (fan_in + fan_out))."""

    def __init__(self, seed: int | None = None):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed)


class HeNormal(VarianceScaling):
    """Truncated normal with stddev sqrt(2 / fan_in)."""

    def __init__(self, seed: int | None = None):
        super().__init__(2.0, "fan_in", "truncated_normal", seed)


class HeUniform(VarianceScaling):
    """Uniform in +-sqrt(6 / fan_in)."""

    def __init__(self, seed: int | None = None):
        super().__init__(2.0, "fan_in", "uniform", seed)


class RandomNormal(Initializer):
    """Normal(mean, stddev)."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None, **kwargs):
        return self._rng(self.seed).normal(self.mean, self.stddev, tuple(shape)).astype(_np_dtype(dtype))

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(Initializer):
    """Uniform(minval, maxval)."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None):
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=None, **kwargs):
        return self._rng(self.seed).uniform(self.minval, self.maxval, tuple(shape)).astype(_np_dtype(dtype))

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class LecunNormal(VarianceScaling):
    """Truncated normal with stddev sqrt(1 / fan_in)."""

    def __init__(self, seed: int | None = None):
        super().__init__(1.0, "fan_in", "truncated_normal", seed)


class LecunUniform(VarianceScaling):
    """Uniform in +-sqrt(3 / fan_in)."""

    def __init__(self, seed: int | None = None):
        super().__init__(1.0, "fan_in", "uniform", seed)


class TruncatedNormal(Initializer):
    """Normal(mean, stddev) redrawn outside two standard deviations."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None, **kwargs):
        rng = self._rng(self.seed)
        out = rng.normal(0.0, self.stddev, tuple(shape))
        bad = np.abs(out) > 2 * self.stddev
        while bad.any():
            out[bad] = rng.normal(0.0, self.stddev, int(bad.sum()))
            bad = np.abs(out) > 2 * self.stddev
        return (out + self.mean).astype(_np_dtype(dtype))

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class Orthogonal(Initializer):
    """Keras's Orthogonal: the Q of a QR decomposition of a normal matrix (signs fixed by R's
    diagonal), reshaped to `shape` and scaled by `gain` (LSTM/GRU recurrent kernels' default)."""

    def __init__(self, gain: float = 1.0, seed: int | None = None):
        self.gain, self.seed = gain, seed

    def __call__(self, shape, dtype=None, **kwargs):
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        rows = math.prod(shape[:-1])
        cols = shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        q, r = np.linalg.qr(self._rng(self.seed).normal(0.0, 1.0, flat))
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).astype(_np_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """`gain` times the identity matrix (2-D shapes only)."""

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None, **kwargs):
        shape = tuple(shape)
        if len(shape) != 2:
            raise ValueError(f"Identity matrix initializer can only be used for 2D matrices. Received: shape={shape}")
        return (self.gain * np.eye(*shape)).astype(_np_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}


_BY_NAME = {
    "zeros": Zeros,
    "ones": Ones,
    "constant": Constant,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "he_normal": HeNormal,
    "he_uniform": HeUniform,
    "lecun_normal": LecunNormal,
    "lecun_uniform": LecunUniform,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling,
    "orthogonal": Orthogonal,
    "identity": Identity,
    # Keras 2 aliases
    "uniform": RandomUniform,
    "normal": RandomNormal,
    "one": Ones,
    "zero": Zeros,
}


def get(identifier: Any) -> Initializer:
    """An initializer from a name ('glorot_uniform'), an instance, a class or a callable."""
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str):
        key = identifier if identifier in _BY_NAME else _snake(identifier)
        if key not in _BY_NAME:
            raise ValueError(f"Unknown initializer: {identifier!r}. Please ensure you are using a keras initializer.")
        return _BY_NAME[key]()
    if isinstance(identifier, dict) and "class_name" in identifier:  # a serialized initializer (layer configs)
        key = _snake(identifier["class_name"])
        if key not in _BY_NAME:
            raise ValueError(
                f"Unknown initializer: {identifier['class_name']!r}. Please ensure you are using a keras initializer."
            )
        return _BY_NAME[key](**identifier.get("config", {}))
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return _CallableInitializer(identifier)
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")


class _CallableInitializer(Initializer):
    def __init__(self, fn):
        self.fn = fn

    def __call__(self, shape, dtype=None, **kwargs):
        out = self.fn(tuple(shape), dtype=_dtypes.as_dtype(dtype or "float32"))
        return np.asarray(out).astype(_np_dtype(dtype))


def _snake(name: str) -> str:
    from jaxport.modules.naming import to_snake_case

    return to_snake_case(name)
