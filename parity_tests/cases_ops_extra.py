"""Parity cases: more TF ops — sorting and uniqueness, scatter and segment reductions, linear
algebra decompositions, `tf.image`, stateless random ops, shapes everywhere, and the ops'
error contract (class, builtin bases, tf.errors class, key phrases, state after the error).

Same contract as `parity_tests/cases.py`; gradients are d(sum(op(x) * W))/dx with fixed
weights W (see `cases_ops._Checker`). Each case also runs a representative part of its ops
inside `tf.function` (keys `fn/...`), which must give the eager numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy
from parity_tests.cases_ops import _Checker


def _rand(shape: tuple, seed: int, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    return np.random.RandomState(seed).uniform(low, high, size=shape).astype(np.float32)


def _in_function(c: _Checker, name: str, fn: Any, *args: Any) -> None:
    """Values and gradients of `fn(*args)` computed inside one `tf.function` (keys `fn/NAME...`)."""
    tf = c.tf

    @tf.function
    def run(*xs):
        with tf.GradientTape() as tape:
            for x in xs:
                tape.watch(x)
            y = fn(*xs)
        ys = list(y) if isinstance(y, (list, tuple)) else [y]
        weights = [
            tf.constant(np.random.RandomState(3 + i).uniform(-1, 1, t.shape).astype(np.float32))
            for i, t in enumerate(ys)
        ]
        grads = tape.gradient(ys, list(xs), output_gradients=weights)
        return ys, [None if g is None else tf.convert_to_tensor(g) for g in grads]

    ys, grads = run(*[tf.constant(a) for a in args])
    for i, y in enumerate(ys):
        c.value(f"fn/{name}[{i}]", y)
    for i, g in enumerate(grads):
        c.out[f"fn/{name}/grad{i}"] = "None" if g is None else to_numpy(g)


# --------------------------------------------------------------------------- sorting, unique


def case_opsx_sort_unique(tf: Any) -> dict[str, Any]:
    """tf.sort / argsort (direction, ties, axis), tf.math.top_k (k, sorted, ties), tf.unique,
    tf.unique_with_counts, cumsum/cumprod (exclusive, reverse), clip_by_value, one_hot."""
    c = _Checker(tf)
    ties = tf.constant([[3.0, 1.0, 3.0, 2.0, 1.0], [0.5, -1.0, 0.5, 0.5, 2.0]])
    c.grad("sort_asc", lambda x: tf.sort(x), ties)
    c.grad("sort_desc", lambda x: tf.sort(x, direction="DESCENDING"), ties)
    c.grad("sort_axis0", lambda x: tf.sort(x, axis=0, direction="DESCENDING"), ties)
    c.value("sort_int", tf.sort(tf.constant([5, -2, 7, -2, 0]), direction="DESCENDING"))
    c.value("argsort_asc", tf.argsort(ties))
    c.value("argsort_desc", tf.argsort(ties, direction="DESCENDING"))
    c.value("argsort_stable", tf.argsort(ties, axis=0, stable=True))
    c.value("argsort_int", tf.argsort(tf.constant([5, -2, 7, -2, 0])))
    c.grad("top_k", lambda x: tf.math.top_k(x, k=3), ties)
    top = tf.math.top_k(ties, k=2)
    c.value("top_k_fields", [top.values, top.indices])
    c.value("top_k_k0", tf.math.top_k(ties, k=0).values)
    c.value("top_k_int", tf.math.top_k(tf.constant([5, -2, 7, -2, 0]), k=4))
    c.value("top_k_nn", tf.nn.top_k(tf.constant([1.0, 4.0, 2.0]), 2).indices)

    u = tf.unique(tf.constant([3, 1, 3, 2, 1, 7]))
    c.value("unique", [u.y, u.idx])
    c.value("unique_float_int64", list(tf.unique(tf.constant([2.5, -1.0, 2.5]), out_idx=tf.int64)))
    c.value("unique_bool", list(tf.unique(tf.constant([True, False, True]))))
    c.value("unique_empty", list(tf.unique(tf.zeros([0]))))
    c.value("unique_nan_zeros", list(tf.unique(tf.constant([np.nan, 0.0, -0.0, np.nan, 1.0]))))
    uc = tf.unique_with_counts(tf.constant([4, 4, 1, 4, 9, 1]))
    c.value("unique_with_counts", [uc.y, uc.idx, uc.count])
    c.value("unique_with_counts_int64", list(tf.unique_with_counts(tf.constant([1, 1, 2]), out_idx=tf.int64)))
    c.out["unique_types"] = [type(u).__name__, type(uc).__name__, ",".join(uc._fields)]

    x = tf.constant([[1.0, 2.0, 0.0, -3.0], [0.5, 4.0, 2.0, 1.5]])
    for exclusive in (False, True):
        for reverse in (False, True):
            tag = f"e{int(exclusive)}r{int(reverse)}"
            c.grad(f"cumsum_{tag}", lambda v, e=exclusive, r=reverse: tf.cumsum(v, axis=1, exclusive=e, reverse=r), x)
            c.grad(
                f"cumprod_{tag}",
                lambda v, e=exclusive, r=reverse: tf.math.cumprod(v, axis=1, exclusive=e, reverse=r),
                x,
            )
    c.value("cumsum_int_axis0", tf.cumsum(tf.constant([[1, 2], [3, 4]]), axis=0, reverse=True))
    c.grad("clip_by_value", lambda v: tf.clip_by_value(v, -1.0, 1.5), x)
    c.grad(
        "clip_tensor_bounds",
        lambda v, lo, hi: tf.clip_by_value(v, lo, hi),
        x,
        tf.constant([0.0, 1.0, 0.0, -4.0]),
        tf.constant(1.8),
    )
    c.value("clip_int", tf.clip_by_value(tf.constant([-5, 0, 5]), -2, 3))
    c.grad("tile", lambda v: tf.tile(v, [2, 3]), x)
    c.value("tile_int_zero", tf.tile(tf.constant([[1, 2]]), [0, 2]))
    c.grad("pad_constant", lambda v: tf.pad(v, [[1, 0], [2, 1]], constant_values=-7.5), x)
    c.grad("pad_reflect", lambda v: tf.pad(v, [[1, 1], [3, 2]], mode="REFLECT"), x)
    c.grad("pad_symmetric", lambda v: tf.pad(v, [[2, 2], [4, 0]], mode="symmetric"), x)
    c.value("pad_int", tf.pad(tf.constant([[1, 2]]), tf.constant([[0, 1], [1, 1]]), constant_values=9))
    idx = tf.constant([0, 2, -1, 5])
    c.value("one_hot", tf.one_hot(idx, 3))
    c.value("one_hot_values", tf.one_hot(idx, 3, on_value=5.0, off_value=-1.0))
    c.value("one_hot_axis0", tf.one_hot(idx, 3, axis=0))
    c.value("one_hot_int", tf.one_hot(idx, 4, dtype=tf.int32))
    c.value("one_hot_2d_axis1", tf.one_hot(tf.constant([[0, 1], [2, 0]]), 3, axis=1, on_value=2, off_value=0))
    c.value("one_hot_bool", tf.one_hot(idx, 3, on_value=True, off_value=False))
    c.value("one_hot_int64_idx", tf.one_hot(tf.constant([1, 0], tf.int64), 2, dtype=tf.float64))

    _in_function(
        c,
        "sort_top_k",
        lambda v: [tf.sort(v, direction="DESCENDING"), tf.math.top_k(v, 2).values, tf.cast(tf.argsort(v), tf.float32)],
        ties.numpy(),
    )
    _in_function(
        c,
        "cum_clip",
        lambda v: [
            tf.cumsum(v, axis=1, exclusive=True, reverse=True),
            tf.math.cumprod(v, axis=1, exclusive=True),
            tf.clip_by_value(v, -1.0, 1.5),
        ],
        x.numpy(),
    )
    return c.results()


# --------------------------------------------------------------------------- scatter, segments


def case_opsx_scatter_segment(tf: Any) -> dict[str, Any]:
    """tf.scatter_nd, tf.tensor_scatter_nd_update/add/sub/min/max (duplicates, slices, ties),
    segment_* (sorted, with gaps and ties) and unsorted_segment_* (negative ids, empty
    segments, multi-dimensional ids, int dtypes), gather/gather_nd with batch_dims, where."""
    c = _Checker(tf)
    data = tf.constant([3.0, 1.0, 3.0, 2.0, 5.0, 5.0])
    sorted_ids = tf.constant([0, 0, 0, 2, 2, 2])
    for op in ("segment_sum", "segment_mean", "segment_max", "segment_min", "segment_prod"):
        c.grad(op, lambda d, f=getattr(tf.math, op): f(d, sorted_ids), data)
    rows = tf.constant(_rand((4, 3), 1))
    c.grad("segment_sum_rows", lambda d: tf.math.segment_sum(d, tf.constant([0, 1, 1, 3])), rows)
    c.grad("segment_max_rows", lambda d: tf.math.segment_max(d, tf.constant([0, 0, 1, 1], tf.int64)), rows)
    c.value(
        "segment_int",
        [
            tf.math.segment_max(tf.constant([1, 2, 7]), [0, 2, 2]),
            tf.math.segment_mean(tf.constant([1, 2, 4]), [0, 0, 0]),
            tf.math.segment_prod(tf.constant([2, 3, 4]), [0, 0, 2]),
        ],
    )
    c.value("segment_empty", tf.math.segment_sum(tf.zeros([0, 2]), tf.zeros([0], tf.int32)))

    unsorted_ids = tf.constant([1, 0, 1, -1, 1, 3])
    for op in (
        "unsorted_segment_sum",
        "unsorted_segment_mean",
        "unsorted_segment_max",
        "unsorted_segment_min",
        "unsorted_segment_prod",
        "unsorted_segment_sqrt_n",
    ):
        c.grad(op, lambda d, f=getattr(tf.math, op): f(d, unsorted_ids, 4), data)
    c.grad(
        "unsorted_prod_zeros",
        lambda d: tf.math.unsorted_segment_prod(d, tf.constant([0, 0, 1, 1, 1, 2]), 3),
        tf.constant([0.0, 2.0, 0.0, 0.0, 3.0, 0.0]),
    )
    c.grad("unsorted_rows", lambda d: tf.math.unsorted_segment_max(d, tf.constant([2, 0, 2, 2]), 3), rows)
    c.value("unsorted_2d_ids", tf.math.unsorted_segment_sum(tf.constant([[1, 2], [3, 4]]), [[0, 1], [1, 1]], 2))
    c.value(
        "unsorted_int_empty",
        [
            tf.math.unsorted_segment_max(tf.constant([1, 2]), [0, 0], 3),
            tf.math.unsorted_segment_min(tf.constant([1, 2], tf.int64), [0, 0], 2),
            tf.math.unsorted_segment_prod(tf.constant([2, 3]), [1, 1], 3),
        ],
    )
    c.value(
        "unsorted_float_empty",
        [
            tf.math.unsorted_segment_max(tf.constant([1.0]), [0], 2),
            tf.math.unsorted_segment_min(tf.constant([1.0], tf.float64), [0], 2),
        ],
    )
    c.value(
        "unsorted_int_means",
        [
            tf.math.unsorted_segment_mean(tf.constant([1, 2, 4]), [0, 0, 0], 2),
            tf.math.unsorted_segment_mean(tf.constant([1, 2], tf.int16), [1, 1], 2),
            tf.math.segment_mean(tf.constant([1, 2], tf.int64), [0, 0]),
        ],
    )
    c.value("unsorted_num_tensor", tf.math.unsorted_segment_sum(data, unsorted_ids, tf.constant(5, tf.int64)))

    c.value("scatter_nd", tf.scatter_nd([[1], [3], [1]], [1.0, 2.0, 3.0], [5]))
    c.value("scatter_nd_int", tf.scatter_nd([[1], [3], [1]], [1, 2, 3], tf.constant([5], tf.int64)))
    c.value("scatter_nd_slices", tf.scatter_nd([[0], [2]], [[1.0, 2.0], [3.0, 4.0]], [3, 2]))
    c.value("scatter_nd_2d_index", tf.scatter_nd(tf.constant([[0, 1], [1, 0]], tf.int64), [7, 8], [2, 2]))
    upd = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    c.grad("scatter_nd_grad", lambda u: tf.scatter_nd([[1], [1]], u, [3, 2]), upd)
    base = tf.constant([1.0, 2.0, 3.0, 4.0])
    updates = tf.constant([9.0, -1.0, 0.5])
    where = [[1], [3], [1]]
    for op in (
        "tensor_scatter_nd_update",
        "tensor_scatter_nd_add",
        "tensor_scatter_nd_sub",
        "tensor_scatter_nd_min",
        "tensor_scatter_nd_max",
    ):
        c.grad(op, lambda t, u, f=getattr(tf, op): f(t, where, u), base, updates)
    c.grad(
        "tensor_scatter_ties",
        lambda t, u: tf.tensor_scatter_nd_max(t, [[0], [0], [2]], u),
        tf.constant([2.0, 1.0, 3.0]),
        tf.constant([2.0, 2.0, 1.0]),
    )
    c.grad(
        "tensor_scatter_rows",
        lambda t, u: tf.tensor_scatter_nd_update(t, [[2], [0]], u),
        rows,
        tf.constant(_rand((2, 3), 5)),
    )
    c.value("tensor_scatter_python_updates", tf.tensor_scatter_nd_update(base, [[1]], [5]))
    c.value("tensor_scatter_int", tf.tensor_scatter_nd_add(tf.constant([[1, 2], [3, 4]]), [[1, 1]], [10]))

    params = tf.constant(_rand((2, 3, 4), 2))
    c.grad("gather_axis1", lambda p: tf.gather(p, [2, 0, 2], axis=1), params)
    c.grad("gather_batch", lambda p: tf.gather(p, [[1, 1], [0, 2]], axis=1, batch_dims=1), params)
    c.grad("gather_batch_axis2", lambda p: tf.gather(p, [[3], [0]], axis=2, batch_dims=1), params)
    c.grad("gather_nd", lambda p: tf.gather_nd(p, [[0, 2], [1, 0], [0, 2]]), params)
    c.grad("gather_nd_batch", lambda p: tf.gather_nd(p, [[[1, 3]], [[2, 0]]], batch_dims=1), params)
    c.grad(
        "where_broadcast",
        lambda a, b: tf.where(tf.constant([[True], [False]]), a, b),
        tf.constant([1.0, 2.0, 3.0]),
        tf.constant([[4.0], [5.0]]),
    )
    c.value("where_coords", tf.where(tf.constant([[0, 3], [2, 0]])))
    c.value("where_coords_bool", tf.where(tf.constant([False, True, True])))

    _in_function(
        c,
        "scatter_segment",
        lambda d, t, u: [
            tf.math.unsorted_segment_max(d, unsorted_ids, 4),
            tf.math.unsorted_segment_prod(d, unsorted_ids, 4),
            tf.math.unsorted_segment_mean(d, unsorted_ids, 4),
            tf.tensor_scatter_nd_min(t, where, u),
            tf.tensor_scatter_nd_update(t, where, u),
            tf.scatter_nd(where, u, [4]),
        ],
        data.numpy(),
        base.numpy(),
        updates.numpy(),
    )
    _in_function(
        c,
        "gather",
        lambda p: [tf.gather(p, [[1, 1], [0, 2]], axis=1, batch_dims=1), tf.gather_nd(p, [[0, 2], [1, 0]])],
        params.numpy(),
    )
    return c.results()


# --------------------------------------------------------------------------- shapes


def case_opsx_shapes(tf: Any) -> dict[str, Any]:
    """Shapes everywhere: TensorShape as an op's shape argument, converted to a Tensor
    (reduce_prod(kernel.shape)), tuples / lists / numpy ints / int32 and int64 tensors as
    shapes, the TensorShape API, tf.shape / rank / size out_type."""
    c = _Checker(tf)
    u = tf.reshape(tf.range(6.0), [2, 3])
    v = tf.zeros([3, 2])
    c.value("reshape_to_shape", tf.reshape(u, v.shape))
    c.value("zeros_shape", tf.zeros(u.shape))
    c.value("ones_shape", tf.ones(u.shape, tf.int32))
    c.value("fill_shape", tf.fill(u.shape, 2.5))
    c.value("broadcast_to_shape", tf.broadcast_to(tf.constant([1.0, 2.0, 3.0]), u.shape))
    c.value("zeros_like_shape", tf.zeros(u.shape[1:]))
    c.out["normal_shape"] = str(tf.random.normal(u.shape).shape)
    c.out["uniform_shape"] = str(tf.random.uniform(u.shape[:1], dtype=tf.float64).dtype.name)
    c.value("zeros_tuple_np", tf.zeros((np.int64(2), np.int32(1))))
    c.value("zeros_mixed", tf.zeros([np.int64(1), tf.constant(2), 2]))
    c.value("zeros_int64_tensor", tf.zeros(tf.constant([2, 1], tf.int64)))
    c.value("ones_int32_tensor", tf.ones(tf.shape(u)))
    c.value("reshape_int64", tf.reshape(u, tf.constant([3, -1], tf.int64)))
    c.value("reshape_np", tf.reshape(u, np.array([1, 6])))
    c.value("tile_shape_tensor", tf.tile(tf.constant([[1, 2]]), tf.constant([2, 1], tf.int64)))
    kernel = tf.zeros([3, 4, 5])
    c.value("reduce_prod_shape", tf.reduce_prod(kernel.shape))
    c.value("reduce_sum_shape", tf.reduce_sum(kernel.shape))
    c.value("convert_shape", tf.convert_to_tensor(kernel.shape))
    c.value("convert_shape_int64", tf.convert_to_tensor(kernel.shape, dtype=tf.int64))
    c.value("convert_shape_empty", tf.convert_to_tensor(tf.TensorShape([])))
    c.value("convert_shape_big", tf.convert_to_tensor(tf.TensorShape([2**33])))
    c.value("constant_shape", tf.constant(kernel.shape))
    c.value("cast_shape", tf.cast(kernel.shape, tf.float32))
    c.value("shape_plus", tf.convert_to_tensor(kernel.shape) + 1)
    c.value("shape_int64", tf.shape(kernel, out_type=tf.int64))
    c.value("size_out", [tf.size(kernel), tf.size(kernel, out_type=tf.int64), tf.size(kernel, out_type=tf.float32)])
    c.value("rank", tf.rank(kernel))
    c.value("shape_of_list", tf.shape([[1, 2, 3]]))

    s = tf.TensorShape([None, 3])
    full = tf.TensorShape([2, 3])
    unknown = tf.TensorShape(None)
    c.out["ts/str"] = [str(s), repr(s), str(unknown), repr(unknown), str(tf.TensorShape([])), str(tf.TensorShape([4]))]
    c.out["ts/attrs"] = [
        str(x)
        for x in (
            s.rank,
            s.ndims,
            unknown.rank,
            s.as_list(),
            s.num_elements(),
            full.num_elements(),
            s.is_fully_defined(),
            full.is_fully_defined(),
            unknown.is_fully_defined(),
            len(s),
            s[0],
            s[-1],
            s[1:],
            unknown[0],
            unknown[1:],
            unknown[:2],
            bool(unknown),
            bool(tf.TensorShape([])),
        )
    ]
    c.out["ts/compare"] = [
        str(x)
        for x in (
            s == [None, 3],
            full == (2, 3),
            full == [2, 4],
            full != [2, 3],
            unknown == tf.TensorShape(None),
            full == "ab",
            s.is_compatible_with(full),
            s.is_compatible_with([2, 4]),
            s.is_compatible_with(unknown),
            full.is_compatible_with([2, 3, 1]),
        )
    ]
    c.out["ts/combine"] = [
        str(x)
        for x in (
            s.merge_with(full),
            s.merge_with(unknown),
            unknown.merge_with(s),
            s.concatenate([4]),
            s + full,
            [1] + s,
            s.concatenate(unknown),
            full.most_specific_compatible_shape([2, 5]),
            full.most_specific_compatible_shape([2]),
            unknown.with_rank(2),
            s.with_rank(2),
            s.with_rank_at_least(1),
            s.with_rank_at_most(2),
            tf.TensorShape(3),
            tf.TensorShape((np.int64(2), None)),
            tf.TensorShape(full),
            list(full),
            full.as_list(),
        )
    ]
    c.out["ts/dims_known"] = [str(d == 1) for d in tf.TensorShape([1, 2]).dims]
    c.out["ts/from_tensor_shape"] = [str(tf.ones([2, 1, 3]).shape), str(tf.ones([2, 1, 3]).get_shape()[1:])]
    add_error_contract(
        c.out, tf, "ts_merge", lambda: s.merge_with([2, 4]), phrases=("(None, 3)", "(2, 4)", "not compatible")
    )
    add_error_contract(
        c.out, tf, "ts_assert", lambda: s.assert_is_compatible_with([3, 3]), phrases=("(None, 3)", "incompatible")
    )
    add_error_contract(c.out, tf, "ts_rank", lambda: full.with_rank(3), phrases=("(2, 3)", "must have rank 3"))
    add_error_contract(
        c.out, tf, "ts_rank_at_least", lambda: full.with_rank_at_least(3), phrases=("(2, 3)", "rank at least 3")
    )
    add_error_contract(
        c.out,
        tf,
        "ts_float_dim",
        lambda: tf.TensorShape([1.5]),
        phrases=("Dimension value must be integer or None", "1.5"),
    )
    add_error_contract(
        c.out, tf, "ts_negative_dim", lambda: tf.TensorShape([2, -1]), phrases=("Dimension -1 must be >= 0",)
    )
    add_error_contract(
        c.out,
        tf,
        "ts_as_list_unknown",
        lambda: unknown.as_list(),
        phrases=("as_list() is not defined on an unknown TensorShape",),
    )
    add_error_contract(c.out, tf, "ts_len_unknown", lambda: len(unknown), phrases=("unknown rank",))
    add_error_contract(c.out, tf, "ts_iter_unknown", lambda: list(unknown), phrases=("unknown rank",))
    add_error_contract(
        c.out,
        tf,
        "convert_partial_shape",
        lambda: tf.convert_to_tensor(s),
        phrases=("Cannot convert a partially known TensorShape", "(None, 3)"),
    )
    add_error_contract(
        c.out,
        tf,
        "convert_shape_float",
        lambda: tf.convert_to_tensor(full, dtype=tf.float32),
        phrases=("Cannot convert TensorShape (2, 3)", "float32", "tf.int32 and tf.int64"),
    )
    add_error_contract(
        c.out,
        tf,
        "zeros_partial_shape",
        lambda: tf.zeros(tf.TensorShape([2, None])),
        phrases=("partially known TensorShape (2, None)",),
    )
    add_error_contract(
        c.out,
        tf,
        "zeros_float_shape",
        lambda: tf.zeros(tf.constant([2.0, 3.0])),
        phrases=("index_type", "float", "int32, int64"),
    )
    add_error_contract(
        c.out,
        tf,
        "shape_out_type",
        lambda: tf.shape(u, out_type=tf.float32),
        phrases=("out_type", "float", "int32, int64"),
    )
    add_error_contract(c.out, tf, "zeros_negative", lambda: tf.zeros([2, -1]), phrases=("Dimension -1 must be >= 0",))

    @tf.function
    def shaped(x):
        return [
            tf.zeros(x.shape),
            tf.reshape(tf.range(6.0), x.shape),
            tf.reduce_prod(x.shape),
            tf.fill(x.shape[1:], 3.0),
            tf.broadcast_to(tf.constant(1.0), x.shape),
            tf.shape(x, out_type=tf.int64),
        ]

    for i, r in enumerate(shaped(tf.ones([3, 2]))):
        c.value(f"fn/shaped[{i}]", r)
    return c.results()


# --------------------------------------------------------------------------- linear algebra


def _column_signs_fixed(tf: Any, m: Any) -> np.ndarray:
    """`m` with each column's sign chosen so that its largest-magnitude entry is positive:
    singular / eigen vectors are unique only up to that sign (TF: Eigen, jaxport: LAPACK)."""
    m = to_numpy(m)
    pick = np.take_along_axis(m, np.abs(m).argmax(axis=-2)[..., None, :], axis=-2)
    return m * np.sign(pick)


def case_opsx_linalg(tf: Any) -> dict[str, Any]:
    """tf.linalg: inv, det, slogdet, logdet, cholesky, solve, triangular_solve, cholesky_solve,
    svd (s, u, v; compute_uv, full_matrices), qr, eigh / eigvalsh (lower triangle read),
    band_part, diag (k), diag_part, set_diag, trace, matrix_transpose, adjoint, norm, lstsq,
    pinv, einsum, tensordot, with gradients; vectors compared up to their column signs."""
    c = _Checker(tf)
    a = tf.constant(_rand((3, 2), 11))
    spd = tf.constant([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
    asym = tf.constant([[4.0, 9.0, -3.0], [1.0, 3.0, 7.0], [0.5, 0.2, 2.0]])  # eigh reads the lower triangle
    batch = tf.constant(_rand((2, 3, 3), 12) + 2.0 * np.eye(3, dtype=np.float32))
    rhs = tf.constant(_rand((3, 2), 13))
    c.grad("inv", lambda m: tf.linalg.inv(m), batch)
    c.grad("inv_adjoint", lambda m: tf.linalg.inv(m, adjoint=True), spd)
    c.grad("det", lambda m: tf.linalg.det(m), batch)
    c.grad("slogdet", lambda m: list(tf.linalg.slogdet(m)), -spd)
    c.grad("logdet", lambda m: tf.linalg.logdet(m), spd)
    c.grad("cholesky", lambda m: tf.linalg.cholesky(m), spd)
    c.grad("solve", lambda m, b: tf.linalg.solve(m, b), batch[0], rhs)
    c.grad("solve_adjoint", lambda m, b: tf.linalg.solve(m, b, adjoint=True), spd, rhs)
    c.grad("triangular_lower", lambda m, b: tf.linalg.triangular_solve(m, b), spd, rhs)
    c.grad("triangular_upper_adj", lambda m, b: tf.linalg.triangular_solve(m, b, lower=False, adjoint=True), asym, rhs)
    c.value("triangular_batch_rhs", tf.linalg.triangular_solve(batch, tf.ones([2, 3, 1])))
    c.grad("cholesky_solve", lambda m, b: tf.linalg.cholesky_solve(tf.linalg.cholesky(m), b), spd, rhs)

    s, u, v = tf.linalg.svd(a)
    c.value("svd_s", s)
    c.out["svd_u"] = _column_signs_fixed(tf, u)
    c.out["svd_v"] = _column_signs_fixed(tf, v)
    c.out["svd_reconstructs"] = to_numpy(tf.matmul(u * s, v, transpose_b=True))
    s_full, u_full, v_full = tf.linalg.svd(a, full_matrices=True)
    c.value("svd_full_shapes", [tf.shape(s_full), tf.shape(u_full), tf.shape(v_full)])
    c.out["svd_full_u"] = _column_signs_fixed(tf, u_full)
    c.grad("svd_s_only", lambda m: tf.linalg.svd(m, compute_uv=False), tf.constant(_rand((2, 4, 3), 14)))
    c.grad("svd_invariants", lambda m: [tf.linalg.svd(m)[0], tf.linalg.svd(m)[1] ** 2, tf.linalg.svd(m)[2] ** 2], a)
    q, r = tf.linalg.qr(a)
    c.value("qr", [q, r])
    c.value("qr_full", list(tf.linalg.qr(a, full_matrices=True)))
    c.grad("qr_grad", lambda m: list(tf.linalg.qr(m)), a)
    e, w = tf.linalg.eigh(asym)
    c.value("eigh_e", e)
    c.out["eigh_v"] = _column_signs_fixed(tf, w)
    c.grad("eigh_values", lambda m: tf.linalg.eigh(m)[0], asym)
    c.grad("eigh_invariants", lambda m: tf.linalg.eigh(m)[1] ** 2, spd)
    c.grad("eigvalsh", lambda m: tf.linalg.eigvalsh(m), batch)
    c.grad("lstsq", lambda m, b: tf.linalg.lstsq(m, b), a, rhs)
    c.grad("lstsq_l2", lambda m, b: tf.linalg.lstsq(m, b, l2_regularizer=0.5), a, rhs)
    c.grad("lstsq_under", lambda m, b: tf.linalg.lstsq(m, b), tf.transpose(a), tf.ones([2, 1]))
    c.grad("pinv", lambda m: tf.linalg.pinv(m), a)
    c.value("pinv_rank_deficient", tf.linalg.pinv(tf.constant([[1.0, 2.0], [2.0, 4.0]])))

    square = tf.reshape(tf.range(16.0), [4, 4])
    c.grad("band_part", lambda m: tf.linalg.band_part(m, 1, -1), square)
    c.value("band_part_lower", tf.linalg.band_part(square, -1, 0))
    c.value("band_part_diag", tf.linalg.band_part(tf.constant(_rand((2, 3, 4), 15)), 0, 0))
    c.grad("diag", lambda d: tf.linalg.diag(d), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    c.value("diag_k", [tf.linalg.diag([1.0, 2.0], k=1), tf.linalg.diag([1, 2], k=-2)])
    c.grad("diag_part", lambda m: tf.linalg.diag_part(m), tf.constant(_rand((2, 3), 16)))
    c.grad("set_diag", lambda m, d: tf.linalg.set_diag(m, d), batch, tf.constant(_rand((2, 3), 17)))
    c.value("set_diag_rect", tf.linalg.set_diag(tf.zeros([2, 3]), [5.0, 6.0]))
    c.grad("trace", lambda m: tf.linalg.trace(m), batch)
    c.value("matrix_transpose", [tf.linalg.matrix_transpose(tf.ones([2, 3, 1])), tf.linalg.adjoint(a)])
    for ord_ in ("euclidean", 1, 2, np.inf):
        c.grad(f"norm_vec_{ord_}", lambda m, o=ord_: tf.norm(m, ord=o, axis=1), a)
    for ord_ in ("fro", 1, 2, np.inf):
        c.grad(f"norm_mat_{ord_}", lambda m, o=ord_: tf.linalg.norm(m, ord=o, axis=[-2, -1]), batch)
    c.grad("einsum_matmul", lambda x, y: tf.einsum("ij,jk->ik", x, y), a, tf.constant(_rand((2, 4), 18)))
    c.grad("einsum_batch_trace", lambda x: tf.einsum("bii->b", x), batch)
    c.grad("einsum_ellipsis", lambda x, y: tf.einsum("...ij,...jk->...ik", x, y), batch, batch)
    c.grad(
        "einsum_outer", lambda x, y: tf.einsum("i,j->ij", x, y), tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0, 5.0])
    )
    c.value("einsum_int", tf.einsum("ij->j", tf.constant([[1, 2], [3, 4]])))
    c.grad("tensordot", lambda x, y: tf.tensordot(x, y, axes=[[1], [0]]), a, tf.constant(_rand((2, 4), 19)))

    _in_function(
        c,
        "linalg",
        lambda m, b, g: [
            tf.linalg.inv(m),
            tf.linalg.logdet(m),
            tf.linalg.triangular_solve(m, b),
            tf.linalg.lstsq(g, b[:, :1]),
            tf.linalg.svd(g, compute_uv=False),
            tf.linalg.eigh(m)[0],
            tf.linalg.qr(g)[1],
            tf.linalg.band_part(m, 0, 1),
            tf.linalg.pinv(g),
        ],
        spd.numpy(),
        rhs.numpy(),
        a.numpy(),
    )
    return c.results()


# --------------------------------------------------------------------------- image


def case_opsx_image(tf: Any) -> dict[str, Any]:
    """tf.image: resize (bilinear / nearest / bicubic / area, up and down, antialias, lanczos3,
    preserve_aspect_ratio, dtypes) with gradients, flips, rot90, crops and pads,
    convert_image_dtype (saturate), grayscale, brightness, contrast, standardisation."""
    c = _Checker(tf)
    batch = tf.constant(_rand((2, 5, 7, 2), 21, 0.0, 1.0))
    one = tf.constant(_rand((6, 4, 3), 22, 0.0, 1.0))
    pixels = tf.constant(np.random.RandomState(23).randint(0, 256, size=(5, 7, 3)).astype(np.uint8))
    for method in ("bilinear", "nearest", "bicubic", "area"):
        if method == "area":  # TF registers no gradient for ResizeArea
            c.value("resize_area_down", tf.image.resize(batch, [3, 4], method="area"))
            c.value("resize_area_up", tf.image.resize(batch, [8, 11], method="area"))
        else:
            c.grad(f"resize_{method}_down", lambda x, m=method: tf.image.resize(x, [3, 4], method=m), batch)
            c.grad(f"resize_{method}_up", lambda x, m=method: tf.image.resize(x, [8, 11], method=m), batch)
        c.value(f"resize_{method}_uint8", tf.image.resize(pixels, [4, 9], method=method))
        c.value(f"resize_{method}_odd", tf.image.resize(one, (13, 3), method=method))
    c.grad("resize_bilinear_antialias", lambda x: tf.image.resize(x, [3, 4], antialias=True), batch)
    c.grad("resize_bicubic_antialias", lambda x: tf.image.resize(x, [2, 3], method="bicubic", antialias=True), batch)
    c.value("resize_lanczos3", tf.image.resize(batch, [3, 5], method="lanczos3"))
    c.value("resize_same_size", tf.image.resize(pixels, [5, 7]))
    c.value("resize_aspect", tf.image.resize(batch, [4, 4], preserve_aspect_ratio=True))
    c.value("resize_aspect_up", tf.image.resize(one, [20, 9], preserve_aspect_ratio=True, method="nearest"))
    c.value("resize_method_enum", tf.image.resize(one, [3, 3], method=tf.image.ResizeMethod.AREA))
    c.value("resize_float64", tf.image.resize(tf.cast(one, tf.float64), [3, 2]))
    c.value("resize_size_tensor", tf.image.resize(one, tf.constant([2, 5])))

    c.grad("flip_left_right", lambda x: tf.image.flip_left_right(x), batch)
    c.value("flip_up_down", [tf.image.flip_up_down(one), tf.image.flip_up_down(batch)])
    c.value("rot90", [tf.image.rot90(one, k) for k in (1, 2, 3, 4)] + [tf.image.rot90(batch, 1)])
    c.grad("crop", lambda x: tf.image.crop_to_bounding_box(x, 1, 2, 3, 4), batch)
    c.grad("pad", lambda x: tf.image.pad_to_bounding_box(x, 1, 0, 8, 5), one)
    c.value(
        "central_crop",
        [tf.image.central_crop(one, 0.5), tf.image.central_crop(batch, 0.33), tf.image.central_crop(pixels, 1.0)],
    )
    c.value(
        "crop_or_pad",
        [
            tf.image.resize_with_crop_or_pad(one, 3, 7),
            tf.image.resize_with_crop_or_pad(batch, 6, 4),
            tf.image.resize_with_crop_or_pad(pixels, 4, 10),
        ],
    )

    floats = tf.constant([[[0.0, 0.25, 0.5], [0.75, 0.999, 1.0]]])
    c.value("convert_uint8_float", tf.image.convert_image_dtype(pixels, tf.float32))
    c.value("convert_uint8_float64", tf.image.convert_image_dtype(pixels[:1], tf.float64))
    c.value("convert_float_uint8", tf.image.convert_image_dtype(floats, tf.uint8))
    c.value("convert_float_uint8_saturate", tf.image.convert_image_dtype(floats * 1.5 - 0.2, tf.uint8, saturate=True))
    c.value("convert_float_int16", tf.image.convert_image_dtype(floats, tf.int16))
    c.value("convert_uint8_int32", tf.image.convert_image_dtype(pixels[:1], tf.int32))
    c.value("convert_int32_uint8", tf.image.convert_image_dtype(tf.constant([[[0, 2**24, 2**31 - 1]]]), tf.uint8))
    c.value("convert_same", tf.image.convert_image_dtype(floats, tf.float32))
    c.value("convert_float_float64", tf.image.convert_image_dtype(floats, tf.float64))
    c.grad("grayscale", lambda x: tf.image.rgb_to_grayscale(x), one)
    c.value("grayscale_uint8", tf.image.rgb_to_grayscale(pixels))
    c.value("grayscale_to_rgb", tf.image.grayscale_to_rgb(tf.image.rgb_to_grayscale(pixels)))
    c.grad("brightness", lambda x: tf.image.adjust_brightness(x, 0.3), one)
    c.value("brightness_uint8", tf.image.adjust_brightness(pixels, 0.2))
    c.value("brightness_uint8_negative", tf.image.adjust_brightness(pixels, -0.5))
    c.value("contrast", tf.image.adjust_contrast(batch, 1.7))  # TF: no gradient for AdjustContrastv2
    c.value("contrast_uint8", tf.image.adjust_contrast(pixels, 2.5))
    c.grad("standardize", lambda x: tf.image.per_image_standardization(x), batch)
    c.value("standardize_uint8", tf.image.per_image_standardization(pixels))
    c.value("standardize_constant", tf.image.per_image_standardization(tf.ones([2, 2, 1])))

    add_error_contract(
        c.out,
        tf,
        "resize_size_len",
        lambda: tf.image.resize(one, [2]),
        phrases=("'size' must be a 1-D Tensor of 2 elements", "new_height, new_width"),
    )
    add_error_contract(
        c.out, tf, "resize_zero", lambda: tf.image.resize(one, [0, 2]), phrases=("output dimensions must be positive",)
    )
    add_error_contract(
        c.out,
        tf,
        "resize_rank",
        lambda: tf.image.resize(tf.ones([4, 4]), [2, 2]),
        phrases=("'images' must have either 3 or 4 dimensions",),
    )
    add_error_contract(
        c.out,
        tf,
        "resize_method",
        lambda: tf.image.resize(one, [2, 2], method="foo"),
        phrases=("Resize method is not implemented", "foo"),
    )
    add_error_contract(
        c.out,
        tf,
        "crop_outside",
        lambda: tf.image.crop_to_bounding_box(one, 4, 0, 3, 4),
        phrases=("height must be >= target + offset",),
    )
    add_error_contract(
        c.out,
        tf,
        "crop_negative",
        lambda: tf.image.crop_to_bounding_box(one, 0, -1, 3, 2),
        phrases=("offset_width must be >= 0",),
    )
    add_error_contract(
        c.out,
        tf,
        "pad_too_small",
        lambda: tf.image.pad_to_bounding_box(one, 0, 0, 5, 4),
        phrases=("height must be <= target - offset",),
    )
    add_error_contract(
        c.out,
        tf,
        "central_fraction",
        lambda: tf.image.central_crop(one, 1.5),
        phrases=("central_fraction must be within (0, 1]",),
    )
    add_error_contract(
        c.out,
        tf,
        "convert_bool",
        lambda: tf.image.convert_image_dtype(one, tf.bool),
        phrases=("dtype must be either floating point or integer",),
    )
    add_error_contract(
        c.out,
        tf,
        "flip_rank",
        lambda: tf.image.flip_left_right(tf.ones([2, 2])),
        phrases=("must be at least three-dimensional", "(2, 2)"),
    )
    add_error_contract(
        c.out,
        tf,
        "grayscale_channels",
        lambda: tf.image.grayscale_to_rgb(one),
        phrases=("Last dimension of a grayscale image should be size 1",),
    )

    with tf.GradientTape(persistent=True) as tape:
        tape.watch(batch)
        area = tf.image.resize(batch, [3, 4], method="area")
        contrast = tf.image.adjust_contrast(batch, 1.7)
    add_error_contract(
        c.out,
        tf,
        "area_gradient",
        lambda: tape.gradient(area, batch),
        phrases=("gradient registry has no entry for", "ResizeArea"),
    )
    add_error_contract(
        c.out,
        tf,
        "contrast_gradient",
        lambda: tape.gradient(contrast, batch),
        phrases=("gradient registry has no entry for", "AdjustContrastv2"),
    )

    _in_function(
        c,
        "image",
        lambda x: [
            tf.image.resize(x, [3, 4]),
            tf.image.resize(x, [8, 3], method="bicubic"),
            tf.image.resize(x, [4, 9], method="nearest"),
            tf.image.per_image_standardization(x),
            tf.image.flip_left_right(x),
            tf.image.crop_to_bounding_box(x, 1, 1, 2, 3),
        ],
        batch.numpy(),
    )
    return c.results()


# --------------------------------------------------------------------------- stateless random


def case_opsx_random(tf: Any) -> dict[str, Any]:
    """tf.random.stateless_uniform / normal / truncated_normal / categorical: TF's Philox
    numbers for given seeds (dtypes, bounds, int32 and int64 seeds, integer ranges, full-range
    integers), the stateless image flips, and the same draws inside tf.function."""
    c = _Checker(tf)
    r = tf.random
    c.value("uniform", r.stateless_uniform([2, 3], seed=[1, 2]))
    c.value("uniform_bounds", r.stateless_uniform([5], seed=[-7, 123456789], minval=-2.0, maxval=3.0))
    c.value("uniform_odd_size", r.stateless_uniform([7], seed=[3, 3]))
    c.value("uniform_float64", r.stateless_uniform([3], seed=[1, 2], dtype=tf.float64))
    c.value("uniform_float16", r.stateless_uniform([3], seed=[1, 2], dtype=tf.float16))
    c.value("uniform_seed_int64", r.stateless_uniform([2], seed=tf.constant([2**40, -3], tf.int64)))
    c.value("uniform_seed_tensor", r.stateless_uniform([2, 2], seed=tf.constant([5, 9])))
    c.value("uniform_shape", r.stateless_uniform(tf.zeros([2, 1]).shape, seed=[4, 4]))
    c.value("uniform_int32", r.stateless_uniform([6], seed=[1, 2], minval=-5, maxval=100, dtype=tf.int32))
    c.value("uniform_int64", r.stateless_uniform([3], seed=[1, 2], minval=-5, maxval=10**12, dtype=tf.int64))
    c.value("uniform_full_int", r.stateless_uniform([3], seed=[1, 2], minval=None, dtype=tf.int32))
    c.value("uniform_full_int64", r.stateless_uniform([3], seed=[1, 2], minval=None, dtype=tf.int64))
    c.value("normal", r.stateless_normal([7], seed=[3, 4]))
    c.value("normal_params", r.stateless_normal([2, 2], seed=[3, 4], mean=2.0, stddev=0.5))
    c.value("normal_float64", r.stateless_normal([3], seed=[3, 4], dtype=tf.float64))
    c.value("truncated_normal", r.stateless_truncated_normal([9], seed=[5, 6]))
    c.value("truncated_normal_params", r.stateless_truncated_normal([3, 5], seed=[0, 0], mean=-1.0, stddev=3.0))
    logits = tf.constant([[0.5, 1.5, -1.0, 0.1], [2.0, -np.inf, 0.0, 1.0]])
    c.value("categorical", r.stateless_categorical(logits, 6, seed=[7, 8]))
    c.value(
        "categorical_int32", r.stateless_categorical(tf.math.log([[0.1, 0.2, 0.7]]), 5, seed=[1, 1], dtype=tf.int32)
    )
    image = tf.reshape(tf.range(24.0), [2, 3, 2, 2])
    c.value("flip_left_right", tf.image.stateless_random_flip_left_right(image, seed=[1, 3]))
    c.value("flip_up_down", tf.image.stateless_random_flip_up_down(image[0], seed=[2, 5]))
    add_error_contract(
        c.out,
        tf,
        "int_one_bound",
        lambda: r.stateless_uniform([2], seed=[1, 2], dtype=tf.int32),
        phrases=("minval", "maxval", "must be both None or not None"),
    )
    add_error_contract(
        c.out,
        tf,
        "seed_float",
        lambda: r.stateless_uniform([2], seed=tf.constant([1.0, 2.0])),
        phrases=("Tseed", "float", "int32, int64"),
    )

    @tf.function
    def draws(seed):
        return [
            r.stateless_uniform([3], seed=seed),
            r.stateless_normal([2, 2], seed=seed),
            r.stateless_truncated_normal([5], seed=seed),
            r.stateless_categorical(logits, 3, seed=seed),
        ]

    for i, value in enumerate(draws(tf.constant([11, 12]))):
        c.value(f"fn/draws[{i}]", value)
    return c.results()


# --------------------------------------------------------------------------- errors


def case_opsx_errors(tf: Any) -> dict[str, Any]:
    """The ops' error contract on bad input: class, builtin bases, tf.errors class, key phrases
    of TF's message (the argument, what was given, what was expected), and the state after."""
    out: dict[str, Any] = {}
    i32 = tf.constant([1, 2])
    f32 = tf.constant([1.0, 2.0])
    m23 = tf.ones([2, 3])
    v = tf.Variable([[1.0, 2.0, 3.0]])

    def add(key: str, fn: Any, *phrases: str, state: Any = None) -> None:
        add_error_contract(out, tf, key, fn, phrases=phrases, state=state)

    # dtypes of binary operators (TF: `/` checks in Python, the others in the kernel)
    add("truediv_int_float", lambda: i32 / f32, "`x` and `y` must have the same dtype", "tf.int32 != tf.float32")
    add("truediv_int_pyfloat", lambda: i32 / 1.5, "must have the same dtype", "tf.int32 != tf.float32")
    add("divide_int_float", lambda: tf.divide(i32, f32), "must have the same dtype")
    add("add_int_float", lambda: i32 + f32, "cannot compute AddV2", "expected to be a int32 tensor", "but is a float")
    add("sub_int_float", lambda: i32 - f32, "cannot compute Sub", "int32")
    add("mul_int_float", lambda: tf.multiply(i32, f32), "cannot compute Mul", "int32")
    add("mul_int_pyfloat", lambda: i32 * 1.5, "Cannot convert 1.5 to EagerTensor of dtype int32")
    add("pow_int_float", lambda: i32**f32, "cannot compute Pow")
    add("less_int_float", lambda: i32 < f32, "cannot compute Less")
    add("floordiv_int_float", lambda: i32 // f32, "cannot compute FloorDiv")
    add("sqrt_int", lambda: tf.sqrt(i32), "Value for attr 'T' of int32", "allowed values", "float")
    add("softmax_int", lambda: tf.nn.softmax(i32), "Value for attr 'T' of int32 is not in the list of allowed values")
    # shapes and axes
    add(
        "matmul_inner",
        lambda: tf.matmul(m23, m23),
        "Matrix size-incompatible",
        "In[0]",
        "In[1]",
        state=lambda: to_numpy(v),
    )
    add(
        "matmul_variable",
        lambda: tf.matmul(v, v),
        "Matrix size-incompatible",
        "In[0]",
        state=lambda: to_numpy(v),
    )
    add("matmul_rank", lambda: tf.matmul(m23, tf.ones([3])), "In[1] ndims must be >= 2")
    add(
        "matmul_batch",
        lambda: tf.matmul(tf.ones([2, 2, 3]), tf.ones([3, 3, 2])),
        "must have compatible batch dimensions",
        "[2,2,3] vs. [3,3,2]",
    )
    add("matmul_dtype", lambda: tf.matmul(m23, tf.ones([3, 2], tf.float64)), "was expected to be a float", "input #1")
    add("add_shapes", lambda: tf.ones([2, 3]) + tf.ones([3, 2]), "Incompatible shapes", "[op:addv2]")
    add("reduce_axis", lambda: tf.reduce_sum(m23, axis=2), "Invalid reduction dimension", "2 for input with 2")
    add("argmax_axis", lambda: tf.argmax(f32, axis=1), "Expected dimension in the range [-1, 1), but got 1")
    add("cumsum_axis", lambda: tf.cumsum(m23, axis=2), "Expected scan axis in the range [-2, 2), but got 2")
    add(
        "reshape_size",
        lambda: tf.reshape(m23, [4]),
        "Input to reshape is a tensor with 6 values",
        "requested shape has 4",
    )
    add("reshape_two_unknown", lambda: tf.reshape(m23, [-1, -1]), "Only one input size may be -1")
    add("broadcast_to", lambda: tf.broadcast_to(tf.ones([3]), [2, 2]), "Incompatible shapes: [3] vs. [2,2]")
    add(
        "concat_shapes",
        lambda: tf.concat([m23, tf.ones([3, 2])], 0),
        "Dimension 1 in both shapes must be equal",
        "shape[0] = [2,3] vs. shape[1] = [3,2]",
    )
    add(
        "stack_shapes",
        lambda: tf.stack([tf.ones([2]), tf.ones([3])]),
        "Shapes of all inputs must match",
        "values[0].shape = [2] != values[1].shape = [3]",
    )
    add("transpose_perm", lambda: tf.transpose(m23, [0, 0]), "1 is missing from {0,0}")
    add("squeeze_dim", lambda: tf.squeeze(m23, 1), "Can not squeeze dim[1], expected a dimension of 1, got 3")
    add("split_uneven", lambda: tf.split(tf.ones([5]), 2), "evenly divide the split dimension", "num_split 2")
    add("expand_dims_axis", lambda: tf.expand_dims(f32, 3), "Tried to expand dim index 3 for tensor with 1")
    add(
        "tile_length",
        lambda: tf.tile(m23, [2]),
        "Expected multiples argument to be a vector of length 2",
        "got length 1",
    )
    add("unstack_num", lambda: tf.unstack(m23, num=3), "Input shape axis 0 must equal 3", "[2,3]")
    add(
        "einsum_dims",
        lambda: tf.einsum("ij,jk->ik", m23, m23),
        "Expected dimension 3 at axis 0",
        "shaped [2,3]",
        "got dimension 2",
    )
    add("einsum_inputs", lambda: tf.einsum("ij,jk->ik", m23), 'Got 1 inputs for equation "ij,jk->ik"', "expecting 2")
    add("tensordot_axes", lambda: tf.tensordot(m23, m23, 1), "Matrix size-incompatible")
    # indices and ranges
    add("gather_range", lambda: tf.gather(tf.ones([3]), [5]), "indices[0] = 5 is not in [0, 3)")
    add("gather_axis", lambda: tf.gather(f32, [0], axis=1), "Shape must be at least rank 2 but is rank 1")
    add(
        "gather_float_indices",
        lambda: tf.gather(f32, [0.0]),
        "Value for attr 'Tindices' of float",
        "int16, int32, int64",
    )
    add(
        "gather_nd_range",
        lambda: tf.gather_nd(tf.ones([2, 2]), [[2, 0]]),
        "indices[0] = [2, 0] does not index into",
        "param shape [2,2]",
    )
    add("getitem_range", lambda: tf.ones([3])[5], "slice index 5 of dimension 0 out of bounds")
    add("getitem_float", lambda: tf.ones([3])[1.0], "Only integers, slices", "got 1.0")
    add("slice_size", lambda: tf.slice(tf.ones([3]), [2], [3]), "Expected size[0] in [0, 1], but got 3")
    add("scatter_nd_range", lambda: tf.scatter_nd([[5]], [1.0], [3]), "indices[0] = [5] does not index into shape [3]")
    add(
        "scatter_nd_updates",
        lambda: tf.scatter_nd([[0], [2]], [[1.0, 2.0]], [3, 2]),
        "Dimensions [0,1) of indices",
        "must match dimensions [0,1) of updates",
    )
    add(
        "tensor_scatter_updates",
        lambda: tf.tensor_scatter_nd_update(tf.ones([3]), [[1]], [1.0, 2.0]),
        "Outer dimensions of indices and update must match",
        "updates shape:[2]",
    )
    add(
        "tensor_scatter_dtype",
        lambda: tf.tensor_scatter_nd_add(tf.ones([3]), [[1]], tf.constant([1])),
        "expected to be a float",
        "but is a int32 tensor",
    )
    add(
        "tensor_scatter_negative",
        lambda: tf.tensor_scatter_nd_add(tf.ones([4]), [[-1]], [5.0]),
        "indices[0] = [-1] does not index into shape [4]",
    )
    add("one_hot_depth", lambda: tf.one_hot([1], -1), "depth must be non-negative, got: -1")
    add("one_hot_float_indices", lambda: tf.one_hot(tf.constant([1.0]), 3), "Value for attr 'TI' of float")
    add("range_delta", lambda: tf.range(0, 5, 0), "Requires delta != 0")
    add("fill_value", lambda: tf.fill([2], [1.0, 2.0]), "value must represent a scalar, got shape [2]")
    add(
        "pad_paddings",
        lambda: tf.pad(m23, [[1, 1]]),
        "The first dimension of paddings must be the rank of inputs",
        "[1,2] [2,3]",
    )
    add("pad_negative", lambda: tf.pad(m23, [[1, 1], [-1, 0]]), "Paddings must be non-negative: -1 0")
    add(
        "pad_reflect",
        lambda: tf.pad(m23, [[2, 2], [0, 0]], "REFLECT"),
        "paddings must be less than the dimension size: 2, 2 not less than 2",
    )
    add(
        "pad_mode",
        lambda: tf.pad(m23, [[1, 1], [1, 1]], mode="WRAP"),
        "Value of argument `mode` expected",
        "Received `mode` = WRAP",
    )
    # sorting and segments
    add("sort_axis", lambda: tf.sort(m23, axis=3), "slice index 3 of dimension 0 out of bounds")
    add(
        "argsort_direction",
        lambda: tf.argsort(m23, direction="UP"),
        "Argument `direction` should be one of",
        "direction=UP",
    )
    add("top_k_large", lambda: tf.math.top_k(tf.ones([3]), 5), "input must have at least k columns", "Had 3, needed 5")
    add("top_k_negative", lambda: tf.math.top_k(tf.ones([3]), -1), "Need k >= 0, got -1")
    add("top_k_scalar", lambda: tf.math.top_k(tf.constant(1.0), 1), "input must be >= 1-D, got shape []")
    add("sort_bool", lambda: tf.sort(tf.constant([True, False])), "Value for attr 'T' of bool", "[op:neg]")
    add("sort_complex", lambda: tf.sort(tf.constant([1 + 1j])), "Value for attr 'T' of complex128", "[op:topkv2]")
    add("top_k_bool", lambda: tf.math.top_k(tf.constant([True]), 1), "Value for attr 'T' of bool")
    add(
        "segment_bool",
        lambda: tf.math.segment_max(tf.constant([True, False]), [0, 0]),
        "Value for attr 'T' of bool",
        "[op:segmentmax]",
    )
    add(
        "segment_sqrt_n_int",
        lambda: tf.math.unsorted_segment_sqrt_n(i32, [0, 0], 1),
        "Value for attr 'T' of int32",
        "[op:sqrt]",
    )
    add(
        "clip_int_float_bound",
        lambda: tf.clip_by_value(i32, 0, 3.5),
        "Cannot convert 3.5 to EagerTensor of dtype int32",
    )
    add("unique_rank", lambda: tf.unique(m23), "unique expects a 1D vector")
    add(
        "unique_out_idx",
        lambda: tf.unique(i32, out_idx=tf.float32),
        "Value for attr 'out_idx' of float",
        "int32, int64",
    )
    add("segment_unsorted", lambda: tf.math.segment_sum(tf.ones([3]), [1, 0, 0]), "segment ids are not increasing")
    add(
        "segment_negative",
        lambda: tf.math.segment_max(tf.ones([3]), [-1, 0, 0]),
        "Segment id -1 out of range",
        "not sorted",
    )
    add(
        "segment_length",
        lambda: tf.math.segment_mean(tf.ones([3]), [0, 0]),
        "segment_ids should be the same size as dimension 0 of input",
    )
    add(
        "segment_float_ids",
        lambda: tf.math.segment_sum(tf.ones([2]), tf.constant([0.0, 1.0])),
        "Value for attr 'Tindices' of float",
        "int32, int64",
    )
    add(
        "unsorted_segment_range",
        lambda: tf.math.unsorted_segment_sum(tf.ones([3]), [0, 5, 0], 2),
        "segment_ids[1] = 5 is out of range [0, 2)",
    )
    add(
        "unsorted_segment_shape",
        lambda: tf.math.unsorted_segment_max(tf.ones([2]), [0, 1, 1], 2),
        "data.shape = [2] does not start with segment_ids.shape = [3]",
    )
    add(
        "unsorted_segment_count",
        lambda: tf.math.unsorted_segment_prod(tf.ones([2]), [0, 1], -1),
        "Input num_segments == -1 must not be negative",
    )
    # linear algebra
    add("inv_square", lambda: tf.linalg.inv(m23), "Input matrix must be square")
    add("inv_singular", lambda: tf.linalg.inv(tf.ones([2, 2])), "Input is not invertible")
    add(
        "inv_int",
        lambda: tf.linalg.inv(tf.eye(2, dtype=tf.int32)),
        "Value for attr 'T' of int32",
        "double, float, half, complex64, complex128",
    )
    add("det_square", lambda: tf.linalg.det(m23), "Input matrix must be square")
    add("cholesky_square", lambda: tf.linalg.cholesky(m23), "Input matrix must be square")
    add("solve_square", lambda: tf.linalg.solve(m23, tf.ones([2, 1])), "First input (lhs) must be a square matrix")
    add("solve_rows", lambda: tf.linalg.solve(tf.eye(2), tf.ones([3, 1])), "Input matrix and rhs are incompatible")
    add(
        "triangular_square",
        lambda: tf.linalg.triangular_solve(m23, tf.ones([2, 2])),
        "In[0] matrices in the last dimensions must be square (3 =/= 2)",
    )
    add(
        "triangular_rows",
        lambda: tf.linalg.triangular_solve(tf.eye(3), tf.ones([2, 2])),
        "In[0] mismatch In[1] shape: 3 vs. 2",
    )
    add("svd_rank", lambda: tf.linalg.svd(tf.ones([3])), "Input tensor 0 must have rank >= 2, got 1")
    add("svd_int", lambda: tf.linalg.svd(tf.eye(2, dtype=tf.int32)), "Value for attr 'T' of int32")
    add("eigh_square", lambda: tf.linalg.eigh(m23), "Input matrix must be square")
    add(
        "band_part_width",
        lambda: tf.linalg.band_part(tf.ones([3, 3]), 5, 1),
        "num_lower must be negative or less or equal to number of rows (3) got: 5",
    )
    add(
        "set_diag_shape",
        lambda: tf.linalg.set_diag(tf.zeros([3, 3]), [1.0, 2.0]),
        "Either first dimensions of diagonal don't match",
    )
    add(
        "pinv_int",
        lambda: tf.linalg.pinv(tf.eye(2, dtype=tf.int32)),
        "Input `a` must have `float`-like `dtype`",
        "int32",
    )
    add("lstsq_rows", lambda: tf.linalg.lstsq(m23, tf.ones([3, 1])), "Matrix size-incompatible")
    add("norm_ord", lambda: tf.norm(f32, ord=-1), "'ord' must be a supported vector norm, got -1")
    out["cholesky_not_pd"] = to_numpy(tf.linalg.cholesky(tf.constant([[1.0, 2.0], [2.0, 1.0]])))  # TF: NaN, no error
    # conversions
    add(
        "convert_dtype",
        lambda: tf.convert_to_tensor(f32, dtype=tf.int32),
        "Tensor conversion requested dtype int32",
        "dtype float32",
    )
    add("constant_float_to_int", lambda: tf.constant(1.5, dtype=tf.int32), "Cannot convert 1.5 to EagerTensor", "int32")
    add("clip_shapes", lambda: tf.clip_by_value(m23, tf.ones([2]), 2.0), "Incompatible shapes: [2,3] vs. [2]")
    add(
        "where_shapes",
        lambda: tf.where([True, False], tf.ones([3]), tf.ones([3])),
        "condition [2], then [3]",
        "must be broadcastable",
    )
    add("where_missing_y", lambda: tf.where([True], x=[1.0]), "x and y must both be non-None or both be None")
    add("boolean_mask_shape", lambda: tf.boolean_mask(m23, [True]), "Shapes (2,) and (1,) are incompatible")
    return out


REFERENCES: dict[str, Reference] = {
    "opsx_sort_unique": Reference("opsx_sort_unique"),
    "opsx_scatter_segment": Reference("opsx_scatter_segment"),
    "opsx_shapes": Reference("opsx_shapes"),
    "opsx_linalg": Reference("opsx_linalg"),
    "opsx_image": Reference("opsx_image"),
    "opsx_errors": Reference("opsx_errors"),
    "opsx_random": Reference("opsx_random"),
}
