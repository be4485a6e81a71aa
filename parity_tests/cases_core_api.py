"""Parity cases: devices and placement, Dropout's noise_shape, tf.keras.activations, the default
distribution strategy and MirroredStrategy details, and the error contract of Keras and
tf.distribute arguments (class, builtin bases, tf.errors classes, key phrases, state after).

Same contract as `parity_tests/cases.py`: each `case_*(tf)` runs unchanged under TensorFlow and
jaxport. Dropout's values cannot match TF's RNG: its cases record the structure of the mask
(shared along size-1 noise dims), the scale 1/(1-rate) and the errors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy


def _flag(value: Any) -> str:
    return "yes" if value else "no"


# --------------------------------------------------------------------------- devices


def case_core_devices(tf: Any) -> dict[str, Any]:
    """tf.device placement (2 logical CPUs), Tensor/Variable.device, tf.config device lists,
    tf.identity copies, and bad device names."""
    out: dict[str, Any] = {}
    out["physical"] = [f"{d.name}|{d.device_type}" for d in tf.config.list_physical_devices()]
    out["physical_gpu"] = [d.name for d in tf.config.list_physical_devices("GPU")]
    out["logical"] = [f"{d.name}|{d.device_type}" for d in tf.config.list_logical_devices()]
    out["logical_cpu"] = [d.name for d in tf.config.list_logical_devices("CPU")]
    out["visible"] = [d.name for d in tf.config.get_visible_devices()]
    cpu = tf.config.list_physical_devices("CPU")[0]
    out["logical_config_count"] = np.int64(len(tf.config.get_logical_device_configuration(cpu)))
    out["default_device"] = tf.constant(1.0).device
    placed = []
    for name in (
        "/CPU:0",
        "/device:CPU:0",
        "/GPU:0",
        "/CPU:1",
        "cpu:1",
        "/device:CPU:1",
        "/job:localhost/replica:0/task:0/device:CPU:1",
        "/CPU:5",
        "/gpu:1",
        None,
    ):
        with tf.device(name):
            made = tf.constant([1.0, 2.0])
            computed = made * 2.0
            zeros = tf.zeros((2,))
            var = tf.Variable([3.0, 4.0])
        placed.append(f"{name}|{made.device}|{computed.device}|{zeros.device}|{var.device}")
    out["placed"] = placed
    with tf.device("/CPU:1"):
        on_one = tf.constant([5.0])
        v1 = tf.Variable([1.0])
        with tf.device(None):
            inner_none = tf.constant(1.0).device
        with tf.device("/CPU:0"):
            inner_zero = tf.constant(1.0).device
            moved = on_one + 1.0
    out["nested"] = [inner_none, inner_zero, moved.device]
    existing = tf.constant([1.0, 2.0])
    with tf.device("/CPU:1"):
        from_tensor = tf.Variable(existing)
        from_variable = tf.Variable(from_tensor)
        read = from_tensor.read_value()
    out["variables_from_values"] = [existing.device, from_tensor.device, from_variable.device, read.device]
    out["outside_after"] = [on_one.device, (on_one + 1.0).device, v1.device, (v1 + 1.0).device]
    out["outside_values"] = to_numpy(on_one + 1.0)
    # tf.identity: a new Tensor; of a Variable, its current value (no alias)
    t = tf.constant([1.0, 2.0])
    copy = tf.identity(t)
    out["identity_new_object"] = _flag(copy is not t)
    v = tf.Variable([1.0, 2.0])
    snapshot = tf.identity(v)
    v.assign([5.0, 6.0])
    out["identity_of_variable"] = to_numpy(snapshot)
    out["identity_is_variable"] = _flag(isinstance(snapshot, tf.Variable))
    out["identity_device"] = snapshot.device
    with tf.device("/CPU:1"):
        out["identity_under_cpu1"] = tf.identity(t).device
    out["spec"] = [
        tf.DeviceSpec.from_string("/job:localhost/replica:0/task:0/device:CPU:1").to_string(),
        tf.DeviceSpec.from_string("/gpu:0").to_string(),
        tf.DeviceSpec.from_string("cpu:*").to_string(),
        str(tf.DeviceSpec.from_string("/device:CPU:1").device_index),
        str(tf.DeviceSpec.from_string("/GPU:1").device_type),
    ]

    def enter(name):
        with tf.device(name):
            return tf.constant(1.0)

    add_error_contract(out, tf, "device_int", lambda: enter(3), phrases=("Expecting a string device name", "int"))
    add_error_contract(
        out, tf, "device_unknown_part", lambda: enter("/foo:0"), phrases=("Unknown attribute 'foo'", "device spec")
    )
    add_error_contract(out, tf, "device_bad_index", lambda: enter("/CPU:x"), phrases=("invalid literal for int()",))
    add_error_contract(out, tf, "device_other_job", lambda: enter("/job:foo/device:CPU:0"), phrases=("unknown device",))
    add_error_contract(
        out,
        tf,
        "device_two_types",
        lambda: enter("/CPU:0/GPU:0"),
        phrases=("Multiple device types are not allowed",),
    )
    add_error_contract(
        out,
        tf,
        "logical_devices_after_start",
        lambda: tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 3),
        phrases=("cannot be modified after being initialized",),
        state=lambda: [d.name for d in tf.config.list_logical_devices("CPU")],
    )
    add_error_contract(
        out,
        tf,
        "hide_cpu_after_start",
        lambda: tf.config.set_visible_devices([], "CPU"),
        phrases=("Visible devices cannot be modified after being initialized",),
        state=lambda: [d.name for d in tf.config.get_visible_devices("CPU")],
    )
    tf.config.set_visible_devices([], "GPU")  # no GPU here: nothing changes, no error
    out["visible_after_hiding_gpus"] = [d.name for d in tf.config.get_visible_devices()]
    return out


# --------------------------------------------------------------------------- dropout


def _shared_along(y: np.ndarray, axis: int) -> str:
    first = np.take(y, [0], axis=axis)
    return _flag(np.all(y == first))


def case_core_dropout_noise_shape(tf: Any) -> dict[str, Any]:
    """tf.nn.dropout and Keras Dropout with noise_shape: one mask value per noise cell, shared
    along its size-1 dims; kept values scaled by 1/(1-rate); seeds; rate and shape errors."""
    out: dict[str, Any] = {}
    x = tf.ones((4, 3, 5))
    tf.random.set_seed(1)
    y = to_numpy(tf.nn.dropout(x, 0.5, noise_shape=[4, 1, 5], seed=3))
    out["nn/shared_axis1"] = _shared_along(y, 1)
    out["nn/values"] = np.unique(y)
    y = to_numpy(tf.nn.dropout(x, 0.5, noise_shape=[None, 1, None]))
    out["nn/none_filled_shared_axis1"] = _shared_along(y, 1)
    y = to_numpy(tf.nn.dropout(x, 0.5, noise_shape=[1, 3, 1]))
    out["nn/shared_axes02"] = [_shared_along(y, 0), _shared_along(y, 2)]
    y = to_numpy(tf.nn.dropout(x, 0.5, noise_shape=tf.constant([4, 1, 5])))
    out["nn/tensor_noise_shape"] = _shared_along(y, 1)
    y = to_numpy(tf.nn.dropout(tf.ones((6, 4)) * 2.0, 0.25, noise_shape=[6, 1]))
    out["nn/rows_constant"] = _shared_along(y, 1)
    out["nn/rows_scale"] = np.unique(y[y != 0])
    y = to_numpy(tf.nn.dropout(tf.ones((6, 4)) * 2.0, 0.25, noise_shape=[4]))
    out["nn/broadcast_trailing"] = _shared_along(y, 0)
    out["nn/rate0_identity"] = to_numpy(tf.nn.dropout(tf.constant([1.0, 2.0]), 0.0))
    out["nn/shape"] = np.asarray(tf.nn.dropout(x, 0.3, noise_shape=[4, 1, 1]).shape.as_list())
    tf.random.set_seed(5)
    a = to_numpy(tf.nn.dropout(tf.ones((2, 8)), 0.5, seed=1))
    tf.random.set_seed(5)
    b = to_numpy(tf.nn.dropout(tf.ones((2, 8)), 0.5, seed=1))
    out["nn/seeded_repeat"] = _flag(np.array_equal(a, b))

    layer = tf.keras.layers.Dropout(0.5, noise_shape=(None, 1, 5), seed=2)
    y = to_numpy(layer(x, training=True))
    out["layer/shared_axis1"] = _shared_along(y, 1)
    out["layer/values"] = np.unique(y)
    y = to_numpy(tf.keras.layers.Dropout(0.5, noise_shape=(None, 1, None))(x, training=True))
    out["layer/none_none_shared"] = _shared_along(y, 1)
    y = to_numpy(tf.keras.layers.Dropout(0.2, noise_shape=(1, 3, 5))(x, training=True))
    out["layer/batch_shared"] = _shared_along(y, 0)
    out["layer/scale_0.2"] = np.unique(y[y != 0])
    out["layer/inference"] = to_numpy(layer(x[:1, :1], training=False))
    out["layer/none_training"] = to_numpy(layer(x[:1, :1]))
    out["layer/rate0"] = to_numpy(tf.keras.layers.Dropout(0.0)(x[:1, :1], training=True))
    config = tf.keras.layers.Dropout(0.3, noise_shape=(None, 1, 5), seed=4).get_config()
    out["layer/config"] = [str(config["rate"]), str(tuple(config["noise_shape"])), str(config["seed"])]
    out["layer/string_rate_accepted"] = tf.keras.layers.Dropout("a").name.split("_")[0]

    add_error_contract(
        out, tf, "nn_rate_one", lambda: tf.nn.dropout(x, 1.0), phrases=("`rate` must be", "[0, 1)", "rate=1.0")
    )
    add_error_contract(out, tf, "nn_rate_negative", lambda: tf.nn.dropout(x, -0.1), phrases=("rate=-0.1",))
    add_error_contract(out, tf, "nn_rate_above_one", lambda: tf.nn.dropout(x, 1.5), phrases=("rate=1.5",))
    add_error_contract(
        out,
        tf,
        "nn_int_input",
        lambda: tf.nn.dropout(tf.ones((3,), tf.int32), 0.5),
        phrases=("must be a floating point tensor", "x_dtype=", "int32"),
    )
    add_error_contract(
        out,
        tf,
        "nn_noise_shape_mismatch",
        lambda: tf.nn.dropout(x, 0.5, noise_shape=[4, 2, 5]),
        phrases=("[4,2,5]", "[4,3,5]", "must be broadcastable"),
    )
    add_error_contract(
        out, tf, "nn_noise_shape_rank", lambda: tf.nn.dropout(x, 0.5, noise_shape=[4, 3]), phrases=("[4,3]",)
    )
    add_error_contract(
        out,
        tf,
        "layer_rate_above_one",
        lambda: tf.keras.layers.Dropout(1.5),
        phrases=("Invalid value 1.5 received for `rate`", "between 0 and 1"),
    )
    add_error_contract(
        out, tf, "layer_rate_negative", lambda: tf.keras.layers.Dropout(-0.5), phrases=("Invalid value -0.5",)
    )
    add_error_contract(
        out,
        tf,
        "layer_rate_one_training",
        lambda: tf.keras.layers.Dropout(1.0)(x, training=True),
        phrases=("`rate` must be a scalar tensor or a float in the range [0, 1)", "rate=1.0"),
    )
    add_error_contract(
        out,
        tf,
        "layer_noise_shape_mismatch",
        lambda: tf.keras.layers.Dropout(0.5, noise_shape=(None, 2, 5))(x, training=True),
        phrases=("must be broadcastable",),
    )
    return out


# --------------------------------------------------------------------------- activations


def _myact(x):
    return x * 2.0


def case_core_activations(tf: Any) -> dict[str, Any]:
    """tf.keras.activations: values (with Keras 2's arguments), get/serialize/deserialize, the
    tf.nn names `get` finds, gradients at the kinks, and the errors."""
    out: dict[str, Any] = {}
    A = tf.keras.activations
    x = tf.reshape(tf.constant(np.linspace(-3.0, 3.0, 13).astype("float32")), (1, 13))
    for name in (
        "relu",
        "elu",
        "selu",
        "gelu",
        "softplus",
        "softsign",
        "swish",
        "silu",
        "hard_sigmoid",
        "exponential",
        "mish",
        "tanh",
        "sigmoid",
        "linear",
        "softmax",
        "relu6",
        "leaky_relu",
        "log_softmax",
    ):
        fn = A.get(name)
        out[f"value/{name}"] = to_numpy(fn(x))
        out[f"name/{name}"] = fn.__name__
    for name in ("relu", "elu", "selu", "gelu", "softplus", "swish", "tanh", "sigmoid", "mish", "exponential"):
        out[f"attr/{name}"] = to_numpy(getattr(A, name)(x))
    out["relu/alpha_max_threshold"] = to_numpy(A.relu(x, alpha=0.1, max_value=2.0, threshold=0.5))
    out["relu/max6"] = to_numpy(A.relu(x * 3.0, max_value=6))
    out["relu/max2"] = to_numpy(A.relu(x, max_value=2.0))
    out["relu/threshold"] = to_numpy(A.relu(x, threshold=1.0))
    out["relu/alpha"] = to_numpy(A.relu(x, alpha=0.2))
    out["relu/alpha_threshold"] = to_numpy(A.relu(x, alpha=0.5, threshold=1.0))
    out["relu/int"] = to_numpy(A.relu(tf.constant([1, -2, 3])))
    out["gelu/approximate"] = to_numpy(A.gelu(x, approximate=True))
    out["elu/alpha"] = to_numpy(A.elu(x, alpha=0.5))
    out["leaky_relu/alpha"] = to_numpy(A.get("leaky_relu")(x, alpha=0.3))
    m = tf.reshape(tf.range(6.0), (2, 3))
    out["softmax/axis0"] = to_numpy(A.softmax(m, axis=0))
    out["softmax/axis_tuple"] = to_numpy(A.softmax(tf.reshape(tf.range(8.0), (2, 2, 2)), axis=(1, 2)))
    out["softmax/carries_logits"] = _flag(hasattr(A.softmax(m), "_keras_logits"))
    out["sigmoid/carries_logits"] = _flag(hasattr(A.sigmoid(m), "_keras_logits"))
    out["layer/relu_threshold"] = to_numpy(tf.keras.layers.ReLU(threshold=1.0)(x))
    out["layer/relu_slope_threshold"] = to_numpy(tf.keras.layers.ReLU(negative_slope=0.5, threshold=1.0)(x))
    out["layer/relu_max"] = to_numpy(tf.keras.layers.ReLU(max_value=1.5)(x))
    out["layer/activation_softmax"] = to_numpy(tf.keras.layers.Activation("softmax")(m))
    # gradients at the kinks (0 for relu at 0; threshold's step)
    k = tf.constant([[-1.0, 0.0, 1.0, 2.0]])
    for label, fn in (
        ("relu", lambda t: A.relu(t)),
        ("relu_threshold", lambda t: A.relu(t, threshold=1.0)),
        ("relu_max", lambda t: A.relu(t, max_value=1.0)),
        ("elu", lambda t: A.elu(t)),
        ("selu", lambda t: A.selu(t)),
        ("hard_sigmoid", lambda t: A.hard_sigmoid(t * 2.5)),
        ("mish", lambda t: A.mish(t)),
        ("gelu_approx", lambda t: A.gelu(t, approximate=True)),
    ):
        with tf.GradientTape() as tape:
            tape.watch(k)
            y = fn(k)
        out[f"grad/{label}"] = to_numpy(tape.gradient(y, k))
    # get / serialize / deserialize
    out["get/none"] = A.get(None).__name__
    out["get/callable_passes"] = _flag(A.get(_myact) is _myact)
    out["get/tf_nn_relu_passes"] = _flag(A.get(tf.nn.relu) is tf.nn.relu)
    out["get/same_function"] = _flag(A.get("relu") is A.relu)
    out["serialize"] = [A.serialize(A.relu), A.serialize(A.get("linear")), A.serialize(A.softmax)]
    out["serialize/tf_nn"] = [A.serialize(tf.nn.relu), A.serialize(tf.nn.softmax), A.serialize(A.get("silu"))]
    custom = A.serialize(_myact)
    out["serialize/custom"] = [f"{k}={custom[k]}" for k in sorted(custom)]
    out["deserialize"] = A.deserialize("tanh").__name__
    out["deserialize/custom_objects"] = _flag(A.deserialize("_myact", custom_objects={"_myact": _myact}) is _myact)
    out["dense/config_activation"] = [
        str(tf.keras.layers.Dense(2).get_config()["activation"]),
        str(tf.keras.layers.Dense(2, activation="relu").get_config()["activation"]),
    ]
    add_error_contract(
        out,
        tf,
        "get_unknown_name",
        lambda: A.get("nope"),
        phrases=("Unknown activation function 'nope'", "cannot be deserialized"),
    )
    add_error_contract(
        out, tf, "get_int", lambda: A.get(3), phrases=("Could not interpret activation function identifier", "3")
    )
    add_error_contract(  # Keras 3 has hard_swish/hard_silu; tf_keras does not
        out, tf, "get_hard_swish", lambda: A.get("hard_swish"), phrases=("Unknown activation function 'hard_swish'",)
    )
    add_error_contract(
        out,
        tf,
        "get_improper_dict",
        lambda: A.get({"class_name": "relu"}),
        phrases=("Improper config format", "`class_name` and `config`"),
    )
    add_error_contract(
        out, tf, "deserialize_unknown", lambda: A.deserialize("bogus"), phrases=("Unknown activation function 'bogus'",)
    )
    add_error_contract(
        out,
        tf,
        "serialize_string",
        lambda: A.serialize("abcd"),
        phrases=("Unknown activation function 'abcd' cannot be serialized",),
    )
    add_error_contract(
        out,
        tf,
        "softmax_rank1",
        lambda: A.softmax(tf.constant([1.0, 2.0])),
        phrases=("Cannot apply softmax to a tensor that is 1D",),
    )
    add_error_contract(
        out,
        tf,
        "dense_unknown_activation",
        lambda: tf.keras.layers.Dense(2, activation="nope"),
        phrases=("Unknown activation function 'nope'",),
    )
    add_error_contract(
        out,
        tf,
        "activation_layer_unknown",
        lambda: tf.keras.layers.Activation("bogus"),
        phrases=("Unknown activation function 'bogus'",),
    )
    add_error_contract(
        out, tf, "dense_activation_int", lambda: tf.keras.layers.Dense(2, activation=5), phrases=("identifier: 5",)
    )
    return out


# --------------------------------------------------------------------------- Keras arguments


def case_core_keras_errors(tf: Any) -> dict[str, Any]:
    """Keras argument and input validation as tf_keras does it: Dense units and inputs, Dropout
    rates, fit/evaluate/predict data errors, set_weights; nothing changes after an error."""
    out: dict[str, Any] = {}
    layers = tf.keras.layers
    empty = layers.Dense(0)
    y = empty(tf.ones((2, 3)))
    out["dense0/output_shape"] = np.asarray(y.shape.as_list())
    out["dense0/weight_shapes"] = [str(tuple(w.shape.as_list())) for w in empty.weights]
    out["dense0/config_units"] = np.int64(empty.get_config()["units"])
    out["dense/float_units"] = np.int64(layers.Dense(2.5).units)
    out["dense/string_units"] = np.int64(layers.Dense("3").units)
    out["dense/int_input_dtype"] = layers.Dense(2)(tf.ones((2, 3), tf.int32)).dtype.name
    add_error_contract(
        out,
        tf,
        "dense_negative_units",
        lambda: layers.Dense(-1),
        phrases=("Received an invalid value for `units`", "expected a positive integer", "units=-1"),
    )
    add_error_contract(
        out, tf, "dense_string_units", lambda: layers.Dense("a"), phrases=("invalid literal for int()", "'a'")
    )
    add_error_contract(out, tf, "dense_none_units", lambda: layers.Dense(None), phrases=("NoneType",))
    built = layers.Dense(2)
    built(tf.ones((1, 3)))
    add_error_contract(
        out,
        tf,
        "dense_feature_mismatch",
        lambda: built(tf.ones((1, 4))),
        phrases=("is incompatible with the layer", "expected axis -1 of input shape to have value 3", "(1, 4)"),
        state=lambda: [str(tuple(w.shape.as_list())) for w in built.weights],
    )
    add_error_contract(
        out,
        tf,
        "dense_rank0",
        lambda: layers.Dense(2)(tf.constant(1.0)),
        phrases=("expected min_ndim=2", "found ndim=0", "Full shape received: ()"),
    )
    add_error_contract(out, tf, "dense_rank1", lambda: layers.Dense(2)(tf.ones((3,))), phrases=("found ndim=1", "(3,)"))
    add_error_contract(out, tf, "dropout_rate_1.5", lambda: layers.Dropout(1.5), phrases=("Invalid value 1.5",))
    add_error_contract(out, tf, "dropout_rate_-0.1", lambda: layers.Dropout(-0.1), phrases=("Invalid value -0.1",))

    model = tf.keras.Sequential([layers.Dense(1, input_shape=(3,))])
    model.compile(loss="mse", optimizer="sgd")
    x = np.linspace(-1.0, 1.0, 12).reshape(4, 3).astype("float32")
    y = np.ones((4, 1), "float32")
    model.set_weights([np.full((3, 1), 0.5, "float32"), np.zeros((1,), "float32")])

    def weights():
        return [np.asarray(w) for w in model.get_weights()]

    add_error_contract(
        out,
        tf,
        "fit_without_targets",
        lambda: model.fit(x, epochs=1, verbose=0),
        phrases=("Target data is missing", "compiled with loss=mse", "expects target data to be provided in `fit()`"),
        state=weights,
    )
    add_error_contract(
        out,
        tf,
        "fit_length_mismatch",
        lambda: model.fit(x, y[:3], epochs=1, verbose=0),
        phrases=("Data cardinality is ambiguous", "x sizes: 4", "y sizes: 3", "same number of samples"),
        state=weights,
    )
    add_error_contract(
        out,
        tf,
        "fit_sample_weight_mismatch",
        lambda: model.fit(x, y, sample_weight=np.ones(3), epochs=1, verbose=0),
        phrases=("Data cardinality is ambiguous", "sample_weight sizes: 3"),
        state=weights,
    )
    add_error_contract(
        out,
        tf,
        "fit_feature_mismatch",
        lambda: model.fit(np.ones((4, 5), "float32"), y, epochs=1, verbose=0),
        phrases=("is incompatible with the layer", "expected shape=(None, 3)"),
        state=weights,
    )
    add_error_contract(
        out,
        tf,
        "fit_x_none",
        lambda: model.fit(None, y, epochs=1, verbose=0),
        phrases=("Inputs to a layer should be tensors", "Got 'None'"),
    )
    add_error_contract(
        out,
        tf,
        "fit_batch_size_zero",
        lambda: model.fit(x, y, batch_size=0, verbose=0),
        phrases=("Expected batch_size to be positive", "0"),
        state=weights,
    )
    add_error_contract(
        out,
        tf,
        "fit_validation_split_all",
        lambda: model.fit(x, y, validation_split=1.0, verbose=0),
        phrases=("Training data contains 4 samples", "not sufficient to split", "`validation_split=1.0`"),
        state=weights,
    )
    add_error_contract(
        out,
        tf,
        "fit_dataset_with_y",
        lambda: model.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(2), y, verbose=0),
        phrases=("`y` argument is not supported when using dataset as input",),
    )
    add_error_contract(
        out,
        tf,
        "evaluate_length_mismatch",
        lambda: model.evaluate(x, y[:2], verbose=0),
        phrases=("Data cardinality is ambiguous", "y sizes: 2"),
    )
    add_error_contract(
        out,
        tf,
        "predict_feature_mismatch",
        lambda: model.predict(np.ones((2, 4), "float32"), verbose=0),
        phrases=("is incompatible with the layer", "expected shape=(None, 3)", "4)"),
    )
    fresh = tf.keras.Sequential([layers.Dense(1, input_shape=(3,))])
    add_error_contract(
        out,
        tf,
        "fit_uncompiled",
        lambda: fresh.fit(x, y, verbose=0),
        phrases=("You must compile your model before training/testing",),
    )
    add_error_contract(
        out,
        tf,
        "set_weights_count",
        lambda: model.set_weights([np.ones((3, 1), "float32")]),
        phrases=("weight list of length 1", "was expecting 2 weights"),
        state=weights,
    )
    add_error_contract(
        out,
        tf,
        "set_weights_shape",
        lambda: model.set_weights([np.ones((2, 1), "float32"), np.ones((1,), "float32")]),
        phrases=("weight shape (3, 1) is not compatible with provided weight shape (2, 1)",),
        state=weights,
    )
    add_error_contract(
        out,
        tf,
        "sequential_input_mismatch",
        lambda: model(tf.ones((2, 4))),
        phrases=("is incompatible with the layer", "expected shape=(None, 3), found shape=(2, 4)"),
    )
    out["final_weights"] = weights()
    model.compile(loss="mse", optimizer=tf.keras.optimizers.SGD(0.1))  # TF's failed train function is discarded
    out["fit_after_errors"] = np.asarray(model.fit(x, y, epochs=2, batch_size=4, verbose=0).history["loss"])
    return out


REFERENCES: dict[str, Reference] = {
    "core_devices": Reference("core_devices", devices=2),
    "core_dropout_noise_shape": Reference("core_dropout_noise_shape"),
    "core_activations": Reference("core_activations"),
    "core_keras_errors": Reference("core_keras_errors"),
}
