"""`tf.keras.optimizers` RMSprop, Adagrad, Adadelta, Ftrl and Adafactor (Keras 2.11+ optimizers)."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaxport.modules.optimizers.base import Optimizer
from jaxport.modules.optimizers.schedules import LearningRateSchedule
from jaxport.modules.optimizers.transforms_adaptive import (
    KerasAdadeltaState,
    KerasAdafactorState,
    KerasAdagradState,
    KerasFtrlState,
    KerasRMSpropState,
    adafactor_factor_shapes,
    keras_adadelta,
    keras_adafactor,
    keras_adagrad,
    keras_ftrl,
    keras_rmsprop,
)


class RMSprop(Optimizer):
    """`tf.keras.optimizers.RMSprop` (epsilon inside the root; see `keras_rmsprop`).

    Slots: all `velocity`, then all `momentum` (momentum > 0), then all `average_gradient`
    (centered). Keras's default `ema_overwrite_frequency` here is 100.
    """

    _state_type = KerasRMSpropState

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = 100,
        jit_compile: bool = True,
        name: str = "RMSprop",
        **kwargs: Any,
    ):
        super().__init__(
            name, weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, jit_compile, **kwargs,
        )  # fmt: skip
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered

    def _slot_groups(self):
        groups = [("velocity",)]
        if self.momentum > 0:
            groups.append(("momentum",))
        if self.centered:
            groups.append(("average_gradient",))
        return tuple(groups)

    def _hyper(self):
        return (float(self.rho), float(self.momentum), float(self.epsilon), bool(self.centered))

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_rmsprop(learning_rate, *hyper)

    def _hyper_config(self):
        return {"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon, "centered": self.centered}


class Adagrad(Optimizer):
    """`tf.keras.optimizers.Adagrad` (slot `accumulator`, from `initial_accumulator_value`)."""

    _state_type = KerasAdagradState

    def __init__(
        self,
        learning_rate: Any = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        jit_compile: bool = True,
        name: str = "Adagrad",
        **kwargs: Any,
    ):
        super().__init__(
            name, weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, jit_compile, **kwargs,
        )  # fmt: skip
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.initial_accumulator_value, self.epsilon = initial_accumulator_value, epsilon

    def _slot_groups(self):
        return (("accumulator",),)

    def _slot_initial(self, slot, var):
        return np.full(var.shape.as_list(), self.initial_accumulator_value, var.dtype.as_numpy_dtype), True

    def _hyper(self):
        return (float(self.initial_accumulator_value), float(self.epsilon))

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_adagrad(learning_rate, *hyper)

    def _hyper_config(self):
        return {"initial_accumulator_value": self.initial_accumulator_value, "epsilon": self.epsilon}


class Adadelta(Optimizer):
    """`tf.keras.optimizers.Adadelta` (slots `accumulated_grad`, `accumulated_delta_var`)."""

    _state_type = KerasAdadeltaState

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.95,
        epsilon: float = 1e-7,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        jit_compile: bool = True,
        name: str = "Adadelta",
        **kwargs: Any,
    ):
        super().__init__(
            name, weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, jit_compile, **kwargs,
        )  # fmt: skip
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.rho, self.epsilon = rho, epsilon

    def _slot_groups(self):
        return (("accumulated_grad", "accumulated_delta_var"),)

    def _hyper(self):
        return (float(self.rho), float(self.epsilon))

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_adadelta(learning_rate, *hyper)

    def _hyper_config(self):
        return {"rho": self.rho, "epsilon": self.epsilon}


class Ftrl(Optimizer):
    """`tf.keras.optimizers.Ftrl` (FTRL-Proximal with l1 / l2 / l2-shrinkage and `beta`;
    slots `accumulator`, `linear`).

    Raises:
      ValueError: a negative `initial_accumulator_value` or regularization strength, or a
        positive `learning_rate_power`.
    """

    _state_type = KerasFtrlState

    def __init__(
        self,
        learning_rate: Any = 0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        jit_compile: bool = True,
        name: str = "Ftrl",
        **kwargs: Any,
    ):
        super().__init__(
            name, weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, jit_compile, **kwargs,
        )  # fmt: skip
        for arg, value, wants in (
            ("initial_accumulator_value", initial_accumulator_value, "positive or zero"),
            ("learning_rate_power", learning_rate_power, "negative or zero"),
            ("l1_regularization_strength", l1_regularization_strength, "positive or zero"),
            ("l2_regularization_strength", l2_regularization_strength, "positive or zero"),
            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength, "positive or zero"),
        ):
            if (value > 0.0) if wants == "negative or zero" else (value < 0.0):
                raise ValueError(f"`{arg}` needs to be {wants}. Received: {arg}={value}.")
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def _slot_groups(self):
        return (("accumulator", "linear"),)

    def _slot_initial(self, slot, var):
        fill = self.initial_accumulator_value if slot == "accumulator" else 0.0
        return np.full(var.shape.as_list(), fill, var.dtype.as_numpy_dtype), True

    def _hyper(self):
        return tuple(float(v) for v in self._hyper_config().values())

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_ftrl(learning_rate, *hyper)

    def _hyper_config(self):
        return {
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }


class Adafactor(Optimizer):
    """`tf.keras.optimizers.Adafactor` (factored second moments; see `keras_adafactor`).

    Slots per variable: `r`, `c` (listed only for rank >= 2 variables, as Keras), then `v`.
    `relative_step` is ignored with a learning-rate schedule, as in Keras.
    """

    _state_type = KerasAdafactorState

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_2_decay: float = -0.8,
        epsilon_1: float = 1e-30,
        epsilon_2: float = 1e-3,
        clip_threshold: float = 1.0,
        relative_step: bool = True,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        jit_compile: bool = True,
        name: str = "Adafactor",
        **kwargs: Any,
    ):
        super().__init__(
            name, weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, jit_compile, **kwargs,
        )  # fmt: skip
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.beta_2_decay, self.epsilon_1, self.epsilon_2 = beta_2_decay, epsilon_1, epsilon_2
        self.clip_threshold, self.relative_step = clip_threshold, relative_step

    def _slot_groups(self):
        return (("r", "c", "v"),)

    def _slot_initial(self, slot, var):
        dtype = var.dtype.as_numpy_dtype
        if slot == "v":
            return np.zeros(var.shape.as_list(), dtype), True
        shapes = adafactor_factor_shapes(tuple(var.shape.as_list()))
        if shapes is None:
            return np.zeros((), dtype), False  # Keras keeps a plain scalar, outside `variables`
        return np.zeros(shapes[0 if slot == "r" else 1], dtype), True

    def _hyper(self):
        relative = bool(self.relative_step) and not isinstance(self._learning_rate, LearningRateSchedule)
        return (
            float(self.beta_2_decay), float(self.epsilon_1), float(self.epsilon_2), float(self.clip_threshold),
            relative,
        )  # fmt: skip

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_adafactor(learning_rate, *hyper)

    def _hyper_config(self):
        return {
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }
