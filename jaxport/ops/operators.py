"""Python operators on Tensor and Variable, mapped to the dispatched `tf.math` ops."""

from __future__ import annotations

from jaxport.eager import TensorOperators
from jaxport.ops import array_ops, math_ops
from jaxport.ops._helpers import binary_inputs

_and = math_ops._boolean_or_bitwise(math_ops.logical_and, math_ops.bitwise_and)
_or = math_ops._boolean_or_bitwise(math_ops.logical_or, math_ops.bitwise_or)
_xor = math_ops._boolean_or_bitwise(math_ops.logical_xor, math_ops.bitwise_xor)


def _install() -> None:
    ops = {
        "__add__": lambda x, y: math_ops.add(x, y),
        "__radd__": lambda x, y: math_ops.add(*reversed(binary_inputs(x, y, "AddV2"))),  # y takes x's dtype
        "__sub__": lambda x, y: math_ops.subtract(x, y),
        "__rsub__": lambda x, y: math_ops.subtract(y, x),
        "__mul__": lambda x, y: math_ops.multiply(x, y),
        "__rmul__": lambda x, y: math_ops.multiply(y, x),
        "__truediv__": lambda x, y: math_ops.divide(x, y),
        "__rtruediv__": lambda x, y: math_ops.divide(y, x),
        "__floordiv__": lambda x, y: math_ops.floordiv(x, y),
        "__rfloordiv__": lambda x, y: math_ops.floordiv(y, x),
        "__mod__": lambda x, y: math_ops.floormod(x, y),
        "__rmod__": lambda x, y: math_ops.floormod(y, x),
        "__pow__": lambda x, y: math_ops.pow(x, y),
        "__rpow__": lambda x, y: math_ops.pow(y, x),
        "__matmul__": lambda x, y: math_ops.matmul(x, y),
        "__rmatmul__": lambda x, y: math_ops.matmul(y, x),
        "__neg__": lambda x: math_ops.negative(x),
        "__pos__": lambda x: x,
        "__abs__": lambda x: math_ops.abs(x),
        "__invert__": math_ops.invert_or_not,
        "__and__": lambda x, y: _and(x, y),
        "__rand__": lambda x, y: _and(y, x),
        "__or__": lambda x, y: _or(x, y),
        "__ror__": lambda x, y: _or(y, x),
        "__xor__": lambda x, y: _xor(x, y),
        "__rxor__": lambda x, y: _xor(y, x),
        "__lt__": lambda x, y: math_ops.less(x, y),
        "__le__": lambda x, y: math_ops.less_equal(x, y),
        "__gt__": lambda x, y: math_ops.greater(x, y),
        "__ge__": lambda x, y: math_ops.greater_equal(x, y),
        "__getitem__": lambda x, i: array_ops.getitem(x, i),
    }
    for name, fn in ops.items():
        setattr(TensorOperators, name, fn)

    def _eq(x, y):
        if y is None:
            return False
        try:
            return math_ops.equal(x, y)
        except (TypeError, ValueError):
            return False

    def _ne(x, y):
        if y is None:
            return True
        try:
            return math_ops.not_equal(x, y)
        except (TypeError, ValueError):
            return True

    TensorOperators.__eq__ = _eq
    TensorOperators.__ne__ = _ne


_install()
