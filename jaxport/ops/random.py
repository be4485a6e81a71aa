"""The `tf.random` namespace."""

from jaxport.ops.random_generator import Generator, get_global_generator, set_global_generator  # noqa: F401
from jaxport.ops.random_ops import (  # noqa: F401
    categorical,
    normal,
    set_seed,
    shuffle,
    stateless_normal,
    stateless_uniform,
    truncated_normal,
    uniform,
)
