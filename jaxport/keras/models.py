"""`tf.keras.models`: the model classes."""

from jaxport.modules.model import Model, Sequential  # noqa: F401
