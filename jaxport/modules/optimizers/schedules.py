"""`tf.keras.optimizers.schedules`: learning rates as functions of the step, in TF's formulas.

Each schedule is a Keras `LearningRateSchedule` (pass it as an optimizer's `learning_rate`;
`get_config` / `from_config`, `serialize` / `deserialize`) and, at the same time, an optax
schedule: called with a JAX integer (a traced step count inside `optax.chain`) it returns a JAX
scalar; called with a Tensor, a Variable (the optimizer's `iterations`) or a Python number it
returns a Tensor, as in TF. The arithmetic is TF's: the step is cast to the dtype of
`initial_learning_rate` (float32 for a Python float) and combined in that dtype.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp

__all__ = [
    "LearningRateSchedule",
    "ExponentialDecay",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "InverseTimeDecay",
    "CosineDecay",
    "CosineDecayRestarts",
    "serialize",
    "deserialize",
]


def _step_value(step: Any) -> tuple[Any, bool]:
    """The raw step and whether the caller gave a jaxport Tensor / Variable / Python number
    (then the result is wrapped as a Tensor)."""
    from jaxport.eager import Tensor
    from jaxport.variables import Variable

    if isinstance(step, Variable):
        return step._current_value(), True
    if isinstance(step, Tensor):
        return step._value, True
    if isinstance(step, (jax.Array, jax.core.Tracer)):
        return step, False
    return jnp.asarray(step), True


class LearningRateSchedule:
    """`tf.keras.optimizers.schedules.LearningRateSchedule`: subclass it and define
    `__call__(step)` (and `get_config` to serialize); an optimizer calls it with `iterations`."""

    def __call__(self, step: Any) -> Any:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` in order to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        """The schedule with `config` as its constructor arguments."""
        return cls(**config)


class _BuiltinSchedule(LearningRateSchedule):
    """A built-in schedule: `_value(step_as_float, dtype)` computes on raw arrays."""

    def __call__(self, step: Any) -> Any:
        """The learning rate at `step` (a Tensor for TF inputs, a JAX scalar for a JAX step)."""
        raw, wrap = _step_value(step)
        initial = jnp.asarray(self.initial_learning_rate, jnp.float32)
        if not isinstance(self.initial_learning_rate, (int, float)):
            initial = jnp.asarray(self.initial_learning_rate)
        out = self._value(raw, initial)
        if not wrap:
            return out
        from jaxport.eager import Tensor

        return Tensor(out)

    def _value(self, step: Any, initial: jax.Array) -> jax.Array:
        raise NotImplementedError


class ExponentialDecay(_BuiltinSchedule):
    """`initial_learning_rate * decay_rate ^ (step / decay_steps)` (the exponent floored
    when `staircase`)."""

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str | None = None,
    ):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def _value(self, step, initial):
        dtype = initial.dtype
        p = step.astype(dtype) / jnp.asarray(self.decay_steps).astype(dtype)
        if self.staircase:
            p = jnp.floor(p)
        return initial * jnp.asarray(self.decay_rate).astype(dtype) ** p

    def get_config(self) -> dict:
        """The constructor arguments (Keras's keys), for `from_config` and `serialize`."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` while `step <= boundaries[0]`, `values[i]` while `boundaries[i-1] < step <=
    boundaries[i]`, `values[-1]` after the last boundary.

    Raises:
      ValueError: `len(boundaries) != len(values) - 1`.
    """

    def __init__(self, boundaries: list, values: list, name: str | None = None):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: Any) -> Any:
        """The learning rate at `step` (a Tensor for TF inputs, a JAX scalar for a JAX step)."""
        raw, wrap = _step_value(step)
        values = [jnp.asarray(v, jnp.float32) if isinstance(v, float) else jnp.asarray(v) for v in self.values]
        boundaries = [jnp.asarray(b).astype(raw.dtype) for b in self.boundaries]
        out = values[-1]
        # from the last interval down, so the first matching one wins (TF's exclusive case)
        for high, value in zip(reversed(boundaries), reversed(values[:-1])):
            out = jnp.where(raw <= high, value, out)
        if not wrap:
            return out
        from jaxport.eager import Tensor

        return Tensor(out)

    def get_config(self) -> dict:
        """The constructor arguments (Keras's keys), for `from_config` and `serialize`."""
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(_BuiltinSchedule):
    """`(initial - end) * (1 - step / decay_steps) ^ power + end` with `step` capped at
    `decay_steps`; with `cycle`, `decay_steps` grows to the first multiple above `step`."""

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str | None = None,
    ):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def _value(self, step, initial):
        dtype = initial.dtype
        end = jnp.asarray(self.end_learning_rate).astype(dtype)
        power = jnp.asarray(self.power).astype(dtype)
        step = step.astype(dtype)
        decay_steps = jnp.asarray(self.decay_steps).astype(dtype)
        if self.cycle:
            multiplier = jnp.where(step == 0, jnp.asarray(1.0, dtype), jnp.ceil(step / decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            step = jnp.minimum(step, decay_steps)
        p = step / decay_steps
        return (initial - end) * (1 - p) ** power + end

    def get_config(self) -> dict:
        """The constructor arguments (Keras's keys), for `from_config` and `serialize`."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(_BuiltinSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)` (the ratio floored
    when `staircase`)."""

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str | None = None,
    ):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def _value(self, step, initial):
        dtype = initial.dtype
        p = step.astype(dtype) / jnp.asarray(self.decay_steps).astype(dtype)
        if self.staircase:
            p = jnp.floor(p)
        return initial / (jnp.asarray(1, dtype) + jnp.asarray(self.decay_rate).astype(dtype) * p)

    def get_config(self) -> dict:
        """The constructor arguments (Keras's keys), for `from_config` and `serialize`."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class CosineDecay(_BuiltinSchedule):
    """Cosine decay (Loshchilov & Hutter) to `alpha * peak` over `decay_steps`, after an
    optional linear warm-up from `initial_learning_rate` to `warmup_target` over `warmup_steps`.

    decay(s) = peak * ((1 - alpha) * 0.5 * (1 + cos(pi * min(s, decay_steps) / decay_steps)) + alpha)
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str | None = None,
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def _decay(self, step, decay_steps, peak, dtype):
        cosine = 0.5 * (1.0 + jnp.cos(jnp.asarray(math.pi, dtype) * (step / decay_steps)))
        return peak * ((1 - self.alpha) * cosine + self.alpha)

    def _value(self, step, initial):
        dtype = initial.dtype
        decay_steps = jnp.asarray(self.decay_steps).astype(dtype)
        step = step.astype(dtype)
        if self.warmup_target is None:
            return self._decay(jnp.minimum(step, decay_steps), decay_steps, initial, dtype)
        target = jnp.asarray(self.warmup_target).astype(dtype)
        warmup_steps = jnp.asarray(self.warmup_steps).astype(dtype)
        step = jnp.minimum(step, decay_steps + warmup_steps)
        warm = (target - initial) * (step / warmup_steps) + initial
        return jnp.where(step < warmup_steps, warm, self._decay(step - warmup_steps, decay_steps, target, dtype))

    def get_config(self) -> dict:
        """The constructor arguments (Keras's keys), for `from_config` and `serialize`."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(_BuiltinSchedule):
    """SGDR (Loshchilov & Hutter): cosine decay restarted after `first_decay_steps`, each period
    `t_mul` times longer and `m_mul` times lower than the previous one."""

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str | None = None,
    ):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def _value(self, step, initial):
        dtype = initial.dtype
        first = jnp.asarray(self.first_decay_steps).astype(dtype)
        alpha = jnp.asarray(self.alpha).astype(dtype)
        t_mul = jnp.asarray(self._t_mul).astype(dtype)
        m_mul = jnp.asarray(self._m_mul).astype(dtype)
        fraction = step.astype(dtype) / first
        if self._t_mul == 1.0:
            i_restart = jnp.floor(fraction)
            fraction = fraction - i_restart
        else:
            i_restart = jnp.floor(jnp.log(1.0 - fraction * (1.0 - t_mul)) / jnp.log(t_mul))
            sum_r = (1.0 - t_mul**i_restart) / (1.0 - t_mul)
            fraction = (fraction - sum_r) / t_mul**i_restart
        cosine = 0.5 * m_mul**i_restart * (1.0 + jnp.cos(jnp.asarray(math.pi, dtype) * fraction))
        return initial * ((1 - alpha) * cosine + alpha)

    def get_config(self) -> dict:
        """The constructor arguments (Keras's keys), for `from_config` and `serialize`."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


_BUILTIN = {
    cls.__name__: cls
    for cls in (
        ExponentialDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
        InverseTimeDecay,
        CosineDecay,
        CosineDecayRestarts,
    )
}


def serialize(learning_rate_schedule: LearningRateSchedule, use_legacy_format: bool = False) -> dict:
    """`{'module', 'class_name', 'config', 'registered_name'}` of a schedule (Keras's format;
    `use_legacy_format` gives `{'class_name', 'config'}`)."""
    config = learning_rate_schedule.get_config()
    name = type(learning_rate_schedule).__name__
    if use_legacy_format:
        return {"class_name": name, "config": config}
    builtin = _BUILTIN.get(name) is type(learning_rate_schedule)
    return {
        "module": "keras.optimizers.schedules" if builtin else type(learning_rate_schedule).__module__,
        "class_name": name,
        "config": config,
        "registered_name": None if builtin else name,
    }


def deserialize(config: dict, custom_objects: dict | None = None, use_legacy_format: bool = False) -> Any:
    """The schedule described by `serialize`'s dict (built-in names, or `custom_objects`).

    Raises:
      ValueError: `config` is not a dict with a known `class_name`.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret serialized decay: {config}")
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BUILTIN.get(name)
    if cls is None:
        raise ValueError(
            f"Unknown decay: '{name}'. Please ensure you are using a `keras.utils.custom_object_scope` and that "
            "this object is included in the scope. See "
            "https://www.tensorflow.org/guide/keras/save_and_serialize#registering_the_custom_object for details."
        )
    return cls.from_config(dict(config.get("config", {})))
