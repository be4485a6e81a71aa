"""`tf.keras.preprocessing.sequence`: padding variable-length sequences into one array."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["pad_sequences"]


def _sample_shape_and_lengths(sequences: Any) -> tuple[tuple, list[int]]:
    """Each sequence's length, and the shape of one step (from the first non-empty one).

    Raises:
      ValueError: an entry has no length (TF's message).
    """
    lengths: list[int] = []
    sample_shape: tuple | None = None
    for entry in sequences:
        try:
            size = len(entry)
        except TypeError as exc:
            raise ValueError(f"`sequences` must be a list of iterables. Found non-iterable: {entry}") from exc
        lengths.append(size)
        if sample_shape is None and size:
            sample_shape = np.asarray(entry).shape[1:]
    return (sample_shape or ()), lengths


def pad_sequences(
    sequences: Any,
    maxlen: int | None = None,
    dtype: Any = "int32",
    padding: str = "pre",
    truncating: str = "pre",
    value: Any = 0.0,
) -> np.ndarray:
    """Pad (or cut) each sequence to `maxlen` steps, as `tf.keras.utils.pad_sequences`.

    Args:
      sequences: a list of sequences (lists or arrays; each step may itself be an array).
      maxlen: the length of the result; the longest sequence's length when None.
      dtype: the result's dtype (`object` or a string dtype for string values).
      padding: 'pre' or 'post': on which side the padding goes.
      truncating: 'pre' or 'post': which end of a longer sequence is dropped.
      value: the padding value.

    Returns:
      A NumPy array of shape `(len(sequences), maxlen) + step_shape`.

    Raises:
      ValueError: `sequences` is not a list of iterables, `padding`/`truncating` is not
        'pre'/'post', a string `value` with a non-string `dtype`, or a step of another shape.
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    sample_shape, lengths = _sample_shape_and_lengths(sequences)
    if maxlen is None:
        maxlen = int(np.max(lengths)) if lengths else 0
    is_string_dtype = np.issubdtype(dtype, np.str_)
    if isinstance(value, str) and dtype is not object and not is_string_dtype:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    out = np.full((len(lengths), maxlen) + tuple(sample_shape), value, dtype=dtype)
    for position, entry in enumerate(sequences):
        if not len(entry):
            continue
        if truncating == "pre":
            kept = entry[-maxlen:] if maxlen else entry[:0]
        elif truncating == "post":
            kept = entry[:maxlen]
        else:
            raise ValueError(f'Truncating type "{truncating}" not understood')
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at position {position} is different from "
                f"expected shape {sample_shape}"
            )
        if padding == "post":
            out[position, : len(kept)] = kept
        elif padding == "pre":
            if len(kept):
                out[position, maxlen - len(kept) :] = kept
        else:
            raise ValueError(f'Padding type "{padding}" not understood')
    return out
