"""The `tf.keras` namespace (Keras 2 semantics, as `tf_keras`)."""

from jaxport.keras import backend  # noqa: F401
from jaxport.modules import activations, callbacks, initializers, losses, metrics, optimizers  # noqa: F401
from jaxport.modules import layers  # noqa: F401
from jaxport.modules.model import Model, Sequential  # noqa: F401
