"""`tf.keras.models`: the model classes, `clone_model`, `model_from_config`."""

from jaxport.modules.cloning import clone_model, model_from_config  # noqa: F401
from jaxport.modules.model import Model, Sequential  # noqa: F401
