"""compile / fit / evaluate / predict behaviour (numbers vs TF are in parity_tests/)."""

import numpy as np
import pytest

import jaxport as tf


def data(n=64):
    rs = np.random.RandomState(0)
    x = rs.randn(n, 30).astype("float32")
    return x, (x.sum(1) > 0).astype("float32")


def model_for(rate):
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dropout(rate=rate, input_shape=(30,)),
            tf.keras.layers.Dense(units=64, activation="relu"),
            tf.keras.layers.Dense(units=1, activation="sigmoid"),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer=tf.keras.optimizers.SGD(0.0), metrics=["accuracy"])
    return model


def test_history_keys_and_lengths():
    x, y = data()
    model = model_for(0.0)
    history = model.fit(x, y, epochs=3, batch_size=16, validation_data=(x[:8], y[:8]), verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in history.history.values())
    assert history.params == {"verbose": 0, "epochs": 3, "steps": 4}
    assert history.epoch == [0, 1, 2] and model.history is history


def test_dropout_is_active_in_fit_and_inactive_in_evaluate():
    x, y = data()
    # learning rate 0: weights never move, so fit's loss differs from evaluate's only by dropout
    frozen = model_for(0.0)
    fit_loss = frozen.fit(x, y, epochs=1, batch_size=64, shuffle=False, verbose=0).history["loss"][0]
    np.testing.assert_allclose(fit_loss, frozen.evaluate(x, y, verbose=0)[0], rtol=1e-6)
    dropped = model_for(0.5)
    dropped.set_weights(frozen.get_weights())
    fit_loss = dropped.fit(x, y, epochs=1, batch_size=64, shuffle=False, verbose=0).history["loss"][0]
    assert abs(fit_loss - dropped.evaluate(x, y, verbose=0)[0]) > 1e-3
    np.testing.assert_array_equal(dropped.predict(x, verbose=0), dropped.predict(x, verbose=0))


def test_fit_rejects_mismatched_lengths_before_training():
    x, y = data()
    model = model_for(0.0)
    before = model.get_weights()
    with pytest.raises(ValueError, match="Data cardinality is ambiguous:\n  x sizes: 64\n  y sizes: 63\n"):
        model.fit(x, y[:-1], verbose=0)
    assert model.optimizer.iterations.numpy() == 0
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_fit_requires_compile_and_valid_arguments():
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    with pytest.raises(RuntimeError, match="You must compile your model before training/testing"):
        model.fit(np.zeros((4, 2)), np.zeros(4), verbose=0)
    model.compile(loss="mse", optimizer="adam")
    with pytest.raises(ValueError, match="batch_size"):
        model.fit(np.zeros((4, 2)), np.zeros(4), batch_size=0, verbose=0)
    model.compile(loss="nope", optimizer="adam")  # as TF: the loss is looked up when fit builds it
    with pytest.raises(ValueError, match="Unknown loss function: 'nope'"):
        model.fit(np.zeros((4, 2)), np.zeros(4), verbose=0)
    with pytest.raises(ValueError, match="Unknown optimizer: 'nope'"):
        model.compile(loss="mse", optimizer="nope")


def test_fit_prints_keras_progress_lines(capsys):
    x, y = data(32)
    model_for(0.0).fit(x, y, epochs=2, batch_size=16, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert lines[1].startswith("2/2 - ") and "loss: " in lines[1] and "accuracy: " in lines[1]


def test_fit_trains_and_accuracy_uses_binary_threshold():
    x, y = data(256)
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(30,))])
    model.compile(loss="binary_crossentropy", optimizer=tf.keras.optimizers.Adam(0.05), metrics=["accuracy"])
    history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.9
    pred = model.predict(x, verbose=0)
    acc = np.mean((pred[:, 0] > 0.5) == (y > 0.5))
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0)[1], acc, rtol=1e-6)


def test_adam_matches_keras_formula():
    v = tf.Variable([1.0, -2.0])
    opt = tf.keras.optimizers.Adam(learning_rate=0.1)
    g = np.array([0.5, -1.0], np.float32)
    m = np.zeros(2)
    s = np.zeros(2)
    w = np.array([1.0, -2.0])
    for t in range(1, 4):
        opt.apply_gradients([(tf.constant(g), v)])
        m = m + (g - m) * 0.1
        s = s + (g * g - s) * 0.001
        alpha = 0.1 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        w = w - alpha * m / (np.sqrt(s) + 1e-7)
    np.testing.assert_allclose(v.numpy(), w, rtol=1e-5)  # float32, as TF ([0.7000035, -1.7000029])
    assert int(opt.iterations.numpy()) == 3
    assert [x.name for x in opt.variables] == ["iteration:0", "Adam/m/Variable:0", "Adam/v/Variable:0"]


def test_apply_gradients_with_no_gradients_raises():
    v = tf.Variable(1.0)
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        tf.keras.optimizers.Adam().apply_gradients([(None, v)])


def test_keras_adam_is_an_optax_transform():
    import jax.numpy as jnp
    import optax
    from jaxport.keras.optimizers import keras_adam

    tx = optax.chain(optax.clip_by_global_norm(10.0), keras_adam(0.1))
    params = {"w": jnp.array([1.0, -2.0])}
    state = tx.init(params)
    updates, _ = tx.update({"w": jnp.array([0.5, -1.0])}, state, params)
    expected = -0.1 * np.sqrt(1 - 0.999) / (1 - 0.9) * np.array([0.05, -0.1]) / (np.sqrt([0.00025, 0.001]) + 1e-7)
    np.testing.assert_allclose(updates["w"], expected, rtol=1e-5)


def test_fit_on_datasets_and_validation_split_with_sample_weight():
    x, y = data(100)
    model = model_for(0.0)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    history = model.fit(ds, epochs=2, validation_data=ds, verbose=0)
    assert history.params["steps"] == 7 and len(history.history["val_loss"]) == 2
    with pytest.raises(ValueError, match="`y` argument is not supported when using dataset as input"):
        model.fit(ds, y, verbose=0)
    history = model.fit(x, y, sample_weight=np.ones(100), validation_split=0.2, epochs=1, verbose=0)
    np.testing.assert_allclose(history.history["val_loss"][0], model.evaluate(x[80:], y[80:], verbose=0)[0], rtol=1e-6)
    assert model.predict(tf.data.Dataset.from_tensor_slices(x).batch(30), verbose=0).shape == (100, 1)


def test_model_loss_is_what_compile_was_given():
    """Keras 2: `model.loss` is the `loss` argument as given (a name stays a string)."""
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    assert model.loss is None
    model.compile(loss="huber", optimizer="sgd")
    assert model.loss == "huber"
    mse = tf.keras.losses.MeanSquaredError()
    model.compile(loss=mse, optimizer="sgd")
    assert model.loss is mse
    model.compile(loss={"dense": "mse"}, optimizer="sgd")
    assert model.loss == {"dense": "mse"}
