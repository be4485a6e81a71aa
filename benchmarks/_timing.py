"""Shared by the training-step benchmarks: interleaved timing and the optional TF import."""

from __future__ import annotations

import os
import time
from typing import Any, Callable


def time_variant(run: Callable, sync: Callable, batches: list, steps: int) -> float:
    """Seconds per training step of `run(x, y)` over about `steps` steps (a `run` with
    `steps_per_call` = n does n steps per call, e.g. one fit epoch)."""
    per_call = getattr(run, "steps_per_call", 1)
    calls = max(1, steps // per_call)
    sync()
    start = time.perf_counter()
    for i in range(calls):
        run(*batches[i % len(batches)])
    sync()
    return (time.perf_counter() - start) / (calls * per_call)


def import_tensorflow() -> Any:
    """TensorFlow with Keras 2 (tf_keras) on the CPU; ImportError when the `reference` extra is absent."""
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow

    return tensorflow


def warm_up(variants: dict, batches: list, extra_calls: int = 1) -> dict[str, float]:
    """Call each variant once (trace + compile), timed, then `extra_calls` more; first-call seconds."""
    first_call = {}
    for name, (run, sync) in variants.items():
        start = time.perf_counter()
        run(*batches[0])
        sync()
        first_call[name] = time.perf_counter() - start
        for batch in batches[1 : 1 + extra_calls]:
            run(*batch)
        sync()
    return first_call


def interleaved_rounds(variants: dict, batches: list, rounds: int, steps: Callable[[str], int]) -> dict[str, list]:
    """Per-step seconds of every variant in each of `rounds` rounds (each round times every
    variant once, in turn, so that the machine's drift hits all of them alike)."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, (run, sync) in variants.items():
            times[name].append(time_variant(run, sync, batches, steps(name)))
    return times


def print_step_table(title: str, times: dict[str, list], first_call: dict[str, float], scale: float, unit: str) -> None:
    """The medians per step (times `scale`, in `unit`), as multiples of `jax_jit`, and first calls."""
    import statistics

    base = statistics.median(times["jax_jit"])
    print(title)
    print(f"{'variant':<14}{'median ' + unit:>11}{'x jax_jit':>11}{'first call s':>14}")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"{name:<14}{med * scale:11.2f}{med / base:11.2f}{first_call[name]:14.3f}")


def keras_step_variant(tf: Any, model: Any, loss_func: Any, kind: str, fit_data: tuple, batch: int) -> tuple:
    """`(run, sync)` for a Keras model's Adam train step in `tf` (jaxport or TensorFlow): "function"
    (a `tf.function` GradientTape step) or "fit" (one `fit` epoch over `fit_data` per call, its
    `steps_per_call` the number of batches)."""
    import numpy as np

    optimizer = tf.keras.optimizers.Adam()

    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_func(y, model(x, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    def sync():
        np.asarray(model.trainable_variables[0].numpy())

    if kind == "function":
        return tf.function(train_step), sync
    model.compile(loss=loss_func, optimizer=optimizer)
    x, y = fit_data

    def fit_epoch(_x, _y):
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)

    fit_epoch.steps_per_call = len(x) // batch
    return fit_epoch, sync
