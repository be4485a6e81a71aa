"""`tf.keras.optimizers.legacy`: Keras's pre-2.11 `OptimizerV2` optimizers SGD, Adam, RMSprop,
Adagrad, Adadelta, Adamax, Ftrl and Nadam.

They share the new optimizers' transforms where TF's numbers agree (SGD, Adam, RMSprop with
momentum) and differ where TF's do: legacy Adagrad, and legacy RMSprop without momentum, add
epsilon outside the root (`lr*g / (sqrt(acc) + eps)`); legacy Nadam is an older formula
(`keras_legacy_nadam`);
and every legacy optimizer takes `decay` (`lr / (1 + decay * iterations)`). They also look
like OptimizerV2: `iterations` is `<name>/iter:0`, slots are `<name>/<variable>/<slot>:0` grouped
slot by slot (SGD builds `momentum` only when momentum > 0), `variables()` / `weights` list
them, `get_config` has `decay` and no `weight_decay`, EMA or `jit_compile`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from jaxport.modules.optimizers import adam as _adam
from jaxport.modules.optimizers import adaptive as _adaptive
from jaxport.modules.optimizers import sgd as _sgd
from jaxport.modules.optimizers.schedules import LearningRateSchedule
from jaxport.modules.optimizers.transforms_adam import KerasAdamaxState, keras_adamax
from jaxport.modules.optimizers.transforms_adaptive import (
    KerasAdadeltaState,
    KerasRMSpropState,
    keras_adadelta,
    keras_rmsprop,
)
from jaxport.modules.optimizers.transforms_common import cast, leafwise, learning_rate_at, zero_count
from jaxport.modules.optimizers.transforms_sgd import KerasSGDState, keras_sgd
from jaxport.variables import Variable

__all__ = [
    "OptimizerV2",
    "Optimizer",
    "SGD",
    "Adam",
    "RMSprop",
    "Adagrad",
    "Adadelta",
    "Adamax",
    "Ftrl",
    "Nadam",
    "keras_legacy_adagrad",
    "keras_legacy_nadam",
]

_ALLOWED = {"clipnorm", "clipvalue", "lr", "decay", "global_clipnorm"}


class OptimizerV2:
    """Mixin: what makes a jaxport optimizer look like Keras's legacy `OptimizerV2`."""

    def _legacy_init(self, name: str, learning_rate: Any, kwargs: dict) -> dict:
        for key, value in kwargs.items():
            if key not in _ALLOWED:
                raise TypeError(
                    f"Unexpected keyword argument passed to optimizer: {key}. Allowed kwargs are {_ALLOWED}."
                )
            if value is not None and not isinstance(value, LearningRateSchedule) and value < 0:
                raise ValueError(f"Expected {key} >= 0, received: {value}")
        if kwargs.get("clipnorm") is not None and kwargs.get("global_clipnorm") is not None:
            raise ValueError(
                "Cannot accept both `clipnorm` and `global_clipnorm`. Received: "
                f"`clipnorm`={kwargs['clipnorm']}, `global_clipnorm`={kwargs['global_clipnorm']}."
            )
        self._initial_decay = float(kwargs.pop("decay", 0.0) or 0.0)
        learning_rate = kwargs.pop("lr", learning_rate)
        return {"name": name, **kwargs, "learning_rate": learning_rate}

    def _after_init(self) -> None:
        self._legacy = True

    def _iterations_variable_name(self, name: str) -> str:
        return f"{name}/iter"

    def _slot_variable_name(self, prefix: str, slot: str, base: str) -> str:
        return f"{self.name}/{base}/{slot}"

    _decays_learning_rate = True

    def _compute_current_learning_rate(self) -> Any:
        lr = super()._compute_current_learning_rate()
        if self._initial_decay > 0.0 and self._decays_learning_rate:
            step = self._iterations._current_value().astype(lr.dtype)
            lr = lr / (1.0 + jnp.asarray(self._initial_decay, lr.dtype) * step)
        return lr

    @property
    def weights(self) -> list:
        """The optimizer's Variables (`iterations`, then the slots)."""
        return list(self._variables)

    def get_weights(self) -> list:
        """The values of `weights` as numpy arrays."""
        return [v.numpy() for v in self._variables]

    def get_config(self) -> dict:
        from jaxport.modules.optimizers.schedules import serialize as serialize_schedule

        if isinstance(self._learning_rate, LearningRateSchedule):
            learning_rate = serialize_schedule(self._learning_rate)
        else:
            learning_rate = float(self._learning_rate.numpy())
        config = {"name": self.name}
        for key in ("clipnorm", "clipvalue", "global_clipnorm"):
            if getattr(self, key) is not None:
                config[key] = getattr(self, key)
        config.update(learning_rate=learning_rate, decay=self._initial_decay)
        config.update(self._hyper_config())
        return config


def _legacy_names(groups: tuple) -> tuple:
    """Legacy optimizers create each slot for every variable before the next slot."""
    return tuple((slot,) for group in groups for slot in group)


class SGD(OptimizerV2, _sgd.SGD):
    """`tf.keras.optimizers.legacy.SGD` (slot `momentum` only when momentum > 0)."""

    def __init__(
        self, learning_rate: Any = 0.01, momentum: float = 0.0, nesterov: bool = False, name: str = "SGD", **kwargs: Any
    ):
        args = self._legacy_init(name, learning_rate, kwargs)
        super().__init__(momentum=momentum, nesterov=nesterov, **args)
        self._after_init()

    def _slot_groups(self):
        return (("momentum",),) if self.momentum > 0 else ()

    @classmethod
    def _pure_update(cls, hyper, lr, grads, state, params, aux):
        momentum, nesterov = hyper
        tx = keras_sgd(lr, momentum, nesterov)
        if momentum > 0:
            inner = KerasSGDState(state.count, state.momentum)
        else:
            inner = tx.init(params)
        updates, new = tx.update(grads, inner, params)
        return updates, _LegacySGDState(new.count, new.m if momentum > 0 else None)


class _LegacySGDState(NamedTuple):
    count: jax.Array
    momentum: Any


SGD._state_type = _LegacySGDState


class Adam(OptimizerV2, _adam.Adam):
    """`tf.keras.optimizers.legacy.Adam` (same numbers as Adam; slots `m`, then `v`, then `vhat`)."""

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        name: str = "Adam",
        **kwargs: Any,
    ):
        args = self._legacy_init(name, learning_rate, kwargs)
        super().__init__(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad, **args)
        self._after_init()

    def _slot_groups(self):
        return _legacy_names(super()._slot_groups())


class RMSprop(OptimizerV2, _adaptive.RMSprop):
    """`tf.keras.optimizers.legacy.RMSprop` (slots `rms`, `momentum`, `mg`): with momentum, the new
    RMSprop's numbers (TF's fused kernel); without, epsilon outside the root (TF's Python path)."""

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        name: str = "RMSprop",
        **kwargs: Any,
    ):
        args = self._legacy_init(name, learning_rate, kwargs)
        super().__init__(rho=rho, momentum=momentum, epsilon=epsilon, centered=centered, **args)
        self._after_init()

    def _slot_groups(self):
        return (("rms",),) + ((("momentum",),) if self.momentum > 0 else ()) + ((("mg",),) if self.centered else ())

    @classmethod
    def _pure_update(cls, hyper, lr, grads, state, params, aux):
        rho, momentum, epsilon, centered = hyper
        if not momentum:  # TF's Python path: epsilon outside the root
            return _legacy_rmsprop_plain(lr, rho, epsilon, centered, grads, state)
        inner = KerasRMSpropState(state.count, state.rms, state.momentum if momentum > 0 else None, state.mg)
        updates, new = keras_rmsprop(lr, rho, momentum, epsilon, centered).update(grads, inner, params)
        return updates, _LegacyRMSpropState(new.count, new.velocity, new.momentum, new.average_gradient)


def _legacy_rmsprop_plain(lr, rho, epsilon, centered, grads, state):
    """Legacy RMSprop without momentum: `rms = rho*rms + (1-rho)*g^2` (centered: `mg` likewise,
    denominator `rms - mg^2`), `w -= lr*g / (sqrt(denominator) + epsilon)`."""

    def one(g, rms, mg):
        dtype = g.dtype
        r = cast(rho, dtype)
        rms = r * rms + (1.0 - r) * jnp.square(g)
        denominator = rms
        if centered:
            mg = r * mg + (1.0 - r) * g
            denominator = rms - jnp.square(mg)
        return -(cast(lr, dtype) * g / (jnp.sqrt(denominator) + cast(epsilon, dtype))), rms, mg

    updates, rms, mg = leafwise(one, 3, grads, state.rms, state.mg)
    return updates, _LegacyRMSpropState(state.count + 1, rms, None, mg if centered else None)


class _LegacyRMSpropState(NamedTuple):
    count: jax.Array
    rms: Any
    momentum: Any
    mg: Any


RMSprop._state_type = _LegacyRMSpropState


class _LegacyAdagradState(NamedTuple):
    count: jax.Array
    accumulator: Any


def keras_legacy_adagrad(
    learning_rate: Any = 0.001, initial_accumulator_value: float = 0.1, epsilon: float = 1e-7
) -> optax.GradientTransformation:
    """Legacy Keras Adagrad (TF's ResourceApplyAdagradV2): `acc += g^2`, update
    `-lr*g / (sqrt(acc) + epsilon)` (epsilon outside the root, unlike the new Adagrad)."""

    def init(params):
        return _LegacyAdagradState(
            zero_count(), jax.tree.map(lambda p: jnp.full_like(p, initial_accumulator_value), params)
        )

    def update(grads, state, params=None):
        lr = learning_rate_at(learning_rate, state.count)

        def one(g, acc):
            acc = acc + g * g
            return -(cast(lr, g.dtype) * g / (jnp.sqrt(acc) + cast(epsilon, g.dtype))), acc

        updates, acc = leafwise(one, 2, grads, state.accumulator)
        return updates, _LegacyAdagradState(state.count + 1, acc)

    return optax.GradientTransformation(init, update)


class Adagrad(OptimizerV2, _adaptive.Adagrad):
    """`tf.keras.optimizers.legacy.Adagrad` (epsilon outside the root; see `keras_legacy_adagrad`)."""

    _state_type = _LegacyAdagradState

    def __init__(
        self,
        learning_rate: Any = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
        name: str = "Adagrad",
        **kwargs: Any,
    ):
        if initial_accumulator_value < 0.0:
            raise ValueError(f"initial_accumulator_value must be non-negative: {initial_accumulator_value}")
        args = self._legacy_init(name, learning_rate, kwargs)
        super().__init__(initial_accumulator_value=initial_accumulator_value, epsilon=epsilon, **args)
        self._after_init()

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_legacy_adagrad(learning_rate, *hyper)


class _LegacyAdadeltaState(NamedTuple):
    count: jax.Array
    accum_grad: Any
    accum_var: Any


class Adadelta(OptimizerV2, _adaptive.Adadelta):
    """`tf.keras.optimizers.legacy.Adadelta` (Adadelta's numbers; slots `accum_grad`, then `accum_var`)."""

    _state_type = _LegacyAdadeltaState

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.95,
        epsilon: float = 1e-7,
        name: str = "Adadelta",
        **kwargs: Any,
    ):
        args = self._legacy_init(name, learning_rate, kwargs)
        super().__init__(rho=rho, epsilon=epsilon, **args)
        self._after_init()

    def _slot_groups(self):
        return (("accum_grad",), ("accum_var",))

    @classmethod
    def _pure_update(cls, hyper, lr, grads, state, params, aux):
        inner = KerasAdadeltaState(state.count, state.accum_grad, state.accum_var)
        updates, new = keras_adadelta(lr, *hyper).update(grads, inner, params)
        return updates, _LegacyAdadeltaState(new.count, new.accumulated_grad, new.accumulated_delta_var)


class _LegacyAdamaxState(NamedTuple):
    count: jax.Array
    m: Any
    v: Any


class Adamax(OptimizerV2, _adam.Adamax):
    """`tf.keras.optimizers.legacy.Adamax` (Adamax's numbers; slots `m`, then `v` = the infinity norm)."""

    _state_type = _LegacyAdamaxState

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        name: str = "Adamax",
        **kwargs: Any,
    ):
        args = self._legacy_init(name, learning_rate, kwargs)
        super().__init__(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, **args)
        self._after_init()

    def _slot_groups(self):
        return (("m",), ("v",))

    @classmethod
    def _pure_update(cls, hyper, lr, grads, state, params, aux):
        inner = KerasAdamaxState(state.count, state.m, state.v)
        updates, new = keras_adamax(lr, *hyper).update(grads, inner, params)
        return updates, _LegacyAdamaxState(new.count, new.m, new.u)


class Ftrl(OptimizerV2, _adaptive.Ftrl):
    """`tf.keras.optimizers.legacy.Ftrl` (Ftrl's numbers; slots `accumulator`, `linear` per variable)."""

    def __init__(
        self,
        learning_rate: Any = 0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        name: str = "Ftrl",
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
        **kwargs: Any,
    ):
        args = self._legacy_init(name, learning_rate, kwargs)
        super().__init__(
            learning_rate_power=learning_rate_power,
            initial_accumulator_value=initial_accumulator_value,
            l1_regularization_strength=l1_regularization_strength,
            l2_regularization_strength=l2_regularization_strength,
            l2_shrinkage_regularization_strength=l2_shrinkage_regularization_strength,
            beta=beta,
            **args,
        )
        self._after_init()


class KerasLegacyNadamState(NamedTuple):
    """Legacy Nadam's state: the step count, the momentum-schedule product `momentum_cache`, `m`, `v`."""

    count: jax.Array
    momentum_cache: jax.Array
    m: Any
    v: Any


def keras_legacy_nadam(
    learning_rate: Any = 0.001,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
    schedule_decay: float = 0.004,
) -> optax.GradientTransformation:
    """Legacy Keras Nadam (Dozat 2016 as Keras 2.0 wrote it), with t = count + 1:
    mu_t = beta_1 (1 - 0.5 * 0.96^(schedule_decay * t));  S_t = S_{t-1} mu_t (`momentum_cache`)
    m = beta_1 m + (1 - beta_1) g;  v = beta_2 v + (1 - beta_2) g^2
    m_bar = (1 - mu_t) g / (1 - S_t) + mu_{t+1} m / (1 - S_t mu_{t+1})
    update = -lr * m_bar / (sqrt(v / (1 - beta_2^t)) + epsilon)
    """

    def init(params):
        leaves = jax.tree.leaves(params)
        dtype = leaves[0].dtype if leaves else jnp.float32
        zeros = lambda: jax.tree.map(jnp.zeros_like, params)  # noqa: E731
        return KerasLegacyNadamState(zero_count(), jnp.ones((), dtype), zeros(), zeros())

    def update(grads, state, params=None):
        lr = learning_rate_at(learning_rate, state.count)
        dtype = state.momentum_cache.dtype
        t = (state.count + 1).astype(dtype)
        b1, b2, base = cast(beta_1, dtype), cast(beta_2, dtype), cast(0.96, dtype)
        mu_t = b1 * (1.0 - 0.5 * base ** (schedule_decay * t))
        mu_next = b1 * (1.0 - 0.5 * base ** (schedule_decay * (t + 1)))
        schedule_new = state.momentum_cache * mu_t
        schedule_next = schedule_new * mu_next
        v_denominator = 1.0 - b2**t

        def one(g, m, v):
            g_prime = g / (1.0 - schedule_new)
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * jnp.square(g)
            m_bar = (1.0 - mu_t) * g_prime + mu_next * (m / (1.0 - schedule_next))
            return -(cast(lr, g.dtype) * m_bar / (jnp.sqrt(v / v_denominator) + cast(epsilon, g.dtype))), m, v

        updates, m, v = leafwise(one, 3, grads, state.m, state.v)
        return updates, KerasLegacyNadamState(state.count + 1, schedule_new, m, v)

    return optax.GradientTransformation(init, update)


class Nadam(OptimizerV2, _adam.Nadam):
    """`tf.keras.optimizers.legacy.Nadam` (`keras_legacy_nadam`; `Nadam/momentum_cache:0` is listed
    after `iter`, then slots `m`, then `v`). Its `decay` is the momentum schedule's
    `schedule_decay` (0.004), not a learning-rate decay.

    Raises:
      ValueError: a LearningRateSchedule as `learning_rate`.
    """

    _state_type = KerasLegacyNadamState
    _decays_learning_rate = False

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        name: str = "Nadam",
        **kwargs: Any,
    ):
        kwargs["decay"] = kwargs.pop("schedule_decay", 0.004)
        if isinstance(kwargs.get("lr", learning_rate), LearningRateSchedule):
            raise ValueError(
                "The Nadam optimizer does not support tf.keras.optimizers.LearningRateSchedules as the learning rate."
            )
        args = self._legacy_init(name, learning_rate, kwargs)
        super().__init__(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, **args)
        self._after_init()

    def _slot_groups(self):
        return (("m",), ("v",))

    def _build_extras(self, var_list):
        dtype = var_list[0].dtype.as_numpy_dtype if var_list else np.float32
        cache = Variable(np.asarray(1.0, dtype), trainable=False, name=f"{self.name}/momentum_cache")
        self._extras["momentum_cache"] = cache
        self._variables.append(cache)

    def _aux_inputs(self, variables):
        return None

    def _hyper(self):
        return super()._hyper() + (self._initial_decay,)

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_legacy_nadam(learning_rate, *hyper)

    @classmethod
    def _pure_update(cls, hyper, lr, grads, state, params, aux):
        return cls._make_transform(hyper, lr).update(grads, state, params)


Optimizer = OptimizerV2
