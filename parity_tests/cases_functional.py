"""Parity cases: the Keras Functional API and the Sequential surface (Keras 2 semantics).

- `functional_mlp`: `Input` -> Dense -> Dense as `Model(inputs, outputs)`: forward values from
  fixed weights, gradients w.r.t. the weights, weight names and order, shapes.
- `functional_two_inputs`: two Inputs, one Dense shared by both, a nested Sequential, a
  `tf.concat` op layer; `model.layers` order, node indices, the model called on new Inputs.
- `functional_dicts`: dict inputs and dict outputs (names, shapes, a call with numpy dicts).
- `functional_operators`: Python operators and TF ops on KerasTensors become op layers
  (names such as `tf.math.multiply`, `tf.__operators__.getitem`) computing TF's values.
- `functional_nesting`: feature extraction, models inside models (Sequential, Functional,
  subclassed), `training` reaching BatchNormalization inside the graph.
- `functional_sequential`: add / pop / build / Input first / deferred build / output_shape.
- `functional_fit`: compile + fit + evaluate + predict of a Functional model (rtol 1e-4).
- `functional_introspection`: layer.input/output(_shape), get_*_at, names as strings.
- `functional_errors`: the error contract of bad Functional / Sequential usage.

Same contract as `parity_tests/cases.py`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, history_results, set_fixed_weights, to_numpy


def _data(shape: tuple, seed: int) -> np.ndarray:
    return np.random.RandomState(seed).uniform(-1.0, 1.0, size=shape).astype(np.float32)


def _names(items: Any) -> list[str]:
    return [item.name for item in items]


def _shape_text(shape: Any) -> str:
    """A Keras shape (tuple, list or dict of them) as text: `(None, 4)`."""
    if isinstance(shape, dict):
        return "{" + ", ".join(f"{k!r}: {_shape_text(v)}" for k, v in sorted(shape.items())) + "}"
    if isinstance(shape, list):
        return "[" + ", ".join(_shape_text(s) for s in shape) + "]"
    return str(tuple(shape))


def _gradients(tf: Any, model: Any, x: Any, out: dict, prefix: str) -> None:
    with tf.GradientTape() as tape:
        y = model(x)
        loss = tf.reduce_sum(tf.square(y)) if not isinstance(y, (list, dict)) else None
    for name, grad in zip(_names(model.trainable_variables), tape.gradient(loss, model.trainable_variables)):
        out[f"{prefix}grad/{name}"] = to_numpy(grad)


def case_functional_mlp(tf: Any) -> dict[str, Any]:
    """A single-input MLP built with `Model(inputs, outputs)`."""
    tf.keras.backend.clear_session()
    inputs = tf.keras.Input(shape=(5,))
    hidden = tf.keras.layers.Dense(4, activation="relu")(inputs)
    outputs = tf.keras.layers.Dense(2)(hidden)
    model = tf.keras.Model(inputs=inputs, outputs=outputs)
    set_fixed_weights(model, 3)
    x = _data((3, 5), 0)
    out: dict[str, Any] = {
        "type": type(model).__name__,
        "model_name": model.name,
        "layers": _names(model.layers),
        "weights": _names(model.weights),
        "trainable": _names(model.trainable_variables),
        "input_shape": _shape_text(model.input_shape),
        "output_shape": _shape_text(model.output_shape),
        "input_names": model.input_names,
        "output_names": model.output_names,
        "inputs": [str(t.shape) + " " + t.dtype.name for t in model.inputs],
        "input_name": inputs.name,
        "y": to_numpy(model(x)),
        "y_numpy_call": to_numpy(model(tf.constant(x))),
        "predict": model.predict(x, verbose=0),
    }
    _gradients(tf, model, tf.constant(x), out, "")
    return out


def _two_input_model(tf: Any) -> tuple[Any, Any]:
    layers = tf.keras.layers
    a = tf.keras.Input((3,), name="a")
    b = tf.keras.Input((3,), name="b")
    shared = layers.Dense(4, activation="tanh")
    ha, hb = shared(a), shared(b)
    inner = tf.keras.Sequential([layers.Dense(3, activation="relu"), layers.Dense(2)], name="inner")
    joined = tf.concat([inner(ha), hb], axis=-1)
    head = layers.Dense(1, name="head")(joined)
    return tf.keras.Model(inputs=[a, b], outputs=head, name="two"), shared


def case_functional_two_inputs(tf: Any) -> dict[str, Any]:
    """Two inputs, a shared Dense, a nested Sequential and a `tf.concat` op layer."""
    tf.keras.backend.clear_session()
    model, shared = _two_input_model(tf)
    set_fixed_weights(model, 11)
    xa, xb = _data((4, 3), 1), _data((4, 3), 2)
    out: dict[str, Any] = {
        "layers": _names(model.layers),
        "layer_types": [type(layer).__name__ for layer in model.layers],
        "weights": _names(model.weights),
        "trainable": _names(model.trainable_variables),
        "shared_nodes": [str(len(shared.inbound_nodes))],
        "shared_history": [
            f"{t._keras_history[0].name}[{t._keras_history[1]}][{t._keras_history[2]}]"
            for t in (shared.get_output_at(0), shared.get_output_at(1))
        ],
        "input_shape": _shape_text(model.input_shape),
        "output_shape": _shape_text(model.output_shape),
        "y": to_numpy(model([xa, xb])),
        "y_tensors": to_numpy(model([tf.constant(xa), tf.constant(xb)])),
        "y_last_axis_1": to_numpy(model([xa[:, :, None], xb])),
    }
    _gradients(tf, model, [tf.constant(xa), tf.constant(xb)], out, "")
    # The model called on new Inputs: a layer of an outer model, the same weights.
    c = tf.keras.Input((3,), name="c")
    d = tf.keras.Input((3,), name="d")
    outer = tf.keras.Model([c, d], model([c, d]) * 2.0, name="outer")
    out["outer_layers"] = _names(outer.layers)
    out["outer_weights"] = _names(outer.weights)
    out["outer_y"] = to_numpy(outer([xa, xb]))
    return out


def case_functional_dicts(tf: Any) -> dict[str, Any]:
    """Dict inputs and dict outputs, called with numpy dicts."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    a = tf.keras.Input((2,), name="a")
    b = tf.keras.Input((3,), name="b")
    joined = tf.concat([a, b], axis=1)
    outputs = {"y": layers.Dense(1, name="y_head")(joined), "z": layers.Dense(2, name="z_head")(b)}
    model = tf.keras.Model({"b": b, "a": a}, outputs)
    set_fixed_weights(model, 5)
    xa, xb = _data((3, 2), 3), _data((3, 3), 4)
    result = model({"a": xa, "b": xb})
    out: dict[str, Any] = {
        "layers": _names(model.layers),
        "input_names": model.input_names,
        "output_names": model.output_names,
        "input_shape": _shape_text(model.input_shape),
        "output_shape": _shape_text(model.output_shape),
        "inputs": _names(model.inputs),
        "result_keys": sorted(result),
        "y": to_numpy(result["y"]),
        "z": to_numpy(result["z"]),
    }
    listed = tf.keras.Model([a, b], [outputs["y"], outputs["z"]])
    by_name = listed({"a": xa, "b": xb})
    out["list_model_by_name"] = [to_numpy(v) for v in by_name]
    return out


def case_functional_operators(tf: Any) -> dict[str, Any]:
    """Python operators and TF ops applied to KerasTensors (TFOpLambda layers)."""
    tf.keras.backend.clear_session()
    x = tf.keras.Input((4,), name="x")
    y = tf.keras.Input((4,), name="y")
    results = [
        x * 2,
        x + y,
        x[:, 0],
        tf.concat([x, y], axis=1),
        tf.nn.relu(x),
        tf.reduce_mean(x, axis=1),
        tf.reshape(x, [-1, 2, 2]),
        tf.expand_dims(x, 1),
        2.0 * x,
        x - 1.0,
        -x,
        x / 2.0,
        tf.sigmoid(y),
        tf.multiply(x, y),
        tf.add(x, y),
        tf.math.reduce_sum(x, axis=-1, keepdims=True),
        tf.matmul(x, tf.ones((4, 2))),
        x[:, 1:3] * y[:, :2],
        tf.nn.softmax(x + y),
        tf.maximum(x, y),
    ]
    model = tf.keras.Model([x, y], results)
    xv, yv = _data((3, 4), 7), _data((3, 4), 8)
    values = model([xv, yv])
    out: dict[str, Any] = {
        "layers": _names(model.layers),
        "layer_types": [type(layer).__name__ for layer in model.layers],
        "shapes": [str(r.shape) for r in results],
        "dtypes": [r.dtype.name for r in results],
        "output_names": model.output_names,
        "values": [to_numpy(v) for v in values],
    }
    return out


def case_functional_nesting(tf: Any) -> dict[str, Any]:
    """Feature extraction, nested models, and `training` reaching BatchNormalization."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    inputs = tf.keras.Input((4,))
    h = layers.Dense(3, activation="relu")(inputs)
    h = layers.BatchNormalization()(h)
    outputs = layers.Dense(2)(h)
    base = tf.keras.Model(inputs, outputs, name="base")
    set_fixed_weights(base, 21)
    x = _data((5, 4), 9)
    features = tf.keras.Model(base.inputs, [layer.output for layer in base.layers], name="features")
    out: dict[str, Any] = {
        "features_layers": _names(features.layers),
        "features": [to_numpy(v) for v in features(x)],
        "base_infer": to_numpy(base(x)),
        "base_training_false": to_numpy(base(x, training=False)),
    }
    out["base_training_true"] = to_numpy(base(x, training=True))
    out["moving_after_training"] = [to_numpy(w) for w in base.non_trainable_weights]

    class Scale(tf.keras.Model):
        def __init__(self):
            super().__init__(name="scale")
            self.dense = layers.Dense(2, name="scale_dense")

        def call(self, inputs):
            return self.dense(inputs) * 0.5

    seq = tf.keras.Sequential([base, layers.Dense(1, name="after")], name="seq_of_functional")
    outer_in = tf.keras.Input((4,), name="outer_in")
    scaled = Scale()(base(outer_in))
    outer = tf.keras.Model(outer_in, [scaled, seq(outer_in)], name="outer")
    set_fixed_weights(outer, 31)
    out["outer_layers"] = _names(outer.layers)
    out["outer_weights"] = _names(outer.weights)
    out["outer_values"] = [to_numpy(v) for v in outer(x)]
    return out


def case_functional_sequential(tf: Any) -> dict[str, Any]:
    """The Sequential surface: add, pop, build, Input first, deferred build, shapes."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    out: dict[str, Any] = {}
    s1 = tf.keras.Sequential(name="s1")
    out["empty"] = [str(s1.inputs), str(s1.outputs), str(len(s1.layers)), str(s1.built)]
    s1.add(tf.keras.Input((5,)))
    s1.add(layers.Dense(4, activation="relu"))
    s1.add(layers.Dense(2))
    out["s1_layers"] = _names(s1.layers)
    out["s1_shapes"] = [_shape_text(s1.input_shape), _shape_text(s1.output_shape)]
    out["s1_inputs"] = _names(s1.inputs)
    out["s1_weights"] = _names(s1.weights)
    set_fixed_weights(s1, 41)
    x = _data((3, 5), 10)
    out["s1_y"] = to_numpy(s1(x))
    s1.pop()
    out["s1_after_pop"] = _names(s1.layers) + [_shape_text(s1.output_shape), str(s1.outputs[0].shape)]
    out["s1_y_after_pop"] = to_numpy(s1(x))
    s1.add(layers.Dense(3, name="new_head"))
    out["s1_after_add"] = _names(s1.layers) + [_shape_text(s1.output_shape)]
    s2 = tf.keras.Sequential([layers.Dense(3, input_shape=(6,)), layers.Dense(1)], name="s2")
    out["s2"] = _names(s2.weights) + [_shape_text(s2.output_shape), _names(s2.inputs)[0], str(s2.built)]
    s3 = tf.keras.Sequential([layers.Dense(3), layers.Dense(1)], name="s3")
    out["s3_before"] = [str(s3.built), str(s3.inputs)]
    s3.build((None, 6))
    out["s3_built"] = _names(s3.weights) + [_shape_text(s3.output_shape), _names(s3.inputs)[0]]
    s4 = tf.keras.Sequential([layers.Dense(3)], name="s4")
    y4 = s4(_data((2, 7), 11))
    out["s4_deferred"] = _names(s4.weights) + [_shape_text(s4.input_shape), _shape_text(s4.output_shape)]
    out["s4_y_shape"] = str(y4.shape)
    s4.pop()
    out["s4_popped_all"] = [str(s4.built), str(s4.inputs), str(len(s4.layers))]
    # A Sequential used as a layer of a Functional model
    inputs = tf.keras.Input((6,), name="fin")
    model = tf.keras.Model(inputs, s2(inputs) + 1.0)
    out["in_functional_layers"] = _names(model.layers)
    set_fixed_weights(model, 51)
    out["in_functional_y"] = to_numpy(model(_data((2, 6), 12)))
    return out


def case_functional_fit(tf: Any) -> dict[str, Any]:
    """compile + fit + evaluate + predict of a Functional model (History to rtol 1e-4)."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    inputs = tf.keras.Input((6,))
    h = layers.Dense(8, activation="relu")(inputs)
    h = tf.concat([h, inputs * 0.5], axis=-1)
    outputs = layers.Dense(1, activation="sigmoid")(h)
    model = tf.keras.Model(inputs, outputs)
    set_fixed_weights(model, 61)
    rs = np.random.RandomState(13)
    x = rs.uniform(-1, 1, (64, 6)).astype(np.float32)
    y = (x[:, :1] + x[:, 1:2] > 0).astype(np.float32)
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    out = history_results(history.history)
    loss, accuracy = model.evaluate(x, y, batch_size=32, verbose=0)
    out["evaluate"] = np.asarray([loss, accuracy], np.float64)
    out["predict"] = model.predict(x[:5], verbose=0)
    out["weights_after"] = [w.numpy() for w in model.weights]
    # Two inputs, fed as a list and then as a dict keyed by the Input names.
    a = tf.keras.Input((4,), name="left")
    b = tf.keras.Input((2,), name="right")
    joined = layers.Dense(3, activation="tanh")(tf.concat([a, b], axis=-1))
    two = tf.keras.Model([a, b], layers.Dense(1)(joined * b[:, :1]))
    set_fixed_weights(two, 71)
    two.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    xa, xb = x[:, :4], x[:, 4:]
    target = x[:, :1] * 0.5
    out.update(
        history_results(
            two.fit([xa, xb], target, batch_size=16, epochs=2, shuffle=False, verbose=0).history, "list_history/"
        )
    )
    dict_history = two.fit({"left": xa, "right": xb}, target, batch_size=32, epochs=2, shuffle=False, verbose=0).history
    out.update(history_results(dict_history, "dict_history/"))
    out["two_evaluate"] = np.asarray(two.evaluate({"left": xa, "right": xb}, target, verbose=0), np.float64)
    out["two_predict"] = two.predict([xa[:3], xb[:3]], verbose=0)
    return out


def case_functional_introspection(tf: Any) -> dict[str, Any]:
    """Layer connectivity as strings: input/output shapes, node indices, names."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    a = tf.keras.Input((3,), name="a")
    b = tf.keras.Input((3,), name="b")
    c = tf.keras.Input((5,), name="c")
    shared = layers.Dense(2, name="shared")
    ya, yb = shared(a), shared(b)
    other = layers.Dense(2, name="other")
    yc = other(c)
    merged = layers.Dense(4, name="merged")(tf.concat([ya, yb, yc], axis=-1))
    model = tf.keras.Model([a, b, c], [merged, yc], name="intro")
    out: dict[str, Any] = {
        "shared_input_shape": _shape_text(shared.input_shape),
        "shared_output_shape": _shape_text(shared.output_shape),
        "shared_input_at_1": shared.get_input_at(1).name,
        "shared_input_shape_at_0": _shape_text(shared.get_input_shape_at(0)),
        "shared_output_shape_at_1": _shape_text(shared.get_output_shape_at(1)),
        "other_input": other.input.name,
        "other_shapes": [_shape_text(other.input_shape), _shape_text(other.output_shape)],
        "model_shapes": [_shape_text(model.input_shape), _shape_text(model.output_shape)],
        "model_names": model.input_names + model.output_names,
        "model_layers": _names(model.layers),
        "get_layer": [model.get_layer("merged").name, model.get_layer(index=3).name],
        "input_layer_shape": _shape_text(model.get_layer("a").output_shape),
        "input_layer_type": type(model.get_layer("a")).__name__,
        "output_tensors": [str(t.shape) for t in model.outputs],
        "output_creators": [t._keras_history[0].name for t in model.outputs],
        "repr_input": repr(a),
    }
    return out


def case_functional_errors(tf: Any) -> dict[str, Any]:
    """Bad Functional and Sequential usage: TF's error classes and messages."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    out: dict[str, Any] = {}
    add_error_contract(
        out, tf, "input_no_shape", lambda: tf.keras.Input(), phrases=("provide to Input a `shape`", "batch dimension")
    )
    add_error_contract(
        out,
        tf,
        "input_shape_and_batch_shape",
        lambda: tf.keras.Input(shape=(4,), batch_shape=(2, 4)),
        phrases=("Only provide the `shape` OR", "not both"),
    )
    add_error_contract(out, tf, "input_negative_dim", lambda: tf.keras.Input(shape=(-1,)), phrases=("-1", ">= 0"))
    add_error_contract(
        out,
        tf,
        "input_bad_dim_type",
        lambda: tf.keras.Input(shape=("a",)),
        phrases=("Dimension value must be integer",),
    )
    add_error_contract(
        out,
        tf,
        "input_unknown_kwarg",
        lambda: tf.keras.Input(shape=(4,), foo=1),
        phrases=("Unrecognized keyword", "foo"),
    )
    a = tf.keras.Input((3,), name="a")
    b = tf.keras.Input((3,), name="b")
    d1, d2 = layers.Dense(2, name="d"), layers.Dense(2, name="d")
    add_error_contract(
        out,
        tf,
        "duplicate_layer_names",
        lambda: tf.keras.Model([a, b], [d1(a), d2(b)]),
        phrases=('The name "d" is used 2 times', "All layer names should be unique"),
    )
    ha, hb = layers.Dense(4, name="ha")(a), layers.Dense(4, name="hb")(b)
    out_two = layers.Dense(1, name="out_two")(tf.concat([ha, hb], axis=-1))
    other = tf.keras.Input((3,), name="other")
    add_error_contract(
        out,
        tf,
        "graph_disconnected",
        lambda: tf.keras.Model(other, out_two),
        phrases=("Graph disconnected", "cannot obtain value for tensor", 'at layer "ha"'),
    )
    seq = tf.keras.Sequential([layers.Dense(2, input_shape=(3,), name="seq_dense")], name="seq")
    seq_out = seq(a)
    add_error_contract(
        out,
        tf,
        "graph_disconnected_nested_sequential_output",
        lambda: tf.keras.Model(a, seq.output),
        phrases=("Graph disconnected", "seq_dense_input"),
    )
    model = tf.keras.Model([a, b], out_two, name="two")
    add_error_contract(
        out,
        tf,
        "get_layer_unknown_name",
        lambda: model.get_layer("nope"),
        phrases=("No such layer: nope", "Existing layers are"),
    )
    add_error_contract(
        out,
        tf,
        "get_layer_bad_index",
        lambda: model.get_layer(index=99),
        phrases=("index 99", "only has 6 layers"),
    )
    add_error_contract(
        out, tf, "get_layer_nothing", lambda: model.get_layer(), phrases=("Provide either a layer name or layer index",)
    )
    add_error_contract(
        out,
        tf,
        "get_layer_both",
        lambda: model.get_layer("ha", 0),
        phrases=("Provide only a layer name or a layer index", "index=0", "name=ha"),
    )
    x = np.ones((2, 3), np.float32)
    add_error_contract(
        out,
        tf,
        "call_wrong_input_count",
        lambda: model(x),
        phrases=('Layer "two" expects 2 input(s)', "received 1 input tensors"),
    )
    add_error_contract(
        out,
        tf,
        "call_wrong_input_shape",
        lambda: model([np.ones((2, 4), np.float32), x]),
        phrases=('Input 0 of layer "two" is incompatible', "expected shape=(None, 3)", "found shape=(2, 4)"),
    )
    add_error_contract(
        out,
        tf,
        "same_input_twice",
        lambda: tf.keras.Model([a, a], ha),
        phrases=("contains the same input multiple times",),
    )
    add_error_contract(
        out,
        tf,
        "output_not_keras_tensor",
        lambda: tf.keras.Model(a, np.ones(3, np.float32)),
        phrases=("Output tensors of a Functional model must be the output of a TensorFlow `Layer`",),
    )
    s = tf.keras.Sequential([layers.Dense(2, input_shape=(3,), name="first")], name="s")
    add_error_contract(
        out,
        tf,
        "sequential_add_non_layer",
        lambda: s.add(3),
        phrases=("must be an instance of class Layer", "layer=3", "<class 'int'>"),
        state=lambda: _names(s.layers),
    )

    class TwoOutputs(layers.Layer):
        def call(self, inputs):
            return [inputs, inputs]

    add_error_contract(
        out,
        tf,
        "sequential_add_multi_output",
        lambda: s.add(TwoOutputs(name="two_outputs")),
        phrases=("should have a single output tensor", "use the functional API"),
        state=lambda: _names(s.layers),
    )
    add_error_contract(
        out,
        tf,
        "sequential_add_wrong_input",
        lambda: s.add(layers.Conv2D(2, 3, name="conv")),
        phrases=('Input 0 of layer "conv" is incompatible', "expected min_ndim=4", "found ndim=2"),
        state=lambda: _names(s.layers) + [str(s.output_shape)],
    )
    add_error_contract(
        out,
        tf,
        "sequential_duplicate_name",
        lambda: s.add(layers.Dense(2, name="first")),
        phrases=("should have unique names", 'Name "first"'),
        state=lambda: _names(s.layers),
    )
    add_error_contract(
        out,
        tf,
        "sequential_wrong_input_shape",
        lambda: s(np.ones((2, 4), np.float32)),
        phrases=('Input 0 of layer "s" is incompatible', "expected shape=(None, 3)", "found shape=(2, 4)"),
    )
    empty = tf.keras.Sequential(name="empty")
    add_error_contract(out, tf, "sequential_pop_empty", lambda: empty.pop(), phrases=("There are no layers",))
    add_error_contract(
        out, tf, "sequential_output_shape_unbuilt", lambda: empty.output_shape, phrases=("has no attribute",)
    )
    never = layers.Dense(3, name="never")
    add_error_contract(out, tf, "layer_output_never_called", lambda: never.output, phrases=("never has no inbound",))
    add_error_contract(
        out,
        tf,
        "layer_input_shape_never_called",
        lambda: never.input_shape,
        phrases=('The layer "never" has never been called', "no defined input shape"),
    )
    shared = layers.Dense(2, name="shared")
    shared(a)
    shared(tf.keras.Input((2, 3), name="rank3"))
    add_error_contract(
        out,
        tf,
        "layer_input_shape_multiple_nodes",
        lambda: shared.input_shape,
        phrases=("multiple inbound nodes", "different input shapes", "get_input_shape_at"),
    )
    add_error_contract(
        out,
        tf,
        "layer_get_output_at_bad_node",
        lambda: shared.get_output_at(5),
        phrases=("Asked to get output at node 5", "only 2 inbound nodes"),
    )
    add_error_contract(
        out,
        tf,
        "keras_tensor_len",
        lambda: len(a),
        phrases=("do not implement `__len__`",),
    )
    add_error_contract(out, tf, "keras_tensor_hash", lambda: {a: 1}, phrases=("unhashable", "tensor.ref()"))
    out["seq_out_shape"] = str(seq_out.shape)
    return out


REFERENCES: dict[str, Reference] = {
    "functional_mlp": Reference("functional_mlp"),
    "functional_two_inputs": Reference("functional_two_inputs"),
    "functional_dicts": Reference("functional_dicts"),
    "functional_operators": Reference("functional_operators"),
    "functional_nesting": Reference("functional_nesting"),
    "functional_sequential": Reference("functional_sequential"),
    "functional_fit": Reference("functional_fit"),
    "functional_introspection": Reference("functional_introspection"),
    "functional_errors": Reference("functional_errors"),
}
