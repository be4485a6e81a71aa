"""`tf.keras.utils.Progbar`: the progress bar Keras 2's fit / evaluate / predict print.

Mirrors tf_keras 2.21's text exactly: `3/3 [====>...] - ETA: 1s - loss: 0.6931` redraws
(`\\b` over the previous line, then `\\r`) throttled to one per `interval` seconds, the final
`3/3 [===...] - 0s 5ms/step - loss: ...` line, and verbose=2's single
`3/3 - 0s - loss: ... - 19ms/epoch - 6ms/step` line. Values above 1e-3 print as `%.4f`,
smaller ones as `%.4e`; names in `stateful_metrics` print as given, others are averaged.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterable
from typing import Any

import numpy as np


def _dynamic_display() -> bool:
    """Keras's rule for redrawing in place: a TTY, a notebook, PyCharm, or any POSIX system."""
    return (
        (hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
        or "ipykernel" in sys.modules
        or "posix" in sys.modules
        or "PYCHARM_HOSTED" in os.environ
    )


def format_time(seconds: float, unit_name: str) -> str:
    """` 5ms/step`: seconds (>= 1 or 0), milliseconds, or microseconds per unit, as Keras."""
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1000.0:.0f}ms/{unit_name}"
    return f" {seconds * 1000000.0:.0f}us/{unit_name}"


def _format_eta(eta: float) -> str:
    if eta > 3600:
        return "%d:%02d:%02d" % (eta // 3600, (eta % 3600) // 60, eta % 60)
    if eta > 60:
        return "%d:%02d" % (eta // 60, eta % 60)
    return "%ds" % eta


class Progbar:
    """Displays a progress bar (tf_keras's `Progbar`).

    Args:
      target: total number of steps expected, None if unknown.
      width: the bar's width in characters.
      verbose: 0 (silent), 1 (bar with redraws), 2 (one line when finalized).
      interval: minimum seconds between two redraws.
      stateful_metrics: names whose values print as given (the others are averaged).
      unit_name: the unit of the per-unit time (`step` or `sample`).
    """

    def __init__(
        self,
        target: int | None,
        width: int = 30,
        verbose: int = 1,
        interval: float = 0.05,
        stateful_metrics: Iterable[str] | None = None,
        unit_name: str = "step",
    ) -> None:
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        self._dynamic_display = _dynamic_display()
        self._total_width = 0
        self._seen_so_far = 0
        self._values: dict[str, Any] = {}
        self._values_order: list[str] = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_at_epoch_start = self._start
        self._time_at_epoch_end: float | None = None
        self._time_after_first_step: float | None = None

    def will_print(self, current: int, finalize: bool | None = None) -> bool:
        """Whether `update(current, ...)` would print now (values not needed otherwise when
        every value is stateful): lets the fit loop skip reading metrics between redraws."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if self.verbose == 1:
            return finalize or time.time() - self._last_update >= self.interval
        return self.verbose == 2 and finalize

    def needs_every_value(self) -> bool:
        """Whether a value seen so far is averaged (so every update's value counts)."""
        return any(k not in self.stateful_metrics for k in self._values_order)

    def update(self, current: int, values: list[tuple[str, Any]] | None = None, finalize: bool | None = None) -> None:
        """Move the bar to step `current` with `(name, value)` pairs for this step.

        Args:
          current: the index of the current step.
          values: `(name, value_for_last_step)` pairs; stateful names print as given, others
            are averaged over the steps.
          finalize: whether this is the last update (default: `current >= target`).
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or []:
            if name not in self._values_order:
                self._values_order.append(name)
            if name not in self.stateful_metrics:
                weight = max(current - self._seen_so_far, 1)
                if name not in self._values:
                    self._values[name] = [value * weight, weight]
                else:
                    self._values[name][0] += value * weight
                    self._values[name][1] += weight
            else:
                self._values[name] = [value, 1]
        self._seen_so_far = current

        now = time.time()
        info = f" - {now - self._start:.0f}s"
        if current == self.target:
            self._time_at_epoch_end = now
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._write(self._bar_message(current, now, info, finalize))
        elif self.verbose == 2 and finalize:
            self._write(self._line_message(current, now, info))
        self._last_update = now

    def add(self, n: int, values: list[tuple[str, Any]] | None = None) -> None:
        """`update(seen_so_far + n, values)`."""
        self.update(self._seen_so_far + n, values)

    def _average(self, name: str) -> Any:
        total, count = self._values[name]
        return np.mean(total / max(1, count))

    def _bar_message(self, current: int, now: float, info: str, finalize: bool) -> str:
        previous_width = self._total_width
        message = "\b" * previous_width + "\r" if self._dynamic_display else "\n"
        if self.target is not None:
            digits = int(math.log10(self.target)) + 1
            bar = f"{current:{digits}d}/{self.target} ["
            filled = int(self.width * float(current) / self.target)
            if filled > 0:
                bar += "=" * (filled - 1) + (">" if current < self.target else "=")
            bar += "." * (self.width - filled) + "]"
        else:
            bar = "%7d/Unknown" % current
        self._total_width = len(bar)
        message += bar
        time_per_unit = self._estimate_step_duration(current, now)
        if self.target is None or finalize:
            info += format_time(time_per_unit, self.unit_name)
        else:
            info = f" - ETA: {_format_eta(time_per_unit * (self.target - current))}"
        for name in self._values_order:
            average = self._average(name)
            info += f" - {name}: {average:.4f}" if abs(average) > 1e-3 else f" - {name}: {average:.4e}"
        self._total_width += len(info)
        if previous_width > self._total_width:
            info += " " * (previous_width - self._total_width)
        return message + info + ("\n" if finalize else "")

    def _line_message(self, current: int, now: float, info: str) -> str:
        digits = int(math.log10(self.target)) + 1
        info = f"{current:{digits}d}/{self.target}" + info
        for name in self._values_order:
            average = self._average(name)  # Keras compares the signed value here, not abs
            info += f" - {name}: {average:.4f}" if average > 1e-3 else f" - {name}: {average:.4e}"
        if self._time_at_epoch_end:
            per_epoch = self._time_at_epoch_end - self._time_at_epoch_start
            self._time_at_epoch_start = now
            self._time_at_epoch_end = None
            info += " -" + format_time(per_epoch, "epoch")
            info += " -" + format_time(per_epoch / self.target, self.unit_name) + "\n"
        return info

    @staticmethod
    def _write(message: str) -> None:
        sys.stdout.write(message)
        sys.stdout.flush()

    def _estimate_step_duration(self, current: int, now: float) -> float:
        """Seconds per step, ignoring the (compile-heavy) first step once there are more."""
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit

    def _update_stateful_metrics(self, stateful_metrics: Iterable[str]) -> None:
        self.stateful_metrics = self.stateful_metrics.union(stateful_metrics)
