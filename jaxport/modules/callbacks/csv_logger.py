"""`tf.keras.callbacks.CSVLogger`: one CSV row per epoch, as tf_keras writes it."""

from __future__ import annotations

import collections.abc
import csv
import os
from typing import Any

import numpy as np

from jaxport.modules.callbacks.base import Callback


def _cell(value: Any) -> Any:
    """A log value as Keras writes it: strings as given, 1-D iterables as `"[a, b]"`."""
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Streams each epoch's logs to a CSV file: an `epoch` column, then the log keys sorted
    (`val_` columns added from the start when the first epoch has none), `NA` for a missing one.

    Raises:
      tf.errors.NotFoundError: (in fit) the file's folder does not exist.

    Args:
      filename: the CSV file's path.
      separator: the one-character delimiter.
      append: append to an existing file (without a second header) instead of overwriting it.
    """

    def __init__(self, filename: str | os.PathLike, separator: str = ",", append: bool = False) -> None:
        super().__init__()
        self.sep = separator
        self.filename = None if filename is None else os.fspath(filename)
        self.append = append
        self.writer: csv.DictWriter | None = None
        self.keys: list[str] | None = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        try:
            self.csv_file = open(self.filename, mode)  # noqa: SIM115 - kept open across epochs, as Keras
        except FileNotFoundError as exc:  # TF's file system reports tf.errors.NotFoundError
            from jaxport.errors import NotFoundError

            raise NotFoundError(None, None, f"{self.filename}; No such file or directory") from exc

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if not any(key.startswith("val_") for key in self.keys):
                self.keys.extend(["val_" + key for key in self.keys])
        if self.writer is None:

            class Dialect(csv.excel):
                delimiter = self.sep

            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch", *self.keys], dialect=Dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs: dict | None = None) -> None:
        self.csv_file.close()
        self.writer = None
