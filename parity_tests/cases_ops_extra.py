"""Parity cases: more TF ops — sorting and uniqueness, scatter and segment reductions, and
shapes everywhere (TensorShape as a shape argument and as a Tensor, its API). Linear algebra
and `tf.image` are in `cases_ops_extra_linalg_image.py`; stateless random ops and the ops'
error contract in `cases_ops_extra_errors.py` (all references `opsx_*`).

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


REFERENCES: dict[str, Reference] = {
    "opsx_sort_unique": Reference("opsx_sort_unique"),
    "opsx_scatter_segment": Reference("opsx_scatter_segment"),
    "opsx_shapes": Reference("opsx_shapes"),
}
