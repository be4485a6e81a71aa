"""`tf.keras.optimizers.experimental`: tf_keras 2.21 keeps the 2.11+ optimizers here too (the same classes)."""

from jaxport.modules.optimizers.adam import Adam, Adamax, AdamW, Nadam
from jaxport.modules.optimizers.adaptive import Adadelta, Adafactor, Adagrad, Ftrl, RMSprop
from jaxport.modules.optimizers.base import Optimizer
from jaxport.modules.optimizers.sgd import SGD

__all__ = [
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "SGD",
]
