"""`tf.keras.optimizers.legacy`: Keras's pre-2.11 `OptimizerV2` optimizers SGD, Adam, RMSprop
and Adagrad.

They share the new optimizers' transforms where TF's numbers agree (SGD, Adam, RMSprop with
momentum) and differ where TF's do: legacy Adagrad, and legacy RMSprop without momentum, add
epsilon outside the root (`lr*g / (sqrt(acc) + eps)`),
and every legacy optimizer takes `decay` (`lr / (1 + decay * iterations)`). They also look
like OptimizerV2: `iterations` is `<name>/iter:0`, slots are `<name>/<variable>/<slot>:0` grouped
slot by slot (SGD builds `momentum` only when momentum > 0), `variables()` / `weights` list
them, `get_config` has `decay` and no `weight_decay`, EMA or `jit_compile`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jaxport.modules.optimizers import adam as _adam
from jaxport.modules.optimizers import adaptive as _adaptive
from jaxport.modules.optimizers import sgd as _sgd
from jaxport.modules.optimizers.schedules import LearningRateSchedule
from jaxport.modules.optimizers.transforms_adaptive import KerasRMSpropState, keras_rmsprop
from jaxport.modules.optimizers.transforms_common import cast, leafwise, learning_rate_at, zero_count
from jaxport.modules.optimizers.transforms_sgd import KerasSGDState, keras_sgd

__all__ = ["OptimizerV2", "Optimizer", "SGD", "Adam", "RMSprop", "Adagrad", "keras_legacy_adagrad"]

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

    def _compute_current_learning_rate(self) -> Any:
        lr = super()._compute_current_learning_rate()
        if self._initial_decay > 0.0:
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


Optimizer = OptimizerV2
