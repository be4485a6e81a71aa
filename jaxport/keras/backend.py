"""`tf.keras.backend`: the session-level helpers ported code calls."""

from jaxport.modules import naming
from jaxport.modules.losses.backend import (  # noqa: F401 - tf.keras.backend's cross-entropies
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    sparse_categorical_crossentropy,
)


def clear_session() -> None:
    """Reset Keras's layer-name counters (as `tf.keras.backend.clear_session`)."""
    naming.reset()


def epsilon() -> float:
    """The fuzz factor Keras adds in losses (1e-7)."""
    return 1e-7


def floatx() -> str:
    """The default float type."""
    return "float32"
