"""The `tf.random` namespace."""

from jaxport.ops.random_ops import normal, set_seed, uniform  # noqa: F401
