"""`tf.keras.utils`: the data-packing helpers custom `train_step`s use, `to_categorical`,
`normalize`, `set_random_seed`, `pad_sequences`, `get_file` (local files only) and
`timeseries_dataset_from_array`."""

from __future__ import annotations

import random
from typing import Any

import numpy as np

from jaxport.keras.data_utils import get_file, validate_file  # noqa: F401
from jaxport.keras.preprocessing.sequence import pad_sequences  # noqa: F401
from jaxport.keras.timeseries import timeseries_dataset_from_array  # noqa: F401
from jaxport.modules.data_adapter import pack_x_y_sample_weight, unpack_x_y_sample_weight  # noqa: F401
from jaxport.modules.progbar import Progbar  # noqa: F401
from jaxport.modules.serialization import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    register_keras_serializable,
)

__all__ = [
    "Progbar",
    "get_file",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "set_random_seed",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
    "validate_file",
]


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


def normalize(x: Any, axis: int = -1, order: int = 2) -> np.ndarray:
    """`x` divided by its `order`-norm along `axis` (zero norms count as 1), as Keras 2's
    NumPy `normalize`."""
    x = np.asarray(x)
    norms = np.atleast_1d(np.linalg.norm(x, order, axis))
    norms[norms == 0] = 1
    return x / np.expand_dims(norms, axis)


def set_random_seed(seed: int) -> None:
    """Seed Python's, numpy's and jaxport's global random generators."""
    import jaxport

    random.seed(seed)
    np.random.seed(seed)
    jaxport.random.set_seed(seed)
