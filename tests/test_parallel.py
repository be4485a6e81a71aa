"""MirroredStrategy on 4 simulated CPU devices (conftest): SPMD replicas, all-reduced gradients."""

import numpy as np
import pytest

import jaxport as tf


def make_model(rate=0.0):
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dropout(rate=rate, input_shape=(30,)),
            tf.keras.layers.Dense(units=8, activation="relu"),
            tf.keras.layers.Dense(units=1, activation="sigmoid"),
        ]
    )
    rs = np.random.RandomState(0)
    model.set_weights([rs.uniform(-0.3, 0.3, w.shape).astype("float32") for w in model.get_weights()])
    return model


def data(n):
    rs = np.random.RandomState(1)
    x = rs.randn(n, 30).astype("float32")
    return x, (x.sum(1) > 0).astype("float32")


def test_strategy_basics():
    strategy = tf.distribute.MirroredStrategy()
    assert strategy.num_replicas_in_sync == 4
    assert tf.distribute.MirroredStrategy(devices=["/cpu:0", "/cpu:1"]).num_replicas_in_sync == 2
    with pytest.raises(AssertionError, match="No duplicates allowed"):
        tf.distribute.MirroredStrategy(devices=["/cpu:0", "/cpu:0"])
    with pytest.raises(ValueError, match="Unknown attribute 'foo'"):
        tf.distribute.MirroredStrategy(devices=["foo"])
    with pytest.raises(ValueError, match="local CPU devices"):
        tf.distribute.MirroredStrategy(devices=["/cpu:9"])
    with strategy.scope():
        assert tf.distribute.get_strategy() is strategy
    assert tf.distribute.get_strategy() is not strategy


@pytest.mark.parametrize("n", [64, 50])  # 50: the last batch of 18 splits [5, 5, 5, 3]
def test_fit_under_strategy_equals_single_device_fit(n):
    x, y = data(n)
    histories, weights = [], []
    for use_strategy in (False, True):
        strategy = tf.distribute.MirroredStrategy()
        if use_strategy:
            with strategy.scope():
                model = make_model()
                model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
        else:
            model = make_model()
            model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
        histories.append(model.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0).history)
        weights.append(model.get_weights())
    if n % 32 == 0:
        np.testing.assert_allclose(histories[0]["loss"], histories[1]["loss"], rtol=1e-5)
        for a, b in zip(*weights):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    else:
        # uneven split: per-replica means / 4 differ from the global mean (as in TF), slightly
        np.testing.assert_allclose(histories[0]["loss"][0], histories[1]["loss"][0], rtol=1e-5)
        assert not np.allclose(weights[0][0], weights[1][0], rtol=1e-7, atol=0)


def test_custom_loop_with_strategy_run_matches_single_device():
    x, y = data(32)
    strategy = tf.distribute.MirroredStrategy()
    results = []
    for distributed in (False, True):
        model = make_model()
        optimizer = tf.keras.optimizers.SGD(0.1)
        loss_obj = tf.keras.losses.BinaryCrossentropy(reduction="none")

        def step(xb, yb):
            with tf.GradientTape() as tape:
                per_example = loss_obj(yb[:, None], model(xb, training=True))
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=32)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        if distributed:
            dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices((x, y)).batch(32))
            for xb, yb in dist:
                per_replica = strategy.run(tf.function(step), args=(xb, yb))
                total = strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)
                assert len(strategy.experimental_local_results(per_replica)) == 4
        else:
            total = step(tf.constant(x), tf.constant(y))
        results.append((float(total), model.get_weights()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-5)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_keras_loss_with_default_reduction_inside_run_raises():
    strategy = tf.distribute.MirroredStrategy()
    loss_obj = tf.keras.losses.BinaryCrossentropy()
    x = tf.distribute.PerReplica(np.split(np.zeros((8, 1), np.float32), 4))
    with pytest.raises(ValueError, match="Please use `tf.keras.losses.Reduction.SUM` or"):
        strategy.run(lambda v: loss_obj(v, v), args=(x,))


def test_batchnorm_moving_statistics_are_replica_means():
    rs = np.random.RandomState(2)
    x = rs.randn(8, 3).astype("float32") * 3
    strategy = tf.distribute.MirroredStrategy()
    bn = tf.keras.layers.BatchNormalization(momentum=0.5)
    bn.build((None, 3))
    strategy.run(lambda v: bn(v, training=True), args=(tf.distribute.PerReplica(np.split(x, 4)),))
    local_means = x.reshape(4, 2, 3).mean(1)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.5 * local_means.mean(0), rtol=1e-5, atol=1e-6)
