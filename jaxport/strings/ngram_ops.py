"""`tf.strings.ngrams`: n-grams of the strings along the last axis (rows of a RaggedTensor)."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaxport.composite_tensor import CompositeTensor, host_constant
from jaxport.eager import Tensor
from jaxport.strings.string_ops import strings_of


def _text(value: Any) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def _row_ngrams(
    row: list[bytes],
    widths: list[int],
    sep: bytes,
    pads: tuple[bytes, bytes] | None,
    padding_width: int | None,
    preserve_short: bool,
) -> list[bytes]:
    out: list[bytes] = []
    for width in widths:
        pad = 0 if pads is None else min(width - 1 if padding_width is None else padding_width, width - 1)
        items = ([pads[0]] * pad if pads else []) + row + ([pads[1]] * pad if pads else [])
        count = len(items) - width + 1
        if count > 0:
            out.extend(sep.join(items[i : i + width]) for i in range(count))
        elif preserve_short and items:
            out.append(sep.join(items))
    return out


def ngrams(
    data: Any,
    ngram_width: Any,
    separator: str = " ",
    pad_values: Any = None,
    padding_width: int | None = None,
    preserve_short_sequences: bool = False,
    name: str | None = None,
) -> Any:
    """`tf.strings.ngrams`: every run of `ngram_width` consecutive strings (each width in turn when
    several), joined by `separator`; rows padded with `pad_values` (one value, or a (left, right)
    pair) `padding_width` times (default width - 1); a row shorter than the width gives one
    n-gram of the whole row with `preserve_short_sequences`.

    Raises:
      ValueError: a width below 1.
    """
    widths = [int(w) for w in (ngram_width if isinstance(ngram_width, (list, tuple)) else [ngram_width])]
    for width in widths:
        if width < 1:
            raise ValueError(f"All ngram_widths must be greater than 0. Got {ngram_width}")
    sep = _text(separator)
    pads = None
    if pad_values is not None:
        pads = (
            (_text(pad_values[0]), _text(pad_values[1]))
            if isinstance(pad_values, (list, tuple))
            else (_text(pad_values), _text(pad_values))
        )

    def grams(row: list[bytes]) -> list[bytes]:
        return _row_ngrams(row, widths, sep, pads, padding_width, preserve_short_sequences)

    if isinstance(data, CompositeTensor) and hasattr(data, "row_splits"):
        from jaxport.ragged.ragged_tensor import RaggedTensor

        if data.ragged_rank != 1:
            raise ValueError("jaxport's tf.strings.ngrams takes a RaggedTensor of ragged_rank 1")
        flat = strings_of(data.flat_values, "StringNGrams").tolist()
        splits = data._splits_host()
        rows = [grams(flat[splits[i] : splits[i + 1]]) for i in range(len(splits) - 1)]
        values = np.empty((sum(len(r) for r in rows),), dtype=object)
        values[:] = [g for r in rows for g in r]
        lengths = np.asarray([len(r) for r in rows], np.int64)
        new_splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        return RaggedTensor._from_parts(Tensor(values), host_constant(new_splits))
    array = strings_of(data, "StringNGrams")
    if array.ndim == 0:
        raise ValueError("tf.strings.ngrams: data must have rank >= 1")
    rows = [grams(list(array[index])) for index in np.ndindex(array.shape[:-1])]
    width = len(rows[0]) if rows else 0
    out = np.empty(array.shape[:-1] + (width,), dtype=object)
    for index, row in zip(np.ndindex(array.shape[:-1]), rows):
        out[index] = np.asarray(row, dtype=object) if row else out[index]
    return Tensor(out)
