"""`tf.keras.callbacks.ProgbarLogger`: the progress output of fit / evaluate / predict."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jaxport.modules.callbacks.base import Callback
from jaxport.modules.progbar import Progbar


class ProgbarLogger(Callback):
    """Prints metrics to stdout through a `Progbar`, as tf_keras does.

    `fit` prints `Epoch i/n` (when n > 1) and one bar per epoch whose logs carry the `val_`
    metrics; its validation is silent; `evaluate` and `predict` print one bar each.

    Args:
      count_mode: `"steps"` or `"samples"` (what the bar counts; Keras 2's loops use steps).
      stateful_metrics: names printed as given rather than averaged (default: the model's
        metrics, whose values are already running averages).

    Raises:
      ValueError: an unknown `count_mode`.
    """

    def __init__(self, count_mode: str = "samples", stateful_metrics: Any = None) -> None:
        super().__init__()
        if count_mode not in ("samples", "steps"):
            raise ValueError(f'Unknown `count_mode`: {count_mode}. Expected values are ["samples", "steps"]')
        self.use_steps = count_mode == "steps"
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        self.seen = 0
        self.progbar: Progbar | None = None
        self.target: int | None = None
        self.verbose = 1
        self.epochs = 1
        self._call_batch_hooks = True
        self._called_in_fit = False

    def set_params(self, params: dict) -> None:
        super().set_params(params)
        self.verbose = params["verbose"]
        self.epochs = params["epochs"]
        self.target = params.get("steps") if self.use_steps else params.get("samples")
        self._call_batch_hooks = self.verbose == 1 or self.target is None

    def _implements_batch_hooks(self, kind: str) -> bool:
        return self._call_batch_hooks

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._called_in_fit = True  # fit's validation then prints nothing

    def on_test_begin(self, logs: dict | None = None) -> None:
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_predict_begin(self, logs: dict | None = None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()
        if self.verbose and self.epochs > 1:
            print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._batch_update_progbar(batch, logs)

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if not self._called_in_fit:
            self._batch_update_progbar(batch, logs)

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._batch_update_progbar(batch, None)  # the outputs are not printed

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._finalize_progbar(logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs: dict | None = None) -> None:
        self._finalize_progbar(logs)

    def lazy_batch_end(self, kind: str, batch: int, logs_fn: Callable[[], dict]) -> None:
        """The `on_{kind}_batch_end` hook with logs read only if the bar prints them: between
        redraws every value is stateful (a running average), so skipping it changes nothing."""
        if kind == "test" and self._called_in_fit:
            return
        if self.progbar is None:
            self._maybe_init_progbar()  # (the stateful names are refreshed when it prints)
        current = batch + 1 if self.use_steps else self.seen
        if self.verbose != 1:
            self.seen = current
            return
        if self.progbar.will_print(current, finalize=False) or self.progbar.needs_every_value():
            self._batch_update_progbar(batch, None if kind == "predict" else logs_fn())
        else:
            self.seen = current
            self.progbar._seen_so_far = current

    def _reset_progbar(self) -> None:
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self) -> None:
        if self.model is not None:  # the compiled metrics exist once the first step ran
            self.stateful_metrics |= {m.name for m in self.model.metrics}
        if self.progbar is None:
            self.progbar = Progbar(
                target=self.target,
                verbose=self.verbose,
                stateful_metrics=self.stateful_metrics,
                unit_name="step" if self.use_steps else "sample",
            )
        self.progbar._update_stateful_metrics(self.stateful_metrics)

    def _batch_update_progbar(self, batch: int, logs: dict | None) -> None:
        logs = dict(logs or {})
        self._maybe_init_progbar()
        if self.use_steps:
            self.seen = batch + 1
        else:
            batch_size = logs.pop("size", 0)
            num_steps = logs.pop("num_steps", 1)
            logs.pop("batch", None)
            self.seen += num_steps * batch_size
        if self.verbose == 1:
            self.progbar.update(self.seen, list(logs.items()), finalize=False)

    def _finalize_progbar(self, logs: dict | None) -> None:
        if self.progbar is None:
            self._maybe_init_progbar()
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, list((logs or {}).items()), finalize=True)
