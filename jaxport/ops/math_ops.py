"""`tf.math` (and the top-level `tf.add`, `tf.matmul`, ...) as dispatched pure jnp functions."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.eager import Tensor, dispatch
from jaxport.ops._helpers import as_input, binary_inputs, check_axis, normalize_axis


def _named(fn, op_name: str):
    fn.tf_op_name = op_name
    return fn


# -- elementwise binary ------------------------------------------------------------------


def _binary(jnp_fn, op_name: str):
    def pure(a, b):
        return jnp_fn(a, b)

    pure.__name__ = f"_{op_name}"
    pure.tf_op_name = op_name

    def op(x: Any, y: Any, name: str | None = None) -> Tensor:
        a, b = binary_inputs(x, y, op_name)
        return dispatch(pure, a, b)

    op.__doc__ = f"`tf.math.{op_name}`: elementwise, broadcasting; both inputs of one dtype."
    return op


add = _binary(jnp.add, "AddV2")
subtract = _binary(jnp.subtract, "Sub")
multiply = _binary(jnp.multiply, "Mul")
maximum = _binary(jnp.maximum, "Maximum")
minimum = _binary(jnp.minimum, "Minimum")
pow = _binary(jnp.power, "Pow")  # noqa: A001 - TF's name
squared_difference = _binary(lambda a, b: jnp.square(a - b), "SquaredDifference")
floordiv = floor_div = _binary(jnp.floor_divide, "FloorDiv")
floormod = mod = _binary(jnp.mod, "FloorMod")
equal = _binary(jnp.equal, "Equal")
not_equal = _binary(jnp.not_equal, "NotEqual")
greater = _binary(jnp.greater, "Greater")
greater_equal = _binary(jnp.greater_equal, "GreaterEqual")
less = _binary(jnp.less, "Less")
less_equal = _binary(jnp.less_equal, "LessEqual")
logical_and = _binary(jnp.logical_and, "LogicalAnd")
logical_or = _binary(jnp.logical_or, "LogicalOr")
logical_xor = _binary(jnp.logical_xor, "LogicalXor")


def _div_pure(a, b):
    return jnp.divide(a, b)


_div_pure.tf_op_name = "RealDiv"


def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """`tf.math.divide` (Python `/`): integer inputs give float64, like TF's truediv."""
    a, b = binary_inputs(x, y, "RealDiv")
    if a.dtype.is_integer:
        a, b = cast(a, _dtypes.float64), cast(b, _dtypes.float64)
    return dispatch(_div_pure, a, b)


truediv = divide
realdiv = divide


def divide_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """`tf.math.divide_no_nan`: 0 where the divisor is 0."""
    a, b = binary_inputs(x, y, "DivNoNan")
    return dispatch(_div_no_nan, a, b)


def _div_no_nan(a, b):
    safe = jnp.where(b == 0, jnp.ones_like(b), b)
    return jnp.where(b == 0, jnp.zeros_like(a / safe), a / safe)


_div_no_nan.tf_op_name = "DivNoNan"


# -- elementwise unary -------------------------------------------------------------------


def _unary(jnp_fn, op_name: str, float_only: bool = False):
    def pure(a):
        return jnp_fn(a)

    pure.__name__ = f"_{op_name}"
    pure.tf_op_name = op_name

    def op(x: Any, name: str | None = None) -> Tensor:
        t = as_input(x)
        if float_only and not (t.dtype.is_floating or t.dtype.is_complex):
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Value for attr 'T' of {t.dtype.name} is not in the list of allowed values: "
                f"bfloat16, half, float, double, complex64, complex128 [Op:{op_name}]",
            )
        return dispatch(pure, t)

    op.__doc__ = f"`tf.math.{op_name}`: elementwise."
    return op


negative = neg = _unary(jnp.negative, "Neg")
abs = _unary(jnp.abs, "Abs")  # noqa: A001
square = _unary(jnp.square, "Square")
sqrt = _unary(jnp.sqrt, "Sqrt", True)
rsqrt = _unary(jax.lax.rsqrt, "Rsqrt", True)
exp = _unary(jnp.exp, "Exp", True)
log = _unary(jnp.log, "Log", True)
log1p = _unary(jnp.log1p, "Log1p", True)
sin = _unary(jnp.sin, "Sin", True)
cos = _unary(jnp.cos, "Cos", True)
tanh = _unary(jnp.tanh, "Tanh", True)
_sigmoid_op = _unary(jax.nn.sigmoid, "Sigmoid", True)


def sigmoid(x: Any, name: str | None = None) -> Tensor:
    """`tf.math.sigmoid`. Inside a `function` the output remembers its input, because tf.keras's
    binary cross-entropy then uses the sigmoid's logits (in graph mode only, as TF does)."""
    out = _sigmoid_op(x)
    if not _state_trace_is_none():
        out._sigmoid_input = as_input(x)
    return out


def _state_trace_is_none() -> bool:
    from jaxport.context import state

    return state.trace is None


sign = _unary(jnp.sign, "Sign")
floor = _unary(jnp.floor, "Floor", True)
ceil = _unary(jnp.ceil, "Ceil", True)
round = _unary(jnp.round, "Round")  # noqa: A001
reciprocal = _unary(jnp.reciprocal, "Reciprocal", True)
logical_not = _unary(jnp.logical_not, "LogicalNot")
is_nan = _unary(jnp.isnan, "IsNan", True)
is_finite = _unary(jnp.isfinite, "IsFinite", True)
softplus = _unary(jax.nn.softplus, "Softplus", True)


def _cast_pure(a, dtype):
    return a.astype(dtype)


_cast_pure.tf_op_name = "Cast"


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """`tf.cast`: convert to `dtype` (float to int truncates toward zero, like TF)."""
    t = as_input(x)
    target = _dtypes.as_dtype(dtype)
    if t.dtype == target:
        return t if isinstance(t, Tensor) else t.read_value()
    return dispatch(_cast_pure, t, dtype=target._np.name)


# -- reductions --------------------------------------------------------------------------


def _reduction(jnp_fn, op_name: str):
    def pure(a, axis, keepdims):
        return jnp_fn(a, axis=axis, keepdims=keepdims)

    pure.__name__ = f"_{op_name}"
    pure.tf_op_name = op_name

    def op(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
        t = as_input(input_tensor)
        ax = normalize_axis(axis)
        check_axis(ax, t.ndim, op_name)
        return dispatch(pure, t, axis=ax, keepdims=bool(keepdims))

    op.__doc__ = f"`tf.math.{op_name}` over `axis` (all axes when None), keeping dims if asked."
    return op


def _mean(a, axis=None, keepdims=False):
    if jnp.issubdtype(a.dtype, jnp.integer):  # TF's integer mean truncates
        return (jnp.sum(a, axis=axis, keepdims=keepdims) // _count(a, axis)).astype(a.dtype)
    return jnp.mean(a, axis=axis, keepdims=keepdims)


def _count(a, axis):
    if axis is None:
        return a.size
    axes = axis if isinstance(axis, tuple) else (axis,)
    n = 1
    for ax in axes:
        n *= a.shape[ax]
    return n


reduce_sum = _reduction(jnp.sum, "Sum")
reduce_mean = _reduction(_mean, "Mean")
reduce_max = _reduction(jnp.max, "Max")
reduce_min = _reduction(jnp.min, "Min")
reduce_prod = _reduction(jnp.prod, "Prod")
reduce_any = _reduction(jnp.any, "Any")
reduce_all = _reduction(jnp.all, "All")
reduce_logsumexp = _reduction(jax.nn.logsumexp, "ReduceLogSumExp")


def _arg_reduction(jnp_fn, op_name: str):
    def pure(a, axis, out_type):
        return jnp_fn(a, axis=axis).astype(out_type)

    pure.tf_op_name = op_name

    def op(input: Any, axis: Any = None, output_type: Any = "int64", name: str | None = None) -> Tensor:  # noqa: A002
        t = as_input(input)
        ax = 0 if axis is None else normalize_axis(axis)
        check_axis(ax, t.ndim, op_name)
        return dispatch(pure, t, axis=ax, out_type=_dtypes.as_dtype(output_type)._np.name)

    return op


argmax = _arg_reduction(jnp.argmax, "ArgMax")
argmin = _arg_reduction(jnp.argmin, "ArgMin")


# -- linear algebra ----------------------------------------------------------------------


def _matmul_pure(a, b, transpose_a, transpose_b):
    if transpose_a:
        a = jnp.swapaxes(a, -1, -2)
    if transpose_b:
        b = jnp.swapaxes(b, -1, -2)
    return jnp.matmul(a, b)


_matmul_pure.tf_op_name = "MatMul"


def matmul(
    a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False, name: str | None = None, **unused: Any
) -> Tensor:
    """`tf.linalg.matmul`: rank >= 2 inputs with matching inner dims and dtypes."""
    x, y = binary_inputs(a, b, "MatMul")
    if x.ndim < 2 or y.ndim < 2:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"In[0] and In[1] has different ndims: {list(x.shape)} vs. {list(y.shape)} "
            "(matmul needs inputs of rank >= 2) [Op:MatMul]",
        )
    k1 = x.shape[-2] if transpose_a else x.shape[-1]
    k2 = y.shape[-1] if transpose_b else y.shape[-2]
    if k1 != k2:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Matrix size-incompatible: In[0]: {list(x.shape)}, In[1]: {list(y.shape)} [Op:MatMul]",
        )
    return dispatch(_matmul_pure, x, y, transpose_a=bool(transpose_a), transpose_b=bool(transpose_b))


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any, name: str | None = None) -> Tensor:
    """`tf.clip_by_value`: elementwise clip to [min, max]."""
    x = as_input(t)
    lo = (
        as_input(clip_value_min, x.dtype)
        if not isinstance(clip_value_min, (int, float))
        else Tensor(jnp.asarray(clip_value_min, x.dtype._np))
    )
    hi = (
        as_input(clip_value_max, x.dtype)
        if not isinstance(clip_value_max, (int, float))
        else Tensor(jnp.asarray(clip_value_max, x.dtype._np))
    )
    return dispatch(_clip_pure, x, lo, hi)


def _clip_pure(x, lo, hi):
    # where-based so the gradient is 1 on the closed interval, as TF's ClipByValue grad
    return jnp.where(x < lo, jnp.broadcast_to(lo, x.shape), jnp.where(x > hi, jnp.broadcast_to(hi, x.shape), x))


_clip_pure.tf_op_name = "ClipByValue"
