"""`tf.keras.callbacks.Callback` (every hook of Keras 2), `History` and `LambdaCallback`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_BATCH_HOOKS = {
    "train": ("on_batch_begin", "on_batch_end", "on_train_batch_begin", "on_train_batch_end"),
    "test": ("on_test_batch_begin", "on_test_batch_end"),
    "predict": ("on_predict_batch_begin", "on_predict_batch_end"),
}


class Callback:
    """Base class of Keras callbacks: override the `on_*` hooks.

    `self.model` is the model being trained / evaluated / predicted with, `self.params` the
    loop's `{'verbose', 'epochs', 'steps'}`. Every hook gets a `logs` dict (`{}` where Keras
    gives nothing); `on_batch_begin` / `on_batch_end` are the training batch hooks' old names.
    """

    def __init__(self) -> None:
        self.validation_data = None
        self.model: Any = None
        self.params: dict = {}

    def set_params(self, params: dict) -> None:
        """The loop's parameters (`verbose`, `epochs`, `steps`)."""
        self.params = params

    def set_model(self, model: Any) -> None:
        """The model this callback acts on."""
        self.model = model

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """A training batch begins (alias of `on_train_batch_begin`)."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """A training batch ended (alias of `on_train_batch_end`)."""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """An epoch of `fit` begins."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """An epoch of `fit` ended; logs hold its metrics and the `val_` ones."""

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """A training batch begins (logs are `{}`)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """A training batch ended; logs hold the metrics averaged over the epoch so far."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """An evaluation batch begins (logs are `{}`)."""

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """An evaluation batch ended; logs hold the metrics so far."""

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """A prediction batch begins (logs are `{}`)."""

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """A prediction batch ended; logs hold its `outputs`."""

    def on_train_begin(self, logs: dict | None = None) -> None:
        """`fit` begins."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """`fit` ended; logs are the last epoch's."""

    def on_test_begin(self, logs: dict | None = None) -> None:
        """`evaluate` (or fit's validation) begins."""

    def on_test_end(self, logs: dict | None = None) -> None:
        """`evaluate` (or fit's validation) ended; logs hold its metrics."""

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """`predict` begins."""

    def on_predict_end(self, logs: dict | None = None) -> None:
        """`predict` ended."""

    def _implements_batch_hooks(self, kind: str) -> bool:
        """Whether a subclass overrides a batch hook of `kind` ('train', 'test', 'predict'):
        the loop skips reading per-batch logs when no callback does, as tf_keras."""
        cls = type(self)
        return any(getattr(cls, hook) is not getattr(Callback, hook) for hook in _BATCH_HOOKS[kind])


class History(Callback):
    """Records each epoch's logs: `history.history['loss']` is a list of Python floats,
    `history.epoch` the epochs run; `fit` returns it (also set as `model.history`)."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)
        self.model.history = self


class LambdaCallback(Callback):
    """A callback made of plain functions, called positionally as the hooks are
    (`on_epoch_begin(epoch, logs)`, `on_train_batch_end(batch, logs)`, `on_train_begin(logs)`, ...).

    Args:
      on_epoch_begin, on_epoch_end, on_batch_begin, on_batch_end, on_train_begin, on_train_end:
        functions for those hooks; any other `on_*` hook may be given as a keyword too.
    """

    def __init__(
        self,
        on_epoch_begin: Callable | None = None,
        on_epoch_end: Callable | None = None,
        on_batch_begin: Callable | None = None,
        on_batch_end: Callable | None = None,
        on_train_begin: Callable | None = None,
        on_train_end: Callable | None = None,
        **kwargs: Callable,
    ) -> None:
        super().__init__()
        self.__dict__.update(kwargs)
        given = dict(
            on_epoch_begin=on_epoch_begin,
            on_epoch_end=on_epoch_end,
            on_batch_begin=on_batch_begin,
            on_batch_end=on_batch_end,
            on_train_begin=on_train_begin,
            on_train_end=on_train_end,
        )
        self._given_hooks = set(kwargs) | {name for name, fn in given.items() if fn is not None}
        for name, fn in given.items():
            if fn is not None:
                setattr(self, name, fn)
            elif name in ("on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end"):
                setattr(self, name, lambda index, logs: None)
            else:
                setattr(self, name, lambda logs: None)

    def _implements_batch_hooks(self, kind: str) -> bool:
        return any(hook in self._given_hooks for hook in _BATCH_HOOKS[kind])
