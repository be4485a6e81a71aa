"""The `tf.linalg` namespace."""

from jaxport.ops.array_ops import transpose  # noqa: F401
from jaxport.ops.math_ops import matmul  # noqa: F401
