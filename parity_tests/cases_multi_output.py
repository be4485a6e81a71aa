"""Parity cases `multiout_*`: Functional models with several outputs compiled with losses as a
list, a dict by output name or one for all, `loss_weights`, metrics per output (a list for
every output, a list of lists, a dict), targets as lists / dicts; the History keys and values,
`evaluate`'s order (`metrics_names`), a vector-valued metric in the logs, and the bad-input
errors. Same contract as `parity_tests/cases.py`."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy


def _model(tf: Any, dict_outputs: bool = False) -> Any:
    """x(3) -> h(4, relu) -> out_a (1, linear) and out_b (3, softmax), fixed weights."""
    tf.keras.backend.clear_session()
    inp = tf.keras.Input((3,), name="x")
    h = tf.keras.layers.Dense(4, activation="relu", name="h")(inp)
    a = tf.keras.layers.Dense(1, name="out_a")(h)
    b = tf.keras.layers.Dense(3, activation="softmax", name="out_b")(h)
    model = tf.keras.Model(inp, {"out_a": a, "out_b": b} if dict_outputs else [a, b])
    rs = np.random.RandomState(11)
    model.set_weights([rs.uniform(-0.8, 0.8, w.shape).astype(np.float32) for w in model.get_weights()])
    return model


def _data() -> tuple:
    rs = np.random.RandomState(0)
    x = rs.uniform(-1, 1, (12, 3)).astype(np.float32)
    ya = rs.uniform(-1, 1, (12, 1)).astype(np.float32)
    yb = rs.randint(0, 3, (12,))
    return x, ya, yb


def _history(out: dict, key: str, history: Any) -> None:
    out[f"{key}/keys"] = list(history.history)
    for name, values in history.history.items():
        out[f"{key}/{name}"] = np.asarray(values, np.float64)


def _fit(
    tf: Any, key: str, out: dict, targets: Any, val_targets: Any = None, dict_outputs: bool = False, **compile_args
):
    x, ya, yb = _data()
    model = _model(tf, dict_outputs)
    model.compile(tf.keras.optimizers.SGD(0.1), **compile_args)
    validation = None if val_targets is None else (x[:6], val_targets)
    history = model.fit(x, targets, batch_size=4, epochs=2, shuffle=False, verbose=0, validation_data=validation)
    _history(out, key, history)
    out[f"{key}/metrics_names"] = list(model.metrics_names)
    result = model.evaluate(x, targets, batch_size=6, verbose=0)
    out[f"{key}/evaluate"] = np.asarray(result, np.float64)
    out[f"{key}/evaluate_dict"] = sorted(model.evaluate(x, targets, batch_size=6, verbose=0, return_dict=True))
    out[f"{key}/weights"] = [to_numpy(w) for w in model.get_weights()]
    return model


def case_multiout_losses(tf: Any) -> dict[str, Any]:
    """List, dict and shared losses; loss_weights as a list and a dict; list/dict targets."""
    x, ya, yb = _data()
    out: dict[str, Any] = {}
    _fit(tf, "list", out, [ya, yb], [ya[:6], yb[:6]], loss=["mse", "sparse_categorical_crossentropy"])
    _fit(
        tf,
        "dict_weights",
        out,
        {"out_a": ya, "out_b": yb},
        {"out_a": ya[:6], "out_b": yb[:6]},
        loss={"out_b": "sparse_categorical_crossentropy", "out_a": "mae"},
        loss_weights={"out_a": 2.0, "out_b": 0.5},
    )
    _fit(tf, "list_weights", out, [ya, yb], loss=["mse", "sparse_categorical_crossentropy"], loss_weights=[0.3, 1.5])
    yb_onehot = np.eye(3, dtype=np.float32)[yb]
    _fit(tf, "shared_loss", out, [np.repeat(ya, 3, axis=1) * 0 + yb_onehot, yb_onehot], loss="mse")
    _fit(tf, "one_output_loss", out, {"out_a": ya, "out_b": yb}, loss={"out_a": "mse"})
    # losses and loss weights are zipped with the outputs: short lists leave outputs out, extras are ignored
    _fit(tf, "short_loss_list", out, [ya, yb], loss=["mse"])
    _fit(tf, "long_loss_list", out, [ya, yb], loss=["mae", "sparse_categorical_crossentropy", "mse"])
    _fit(tf, "short_weights", out, [ya, yb], loss=["mse", "sparse_categorical_crossentropy"], loss_weights=[3.0])
    _fit(
        tf,
        "dict_outputs",
        out,
        {"out_a": ya, "out_b": yb},
        dict_outputs=True,
        loss={"out_a": "mse", "out_b": "sparse_categorical_crossentropy"},
    )
    return out


def case_multiout_metrics(tf: Any) -> dict[str, Any]:
    """Metrics for every output, per output as lists and as a dict, weighted metrics, and a
    vector-valued metric in the logs."""
    x, ya, yb = _data()
    losses = ["mse", "sparse_categorical_crossentropy"]
    out: dict[str, Any] = {}
    _fit(tf, "for_all", out, [ya, yb], [ya[:6], yb[:6]], loss=losses, metrics=["mae"])
    _fit(tf, "lists", out, [ya, yb], [ya[:6], yb[:6]], loss=losses, metrics=[["mae", "mse"], ["accuracy"]])
    _fit(
        tf,
        "dict",
        out,
        [ya, yb],
        loss=losses,
        metrics={"out_b": ["accuracy", tf.keras.metrics.SparseTopKCategoricalAccuracy(k=2, name="top2")]},
        loss_weights=[1.0, 0.25],
    )
    # one output: a list loss is that output's, no per-output names
    tf.keras.backend.clear_session()
    inp = tf.keras.Input((3,))
    single = tf.keras.Model(inp, tf.keras.layers.Dense(1, name="only")(inp))
    rs = np.random.RandomState(2)
    single.set_weights([rs.uniform(-0.8, 0.8, w.shape).astype(np.float32) for w in single.get_weights()])
    single.compile(tf.keras.optimizers.SGD(0.1), loss=["mae"], metrics=["mse"], loss_weights=[2.0])
    _history(out, "single_list", single.fit(x, ya, batch_size=4, epochs=2, shuffle=False, verbose=0))
    out["single_list/metrics_names"] = list(single.metrics_names)
    _fit(tf, "weighted", out, [ya, yb], loss=losses, metrics={"out_a": "mae"}, weighted_metrics={"out_a": "mae"})
    # a metric with a vector result (Precision at several thresholds) is logged as an array
    tf.keras.backend.clear_session()
    inp = tf.keras.Input((3,))
    model = tf.keras.Model(inp, tf.keras.layers.Dense(1, activation="sigmoid", name="p")(inp))
    rs = np.random.RandomState(11)
    model.set_weights([rs.uniform(-0.8, 0.8, w.shape).astype(np.float32) for w in model.get_weights()])
    model.compile("sgd", loss="binary_crossentropy", metrics=[tf.keras.metrics.Precision(thresholds=[0.3, 0.5, 0.7])])
    history = model.fit(x, (yb > 0).astype(np.float32), batch_size=6, epochs=2, shuffle=False, verbose=0)
    out["vector/keys"] = list(history.history)
    out["vector/precision"] = np.asarray(history.history["precision"], np.float64)
    out["vector/loss"] = np.asarray(history.history["loss"], np.float64)
    return out


def case_multiout_errors(tf: Any) -> dict[str, Any]:
    """Bad per-output configuration: the error fit raises, and the model left unchanged."""
    x, ya, yb = _data()
    out: dict[str, Any] = {}

    def fit_with(targets: Any = None, **compile_args: Any) -> Any:
        model = _model(tf)
        model.compile("sgd", **compile_args)
        return model.fit(x, [ya, yb] if targets is None else targets, batch_size=6, epochs=1, verbose=0)

    losses = ["mse", "sparse_categorical_crossentropy"]
    add_error_contract(
        out,
        tf,
        "dict_loss_unknown_output",
        lambda: fit_with(loss={"out_a": "mse", "out_c": "mse"}),
        phrases=("Found unexpected losses or metrics that do not correspond to any Model output", "out_c"),
    )
    add_error_contract(
        out,
        tf,
        "dict_metrics_unknown_output",
        lambda: fit_with(loss=losses, metrics={"out_z": "mae"}),
        phrases=("Found unexpected losses or metrics", "out_z", "Valid mode output names"),
    )
    add_error_contract(
        out,
        tf,
        "dict_weights_unknown_output",
        lambda: fit_with(loss=losses, loss_weights={"out_q": 1.0}),
        phrases=("Found unexpected losses or metrics", "out_q"),
    )
    add_error_contract(
        out,
        tf,
        "too_few_targets",
        lambda: fit_with(targets=[ya], loss=losses),
        phrases=(
            "don't have the same sequence length",
            "Input structure has length 1",
            "shallow structure has length 2",
        ),
    )
    add_error_contract(
        out,
        tf,
        "too_few_metric_lists",
        lambda: fit_with(loss=losses, metrics=[["mae"]]),
        phrases=("don't have the same sequence length", "Input structure has length 1"),
    )
    add_error_contract(
        out,
        tf,
        "duplicate_metric_names",
        lambda: fit_with(loss=losses, metrics=[["mae", "mae"], []]),
        phrases=("Found two metrics with the same name: out_a_mae",),
    )
    return out


def case_multiout_data(tf: Any) -> dict[str, Any]:
    """Multi-output training fed by a Dataset of (x, {name: y}), with validation_split and
    sample weights, and `train_on_batch`'s list."""
    x, ya, yb = _data()
    model = _model(tf)
    model.compile(
        tf.keras.optimizers.SGD(0.1), loss=["mse", "sparse_categorical_crossentropy"], metrics={"out_b": "accuracy"}
    )
    dataset = tf.data.Dataset.from_tensor_slices((x, {"out_a": ya, "out_b": yb})).batch(4)
    out: dict[str, Any] = {}
    _history(out, "dataset", model.fit(dataset, epochs=2, verbose=0))
    weights = np.linspace(0.5, 1.5, 12).astype(np.float32)
    history = model.fit(
        x, [ya, yb], epochs=2, batch_size=3, verbose=0, validation_split=0.25, shuffle=False, sample_weight=weights
    )
    _history(out, "split_weighted", history)
    out["train_on_batch"] = np.asarray(model.train_on_batch(x, [ya, yb]), np.float64)
    out["train_on_batch_dict"] = sorted(model.train_on_batch(x, {"out_a": ya, "out_b": yb}, return_dict=True))
    out["evaluate_dataset"] = np.asarray(model.evaluate(dataset, verbose=0), np.float64)
    out["weights"] = [to_numpy(w) for w in model.get_weights()]
    return out


REFERENCES: dict[str, Reference] = {
    name: Reference(name) for name in ("multiout_losses", "multiout_metrics", "multiout_errors", "multiout_data")
}
