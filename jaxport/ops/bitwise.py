"""The `tf.bitwise` namespace."""

from jaxport.ops.math_ops import bitwise_and, bitwise_or, bitwise_xor, invert, left_shift, right_shift  # noqa: F401
