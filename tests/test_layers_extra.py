"""jaxport's own behaviour of the extra Keras layers: traced calls (tf.function, fit), NNX state,
one recorded op per layer, RNG repeatability, and config round trips."""

from __future__ import annotations

import numpy as np
import pytest
from flax import nnx

import jaxport as tf

L = tf.keras.layers


def test_noise_layers_follow_a_traced_training_flag():
    layer = L.GaussianNoise(1.0)
    x = tf.ones((3, 4))

    @tf.function
    def run(training):
        return layer(x, training=training)

    np.testing.assert_array_equal(run(tf.constant(False)).numpy(), np.ones((3, 4)))
    noised = run(tf.constant(True)).numpy()
    assert noised.shape == (3, 4) and not np.allclose(noised, 1.0)


def test_noise_draws_repeat_after_set_seed():
    tf.random.set_seed(7)
    first = L.AlphaDropout(0.5)(tf.ones((4, 8)), training=True).numpy()
    tf.random.set_seed(7)
    second = L.AlphaDropout(0.5)(tf.ones((4, 8)), training=True).numpy()
    np.testing.assert_array_equal(first, second)


def test_spatial_dropout_keeps_scaled_channels():
    y = L.SpatialDropout1D(0.5)(tf.ones((8, 3, 6)), training=True).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0}
    np.testing.assert_array_equal(y, np.broadcast_to(y[:, :1], y.shape))


def test_parametric_layers_are_one_recorded_op_each():
    x = tf.constant(np.linspace(-2, 2, 12, dtype="float32").reshape(3, 4))
    for layer in (L.PReLU(), L.ELU(0.5), L.ThresholdedReLU(0.3), L.Masking(), L.Rescaling(2.0)):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            layer(x)
        assert len(tape._nodes) == 1, type(layer).__name__


def test_time_distributed_trains_in_fit_and_matches_eager():
    rs = np.random.RandomState(0)
    x, y = rs.randn(8, 3, 4).astype("float32"), rs.randn(8, 3, 2).astype("float32")
    model = tf.keras.Sequential([L.TimeDistributed(L.Dense(2), input_shape=(3, 4)), L.LeakyReLU()])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    before = model.predict(x, verbose=0)
    np.testing.assert_allclose(before, model(x).numpy(), rtol=1e-6)
    history = model.fit(x, y, epochs=3, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert [w.name for w in model.weights][0].endswith("time_distributed/kernel:0")


def test_normalization_state_is_nnx_state_and_adapt_matches_numpy():
    data = np.random.RandomState(1).randn(100, 3).astype("float32") * 3 + 1
    layer = L.Normalization()
    layer.adapt(data)
    np.testing.assert_allclose(layer.get_weights()[0], data.mean(0), rtol=1e-5)
    np.testing.assert_allclose(layer.get_weights()[1], data.var(0), rtol=1e-4)
    assert int(layer.get_weights()[2]) == 100
    assert layer.trainable_weights == []
    flat = dict(nnx.to_flat_state(nnx.state(layer)))
    shapes = sorted(np.shape(np.asarray(v[...])) for v in flat.values())
    assert shapes == [(), (3,), (3,)]  # count, mean, variance


def test_configs_round_trip():
    for layer in (
        L.LeakyReLU(0.1),
        L.ELU(0.4),
        L.ThresholdedReLU(0.2),
        L.ReLU(max_value=2.0, negative_slope=0.1),
        L.Softmax(axis=1, robust_masking=True),
        L.Masking(-1.0),
        L.GaussianNoise(0.2),
        L.AlphaDropout(0.1),
        L.SpatialDropout2D(0.3),
        L.Rescaling(0.5, offset=1.0),
        L.Resizing(2, 3, interpolation="nearest"),
        L.CenterCrop(2, 2),
        L.CategoryEncoding(4, output_mode="count"),
        L.Normalization(mean=1.0, variance=2.0),
        L.TimeDistributed(L.Dense(3)),
    ):
        config = layer.get_config()
        clone = type(layer).from_config(config)
        assert clone.get_config() == config


def test_lambda_passes_mask_and_training():
    seen = {}

    def fn(x, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return x

    masked = L.Masking()(tf.constant([[[0.0], [1.0]]]))
    L.Lambda(fn)(masked, training=True)
    assert seen["training"] is True
    np.testing.assert_array_equal(seen["mask"].numpy(), [[False, True]])


def test_category_encoding_checks_range_only_when_values_are_known():
    layer = L.CategoryEncoding(3)

    @tf.function
    def encode(ids):
        return layer(ids)

    np.testing.assert_array_equal(encode(tf.constant([[0, 2]])).numpy(), [[1.0, 0.0, 1.0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_tokens=3"):
        layer(tf.constant([[3]]))
