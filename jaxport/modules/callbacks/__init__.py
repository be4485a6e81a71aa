"""`tf.keras.callbacks`: Keras 2's callbacks and the list fit / evaluate / predict drive."""

from jaxport.modules.callbacks.base import Callback, History, LambdaCallback
from jaxport.modules.callbacks.callback_list import CallbackList
from jaxport.modules.callbacks.csv_logger import CSVLogger
from jaxport.modules.callbacks.progbar_logger import ProgbarLogger
from jaxport.modules.callbacks.training_control import (
    EarlyStopping,
    LearningRateScheduler,
    ReduceLROnPlateau,
    TerminateOnNaN,
)

__all__ = [
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "TerminateOnNaN",
]
