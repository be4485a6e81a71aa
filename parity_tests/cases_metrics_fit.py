"""Parity cases: `tf.keras.metrics` in training — metrics given to `compile` by name, class,
instance and function (History of `fit` with validation and sample weights, `evaluate`,
names made in traced and eager steps, errors that TF raises at `fit`), and metrics under a
MirroredStrategy (`fit`, and a custom loop with `strategy.run`).

Same contract as `parity_tests/cases.py`; the streamed metric cases are in `cases_metrics.py`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, history_results, set_fixed_weights, to_numpy
from parity_tests.cases_metrics import _batches


def _model(tf: Any, units: int, activation: str) -> Any:
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(8, activation="relu", input_shape=(5,)),
            tf.keras.layers.Dense(units, activation=activation),
        ]
    )
    return model


def _fit_data(classes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rs = np.random.RandomState(7)
    x = rs.randn(48, 5).astype("float32")
    logits = x @ rs.randn(5, max(classes, 1))
    if classes == 1:
        return x, (logits[:, 0] > 0).astype("float32"), rs.uniform(0.5, 1.5, 48).astype("float32")
    return x, logits.argmax(axis=1).astype("int32"), rs.uniform(0.5, 1.5, 48).astype("float32")


def case_metrics_compile_fit(tf: Any) -> dict[str, Any]:
    """Metrics given to `compile` by name, class, instance and function; History keys and
    values of `fit` (with validation, sample weights and `weighted_metrics`); `evaluate`."""
    out: dict[str, Any] = {}
    m = tf.keras.metrics
    x, y, sw = _fit_data(1)
    model = _model(tf, 1, "sigmoid")
    model.compile(
        optimizer=tf.keras.optimizers.SGD(0.1),
        loss="binary_crossentropy",
        metrics=["accuracy", "acc", "mae", "mean_squared_error", "AUC", "crossentropy", "ce", m.Precision(), "Recall",
                 "binary_accuracy", m.AUC(curve="PR", name="pr_auc"), m.TruePositives(), m.logcosh, "msle", m.hinge,
                 m.kullback_leibler_divergence],
        weighted_metrics=["accuracy", m.AUC(name="w_auc")],
    )  # fmt: skip
    out["binary/metrics_names_compiled"] = list(model.metrics_names)
    set_fixed_weights(model, 3)
    history = model.fit(
        x, y, sample_weight=sw, batch_size=16, epochs=2, shuffle=False, verbose=0, validation_data=(x[:16], y[:16])
    )
    out.update(history_results(history.history, "binary/history/"))
    out["binary/metrics_names"] = list(model.metrics_names)
    out["binary/metric_variables"] = [v.name for metric in model.metrics for v in metric.variables]
    out["binary/evaluate"] = np.asarray(model.evaluate(x, y, verbose=0), np.float64)

    x, y, sw = _fit_data(3)
    model = _model(tf, 3, "softmax")
    model.compile(
        optimizer=tf.keras.optimizers.SGD(0.1),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy", "crossentropy", "sparse_top_k_categorical_accuracy",
                 m.SparseTopKCategoricalAccuracy(k=1, name="top1"), "SparseCategoricalAccuracy",
                 m.MeanIoU(num_classes=3, sparse_y_pred=False)],
    )  # fmt: skip
    set_fixed_weights(model, 4)
    history = model.fit(x, y, batch_size=12, epochs=2, shuffle=False, verbose=0)
    out.update(history_results(history.history, "sparse/history/"))

    onehot = np.eye(3, dtype="float32")[y]
    model = _model(tf, 3, "softmax")
    model.compile(
        optimizer=tf.keras.optimizers.SGD(0.1),
        loss="categorical_crossentropy",
        metrics=["acc", "ce", "top_k_categorical_accuracy", "categorical_hinge", m.F1Score(average="macro"),
                 m.OneHotMeanIoU(num_classes=3), m.Precision(class_id=1), m.AUC(multi_label=True)],
    )  # fmt: skip
    set_fixed_weights(model, 5)
    history = model.fit(x, onehot, batch_size=12, epochs=2, shuffle=False, verbose=0)
    out.update(history_results(history.history, "onehot/history/"))

    rs = np.random.RandomState(11)
    targets = np.abs(x @ rs.randn(5, 2)).astype("float32") + 0.5
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, activation="softplus", input_shape=(5,))])
    model.compile(
        optimizer=tf.keras.optimizers.SGD(0.05),
        loss="mae",
        metrics=["mse", "MSE", "mape", "MAPE", "msle", "cosine_similarity", "logcosh", "log_cosh", "poisson",
                 "squared_hinge", "RootMeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError", "Hinge",
                 m.R2Score(), m.MeanRelativeError(normalizer=[2.0, 3.0]), "MeanSquaredLogarithmicError",
                 "KLDivergence"],
    )  # fmt: skip
    set_fixed_weights(model, 6)
    history = model.fit(x, targets, batch_size=16, epochs=2, shuffle=False, verbose=0, validation_split=0.25)
    out.update(history_results(history.history, "regression/history/"))
    logs = model.evaluate(x, targets, verbose=0, return_dict=True)
    out["regression/evaluate_keys"] = list(logs)
    out["regression/evaluate"] = np.asarray(list(logs.values()), np.float64)

    # Names made by an eager step (run_eagerly) use the session's count; a traced step's its own.
    x, y, sw = _fit_data(1)
    before = [m.AUC().name, m.Precision(name=None).name]
    model = _model(tf, 1, "sigmoid")
    model.compile(
        optimizer=tf.keras.optimizers.SGD(0.1), loss="bce", metrics=["AUC", "Precision", "acc"], run_eagerly=True
    )
    set_fixed_weights(model, 8)
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    out.update(history_results(history.history, "eager/history/"))
    model = _model(tf, 1, "sigmoid")
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="bce", metrics=["AUC", "Precision"])
    set_fixed_weights(model, 8)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    out["evaluate_first/keys"] = list(logs)
    out["evaluate_first/values"] = np.asarray(list(logs.values()), np.float64)
    out["names_after"] = before + [m.AUC().name, m.Precision().name] + [metric.name for metric in model.metrics]

    model = _model(tf, 1, "linear")
    model.compile(optimizer="sgd", loss="mse", metrics=["nope"])
    out["unknown_metric/metrics_names"] = list(model.metrics_names)
    add_error_contract(
        out,
        tf,
        "unknown_metric",
        lambda: model.fit(x, onehot[:, :1], epochs=1, verbose=0),
        phrases=("'str' object is not callable",),
    )
    model = _model(tf, 1, "linear")
    shared = m.AUC(name="shared")
    add_error_contract(
        out,
        tf,
        "duplicated_metric_object",
        lambda: model.compile(optimizer="sgd", loss="mse", metrics=[shared], weighted_metrics=[shared]),
        phrases=("Found duplicated metrics object", "updated multiple times"),
    )
    add_error_contract(out, tf, "unknown_loss_compile", lambda: model.compile(optimizer="sgd", loss="nope_loss"))
    fit = lambda: model.fit(x, onehot[:, :1], epochs=1, verbose=0)  # noqa: E731
    add_error_contract(
        out, tf, "unknown_loss_fit", fit, phrases=("Unknown loss function: 'nope_loss'", "custom_object_scope")
    )
    evaluate = lambda: model.evaluate(x, onehot[:, :1], verbose=0)  # noqa: E731
    add_error_contract(out, tf, "unknown_loss_evaluate", evaluate, phrases=("Unknown loss function: 'nope_loss'",))

    model = _model(tf, 1, "linear")
    model.compile(optimizer="sgd", loss="mse", metrics=["mean_squared_error", m.mse])
    add_error_contract(
        out, tf, "duplicate_names", lambda: model.fit(x, onehot[:, :1], epochs=1, verbose=0),
        phrases=("Found two metrics with the same name: mean_squared_error", "unique names"),
    )  # fmt: skip
    return out


def case_metrics_mirrored_fit(tf: Any) -> dict[str, Any]:
    """Metrics created inside a MirroredStrategy scope: `fit` reports the global values (the
    replicas' counts summed); also the metrics' values read after the run."""
    m = tf.keras.metrics
    x, y, sw = _fit_data(1)
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        model = _model(tf, 1, "sigmoid")
        auc = m.AUC(name="auc_mirrored")
        model.compile(
            optimizer=tf.keras.optimizers.SGD(0.1),
            loss="binary_crossentropy",
            metrics=["accuracy", auc, m.Precision(), m.Recall(thresholds=0.3), "mae", m.FalseNegatives(), "AUC"],
            weighted_metrics=["binary_accuracy", m.TruePositives(name="w_tp")],
        )
        set_fixed_weights(model, 3)
    history = model.fit(x, y, sample_weight=sw, batch_size=16, epochs=2, shuffle=False, verbose=0)
    out = history_results(history.history)
    out["auc_result"] = to_numpy(auc.result())
    out["auc_true_positives"] = to_numpy(auc.true_positives)
    out["num_replicas"] = np.asarray(strategy.num_replicas_in_sync, np.int64)

    x3, labels3, _ = _fit_data(3)
    with strategy.scope():  # metrics whose state is made at their first update, inside the replicas
        model = _model(tf, 3, "softmax")
        model.compile(
            optimizer=tf.keras.optimizers.SGD(0.1),
            loss="categorical_crossentropy",
            metrics=[m.F1Score(average="macro"), m.R2Score(), m.AUC(multi_label=True), "acc"],
        )
        set_fixed_weights(model, 9)
    history = model.fit(x3, np.eye(3, dtype="float32")[labels3], batch_size=16, epochs=2, shuffle=False, verbose=0)
    out.update(history_results(history.history, "lazy/history/"))

    with strategy.scope():  # a custom loop: metrics updated in `strategy.run`, read outside
        loop_auc, loop_mean, loop_precision = m.AUC(num_thresholds=11), m.Mean(), m.Precision()
    y_true, y_pred = _batches("binary", 0)[:2]
    y_true = np.concatenate([y_true, _batches("binary", 1)[0], y_true[:4]])
    y_pred = np.concatenate([y_pred, _batches("binary", 1)[1], y_pred[:4]])
    dataset = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices((y_true, y_pred)).batch(8))

    @tf.function
    def step(batch: Any) -> None:
        def replica_fn(labels: Any, predictions: Any) -> None:
            loop_auc.update_state(labels, predictions)
            loop_mean.update_state(predictions)
            loop_precision.update_state(labels, predictions)

        strategy.run(replica_fn, args=batch)

    for batch in dataset:
        step(batch)
    out["loop/auc"] = to_numpy(loop_auc.result())
    out["loop/auc_true_positives"] = to_numpy(loop_auc.true_positives)
    out["loop/mean"] = to_numpy(loop_mean.result())
    out["loop/precision"] = to_numpy(loop_precision.result())
    return out


REFERENCES: dict[str, Reference] = {
    "metrics_compile_fit": Reference("metrics_compile_fit"),
    "metrics_mirrored_fit_d2": Reference("metrics_mirrored_fit", devices=2),
}
