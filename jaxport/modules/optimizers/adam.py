"""`tf.keras.optimizers` Adam, AdamW, Adamax and Nadam (Keras 2.11+ optimizers)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport.context import state as _state
from jaxport.modules.optimizers.base import Optimizer
from jaxport.modules.optimizers.transforms_adam import (
    KerasAdamaxState,
    KerasAdamState,
    KerasNadamState,
    keras_adam,
    keras_adamax,
    keras_nadam,
    nadam_leaf,
    nadam_momentum_cache,
)
from jaxport.modules.optimizers.transforms_common import leafwise, learning_rate_at
from jaxport.variables import Variable


class Adam(Optimizer):
    """`tf.keras.optimizers.Adam` (Keras numerics: epsilon added to `sqrt(v)`; see `keras_adam`).

    Slots: `m`, `v` per variable (interleaved), then `vhat` for all with `amsgrad`.
    """

    _state_type = KerasAdamState

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        jit_compile: bool = True,
        name: str = "Adam",
        **kwargs: Any,
    ):
        super().__init__(
            name, weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, jit_compile, **kwargs,
        )  # fmt: skip
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, amsgrad

    def _slot_groups(self):
        return (("m", "v"), ("vhat",)) if self.amsgrad else (("m", "v"),)

    def _hyper(self):
        return (float(self.beta_1), float(self.beta_2), float(self.epsilon), bool(self.amsgrad))

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_adam(learning_rate, *hyper)

    def _hyper_config(self):
        return {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "amsgrad": self.amsgrad}


class AdamW(Adam):
    """`tf.keras.optimizers.AdamW`: Adam with decoupled weight decay (default 0.004),
    `w -= w * weight_decay * lr` before each Adam step (Loshchilov & Hutter).

    Raises:
      ValueError: `weight_decay` is None.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        jit_compile: bool = True,
        name: str = "AdamW",
        **kwargs: Any,
    ):
        super().__init__(
            learning_rate, beta_1, beta_2, epsilon, amsgrad, None, clipnorm, clipvalue, global_clipnorm,
            use_ema, ema_momentum, ema_overwrite_frequency, jit_compile, name, **kwargs,
        )  # fmt: skip
        self.weight_decay = weight_decay
        if weight_decay is None:
            raise ValueError("Missing value of `weight_decay` which is required and must be a float value.")


class Adamax(Optimizer):
    """`tf.keras.optimizers.Adamax` (Adam with the infinity norm; slots `m`, `u`)."""

    _state_type = KerasAdamaxState

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        jit_compile: bool = True,
        name: str = "Adamax",
        **kwargs: Any,
    ):
        super().__init__(
            name, weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, jit_compile, **kwargs,
        )  # fmt: skip
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def _slot_groups(self):
        return (("m", "u"),)

    def _hyper(self):
        return (float(self.beta_1), float(self.beta_2), float(self.epsilon))

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_adamax(learning_rate, *hyper)

    def _hyper_config(self):
        return {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}


class Nadam(Optimizer):
    """`tf.keras.optimizers.Nadam` (slots `m`, `v`; the momentum product is a hidden Variable).

    Keras caches the momentum product `u_product` per step with a Python counter compared
    against `iterations + 2` for each variable. Eagerly that multiplies it once per step; in a
    traced function the counter advances once per variable at trace time (twice over when the
    trace creates the optimizer's variables, since TF traces that call again), so the compiled
    step multiplies it by `u_t` for every variable whose baked-in counter differs from
    `iterations + 2`. jaxport replays that counter, so compiled Nadam steps (and `fit`) give TF's
    numbers; the bare `keras_nadam` transform multiplies once per step.
    """

    _state_type = KerasNadamState
    _extra_fields = ("u_product",)

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        jit_compile: bool = True,
        name: str = "Nadam",
        **kwargs: Any,
    ):
        super().__init__(
            name, weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, jit_compile, **kwargs,
        )  # fmt: skip
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def _slot_groups(self):
        return (("m", "v"),)

    def _build_extras(self, var_list):
        dtype = var_list[0].dtype.as_numpy_dtype if var_list else np.float32
        self._extras["u_product"] = Variable(np.asarray(1.0, dtype), trainable=False, name="Variable")
        self._u_product_counter = 1

    def _aux_inputs(self, variables):
        count = self._iterations._current_value()
        traced = _state.trace is not None or isinstance(count, jax.core.Tracer)
        counters = []
        for _ in variables:
            counters.append(self._u_product_counter)
            if traced or self._u_product_counter != int(count) + 2:
                self._u_product_counter += 1
        return np.asarray(counters, np.int64)

    def _hyper(self):
        return (float(self.beta_1), float(self.beta_2), float(self.epsilon))

    @classmethod
    def _make_transform(cls, hyper, learning_rate):
        return keras_nadam(learning_rate, *hyper)

    @classmethod
    def _pure_update(cls, hyper, lr, grads, state, params, aux):
        beta_1, beta_2, epsilon = hyper
        lr = learning_rate_at(lr, state.count)
        t = state.count + 1
        u_product = state.u_product
        u_t = nadam_momentum_cache(beta_1, t, u_product.dtype)
        products = []
        for counter in aux:  # one cached-or-multiplied product per variable, in order
            u_product = jnp.where(counter == state.count + 2, u_product, u_product * u_t)
            products.append(u_product)
        products_tree = jax.tree.unflatten(jax.tree.structure(grads), products)

        def one(g, m, v, p):
            return nadam_leaf(g, m, v, lr, beta_1, beta_2, epsilon, t, p)

        updates, m, v = leafwise(one, 3, grads, state.m, state.v, products_tree)
        return updates, KerasNadamState(t, m, v, u_product)

    def _hyper_config(self):
        return {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
