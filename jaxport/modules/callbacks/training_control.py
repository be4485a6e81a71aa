"""Callbacks that steer training: EarlyStopping, TerminateOnNaN, LearningRateScheduler,
ReduceLROnPlateau (Keras 2's rules, including what each adds to the epoch logs)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np

from jaxport.modules.callbacks.base import Callback

_log = logging.getLogger("jaxport")


def _learning_rate(model: Any) -> np.float32:
    """The optimizer's current learning rate as numpy (what Keras's `backend.get_value` gives)."""
    optimizer = model.optimizer
    if not hasattr(optimizer, "lr"):
        raise ValueError('Optimizer must have a "lr" attribute.')
    return np.asarray(optimizer.lr.numpy())[()]


def _set_learning_rate(model: Any, value: Any) -> None:
    model.optimizer.lr = float(np.asarray(value))


class EarlyStopping(Callback):
    """Stop training when a monitored quantity has stopped improving.

    Args:
      monitor: the logs key watched (`val_loss` by default).
      min_delta: the smallest change that counts as an improvement.
      patience: epochs without improvement before training stops.
      verbose: 1 prints `Epoch N: early stopping` (and the restore) at the end of training.
      mode: 'min', 'max' or 'auto' (max for names ending in acc / accuracy / auc).
      baseline: the value to beat; training stops if it is not beaten within `patience`.
      restore_best_weights: at the end of training, set the weights of the best epoch.
      start_from_epoch: epochs to wait before watching the quantity.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        super().__init__()
        self.monitor = monitor
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.min_delta = abs(min_delta)
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.start_from_epoch = start_from_epoch
        if mode not in ("auto", "min", "max"):
            _log.warning("EarlyStopping mode %s is unknown, fallback to auto mode.", mode)
            mode = "auto"
        self.mode = mode
        maximize = mode == "max" or (mode == "auto" and monitor.endswith(("acc", "accuracy", "auc")))
        self.monitor_op = np.greater if maximize else np.less
        if not maximize:
            self.min_delta *= -1

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf if self.monitor_op is np.less else -np.inf
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()  # the first watched epoch is the fallback
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs: dict | None) -> Any:
        """`logs[monitor]`, or None (with Keras's warning) when the logs lack it."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            _log.warning(
                "Early stopping conditioned on metric `%s` which is not available. Available metrics are: %s",
                self.monitor,
                ",".join(logs),
            )
        return value

    def _is_improvement(self, value: float, reference: float) -> bool:
        return bool(self.monitor_op(value - self.min_delta, reference))


class TerminateOnNaN(Callback):
    """Stops training after a batch whose loss is NaN or infinite (that epoch's
    `on_epoch_end` and `on_train_end` still run), printing `Batch N: Invalid loss, ...`."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is not None and (np.isnan(loss) or np.isinf(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate at each epoch's start to `schedule(epoch, lr)`
    (or `schedule(epoch)`), and records it as `lr` in the epoch's logs (and so in History).

    Args:
      schedule: a function of the epoch index (and the current learning rate) returning a float.
      verbose: 1 prints the learning rate set at each epoch.

    Raises:
      ValueError: (in fit) a schedule that returns something other than a float.
    """

    def __init__(self, schedule: Callable, verbose: int = 0) -> None:
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        current = float(_learning_rate(self.model))
        try:
            lr = self.schedule(epoch, current)
        except TypeError:  # the older one-argument schedule
            lr = self.schedule(epoch)
        if hasattr(lr, "dtype") and hasattr(lr, "numpy"):
            if not np.issubdtype(np.dtype(getattr(lr.dtype, "as_numpy_dtype", lr.dtype)), np.floating):
                raise ValueError(f"The dtype of `lr` Tensor should be float. Got: {lr.dtype}")
        elif not isinstance(lr, (float, np.float32, np.float64)):
            raise ValueError(f'The output of the "schedule" function should be float. Got: {lr}')
        _set_learning_rate(self.model, lr.numpy() if hasattr(lr, "numpy") else lr)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs is not None:
            logs["lr"] = _learning_rate(self.model)


class ReduceLROnPlateau(Callback):
    """Multiplies the learning rate by `factor` when `monitor` has not improved for `patience`
    epochs; the epoch's logs get `lr` as it was before that epoch's reduction.

    Args:
      monitor: the logs key watched.
      factor: the multiplier (< 1).
      patience: epochs without improvement before a reduction.
      verbose: 1 prints each reduction.
      mode: 'min', 'max' or 'auto' (max when the name contains `acc`).
      min_delta: the smallest change that counts as an improvement.
      cooldown: epochs after a reduction during which waiting does not count.
      min_lr: the learning rate's lower bound.

    Raises:
      ValueError: `factor >= 1.0`.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Got {factor}")
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
            _log.warning("`epsilon` argument is deprecated and will be removed, use `min_delta` instead.")
        self.monitor = monitor
        self.factor = factor
        self.min_lr = min_lr
        self.min_delta = min_delta
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0
        self.best = 0.0
        self.mode = mode
        self._reset()

    def _reset(self) -> None:
        if self.mode not in ("auto", "min", "max"):
            _log.warning("Learning rate reduction mode %s is unknown, fallback to auto mode.", self.mode)
            self.mode = "auto"
        if self.mode == "min" or (self.mode == "auto" and "acc" not in self.monitor):
            self.monitor_op = lambda a, b: np.less(a, b - self.min_delta)
            self.best = np.inf
        else:
            self.monitor_op = lambda a, b: np.greater(a, b + self.min_delta)
            self.best = -np.inf
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._reset()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = {} if logs is None else logs
        logs["lr"] = _learning_rate(self.model)
        current = logs.get(self.monitor)
        if current is None:
            _log.warning(
                "Learning rate reduction is conditioned on metric `%s` which is not available. "
                "Available metrics are: %s",
                self.monitor,
                ",".join(logs),
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = _learning_rate(self.model)
                if old_lr > np.float32(self.min_lr):
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    _set_learning_rate(self.model, new_lr)
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
                    self.cooldown_counter = self.cooldown
                    self.wait = 0

    def in_cooldown(self) -> bool:
        """Whether a reduction happened less than `cooldown` epochs ago."""
        return self.cooldown_counter > 0
