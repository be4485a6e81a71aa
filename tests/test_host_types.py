"""Tests of jaxport's host-side types: string Tensors inside `tf.function`, RaggedTensor and
SparseTensor as pytrees, and gradients through sparse and ragged ops (values checked against
plain JAX). Agreement with TF itself is in parity_tests/cases_host_types.py."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import jaxport as tf
from jaxport import errors
from jaxport.strings.farmhash import fingerprint64
from jaxport.strings.siphash import siphash24

# -- strings inside tf.function ---------------------------------------------------------------


@pytest.mark.parametrize(
    "op_name,body",
    [
        ("AsString", lambda x: tf.strings.as_string(x)),
        ("StringFormat", lambda x: tf.strings.format("x={}", x)),
        ("SelectV2", lambda x: tf.where(x > 0, tf.constant(["pos"]), tf.constant(["neg"]))),
    ],
)
def test_string_op_on_traced_value_names_op_and_xla(op_name, body):
    fn = tf.function(body)
    with pytest.raises(Exception) as info:
        fn(tf.constant([1.5]))
    message = str(info.value)
    assert op_name in message
    assert "XLA cannot hold strings" in message
    assert "docs/differences.md" in message


def test_string_constants_inside_function_are_host_values():
    @tf.function
    def scaled_lengths(x):
        words = tf.strings.split(tf.constant("one three"))  # a Python constant: split at trace time
        lengths = tf.cast(tf.strings.length(words), tf.float32)
        return lengths * x

    assert_allclose(scaled_lengths(tf.constant(2.0)).numpy(), [6.0, 10.0])
    assert_allclose(scaled_lengths(tf.constant(0.5)).numpy(), [1.5, 2.5])


def test_string_tensor_is_a_host_array():
    s = tf.constant([["a", "bc"]])
    assert isinstance(s._value, np.ndarray) and s._value.dtype == object
    assert s.dtype == tf.string and s.dtype.name == "string"
    assert_array_equal(tf.strings.length(s).numpy(), [[1, 2]])
    with pytest.raises(errors.UnimplementedError, match="Cast int32 to string is not supported"):
        tf.cast(tf.constant([1]), tf.string)


# tf.strings.to_hash_bucket_fast([key], 2**63 - 1) in TF 2.21: one key per length branch of Farmhash
_TF_BUCKETS = {
    b"": 1936946117179621456,
    b"a": 3694432073954588132,
    b"abcdefghijklmnopqrs": 1640382779949507018,
    b"x" * 50: 4607997358663321893,
    b"y" * 64: 4471793200125962424,
    b"z" * 65: 8299915583762718517,
    b"0123456789" * 13: 1497403020669705477,
}


def test_fingerprint64_matches_tf_on_every_length_branch():
    for key, bucket in _TF_BUCKETS.items():
        assert fingerprint64(key) % (2**63 - 1) == bucket, key
    got = tf.strings.to_hash_bucket_fast(tf.constant(list(_TF_BUCKETS)), 2**63 - 1).numpy()
    assert got.dtype == np.int64
    assert_array_equal(got, list(_TF_BUCKETS.values()))


def test_siphash24_matches_the_paper_vector():
    # SipHash paper, appendix A: key 00..0f, message 00..0e
    key0 = int.from_bytes(bytes(range(8)), "little")
    key1 = int.from_bytes(bytes(range(8, 16)), "little")
    assert siphash24(key0, key1, bytes(range(15))) == 0xA129CA6149BE45E5


# -- SparseTensor ----------------------------------------------------------------------------


def _sparse(values=(1.0, 2.0, 3.0)):
    return tf.sparse.SparseTensor([[0, 0], [1, 2], [2, 1]], list(values), [3, 4])


def test_sparse_tensor_is_a_pytree_with_static_dense_shape():
    sp = _sparse()
    leaves, treedef = jax.tree.flatten(sp)
    assert len(leaves) == 2
    assert_array_equal(np.asarray(leaves[0]), [[0, 0], [1, 2], [2, 1]])
    rebuilt = jax.tree.unflatten(treedef, [jnp.asarray(leaves[0]), jnp.asarray(leaves[1]) * 2])
    assert isinstance(rebuilt, tf.SparseTensor) and rebuilt.shape == (3, 4)

    doubled = jax.jit(lambda s: tf.sparse.to_dense(tf.sparse.map_values(tf.multiply, s, 2.0))._value)(sp)
    assert_allclose(np.asarray(doubled), 2 * tf.sparse.to_dense(sp).numpy())


def test_sparse_tensor_through_function_traces_per_dense_shape():
    @tf.function
    def total(sp):
        return tf.reduce_sum(tf.sparse.to_dense(sp))

    assert float(total(_sparse())) == 6.0
    assert float(total(_sparse((4.0, 5.0, 6.0)))) == 15.0
    assert total.experimental_get_tracing_count() == 1
    wider = tf.sparse.SparseTensor([[0, 0]], [7.0], [3, 5])
    assert float(total(wider)) == 7.0
    assert total.experimental_get_tracing_count() == 2


def test_sparse_dense_matmul_gradients_match_jax():
    rs = np.random.RandomState(1)
    b_np = rs.randn(4, 2).astype("float32")
    values = tf.constant([1.0, -2.0, 0.5])
    b = tf.constant(b_np)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([values, b])
        sp = tf.sparse.SparseTensor([[0, 0], [1, 2], [2, 1]], values, [3, 4])
        loss = tf.reduce_sum(tf.square(tf.sparse.sparse_dense_matmul(sp, b, adjoint_b=False)))
    rows, cols = np.array([0, 1, 2]), np.array([0, 2, 1])

    def reference(v, bb):
        dense = jnp.zeros((3, 4)).at[rows, cols].set(v)
        return jnp.sum(jnp.square(dense @ bb))

    want_v, want_b = jax.grad(reference, argnums=(0, 1))(jnp.asarray([1.0, -2.0, 0.5]), jnp.asarray(b_np))
    assert_allclose(float(loss), float(reference(jnp.asarray([1.0, -2.0, 0.5]), jnp.asarray(b_np))), rtol=1e-6)
    assert_allclose(tape.gradient(loss, values).numpy(), np.asarray(want_v), rtol=1e-5)
    assert_allclose(tape.gradient(loss, b).numpy(), np.asarray(want_b), rtol=1e-5)


def test_sparse_to_dense_gradient_and_bad_input_leaves_nothing_changed():
    values = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        sp = tf.sparse.SparseTensor([[0, 1], [1, 0]], values.read_value(), [2, 2])
        out = tf.reduce_sum(tf.sparse.to_dense(sp) * tf.constant([[1.0, 10.0], [100.0, 1000.0]]))
    assert_allclose(tape.gradient(out, values).numpy(), [10.0, 100.0])
    with pytest.raises(errors.InvalidArgumentError, match=r"indices\[1\] = \[0,0\] is out of order"):
        tf.sparse.to_dense(tf.sparse.SparseTensor([[0, 1], [0, 0]], values.read_value(), [2, 2]))
    assert_allclose(values.numpy(), [1.0, 2.0])


# -- RaggedTensor ----------------------------------------------------------------------------


def test_ragged_reduction_gradient_flows_to_values():
    values = tf.constant([1.0, 2.0, 3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(values)
        rt = tf.RaggedTensor.from_row_lengths(values, [2, 0, 2])
        loss = tf.reduce_sum(tf.reduce_max(rt, axis=1) * tf.constant([1.0, 0.0, 3.0]))
    assert_allclose(tape.gradient(loss, values).numpy(), [0.0, 1.0, 0.0, 3.0])


def test_ragged_tensor_is_a_pytree_with_static_row_splits():
    rt = tf.ragged.constant([[1.0, 2.0], [3.0]])
    leaves, treedef = jax.tree.flatten(rt)
    assert len(leaves) == 1
    assert_array_equal(np.asarray(leaves[0]), [1.0, 2.0, 3.0])

    @tf.function
    def row_sums(r, scale):
        return tf.reduce_sum(r * scale, axis=1)

    assert_allclose(row_sums(rt, tf.constant(2.0)).numpy(), [6.0, 6.0])
    assert_allclose(row_sums(tf.ragged.constant([[5.0], [1.0, 1.0]]), tf.constant(1.0)).numpy(), [5.0, 2.0])
    assert row_sums.experimental_get_tracing_count() == 2


def test_ragged_constructor_is_private_and_partitions_must_match():
    with pytest.raises(ValueError, match="RaggedTensor constructor is private"):
        tf.RaggedTensor(tf.constant([1]), tf.constant([0, 1]))
    a = tf.ragged.constant([[1, 2], [3]])
    b = tf.ragged.constant([[1], [2, 3]])
    with pytest.raises(errors.InvalidArgumentError, match="identical ragged splits"):
        a + b


def test_sparse_ops_trace_with_traced_indices_and_values():
    @tf.function
    def dense_and_product(indices, values, b):
        sp = tf.sparse.SparseTensor(indices, values, [3, 4])
        return tf.sparse.to_dense(sp), tf.sparse.sparse_dense_matmul(sp, b)

    indices = tf.constant([[0, 1], [2, 3]], tf.int64)
    values = tf.constant([2.0, -1.0])
    b = tf.constant(np.arange(8, dtype="float32").reshape(4, 2))
    dense, product = dense_and_product(indices, values, b)
    want = np.zeros((3, 4), "float32")
    want[0, 1], want[2, 3] = 2.0, -1.0
    assert_allclose(dense.numpy(), want)
    assert_allclose(product.numpy(), want @ b.numpy())
    other = dense_and_product(tf.constant([[1, 0]], tf.int64), tf.constant([5.0]), b)[0]
    assert other.numpy()[1, 0] == 5.0 and other.numpy().sum() == 5.0
    assert dense_and_product.experimental_get_tracing_count() == 2  # a new number of entries is a new shape


def test_sparse_index_structure_ops_refuse_traced_indices_clearly():
    @tf.function
    def reordered(indices):
        return tf.sparse.reorder(tf.sparse.SparseTensor(indices, [1.0, 2.0], [2, 2])).values

    with pytest.raises(Exception, match="SparseReorder: jaxport computes sparse index structure on the host"):
        reordered(tf.constant([[1, 0], [0, 0]], tf.int64))
