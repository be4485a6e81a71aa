"""`tf.keras.optimizers`: Keras 2.11+ optimizers (as tf_keras 2.21) on optax transforms.

Each optimizer's numerics are an ordinary `optax.GradientTransformation` with Keras's formulas
(`keras_adam`, `keras_sgd`, ... in `transforms_*.py`; also importable from
`jaxport.modules.optax_transforms`), usable in `optax.chain` on plain JAX pytrees. The
Keras-style classes (`base.Optimizer`) keep that state in slot Variables named and ordered as
Keras's, and add Keras's learning-rate Variable or schedule, clipping, weight decay, EMA and
`iterations`. `legacy` holds the pre-2.11 OptimizerV2 versions, `experimental` the same
2.11+ classes, `schedules` the learning-rate schedules (also optax schedules).
"""

from jaxport.modules.optimizers import experimental, legacy, schedules
from jaxport.modules.optimizers.adam import Adam, Adamax, AdamW, Nadam
from jaxport.modules.optimizers.adaptive import Adadelta, Adafactor, Adagrad, Ftrl, RMSprop
from jaxport.modules.optimizers.base import Optimizer
from jaxport.modules.optimizers.serialization import deserialize, get, serialize
from jaxport.modules.optimizers.sgd import SGD, Lion
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
from jaxport.modules.optimizers.transforms_sgd import KerasLionState, KerasSGDState, keras_lion, keras_sgd

__all__ = [
    "Optimizer",
    "SGD",
    "Adam",
    "AdamW",
    "Adamax",
    "Nadam",
    "RMSprop",
    "Adagrad",
    "Adadelta",
    "Adafactor",
    "Ftrl",
    "Lion",
    "get",
    "serialize",
    "deserialize",
    "experimental",
    "legacy",
    "schedules",
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
