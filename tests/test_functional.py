"""jaxport's own behaviour of the Functional API: KerasTensors carry no data, a Functional
model's compiled step is one JAX program, Flax NNX sees its state, graph building compiles
nothing and leaves layers' eager calls alone. Agreement with TF is in
parity_tests/test_parity_functional.py."""

from __future__ import annotations

import jax
import numpy as np
import pytest
from flax import nnx

import jaxport as tf
from jaxport.modules.keras_tensor import KerasTensor

layers = tf.keras.layers


@pytest.fixture(autouse=True)
def _fresh_names():
    tf.keras.backend.clear_session()


def _mlp() -> tf.keras.Model:
    inputs = tf.keras.Input((3,), name="x")
    hidden = layers.Dense(4, activation="tanh", name="hidden")(inputs)
    outputs = layers.Dense(1, name="out")(tf.concat([hidden, inputs * 2.0], axis=-1))
    return tf.keras.Model(inputs, outputs, name="mlp")


def test_keras_tensor_is_symbolic():
    x = tf.keras.Input((3,), dtype="int32")
    assert isinstance(x, KerasTensor)
    assert x.shape == tf.TensorShape([None, 3]) and x.dtype == tf.int32 and x.name == "input_1"
    assert not hasattr(x, "numpy")
    with pytest.raises(TypeError, match="intermediate Keras symbolic input/output"):
        np.asarray(x)
    with pytest.raises(TypeError, match="does not allow registering custom dispatchers"):
        tf.Variable(x)
    with pytest.raises(TypeError, match="unhashable"):
        hash(x)


def test_forward_equals_the_layers_math():
    model = _mlp()
    x = np.random.RandomState(0).uniform(-1, 1, (5, 3)).astype(np.float32)
    hidden, out = model.get_layer("hidden"), model.get_layer("out")
    h = np.tanh(x @ hidden.kernel.numpy() + hidden.bias.numpy())
    want = np.concatenate([h, 2 * x], axis=-1) @ out.kernel.numpy() + out.bias.numpy()
    np.testing.assert_allclose(model(x).numpy(), want, rtol=1e-5, atol=1e-6)
    assert [w.name for w in model.trainable_variables] == [
        "hidden/kernel:0",
        "hidden/bias:0",
        "out/kernel:0",
        "out/bias:0",
    ]


def test_building_the_graph_runs_no_eager_op_and_adds_no_node_to_eager_calls():
    from jaxport import eager

    compiled_before = len(eager._COMPILED)
    model = _mlp()
    assert len(eager._COMPILED) == compiled_before  # eval_shape only: nothing compiled
    dense = model.get_layer("hidden")
    assert len(dense.inbound_nodes) == 1
    dense(tf.ones((2, 3)))  # an eager call records no node
    model(np.ones((2, 3), np.float32))
    assert len(dense.inbound_nodes) == 1


def test_compiled_step_is_one_jax_program():
    model = _mlp()
    optimizer = tf.keras.optimizers.SGD(0.1)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    x = np.ones((4, 3), np.float32)
    y = np.zeros((4, 1), np.float32)
    step(x, y)  # the first call creates the optimizer's Variables, then traces for good
    traces = step.experimental_get_tracing_count()
    for _ in range(3):
        step(x, y)
    assert step.experimental_get_tracing_count() == traces
    jaxpr = str(step.get_concrete_function(x, y).jaxpr)
    assert jaxpr.count("tanh") >= 1 and jaxpr.count("concatenate") >= 1  # the whole graph in one program
    assert jaxpr.count("dot_general") >= 4  # forward and backward of both Dense layers


def test_fit_compiles_the_graph_into_one_train_function():
    model = _mlp()
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.RandomState(1).uniform(-1, 1, (32, 3)).astype(np.float32)
    y = x[:, :1] * 0.5
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)  # traces (first call: slots created)
    train_function = model._compile_state.train_function
    traces = train_function.experimental_get_tracing_count()
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    assert history.history["loss"][1] < history.history["loss"][0]
    assert train_function.experimental_get_tracing_count() == traces  # every batch ran the one program
    assert model.predict(x[:2], verbose=0).shape == (2, 1)


def test_nnx_sees_the_functional_models_state():
    model = _mlp()
    params = nnx.state(model, nnx.Param)
    leaves = jax.tree.leaves(params)
    assert len(leaves) == 4
    assert sorted(int(np.prod(leaf.shape)) for leaf in leaves) == sorted(
        int(np.prod(w.shape)) for w in model.trainable_variables
    )
    graphdef, state = nnx.split(model)
    clone = nnx.merge(graphdef, state)
    x = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(clone(x).numpy(), model(x).numpy(), rtol=1e-6)
    # The weights were created while the graph was traced symbolically; NNX still owns them here.
    grads = nnx.grad(lambda m: jax.numpy.sum(m(x)._value))(model)
    assert len(jax.tree.leaves(grads)) == 4
    sequential = tf.keras.Sequential([layers.Dense(2, input_shape=(3,))])
    assert len(jax.tree.leaves(nnx.grad(lambda m: jax.numpy.sum(m(x)._value))(sequential))) == 2


def test_training_flag_reaches_layers_inside_the_graph():
    inputs = tf.keras.Input((8,))
    outputs = layers.Dropout(0.5)(inputs)
    model = tf.keras.Model(inputs, outputs)
    x = np.ones((4, 8), np.float32)
    np.testing.assert_array_equal(model(x).numpy(), x)  # training=None: inference
    dropped = model(x, training=True).numpy()
    assert set(np.unique(dropped)) <= {0.0, 2.0} and (dropped == 0).any()
    # A node called with an explicit training=True keeps it.
    forced = tf.keras.Model(inputs, layers.Dropout(0.5)(inputs, training=True))
    assert (forced(x).numpy() == 0).any()


def test_op_layers_replay_with_new_batch_sizes():
    inputs = tf.keras.Input((4,))
    outputs = tf.reshape(inputs, [-1, 2, 2])[:, 0] + tf.reduce_mean(inputs, axis=1, keepdims=True)
    model = tf.keras.Model(inputs, outputs)
    assert model.output_shape == (None, 2)
    for batch in (1, 3):
        x = np.arange(batch * 4, dtype=np.float32).reshape(batch, 4)
        want = x.reshape(-1, 2, 2)[:, 0] + x.mean(axis=1, keepdims=True)
        np.testing.assert_allclose(model(x).numpy(), want, rtol=1e-6)


def test_sequential_deferred_build_inside_a_function():
    model = tf.keras.Sequential([layers.Dense(2), layers.Dense(1)])

    @tf.function
    def run(x):
        return model(x)

    out = run(tf.ones((3, 5)))
    assert out.shape == (3, 1)
    assert [w.name for w in model.weights] == ["dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"]
    assert model.inputs[0].shape == tf.TensorShape([3, 5])
    np.testing.assert_allclose(run(tf.ones((3, 5))).numpy(), model(tf.ones((3, 5))).numpy(), rtol=1e-6)


def test_subclassed_model_called_on_keras_tensors():
    class Twice(tf.keras.Model):
        def __init__(self):
            super().__init__(name="twice")
            self.dense = layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs) * 2.0

    inner = Twice()
    inputs = tf.keras.Input((3,))
    model = tf.keras.Model(inputs, inner(inputs))
    assert [w.name for w in model.weights] == ["twice/dense/kernel:0", "twice/dense/bias:0"]
    x = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(model(x).numpy(), inner(x).numpy(), rtol=1e-6)
