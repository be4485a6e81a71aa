"""Parity cases: `tf.keras.losses` (Keras 2) — every loss in its function and class forms,
over its options, reductions and sample-weight shapes; gradients with respect to `y_pred`
(at clipping boundaries and ties too); `get` / `serialize` / `deserialize`. Losses in
`compile` / `fit` and bad input: `cases_losses_api.py`.

Same contract as `parity_tests/cases.py`: each `case_*(tf)` runs unchanged under TensorFlow
and jaxport and returns numpy arrays / strings.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, error_name, to_numpy

REDUCTIONS = ("auto", "none", "sum", "sum_over_batch_size")

# (class name, function name, kind of data) for every built-in loss
LOSSES = (
    ("MeanSquaredError", "mean_squared_error", "regression"),
    ("MeanAbsoluteError", "mean_absolute_error", "regression"),
    ("MeanAbsolutePercentageError", "mean_absolute_percentage_error", "regression"),
    ("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", "positive"),
    ("Huber", "huber", "regression"),
    ("LogCosh", "log_cosh", "regression"),
    ("CosineSimilarity", "cosine_similarity", "regression"),
    ("Hinge", "hinge", "binary"),
    ("SquaredHinge", "squared_hinge", "binary"),
    ("CategoricalHinge", "categorical_hinge", "categorical"),
    ("KLDivergence", "kl_divergence", "categorical"),
    ("Poisson", "poisson", "positive"),
    ("BinaryCrossentropy", "binary_crossentropy", "binary"),
    ("BinaryFocalCrossentropy", "binary_focal_crossentropy", "binary"),
    ("CategoricalCrossentropy", "categorical_crossentropy", "categorical"),
    ("CategoricalFocalCrossentropy", "categorical_focal_crossentropy", "categorical"),
    ("SparseCategoricalCrossentropy", "sparse_categorical_crossentropy", "sparse"),
)


def _data(kind: str, seed: int = 0, shape: tuple = (4, 3)) -> tuple[np.ndarray, np.ndarray]:
    """Labels and predictions for a kind of loss (float32; int32 labels for 'sparse')."""
    rs = np.random.RandomState(seed)
    if kind == "regression":
        return rs.randn(*shape).astype("float32"), rs.randn(*shape).astype("float32")
    if kind == "positive":
        return rs.uniform(0, 3, shape).astype("float32"), rs.uniform(0.1, 3, shape).astype("float32")
    if kind == "binary":
        return (rs.rand(*shape) > 0.5).astype("float32"), rs.uniform(0.02, 0.98, shape).astype("float32")
    probs = rs.uniform(0.05, 1.0, shape).astype("float32")
    probs /= probs.sum(axis=-1, keepdims=True)
    labels = rs.randint(0, shape[-1], shape[:-1])
    if kind == "sparse":
        return labels.astype("int32"), probs
    return np.eye(shape[-1], dtype="float32")[labels], probs


def _config_text(config: dict) -> str:
    return repr(sorted(config.items()))


# --------------------------------------------------------------------------- values


def case_losses_values(tf: Any) -> dict[str, Any]:
    """Every loss: the function form, the class form under each reduction, on (4, 3) data
    and (2, 3, 3) data (rank 3: NONE keeps (2, 3)); result dtypes; float64 and int inputs."""
    L = tf.keras.losses
    out: dict[str, Any] = {}
    for class_name, fn_name, kind in LOSSES:
        for shape in ((4, 3), (2, 3, 3)):
            y_true, y_pred = _data(kind, seed=len(fn_name), shape=shape)
            t, p = tf.constant(y_true), tf.constant(y_pred)
            key = f"{fn_name}/{len(shape)}d"
            value = getattr(L, fn_name)(t, p)
            out[f"{key}/fn"] = to_numpy(value)
            out[f"{key}/fn_dtype"] = value.dtype.name
            for reduction in REDUCTIONS:
                loss = getattr(L, class_name)(reduction=reduction)
                out[f"{key}/{reduction}"] = to_numpy(loss(t, p))
    # the aliases are the same functions
    t, p = (tf.constant(a) for a in _data("positive", 3))
    for alias in ("mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE", "kld", "KLD"):
        out[f"alias/{alias}"] = to_numpy(getattr(L, alias)(t, p))
    for alias in ("kullback_leibler_divergence", "logcosh"):
        out[f"alias/{alias}"] = to_numpy(getattr(L, alias)(t, p))
    # dtypes: float64 stays float64 (huber computes in float32); integer MSE/MAE stay integer
    t64, p64 = (tf.constant(a.astype("float64")) for a in _data("regression", 4))
    for fn_name in ("mean_squared_error", "huber", "log_cosh", "binary_crossentropy", "kl_divergence"):
        value = getattr(L, fn_name)(t64, p64)
        out[f"float64/{fn_name}"] = to_numpy(value)
        out[f"float64/{fn_name}/dtype"] = value.dtype.name
    ti, pi = tf.constant([[1, 2, 3], [4, 5, 6]]), tf.constant([[2, 6, 3], [0, 5, 9]])
    for fn_name in ("mean_squared_error", "mean_absolute_error", "huber"):
        value = getattr(L, fn_name)(ti, pi)
        out[f"int/{fn_name}"] = to_numpy(value)
        out[f"int/{fn_name}/dtype"] = value.dtype.name
    value = L.MeanSquaredError()(ti, pi)
    out["int/MeanSquaredError"], out["int/MeanSquaredError/dtype"] = to_numpy(value), value.dtype.name
    # numpy and Python inputs; empty batches reduce to 0
    yt, yp = _data("regression", 5)
    out["numpy/mse"] = to_numpy(L.mse(yt, yp))
    out["numpy/MeanSquaredError"] = to_numpy(L.MeanSquaredError()(yt, yp))
    out["list/mae"] = to_numpy(L.mae([[1.0, 2.0]], [[0.5, 4.0]]))
    empty = np.zeros((0, 3), "float32")
    out["empty/sobs"] = to_numpy(L.MeanSquaredError()(empty, empty))
    out["empty/sum"] = to_numpy(L.MeanSquaredError(reduction="sum")(empty, empty))
    return out


# --------------------------------------------------------------------------- options


def _keras_outputs(tf: Any) -> dict[str, Any]:
    """Outputs of Keras sigmoid / softmax layers (they carry logits) and plain ones."""
    sigmoid = tf.keras.Sequential([tf.keras.layers.Dense(2, activation="sigmoid", input_shape=(2,))])
    sigmoid.set_weights([np.asarray([[4.0, -1.0], [2.0, 9.0]], "float32"), np.asarray([0.5, -0.5], "float32")])
    softmax = tf.keras.Sequential([tf.keras.layers.Dense(3, activation="softmax", input_shape=(2,))])
    softmax.set_weights(
        [np.asarray([[6.0, 0.0, -6.0], [1.0, 4.0, -2.0]], "float32"), np.asarray([0.0, 0.1, 0.2], "float32")]
    )
    x = np.asarray([[2.0, 1.0], [-1.0, 2.5], [0.5, -3.0], [3.0, 3.0]], "float32")
    return {"sigmoid": sigmoid(x), "softmax": softmax(x)}


def case_losses_options(tf: Any) -> dict[str, Any]:
    """Options: from_logits, label_smoothing, axis, focal alpha/gamma/class balancing, Huber
    delta, ignore_class; Keras-sigmoid/softmax outputs (their logits are used); get_config /
    from_config; get / serialize / deserialize rules."""
    L = tf.keras.losses
    out: dict[str, Any] = {}
    rs = np.random.RandomState(11)
    logits = tf.constant(rs.randn(4, 3).astype("float32") * 3)
    binary = tf.constant((rs.rand(4, 3) > 0.5).astype("float32"))
    onehot = tf.constant(np.eye(3, dtype="float32")[[0, 2, 1, 2]])
    probs = tf.nn.softmax(logits)
    for smoothing in (0.0, 0.1, 0.3):
        for from_logits in (False, True):
            pred = logits if from_logits else tf.sigmoid(logits)
            cat_pred = logits if from_logits else probs
            key = f"ls{smoothing}/logits{from_logits}"
            out[f"bce/{key}"] = to_numpy(
                L.BinaryCrossentropy(from_logits=from_logits, label_smoothing=smoothing)(binary, pred)
            )
            out[f"cce/{key}"] = to_numpy(
                L.CategoricalCrossentropy(from_logits=from_logits, label_smoothing=smoothing)(onehot, cat_pred)
            )
            out[f"bfocal/{key}"] = to_numpy(
                L.BinaryFocalCrossentropy(from_logits=from_logits, label_smoothing=smoothing)(binary, pred)
            )
            out[f"cfocal/{key}"] = to_numpy(
                L.CategoricalFocalCrossentropy(from_logits=from_logits, label_smoothing=smoothing)(onehot, cat_pred)
            )
    for balancing in (False, True):
        for alpha, gamma in ((0.25, 2.0), (0.6, 0.0), (0.5, 3.5)):
            key = f"balance{balancing}/a{alpha}/g{gamma}"
            out[f"bfocal/{key}"] = to_numpy(
                L.BinaryFocalCrossentropy(apply_class_balancing=balancing, alpha=alpha, gamma=gamma)(
                    binary, tf.sigmoid(logits)
                )
            )
            out[f"bfocal_fn/{key}"] = to_numpy(
                L.binary_focal_crossentropy(
                    binary, logits, apply_class_balancing=balancing, alpha=alpha, gamma=gamma, from_logits=True
                )
            )
    for alpha, gamma in ((0.25, 2.0), (1.0, 0.0), (0.5, 1.5)):
        out[f"cfocal/a{alpha}/g{gamma}"] = to_numpy(
            L.CategoricalFocalCrossentropy(alpha=alpha, gamma=gamma)(onehot, probs)
        )
    # axis: class axis 1 of (2, 3, 4) data, and axis 0
    x = rs.randn(2, 3, 4).astype("float32")
    y3 = np.eye(3, dtype="float32")[[[0, 1, 2, 0], [2, 2, 1, 0]]].transpose(0, 2, 1)
    for axis in (1, -2, 0):
        if axis >= 0:  # TF's softmax_cross_entropy_with_logits fails on negative axes other than -1
            out[f"cce_axis{axis}"] = to_numpy(
                L.categorical_crossentropy(y3, tf.constant(x), from_logits=True, axis=axis)
            )
        out[f"cce_axis{axis}/probs"] = to_numpy(L.categorical_crossentropy(y3, tf.nn.softmax(x, axis=1), axis=axis))
        out[f"bce_axis{axis}"] = to_numpy(L.binary_crossentropy(y3, tf.constant(x), from_logits=True, axis=axis))
        out[f"cosine_axis{axis}"] = to_numpy(L.CosineSimilarity(axis=axis, reduction="none")(y3, tf.constant(x)))
    out["cfocal_axis1"] = to_numpy(L.categorical_focal_crossentropy(y3, tf.nn.softmax(x, axis=1), axis=1))
    out["scce_axis1"] = to_numpy(
        L.sparse_categorical_crossentropy(
            np.asarray([[0, 1, 2, 0], [2, 2, 1, 0]]), tf.constant(x), from_logits=True, axis=1
        )
    )
    for delta in (0.1, 1.0, 2.5):
        t, p = (tf.constant(a) for a in _data("regression", 7))
        out[f"huber_delta{delta}"] = to_numpy(L.Huber(delta=delta)(t, p))
        out[f"huber_fn_delta{delta}"] = to_numpy(L.huber(t, p, delta=delta))
    # sparse labels: (N,), (N, 1), float labels, sequences, ignore_class under each reduction
    labels = np.asarray([0, 2, 1, 2])
    out["scce/labels_n"] = to_numpy(L.SparseCategoricalCrossentropy()(labels, probs))
    out["scce/labels_n1"] = to_numpy(L.SparseCategoricalCrossentropy()(labels[:, None], probs))
    out["scce/labels_float"] = to_numpy(
        L.SparseCategoricalCrossentropy(from_logits=True)(labels.astype("float32"), logits)
    )
    seq_labels = np.asarray([[0, 1, 2], [2, 1, 1]])
    seq_logits = tf.constant(rs.randn(2, 3, 3).astype("float32"))
    for ignore in (None, 1, -1):
        for reduction in REDUCTIONS:
            loss = L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=ignore, reduction=reduction)
            out[f"scce_seq/ignore{ignore}/{reduction}"] = to_numpy(loss(seq_labels, seq_logits))
    out["scce_seq/labels_n31"] = to_numpy(
        L.SparseCategoricalCrossentropy(from_logits=True)(seq_labels[..., None], seq_logits)
    )
    with_ignored = np.asarray([[0, -1, 2], [-1, 1, 1]])
    out["scce_seq/ignore-1_fn"] = to_numpy(
        L.sparse_categorical_crossentropy(with_ignored, seq_logits, from_logits=True, ignore_class=-1)
    )
    out["scce/all_ignored"] = to_numpy(L.SparseCategoricalCrossentropy(ignore_class=1)(np.asarray([1, 1]), probs[:2]))
    # Keras sigmoid / softmax outputs: cross-entropies use their logits (also with from_logits=True)
    keras_out = _keras_outputs(tf)
    sig, soft = keras_out["sigmoid"], keras_out["softmax"]
    y_bin = np.asarray([[0.0, 1.0], [1.0, 0.0], [0.0, 0.0], [1.0, 1.0]], "float32")
    y_cat = np.eye(3, dtype="float32")[[2, 0, 0, 2]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["keras_sigmoid/bce"] = to_numpy(L.BinaryCrossentropy()(y_bin, sig))
        out["keras_sigmoid/bce_from_logits"] = to_numpy(L.BinaryCrossentropy(from_logits=True)(y_bin, sig))
        out["keras_sigmoid/bce_plain"] = to_numpy(L.BinaryCrossentropy()(y_bin, tf.constant(to_numpy(sig))))
        out["keras_sigmoid/bfocal"] = to_numpy(L.BinaryFocalCrossentropy(apply_class_balancing=True)(y_bin, sig))
        out["keras_sigmoid/bfocal_from_logits"] = to_numpy(L.BinaryFocalCrossentropy(from_logits=True)(y_bin, sig))
        out["keras_sigmoid/mse"] = to_numpy(L.MeanSquaredError()(y_bin, sig))
        out["keras_softmax/cce"] = to_numpy(L.CategoricalCrossentropy()(y_cat, soft))
        out["keras_softmax/cce_plain"] = to_numpy(L.CategoricalCrossentropy()(y_cat, tf.constant(to_numpy(soft))))
        out["keras_softmax/scce"] = to_numpy(L.SparseCategoricalCrossentropy()(np.asarray([2, 0, 0, 2]), soft))
        out["keras_softmax/cfocal"] = to_numpy(L.CategoricalFocalCrossentropy()(y_cat, soft))
        out["keras_softmax/kld"] = to_numpy(L.KLDivergence()(y_cat, soft))
    # the warnings tf_keras gives (category and text)
    noted = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        L.categorical_crossentropy(np.ones((4, 1), "float32"), tf.constant(np.full((4, 1), 0.5, "float32")))
        L.CategoricalFocalCrossentropy()(np.ones((4, 1), "float32"), tf.constant(np.full((4, 1), 0.5, "float32")))
        L.BinaryCrossentropy(from_logits=True)(y_bin, sig)
        L.SparseCategoricalCrossentropy(from_logits=True)(np.asarray([2, 0, 0, 2]), soft)
        L.serialize(L.mae)
        noted = [f"{w.category.__name__}: {w.message}" for w in caught]
    out["warnings"] = noted
    # configs round-trip
    instances = [
        L.BinaryCrossentropy(from_logits=True, label_smoothing=0.2, axis=-1, reduction="sum", name="b"),
        L.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, gamma=1.5),
        L.CategoricalCrossentropy(label_smoothing=0.1),
        L.CategoricalFocalCrossentropy(alpha=0.3, gamma=3.0, from_logits=True),
        L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1, reduction="none"),
        L.Huber(delta=2.0),
        L.CosineSimilarity(axis=1),
    ] + [getattr(L, c)() for c, _, _ in LOSSES]
    for i, loss in enumerate(instances):
        config = loss.get_config()
        out[f"config/{i}/{type(loss).__name__}"] = _config_text(config)
        clone = type(loss).from_config(config)
        out[f"config/{i}/after_from_config"] = _config_text(config)  # tf_keras pops `fn` from it
        out[f"config/{i}/clone"] = _config_text(clone.get_config())
        out[f"config/{i}/name"] = str(loss.name)
    out["config/Loss"] = _config_text(L.Loss().get_config())
    # get: a function name gives the function, a class name an instance, a dict an instance
    for name in (
        "mse",
        "MSE",
        "mean_squared_error",
        "huber",
        "kld",
        "logcosh",
        "bce",
        "huber_loss",
        "cosine_similarity",
    ):
        got = L.get(name)
        out[f"get/{name}"] = f"{type(got).__name__}:{getattr(got, '__name__', '')}"
        out[f"get/{name}/value"] = to_numpy(got(onehot, probs))
    for name in ("MeanSquaredError", "Huber", "SparseCategoricalCrossentropy", "BinaryFocalCrossentropy"):
        got = L.get(name)
        out[f"get/{name}"] = f"{type(got).__name__}:{_config_text(got.get_config())}"
    got = L.get({"class_name": "Huber", "config": {"delta": 0.5, "name": "h"}})
    out["get/dict"] = f"{type(got).__name__}:{_config_text(got.get_config())}"
    huber_instance = L.Huber()
    out["get/instance_is_same"] = str(L.get(huber_instance) is huber_instance)
    out["get/function_is_same"] = str(L.get(L.poisson) is L.poisson)
    out["get/none"] = str(L.get(None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["serialize/Huber"] = _config_text(L.serialize(L.Huber(delta=2.0)))
        out["serialize/BinaryCrossentropy"] = _config_text(L.serialize(L.BinaryCrossentropy(from_logits=True)))
        out["serialize/function"] = _config_text(L.serialize(L.mse))
    restored = L.deserialize(L.serialize(L.CategoricalFocalCrossentropy(gamma=1.0)))
    out["deserialize/roundtrip"] = f"{type(restored).__name__}:{_config_text(restored.get_config())}"
    out["deserialize/name"] = getattr(L.deserialize("mae"), "__name__", "")
    out["deserialize/class_name"] = type(L.deserialize("Poisson")).__name__

    # a Loss class of the user's: serialized with its module; deserialized through custom_objects
    class Doubled(L.Loss):
        def call(self, y_true, y_pred):
            return 2.0 * tf.reduce_mean(tf.abs(y_pred - y_true), axis=-1)

    record = L.serialize(Doubled(name="dbl", reduction="sum"))
    out["serialize/custom"] = _config_text(record)
    out["serialize/custom_legacy"] = _config_text(L.serialize(Doubled(name="dbl"), use_legacy_format=True))
    out["serialize/Huber_legacy"] = _config_text(L.serialize(L.Huber(), use_legacy_format=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["serialize/function_legacy"] = str(L.serialize(L.mse, use_legacy_format=True))
    restored = L.deserialize(record, custom_objects={"Doubled": Doubled})
    out["deserialize/custom"] = f"{type(restored).__name__}:{_config_text(restored.get_config())}"
    out["deserialize/custom_name"] = str(L.deserialize("Doubled", custom_objects={"Doubled": Doubled}) is Doubled)
    legacy = L.deserialize("Doubled", custom_objects={"Doubled": Doubled}, use_legacy_format=True)
    out["deserialize/custom_name_legacy"] = type(legacy).__name__
    huber = L.deserialize({"class_name": "Huber", "config": {"delta": 2.0}}, use_legacy_format=True)
    out["deserialize/legacy_dict"] = _config_text(huber.get_config())
    unregistered = dict(record, module=None)
    add_error_contract(
        out,
        tf,
        "deserialize_unregistered_class",
        lambda: L.deserialize(unregistered),
        ("cannot deserialize object of type `doubled`", "register_keras_serializable"),
    )
    add_error_contract(
        out, tf, "deserialize_dict_without_class_name", lambda: L.deserialize({"config": {}}), ("unknown `config`",)
    )
    # tf_keras quirk: the new-format deserialize gives an unknown name back as the string
    out["deserialize/unknown"] = repr(L.deserialize("Nope"))
    out["deserialize/unknown_dict"] = repr(L.deserialize({"class_name": "Nope", "config": {}}))
    out["get/unknown_dict"] = repr(L.get({"class_name": "Nope", "config": {}}))
    return out


# --------------------------------------------------------------------------- sample weights


def case_losses_weights(tf: Any) -> dict[str, Any]:
    """Sample weights of every accepted shape (scalar, (N,), (N, 1), (1,), per-element on
    NONE-reduced sequence losses, int weights, lists) under each reduction; NumPy (3,) labels
    against (3, 1) predictions broadcast while Tensors squeeze; a custom Loss subclass and a
    LossFunctionWrapper."""
    L = tf.keras.losses
    out: dict[str, Any] = {}
    weights = {
        "scalar": 2.0,
        "n": np.asarray([1.0, 2.0, 0.0, 0.5], "float32"),
        "n1": np.asarray([[1.0], [2.0], [0.0], [0.5]], "float32"),
        "one": np.asarray([3.0], "float32"),
        "int_n": tf.constant([1, 2, 3, 4]),
        "list": [0.5, 1.0, 1.5, 2.0],
        "zeros": np.zeros(4, "float32"),
    }
    for class_name, _, kind in LOSSES:
        y_true, y_pred = _data(kind, seed=len(class_name))
        t, p = tf.constant(y_true), tf.constant(y_pred)
        for reduction in ("sum_over_batch_size", "sum", "none"):
            loss = getattr(L, class_name)(reduction=reduction)
            for wname, w in weights.items():
                out[f"{class_name}/{reduction}/{wname}"] = to_numpy(loss(t, p, sample_weight=w))
    # per-element weights of per-position (sequence) losses
    rs = np.random.RandomState(3)
    seq_labels = np.asarray([[0, 1, 2], [2, 1, 0]])
    seq_logits = tf.constant(rs.randn(2, 3, 4).astype("float32"))
    elem = np.asarray([[1.0, 0.0, 2.0], [0.5, 1.0, 1.0]], "float32")
    for reduction in ("sum_over_batch_size", "sum", "none"):
        loss = L.SparseCategoricalCrossentropy(from_logits=True, reduction=reduction)
        out[f"seq/{reduction}/elem"] = to_numpy(loss(seq_labels, seq_logits, sample_weight=elem))
        out[f"seq/{reduction}/n"] = to_numpy(loss(seq_labels, seq_logits, sample_weight=np.asarray([1.0, 3.0])))
        out[f"seq/{reduction}/n1"] = to_numpy(loss(seq_labels, seq_logits, sample_weight=np.asarray([[1.0], [3.0]])))
        out[f"seq/{reduction}/n31"] = to_numpy(loss(seq_labels, seq_logits, sample_weight=elem[..., None]))
        masked = L.SparseCategoricalCrossentropy(from_logits=True, reduction=reduction, ignore_class=1)
        out[f"seq/{reduction}/ignore_elem"] = to_numpy(masked(seq_labels, seq_logits, sample_weight=elem))
        out[f"seq/{reduction}/ignore_n"] = to_numpy(
            masked(seq_labels, seq_logits, sample_weight=np.asarray([1.0, 3.0]))
        )
    y_seq = tf.constant(rs.randn(2, 3, 2).astype("float32"))
    p_seq = tf.constant(rs.randn(2, 3, 2).astype("float32"))
    out["mse_seq/elem"] = to_numpy(L.MeanSquaredError()(y_seq, p_seq, sample_weight=elem))
    out["mse_seq/broadcast_13"] = to_numpy(
        L.MeanSquaredError()(y_seq, p_seq, sample_weight=np.ones((1, 3), "float32") * 2)
    )
    # a Keras mask on y_pred (Embedding(mask_zero=True) -> Dense): masked positions are left
    # out, and SUM_OVER_BATCH_SIZE averages over the unmasked ones
    masked_model = tf.keras.Sequential(
        [tf.keras.layers.Embedding(5, 2, mask_zero=True, input_length=4), tf.keras.layers.Dense(3)]
    )
    masked_model.build((None, 4))
    masked_model.set_weights(
        [
            rs.uniform(-1, 1, (5, 2)).astype("float32"),
            rs.uniform(-1, 1, (2, 3)).astype("float32"),
            np.zeros(3, "float32"),
        ]
    )
    masked_out = masked_model(np.asarray([[1, 2, 0, 0], [3, 0, 4, 1]]))
    out["mask/present"] = str(getattr(masked_out, "_keras_mask", None) is not None)
    tokens = np.asarray([[0, 2, 1, 1], [2, 1, 0, 2]])
    for reduction in ("sum_over_batch_size", "sum", "none"):
        scce = L.SparseCategoricalCrossentropy(from_logits=True, reduction=reduction)
        out[f"mask/scce/{reduction}"] = to_numpy(scce(tokens, masked_out))
        out[f"mask/scce/{reduction}/sw_n"] = to_numpy(scce(tokens, masked_out, sample_weight=np.asarray([1.0, 3.0])))
        out[f"mask/scce/{reduction}/sw_elem"] = to_numpy(
            scce(tokens, masked_out, sample_weight=np.arange(8, dtype="float32").reshape(2, 4))
        )
        ignore = L.SparseCategoricalCrossentropy(from_logits=True, reduction=reduction, ignore_class=2)
        out[f"mask/scce_ignore/{reduction}"] = to_numpy(ignore(tokens, masked_out))
        mse = L.MeanSquaredError(reduction=reduction)
        out[f"mask/mse/{reduction}"] = to_numpy(mse(np.ones((2, 4, 3), "float32"), masked_out))
    # rank alignment: NumPy labels broadcast, Tensor labels squeeze (DESIGN.md's MSE trap)
    yt3 = np.asarray([1.0, 0.0, 1.0], "float32")
    yp31 = np.asarray([[0.5], [0.5], [0.0]], "float32")
    for class_name in ("MeanSquaredError", "MeanAbsoluteError", "BinaryCrossentropy", "Hinge", "Huber"):
        loss = getattr(L, class_name)()
        out[f"align/{class_name}/numpy"] = to_numpy(loss(yt3, yp31))
        out[f"align/{class_name}/numpy_tensor"] = to_numpy(loss(yt3, tf.constant(yp31)))
        out[f"align/{class_name}/tensors"] = to_numpy(loss(tf.constant(yt3), tf.constant(yp31)))
        out[f"align/{class_name}/labels_n1"] = to_numpy(loss(tf.constant(yp31), tf.constant(yt3)))
        out[f"align/{class_name}/variable"] = to_numpy(loss(tf.constant(yt3), tf.Variable(yp31)))
    out["align/fn_tensors"] = to_numpy(L.mse(tf.constant(yt3), tf.constant(yp31)))

    # a Loss subclass, a LossFunctionWrapper-like use through compile-free calls
    class ScaledSquare(L.Loss):
        def __init__(self, scale: float = 2.0, **kwargs: Any):
            super().__init__(**kwargs)
            self.scale = scale

        def call(self, y_true, y_pred):
            return tf.reduce_mean(tf.square(y_pred - y_true), axis=-1) * self.scale

    t, p = (tf.constant(a) for a in _data("regression", 9))
    for reduction in REDUCTIONS:
        custom = ScaledSquare(reduction=reduction, name="scaled")
        out[f"custom/{reduction}"] = to_numpy(custom(t, p, sample_weight=weights["n"]))
    out["custom/name"] = str(ScaledSquare().name)

    # Python control flow on Tensors in a Loss's `call`, inside tf.function (AutoGraph)
    class Switching(L.Loss):
        def call(self, y_true, y_pred):
            if tf.reduce_sum(y_true) > 0:
                return tf.reduce_mean(tf.square(y_pred - y_true), axis=-1)
            return tf.reduce_mean(tf.abs(y_pred - y_true), axis=-1)

    switching = Switching()
    traced = tf.function(lambda y_true, y_pred: switching(y_true, y_pred))
    out["custom/autograph_positive"] = to_numpy(traced(tf.abs(t), p))
    out["custom/autograph_negative"] = to_numpy(traced(-tf.abs(t), p))
    out["custom/config"] = _config_text(ScaledSquare(name="s", reduction="sum").get_config())
    return out


# --------------------------------------------------------------------------- gradients


def case_losses_gradients(tf: Any) -> dict[str, Any]:
    """d loss / d y_pred (and / d y_true) through GradientTape for every loss, with predictions
    exactly at the clipping bounds (1e-7, 1 - 1e-7, 0, 1), at hinge margins of exactly 0, at
    y_pred == y_true (|x| at 0) and at ties of a max."""
    L = tf.keras.losses
    out: dict[str, Any] = {}
    eps = np.float32(1e-7)
    edge_probs = np.asarray([[eps, 1 - eps, 0.5], [0.0, 1.0, 0.3], [0.2, 0.2, 0.6], [1e-8, 0.999, 0.4]], "float32")
    edge_binary = np.asarray([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 1.0, 1.0]], "float32")
    edge_onehot = np.eye(3, dtype="float32")[[0, 1, 2, 2]]
    regression_true = np.asarray([[0.5, -1.0, 2.0], [1.0, 1.0, 1.0], [0.0, 3.0, -2.0], [eps, 0.0, 1.0]], "float32")
    regression_pred = np.asarray([[0.5, 0.0, 2.0], [1.0, 2.0, 0.0], [1e-8, 3.0, -1.0], [eps, -1.0, 4.0]], "float32")
    hinge_pred = np.asarray([[1.0, -1.0, 0.5], [-1.0, 1.0, 2.0], [1.0, 1.0, -1.0], [0.0, 1.0, 1.0]], "float32")
    data = {
        "regression": (regression_true, regression_pred),
        "positive": (np.abs(regression_true), np.abs(regression_pred)),
        "binary": (edge_binary, edge_probs),
        "hinge": (edge_binary, hinge_pred),
        "categorical": (edge_onehot, edge_probs),
        "sparse": (np.asarray([0, 1, 2, 2], "int32"), edge_probs),
    }
    for class_name, _, kind in LOSSES:
        if class_name in ("Hinge", "SquaredHinge", "CategoricalHinge"):
            kind = "hinge"
        y_true, y_pred = data[kind]
        t, p = tf.constant(y_true), tf.constant(y_pred)
        for reduction in ("sum_over_batch_size", "none"):
            loss = getattr(L, class_name)(reduction=reduction)
            with tf.GradientTape(persistent=True) as tape:
                tape.watch(p)
                if kind != "sparse":
                    tape.watch(t)
                value = loss(t, p)
            key = f"{class_name}/{reduction}"
            out[key] = to_numpy(value)
            out[f"{key}/d_pred"] = to_numpy(tape.gradient(value, p))
            if kind != "sparse":
                grad_true = tape.gradient(value, t)
                out[f"{key}/d_true"] = "None" if grad_true is None else to_numpy(grad_true)
    # with logits and options
    logits = tf.constant(
        np.asarray([[0.0, 2.0, -3.0], [20.0, -20.0, 0.5], [1.0, 1.0, 1.0], [0.0, 0.0, 5.0]], "float32")
    )
    options = {
        "bce_logits": lambda: L.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
        "bfocal_logits": lambda: L.BinaryFocalCrossentropy(from_logits=True, apply_class_balancing=True, gamma=1.5),
        "cce_logits": lambda: L.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2),
        "cfocal_logits": lambda: L.CategoricalFocalCrossentropy(from_logits=True),
        "scce_logits": lambda: L.SparseCategoricalCrossentropy(from_logits=True),
        "scce_ignore": lambda: L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2),
        "huber_delta": lambda: L.Huber(delta=0.5),
    }
    for name, make in options.items():
        labels = np.asarray([0, 1, 2, 2]) if name.startswith("scce") else edge_binary if name[0] == "b" else edge_onehot
        with tf.GradientTape() as tape:
            tape.watch(logits)
            value = make()(labels, logits, sample_weight=np.asarray([1.0, 0.5, 2.0, 0.0], "float32"))
        out[f"{name}"] = to_numpy(value)
        out[f"{name}/d_logits"] = to_numpy(tape.gradient(value, logits))
    # through a Keras sigmoid: the gradient reaches the kernel through the logits
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(1,))])
    model.set_weights([np.ones((1, 1), "float32"), np.zeros((1,), "float32")])
    x = np.asarray([[20.0], [-3.0], [0.5]], "float32")
    with tf.GradientTape() as tape:
        value = L.BinaryCrossentropy()(np.asarray([[0.0], [1.0], [1.0]], "float32"), model(x))
    out["keras_sigmoid/value"] = to_numpy(value)
    out["keras_sigmoid/d_kernel"] = [to_numpy(g) for g in tape.gradient(value, model.trainable_variables)]
    return out


# --------------------------------------------------------------------------- backend


def case_losses_backend(tf: Any) -> dict[str, Any]:
    """`tf.keras.backend`'s cross-entropies (element-wise / per position, no smoothing): values,
    gradients, Keras-sigmoid/softmax outputs, and their errors (dtype and shape mismatches)."""
    K = tf.keras.backend
    out: dict[str, Any] = {}
    rs = np.random.RandomState(17)
    logits = tf.constant(rs.randn(4, 3).astype("float32") * 2)
    binary = tf.constant((rs.rand(4, 3) > 0.5).astype("float32"))
    onehot = tf.constant(np.eye(3, dtype="float32")[[1, 0, 2, 2]])
    probs = tf.nn.softmax(logits)
    sig = tf.sigmoid(logits)
    calls = {
        "bce": lambda p: K.binary_crossentropy(binary, p),
        "bce_logits": lambda p: K.binary_crossentropy(binary, p * 3.0, from_logits=True),
        "bfocal": lambda p: K.binary_focal_crossentropy(binary, p, apply_class_balancing=True, gamma=1.5),
        "bfocal_logits": lambda p: K.binary_focal_crossentropy(binary, p * 3.0, alpha=0.6, from_logits=True),
        "cce": lambda p: K.categorical_crossentropy(onehot, p),
        "cce_logits": lambda p: K.categorical_crossentropy(onehot, p * 3.0, from_logits=True),
        "cfocal": lambda p: K.categorical_focal_crossentropy(onehot, p, gamma=3.0),
        "scce": lambda p: K.sparse_categorical_crossentropy(tf.constant([1, 0, 2, 2]), p),
        "scce_logits": lambda p: K.sparse_categorical_crossentropy(
            tf.constant([1, 0, 2, 2]), p * 3.0, from_logits=True
        ),
    }
    for name, call in calls.items():
        p = sig if name.startswith("b") else probs
        with tf.GradientTape() as tape:
            tape.watch(p)
            value = call(p)
        out[name] = to_numpy(value)
        out[f"{name}/d_pred"] = to_numpy(tape.gradient(value, p))
    keras_out = _keras_outputs(tf)
    y_bin = np.asarray([[0.0, 1.0], [1.0, 0.0], [0.0, 0.0], [1.0, 1.0]], "float32")
    y_cat = np.eye(3, dtype="float32")[[2, 0, 0, 2]]
    out["keras_sigmoid/bce"] = to_numpy(K.binary_crossentropy(tf.constant(y_bin), keras_out["sigmoid"]))
    out["keras_sigmoid/bfocal"] = to_numpy(K.binary_focal_crossentropy(tf.constant(y_bin), keras_out["sigmoid"]))
    out["keras_softmax/cce"] = to_numpy(K.categorical_crossentropy(tf.constant(y_cat), keras_out["softmax"]))
    double = tf.constant(np.ones((4, 3)))
    add_error_contract(out, tf, "bce_float64_target", lambda: K.binary_crossentropy(double, sig), ("cannot compute",))
    add_error_contract(
        out, tf, "cce_shapes", lambda: K.categorical_crossentropy(onehot[:, :2], probs), ("are incompatible",)
    )
    add_error_contract(
        out,
        tf,
        "bce_logits_shapes",
        lambda: K.binary_crossentropy(binary[:, :1], logits, from_logits=True),
        ("must have the same shape",),
    )
    for name, call in (
        ("cce_float64_target", lambda: K.categorical_crossentropy(double, probs)),
        ("cce_logits_float64_target", lambda: K.categorical_crossentropy(double, logits, from_logits=True)),
        ("bce_logits_float64_target", lambda: K.binary_crossentropy(double, logits, from_logits=True)),
        ("bfocal_float64_target", lambda: K.binary_focal_crossentropy(double, sig)),
    ):
        out[f"dtype/{name}"] = error_name(call)
    return out


REFERENCES: dict[str, Reference] = {
    "losses_values": Reference("losses_values"),
    "losses_options": Reference("losses_options"),
    "losses_weights": Reference("losses_weights"),
    "losses_gradients": Reference("losses_gradients"),
    "losses_backend": Reference("losses_backend"),
}
