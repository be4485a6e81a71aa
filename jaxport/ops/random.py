"""The `tf.random` namespace."""

from jaxport.ops.random_generator import Generator, get_global_generator, set_global_generator  # noqa: F401
from jaxport.ops.random_ops import (  # noqa: F401
    categorical,
    normal,
    set_seed,
    shuffle,
    truncated_normal,
    uniform,
)
from jaxport.ops.stateless_random_ops import (  # noqa: F401
    stateless_categorical,
    stateless_normal,
    stateless_truncated_normal,
    stateless_uniform,
)
