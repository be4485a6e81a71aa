"""Unit tests of jaxport's model configs, serialization registry and cloning (the TF parity
is in `parity_tests/cases_model_config.py`)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from flax import nnx

import jaxport as tf


def _two_branch_model():
    a = tf.keras.Input((3,), name="a")
    b = tf.keras.Input((3,), name="b")
    shared = tf.keras.layers.Dense(2, name="shared")
    out = tf.keras.layers.Concatenate(name="cat")([shared(a), shared(b)])
    return tf.keras.Model([a, b], out, name="m")


def test_from_config_rebuilds_shared_layer_once_with_fresh_variables():
    model = _two_branch_model()
    rebuilt = tf.keras.Model.from_config(model.get_config())
    assert [layer.name for layer in rebuilt.layers] == ["a", "b", "shared", "cat"]
    shared = rebuilt.get_layer("shared")
    assert len(shared._inbound_nodes) == 2  # one layer object called twice, as the config says
    assert len(rebuilt.weights) == 2
    assert all(w is not v for w in rebuilt.weights for v in model.weights)
    assert json.dumps(rebuilt.get_config(), sort_keys=True) == json.dumps(model.get_config(), sort_keys=True)


def test_clone_is_an_independent_nnx_module():
    model = _two_branch_model()
    clone = tf.keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    x = [np.ones((2, 3), np.float32), np.full((2, 3), 2.0, np.float32)]
    np.testing.assert_allclose(clone(x).numpy(), model(x).numpy(), rtol=1e-6)
    params = nnx.state(clone, nnx.Param)
    assert len(jax_leaves(params)) == 2
    clone.get_layer("shared").kernel.assign(np.zeros((3, 2), np.float32))
    assert not np.allclose(model.get_layer("shared").kernel.numpy(), 0.0)


def jax_leaves(tree):
    import jax

    return jax.tree.leaves(tree)


def test_custom_object_scopes_nest_and_unwind():
    class Twice(tf.keras.layers.Layer):
        def call(self, inputs):
            return inputs * 2.0

    config = {"class_name": "Twice", "config": {"name": "twice"}}
    with pytest.raises(ValueError, match="Unknown layer: 'Twice'"):
        tf.keras.layers.deserialize(config)
    with tf.keras.utils.custom_object_scope({"Other": object}):
        with tf.keras.utils.custom_object_scope({"Twice": Twice}):
            assert isinstance(tf.keras.layers.deserialize(config), Twice)
        with pytest.raises(ValueError, match="Unknown layer"):
            tf.keras.layers.deserialize(config)
    assert isinstance(tf.keras.layers.deserialize(config, custom_objects={"Twice": Twice}), Twice)


def test_register_keras_serializable_registers_under_package():
    @tf.keras.utils.register_keras_serializable(package="unit")
    class Plus(tf.keras.layers.Layer):
        pass

    assert tf.keras.utils.get_custom_objects()["unit>Plus"] is Plus
    serialized = tf.keras.layers.serialize(Plus(name="p"))
    assert serialized["registered_name"] == "unit>Plus"
    assert isinstance(tf.keras.layers.deserialize(serialized), Plus)


def test_from_config_refuses_a_graph_that_cannot_be_computed():
    config = _two_branch_model().get_config()
    config["layers"][2]["inbound_nodes"] = [[["missing", 0, 0, {}]]]
    with pytest.raises(ValueError, match=r"inputs of layers \['cat', 'shared'\] never exist"):
        tf.keras.Model.from_config(config)


def test_sequential_round_trip_keeps_input_shape_and_weight_count():
    model = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,)), tf.keras.layers.Dense(1)])
    rebuilt = tf.keras.Sequential.from_config(model.get_config())
    assert rebuilt.input_shape == (None, 3)
    assert rebuilt.count_params() == model.count_params() == 21


def test_op_layer_config_names_a_function_jaxport_has():
    from jaxport.modules.op_layers import TFOpLambda

    layer = TFOpLambda.from_config({"name": "tf.math.multiply", "function": "math.multiply"})
    assert layer.function is tf.math.multiply
    with pytest.raises(ValueError, match="function='math.nope'"):
        TFOpLambda.from_config({"name": "x", "function": "math.nope"})


def test_batch_normalization_regularizers_reach_losses_and_config():
    bn = tf.keras.layers.BatchNormalization(gamma_regularizer="l2")
    bn(tf.constant(np.ones((2, 3), np.float32)))
    np.testing.assert_allclose([float(loss.numpy()) for loss in bn.losses], [0.03], rtol=1e-6)
    config = bn.get_config()
    assert config["axis"] == [1]
    assert config["gamma_regularizer"]["class_name"] == "L2"
    rebuilt = tf.keras.layers.BatchNormalization.from_config(config)
    assert rebuilt.axis == 1 and rebuilt.gamma_regularizer is not None
