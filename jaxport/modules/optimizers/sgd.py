"""`tf.keras.optimizers.SGD` and `tf.keras.optimizers.Lion` (Keras 2.11+ optimizers)."""

from __future__ import annotations

from typing import Any

from jaxport.modules.optimizers.base import Optimizer
from jaxport.modules.optimizers.transforms_sgd import KerasLionState, KerasSGDState, keras_lion, keras_sgd


class SGD(Optimizer):
    """`tf.keras.optimizers.SGD`: gradient descent with optional momentum and Nesterov momentum.

    Its slot `m` exists (and moves, `m = -lr*g`) even when `momentum` is 0, as in Keras.

    Raises:
      ValueError: `momentum` outside [0, 1].
    """

    _state_type = KerasSGDState

    def __init__(
        self,
        learning_rate: Any = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        jit_compile: bool = True,
        name: str = "SGD",
        **kwargs: Any,
    ):
        super().__init__(
            name, weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, jit_compile, **kwargs,
        )  # fmt: skip
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.momentum, self.nesterov = momentum, nesterov
        if isinstance(momentum, (int, float)) and (momentum < 0 or momentum > 1):
            raise ValueError("`momentum` must be between [0, 1].")

    def _slot_groups(self):
        return (("m",),)

    def _hyper(self):
        return (float(self.momentum), bool(self.nesterov))

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_sgd(learning_rate, *hyper)

    def _hyper_config(self):
        return {"momentum": self.momentum, "nesterov": self.nesterov}


class Lion(Optimizer):
    """`tf.keras.optimizers.Lion` (Chen et al. 2023): sign of an interpolated momentum.

    Raises:
      ValueError: `beta_1` outside ]0, 1].
    """

    _state_type = KerasLionState

    def __init__(
        self,
        learning_rate: Any = 0.0001,
        beta_1: float = 0.9,
        beta_2: float = 0.99,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        jit_compile: bool = True,
        name: str = "Lion",
        **kwargs: Any,
    ):
        super().__init__(
            name, weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, jit_compile, **kwargs,
        )  # fmt: skip
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.beta_1, self.beta_2 = beta_1, beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                f"`beta_1`={beta_1} must be between ]0, 1]. Otherwise, the optimizer degenerates to SignSGD."
            )

    def _slot_groups(self):
        return (("m",),)

    def _hyper(self):
        return (float(self.beta_1), float(self.beta_2))

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_lion(learning_rate, *hyper)

    def _hyper_config(self):
        return {"beta_1": self.beta_1, "beta_2": self.beta_2}
