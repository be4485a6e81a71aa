"""`tf.keras.utils`: the data-packing helpers custom `train_step`s use, `to_categorical`,
`set_random_seed`."""

from __future__ import annotations

import random
from typing import Any

import numpy as np

from jaxport.modules.data_adapter import pack_x_y_sample_weight, unpack_x_y_sample_weight  # noqa: F401
from jaxport.modules.progbar import Progbar  # noqa: F401

__all__ = ["Progbar", "pack_x_y_sample_weight", "unpack_x_y_sample_weight", "to_categorical", "set_random_seed"]


def to_categorical(y: Any, num_classes: int | None = None, dtype: str = "float32") -> np.ndarray:
    """One-hot rows for integer class labels (the last axis of size 1 is dropped)."""
    y = np.array(y, dtype="int")
    shape = y.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    y = y.reshape(-1)
    if num_classes is None:
        num_classes = int(np.max(y)) + 1
    out = np.zeros((y.shape[0], num_classes), dtype=dtype)
    out[np.arange(y.shape[0]), y] = 1
    return out.reshape(shape + (num_classes,))


def set_random_seed(seed: int) -> None:
    """Seed Python's, numpy's and jaxport's global random generators."""
    import jaxport

    random.seed(seed)
    np.random.seed(seed)
    jaxport.random.set_seed(seed)
