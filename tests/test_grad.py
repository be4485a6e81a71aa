"""GradientTape: the contract the seed and TF2's autodiff guide rely on."""

import numpy as np
import pytest

import jaxport as tf


def test_gradient_of_variables_is_auto_watched():
    w = tf.Variable([[1.0], [2.0]])
    x = tf.constant([[3.0, 4.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.square(x @ w))
    (g,) = tape.gradient(y, [w])
    np.testing.assert_allclose(g.numpy(), [[66.0], [88.0]])  # 2 * 11 * x^T


def test_constants_need_watch():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert float(tape.gradient(y, x)) == 6.0


def test_non_persistent_tape_second_call_raises_runtime_error():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape can only be used to compute one set"):
        tape.gradient(y, x)


def test_persistent_tape_gives_several_gradients():
    x = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
        z = y * y
    assert float(tape.gradient(z, x)) == 108.0
    assert float(tape.gradient(y, x)) == 6.0


def test_unconnected_sources_give_none_or_zeros():
    x, unused = tf.Variable(1.0), tf.Variable(5.0)
    with tf.GradientTape(persistent=True) as tape:
        y = 2 * x
    assert tape.gradient(y, unused) is None
    assert float(tape.gradient(y, unused, unconnected_gradients=tf.UnconnectedGradients.ZERO)) == 0.0


def test_nested_sources_keep_structure_and_targets_sum():
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y1, y2 = a * b, a + b
    grads = tape.gradient([y1, y2], {"a": a, "b": [b]})
    assert float(grads["a"]) == 3.0 and float(grads["b"][0]) == 2.0


def test_watch_accessed_variables_false_and_integer_sources():
    v = tf.Variable(2.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        y = v * v
    assert tape.gradient(y, v) is None
    i = tf.constant(3)
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = v * tf.cast(i, tf.float32)
    assert float(tape.gradient(y, v)) == 3.0


def test_stop_gradient_and_relu_at_zero():
    x = tf.Variable([0.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.nn.relu(x) + tf.stop_gradient(x * 5))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [0.0, 1.0])


def test_output_gradients_and_python_control_flow():
    x = tf.Variable([1.0, -1.0])
    with tf.GradientTape() as tape:
        y = x * x if float(tf.reduce_sum(x)) >= 0 else x
    g = tape.gradient(y, x, output_gradients=tf.constant([2.0, 3.0]))
    np.testing.assert_allclose(g.numpy(), [4.0, -6.0])


def test_gradient_source_must_be_tensor():
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = x * 2
    with pytest.raises(TypeError, match="Argument `sources` should be a Tensor, Variable"):  # TF's TypeError
        tape.gradient(y, ["not a tensor"])


def test_watched_variables_in_read_order():
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape() as tape:
        _ = b * a
    assert [v.name for v in tape.watched_variables()] == ["Variable:0", "Variable:0"]
    assert tape.watched_variables()[0] is b


def test_tape_releases_its_records_after_gradient():
    import gc
    import weakref

    from jaxport.grad import _Node

    w = tf.Variable(tf.ones([4, 4]))
    x = tf.ones([2, 4])
    refs = []
    for _ in range(50):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.nn.relu(x @ w))
        refs.append(weakref.ref(y))
        tape.gradient(y, w)
        assert tape._nodes == [] and tape._watched == {}
    del tape, y
    gc.collect()
    assert sum(r() is not None for r in refs) == 0
    assert sum(isinstance(o, _Node) for o in gc.get_objects()) == 0


def test_clip_by_global_norm_clip_by_norm_and_global_norm_follow_tf():
    clipped, norm = tf.clip_by_global_norm([tf.constant([3.0, 4.0]), None, tf.constant([12.0])], 6.5)
    assert float(norm) == 13.0 and clipped[1] is None
    np.testing.assert_allclose(clipped[0].numpy(), [1.5, 2.0])
    np.testing.assert_allclose(
        tf.clip_by_norm(tf.constant([[3.0, 4.0], [0.3, 0.4]]), 1.0, axes=[1]).numpy(),
        [[0.6, 0.8], [0.3, 0.4]],
        rtol=1e-6,
    )
    assert float(tf.linalg.global_norm([tf.constant([3.0, 4.0]), None])) == 5.0
    w = tf.Variable([3.0, 4.0])
    with tf.GradientTape() as tape:
        out, _ = tf.clip_by_global_norm([w * 2.0], 5.0)
        loss = tf.reduce_sum(out[0])
    np.testing.assert_allclose(tape.gradient(loss, w).numpy(), [0.16, -0.12], atol=1e-6)
    with pytest.raises(TypeError):
        tf.clip_by_global_norm(tf.constant([1.0]), 1.0)


def test_not_differentiable_ops_are_recorded_without_residuals():
    from jaxport.ops._gradients import NOT_DIFFERENTIABLE

    assert {"Round", "Floor", "OneHot", "ZerosLike", "RandomShuffle", "FloorDiv"} <= NOT_DIFFERENTIABLE
    x = tf.constant([0.4, 2.5])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        r = tf.round(x)
        z = tf.reduce_sum(r * 3.0)
    (node,) = [n for n in tape._nodes if any(o is r for o in n.outputs)]
    assert node.stops and node.vjp_fn is None  # no vjp residuals computed for it
    assert tape.gradient(z, x) is None
    np.testing.assert_array_equal(tape.gradient(z, r).numpy(), [3.0, 3.0])
    np.testing.assert_array_equal(
        tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO).numpy(), [0.0, 0.0]
    )


def test_integer_outputs_and_stop_gradient_are_not_recorded():
    x = tf.constant([0.4, 2.5])
    with tf.GradientTape() as tape:
        tape.watch(x)
        tf.argmax(x)
        tf.cast(x, tf.int32)
        s = tf.stop_gradient(x)
        y = s * 2.0
    assert tape._nodes == []
    assert tape.gradient(y, s) is None


def test_custom_gradient_outputs_are_new_tensors():
    @tf.custom_gradient
    def passthrough(x):
        return x, lambda dy: dy * 0.5

    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        t = v * v
        y = passthrough(t)
    assert y is not t
    assert float(tape.gradient(y, v)) == 2.0  # only through grad_fn: 0.5 * 2v
