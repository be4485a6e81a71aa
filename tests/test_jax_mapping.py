"""The TF2 -> JAX mapping holds: a jaxport model is a Flax NNX module, and GradientTape,
`nnx.grad` on the model and `jax.grad` on the split NNX state give the same gradients."""

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

import jaxport as tf


def seed_mlp():
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dropout(rate=0.2, input_shape=(30,)),
            tf.keras.layers.Dense(units=64, activation="relu"),
            tf.keras.layers.Dropout(rate=0.2),
            tf.keras.layers.Dense(units=1, activation="sigmoid"),
        ]
    )
    rs = np.random.RandomState(0)
    model.set_weights([rs.uniform(-0.3, 0.3, w.shape).astype("float32") for w in model.get_weights()])
    return model


def test_tape_nnx_grad_and_jax_grad_agree():
    model = seed_mlp()
    rs = np.random.RandomState(1)
    x = rs.randn(16, 30).astype("float32")
    # (16, 1) labels: NumPy (16,) labels against the (16, 1) sigmoid output raise in tf_keras
    # (no rank alignment for NumPy inputs; the carried logits need the labels' shape)
    y = (rs.rand(16, 1) > 0.5).astype("float32")
    loss_fn = tf.keras.losses.BinaryCrossentropy()

    # 1. TF2: GradientTape over the trainable variables
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    tape_grads = [g.numpy() for g in tape.gradient(loss, model.trainable_variables)]

    # 2. Flax NNX: nnx.grad on the module (trainable Variables are nnx.Params)
    def nnx_loss(m):
        return jnp.asarray(loss_fn(y, m(x)))

    nnx_grads = nnx.grad(nnx_loss)(model)

    # 3. plain JAX: jax.grad over the split state, merged back inside the function
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)

    def pure_loss(params):
        return jnp.asarray(loss_fn(y, nnx.merge(graphdef, params, rest)(x)))

    jax_grads = jax.grad(pure_loss)(params)

    # NNX orders state by attribute path; match each path to its Keras variable by identity
    keras_index = {id(v): i for i, v in enumerate(model.trainable_variables)}
    paths = nnx.to_flat_state(nnx.state(model, nnx.Param))
    nnx_flat = dict(nnx.to_flat_state(nnx_grads))
    jax_flat = dict(nnx.to_flat_state(jax_grads))
    assert len(paths) == len(tape_grads) == len(nnx_flat) == len(jax_flat) == 4
    for path, var in paths:
        expected = tape_grads[keras_index[id(var)]]
        np.testing.assert_allclose(np.asarray(nnx_flat[path][...]), expected, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(np.asarray(jax_flat[path][...]), expected, rtol=1e-5, atol=1e-7)


def test_keras_model_is_an_nnx_module_with_keras_state():
    model = seed_mlp()
    assert isinstance(model, nnx.Module)
    params = nnx.state(model, nnx.Param)
    assert len(jax.tree.leaves(params)) == len(model.trainable_variables)
