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
