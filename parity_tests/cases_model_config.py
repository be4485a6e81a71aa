"""Parity cases `modelcfg_*`: Keras 2 model configs and cloning (`get_config`, `from_config`,
`tf.keras.layers.serialize`, `clone_model`, custom objects).

Configs are compared as JSON strings with sorted keys (exactly); predictions after
`from_config` / `clone_model` + `set_weights` are compared with the original's (which has
fixed weights, so they are the same numbers in both frameworks). Same contract as
`parity_tests/cases.py`.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy


def _json(config: Any) -> str:
    return json.dumps(config, sort_keys=True)


def _fixed_weights(model: Any, seed: int) -> None:
    rs = np.random.RandomState(seed)
    model.set_weights([rs.uniform(-0.5, 0.5, w.shape).astype(np.float32) for w in model.get_weights()])


def _round_trips(out: dict, tf: Any, model: Any, inputs: Any, custom_objects: dict | None = None) -> None:
    """The config, the predictions of the model, of `from_config` and of `clone_model`."""
    config = model.get_config()
    out["config"] = _json(config)
    out["serialized"] = _json(tf.keras.layers.serialize(model))
    out["layer_names"] = [layer.name for layer in model.layers]
    out["count_params"] = np.array(model.count_params())
    out["predict"] = to_numpy(model(inputs))
    rebuilt = type(model).from_config(config, custom_objects=custom_objects)
    out["rebuilt_config"] = _json(rebuilt.get_config())
    out["rebuilt_weight_shapes"] = [str(tuple(w.shape)) for w in rebuilt.weights]
    rebuilt.set_weights(model.get_weights())
    out["rebuilt_predict"] = to_numpy(rebuilt(inputs))
    with tf.keras.utils.custom_object_scope(custom_objects or {}):
        clone = tf.keras.models.clone_model(model)
    out["clone_names"] = [layer.name for layer in clone.layers]
    out["clone_shares_weights"] = np.array(any(a is b for a in clone.weights for b in model.weights))
    clone.set_weights(model.get_weights())
    out["clone_predict"] = to_numpy(clone(inputs))


def case_modelcfg_sequential(tf: Any) -> dict[str, Any]:
    """A Sequential model (Dense, Dropout, Dense) round-tripped through its config and cloned."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    model = tf.keras.Sequential(
        [layers.Dense(3, activation="relu", input_shape=(4,)), layers.Dropout(0.2), layers.Dense(2, use_bias=False)]
    )
    _fixed_weights(model, 0)
    out: dict[str, Any] = {}
    x = np.random.RandomState(1).uniform(-1, 1, (2, 4)).astype(np.float32)
    _round_trips(out, tf, model, x)
    out["layer_serialize"] = _json(tf.keras.layers.serialize(model.layers[0]))
    restored = tf.keras.layers.deserialize(tf.keras.layers.serialize(model.layers[0]))
    out["layer_deserialize"] = _json(restored.get_config())
    unbuilt = tf.keras.Sequential([layers.Dense(2)], name="unbuilt")
    out["unbuilt_config"] = _json(unbuilt.get_config())
    from_model_config = tf.keras.models.model_from_config(tf.keras.layers.serialize(model))
    out["model_from_config_class"] = type(from_model_config).__name__
    return out


def case_modelcfg_functional(tf: Any) -> dict[str, Any]:
    """Two inputs, a shared Dense, a nested Sequential, merge layers: config and round trips."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    a = tf.keras.Input((4,), name="a")
    b = tf.keras.Input((4,), name="b")
    shared = layers.Dense(3, name="shared")
    inner = tf.keras.Sequential([layers.Dense(3, input_shape=(3,)), layers.LayerNormalization()], name="inner")
    added = layers.Add()([shared(a), shared(b)])
    merged = layers.Concatenate()([inner(added), added])
    model = tf.keras.Model([a, b], layers.Dense(1)(merged), name="two_inputs")
    _fixed_weights(model, 2)
    rs = np.random.RandomState(3)
    inputs = [rs.uniform(-1, 1, (2, 4)).astype(np.float32) for _ in range(2)]
    out: dict[str, Any] = {}
    _round_trips(out, tf, model, inputs)
    new_a = tf.keras.Input((4,), name="new_a")
    new_b = tf.keras.Input((4,), name="new_b")
    on_inputs = tf.keras.models.clone_model(model, input_tensors=[new_a, new_b])
    out["clone_on_inputs_names"] = [layer.name for layer in on_inputs.layers]
    on_inputs.set_weights(model.get_weights())
    out["clone_on_inputs_predict"] = to_numpy(on_inputs(inputs))
    renamed = tf.keras.models.clone_model(
        model,
        clone_function=lambda layer: layer.__class__.from_config({**layer.get_config(), "name": "c_" + layer.name}),
    )
    out["clone_function_names"] = [layer.name for layer in renamed.layers]
    return out


def case_modelcfg_custom_layer(tf: Any) -> dict[str, Any]:
    """A custom layer with its own `get_config`: serialization, custom_objects, registration,
    and the errors for missing or unknown classes."""
    tf.keras.backend.clear_session()

    class Scale(tf.keras.layers.Layer):
        def __init__(self, factor: float = 2.0, **kwargs: Any):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs: Any) -> Any:
            return inputs * self.factor

        def get_config(self) -> dict:
            config = super().get_config()
            config["factor"] = self.factor
            return config

    @tf.keras.utils.register_keras_serializable(package="modelcfg")
    class Shift(Scale):
        def call(self, inputs: Any) -> Any:
            return inputs + self.factor

    out: dict[str, Any] = {}
    x_in = tf.keras.Input((3,), name="x")
    model = tf.keras.Model(x_in, Shift(0.5)(Scale(3.0)(tf.keras.layers.Dense(2)(x_in))), name="custom")
    _fixed_weights(model, 4)
    x = np.random.RandomState(5).uniform(-1, 1, (2, 3)).astype(np.float32)
    _round_trips(out, tf, model, x, custom_objects={"Scale": Scale})
    out["serialize_custom"] = _json(tf.keras.layers.serialize(Scale(1.5, name="s")))
    out["serialize_registered"] = _json(tf.keras.layers.serialize(Shift(1.5, name="t")))
    out["registered_name"] = tf.keras.utils.get_registered_name(Shift)
    out["registered_in_objects"] = np.array("modelcfg>Shift" in tf.keras.utils.get_custom_objects())
    with tf.keras.utils.custom_object_scope({"Scale": Scale}):
        scoped = tf.keras.Model.from_config(model.get_config())
    out["scoped_factor"] = np.array(scoped.layers[2].factor, np.float32)

    config = model.get_config()
    dense_config = tf.keras.layers.serialize(tf.keras.layers.Dense(2, name="d"))
    add_error_contract(
        out,
        tf,
        "missing_custom_object",
        lambda: tf.keras.Model.from_config(config),
        phrases=(),  # tf_keras 2.21 gets the class name back as a str and calls it: "'str' object is not callable"
    )
    add_error_contract(
        out,
        tf,
        "unknown_class_no_module",
        lambda: tf.keras.layers.deserialize(
            {"module": None, "class_name": "Nope", "config": {}, "registered_name": None}
        ),
        phrases=("Cannot deserialize object of type `Nope`", "register_keras_serializable"),
    )
    add_error_contract(
        out,
        tf,
        "unknown_kwarg",
        lambda: tf.keras.layers.deserialize({**dense_config, "config": {"units": 2, "bogus": 1}}),
        phrases=("Error when deserializing class 'Dense'", "Keyword argument not understood", "bogus"),
    )
    add_error_contract(
        out,
        tf,
        "missing_argument",
        lambda: tf.keras.layers.deserialize({"class_name": "Dense", "config": {}}),
        phrases=("Error when deserializing class 'Dense'", "missing 1 required positional argument: 'units'"),
    )
    add_error_contract(
        out,
        tf,
        "model_from_config_unknown",
        lambda: tf.keras.models.model_from_config({"class_name": "Nope", "config": {}}),
        phrases=("Unknown layer: 'Nope'", "custom_object_scope"),
    )
    add_error_contract(
        out,
        tf,
        "sequential_unknown_layer",
        lambda: tf.keras.Sequential.from_config({"name": "s", "layers": [{"class_name": "Nope", "config": {}}]}),
        phrases=("Unknown layer: 'Nope'", "custom_object_scope"),
    )
    add_error_contract(
        out,
        tf,
        "model_from_config_list",
        lambda: tf.keras.models.model_from_config([dense_config]),
        phrases=("`model_from_config` expects a dictionary, not a list", "Sequential.from_config(config)"),
    )
    add_error_contract(
        out,
        tf,
        "clone_not_a_model",
        lambda: tf.keras.models.clone_model(3),
        phrases=("'int' has no attribute 'from_config'",),
    )

    class Sub(tf.keras.Model):
        def call(self, inputs: Any) -> Any:
            return inputs

    add_error_contract(
        out,
        tf,
        "clone_subclassed_with_function",
        lambda: tf.keras.models.clone_model(Sub(), clone_function=lambda layer: layer),
        phrases=("clone_function and input_tensors are only supported for Sequential models", "'Sub'"),
    )
    clone = tf.keras.models.clone_model(model)
    _fixed_weights(clone, 6)
    weights = model.get_weights()
    add_error_contract(
        out,
        tf,
        "clone_set_weights_count",
        lambda: clone.set_weights(weights[:1]),
        phrases=("with a weight list of length 1", "was expecting 2 weights"),
        state=lambda: [to_numpy(w) for w in clone.weights],
    )
    return out


def case_modelcfg_layer_configs(tf: Any) -> dict[str, Any]:
    """Serialized configs of built-in layers after a symbolic call (Conv2D, BatchNormalization,
    LSTM, MultiHeadAttention, Dropout, Dense with a regularizer, LayerNormalization, the merge
    layers), and a model of them rebuilt from its config with the same predictions."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    image = tf.keras.Input((5, 5, 2), name="image")
    sequence = tf.keras.Input((4, 3), name="sequence")
    out: dict[str, Any] = {}
    conv = layers.Conv2D(3, 2, strides=2, padding="same", activation="relu", name="conv")
    bn = layers.BatchNormalization(momentum=0.9, name="bn")
    pooled = layers.GlobalAveragePooling2D(name="pool")(bn(conv(image)))
    lstm = layers.LSTM(3, return_sequences=True, name="lstm")
    mha = layers.MultiHeadAttention(2, 3, name="mha")
    encoded = lstm(sequence)
    attended = mha(encoded, encoded)
    normed = layers.LayerNormalization(axis=-1, name="ln")(layers.Dropout(0.3, seed=1, name="drop")(attended))
    flat = layers.Flatten(name="flat")(normed)
    dense = layers.Dense(3, activation="tanh", kernel_regularizer="l2", name="dense")
    merged = [
        getattr(layers, kind)(name=kind.lower())([dense(flat), pooled])
        for kind in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")
    ]
    output = layers.Concatenate(name="concat")(merged)
    model = tf.keras.Model([image, sequence], output, name="many")
    for layer in model.layers:
        out[f"layer/{layer.name}"] = _json(tf.keras.layers.serialize(layer))
    _fixed_weights(model, 7)
    gamma, beta, moving_mean, moving_variance = bn.get_weights()
    bn.set_weights([gamma, beta, moving_mean, np.abs(moving_variance) + 0.5])  # a variance is positive
    rs = np.random.RandomState(8)
    inputs = [rs.uniform(-1, 1, (2, 5, 5, 2)).astype(np.float32), rs.uniform(-1, 1, (2, 4, 3)).astype(np.float32)]
    out["predict"] = to_numpy(model(inputs))
    rebuilt = tf.keras.Model.from_config(model.get_config())
    rebuilt.set_weights(model.get_weights())
    out["rebuilt_predict"] = to_numpy(rebuilt(inputs))
    out["rebuilt_config_equal"] = np.array(_json(rebuilt.get_config()) == _json(model.get_config()))
    out["regularization_losses"] = np.array([float(to_numpy(loss)) for loss in rebuilt.losses], np.float32)
    return out


def case_modelcfg_freezing(tf: Any) -> dict[str, Any]:
    """`trainable=False` on a BatchNormalization layer (inference mode even with training=True)
    and on a nested model (its weights move to non_trainable_weights; fit leaves them, BN
    statistics included); `trainable` changed after compile acts only after compile again."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    rs = np.random.RandomState(9)
    x = rs.uniform(-1, 1, (4, 3)).astype(np.float32)
    y = rs.uniform(-1, 1, (4, 1)).astype(np.float32)
    out: dict[str, Any] = {}
    frozen_bn = layers.BatchNormalization(trainable=False)
    out["frozen_bn/output"] = to_numpy(frozen_bn(tf.constant(x), training=True))
    out["frozen_bn/moving_mean"] = to_numpy(frozen_bn.moving_mean)
    inner = tf.keras.Sequential([layers.Dense(2, input_shape=(3,)), layers.BatchNormalization()], name="inner")
    model = tf.keras.Sequential([inner, layers.Dense(1)])
    inner.trainable = False
    out["frozen/weight_counts"] = np.array([len(model.trainable_weights), len(model.non_trainable_weights)])
    out["frozen/count_params"] = np.array(model.count_params())
    out["frozen/inner_layers_trainable"] = [str(layer.trainable) for layer in inner.layers]
    model.set_weights([np.abs(rs.uniform(0.1, 0.6, w.shape)).astype(np.float32) for w in model.get_weights()])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    for i, w in enumerate(model.get_weights()):
        out[f"fit_frozen/w{i}"] = w
    inner.trainable = True  # no effect until compile()
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    for i, w in enumerate(model.get_weights()):
        out[f"fit_unfrozen_no_compile/w{i}"] = w
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    for i, w in enumerate(model.get_weights()):
        out[f"fit_recompiled/w{i}"] = w
    out["predict"] = to_numpy(model(x))
    return out


def case_modelcfg_op_layers(tf: Any) -> dict[str, Any]:
    """TF ops and operators on KerasTensors (TFOpLambda layers) in a model config: their
    `function` names and inbound nodes, and the model rebuilt / cloned from it."""
    tf.keras.backend.clear_session()
    a = tf.keras.Input((3,), name="a")
    h = tf.keras.layers.Dense(3, name="d")(a)
    joined = tf.concat([h * 2.0, tf.math.reduce_sum(h, axis=1, keepdims=True)], axis=1)
    model = tf.keras.Model(a, joined + 1.0, name="ops")
    _fixed_weights(model, 10)
    x = np.random.RandomState(11).uniform(-1, 1, (2, 3)).astype(np.float32)
    out: dict[str, Any] = {}
    _round_trips(out, tf, model, x)
    return out


REFERENCES: dict[str, Reference] = {
    name: Reference(name)
    for name in (
        "modelcfg_sequential",
        "modelcfg_functional",
        "modelcfg_custom_layer",
        "modelcfg_layer_configs",
        "modelcfg_freezing",
        "modelcfg_op_layers",
    )
}
