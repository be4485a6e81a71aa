"""Keras's optimizer numerics as `optax.GradientTransformation`s, for pure-JAX users.

`keras_sgd`, `keras_lion`, `keras_adam` (AdamW = `optax.chain(keras_adam(lr),
keras_weight_decay(lr, wd))`), `keras_adamax`, `keras_nadam`, `keras_rmsprop`, `keras_adagrad`, `keras_adadelta`,
`keras_ftrl`, `keras_adafactor` and the legacy `keras_legacy_adagrad` / `keras_legacy_nadam` compose with optax
(`optax.chain(optax.clip_by_global_norm(1.0), keras_adam(1e-3))`); their state fields are
Keras's slot names. They live in `jaxport.modules.optimizers.transforms_*`, where the
stateful Keras optimizers wrap them.
"""

from jaxport.modules.optimizers.legacy import keras_legacy_adagrad, keras_legacy_nadam
from jaxport.modules.optimizers.transforms_adam import (
    KerasAdamaxState,
    KerasAdamState,
    KerasNadamState,
    keras_adam,
    keras_adamax,
    keras_nadam,
)
from jaxport.modules.optimizers.transforms_adaptive import (
    KerasAdadeltaState,
    KerasAdafactorState,
    KerasAdagradState,
    KerasFtrlState,
    KerasRMSpropState,
    keras_adadelta,
    keras_adafactor,
    keras_adagrad,
    keras_ftrl,
    keras_rmsprop,
)
from jaxport.modules.optimizers.transforms_common import KerasWeightDecayState, keras_weight_decay
from jaxport.modules.optimizers.transforms_sgd import KerasLionState, KerasSGDState, keras_lion, keras_sgd

__all__ = [
    "keras_sgd",
    "keras_lion",
    "keras_adam",
    "keras_adamax",
    "keras_nadam",
    "keras_rmsprop",
    "keras_adagrad",
    "keras_adadelta",
    "keras_ftrl",
    "keras_adafactor",
    "keras_legacy_adagrad",
    "keras_legacy_nadam",
    "keras_weight_decay",
    "KerasWeightDecayState",
    "KerasSGDState",
    "KerasLionState",
    "KerasAdamState",
    "KerasAdamaxState",
    "KerasNadamState",
    "KerasRMSpropState",
    "KerasAdagradState",
    "KerasAdadeltaState",
    "KerasFtrlState",
    "KerasAdafactorState",
]
