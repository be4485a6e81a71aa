"""Parity cases: stateless random ops (TF's Philox numbers) and the ops' error contract on bad
input (references `opsx_*`; helpers and conventions in `cases_ops_extra.py`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy
from parity_tests.cases_ops import _Checker

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
            tf.image.stateless_random_flip_left_right(image[0], seed=seed),
            tf.image.stateless_random_flip_up_down(image, seed=seed),
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
    add("lstsq_rows", lambda: tf.linalg.lstsq(m23, tf.ones([3, 1])), "In[0] mismatch In[1] shape: 2 vs. 3")
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
    "opsx_errors": Reference("opsx_errors"),
    "opsx_random": Reference("opsx_random"),
}
