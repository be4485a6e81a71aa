"""`tf.keras.optimizers` as optax transforms with Keras numerics, wrapped statefully.

`keras_adam(...)`, `keras_sgd(...)` and `keras_rmsprop(...)` (`optax_transforms.py`) are
ordinary `optax.GradientTransformation`s (use them in optax chains); the Keras-style
`Optimizer` keeps their state in Variables (slots) and exposes `apply_gradients(zip(grads,
vars))`, `iterations`, `learning_rate`. The update of all variables runs as one pure
function (one compiled call eagerly; inlined under `function`).

Keras's order holds: gradient clipping first (clipnorm per variable, global_clipnorm,
clipvalue), then decoupled weight decay `var -= var * weight_decay * lr`, then the update.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np
import optax

from jaxport.eager import Tensor, raw_op
from jaxport.modules.optax_transforms import (  # noqa: F401 - also tf.keras.optimizers.keras_adam & co.
    KerasAdamState,
    KerasRMSpropState,
    KerasSGDState,
    keras_adam,
    keras_rmsprop,
    keras_sgd,
)
from jaxport.variables import Variable


class LearningRateSchedule:
    """`tf.keras.optimizers.schedules.LearningRateSchedule`: `schedule(step) -> lr`."""

    def __call__(self, step: Any) -> Any:
        raise NotImplementedError


class ExponentialDecay(LearningRateSchedule):
    """lr * decay_rate ^ (step / decay_steps) (floored with staircase)."""

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float, staircase: bool = False):
        if decay_steps <= 0:
            raise ValueError(f"`decay_steps` must be positive; received {decay_steps}.")
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase

    def __call__(self, step: Any) -> Any:
        p = jnp.asarray(step, jnp.float32) / self.decay_steps
        if self.staircase:
            p = jnp.floor(p)
        return self.initial_learning_rate * jnp.asarray(self.decay_rate, jnp.float32) ** p


def _clip_pure(grads, clipnorm, global_clipnorm, clipvalue):
    if clipnorm is not None:
        grads = [g * jnp.minimum(1.0, clipnorm / jnp.maximum(jnp.sqrt(jnp.sum(g * g)), 1e-30)) for g in grads]
    if global_clipnorm is not None:
        norm = jnp.sqrt(sum(jnp.sum(g * g) for g in grads))
        scale = jnp.minimum(1.0, global_clipnorm / jnp.maximum(norm, 1e-30))
        grads = [g * scale.astype(g.dtype) for g in grads]
    if clipvalue is not None:
        grads = [jnp.clip(g, -clipvalue, clipvalue) for g in grads]
    return grads


class Optimizer:
    """`tf.keras.optimizers.Optimizer`: a stateful wrapper of an optax transform.

    Args:
      learning_rate: a float or a LearningRateSchedule.
      weight_decay: decoupled weight decay (applied before the update, scaled by lr).
      clipnorm / global_clipnorm / clipvalue: gradient clipping (at most one of the norms).
      name: the optimizer name (slot variables are named after it).
    """

    _slot_names: tuple[str, ...] = ()

    def __init__(
        self,
        learning_rate: Any = 0.001,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: Any = None,
        jit_compile: bool = True,
        name: str = "Optimizer",
        **kwargs: Any,
    ):
        kwargs.pop("is_legacy_optimizer", None)
        if kwargs:
            raise TypeError(
                f"{sorted(kwargs)[0]!r} is not a valid argument, kwargs should be empty for "
                "`optimizer_experimental.Optimizer`."
            )
        if clipnorm is not None and global_clipnorm is not None:
            raise ValueError(
                f"At most one of `clipnorm` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, global_clipnorm={global_clipnorm}."
            )
        for arg, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue), ("global_clipnorm", global_clipnorm)):
            if value is not None and value <= 0:
                raise ValueError(f"`{arg}` must be positive; received {arg}={value}.")
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self._iterations = Variable(np.int64(0), trainable=False, name="iteration")
        if isinstance(learning_rate, LearningRateSchedule) or callable(learning_rate):
            self._schedule = learning_rate
            self._learning_rate = None
        else:
            if not isinstance(learning_rate, (int, float, np.floating, np.integer, Tensor, Variable)):
                raise TypeError(
                    f"`learning_rate` must be a float or a LearningRateSchedule; received {learning_rate!r}."
                )
            self._schedule = None
            self._learning_rate = Variable(np.float32(float(learning_rate)), trainable=False, name="learning_rate")
        self._slots: dict[int, tuple[Variable, ...]] = {}
        self._built_vars: list[Variable] = []
        self._built = False  # once built, variables it was not built for are refused (as TF)

    # -- public state ------------------------------------------------------------------------
    @property
    def iterations(self) -> Variable:
        return self._iterations

    @property
    def learning_rate(self) -> Any:
        return self._schedule if self._schedule is not None else self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        if isinstance(value, LearningRateSchedule) or (callable(value) and not isinstance(value, (Tensor, Variable))):
            self._schedule, self._learning_rate = value, None
        elif self._learning_rate is None:
            self._schedule = None
            self._learning_rate = Variable(np.float32(float(value)), trainable=False, name="learning_rate")
        else:
            self._learning_rate.assign(np.float32(float(value)))

    lr = learning_rate

    @property
    def variables(self) -> list[Variable]:
        out = [self._iterations]
        for var in self._built_vars:
            out += list(self._slots[id(var)])
        return out

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
        }

    # -- slots ------------------------------------------------------------------------------
    def build(self, var_list: list[Variable]) -> None:
        """Create the slot variables of `var_list` (zeros), once per variable."""
        self._built = True
        for var in var_list:
            if id(var) in self._slots:
                continue
            base = var.name[:-2] if var.name.endswith(":0") else var.name
            slots = tuple(
                Variable(
                    np.zeros(var.shape.as_list(), var.dtype.as_numpy_dtype),
                    trainable=False,
                    name=f"{self.name}/{slot}/{base}",
                )
                for slot in self._slot_names
            )
            self._slots[id(var)] = slots
            self._built_vars.append(var)

    # -- the update -----------------------------------------------------------------------------
    def _transform(self, learning_rate: Any) -> optax.GradientTransformation:
        raise NotImplementedError

    def _state_from_slots(self, count: Any, slots: list[tuple]) -> Any:
        raise NotImplementedError

    def _slots_from_state(self, state: Any) -> list[tuple]:
        raise NotImplementedError

    def _current_lr(self) -> Any:
        if self._schedule is not None:
            return jnp.asarray(self._schedule(self._iterations._current_value()), jnp.float32)
        return self._learning_rate._current_value()

    def apply_gradients(
        self, grads_and_vars: Any, name: str | None = None, skip_gradients_aggregation: bool = False, **kwargs: Any
    ) -> Variable:
        """Apply one update step to each variable with a gradient; returns `iterations`.

        Raises:
          ValueError: no variable has a gradient, or a gradient's shape differs from its variable's.
        """
        pairs = list(grads_and_vars)
        for pair in pairs:
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValueError(f"`grads_and_vars` must be (gradient, variable) pairs; received {pair!r}.")
        if not self._built:  # TF builds for every variable given, with or without a gradient
            self.build([v for _, v in pairs if isinstance(v, Variable)])
        present = [(g, v) for g, v in pairs if g is not None]
        if not present:
            names = [getattr(v, "name", repr(v)) for _, v in pairs]
            raise ValueError(f"No gradients provided for any variable: {names}. Provided `grads_and_vars` is {pairs}.")
        grads, variables = [], []
        for g, v in present:
            if not isinstance(v, Variable):
                raise TypeError(f"Expected a tf.Variable in `grads_and_vars`; received {v!r}.")
            graw = (
                g._value
                if isinstance(g, Tensor)
                else (g._current_value() if isinstance(g, Variable) else jnp.asarray(g))
            )
            if tuple(graw.shape) != tuple(v.shape):
                raise ValueError(
                    f"Gradient shape {tuple(graw.shape)} does not match the shape "
                    f"{tuple(v.shape)} of variable {v.name}."
                )
            if id(v) not in self._slots:
                raise KeyError(
                    f"The optimizer cannot recognize variable {v.name}. This usually means you are trying to call "
                    "the optimizer to update different parts of the model separately. Please call "
                    "`optimizer.build(variables)` with the full list of trainable variables before the training "
                    f"loop or use legacy optimizer `tf.keras.optimizers.legacy.{type(self).__name__}."
                )
            grads.append(graw.astype(v.dtype.as_numpy_dtype))
            variables.append(v)
        from jaxport.parallel import aggregate_gradients

        grads = aggregate_gradients(grads)
        slots = [self._slots[id(v)] for v in variables]
        params = [v._current_value() for v in variables]
        slot_values = [tuple(s._current_value() for s in group) for group in slots]
        new_params, new_slots, new_count = raw_op(
            _apply_pure,
            self._iterations._current_value(),
            self._current_lr(),
            grads,
            params,
            slot_values,
            optimizer=self._static_key(),
        )
        for var, value in zip(variables, new_params):
            constraint = var.constraint
            var._set_current_value(value)
            if constraint is not None:
                var.assign(constraint(var))
        for group, values in zip(slots, new_slots):
            for slot, value in zip(group, values):
                slot._set_current_value(value)
        self._iterations._set_current_value(new_count)
        return self._iterations

    def _static_key(self) -> tuple:
        return (type(self), self._hyper(), self.weight_decay, self.clipnorm, self.global_clipnorm, self.clipvalue)

    def _hyper(self) -> tuple:
        return ()

    def minimize(self, loss: Any, var_list: Any, tape: Any = None) -> Variable:
        """Compute gradients of `loss` (a callable, or a Tensor with `tape`) and apply them."""
        from jaxport.grad import GradientTape

        if tape is None:
            if not callable(loss):
                raise ValueError(
                    f"`tape` is required when a `Tensor` loss is passed. Received: loss={loss}, tape={tape}."
                )
            with GradientTape() as tape:
                loss = loss()
        var_list = var_list() if callable(var_list) else var_list
        grads = tape.gradient(loss, var_list)
        return self.apply_gradients(zip(grads, var_list))


def _apply_pure(count, lr, grads, params, slot_values, optimizer):
    cls, hyper, weight_decay, clipnorm, global_clipnorm, clipvalue = optimizer
    grads = _clip_pure(grads, clipnorm, global_clipnorm, clipvalue)
    if weight_decay:
        params = [p - p * jnp.asarray(weight_decay, p.dtype) * lr.astype(p.dtype) for p in params]
    tx, to_state, from_state = cls._pure_parts(hyper, lr)
    state = to_state(count, slot_values)
    updates, new_state = tx.update(grads, state, params)
    new_params = optax.apply_updates(params, updates)
    new_slots = from_state(new_state)
    return new_params, new_slots if new_slots is not None else [()] * len(params), count + 1


class Adam(Optimizer):
    """`tf.keras.optimizers.Adam` (Keras numerics; epsilon 1e-7 added to sqrt(v))."""

    _slot_names = ("m", "v")

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
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = (
            float(beta_1),
            float(beta_2),
            float(epsilon),
            bool(amsgrad),
        )
        if amsgrad:
            self._slot_names = ("m", "v", "vhat")

    def _hyper(self) -> tuple:
        return (self.beta_1, self.beta_2, self.epsilon, self.amsgrad)

    @staticmethod
    def _pure_parts(hyper, lr):
        beta_1, beta_2, epsilon, amsgrad = hyper
        tx = keras_adam(lr, beta_1, beta_2, epsilon, amsgrad)

        def to_state(count, slots):
            mu = [s[0] for s in slots]
            nu = [s[1] for s in slots]
            vhat = [s[2] for s in slots] if amsgrad else None
            return KerasAdamState(count, mu, nu, vhat)

        def from_state(state):
            if amsgrad:
                return [(m, v, vh) for m, v, vh in zip(state.mu, state.nu, state.vhat)]
            return [(m, v) for m, v in zip(state.mu, state.nu)]

        return tx, to_state, from_state

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            learning_rate=float(self._learning_rate.numpy()) if self._learning_rate is not None else None,
            beta_1=self.beta_1,
            beta_2=self.beta_2,
            epsilon=self.epsilon,
            amsgrad=self.amsgrad,
        )
        return config


class SGD(Optimizer):
    """`tf.keras.optimizers.SGD` (optional momentum and Nesterov)."""

    def __init__(
        self, learning_rate: Any = 0.01, momentum: float = 0.0, nesterov: bool = False, name: str = "SGD", **kwargs: Any
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not isinstance(momentum, (int, float)) or not 0 <= momentum <= 1:
            raise ValueError(
                f"`momentum` must be a float between [0, 1]. Received: momentum={momentum} (of type {type(momentum)})."
            )
        self.momentum, self.nesterov = float(momentum), bool(nesterov)
        self._slot_names = ("m",)  # TF's SGD builds its momentum slots even when momentum is 0

    def _hyper(self) -> tuple:
        return (self.momentum, self.nesterov)

    @staticmethod
    def _pure_parts(hyper, lr):
        momentum, nesterov = hyper
        tx = keras_sgd(lr, momentum, nesterov)

        def to_state(count, slots):
            return KerasSGDState(count, [s[0] for s in slots] if momentum else None)

        def from_state(state):
            return [(m,) for m in state.momentum] if momentum else None

        return tx, to_state, from_state


class RMSprop(Optimizer):
    """`tf.keras.optimizers.RMSprop` (Keras numerics: epsilon inside the square root)."""

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
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = (
            float(rho),
            float(momentum),
            float(epsilon),
            bool(centered),
        )
        self._slot_names = (
            ("velocity",) + (("momentum",) if momentum else ()) + (("average_gradient",) if centered else ())
        )

    def _hyper(self) -> tuple:
        return (self.rho, self.momentum, self.epsilon, self.centered)

    @staticmethod
    def _pure_parts(hyper, lr):
        rho, momentum, epsilon, centered = hyper
        tx = keras_rmsprop(lr, rho, momentum, epsilon, centered)

        def to_state(count, slots):
            columns = list(zip(*slots)) if slots else [(), (), ()]
            velocity = list(columns[0])
            rest = iter(columns[1:])
            moms = list(next(rest)) if momentum else None
            avgs = list(next(rest)) if centered else None
            return KerasRMSpropState(count, velocity, moms, avgs)

        def from_state(state):
            parts = (
                [state.velocity]
                + ([state.momentum] if momentum else [])
                + ([state.average_gradient] if centered else [])
            )
            return [tuple(group) for group in zip(*parts)]

        return tx, to_state, from_state

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            learning_rate=float(self._learning_rate.numpy()) if self._learning_rate is not None else None,
            rho=self.rho,
            momentum=self.momentum,
            epsilon=self.epsilon,
            centered=self.centered,
        )
        return config


_BY_NAME = {"adam": Adam, "sgd": SGD, "rmsprop": RMSprop}


def get(identifier: Any) -> Optimizer:
    """An optimizer from a name ('adam') or an Optimizer instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")
