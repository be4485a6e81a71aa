"""Elementwise `tf.math` ops (and the top-level `tf.add`, `tf.maximum`, ...) as dispatched
pure jnp functions, with TF's dtype rules and TF's gradient conventions where they differ
from JAX's (`abs` at 0, `maximum`/`minimum` at ties, `pow` at x <= 0, no gradient through
`floor`/`round`/`floordiv`)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.special as jsp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.composite_tensor import CompositeTensor, composite_op
from jaxport.eager import Tensor, dispatch, is_tensor
from jaxport.ops._gradients import abs_tf as _abs_tf
from jaxport.ops._gradients import maximum_tf as _maximum_tf
from jaxport.ops._gradients import minimum_tf as _minimum_tf
from jaxport.ops._gradients import not_differentiable
from jaxport.ops._gradients import pow_tf as _pow_tf
from jaxport.ops._gradients import softplus_tf as _softplus_tf
from jaxport.ops._gradients import xlog1py_tf as _xlog1py_tf
from jaxport.ops._gradients import xlogy_tf as _xlogy_tf
from jaxport.ops._helpers import (
    FLOATS,
    FLOATS_COMPLEX,
    as_input,
    binary_inputs,
    check_broadcastable,
    check_dtype,
    concrete,
    dims_text,
    dispatch_folded,
    hinted_inputs,
    is_floating,
    is_tracing,
    op_error,
    pure_op,
    python_value,
    same_dtype_inputs,
    shape_of,
)

# -- elementwise binary ------------------------------------------------------------------


def _broadcast_error(a: Any, b: Any, op_name: str) -> None:
    try:
        check_broadcastable(shape_of(a), shape_of(b))
    except ValueError:
        raise op_error(f"Incompatible shapes: {list(a.shape)} vs. {list(b.shape)}", op_name) from None


def _binary(jnp_fn, op_name: str, float_fn=None, differentiable: bool = True, allowed: str | None = None, convert=None):
    """A TF binary op: broadcasting, one dtype for both inputs; `float_fn` (TF's gradient
    convention) replaces `jnp_fn` for floating inputs; `allowed` restricts the dtypes;
    `convert` turns the two arguments into tensors (`binary_inputs` by default)."""
    convert = convert or binary_inputs

    @pure_op(op_name)
    def pure(a, b):
        return jnp_fn(a, b)

    pure.__name__ = f"_{op_name}"
    float_pure = pure
    if float_fn is not None:

        @pure_op(op_name)
        def float_pure(a, b):
            return float_fn(a, b)

        float_pure.__name__ = f"_{op_name}_float"
    if not differentiable:
        not_differentiable(pure)
        not_differentiable(float_pure)

    def op(x: Any, y: Any, name: str | None = None) -> Tensor:
        if isinstance(x, CompositeTensor) or isinstance(y, CompositeTensor):  # tf.RaggedTensor values
            return composite_op(op, (x, y))
        a, b = convert(x, y, op_name)
        if allowed is not None:
            check_dtype(a, op_name, allowed)
        fn = float_pure if float_fn is not None and is_floating(a) else pure
        try:
            return dispatch_folded(fn, a, b)
        except errors.InvalidArgumentError:
            _broadcast_error(a, b, op_name)
            raise

    op.__name__ = op.__qualname__ = op_name
    op.__doc__ = f"`tf.math` `{op_name}`: elementwise with broadcasting; both inputs of one dtype."
    return op


add = _binary(jnp.add, "AddV2", convert=hinted_inputs)  # TF's AddV2 converts `y` with a dtype hint
subtract = _binary(jnp.subtract, "Sub")
multiply = _binary(jnp.multiply, "Mul")
maximum = _binary(jnp.maximum, "Maximum", _maximum_tf)
minimum = _binary(jnp.minimum, "Minimum", _minimum_tf)
squared_difference = _binary(lambda a, b: jnp.square(a - b), "SquaredDifference")
floormod = mod = _binary(jnp.mod, "FloorMod")
atan2 = _binary(jnp.arctan2, "Atan2", allowed=FLOATS)
xlogy = _binary(jsp.xlogy, "Xlogy", _xlogy_tf, allowed=FLOATS_COMPLEX)
xlog1py = _binary(jsp.xlog1py, "Xlog1py", _xlog1py_tf, allowed=FLOATS_COMPLEX)
multiply_no_nan = _binary(
    lambda a, b: jnp.where(b == 0, jnp.zeros_like(a * b), a * b), "MulNoNan", allowed=FLOATS_COMPLEX
)
equal = _binary(jnp.equal, "Equal")
not_equal = _binary(jnp.not_equal, "NotEqual")
greater = _binary(jnp.greater, "Greater")
greater_equal = _binary(jnp.greater_equal, "GreaterEqual")
less = _binary(jnp.less, "Less")
less_equal = _binary(jnp.less_equal, "LessEqual")
_floordiv = _binary(jnp.floor_divide, "FloorDiv", differentiable=False)
_pow = _binary(jnp.power, "Pow", _pow_tf)


def _check_integer_divisor(b: Any, op_name: str) -> None:
    """TF's error for an integer division by zero (checked when the divisor is known)."""
    if b.dtype.is_integer and not is_tracing():
        value = concrete(b)
        if value is not None and (value == 0).any():
            raise op_error("Integer division by zero", op_name)


def floordiv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """`tf.math.floordiv` (Python `//`): floor of the quotient; not differentiable, as TF's.

    Raises:
      InvalidArgumentError: an integer division by zero, or mixed dtypes.
    """
    a, b = binary_inputs(x, y, "FloorDiv")
    _check_integer_divisor(b, "FloorDiv")
    return _floordiv(a, b)


floor_div = floordiv


def pow(x: Any, y: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's name
    """`tf.pow` (Python `**`): TF's gradient (d/dy is 0 where x <= 0).

    Raises:
      InvalidArgumentError: an integer raised to a negative integer power.
    """
    a, b = binary_inputs(x, y, "Pow")
    if b.dtype.is_integer and not is_tracing():
        value = concrete(b)
        if value is not None and (value < 0).any():
            raise op_error("Integers to negative integer powers are not allowed", "Pow")
    return _pow(a, b)


def _logical(jnp_fn, op_name: str):
    @pure_op(op_name)
    def pure(a, b):
        return jnp_fn(a, b)

    pure.__name__ = f"_{op_name}"

    def op(x: Any, y: Any, name: str | None = None) -> Tensor:
        a, b = binary_inputs(x, y, op_name)
        check_dtype(a, op_name, "bool")
        try:
            return dispatch(pure, a, b)
        except errors.InvalidArgumentError:
            _broadcast_error(a, b, op_name)
            raise

    op.__name__ = op.__qualname__ = op_name
    op.__doc__ = f"`tf.math` `{op_name}`: elementwise on bool tensors, with broadcasting."
    return op


logical_and = _logical(jnp.logical_and, "LogicalAnd")
logical_or = _logical(jnp.logical_or, "LogicalOr")
logical_xor = _logical(jnp.logical_xor, "LogicalXor")


_INTEGERS = "int8, int16, int32, int64, uint8, uint16, uint32, uint64"
bitwise_and = _binary(jnp.bitwise_and, "BitwiseAnd", differentiable=False, allowed=_INTEGERS)
bitwise_or = _binary(jnp.bitwise_or, "BitwiseOr", differentiable=False, allowed=_INTEGERS)
bitwise_xor = _binary(jnp.bitwise_xor, "BitwiseXor", differentiable=False, allowed=_INTEGERS)
left_shift = _binary(jnp.left_shift, "LeftShift", differentiable=False, allowed=_INTEGERS)
right_shift = _binary(jnp.right_shift, "RightShift", differentiable=False, allowed=_INTEGERS)


def _boolean_or_bitwise(logical, bitwise):
    """Python's `&`, `|`, `^` on tensors: logical for bool tensors, bitwise otherwise (as TF)."""

    def op(x: Any, y: Any) -> Tensor:
        a, b = binary_inputs(x, y, "LogicalAnd")
        return logical(a, b) if a.dtype.is_bool else bitwise(a, b)

    return op


def invert_or_not(x: Any) -> Tensor:
    """Python's `~` on a tensor: `logical_not` for bool, bitwise `invert` otherwise (as TF)."""
    t = as_input(x)
    return logical_not(t) if t.dtype.is_bool else invert(t)


@pure_op("RealDiv")
def _div_pure(a, b):
    return jnp.divide(a, b)


# TF's truediv: small integers divide in float32, 32/64-bit integers in float64.
_TRUEDIV = {"int8": "float32", "uint8": "float32", "int16": "float32", "uint16": "float32"}


def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """`tf.math.divide` / `truediv` (Python `/`): integer inputs are cast first (int8/int16 to
    float32, int32/int64 to float64), as TF's truediv.

    Raises:
      TypeError: `x` and `y` of different dtypes (`int32_tensor / float32_tensor`), as TF's
        truediv checks before any kernel runs (where `+` and `*` raise InvalidArgumentError).
    """
    if is_tensor(x) and not is_tensor(y):  # TF converts `y` with `x`'s dtype as a hint, then compares
        try:
            y = python_value(y, x.dtype)
        except (TypeError, ValueError):
            y = python_value(y)
    if is_tensor(x) and is_tensor(y) and x.dtype != y.dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got tf.{x.dtype.name} != tf.{y.dtype.name}.")
    a, b = binary_inputs(x, y, "RealDiv")
    if a.dtype.is_integer:
        target = _TRUEDIV.get(a.dtype.name, "float64")
        a, b = cast(a, target), cast(b, target)
    try:
        return dispatch_folded(_div_pure, a, b)
    except errors.InvalidArgumentError:
        _broadcast_error(a, b, "RealDiv")
        raise


truediv = divide
realdiv = divide


@pure_op("DivNoNan")
def _div_no_nan(a, b):
    safe = jnp.where(b == 0, jnp.ones_like(b), b)
    return jnp.where(b == 0, jnp.zeros_like(a / safe), a / safe)


def divide_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """`tf.math.divide_no_nan`: 0 where the divisor is 0 (value and gradient)."""
    a, b = binary_inputs(x, y, "DivNoNan")
    check_dtype(a, "DivNoNan", FLOATS_COMPLEX)
    return dispatch(_div_no_nan, a, b)


div_no_nan = divide_no_nan


@pure_op("AddN")
def _add_n_pure(*arrays):
    out = arrays[0]
    for a in arrays[1:]:
        out = out + a
    return out


def add_n(inputs: Any, name: str | None = None) -> Tensor:
    """`tf.math.add_n`: the sum of same-shaped, same-dtype tensors (no broadcasting).

    Raises:
      ValueError: no inputs.
      InvalidArgumentError: inputs of different shapes or dtypes.
    """
    if (is_tensor(inputs) and (inputs.ndim == 0 or inputs.shape[0] == 0)) or (not is_tensor(inputs) and not inputs):
        raise ValueError(
            "Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and shape."
        )
    ts = same_dtype_inputs(inputs, "AddN")
    for i, t in enumerate(ts[1:], 1):
        if t.shape != ts[0].shape:
            raise op_error(
                "Inputs to operation AddN of type AddN must have the same size and shape.  "
                f"Input 0: {dims_text(ts[0].shape)} != input {i}: {dims_text(t.shape)}",
                "AddN",
            )
    return dispatch(_add_n_pure, *ts)


# -- elementwise unary -------------------------------------------------------------------


def _unary(jnp_fn, op_name: str, allowed: str | None = None, differentiable: bool = True, float_fn=None):
    """A TF unary op; `allowed` lists TF's accepted dtypes (all when None), `float_fn` is the
    floating-point form with TF's gradient, `differentiable=False` gives no gradient."""

    @pure_op(op_name)
    def pure(a):
        return jnp_fn(a)

    pure.__name__ = f"_{op_name}"
    float_pure = pure
    if float_fn is not None:

        @pure_op(op_name)
        def float_pure(a):
            return float_fn(a)

        float_pure.__name__ = f"_{op_name}_float"
    if not differentiable:
        not_differentiable(pure)
        not_differentiable(float_pure)

    def op(x: Any, name: str | None = None) -> Tensor:
        if isinstance(x, CompositeTensor):  # tf.RaggedTensor values
            return composite_op(op, (x,))
        t = as_input(x)
        if allowed is not None:
            check_dtype(t, op_name, allowed)
        fn = float_pure if float_fn is not None and is_floating(t) else pure
        return dispatch(fn, t)

    op.__name__ = op.__qualname__ = op_name
    op.__doc__ = f"`tf.math` `{op_name}`: elementwise."
    return op


_SIGNED = "bfloat16, half, float, double, int8, int16, int32, int64, complex64, complex128"
_NUMBERS = _SIGNED + ", uint8, uint16, uint32, uint64"

negative = neg = _unary(jnp.negative, "Neg", _SIGNED)
abs = _unary(jnp.abs, "Abs", "bfloat16, half, float, double, int8, int16, int32, int64", float_fn=_abs_tf)  # noqa: A001
square = _unary(jnp.square, "Square", _NUMBERS)
sign = _unary(jnp.sign, "Sign", _NUMBERS)
sqrt = _unary(jnp.sqrt, "Sqrt", FLOATS_COMPLEX)
rsqrt = _unary(jax.lax.rsqrt, "Rsqrt", FLOATS_COMPLEX)
exp = _unary(jnp.exp, "Exp", FLOATS_COMPLEX)
expm1 = _unary(jnp.expm1, "Expm1", FLOATS_COMPLEX)
log = _unary(jnp.log, "Log", FLOATS_COMPLEX)
log1p = _unary(jnp.log1p, "Log1p", FLOATS_COMPLEX)
sin = _unary(jnp.sin, "Sin", FLOATS_COMPLEX)
cos = _unary(jnp.cos, "Cos", FLOATS_COMPLEX)
tan = _unary(jnp.tan, "Tan", FLOATS_COMPLEX)
asin = _unary(jnp.arcsin, "Asin", FLOATS_COMPLEX)
acos = _unary(jnp.arccos, "Acos", FLOATS_COMPLEX)
atan = _unary(jnp.arctan, "Atan", FLOATS_COMPLEX)
sinh = _unary(jnp.sinh, "Sinh", FLOATS_COMPLEX)
cosh = _unary(jnp.cosh, "Cosh", FLOATS_COMPLEX)
tanh = _unary(jnp.tanh, "Tanh", FLOATS_COMPLEX)
asinh = _unary(jnp.arcsinh, "Asinh", FLOATS_COMPLEX)
acosh = _unary(jnp.arccosh, "Acosh", FLOATS_COMPLEX)
atanh = _unary(jnp.arctanh, "Atanh", FLOATS_COMPLEX)
erf = _unary(jsp.erf, "Erf", FLOATS)
erfc = _unary(jsp.erfc, "Erfc", FLOATS)
erfinv = _unary(jsp.erfinv, "Erfinv", FLOATS)
lgamma = _unary(jsp.gammaln, "Lgamma", FLOATS)
digamma = _unary(jsp.digamma, "Digamma", FLOATS)
softplus = _unary(_softplus_tf, "Softplus", FLOATS)
softsign = _unary(jax.nn.soft_sign, "Softsign", FLOATS)
log_sigmoid = _unary(lambda a: -_softplus_tf(-a), "Softplus", FLOATS)  # TF: -softplus(-x)
reciprocal = _unary(jnp.reciprocal, "Reciprocal", FLOATS_COMPLEX)
reciprocal_no_nan = _unary(
    lambda a: jnp.where(a == 0, jnp.zeros_like(a), 1 / jnp.where(a == 0, jnp.ones_like(a), a)),
    "ReciprocalNoNan",
    FLOATS_COMPLEX,
)
floor = _unary(jnp.floor, "Floor", FLOATS, differentiable=False)
ceil = _unary(jnp.ceil, "Ceil", FLOATS, differentiable=False)
rint = _unary(jnp.round, "Rint", FLOATS, differentiable=False)
round = _unary(jnp.round, "Round", differentiable=False)  # noqa: A001 - TF's name (half to even)
is_nan = _unary(jnp.isnan, "IsNan", FLOATS)
is_inf = _unary(jnp.isinf, "IsInf", FLOATS)
is_finite = _unary(jnp.isfinite, "IsFinite", FLOATS)
_sigmoid_op = _unary(jax.nn.sigmoid, "Sigmoid", FLOATS_COMPLEX)


invert = _unary(jnp.invert, "Invert", _INTEGERS, differentiable=False)


def logical_not(x: Any, name: str | None = None) -> Tensor:
    """`tf.math.logical_not` (Python `~` on bool tensors)."""
    t = as_input(x)
    check_dtype(t, "LogicalNot", "bool")
    return dispatch(_logical_not_pure, t)


@pure_op("LogicalNot")
def _logical_not_pure(a):
    return jnp.logical_not(a)


def sigmoid(x: Any, name: str | None = None) -> Tensor:
    """`tf.math.sigmoid`. Inside a `function` the output remembers its input, because tf.keras's
    binary cross-entropy then uses the sigmoid's logits (in graph mode only, as TF does)."""
    out = _sigmoid_op(x)
    if is_tracing():
        out._sigmoid_input = as_input(x)
    return out


# -- cast and clip -----------------------------------------------------------------------


@pure_op("Cast")
def _cast_pure(a, dtype):
    return a.astype(dtype)


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """`tf.cast`: convert to `dtype` (float to int truncates toward zero, like TF); the
    gradient flows between floating dtypes only."""
    if isinstance(x, CompositeTensor):  # tf.RaggedTensor / tf.SparseTensor values
        return composite_op(cast, (x, dtype))
    t = as_input(x)
    target = _dtypes.as_dtype(dtype)
    if t.dtype == target:
        return t if isinstance(t, Tensor) else t.read_value()
    return dispatch_folded(_cast_pure, t, dtype=target._np.name)


def _bound(value: Any, dtype: Any) -> Any:
    if isinstance(value, (int, float, np.number)):
        if dtype.is_integer and not float(value).is_integer():  # TF: `Cannot convert 3.5 to ... int32`
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
        return Tensor(jnp.asarray(value, dtype._np))
    return as_input(value, dtype)


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any, name: str | None = None) -> Tensor:
    """`tf.clip_by_value`: elementwise clip to [min, max] (gradient 1 on the closed interval)."""
    x = as_input(t)
    lo, hi = _bound(clip_value_min, x.dtype), _bound(clip_value_max, x.dtype)
    for bound, op_name in ((hi, "Minimum"), (lo, "Maximum")):  # TF: minimum(t, max), then maximum(.., min)
        try:
            check_broadcastable(tuple(x.shape), tuple(bound.shape))
        except ValueError:
            raise op_error(
                f"Incompatible shapes: {dims_text(tuple(x.shape))} vs. {dims_text(tuple(bound.shape))}", op_name
            ) from None
    return dispatch(_clip_pure, x, lo, hi)


@pure_op("ClipByValue")
def _clip_pure(x, lo, hi):
    # where-based so the gradient is 1 on the closed interval, as TF's ClipByValue grad
    return jnp.where(x < lo, jnp.broadcast_to(lo, x.shape), jnp.where(x > hi, jnp.broadcast_to(hi, x.shape), x))


# Reductions and linear algebra live in their own modules; these names stay importable here.
from jaxport.ops.linalg_ops import matmul  # noqa: E402, F401
from jaxport.ops.reduction_ops import (  # noqa: E402, F401
    argmax,
    argmin,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
)
