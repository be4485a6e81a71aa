"""`tf.keras.callbacks.CallbackList`: the callbacks one fit / evaluate / predict call drives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jaxport.modules.callbacks.base import Callback, History
from jaxport.modules.callbacks.progbar_logger import ProgbarLogger

Logs = dict | Callable[[], dict] | None


class CallbackList(Callback):
    """Calls each callback's hook in order, with a `logs` dict (`{}` when none is given).

    As tf_keras: a `ProgbarLogger(count_mode='steps')` goes first when `add_progbar`, a
    `History` last when `add_history`; batch hooks run only when some callback overrides
    them, and per-batch logs may be given as a function, read at most once per batch and
    only when a callback needs them (so a silent `fit` never waits on the device per batch).

    Args:
      callbacks: a list of `Callback` instances (or None).
      add_history: append a `History` (unless one is given).
      add_progbar: prepend a `ProgbarLogger` (unless one is given).
      model: the model every callback gets through `set_model`.
      **params: the loop's parameters (`verbose`, `epochs`, `steps`), given to `set_params`.

    Raises:
      AttributeError: an entry of `callbacks` without Callback's hooks (TF's error type).
    """

    def __init__(
        self,
        callbacks: Any = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        **params: Any,
    ) -> None:
        super().__init__()
        if isinstance(callbacks, Callback):
            callbacks = [callbacks]
        self.callbacks: list[Callback] = list(callbacks or [])
        self._batch_callbacks: dict[str, list[Callback]] = {}
        for cb in self.callbacks:
            if not isinstance(cb, Callback) and not callable(getattr(cb, "set_model", None)):
                raise AttributeError(
                    f"'{type(cb).__name__}' object has no attribute 'set_model': `callbacks` must be "
                    f"`tf.keras.callbacks.Callback` instances; received {cb!r}."
                )
        self._history = next((cb for cb in self.callbacks if isinstance(cb, History)), None)
        self._progbar = next((cb for cb in self.callbacks if isinstance(cb, ProgbarLogger)), None)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger(count_mode="steps")
            self.callbacks.insert(0, self._progbar)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    @property
    def history(self) -> History | None:
        """The History of this call (None for evaluate / predict)."""
        return self._history

    def set_model(self, model: Any) -> None:
        super().set_model(model)
        for cb in self.callbacks:
            cb.set_model(model)

    def set_params(self, params: dict) -> None:
        super().set_params(params)
        for cb in self.callbacks:
            cb.set_params(params)
        self._batch_callbacks = {
            kind: [cb for cb in self.callbacks if _implements_batch_hooks(cb, kind)]
            for kind in ("train", "test", "predict")
        }

    def needs_batch_hooks(self, kind: str) -> bool:
        """Whether any callback implements the batch hooks of `kind` ('train', 'test', 'predict')."""
        return bool(self._batch_callbacks.get(kind))

    def _call(self, hook: str, *args: Any) -> None:
        *index, logs = args
        logs = {} if logs is None else logs
        for cb in self.callbacks:
            getattr(cb, hook)(*index, logs)

    def _batch_hook(self, kind: str, when: str, batch: int, logs: Logs) -> None:
        hook = f"on_{kind}_batch_{when}"
        cached: list[dict] = []

        def resolve() -> dict:
            if not cached:
                cached.append(dict(logs() if callable(logs) else logs or {}))
            return cached[0]

        for cb in self._batch_callbacks.get(kind, ()):
            if (
                when == "end"
                and isinstance(cb, ProgbarLogger)
                and getattr(type(cb), hook) is getattr(ProgbarLogger, hook)
            ):
                cb.lazy_batch_end(kind, batch, resolve)
            else:
                getattr(cb, hook)(batch, resolve() if when == "end" else {})

    def on_train_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._batch_hook("train", "begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._batch_hook("train", "end", batch, logs)

    def on_test_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._batch_hook("test", "begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._batch_hook("test", "end", batch, logs)

    def on_predict_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._batch_hook("predict", "begin", batch, logs)

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._batch_hook("predict", "end", batch, logs)

    def on_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._batch_hook("train", "begin", batch, logs)

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._batch_hook("train", "end", batch, logs)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._call("on_epoch_end", epoch, logs)

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._call("on_train_begin", logs)

    def on_train_end(self, logs: dict | None = None) -> None:
        self._call("on_train_end", logs)

    def on_test_begin(self, logs: dict | None = None) -> None:
        self._call("on_test_begin", logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs: dict | None = None) -> None:
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs: dict | None = None) -> None:
        self._call("on_predict_end", logs)

    def __iter__(self):
        return iter(self.callbacks)


def _implements_batch_hooks(callback: Any, kind: str) -> bool:
    """A duck-typed callback (not a Callback subclass) gets every batch hook."""
    check = getattr(callback, "_implements_batch_hooks", None)
    return True if check is None else check(kind)


def loop_verbosity(verbose: Any) -> Any:
    """fit / evaluate / predict's `verbose`: 'auto' is 1 (interactive logging), others as given."""
    return 1 if verbose == "auto" else verbose


def configure_callbacks(
    callbacks: Any, model: Any, verbose: Any, epochs: int, steps: int | None, add_history: bool = False
) -> CallbackList:
    """The CallbackList of one loop: `callbacks` itself when it already is one (fit hands its
    own to the validation `evaluate`), else a new list with a progress bar unless silent."""
    if isinstance(callbacks, CallbackList):
        return callbacks
    return CallbackList(
        callbacks,
        add_history=add_history,
        add_progbar=verbose != 0,
        model=model,
        verbose=verbose,
        epochs=epochs,
        steps=steps,
    )
