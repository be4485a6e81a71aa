"""`tf.keras.utils.timeseries_dataset_from_array`: sliding windows over an array as a
`tf.data.Dataset` of jaxport's."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["timeseries_dataset_from_array"]


def _check_bounds(n: int, start_index: int | None, end_index: int | None, sampling_rate: int, sequence_stride: int):
    """Keras 2's argument checks (its messages).

    Raises:
      ValueError: an index, rate or stride out of range.
    """
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index={start_index}")
        if start_index >= n:
            raise ValueError(
                "`start_index` must be lower than the length of the data. "
                f"Received: start_index={start_index}, for data of length {n}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                "`end_index` must be higher than `start_index`. "
                f"Received: start_index={start_index}, and end_index={end_index} "
            )
        if end_index >= n:
            raise ValueError(
                "`end_index` must be lower than the length of the data. "
                f"Received: end_index={end_index}, for data of length {n}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= n:
            raise ValueError(
                f"`{name}` must be lower than the length of the data. Received: {name}={value}, for data of length {n}"
            )


def timeseries_dataset_from_array(
    data: Any,
    targets: Any,
    sequence_length: int,
    sequence_stride: int = 1,
    sampling_rate: int = 1,
    batch_size: int | None = 128,
    shuffle: bool = False,
    seed: int | None = None,
    start_index: int | None = None,
    end_index: int | None = None,
) -> Any:
    """Windows `data[start + i*stride : ... : sampling_rate]` of `sequence_length` steps over
    `data[start_index:end_index]`, with `targets[start + i*stride]` when targets are given.

    Args:
      data: an array (first axis: time).
      targets: an array aligned with `data`, or None (then the dataset yields windows only).
      sequence_length: steps per window.
      sequence_stride: steps between the starts of consecutive windows.
      sampling_rate: steps between the rows of one window.
      batch_size: windows per batch (None: unbatched).
      shuffle, seed: shuffle the windows' order.
      start_index, end_index: the part of `data` used.

    Returns:
      A `tf.data.Dataset` yielding windows (batch, sequence_length, ...) or (windows, targets).

    Raises:
      ValueError: an index, rate or stride out of range (Keras 2's messages).
    """
    from jaxport.data import Dataset

    array = np.asarray(data)
    n = len(array)
    _check_bounds(n, start_index, end_index, sampling_rate, sequence_stride)
    start = start_index or 0
    stop = n if end_index is None else end_index
    count = stop - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        count = min(count, len(targets))
    starts = np.arange(0, max(count, 0), sequence_stride)
    if shuffle:
        rng = np.random.RandomState(np.random.randint(1e6) if seed is None else seed)
        rng.shuffle(starts)
    window = starts[:, None] + np.arange(sequence_length)[None, :] * sampling_rate
    steps = array[start:stop]
    windows = steps[window] if len(starts) else np.zeros((0, sequence_length) + steps.shape[1:], steps.dtype)
    if targets is None:
        dataset = Dataset.from_tensor_slices(windows)
    else:
        target_steps = np.asarray(targets)[start:stop]
        dataset = Dataset.from_tensor_slices((windows, target_steps[starts]))
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    return dataset
