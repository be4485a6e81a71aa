"""Parity cases for what fit / evaluate / predict print and the callbacks they drive.

The printed text is compared byte for byte once times are masked (``mask_times``) and each
progress-bar line is reduced to its first and last redraw (the ones in between depend on
Progbar's 0.05 s update interval). Callback cases record every hook call with its logs'
keys, and the logs' values as one array (compared with rtol 1e-4).
"""

from __future__ import annotations

import os
import re
import tempfile
from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, capture_stdout, set_fixed_weights

_TIME_PATTERNS = (
    (re.compile(r"ETA: (\d+:)*\d+s?"), "ETA: <t>"),
    (re.compile(r"\d+(ms|us|s)/(step|epoch|sample)"), r"<t>/\2"),
    (re.compile(r" - \d+s\b"), " - <t>s"),
)


def mask_times(printed: str) -> str:
    """Keras's progress output with times masked and each line's redraws reduced to the
    first and the last one (``\\r`` separates redraws, ``\\b`` erases the previous one)."""
    lines = []
    for line in printed.split("\n"):
        redraws = [part.rstrip("\b").rstrip() for part in line.split("\r")]
        if len(redraws) > 2:
            redraws = [redraws[0], redraws[1], redraws[-1]] if redraws[0] == "" else [redraws[0], redraws[-1]]
        lines.append("\r".join(redraws))
    text = "\n".join(lines)
    for pattern, replacement in _TIME_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _data(n: int = 10, features: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rs = np.random.RandomState(seed)
    x = rs.randn(n, features).astype("float32")
    y = (rs.rand(n, 1) > 0.5).astype("float32")
    return x, y


def _classifier(tf: Any, seed: int = 1, lr: float = 0.1) -> Any:
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(3,))])
    set_fixed_weights(model, seed)
    model.compile(tf.keras.optimizers.SGD(lr), "binary_crossentropy", metrics=["accuracy", "mae"])
    return model


def case_fitout_printed(tf: Any) -> dict[str, Any]:
    """fit (with and without validation, 1 and 2 epochs), evaluate and predict printed text
    for verbose 1, 2, 0 and 'auto' (times masked), plus a zero loss printed as ``%.4e``."""
    tf.keras.backend.clear_session()
    x, y = _data()
    model = _classifier(tf)
    out: dict[str, Any] = {}
    for verbose in (1, 2, 0, "auto"):
        _, printed = capture_stdout(
            lambda v=verbose: model.fit(x, y, batch_size=4, shuffle=False, epochs=2, verbose=v, validation_data=(x, y))
        )
        out[f"fit_val/{verbose}"] = mask_times(printed)
        _, printed = capture_stdout(lambda v=verbose: model.fit(x, y, batch_size=4, shuffle=False, epochs=1, verbose=v))
        out[f"fit/{verbose}"] = mask_times(printed)
        _, printed = capture_stdout(lambda v=verbose: model.evaluate(x, y, batch_size=4, verbose=v))
        out[f"evaluate/{verbose}"] = mask_times(printed)
        _, printed = capture_stdout(lambda v=verbose: model.predict(x, batch_size=4, verbose=v))
        out[f"predict/{verbose}"] = mask_times(printed)
    zero = tf.keras.Sequential([tf.keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros", input_shape=(3,))])
    zero.compile(tf.keras.optimizers.SGD(0.1), "mse")
    for verbose in (1, 2):
        _, printed = capture_stdout(
            lambda v=verbose: zero.fit(
                x, np.zeros((10, 1), "float32"), batch_size=5, shuffle=False, epochs=1, verbose=v
            )
        )
        out[f"fit_zero/{verbose}"] = mask_times(printed)
    _, printed = capture_stdout(
        lambda: model.fit(x, y, batch_size=10, shuffle=False, epochs=3, verbose=1, steps_per_epoch=1)
    )
    out["fit_one_step"] = mask_times(printed)
    return out


def case_fitout_printed_dataset(tf: Any) -> dict[str, Any]:
    """Progress output for a dataset of unknown cardinality (`filter`): `1/Unknown` bars until
    fit's first epoch has counted the steps; evaluate and predict count their own; also the
    History params (`steps` None)."""
    tf.keras.backend.clear_session()
    x = np.arange(30, dtype="float32").reshape(10, 3) / 30
    y = np.zeros((10, 1), "float32")
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
    model.set_weights([np.full((3, 1), 0.1, "float32"), np.zeros(1, "float32")])
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).filter(lambda a, b: a[0] >= 0).batch(4)
    out: dict[str, Any] = {}
    for verbose in (1, 2):
        history, printed = capture_stdout(lambda v=verbose: model.fit(dataset, epochs=2, verbose=v))
        out[f"fit/{verbose}"] = mask_times(printed)
        out[f"fit/{verbose}/params"] = repr(sorted(history.params.items()))
    _, printed = capture_stdout(lambda: model.evaluate(dataset, verbose=1))
    out["evaluate"] = mask_times(printed)
    _, printed = capture_stdout(lambda: model.predict(dataset, verbose=1))
    out["predict"] = mask_times(printed)
    return out


def case_fitout_custom_train_step(tf: Any) -> dict[str, Any]:
    """A subclassed model whose `train_step` returns its own logs: a Mean tracker (a metric of
    the model: printed as is) and a per-batch value that is not a metric (the bar averages it
    over the epoch's steps, History keeps the last batch's value)."""
    tf.keras.backend.clear_session()

    class Custom(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(1)
            self.tracker = tf.keras.metrics.Mean(name="tracked")

        def call(self, inputs, training=None):
            return self.dense(inputs)

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(self(x, training=True) - y))
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.tracker.update_state(loss)
            return {"tracked": self.tracker.result(), "batch_mean": tf.reduce_mean(x)}

    x = np.arange(30, dtype="float32").reshape(10, 3) / 10
    y = np.ones((10, 1), "float32")
    model = Custom()
    model(x[:1])
    model.dense.set_weights([np.full((3, 1), 0.1, "float32"), np.zeros(1, "float32")])
    model.compile(tf.keras.optimizers.SGD(0.01))
    out: dict[str, Any] = {}
    for verbose in (1, 2):
        history, printed = capture_stdout(
            lambda v=verbose: model.fit(x, y, batch_size=4, shuffle=False, epochs=2, verbose=v)
        )
        out[f"printed/{verbose}"] = mask_times(printed)
        out[f"history/{verbose}"] = {k: np.asarray(v) for k, v in history.history.items()}["batch_mean"]
    return out


class _Recorder:
    """A Callback class (made per framework) that records every hook call."""

    @staticmethod
    def make(tf: Any) -> Any:
        hooks = [
            "on_train_begin",
            "on_train_end",
            "on_epoch_begin",
            "on_epoch_end",
            "on_train_batch_begin",
            "on_train_batch_end",
            "on_test_begin",
            "on_test_end",
            "on_test_batch_begin",
            "on_test_batch_end",
            "on_predict_begin",
            "on_predict_end",
            "on_predict_batch_begin",
            "on_predict_batch_end",
        ]

        class Recorder(tf.keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.calls: list[str] = []
                self.values: list[float] = []

            def record(self, hook: str, args: tuple) -> None:
                logs = args[-1] if args else None
                index = f" {args[0]}" if len(args) == 2 else ""
                keys = list(logs) if isinstance(logs, dict) else repr(logs)
                self.calls.append(f"{hook}{index} {keys}")
                for key in logs or {}:
                    value = logs[key]
                    if key == "outputs":
                        value = np.asarray(value).ravel()
                        self.calls.append(f"  outputs shape {np.asarray(logs[key]).shape}")
                    self.values.extend(np.atleast_1d(np.asarray(value, dtype="float64")).tolist())

        for hook in hooks:
            setattr(Recorder, hook, lambda self, *args, _h=hook: self.record(_h, args))
        return Recorder()


def case_fitout_hooks(tf: Any) -> dict[str, Any]:
    """The callback hooks fit (with validation_data), evaluate and predict call, in order,
    with their logs' keys and values; `params`; the History fit returns."""
    tf.keras.backend.clear_session()
    x, y = _data()
    model = _classifier(tf)
    out: dict[str, Any] = {}
    recorder = _Recorder.make(tf)
    history = model.fit(
        x, y, batch_size=4, shuffle=False, epochs=2, verbose=0, validation_data=(x[:6], y[:6]), callbacks=[recorder]
    )
    out["fit/calls"] = recorder.calls
    out["fit/values"] = np.asarray(recorder.values)
    out["fit/params"] = repr(sorted(recorder.params.items()))
    out["fit/model_is_model"] = str(recorder.model is model)
    out["fit/history_params"] = repr(sorted(history.params.items()))
    out["fit/history_keys"] = sorted(history.history)
    out["fit/history_epoch"] = repr(history.epoch)
    out["fit/history_is_model_history"] = str(model.history is history)
    recorder = _Recorder.make(tf)
    result = model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[recorder])
    out["evaluate/calls"] = recorder.calls
    out["evaluate/values"] = np.asarray(recorder.values)
    out["evaluate/params"] = repr(sorted(recorder.params.items()))
    out["evaluate/result"] = np.asarray(result)
    recorder = _Recorder.make(tf)
    predicted = model.predict(x, batch_size=4, verbose=0, callbacks=[recorder])
    out["predict/calls"] = recorder.calls
    out["predict/values"] = np.asarray(recorder.values)
    out["predict/params"] = repr(sorted(recorder.params.items()))
    out["predict/result"] = np.asarray(predicted)
    return out


def case_fitout_early_stopping(tf: Any) -> dict[str, Any]:
    """EarlyStopping: patience / min_delta / restore_best_weights / baseline /
    start_from_epoch, mode max on accuracy; where it stops and the weights it leaves."""
    x, y = _data(12)
    out: dict[str, Any] = {}
    settings = {
        "restore": dict(monitor="loss", patience=1, min_delta=0.0, restore_best_weights=True),
        "val_restore": dict(monitor="val_loss", patience=2, restore_best_weights=True, verbose=1),
        "baseline": dict(monitor="loss", baseline=0.1, patience=2),
        "start_from": dict(monitor="loss", patience=0, start_from_epoch=3, min_delta=10.0),
        "acc_max": dict(monitor="accuracy", patience=1, mode="max"),
        "missing": dict(monitor="val_nothing", patience=0),
    }
    for name, kwargs in settings.items():
        tf.keras.backend.clear_session()
        model = _classifier(tf, lr=3.0)
        stopper = tf.keras.callbacks.EarlyStopping(**kwargs)
        history, printed = capture_stdout(
            lambda m=model, cb=stopper: m.fit(
                x,
                y,
                batch_size=4,
                shuffle=False,
                epochs=8,
                verbose=0,
                callbacks=[cb],
                validation_data=(x[:4], 1 - y[:4]),
            )
        )
        out[f"{name}/printed"] = printed
        out[f"{name}/epochs"] = repr(history.epoch)
        out[f"{name}/loss"] = np.asarray(history.history["loss"])
        out[f"{name}/stopped_epoch"] = repr(stopper.stopped_epoch)
        out[f"{name}/wait"] = repr(stopper.wait)
        out[f"{name}/best"] = np.asarray(stopper.best, dtype="float64")
        out[f"{name}/weights"] = [np.asarray(w) for w in model.get_weights()]
        out[f"{name}/stop_training"] = str(model.stop_training)
    return out


def case_fitout_lr_callbacks(tf: Any) -> dict[str, Any]:
    """LearningRateScheduler (with and without the lr argument) and ReduceLROnPlateau:
    the `lr` History records, the optimizer's learning rate after fit, their verbose messages."""
    x, y = _data(12)
    out: dict[str, Any] = {}
    schedules = {
        "epoch_only": tf.keras.callbacks.LearningRateScheduler(lambda epoch: 0.5 / (epoch + 1), verbose=1),
        "with_lr": tf.keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr),
        "plateau": tf.keras.callbacks.ReduceLROnPlateau(
            monitor="loss", factor=0.5, patience=1, min_delta=10.0, min_lr=0.02, cooldown=1, verbose=1
        ),
        "plateau_val": tf.keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=0),
    }
    for name, callback in schedules.items():
        tf.keras.backend.clear_session()
        model = _classifier(tf, lr=0.1)
        history, printed = capture_stdout(
            lambda m=model, cb=callback: m.fit(
                x, y, batch_size=4, shuffle=False, epochs=5, verbose=0, callbacks=[cb], validation_data=(x[:4], y[:4])
            )
        )
        out[f"{name}/printed"] = printed
        out[f"{name}/keys"] = sorted(history.history)
        out[f"{name}/lr"] = np.asarray(history.history["lr"], dtype="float64")
        out[f"{name}/loss"] = np.asarray(history.history["loss"])
        out[f"{name}/final_lr"] = np.asarray(float(model.optimizer.learning_rate.numpy()))
        out[f"{name}/lr_type"] = type(history.history["lr"][0]).__name__
    return out


def case_fitout_terminate_on_nan(tf: Any) -> dict[str, Any]:
    """TerminateOnNaN: training stops after the batch whose loss is NaN; on_epoch_end and
    on_train_end still run; the message it prints."""
    tf.keras.backend.clear_session()
    x, y = _data(12)
    x[6, 0] = np.nan  # the second batch of 4 has a NaN input
    model = _classifier(tf)
    recorder = _Recorder.make(tf)
    (history, printed) = capture_stdout(
        lambda: model.fit(
            x,
            y,
            batch_size=4,
            shuffle=False,
            epochs=3,
            verbose=0,
            callbacks=[tf.keras.callbacks.TerminateOnNaN(), recorder],
        )
    )
    return {
        "calls": [c for c in recorder.calls if not c.startswith("  ")],
        "printed": printed,
        "epochs": repr(history.epoch),
        "loss_is_nan": str([bool(np.isnan(v)) for v in history.history["loss"]]),
        "stop_training": str(model.stop_training),
    }


_NUMBER = re.compile(r"-?\d+\.\d+(e[-+]\d+)?")


def _csv_text_and_numbers(path: str) -> tuple[str, np.ndarray]:
    """A CSV log's text with its floats masked (float32 round-off reaches their last digits),
    and those floats as an array."""
    with open(path) as f:
        text = f.read()
    numbers = np.asarray([float(m.group(0)) for m in _NUMBER.finditer(text)])
    return _NUMBER.sub("<float>", text), numbers


def case_fitout_csv_logger(tf: Any) -> dict[str, Any]:
    """CSVLogger's file text: default separator, append=True across two fits, validation
    columns, a custom separator, validation_freq=2 with validation_split (NA cells)."""
    x, y = _data(12)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "log.csv")
        tf.keras.backend.clear_session()
        model = _classifier(tf)
        model.fit(
            x, y, batch_size=4, shuffle=False, epochs=2, verbose=0, callbacks=[tf.keras.callbacks.CSVLogger(path)]
        )
        out["plain/text"], out["plain/numbers"] = _csv_text_and_numbers(path)
        model.fit(
            x,
            y,
            batch_size=4,
            shuffle=False,
            epochs=4,
            initial_epoch=2,
            verbose=0,
            callbacks=[tf.keras.callbacks.CSVLogger(path, append=True)],
        )
        out["appended/text"], out["appended/numbers"] = _csv_text_and_numbers(path)
        other = os.path.join(folder, "val.csv")
        model.fit(
            x,
            y,
            batch_size=4,
            shuffle=False,
            epochs=2,
            verbose=0,
            validation_data=(x, y),
            callbacks=[tf.keras.callbacks.CSVLogger(other, separator=";")],
        )
        out["validation/text"], out["validation/numbers"] = _csv_text_and_numbers(other)
        every_other = os.path.join(folder, "freq.csv")
        history = model.fit(
            x,
            y,
            batch_size=4,
            shuffle=False,
            epochs=3,
            verbose=0,
            validation_split=0.25,
            validation_freq=2,
            callbacks=[tf.keras.callbacks.CSVLogger(every_other)],
        )
        out["validation_freq/text"], out["validation_freq/numbers"] = _csv_text_and_numbers(every_other)
        out["validation_freq/history"] = repr({k: len(v) for k, v in sorted(history.history.items())})
    return out


def case_fitout_lambda_and_errors(tf: Any) -> dict[str, Any]:
    """LambdaCallback hooks, stop_training set from a batch hook, and bad callback arguments."""
    tf.keras.backend.clear_session()
    x, y = _data(12)
    model = _classifier(tf)
    seen: list[str] = []

    def stop_at_second_batch(batch, logs):
        seen.append(f"batch_end {batch} {sorted(logs)}")
        if batch == 1:
            model.stop_training = True

    callback = tf.keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: seen.append(f"epoch_begin {epoch} {logs}"),
        on_epoch_end=lambda epoch, logs: seen.append(f"epoch_end {epoch} {sorted(logs)}"),
        on_train_batch_end=stop_at_second_batch,
        on_train_begin=lambda logs: seen.append(f"train_begin {logs}"),
        on_train_end=lambda logs: seen.append(f"train_end {sorted(logs or {})}"),
    )
    history = model.fit(x, y, batch_size=4, shuffle=False, epochs=3, verbose=0, callbacks=[callback])
    out: dict[str, Any] = {"lambda": seen, "epochs": repr(history.epoch)}
    add_error_contract(
        out,
        tf,
        "plateau_factor",
        lambda: tf.keras.callbacks.ReduceLROnPlateau(factor=1.5),
        phrases=("ReduceLROnPlateau does not support a factor >= 1.0", "1.5"),
    )
    add_error_contract(
        out,
        tf,
        "progbar_count_mode",
        lambda: tf.keras.callbacks.ProgbarLogger(count_mode="batches"),
        phrases=("Unknown `count_mode`: batches", '["samples", "steps"]'),
    )
    bad_schedule = tf.keras.callbacks.LearningRateScheduler(lambda epoch: "fast")
    add_error_contract(
        out,
        tf,
        "schedule_output",
        lambda: model.fit(x, y, batch_size=4, shuffle=False, epochs=1, verbose=0, callbacks=[bad_schedule]),
        phrases=('The output of the "schedule" function should be float', "fast"),
        state=lambda: [np.asarray(model.optimizer.learning_rate.numpy())],
    )
    add_error_contract(
        out,
        tf,
        "schedule_int_tensor",
        lambda: model.fit(
            x,
            y,
            batch_size=4,
            epochs=1,
            verbose=0,
            callbacks=[tf.keras.callbacks.LearningRateScheduler(lambda epoch: tf.constant(1))],
        ),
        phrases=("The dtype of `lr` Tensor should be float", "int32"),
        state=lambda: [np.asarray(model.optimizer.learning_rate.numpy())],
    )
    weights_before = [np.asarray(w) for w in model.get_weights()]
    add_error_contract(
        out,
        tf,
        "not_a_callback",
        lambda: model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[object()]),
        phrases=("'object' object has no attribute 'set_model'",),
        state=lambda: str(all(np.array_equal(a, b) for a, b in zip(weights_before, model.get_weights()))),
    )
    with tempfile.TemporaryDirectory() as folder:
        missing = os.path.join(folder, "no_such_folder", "log.csv")
        add_error_contract(
            out,
            tf,
            "csv_missing_folder",
            lambda: model.fit(
                x, y, batch_size=4, epochs=1, verbose=0, callbacks=[tf.keras.callbacks.CSVLogger(missing)]
            ),
            phrases=("no_such_folder", "No such file or directory"),
        )
    return out


REFERENCES: dict[str, Reference] = {
    "fitout_printed": Reference("fitout_printed"),
    "fitout_printed_dataset": Reference("fitout_printed_dataset"),
    "fitout_custom_train_step": Reference("fitout_custom_train_step"),
    "fitout_hooks": Reference("fitout_hooks"),
    "fitout_early_stopping": Reference("fitout_early_stopping"),
    "fitout_lr_callbacks": Reference("fitout_lr_callbacks"),
    "fitout_terminate_on_nan": Reference("fitout_terminate_on_nan"),
    "fitout_csv_logger": Reference("fitout_csv_logger"),
    "fitout_lambda_and_errors": Reference("fitout_lambda_and_errors"),
}
