"""jaxport's own behaviour of the ops (TF's numbers are checked in parity_tests/test_parity_ops.py):
TF's error messages, gradient conventions, dtype rules, ops inside `tf.function`, the
stateful `tf.random.Generator`, and the namespaces."""

import numpy as np
import pytest

import jaxport as tf


def _grad(fn, *xs):
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = fn(*xs)
    grads = tape.gradient(y, xs)
    return [None if g is None else g.numpy() for g in grads]


# -- error messages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: tf.range(0, 5, 0), tf.errors.InvalidArgumentError, r"Requires delta != 0: 0 \[Op:Range\]"),
        (lambda: tf.range(5, 1), tf.errors.InvalidArgumentError, "Requires start <= limit when delta > 0: 5/1"),
        (lambda: tf.range(0.5, 3, dtype=tf.int32), TypeError, "Cannot convert 0.5 to EagerTensor of dtype int32"),
        (lambda: tf.zeros([-2]), tf.errors.InvalidArgumentError, r"Dimension -2 must be >= 0 \[Op:Fill\]"),
        (lambda: tf.one_hot([0], 3, on_value=1, off_value=0.0), TypeError, "of on_value does not match dtype"),
        (lambda: tf.reshape(tf.zeros([24]), [5, -1]), tf.errors.InvalidArgumentError, "requires a multiple of 5"),
        (lambda: tf.reshape(tf.zeros([4]), [-1, -1]), tf.errors.InvalidArgumentError, "not both 0 and 1"),
        (
            lambda: tf.split(tf.zeros([2, 4]), 3, axis=1),
            tf.errors.InvalidArgumentError,
            r"split_dim 1 \(size = 4\) and num_split 3 \[Op:Split\]",
        ),
        (lambda: tf.split(tf.zeros([4]), [-1, -1]), tf.errors.InvalidArgumentError, "only be one -1"),
        (
            lambda: tf.concat([tf.zeros([2, 3]), tf.zeros([1, 2])], 0),
            tf.errors.InvalidArgumentError,
            r"Dimension 1 in both shapes must be equal: shape\[0\] = \[2,3\] vs. shape\[1\] = \[1,2\]",
        ),
        (
            lambda: tf.stack([tf.zeros([2]), tf.zeros([2])], 3),
            ValueError,
            r"Argument `axis` = 3 not in range \[-2, 2\)",
        ),
        (lambda: tf.pad(tf.zeros([2]), [[0, 0]], mode="FOO"), ValueError, "expected to be one of"),
        (lambda: tf.zeros([2, 3])[2], tf.errors.InvalidArgumentError, "slice index 2 of dimension 0 out of bounds"),
        (lambda: tf.zeros([2])[tf.constant([0, 1])], TypeError, "scalar tf.int32/tf.int64 tensors are valid"),
        (lambda: tf.gather(tf.zeros([2, 3]), [3], axis=1), tf.errors.InvalidArgumentError, r"indices\[0\] = 3 is not"),
        (
            lambda: tf.gather_nd(tf.zeros([2, 3]), [[0, 3]]),
            tf.errors.InvalidArgumentError,
            r"indices\[0\] = \[0, 3\] does not index into param shape \[2,3\]",
        ),
        (lambda: tf.where([True], x=[1.0]), ValueError, "x and y must both be non-None or both be None"),
        (lambda: tf.boolean_mask(tf.zeros([2, 3]), [True]), ValueError, r"Shapes \(2,\) and \(1,\) are incompatible"),
        (lambda: tf.math.floordiv(7, 0), tf.errors.InvalidArgumentError, "Integer division by zero"),
        (lambda: tf.math.is_inf(tf.constant([1])), tf.errors.InvalidArgumentError, "int32 is not in the list"),
        (lambda: tf.math.add_n([]), ValueError, "at least one Tensor"),
        (lambda: tf.math.reduce_std(tf.constant([1, 2])), TypeError, "Input must be either real or complex"),
        (lambda: tf.argmax([1, 2], axis=1), tf.errors.InvalidArgumentError, r"range \[-1, 1\), but got 1"),
        (lambda: tf.cumsum([1.0], axis=1), tf.errors.InvalidArgumentError, "ScanOp: Expected scan axis"),
        (lambda: tf.linalg.inv(tf.ones([2, 2])), tf.errors.InvalidArgumentError, "Input is not invertible"),
        (lambda: tf.norm(tf.ones([2]), ord=0), ValueError, "'ord' must be a supported vector norm, got 0"),
        (
            lambda: tf.nn.sparse_softmax_cross_entropy_with_logits([3], tf.zeros([1, 3])),
            tf.errors.InvalidArgumentError,
            r"label value of 3 which is outside the valid range of \[0, 3\)",
        ),
        (lambda: tf.nn.bias_add(tf.zeros([2, 3]), [1.0]), tf.errors.InvalidArgumentError, "as many biases"),
        (lambda: tf.nn.gelu(tf.constant([1])), ValueError, "must be a floating point tensor"),
        (lambda: tf.random.uniform([2], dtype=tf.int32), ValueError, "Must specify maxval for integer dtype"),
        (lambda: tf.random.categorical([0.0, 1.0], 2), tf.errors.InvalidArgumentError, "logits should be a matrix"),
    ],
)
def test_bad_inputs_raise_tf_errors(call, error, message):
    with pytest.raises(error, match=message) as info:
        call()
    if error is tf.errors.InvalidArgumentError:
        assert "[Op:" in str(info.value) and not isinstance(info.value, ValueError)


def test_add_converts_like_tf_addv2():
    """TF's `x + y` converts `y` with a dtype hint (InvalidArgumentError); `*` converts strictly."""
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a int32 tensor but is a float"):
        tf.constant([1, 2]) + 1.5
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        tf.constant([1, 2]) * 1.5
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        1.5 + tf.constant([1, 2])
    assert (tf.constant([1.0]) + np.array([1.0])).dtype == tf.float32


# -- dtype rules ------------------------------------------------------------------------------


def test_result_dtypes_follow_tf():
    assert tf.reduce_sum(tf.constant([1, 2])).dtype == tf.int32  # jnp.sum would widen to int64
    assert tf.reduce_prod(tf.constant([1, 2], tf.int16)).dtype == tf.int16
    assert tf.argmax([1.0, 2.0]).dtype == tf.int64
    assert (tf.constant([3], tf.int16) / tf.constant([2], tf.int16)).dtype == tf.float32
    assert (tf.constant([3]) / tf.constant([2])).dtype == tf.float64
    assert tf.range(3).dtype == tf.int32 and tf.range(0, 1, 0.5).dtype == tf.float32
    assert tf.linspace(0, 1, 3).dtype == tf.float64
    assert tf.one_hot([0], 2, on_value=3).dtype == tf.int32
    assert tf.where([True]).dtype == tf.int64
    assert tf.random.categorical([[0.0, 1.0]], 2).dtype == tf.int64
    assert tf.reduce_mean(tf.constant([-1, -2])).numpy() == -1  # integer mean truncates toward 0
    assert tf.nn.leaky_relu(tf.constant([-1, 2])).dtype == tf.float32


# -- gradients -----------------------------------------------------------------------------------


def test_tf_gradient_conventions_at_kinks():
    (g,) = _grad(lambda x: tf.abs(x), np.array([0.0, -2.0], "float32"))
    np.testing.assert_array_equal(g, [0.0, -1.0])
    gx, gy = _grad(tf.maximum, np.array([1.0, 2.0], "float32"), np.array([1.0, 1.0], "float32"))
    np.testing.assert_array_equal(gx, [1.0, 1.0])
    np.testing.assert_array_equal(gy, [0.0, 0.0])
    gx, gy = _grad(tf.minimum, np.array([1.0, 2.0], "float32"), np.array([1.0, 1.0], "float32"))
    np.testing.assert_array_equal(gx, [1.0, 0.0])
    np.testing.assert_array_equal(gy, [0.0, 1.0])
    (g,) = _grad(lambda x: tf.reduce_max(x), np.array([1.0, 3.0, 3.0], "float32"))
    np.testing.assert_array_equal(g, [0.0, 0.5, 0.5])
    _, gy = _grad(tf.pow, np.array([-1.0, 0.0], "float32"), np.array([2.0, 2.0], "float32"))
    np.testing.assert_array_equal(gy, [0.0, 0.0])  # JAX alone gives NaN at x < 0
    (g,) = _grad(tf.nn.leaky_relu, np.array([0.0], "float32"))
    np.testing.assert_allclose(g, [0.2])
    (g,) = _grad(tf.nn.selu, np.array([0.0], "float32"))
    np.testing.assert_allclose(g, [1.0507009873554805])
    (g,) = _grad(tf.math.cumprod, np.array([2.0, 0.0, 3.0], "float32"))
    np.testing.assert_array_equal(g, [1.0, 0.0, 0.0])  # TF's div_no_nan formula


def test_non_differentiable_ops_give_none():
    for fn in (tf.floor, tf.round, tf.math.ceil, lambda x: tf.math.floordiv(x, 2.0), lambda x: tf.one_hot([0], 2) * 0):
        assert _grad(fn, np.array([1.5], "float32")) == [None]
    v = tf.Variable([1.5, 2.5])
    with tf.GradientTape() as tape:
        y = tf.floor(v)
    assert tape.gradient(y, v) is None and tape.watched_variables() == (v,)


def test_gradients_through_variables_and_gather():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(v, [1, 1, 0])) + v[0, 1] * 3.0
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [[1.0, 4.0], [2.0, 2.0]])


def test_second_order_gradients_through_tf_conventions():
    x = tf.constant([-1.0, 0.5, 2.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.abs(x) ** 3 + tf.maximum(x, 1.0) ** 2)
        g = inner.gradient(y, x)
    h = outer.gradient(g, x)
    np.testing.assert_allclose(g.numpy(), [-3.0, 0.75, 16.0])
    np.testing.assert_allclose(h.numpy(), [6.0, 3.0, 14.0])


def test_softmax_cross_entropy_keeps_tf_gradient_for_unnormalized_labels():
    labels, logits = np.array([[0.5, 0.9, 0.0]], "float32"), np.array([[1.0, 2.0, 3.0]], "float32")
    gl, gx = _grad(tf.nn.softmax_cross_entropy_with_logits, labels, logits)
    np.testing.assert_allclose(gx, tf.nn.softmax(logits).numpy() - labels, rtol=1e-6)
    np.testing.assert_allclose(gl, -tf.nn.log_softmax(logits).numpy(), rtol=1e-6)


# -- indexing ---------------------------------------------------------------------------------------


def test_indexing_forms():
    x = tf.reshape(tf.range(24), [2, 3, 4])
    np.testing.assert_array_equal(x[:, ::-1, ::-2].numpy(), x.numpy()[:, ::-1, ::-2])
    assert x[tf.newaxis, ..., 1].shape == (1, 2, 3)
    assert x[tf.constant(1), tf.constant(-1)].numpy().tolist() == [20, 21, 22, 23]
    assert x[[0, 1]].numpy().tolist() == [4, 5, 6, 7]  # a list is a tuple of indices, as in TF
    assert x[tf.constant([False, True])].shape == (1, 3, 4)  # a bool tensor is a mask
    assert tf.newaxis is None


# -- inside tf.function ----------------------------------------------------------------------------


def test_ops_trace_inside_function_with_static_shapes():
    @tf.function
    def f(t, i):
        rows = tf.shape(t)[0]
        return t[i] + tf.zeros([tf.shape(t)[1]]), tf.cast(tf.range(rows), tf.float32), tf.split(t, [1, -1], axis=1)[1]

    x = tf.reshape(tf.range(12.0), [3, 4])
    row, r, part = f(x, tf.constant(2))
    np.testing.assert_array_equal(row.numpy(), [8.0, 9.0, 10.0, 11.0])
    np.testing.assert_array_equal(r.numpy(), [0.0, 1.0, 2.0])
    assert part.shape == (3, 3)
    np.testing.assert_array_equal(f(x, tf.constant(0))[0].numpy(), [0.0, 1.0, 2.0, 3.0])  # same trace


def test_data_dependent_shapes_refuse_to_trace():
    @tf.function
    def f(t):
        return tf.boolean_mask(t, t > 0.0)

    with pytest.raises(NotImplementedError, match="depends on the data"):
        f(tf.constant([1.0, -1.0]))


# -- random -------------------------------------------------------------------------------------------


def test_generator_state_is_a_lifted_non_trainable_variable():
    g = tf.random.Generator.from_seed(7)
    assert isinstance(g.state, tf.Variable) and not g.state.trainable and g.state.name == "StateVar:0"
    reference = tf.random.Generator.from_seed(7)
    step = tf.function(lambda: g.normal([3]) * 1.0)
    for _ in range(3):
        np.testing.assert_array_equal(step().numpy(), reference.normal([3]).numpy())
    np.testing.assert_array_equal(g.state.numpy(), reference.state.numpy())
    g.reset_from_seed(7)
    np.testing.assert_array_equal(g.normal([3]).numpy(), tf.random.Generator.from_seed(7).normal([3]).numpy())


def test_generator_draws_and_splits():
    g = tf.random.Generator.from_seed(1)
    ints = g.uniform([200], minval=2, maxval=5, dtype=tf.int64)
    assert ints.dtype == tf.int64 and set(ints.numpy().tolist()) == {2, 3, 4}
    full = g.uniform([4], minval=None, maxval=None, dtype=tf.int32)
    assert full.dtype == tf.int32
    a, b = g.split(2)
    assert not np.array_equal(a.normal([4]).numpy(), b.normal([4]).numpy())
    assert g.make_seeds(3).shape == (2, 3)
    copy = tf.random.Generator(copy_from=g)
    np.testing.assert_array_equal(copy.normal([2]).numpy(), g.normal([2]).numpy())
    assert tf.random.Generator.from_non_deterministic_state().normal([2]).shape == (2,)


@pytest.fixture
def fresh_global_seed():
    """Leave the global RNG as an unseeded process has it, for the tests that run after."""
    yield
    tf.random.set_seed(None)


def test_global_random_ops_advance_inside_function(fresh_global_seed):
    tf.random.set_seed(3)
    draw = tf.function(lambda: tf.random.uniform([4]) + tf.random.truncated_normal([4]) * 0.0)
    first, second = draw().numpy(), draw().numpy()
    assert not np.array_equal(first, second)
    tf.random.set_seed(3)
    np.testing.assert_array_equal(draw().numpy(), first)


def test_random_normal_is_differentiable_in_its_parameters(fresh_global_seed):
    mean, stddev = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape() as tape:
        z = tf.random.normal([5], mean=mean, stddev=stddev)
    g_mean, g_std = tape.gradient(z, [mean, stddev])
    assert float(g_mean) == 5.0
    np.testing.assert_allclose(float(g_std), float(tf.reduce_sum((z - 1.0) / 2.0)), rtol=1e-5)


# -- namespaces --------------------------------------------------------------------------------------


def test_namespaces_expose_the_ops():
    for name in ("range", "linspace", "eye", "one_hot", "split", "tile", "gather", "gather_nd", "where", "pad"):
        assert callable(getattr(tf, name)), name
    for name in ("log_sigmoid", "erf", "is_inf", "squared_difference", "floordiv", "truediv", "add_n", "cumprod"):
        assert callable(getattr(tf.math, name)), name
    for name in ("gelu", "elu", "selu", "relu6", "swish", "silu", "bias_add", "moments"):
        assert callable(getattr(tf.nn, name)), name
    for name in ("matvec", "inv", "det", "norm", "matrix_transpose", "transpose"):
        assert callable(getattr(tf.linalg, name)), name
    assert tf.linalg.transpose(tf.zeros([2, 3, 4])).shape == (2, 4, 3)


def test_python_bit_operators_are_logical_for_bool_and_bitwise_for_int():
    assert (tf.constant(5) & 3).numpy() == 1 and (~tf.constant(5)).numpy() == -6
    assert (3 | tf.constant(4)).numpy() == 7 and tf.bitwise.left_shift(tf.constant(1), 3).numpy() == 8
    assert (~tf.constant([True, False])).numpy().tolist() == [False, True]
    with pytest.raises(tf.errors.InvalidArgumentError, match="of float is not in the list"):
        tf.constant(5.0) & 3.0


# -- Philox, data-dependent shapes, segments and scatters under tf.function ------------------------


def test_philox_4x32_10_matches_the_random123_known_answers():
    from jaxport.ops.stateless_random_ops import philox_4x32

    zero = philox_4x32(np.zeros((4, 1), np.uint32), np.zeros(2, np.uint32))[:, 0]
    assert [int(w) for w in zero] == [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]
    ones = philox_4x32(np.full((4, 1), 0xFFFFFFFF, np.uint32), np.full(2, 0xFFFFFFFF, np.uint32))[:, 0]
    assert [int(w) for w in ones] == [0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD]


def test_stateless_draws_depend_only_on_the_seed_and_compile():
    a = tf.random.stateless_uniform([4], seed=[3, 4])
    np.testing.assert_array_equal(a.numpy(), tf.random.stateless_uniform([4], seed=tf.constant([3, 4])).numpy())
    assert not np.array_equal(a.numpy(), tf.random.stateless_uniform([4], seed=[4, 3]).numpy())
    compiled = tf.function(lambda s: tf.random.stateless_uniform([4], seed=s))
    np.testing.assert_array_equal(compiled(tf.constant([3, 4])).numpy(), a.numpy())
    normals = tf.random.stateless_truncated_normal([4000], seed=[1, 1]).numpy()
    assert np.abs(normals).max() < 2.0 and abs(normals.mean()) < 0.05


def test_data_dependent_shapes_are_eager_only():
    @tf.function
    def uniques(x):
        return tf.unique(x).y

    with pytest.raises(NotImplementedError, match="depends on the data"):
        uniques(tf.constant([1, 2, 1]))

    @tf.function
    def sorted_segments(x, ids):
        return tf.math.segment_sum(x, ids)

    with pytest.raises(NotImplementedError, match="unsorted_segment"):
        sorted_segments(tf.ones([3]), tf.constant([0, 0, 1]))


def test_unsorted_segments_and_scatters_compile_with_gradients():
    @tf.function
    def step(x, updates):
        with tf.GradientTape() as tape:
            tape.watch([x, updates])
            y = tf.math.unsorted_segment_max(x, tf.constant([0, 0, 1]), 2)
            z = tf.tensor_scatter_nd_update(x, [[1]], updates)
            loss = tf.reduce_sum(y) + tf.reduce_sum(z * tf.constant([1.0, 2.0, 3.0]))
        return y, tape.gradient(loss, [x, updates])

    y, (gx, gu) = step(tf.constant([2.0, 2.0, 5.0]), tf.constant([7.0]))
    np.testing.assert_array_equal(y.numpy(), [2.0, 5.0])
    np.testing.assert_allclose(gx.numpy(), [1.5, 0.5, 4.0])  # the tie shares the max's gradient
    np.testing.assert_allclose(gu.numpy(), [2.0])


def test_unsorted_segment_max_of_an_empty_segment_is_the_lowest_value():
    out = tf.math.unsorted_segment_max(tf.constant([1.0]), [0], 2).numpy()
    assert out[1] == np.finfo(np.float32).min


# -- tf.image and TensorShape -----------------------------------------------------------------------


def test_resize_does_not_antialias_unlike_jax_image_resize():
    import jax

    x = np.random.RandomState(0).rand(1, 8, 8, 1).astype(np.float32)
    ours = tf.image.resize(x, [3, 3]).numpy()
    np.testing.assert_allclose(ours, jax.image.resize(x, (1, 3, 3, 1), "linear", antialias=False), atol=1e-6)
    assert not np.allclose(ours, jax.image.resize(x, (1, 3, 3, 1), "linear"), atol=1e-3)
    assert tf.image.resize(tf.constant(x * 255).numpy().astype(np.uint8), [3, 3], "nearest").dtype == tf.uint8


def test_tensor_shapes_convert_and_merge_as_tf():
    kernel = tf.zeros([3, 4, 5])
    assert int(tf.reduce_prod(kernel.shape)) == 60 and tf.convert_to_tensor(kernel.shape).dtype == tf.int32
    assert tf.TensorShape([None, 4]).merge_with([3, None]) == [3, 4]
    assert tf.TensorShape(None)[1:3] == tf.TensorShape([None, None])
    with pytest.raises(ValueError, match=r"partially known TensorShape \(None, 4\)"):
        tf.zeros(tf.TensorShape([None, 4]))
    with pytest.raises(TypeError, match="Dimension value must be integer"):
        tf.TensorShape([2.5])


def test_new_namespaces_expose_the_ops():
    for name in ("unique", "unique_with_counts", "scatter_nd", "tensor_scatter_nd_max", "sort", "argsort"):
        assert callable(getattr(tf, name)), name
    for name in ("segment_prod", "unsorted_segment_sqrt_n", "top_k"):
        assert callable(getattr(tf.math, name)), name
    for name in ("svd", "qr", "eigh", "lstsq", "pinv", "band_part", "set_diag", "triangular_solve"):
        assert callable(getattr(tf.linalg, name)), name
    for name in ("resize", "flip_left_right", "central_crop", "convert_image_dtype", "per_image_standardization"):
        assert callable(getattr(tf.image, name)), name
    for name in ("stateless_uniform", "stateless_normal", "stateless_truncated_normal", "stateless_categorical"):
        assert callable(getattr(tf.random, name)), name
