"""`tf.keras.backend`: the session-level helpers ported code calls."""

from jaxport.modules import naming


def clear_session() -> None:
    """Reset Keras's layer-name counters (as `tf.keras.backend.clear_session`)."""
    naming.reset()


def epsilon() -> float:
    """The fuzz factor Keras adds in losses (1e-7)."""
    return 1e-7


def floatx() -> str:
    """The default float type."""
    return "float32"
