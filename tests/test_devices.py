"""Devices as JAX places them (4 simulated CPUs, conftest), the default strategy's contexts, and
collectives of the replica context (BatchNormalization(synchronized=True) uses them)."""

import jax
import numpy as np
import pytest

import jaxport as tf
from jaxport.device import DeviceSpec


def _jax_device(t):
    (device,) = t._value.devices()
    return device


def test_device_scope_places_arrays_on_that_jax_device_uncommitted():
    cpus = jax.devices("cpu")
    with tf.device("/CPU:2"):
        a = tf.constant([1.0, 2.0])
        v = tf.Variable([3.0])
        b = a * 2.0
    assert _jax_device(a) == cpus[2] and _jax_device(b) == cpus[2]
    assert v.device == "/job:localhost/replica:0/task:0/device:CPU:2"
    assert not a._value.committed  # so later ops elsewhere may move it, as TF copies inputs
    c = a + 1.0  # outside the scope: the default device, as TF runs the op there
    assert _jax_device(c) == cpus[0] and c.device.endswith("device:CPU:0")
    np.testing.assert_array_equal(c.numpy(), [2.0, 3.0])
    with tf.device("/CPU:3"):
        moved = tf.identity(a)
    assert moved.device.endswith("device:CPU:3")


def test_soft_placement_and_none_reset():
    with tf.device("/CPU:9"):  # no such device: the default one (TF's soft placement)
        assert tf.constant(1.0).device.endswith("device:CPU:0")
    if not jax.devices()[0].platform == "gpu":
        with tf.device("/GPU:0"):
            assert tf.constant(1.0).device.endswith("device:CPU:0")
    with tf.device("/CPU:1"):
        with tf.device(None):
            assert tf.constant(1.0).device.endswith("device:CPU:0")
        assert tf.constant(1.0).device.endswith("device:CPU:1")


def test_traced_tensors_have_no_device():
    seen = []

    @tf.function
    def f(x):
        seen.append(x.device)
        return x + 1.0

    f(tf.constant(1.0))
    assert seen and set(seen) == {""}


def test_device_spec_parses_as_tf():
    spec = DeviceSpec.from_string("/job:localhost/replica:0/task:0/device:GPU:1")
    assert (spec.job, spec.replica, spec.task, spec.device_type, spec.device_index) == ("localhost", 0, 0, "GPU", 1)
    assert DeviceSpec.from_string("cpu:*").to_string() == "/device:CPU:*"
    assert DeviceSpec.from_string("/GPU:0").full_name() == "/job:localhost/replica:0/task:0/device:GPU:0"
    with pytest.raises(ValueError, match="Unknown attribute 'bogus'"):
        DeviceSpec.from_string("/bogus:1")
    with pytest.raises(tf.errors.InvalidArgumentError, match="unknown device"):
        with tf.device("/job:worker/device:CPU:0"):
            pass


def test_logical_devices_are_tf_names():
    assert [d.name for d in tf.config.list_logical_devices("CPU")] == [f"/device:CPU:{i}" for i in range(4)]
    assert tf.config.list_logical_devices("TPU") == []


def test_default_replica_context_and_reduce_op():
    context = tf.distribute.get_replica_context()
    assert context.num_replicas_in_sync == 1 and context.replica_id_in_sync_group == 0
    np.testing.assert_array_equal(context.all_reduce("SUM", tf.constant([1.0, 2.0])).numpy(), [1.0, 2.0])
    assert tf.distribute.get_strategy().run(lambda x: x + 1, args=(1,)) == 2
    with pytest.raises(ValueError, match="'MAX' is not a valid ReduceOp"):
        tf.distribute.ReduceOp("MAX")
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
        assert tf.distribute.get_replica_context() is None
        assert tf.distribute.in_cross_replica_context()
    with pytest.raises(RuntimeError, match="Mixing different tf.distribute.Strategy objects"):
        with strategy.scope():
            with tf.distribute.MirroredStrategy(["/cpu:2"]).scope():
                pass
    assert not tf.distribute.has_strategy()  # the failed scope left nothing behind


def test_all_reduce_is_recorded_on_tapes():
    strategy = tf.distribute.MirroredStrategy()
    x = np.arange(1.0, 5.0, dtype=np.float32).reshape(4, 1)

    def step(v):
        with tf.GradientTape() as tape:
            tape.watch(v)
            total = tf.distribute.get_replica_context().all_reduce("SUM", v * v)
        return tape.gradient(total, v)

    grads = strategy.run(step, args=(tf.distribute.PerReplica(np.split(x, 4)),))
    got = np.concatenate([g.numpy() for g in strategy.experimental_local_results(grads)])
    np.testing.assert_allclose(got, 4 * 2 * x)  # psum's transpose sums the 4 replicas' cotangents


def test_synchronized_batchnorm_uses_global_moments_and_their_gradient():
    rs = np.random.RandomState(3)
    x = (rs.randn(8, 3) * 2 + 1).astype("float32")
    weights = rs.randn(8, 3).astype("float32")

    def bn_layer(synchronized):
        layer = tf.keras.layers.BatchNormalization(momentum=0.5, synchronized=synchronized)
        layer.build((None, 3))
        return layer

    # one device, the whole batch: the reference
    ref = bn_layer(False)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(ref(xt, training=True) * weights)
    ref_grad = tape.gradient(loss, xt).numpy()

    strategy = tf.distribute.MirroredStrategy()
    synced = bn_layer(True)

    def step(v, w):
        with tf.GradientTape() as tape:
            tape.watch(v)
            y = synced(v, training=True)
            part = tf.reduce_sum(y * w)
        return y, tape.gradient(part, v)

    outs, grads = strategy.run(
        step, args=(tf.distribute.PerReplica(np.split(x, 4)), tf.distribute.PerReplica(np.split(weights, 4)))
    )
    out = np.concatenate([o.numpy() for o in strategy.experimental_local_results(outs)])
    grad = np.concatenate([g.numpy() for g in strategy.experimental_local_results(grads)])
    full = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3)
    np.testing.assert_allclose(out, full, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(synced.moving_mean.numpy(), 0.5 * x.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(synced.moving_variance.numpy(), 0.5 + 0.5 * x.var(0), rtol=1e-5)  # biased: not fused
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-4, atol=1e-5)
