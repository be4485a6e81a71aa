"""Parity cases: TF ops (creation, shapes, indexing, math, reductions, linear algebra, nn,
random) — values, gradients (through `tf.GradientTape`), result dtypes and error types.

Same contract as `parity_tests/cases.py`: each `case_*(tf)` runs unchanged under TensorFlow
and jaxport and returns numpy arrays / strings. Every differentiable op's gradient is taken
as d(sum(op(x) * W))/dx with fixed weights W (`output_gradients`); a gradient that is None is recorded as the
string "None"; an expected exception as its type name (messages differ in TF's prefixes).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from parity_tests.cases import Reference, to_numpy
from parity_tests.cases import error_name as _error_name


def _weights(shape: Any, dtype: Any, seed: int = 7) -> np.ndarray:
    """Fixed weights of `shape` for the weighted-sum loss of a gradient check."""
    return np.random.RandomState(seed).uniform(-1.0, 1.0, size=tuple(shape)).astype(dtype)


def _dtype(value: Any) -> str:
    return value.dtype.name


class _Checker:
    """Collects values, dtypes and gradients of named ops applied to watched inputs."""

    def __init__(self, tf: Any):
        self.tf = tf
        self.out: dict[str, Any] = {}
        self.dtypes: list[str] = []

    def value(self, name: str, result: Any) -> Any:
        if isinstance(result, (list, tuple)):
            for i, r in enumerate(result):
                self.value(f"{name}[{i}]", r)
            return result
        self.out[f"{name}"] = to_numpy(result)
        self.dtypes.append(f"{name}:{_dtype(result)}")
        return result

    def grad(self, name: str, fn: Callable[..., Any], *inputs: Any) -> None:
        """The value of `fn(*inputs)` and the gradients of sum(fn * W) for every input (as
        `output_gradients=W`, so that no extra ops are recorded)."""
        tf = self.tf
        with tf.GradientTape() as tape:
            for x in inputs:
                tape.watch(x)
            y = fn(*inputs)
        ys = list(y) if isinstance(y, (list, tuple)) else [y]
        weights = [_weights(t.shape, t.dtype.as_numpy_dtype, 7 + i) for i, t in enumerate(ys)]
        self.value(name, y)
        grads = tape.gradient(ys, list(inputs), output_gradients=weights)
        for i, g in enumerate(grads):
            # TF returns IndexedSlices for gather-like ops: densify
            self.out[f"{name}/grad{i}"] = "None" if g is None else to_numpy(tf.convert_to_tensor(g))

    def results(self) -> dict[str, Any]:
        return {**self.out, "dtypes": self.dtypes}


# --------------------------------------------------------------------------- creation and shapes


def case_ops_creation_shape(tf: Any) -> dict[str, Any]:
    """Creation ops (range, linspace, eye, one_hot, fill, *_like) and shape ops with gradients."""
    c = _Checker(tf)
    c.value("range5", tf.range(5))
    c.value("range_float", tf.range(0.0, 1.0, 0.1))
    c.value("range_mixed", tf.range(1, 7.1, 0.7))
    c.value("range_neg", tf.range(5, 1, -2))
    c.value("range_dtype", tf.range(3, dtype=tf.float64))
    c.value("range_np64", tf.range(np.float64(2.5)))
    c.value("range_int64", tf.range(tf.constant(4, tf.int64)))
    c.value("linspace", tf.linspace(0.3, 1.9, 7))
    c.value("linspace_int", tf.linspace(0, 10, 5))
    c.value("linspace_one", tf.linspace(2.0, 4.0, 1))
    c.value("linspace_vec_axis1", tf.linspace([0.0, 1.0], [1.0, 3.0], 4, axis=1))
    c.value("eye", tf.eye(2, 3))
    c.value("eye_batch", tf.eye(2, batch_shape=[2], dtype=tf.int32))
    c.value("one_hot", tf.one_hot([0, 2, -1, 5], 3))
    c.value("one_hot_on_off", tf.one_hot([0, 2], 3, on_value=5, off_value=-1))
    c.value("one_hot_axis0", tf.one_hot([[0, 2], [1, 1]], 3, axis=0))
    c.value("one_hot_dtype", tf.one_hot([1], 2, on_value=1, dtype=tf.float64))
    c.value("fill_int", tf.fill([2, 2], 3))
    c.value("fill_float", tf.fill([2], 1.5))
    c.value("zeros_like_list", tf.zeros_like([1, 2]))
    c.value("ones_like_f64", tf.ones_like(np.array([1.0, 2.0])))
    c.value("zeros_dtype", tf.zeros([2], tf.bool))
    c.value("ones_shape_tensor", tf.ones(tf.constant([2, 1])))

    x = tf.constant(np.random.RandomState(0).randn(2, 3, 4).astype("float32"))
    s = tf.constant(np.random.RandomState(1).randn(4).astype("float32"))
    c.grad("fill_grad", lambda v: tf.fill([2, 3], v), tf.constant(2.0))
    c.grad("linspace_grad", lambda a, b: tf.linspace(a, b, 5), tf.constant(0.5), tf.constant(2.0))
    c.grad("reshape", lambda t: tf.reshape(t, [4, -1]), x)
    c.grad("transpose", lambda t: tf.transpose(t, [2, 0, 1]), x)
    c.grad("transpose_default", tf.transpose, x)
    c.grad("expand_dims", lambda t: tf.expand_dims(t, -2), x)
    c.grad("squeeze", lambda t: tf.squeeze(tf.reshape(t, [1, 2, 1, 12]), [0, 2]), x)
    c.grad("concat", lambda t: tf.concat([t, t * 2.0, t[:, :1]], axis=1), x)
    c.grad("concat_neg", lambda t: tf.concat([t, t], -1), x)
    c.grad("stack", lambda t: tf.stack([t, t * t], axis=-1), x)
    c.grad("unstack", lambda t: tf.unstack(t, axis=1), x)
    c.grad("split_even", lambda t: tf.split(t, 2, axis=2), x)
    c.grad("split_sizes", lambda t: tf.split(t, [1, -1], axis=1), x)
    c.grad("tile", lambda t: tf.tile(t, [1, 2, 3]), x)
    c.grad("pad_constant", lambda t: tf.pad(t, [[1, 0], [0, 2], [1, 1]], constant_values=0.5), x)
    c.grad("pad_reflect", lambda t: tf.pad(t, [[0, 1], [2, 2], [3, 0]], mode="REFLECT"), x)
    c.grad("pad_symmetric", lambda t: tf.pad(t, [[2, 0], [3, 1], [0, 4]], mode="symmetric"), x)
    c.grad("reverse", lambda t: tf.reverse(t, [0, -1]), x)
    c.grad("slice", lambda t: tf.slice(t, [0, 1, 1], [1, -1, 2]), x)
    c.grad("broadcast_to", lambda v: tf.broadcast_to(v, [3, 4]), s)
    c.value("shape", tf.shape(x))
    c.value("shape_int64", tf.shape(x, out_type=tf.int64))
    c.value("rank", tf.rank(x))
    c.value("size", tf.size(x))
    c.value("cast_bool", tf.cast([0.5, 0.0, -1.0], tf.bool))
    c.value("cast_trunc", tf.cast([1.7, -1.7], tf.int32))
    c.value("stack_python", tf.stack([1, 2.5]))
    c.grad("cast_f64", lambda t: tf.cast(t, tf.float64) * 2.0, x)
    c.grad("identity", tf.identity, x)

    out = c.results()
    out["errors"] = [
        _error_name(f)
        for f in (
            lambda: tf.range(0, 5, 0),
            lambda: tf.range(5, 1),
            lambda: tf.range(1, 5, -1),
            lambda: tf.range(0.5, 3, dtype=tf.int32),
            lambda: tf.linspace(2.0, 4.0, -1),
            lambda: tf.eye(-1),
            lambda: tf.one_hot([0, 2], 3, on_value=1, off_value=0.0),
            lambda: tf.one_hot([0.0, 2.0], 3),
            lambda: tf.one_hot([0, 2], -1),
            lambda: tf.one_hot([0, 2], 3, axis=3),
            lambda: tf.fill([-2], 3.0),
            lambda: tf.zeros([-2]),
            lambda: tf.zeros([2.5]),
            lambda: tf.split(x, 3, axis=2),
            lambda: tf.split(x, [1, 2], axis=2),
            lambda: tf.split(x, [-1, -1], axis=2),
            lambda: tf.split(x, 2, axis=3),
            lambda: tf.tile(x, [1, 2]),
            lambda: tf.tile(x, [1, -2, 1]),
            lambda: tf.pad(x, [[0, 0], [3, 0], [0, 0]], mode="REFLECT"),
            lambda: tf.pad(x, [[0, 0], [0, 0], [0, 0]], mode="FOO"),
            lambda: tf.pad(x, [[0, 0]]),
            lambda: tf.pad(x, [[0, 0], [-1, 0], [0, 0]]),
            lambda: tf.reverse(x, [1, -2]),
            lambda: tf.reverse(x, [3]),
            lambda: tf.reverse(x, 1),
            lambda: tf.slice(x, [0, 1, 1], [1, 3, 2]),
            lambda: tf.slice(x, [0, 1], [1, 3]),
            lambda: tf.broadcast_to([1, 2], [3, 3]),
            lambda: tf.concat([x, x[:, :1, :2]], 2),
            lambda: tf.concat([x, x], 3),
            lambda: tf.concat([tf.constant([1]), tf.constant([1.0])], 0),
            lambda: tf.concat([[1], [2.5]], 0),
            lambda: tf.stack([x, x[:, :1]]),
            lambda: tf.stack([x, x], 4),
            lambda: tf.unstack(x, axis=3),
            lambda: tf.unstack(x, num=2, axis=1),
            lambda: tf.expand_dims(x, 4),
            lambda: tf.squeeze(x, 3),
            lambda: tf.squeeze(x, 1),
            lambda: tf.transpose(x, [0, 1]),
            lambda: tf.transpose(x, [0, 1, 1]),
            lambda: tf.reshape(x, [5, -1]),
            lambda: tf.reshape(x, [-1, -1]),
            lambda: tf.reshape(x, [5, 5]),
        )
    ]
    return out


# --------------------------------------------------------------------------- indexing


def case_ops_indexing(tf: Any) -> dict[str, Any]:
    """Tensor indexing and slicing, gather / gather_nd / where / boolean_mask, with gradients."""
    c = _Checker(tf)
    x = tf.constant(np.random.RandomState(2).randn(2, 3, 4).astype("float32"))
    c.grad("int", lambda t: t[1], x)
    c.grad("negative_int", lambda t: t[-1, -2], x)
    c.grad("slices", lambda t: t[:, 1:, ::2], x)
    c.grad("negative_step", lambda t: t[:, ::-1, ::-2], x)
    c.grad("negative_bounds", lambda t: t[-1:, -3:-1, 3:0:-2], x)
    c.grad("newaxis_ellipsis", lambda t: t[tf.newaxis, ..., 1], x)
    c.grad("ellipsis_middle", lambda t: t[0, ..., None, 1:3], x)
    c.grad("tensor_index", lambda t: t[tf.constant(1), tf.constant(2)], x)
    c.grad("tensor_index_int64", lambda t: t[tf.constant(1, tf.int64), 1:], x)
    c.grad("tensor_slice_bounds", lambda t: t[tf.constant(0) : tf.constant(1)], x)
    c.grad("list_index", lambda t: t[[0, 1]], x)
    c.grad("numpy_int", lambda t: t[np.int64(1), np.int32(0)], x)
    c.grad("out_of_range_slice", lambda t: t[1:10, -10:2], x)
    c.grad("bool_tensor_index", lambda t: t[tf.constant([True, False])], x)
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        y = v[1, 0] * 3.0 + v[:, 1] * 2.0
    c.value("variable_index", y)
    c.value("variable_index/grad", tf.convert_to_tensor(tape.gradient(y, v)))

    c.grad("gather", lambda t: tf.gather(t, [2, 0, 2], axis=1), x)
    c.grad("gather_default_axis", lambda t: tf.gather(t, [[1, 0], [1, 1]]), x)
    c.grad("gather_batch", lambda t: tf.gather(t, [[0, 2], [1, 1]], axis=1, batch_dims=1), x)
    c.grad("gather_batch_neg", lambda t: tf.gather(t, [[0, 3], [1, 1]], axis=-1, batch_dims=-1), x)
    c.grad("gather_int64", lambda t: tf.gather(t, tf.constant([3, 0], tf.int64), axis=2), x)
    c.grad("gather_nd", lambda t: tf.gather_nd(t, [[0, 1], [1, 2], [0, 1]]), x)
    c.grad("gather_nd_full", lambda t: tf.gather_nd(t, [[0, 1, 3], [1, 0, 0]]), x)
    c.grad("gather_nd_batch", lambda t: tf.gather_nd(t, [[1], [2]], batch_dims=1), x)
    c.value("where_coords", tf.where([[True, False], [False, True]]))
    c.value("where_coords_float", tf.where([[1.0, 0.0], [0.0, 2.0]]))
    c.value("where_coords_3d", tf.where(x > 0.5))
    c.grad("where_select", lambda t: tf.where(t > 0.0, t * 2.0, -t), x)
    c.grad("where_broadcast", lambda t: tf.where([[True], [False]], t[0, :2, 0], 0.5), x)
    c.grad("boolean_mask", lambda t: tf.boolean_mask(t, [True, False]), x)
    c.grad("boolean_mask_2d", lambda t: tf.boolean_mask(t, [[True, False, True], [False, False, True]]), x)
    c.grad("boolean_mask_axis", lambda t: tf.boolean_mask(t, [True, False, True, True], axis=2), x)
    c.grad("boolean_mask_computed", lambda t: tf.boolean_mask(t, t > 0.0), x)
    c.value("boolean_mask_int_mask", tf.boolean_mask(x, [1, 0]))

    out = c.results()
    out["errors"] = [
        _error_name(f)
        for f in (
            lambda: x[tf.constant([0, 1])],
            lambda: x[tf.constant(1), tf.constant(2, tf.int64)],
            lambda: x[np.array([0, 1])],
            lambda: x[1.0],
            lambda: x[5],
            lambda: x[-3],
            lambda: x[0, 0, 0, 0],
            lambda: x[..., ...],
            lambda: x[::0],
            lambda: tf.constant(3.0)[0],
            lambda: tf.gather(x, [-1], axis=1),
            lambda: tf.gather(x, [3], axis=1),
            lambda: tf.gather(x, [1.0]),
            lambda: tf.gather(x, [1], axis=3),
            lambda: tf.gather_nd(x, [[0, 3]]),
            lambda: tf.gather_nd(x, [[0, 1, 1, 1]]),
            lambda: tf.where([True, False], tf.constant([1.0, 2.0]), tf.constant([3, 4])),
            lambda: tf.where([1, 0], [1.0, 2.0], [3.0, 4.0]),
            lambda: tf.where([True], x=[1.0]),
            lambda: tf.where([True, False, True], [1.0, 2.0], [3.0, 4.0]),
            lambda: tf.boolean_mask(x, [True, False, True]),
            lambda: tf.boolean_mask(x, True),
        )
    ]
    return out


# --------------------------------------------------------------------------- elementwise math


def case_ops_math(tf: Any, dtype: str = "float32") -> dict[str, Any]:
    """Elementwise math and comparisons: values and gradients (special points included:
    abs at 0, max/min ties, pow at x <= 0, sqrt at 0), result dtypes, error types; `dtype` is the
    floating type of the main inputs (a float64 section always runs)."""
    c = _Checker(tf)
    rs = np.random.RandomState(3)
    x = tf.constant(rs.uniform(-2.0, 2.0, (3, 4)).astype(dtype))
    y = tf.constant(rs.uniform(-2.0, 2.0, (3, 4)).astype(dtype))
    pos = tf.constant(rs.uniform(0.2, 3.0, (3, 4)).astype(dtype))
    unit = tf.constant(rs.uniform(-0.9, 0.9, (3, 4)).astype(dtype))
    special = tf.constant(np.array([0.0, 1.0, -1.0, 2.0, 0.0, -0.5], dtype))
    other = tf.constant(np.array([0.0, 2.0, -1.0, 1.0, 3.0, 2.0], dtype))

    unary = {
        "abs": tf.abs,
        "negative": tf.negative,
        "square": tf.square,
        "sign": tf.sign,
        "exp": tf.exp,
        "sin": tf.sin,
        "cos": tf.cos,
        "tan": tf.tan,
        "atan": tf.atan,
        "tanh": tf.tanh,
        "sigmoid": tf.sigmoid,
        "log_sigmoid": tf.math.log_sigmoid,
        "softplus": tf.math.softplus,
        "erf": tf.math.erf,
        "floor": tf.floor,
        "ceil": tf.math.ceil,
        "round": tf.round,
    }
    for name, fn in unary.items():
        c.grad(name, fn, x)
    for name, fn in {
        "sqrt": tf.sqrt,
        "rsqrt": tf.math.rsqrt,
        "log": tf.math.log,
        "log1p": tf.math.log1p,
        "reciprocal": tf.math.reciprocal,
    }.items():
        c.grad(name, fn, pos)
    for name, fn in {"asin": tf.asin, "acos": tf.acos, "atanh": tf.atanh}.items():
        c.grad(name, fn, unit)

    binary = {
        "add": tf.add,
        "subtract": tf.subtract,
        "multiply": tf.multiply,
        "divide": tf.divide,
        "maximum": tf.maximum,
        "minimum": tf.minimum,
        "squared_difference": tf.math.squared_difference,
        "floordiv": tf.math.floordiv,
        "floormod": tf.math.floormod,
        "divide_no_nan": tf.math.divide_no_nan,
        "operators": lambda a, b: (a + b) * a - b / 2.0 + (-a) ** 2 - abs(b),
    }
    for name, fn in binary.items():
        c.grad(name, fn, x, y)
    c.grad("pow_positive", tf.pow, pos, y)
    c.grad("xlogy", tf.math.xlogy, x, pos)
    c.grad("broadcast_add", tf.add, x, tf.constant(np.array([1.0, 2.0, 3.0, 4.0], dtype)))

    for name, fn in {
        "abs": tf.abs,
        "sqrt": lambda t: tf.sqrt(tf.abs(t)),
        "relu_like": lambda t: tf.maximum(t, 0.0),
        "sign": tf.sign,
        "clip": lambda t: tf.clip_by_value(t, -1.0, 1.0),
    }.items():
        c.grad(f"special/{name}", fn, special)
    for name, fn in {
        "maximum": tf.maximum,
        "minimum": tf.minimum,
        "pow": tf.pow,
        "divide_no_nan": tf.math.divide_no_nan,
        "xlogy": tf.math.xlogy,
        "floormod": tf.math.floormod,
    }.items():
        c.grad(f"special/{name}", fn, special, other)
    c.grad("add_n", lambda a, b: tf.math.add_n([a, b, a]), x, y)
    c.value("more_unary", [fn(pos) for fn in (tf.math.expm1, tf.sinh, tf.cosh, tf.asinh, tf.math.erfc, tf.math.lgamma)])
    c.value(
        "more_binary", [tf.atan2(x, y), tf.math.multiply_no_nan(tf.constant(np.array([np.inf, 1.0], dtype)), other[:2])]
    )
    c.grad("clip_by_value", lambda t: tf.clip_by_value(t, -0.5, 0.7), x)

    for name, fn in {
        "equal": tf.equal,
        "not_equal": tf.not_equal,
        "greater": tf.greater,
        "greater_equal": tf.greater_equal,
        "less": tf.less,
        "less_equal": tf.less_equal,
    }.items():
        c.value(name, fn(special, other))
    c.value("is_nan", tf.math.is_nan(tf.constant(np.array([np.nan, 1.0, np.inf], dtype))))
    c.value("is_inf", tf.math.is_inf(tf.constant(np.array([np.nan, -np.inf, np.inf], dtype))))
    c.value("is_finite", tf.math.is_finite(tf.constant(np.array([np.nan, 1.0, np.inf], dtype))))
    a_bool = tf.constant([True, True, False, False])
    b_bool = tf.constant([True, False, True, False])
    c.value("logical_and", tf.logical_and(a_bool, b_bool))
    c.value("logical_or", tf.logical_or(a_bool, b_bool))
    c.value("logical_xor", tf.math.logical_xor(a_bool, b_bool))
    c.value("logical_not", tf.logical_not(a_bool))
    c.value("bool_operators", (a_bool & b_bool) | ~a_bool)
    ints = tf.constant([-7, 7, 3, -2])
    c.value("int_floordiv", tf.math.floordiv(ints, 2))
    c.value("int_floormod", tf.math.floormod(ints, 3))
    c.value("int_divide", ints / 2)
    c.value("int16_divide", tf.constant([3, -3], tf.int16) / tf.constant([2, 2], tf.int16))
    c.value("int_abs_square_sign", tf.stack([tf.abs(ints), tf.square(ints), tf.sign(ints)]))
    c.value("int_maximum", tf.maximum(ints, 0))
    c.value("int_pow", tf.pow(ints, 2))
    c.value("int_round", tf.round(ints))
    c.value("bitwise", [ints & 3, 6 | ints, ints ^ tf.constant(1), ~ints, tf.bitwise.right_shift(ints, 1)])
    c.value("round_half_even", tf.round(tf.constant(np.array([0.5, 1.5, 2.5, -0.5, -1.5], dtype))))
    c.value("numpy_f64_stays", tf.constant(np.array([1.5])) * 2.0)
    wide = tf.constant(np.array([0.0, 1.0, -1.0, 2.0, 0.0, -0.5]))  # numpy float64 stays float64
    wide_other = tf.constant(np.array([0.0, 2.0, -1.0, 1.0, 3.0, 2.0]))
    for name, fn in {
        "maximum": tf.maximum,
        "pow": tf.pow,
        "xlogy": tf.math.xlogy,
    }.items():
        c.grad(f"float64/{name}", fn, wide, wide_other)
    for name, fn in {"abs": tf.abs, "softplus": tf.math.softplus}.items():
        c.grad(f"float64/{name}", fn, wide)

    out = c.results()
    out["errors"] = [
        _error_name(f)
        for f in (
            lambda: tf.constant(1) + tf.constant(1.0),
            lambda: tf.constant([1, 2]) + 1.5,
            lambda: tf.ones([2, 3]) + tf.ones([2]),
            lambda: tf.sqrt(tf.constant([4])),
            lambda: tf.exp(tf.constant([2])),
            lambda: tf.math.log(tf.constant([2])),
            lambda: tf.sigmoid(tf.constant([1])),
            lambda: tf.math.is_inf(tf.constant([1])),
            lambda: tf.math.is_nan(tf.constant([1])),
            lambda: tf.math.softplus(tf.constant([1])),
            lambda: tf.math.log_sigmoid(tf.constant([1])),
            lambda: tf.negative(tf.constant([True])),
            lambda: tf.math.floordiv(7, 0),
            lambda: tf.pow(2, -1),
            lambda: tf.greater(tf.constant([1]), tf.constant([1.0])),
            lambda: tf.math.add_n([]),
            lambda: tf.math.add_n([x, tf.ones([3])]),
            lambda: tf.math.add_n([x, tf.ones([3, 4], tf.int32)]),
            lambda: tf.cast(x, "nope"),
            lambda: x & 1.0,
        )
    ]
    return out


# --------------------------------------------------------------------------- reductions, linalg


def case_ops_reduce_linalg(tf: Any) -> dict[str, Any]:
    """Reductions (axis / keepdims, ties), argmax / argmin, cumsum / cumprod, matmul, tensordot,
    einsum and tf.linalg, with gradients."""
    c = _Checker(tf)
    rs = np.random.RandomState(4)
    x = tf.constant(rs.randn(3, 4, 2).astype("float32"))
    ties = tf.constant([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    reductions = {
        "reduce_sum": tf.reduce_sum,
        "reduce_mean": tf.reduce_mean,
        "reduce_max": tf.reduce_max,
        "reduce_min": tf.reduce_min,
        "reduce_prod": tf.reduce_prod,
        "reduce_logsumexp": tf.reduce_logsumexp,
        "reduce_std": tf.math.reduce_std,
        "reduce_variance": tf.math.reduce_variance,
    }
    for name, fn in reductions.items():
        c.grad(f"{name}/all", fn, x)
    for name in ("reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_std"):
        c.grad(f"{name}/axes_keep", lambda t, fn=reductions[name]: fn(t, axis=[0, -1], keepdims=True), x)
    for name in ("reduce_sum", "reduce_max"):
        c.grad(f"{name}/axis1", lambda t, fn=reductions[name]: fn(t, axis=1), x)
    for name in ("reduce_max", "reduce_min", "reduce_prod", "reduce_logsumexp"):
        c.grad(f"{name}/ties", lambda t, fn=reductions[name]: fn(t, axis=-1), ties)
    c.grad("reduce_prod/zero", lambda t: tf.reduce_prod(t, axis=1), tf.constant([[2.0, 0.0, 3.0], [0.0, 0.0, 1.0]]))
    c.grad("reduce_std/constant", tf.math.reduce_std, tf.constant([1.0, 1.0, 1.0]))
    c.grad("reduce_logsumexp/inf", tf.reduce_logsumexp, tf.constant([-np.inf, 0.0, -np.inf]))
    c.value("reduce_max_empty", tf.reduce_max(tf.zeros([0])))
    c.value("reduce_max_empty_int", tf.reduce_max(tf.zeros([0], tf.int32)))
    ints = tf.constant([[1, -2, 3], [-4, 5, -7]])
    c.value("int_reduce_sum", tf.reduce_sum(ints, axis=0))
    c.value("int_reduce_mean", tf.reduce_mean(ints, axis=1))
    c.value("int_reduce_prod", tf.reduce_prod(ints))
    c.value("int_reduce_max", tf.reduce_max(ints, axis=1, keepdims=True))
    c.value("reduce_any", tf.reduce_any(ints > 2, axis=1))
    c.value("reduce_all", tf.reduce_all(ints > -5))
    c.value("count_nonzero", tf.math.count_nonzero([[1, 0, 2], [0, 0, 3]], axis=1))
    c.value("argmax", tf.argmax(ties))
    c.value("argmax_axis1", tf.argmax(ties, axis=1))
    c.value("argmin_int32", tf.argmin(ties, axis=-1, output_type=tf.int32))
    c.value("argmax_int", tf.math.argmax(ints, axis=1))

    c.grad("cumsum", tf.cumsum, x)
    c.grad("cumsum_axis_excl_rev", lambda t: tf.cumsum(t, axis=1, exclusive=True, reverse=True), x)
    c.grad("cumprod", lambda t: tf.math.cumprod(t, axis=1), x)
    c.grad("cumprod_excl_rev", lambda t: tf.math.cumprod(t, axis=1, exclusive=True, reverse=True), x)
    c.grad("cumprod_zero", tf.math.cumprod, tf.constant([2.0, 0.0, 3.0, 0.5]))
    c.value("cumsum_int", tf.cumsum([1, 2, 3], exclusive=True, reverse=True))

    a = tf.constant(rs.randn(2, 3, 4).astype("float32"))
    b = tf.constant(rs.randn(2, 4, 5).astype("float32"))
    sq = tf.constant((rs.randn(2, 3, 3) + 3 * np.eye(3)).astype("float32"))
    spd = tf.constant(np.array([[4.0, 2.0, 0.4], [2.0, 3.0, 0.5], [0.4, 0.5, 2.0]], "float32"))
    m = tf.constant(rs.randn(3, 4).astype("float32"))
    vec = tf.constant(rs.randn(4).astype("float32"))
    c.grad("matmul", tf.matmul, a, b)
    c.grad("matmul_transpose", lambda p, q: tf.matmul(p, q, transpose_a=True, transpose_b=True), b, a)
    c.grad("matmul_broadcast", lambda p, q: tf.matmul(p, q), m, b)
    c.grad("matvec", tf.linalg.matvec, m, vec)
    c.grad("tensordot_int", lambda p, q: tf.tensordot(p, q, 1), a, b[0])
    c.grad("tensordot_axes", lambda p, q: tf.tensordot(p, q, [[0, 2], [0, 1]]), a, b)
    c.grad("einsum_matmul", lambda p, q: tf.einsum("bij,bjk->bik", p, q), a, b)
    c.grad("einsum_trace", lambda p: tf.einsum("ii", p), sq[0])
    c.grad("matrix_transpose", tf.linalg.matrix_transpose, a)
    c.grad("inv", tf.linalg.inv, sq)
    c.grad("det", tf.linalg.det, sq)
    c.value("slogdet_logdet_cholesky", [*tf.linalg.slogdet(spd), tf.linalg.logdet(spd), tf.linalg.cholesky(spd)])
    c.grad("solve", tf.linalg.solve, sq, tf.constant(rs.randn(2, 3, 2).astype("float32")))
    c.grad("trace", tf.linalg.trace, a)
    c.grad("diag", tf.linalg.diag, m)
    c.grad("diag_part", tf.linalg.diag_part, sq)
    c.grad("norm", tf.norm, a)
    c.grad("norm_axis", lambda t: tf.norm(t, axis=1), a)
    c.grad("norm_ord1", lambda t: tf.norm(t, ord=1, axis=1), m)
    c.grad("norm_inf", lambda t: tf.norm(t, ord=np.inf, axis=1), m)
    c.grad("norm_ord3", lambda t: tf.norm(t, ord=3, axis=0), m)
    c.grad("norm_fro", lambda t: tf.norm(t, ord="fro", axis=[1, 2]), a)
    c.grad("norm_matrix1", lambda t: tf.norm(t, ord=1, axis=[0, 1]), m)
    c.grad("norm_matrix2", lambda t: tf.norm(t, ord=2, axis=[0, 1]), m)
    c.grad("linalg_norm_zero", tf.linalg.norm, tf.constant([0.0, 0.0]))
    c.grad("l2_normalize", lambda t: tf.math.l2_normalize(t, axis=-1), m)
    c.value("matmul_int", tf.matmul([[1, 2]], [[1], [2]]))
    c.value("top_k", list(tf.math.top_k(tf.constant([1.0, 3.0, 2.0, 3.0]), k=3)))
    c.value("sort_desc", tf.sort(tf.constant([1, 3, 2]), direction="DESCENDING"))
    c.value("argsort", tf.argsort(tf.constant([1.0, 3.0, 2.0, 1.0])))

    out = c.results()
    out["errors"] = [
        _error_name(f)
        for f in (
            lambda: tf.reduce_sum(x, axis=3),
            lambda: tf.reduce_mean(tf.constant([True])),
            lambda: tf.reduce_sum(tf.constant([True])),
            lambda: tf.math.reduce_std(tf.constant([1, 2])),
            lambda: tf.math.reduce_variance(tf.constant([1, 2])),
            lambda: tf.reduce_logsumexp(tf.constant([1, 2])),
            lambda: tf.argmax(tf.constant([1, 3, 3]), axis=2),
            lambda: tf.cumsum(ties, axis=2),
            lambda: tf.cumsum([True, False]),
            lambda: tf.matmul(tf.ones([2, 3]), tf.ones([4, 5])),
            lambda: tf.matmul([1.0, 2.0], tf.ones([2, 2])),
            lambda: tf.matmul(tf.ones([2, 2]), tf.ones([2, 2], tf.float64)),
            lambda: tf.tensordot(m, tf.ones([3, 2]), 1),
            lambda: tf.einsum("ij,jk->ik", m, tf.ones([3, 2])),
            lambda: tf.einsum("ij,jk->ik", m, tf.ones([4, 2], tf.float64)),
            lambda: tf.linalg.inv(tf.ones([2, 2])),
            lambda: tf.linalg.inv(tf.ones([2, 2], tf.int32)),
            lambda: tf.linalg.inv(tf.ones([2, 3])),
            lambda: tf.norm(m, ord=0),
            lambda: tf.norm(m, ord="fro", axis=1),
            lambda: tf.norm(tf.constant([3, 4])),
        )
    ]
    return out


# --------------------------------------------------------------------------- nn


def case_ops_nn(tf: Any) -> dict[str, Any]:
    """tf.nn activations (kinks included), softmax family, cross-entropies, bias_add, moments."""
    c = _Checker(tf)
    rs = np.random.RandomState(5)
    x = tf.constant(np.concatenate([rs.uniform(-4.0, 4.0, 10), [0.0, 6.0, -20.0, 20.0, 15.0, -15.0]]).astype("float32"))
    for name, fn in {
        "relu": tf.nn.relu,
        "relu6": tf.nn.relu6,
        "elu": tf.nn.elu,
        "selu": tf.nn.selu,
        "gelu": tf.nn.gelu,
        "gelu_approximate": lambda t: tf.nn.gelu(t, approximate=True),
        "softplus": tf.nn.softplus,
        "softsign": tf.nn.softsign,
        "leaky_relu": tf.nn.leaky_relu,
        "leaky_relu_alpha": lambda t: tf.nn.leaky_relu(t, alpha=0.5),
        "swish": tf.nn.swish,
        "silu_beta": lambda t: tf.nn.silu(t, beta=2.0),
        "sigmoid": tf.nn.sigmoid,
        "tanh": tf.nn.tanh,
        "log_sigmoid": tf.math.log_sigmoid,
    }.items():
        c.grad(name, fn, x)
    logits = tf.constant(rs.randn(4, 5).astype("float32") * 3)
    c.grad("softmax", tf.nn.softmax, logits)
    c.grad("softmax_axis0", lambda t: tf.nn.softmax(t, axis=0), logits)
    c.grad("log_softmax", tf.nn.log_softmax, logits)
    c.grad("log_softmax_axis0", lambda t: tf.nn.log_softmax(t, axis=0), logits)
    labels = tf.constant(rs.dirichlet(np.ones(5), 4).astype("float32"))
    c.grad("softmax_xent", lambda p, q: tf.nn.softmax_cross_entropy_with_logits(p, q), labels, logits)
    c.grad(
        "softmax_xent_axis0",
        lambda p, q: tf.nn.softmax_cross_entropy_with_logits(tf.transpose(p), tf.transpose(q), axis=0),
        labels,
        logits,
    )
    unnormalized = tf.constant([[0.5, 0.9, 0.0], [1.0, 1.0, 1.0]])
    c.grad(
        "softmax_xent_unnormalized",
        lambda p, q: tf.nn.softmax_cross_entropy_with_logits(p, q),
        unnormalized,
        tf.constant([[1.0, 2.0, 3.0], [0.0, -1.0, 2.0]]),
    )
    c.value("softmax_xent_int_labels", tf.nn.softmax_cross_entropy_with_logits([[0, 1, 0, 0, 0]] * 4, logits))
    c.grad(
        "sparse_xent",
        lambda q: tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([2, 0, 4, 1], tf.int64), q),
        logits,
    )
    c.grad(
        "sparse_xent_3d",
        lambda q: tf.nn.sparse_softmax_cross_entropy_with_logits([[2], [0]], tf.reshape(q[:2], [2, 1, 5])),
        logits,
    )
    binary_labels = tf.constant(rs.uniform(0, 1, (4, 5)).astype("float32"))
    c.grad("sigmoid_xent", lambda p, q: tf.nn.sigmoid_cross_entropy_with_logits(p, q), binary_labels, logits)
    c.grad(
        "weighted_xent",
        lambda p, q: tf.nn.weighted_cross_entropy_with_logits(p, q, pos_weight=1.7),
        binary_labels,
        logits,
    )
    kinks = tf.constant([0.0, 0.0, 1.0, -1.0])
    c.grad("sigmoid_xent_kink", lambda q: tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(q) * 0.3, q), kinks)
    c.grad(
        "weighted_xent_kink", lambda q: tf.nn.weighted_cross_entropy_with_logits(tf.ones_like(q) * 0.3, q, 2.0), kinks
    )
    c.grad("bias_add", lambda v, b: tf.nn.bias_add(v, b), logits, tf.constant(rs.randn(5).astype("float32")))
    nchw = tf.constant(rs.randn(2, 3, 2, 2).astype("float32"))
    c.grad(
        "bias_add_nchw",
        lambda v, b: tf.nn.bias_add(v, b, data_format="NCHW"),
        nchw,
        tf.constant([1.0, 2.0, 3.0]),
    )
    c.grad("moments", lambda t: tf.nn.moments(t, axes=[0]), logits)
    c.grad("moments_keepdims", lambda t: tf.nn.moments(t, axes=[0, 1], keepdims=True), nchw)
    c.value("moments_int", list(tf.nn.moments(tf.constant([1, 2, 4]), axes=[0])))
    c.grad("l2_loss", tf.nn.l2_loss, logits)
    c.grad("nn_l2_normalize", lambda t: tf.nn.l2_normalize(t, axis=0), logits)
    c.value("relu_int", tf.nn.relu(tf.constant([-1, 2])))
    c.value("relu6_int", tf.nn.relu6(tf.constant([-1, 8])))
    c.value("leaky_relu_int", tf.nn.leaky_relu(tf.constant([-1, 8])))
    c.value("compute_average_loss", tf.nn.compute_average_loss(tf.constant([1.0, 2.0, 3.0]), global_batch_size=4))

    out = c.results()
    out["errors"] = [
        _error_name(f)
        for f in (
            lambda: tf.nn.softmax_cross_entropy_with_logits([[0.0, 1.0]], logits),
            lambda: tf.nn.sparse_softmax_cross_entropy_with_logits([5, 0, 0, 0], logits),
            lambda: tf.nn.sparse_softmax_cross_entropy_with_logits([-1, 0, 0, 0], logits),
            lambda: tf.nn.sparse_softmax_cross_entropy_with_logits([2.0, 0.0, 0.0, 0.0], logits),
            lambda: tf.nn.sparse_softmax_cross_entropy_with_logits([2, 0, 1], logits),
            lambda: tf.nn.sparse_softmax_cross_entropy_with_logits([2, 0], [[1, 2, 3], [3, 4, 0]]),
            lambda: tf.nn.bias_add(logits, [1.0, 2.0]),
            lambda: tf.nn.bias_add(logits, [[1.0, 2.0, 3.0, 4.0, 5.0]]),
            lambda: tf.nn.bias_add(logits, tf.constant([1, 2, 3, 4, 5])),
            lambda: tf.nn.bias_add([1.0, 2.0], [1.0, 2.0]),
            lambda: tf.nn.gelu(tf.constant([1, 2])),
            lambda: tf.nn.elu(tf.constant([-1, 8])),
            lambda: tf.nn.softplus(tf.constant([-1, 8])),
            lambda: tf.nn.softmax(logits, axis=2),
            lambda: tf.nn.softmax(tf.constant([1, 2])),
            lambda: tf.nn.l2_loss(tf.constant([1, 2])),
        )
    ]
    return out


# --------------------------------------------------------------------------- random


def case_ops_random(tf: Any) -> dict[str, Any]:
    """tf.random: shapes, dtypes, ranges and moments (values cannot match TF's streams), the
    determinism of seeds and Generators, and error types."""
    out: dict[str, Any] = {}

    def props(t: Any) -> str:
        return f"{t.dtype.name}{list(t.shape)}"

    tf.random.set_seed(1)
    n = tf.random.normal([4000], mean=1.0, stddev=2.0)
    t = tf.random.truncated_normal([4000], mean=-1.0, stddev=0.5, dtype=tf.float64)
    u = tf.random.uniform([4000], minval=2.0, maxval=5.0)
    ui = tf.random.uniform([4000], minval=-3, maxval=4, dtype=tf.int64)
    cat = tf.random.categorical(tf.math.log([[0.1, 0.9], [0.5, 0.5]]), 3000)
    cat32 = tf.random.categorical([[0.0, -np.inf]], 5, dtype=tf.int32)
    sh = tf.random.shuffle(tf.range(10))
    sh2 = tf.random.shuffle(tf.reshape(tf.range(12), [6, 2]))
    out["props"] = [props(v) for v in (n, t, u, ui, cat, cat32, sh, sh2)]
    out["normal_moments_ok"] = str(
        abs(float(tf.reduce_mean(n)) - 1.0) < 0.15 and abs(float(tf.math.reduce_std(n)) - 2.0) < 0.15
    )
    out["truncated_in_range"] = str(bool(tf.reduce_all(tf.abs(t + 1.0) <= 1.0 + 1e-6)))
    out["truncated_std_ok"] = str(abs(float(tf.math.reduce_std(t)) - 0.5 * 0.8796) < 0.03)
    out["uniform_in_range"] = str(bool(tf.reduce_all((u >= 2.0) & (u < 5.0))))
    out["uniform_mean_ok"] = str(abs(float(tf.reduce_mean(u)) - 3.5) < 0.1)
    out["uniform_int_values"] = str(sorted(set(ui.numpy().tolist())))
    freq = tf.reduce_mean(tf.cast(cat, tf.float32), axis=1).numpy()
    out["categorical_freq_ok"] = str(bool(abs(freq[0] - 0.9) < 0.05 and abs(freq[1] - 0.5) < 0.05))
    out["categorical_never_impossible"] = str(cat32.numpy().tolist())
    out["shuffle_is_permutation"] = str(sorted(sh.numpy().tolist()) == list(range(10)))
    out["shuffle_rows_kept"] = str(sorted(sh2.numpy().tolist()) == [[2 * i, 2 * i + 1] for i in range(6)])

    tf.random.set_seed(5)
    first = tf.random.uniform([3]).numpy()
    tf.random.set_seed(5)
    out["set_seed_repeats"] = str(bool(np.array_equal(first, tf.random.uniform([3]).numpy())))

    g1 = tf.random.Generator.from_seed(11)
    g2 = tf.random.Generator.from_seed(11)
    a1, a2 = g1.normal([5]), g1.normal([5])
    b1 = g2.normal([5])
    out["generator_same_seed"] = str(bool(np.array_equal(a1.numpy(), b1.numpy())))
    out["generator_advances"] = str(not np.array_equal(a1.numpy(), a2.numpy()))
    gu = g1.uniform([1000], minval=1.0, maxval=2.0, dtype=tf.float64)
    gi = g1.uniform([1000], minval=0, maxval=3, dtype=tf.int32)
    gt = g1.truncated_normal([1000])
    out["generator_props"] = [props(v) for v in (a1, gu, gi, gt)]
    out["generator_ranges"] = str(
        bool(tf.reduce_all((gu >= 1.0) & (gu < 2.0)))
        and sorted(set(gi.numpy().tolist())) == [0, 1, 2]
        and bool(tf.reduce_all(tf.abs(gt) <= 2.0))
    )
    out["generator_state"] = f"{g1.state.dtype.is_integer} {g1.state.trainable} {g1.state.name}"
    g3 = tf.random.Generator.from_seed(3)
    g4 = tf.random.Generator.from_seed(3)
    step = tf.function(lambda: g3.normal([4]))
    in_function = [step().numpy(), step().numpy()]
    eager = [g4.normal([4]).numpy(), g4.normal([4]).numpy()]
    out["generator_function_matches_eager"] = str(
        bool(np.array_equal(in_function[0], eager[0]) and np.array_equal(in_function[1], eager[1]))
    )
    nd = tf.random.Generator.from_non_deterministic_state()
    out["generator_non_deterministic"] = props(nd.normal([2, 3]))

    out["errors"] = [
        _error_name(f)
        for f in (
            lambda: tf.random.uniform([2], dtype=tf.int32),
            lambda: tf.random.uniform([2], 5, 1, dtype=tf.int32),
            lambda: tf.random.uniform([2], dtype=tf.bool),
            lambda: tf.random.normal([2], dtype=tf.int32),
            lambda: tf.random.truncated_normal([3], dtype=tf.int32),
            lambda: tf.random.categorical([0.0, 1.0], 2),
            lambda: tf.random.categorical([[0.0, 1.0]], 2, dtype=tf.float32),
            lambda: g1.uniform([2], dtype=tf.int32),
        )
    ]
    return out


REFERENCES: dict[str, Reference] = {
    "ops_creation_shape": Reference("ops_creation_shape"),
    "ops_indexing": Reference("ops_indexing"),
    "ops_math": Reference("ops_math"),
    "ops_reduce_linalg": Reference("ops_reduce_linalg"),
    "ops_nn": Reference("ops_nn"),
    "ops_random": Reference("ops_random"),
}
