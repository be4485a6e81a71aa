"""How data reaches `train_step`/`test_step`/`predict_step` (Keras's data_adapter): numpy
inputs as arrays cut into batches (checked for equal sample counts, split off for
`validation_split`), datasets as they are; a step's `data` is `x`, `(x, y)` or
`(x, y, sample_weight)` (`tf.keras.utils` re-exports the pack/unpack helpers)."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaxport.eager import Tensor, convert_to_tensor

__all__ = ["pack_x_y_sample_weight", "unpack_x_y_sample_weight"]  # the public (tf.keras.utils) names


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """The `data` a `train_step` receives: `x` alone (a tuple `(x,)` if `x` is nested),
    `(x, y)`, or `(x, y, sample_weight)`."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple, dict)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data: Any) -> tuple:
    """`(x, y, sample_weight)` from a `train_step`'s `data`, None for what is absent.

    Raises:
      ValueError: a tuple of more than 3 elements.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if len(data) == 1:
        return (data[0], None, None)
    if len(data) == 2:
        return (data[0], data[1], None)
    if len(data) == 3:
        return data
    raise ValueError(
        f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, found: {data}"
    )


def as_arrays(data: Any) -> Any:
    """Numpy arrays for the leaves of `x`/`y`/`sample_weight` (None stays None)."""
    if data is None:
        return None
    if isinstance(data, (list, tuple)):
        return type(data)(as_arrays(d) for d in data)
    if isinstance(data, dict):
        return {k: as_arrays(v) for k, v in data.items()}
    if isinstance(data, Tensor):
        return np.asarray(data._value)
    return np.asarray(data)


def num_samples(data: Any) -> list[int]:
    """The first-dim sizes of every array in a nest (a scalar is refused)."""
    if isinstance(data, (list, tuple)):
        return [n for d in data for n in num_samples(d)]
    if isinstance(data, dict):
        return [n for d in data.values() for n in num_samples(d)]
    if data.ndim == 0:
        raise ValueError(f"Expected arrays with a batch dimension; received a scalar {data!r}.")
    return [data.shape[0]]


def slice_arrays(data: Any, index: Any) -> Any:
    """The same rows of every array in a nest."""
    if data is None:
        return None
    if isinstance(data, (list, tuple)):
        return type(data)(slice_arrays(d, index) for d in data)
    if isinstance(data, dict):
        return {k: slice_arrays(v, index) for k, v in data.items()}
    return data[index]


def float_inputs(data: Any) -> Any:
    """Keras casts float64 numpy inputs to the model's float32 compute dtype."""
    if data is None:
        return None
    if isinstance(data, (list, tuple)):
        return type(data)(float_inputs(d) for d in data)
    if isinstance(data, dict):
        return {k: float_inputs(v) for k, v in data.items()}
    if data.dtype == np.float64:
        return data.astype(np.float32)
    return data


class ArrayBatches:
    """Batches of numpy arrays (x, y, sample_weight), shuffled per epoch if asked."""

    def __init__(self, x, y, sample_weight, batch_size, shuffle, seed_rng):
        self.x, self.y, self.sw = x, y, sample_weight
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.rng = seed_rng
        self.n = num_samples(x)[0]

    def __len__(self) -> int:
        return -(-self.n // self.batch_size)

    def epoch(self):
        order = self.rng.permutation(self.n) if self.shuffle else None
        for start in range(0, self.n, self.batch_size):
            index = slice(start, start + self.batch_size) if order is None else order[start : start + self.batch_size]
            yield slice_arrays(self.x, index), slice_arrays(self.y, index), slice_arrays(self.sw, index)


class DatasetBatches:
    """A dataset's elements as (x, y, sample_weight) batches."""

    def __init__(self, dataset):
        self.dataset = dataset
        try:
            self._len = len(dataset)
        except TypeError:
            self._len = None

    def __len__(self):
        return self._len if self._len is not None else 0

    def epoch(self):
        for element in self.dataset:
            if isinstance(element, tuple):
                x = element[0]
                y = element[1] if len(element) > 1 else None
                sw = element[2] if len(element) > 2 else None
            else:
                x, y, sw = element, None, None
            yield x, y, sw


def to_tensors(data: Any) -> Any:
    """A batch for the compiled step: numpy arrays pass as they are (the compiled call takes
    them), other values become Tensors; 1-D ones become (batch, 1), as Keras 2's data adapter
    expands them."""
    if data is None:
        return None
    if isinstance(data, (list, tuple)):
        return type(data)(to_tensors(d) for d in data)
    if isinstance(data, dict):
        return {k: to_tensors(v) for k, v in data.items()}
    if isinstance(data, np.ndarray):
        return data[:, None] if data.ndim == 1 else data
    tensor = data if isinstance(data, Tensor) else convert_to_tensor(data)
    if tensor.ndim == 1:
        tensor = Tensor(tensor._value[:, None])
    return tensor


def check_cardinality(x: Any, y: Any, sample_weight: Any) -> None:
    """Keras's check that x, y and sample_weight hold the same number of samples.

    Raises:
      ValueError: "Data cardinality is ambiguous" with every array's size.
    """
    x_sizes = set(num_samples(x))
    y_sizes = set(num_samples(y)) if y is not None else set()
    sw_sizes = set(num_samples(sample_weight)) if sample_weight is not None else set()
    if len(x_sizes | y_sizes | sw_sizes) > 1:
        msg = "Data cardinality is ambiguous:\n"
        msg += f"  x sizes: {', '.join(str(s) for s in num_samples(x))}\n"
        if y is not None:
            msg += f"  y sizes: {', '.join(str(s) for s in num_samples(y))}\n"
        if sample_weight is not None:
            msg += f"  sample_weight sizes: {', '.join(str(s) for s in num_samples(sample_weight))}\n"
        msg += "Make sure all arrays contain the same number of samples."
        raise ValueError(msg)


def train_validation_split(x: Any, y: Any, sample_weight: Any, validation_split: float) -> tuple:
    """`fit(validation_split=...)`: the last `validation_split` of the samples (before any
    shuffling) become the validation data, as Keras takes them.

    Returns:
      `((x, y, sample_weight), validation_data)` with the training part first.

    Raises:
      ValueError: a split outside (0, 1], or one that leaves no training or no validation
        samples (TF's "not sufficient to split it into a validation and training set").
    """
    if not 0 < validation_split <= 1:
        raise ValueError(f"`validation_split` must be in (0, 1); received {validation_split}.")
    xs, ys, sws = as_arrays(x), as_arrays(y), as_arrays(sample_weight)
    n = num_samples(xs)[0]
    cut = int(n * (1.0 - validation_split))
    if cut in (0, n):
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to split it into a validation "
            f"and training set as specified by `validation_split={validation_split}`. Either provide more "
            "data, or a different value for the `validation_split` argument."
        )
    validation_data = (slice_arrays(xs, slice(cut, None)), slice_arrays(ys, slice(cut, None)))
    if sws is not None:
        validation_data += (slice_arrays(sws, slice(cut, None)),)
    train = (slice_arrays(xs, slice(0, cut)), slice_arrays(ys, slice(0, cut)), slice_arrays(sws, slice(0, cut)))
    return train, validation_data


def unpack_validation(data: Any) -> tuple:
    """`(x, y, sample_weight)` of `fit`'s `validation_data` (a dataset passes as x).

    Raises:
      ValueError: not a dataset nor a tuple of 2 or 3 items (TF's message).
    """
    from jaxport import data as data_mod

    if isinstance(data, getattr(data_mod, "Dataset", ())):
        return data, None, None
    if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
        raise ValueError(
            "When passing a `validation_data` argument, it must contain either 2 items (x_val, y_val), "
            f"or 3 items (x_val, y_val, val_sample_weights), or alternatively it could be a dataset or "
            f"a dataset or a dataset iterator. However we received `validation_data={data}`"
        )
    return (data[0], data[1], data[2] if len(data) == 3 else None)
