"""`input_signature` with None dims: one symbolic trace serves every size (jaxport/symbolic_trace.py)."""

import logging

import numpy as np
import pytest

import jaxport as tf


def test_one_trace_serves_every_size_and_shows_unknown_dims_as_none():
    seen = []

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def f(x):
        seen.append(x.shape.as_list())
        return tf.reduce_sum(x, axis=0) * tf.cast(tf.shape(x)[0], tf.float32)

    for n in (1, 2, 7):
        np.testing.assert_allclose(f(tf.ones([n, 3])).numpy(), [n * n] * 3)
    assert seen == [[None, 3]]
    assert f.experimental_get_tracing_count() == 1
    concrete = f.get_concrete_function()
    assert "d0" in str(concrete.jaxpr)  # the None dim, as a JAX dimension variable
    assert "uses_shape_polymorphism" in concrete.lowered_text


def test_shape_tensors_keep_symbolic_sizes_for_creation_and_reshape():
    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
    def f(x):
        batch = tf.shape(x)[0]
        rows = tf.reshape(x, [batch, -1, 1])
        return tf.zeros(tf.shape(x)) + 1.0, tf.ones([batch, 2]), tf.squeeze(rows, 2), tf.size(x)

    ones, pairs, same, size = f(tf.reshape(tf.range(6.0), [2, 3]))
    np.testing.assert_array_equal(ones.numpy(), np.ones((2, 3)))
    assert pairs.shape == (2, 2) and int(size) == 6
    np.testing.assert_array_equal(same.numpy(), np.arange(6.0).reshape(2, 3))
    ones, pairs, _, size = f(tf.ones([4, 1]))
    assert ones.shape == (4, 1) and pairs.shape == (4, 2) and int(size) == 4
    assert f.experimental_get_tracing_count() == 1


def test_python_needing_a_concrete_size_falls_back_to_one_trace_per_shape(caplog):
    seen = []

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        seen.append(x.shape[0])
        total = tf.constant(0.0)
        for i in range(x.shape[0]):  # TF: TypeError on the None dim; jaxport traces per shape instead
            total += x[i]
        return total

    with caplog.at_level(logging.INFO, logger="jaxport.function"):
        assert float(f(tf.constant([1.0, 2.0]))) == 3.0
        assert float(f(tf.constant([1.0, 2.0, 3.0]))) == 6.0
    assert seen == [None, 2, 3]
    assert "traces per concrete shape" in caplog.text


def test_tied_batch_dims_that_differ_raise_at_run_time_as_tf():
    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32), tf.TensorSpec([None], tf.float32)])
    def f(x, y):
        return tf.reduce_sum(x, axis=1) * y

    np.testing.assert_allclose(f(tf.ones([3, 2]), tf.ones([3])).numpy(), [2.0] * 3)
    np.testing.assert_allclose(f(tf.ones([5, 2]), tf.ones([5])).numpy(), [2.0] * 5)
    assert len(f._cache) == 1  # one program for both sizes
    with pytest.raises(tf.errors.InvalidArgumentError):
        f(tf.ones([3, 2]), tf.ones([4]))


def test_empty_inputs_and_unknown_rank_still_run():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        return tf.reduce_sum(x) + 1.0

    assert float(f(tf.ones([3]))) == 4.0
    assert float(f(tf.zeros([0]))) == 1.0  # JAX's dimension variables are >= 1: traced for shape (0,)

    @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
    def g(x):
        return tf.reduce_sum(x)

    assert float(g(tf.ones([2, 2]))) == 4.0 and float(g(tf.ones([3]))) == 3.0


def test_bound_signature_cache_still_rejects_other_dtypes():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        return x * 2.0

    f(tf.ones([2]))
    f(tf.ones([2]))
    with pytest.raises(TypeError, match="Binding inputs to tf.function"):
        f(tf.ones([2], tf.float64))
    with pytest.raises(TypeError, match="Can not cast"):
        f(tf.ones([2, 1]))


_DENSE = tf.keras.layers.Dense(2, kernel_initializer="ones")
_OPS_ON_UNKNOWN_BATCH = {
    "mse": lambda x: tf.keras.losses.MeanSquaredError()(x, x * 2.0),
    "bce": lambda x: tf.keras.losses.BinaryCrossentropy()(tf.ones_like(x), tf.sigmoid(x)),
    "scce": lambda x: tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(
        tf.zeros(tf.shape(x)[0], tf.int32), x
    ),
    "concat_stack": lambda x: tf.stack([tf.concat([x, x], axis=0)] * 2),
    "matmul_transpose": lambda x: tf.matmul(x, tf.transpose(x)),
    "slices": lambda x: x[1:, :2] * x[-1, :2],
    "gather_one_hot": lambda x: tf.gather(x, [0, 0]) + tf.reduce_sum(tf.one_hot(tf.argmax(x, axis=1), 4)),
    "tile_pad_split": lambda x: tf.split(tf.pad(tf.tile(x, [2, 1]), [[1, 1], [0, 0]]), 2, axis=1)[0],
    "dense_softmax": lambda x: tf.nn.softmax(_DENSE(x)),
    "fill_like": lambda x: tf.fill([tf.shape(x)[0], 2], 3.0) + tf.reduce_sum(tf.zeros_like(x)),
    "cond_while": lambda x: tf.while_loop(
        lambda i, y: i < 3, lambda i, y: (i + 1, tf.cond(tf.reduce_sum(y) > 0, lambda: y * 2.0, lambda: -y)), [0, x]
    )[1],
    "broadcast_to": lambda x: tf.broadcast_to(x[:, :1], tf.shape(x)),
    "tensor_array": lambda x: tf.TensorArray(tf.float32, size=2).write(0, x).write(1, x * 2.0).stack(),
    "sort_cumsum_einsum": lambda x: tf.cumsum(tf.sort(x, axis=0), axis=0) + tf.einsum("ij,ij->i", x, x)[:, None],
    "reshape": lambda x: tf.reshape(x, [tf.shape(x)[0], 2, 2, 1]) + tf.reshape(x, [-1, 2, 2])[..., None],
}


@pytest.mark.parametrize("name", sorted(_OPS_ON_UNKNOWN_BATCH))
def test_ops_traced_with_an_unknown_batch_match_eager(name, caplog):
    fn = _OPS_ON_UNKNOWN_BATCH[name]
    traced = tf.function(fn, input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    with caplog.at_level(logging.INFO, logger="jaxport.function"):
        for n in (3, 5):
            x = tf.reshape(tf.range(n * 4, dtype=tf.float32) / 7.0, [n, 4])
            np.testing.assert_allclose(traced(x).numpy(), fn(x).numpy(), rtol=1e-6, atol=1e-6)
    assert "traces per concrete shape" not in caplog.text  # one symbolic trace served both sizes
    assert len(traced._cache) == 1
