"""`tf.keras.preprocessing`: the NumPy-side text and sequence helpers of Keras 2."""

from jaxport.keras.preprocessing import sequence, text  # noqa: F401

__all__ = ["sequence", "text"]
