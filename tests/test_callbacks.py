"""Callbacks and the progress bar: jaxport's own behaviour (the TF texts are in parity_tests/)."""

import io
import sys

import numpy as np
import pytest

import jaxport as tf
from jaxport.modules import progbar as progbar_mod
from jaxport.modules.callbacks import CallbackList, CSVLogger, History, LambdaCallback, ProgbarLogger
from jaxport.modules.progbar import Progbar, format_time


class FakeClock:
    """time.time() stand-in that advances only when told."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(progbar_mod.time, "time", fake)
    return fake


def printed(fn):
    buffer = io.StringIO()
    old, sys.stdout = sys.stdout, buffer
    try:
        fn()
    finally:
        sys.stdout = old
    return buffer.getvalue()


def test_format_time_units():
    assert format_time(0, "step") == " 0s/step"
    assert format_time(2.4, "epoch") == " 2s/epoch"
    assert format_time(0.0054, "step") == " 5ms/step"
    assert format_time(0.00004, "step") == " 40us/step"


def test_bar_redraws_throttled_and_final_line(clock):
    bar = Progbar(4, stateful_metrics={"loss"})
    out = printed(lambda: bar.update(1, [("loss", 0.5)]))
    assert out == "\r1/4 [" + "=" * 6 + ">" + "." * 23 + "] - ETA: 0s - loss: 0.5000"
    clock.now += 0.01  # inside the 0.05 s interval: no redraw
    assert printed(lambda: bar.update(2, [("loss", 0.25)])) == ""
    clock.now += 0.09
    out = printed(lambda: bar.update(4, [("loss", 0.0001)], finalize=True))
    assert out.startswith("\b" * 61 + "\r4/4 [==============================] - 0s 33ms/step - loss: 1.0000e-04")
    assert out.endswith("\n")


def test_eta_hours_and_averaged_values(clock):
    bar = Progbar(1000)
    printed(lambda: bar.update(1, [("x", 2.0)]))
    clock.now += 10.0
    out = printed(lambda: bar.update(2, [("x", 4.0)]))
    assert "ETA: 2:46:20" in out  # 10 s per step, 998 steps left
    assert "x: 3.0000" in out  # not stateful: averaged over the steps


def test_verbose_2_prints_once_with_epoch_time(clock):
    bar = Progbar(2, verbose=2, stateful_metrics={"loss"})
    assert printed(lambda: bar.update(1, [("loss", -1.0)])) == ""
    clock.now += 0.5
    out = printed(lambda: bar.update(2, [("loss", -1.0)]))
    assert out == "2/2 - 0s - loss: -1.0000e+00 - 500ms/epoch - 250ms/step\n"  # signed test, as Keras


def test_progbar_logger_reads_logs_only_when_it_prints(clock):
    logger = ProgbarLogger(count_mode="steps", stateful_metrics=["loss"])
    callbacks = CallbackList([logger], verbose=1, epochs=1, steps=3)
    reads = []

    def logs():
        reads.append(1)
        return {"loss": 0.5}

    callbacks.set_model(None)
    out = printed(lambda: (callbacks.on_epoch_begin(0), callbacks.on_train_batch_end(0, logs)))
    callbacks.on_train_batch_end(1, logs)  # 0 s later: throttled, logs not needed (all stateful)
    assert len(reads) == 1 and "1/3" in out
    logger.stateful_metrics = set()
    logger.progbar.stateful_metrics = set()  # an averaged value: every step's value counts
    callbacks.on_train_batch_end(1, logs)
    assert len(reads) == 2


def test_callback_list_skips_batch_hooks_nobody_implements():
    history = History()
    callbacks = CallbackList([history], verbose=0, epochs=1, steps=1)
    assert not callbacks.needs_batch_hooks("train")
    quiet = LambdaCallback(on_epoch_end=lambda epoch, logs: None)
    assert not CallbackList([quiet], verbose=0, epochs=1, steps=1).needs_batch_hooks("train")
    loud = LambdaCallback(on_batch_end=lambda batch, logs: None)
    assert CallbackList([loud], verbose=0, epochs=1, steps=1).needs_batch_hooks("train")
    with pytest.raises(AttributeError, match="has no attribute 'set_model'"):
        CallbackList([object()])


def test_silent_fit_never_reads_batch_logs():
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    reads = []
    original = model._step_logs
    model._step_logs = lambda returned: reads.append(1) or original(returned)
    x = np.ones((8, 2), "float32")
    history = model.fit(x, np.zeros((8, 1), "float32"), batch_size=2, epochs=2, verbose=0)
    assert len(reads) == 2  # once per epoch, not per batch
    assert history.epoch == [0, 1] and model.history is history


def test_csv_logger_writes_iterables_quoted(tmp_path):
    path = tmp_path / "log.csv"
    logger = CSVLogger(path)
    logger.on_train_begin()
    logger.on_epoch_end(0, {"loss": 0.5, "per_class": np.array([1.0, 2.0]), "note": "ok"})
    logger.on_train_end()
    assert path.read_text().splitlines() == [
        "epoch,loss,note,per_class,val_loss,val_note,val_per_class",
        '0,0.5,ok,"""[1.0, 2.0]""",NA,NA,NA',
    ]


def test_duck_typed_callback_gets_every_hook():
    class Duck:
        def __init__(self):
            self.calls = []

        def set_model(self, model):
            self.model = model

        def set_params(self, params):
            self.params = params

        def __getattr__(self, name):
            if name.startswith("on_"):
                return lambda *args: self.calls.append(name)
            raise AttributeError(name)

    duck = Duck()
    callbacks = CallbackList([duck], verbose=0, epochs=1, steps=1)
    callbacks.on_train_batch_begin(0)
    callbacks.on_train_batch_end(0, lambda: {"loss": 1.0})
    assert duck.calls == ["on_train_batch_begin", "on_train_batch_end"]
