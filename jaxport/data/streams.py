"""Streams: how a dataset produces its (numpy) elements, in chunks of indices or of elements.

A stream either indexes rows of the source arrays of a `from_tensor_slices` (chunks are
`range`s or int arrays), so that `shuffle`, `repeat`, `take`, `skip`, `cache` and
`prefetch` only move indices and `batch` slices (or fancy-indexes) the arrays once per
batch; or it carries materialized elements (chunks are lists).
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterator, NamedTuple, Sequence

import numpy as np

from jaxport import errors
from jaxport.data.structure import _flatten, _pack

_INDEX_CHUNK = 1024  # how many indices/elements a generated chunk holds


# -- streams ----------------------------------------------------------------------------


class _Stream(NamedTuple):
    """How a dataset produces its elements.

    With `leaves` set, `chunks()` yields `range`s or int arrays of row indices into the
    arrays `leaves` (flattened `template`); otherwise it yields lists of elements.
    """

    template: Any
    leaves: list | None
    chunks: Callable[[], Iterator[Sequence]]


def _elements(stream: _Stream) -> Iterator[Any]:
    """Iterate the (numpy) elements of a stream."""
    if stream.leaves is None:
        for chunk in stream.chunks():
            yield from chunk
        return
    template, leaves = stream.template, stream.leaves
    for chunk in stream.chunks():
        if isinstance(chunk, range) and chunk.step == 1:
            subs = [leaf[chunk.start : chunk.stop] for leaf in leaves]
            for j in range(len(chunk)):
                yield _pack(template, iter([sub[j] for sub in subs]))
        else:
            for i in np.asarray(chunk):
                yield _pack(template, iter([leaf[i] for leaf in leaves]))


def _concat_chunks(chunks: list, indexed: bool) -> Sequence:
    if indexed:
        if not chunks:
            return np.zeros((0,), np.int64)
        return np.concatenate([np.asarray(c, dtype=np.int64) for c in chunks])
    return list(itertools.chain.from_iterable(chunks))


def _gather(stream: _Stream, index: Sequence) -> Any:
    """The batch of rows `index` (a range or int array) of an indexed stream."""
    if isinstance(index, range) and index.step == 1:
        parts = [leaf[index.start : index.stop] for leaf in stream.leaves]
    else:
        idx = np.asarray(index)
        parts = [leaf[idx] for leaf in stream.leaves]
    return _pack(stream.template, iter(parts))


def _stack(elements: list, template: Any) -> Any:
    """Stack equally-shaped elements into one batch element (TF's batching of components)."""
    flats = [_flatten(e) for e in elements]
    out = []
    for k in range(len(flats[0])):
        parts = [f[k] for f in flats]
        first = np.shape(parts[0])
        for i, part in enumerate(parts[1:], start=1):
            if np.shape(part) != first:
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    f"Cannot batch tensors with different shapes in component {k}. First element had shape "
                    f"{list(first)} and element {i} had shape {list(np.shape(part))}.",
                )
        out.append(np.stack(parts))
    return _pack(template, iter(out))


def _buffered_shuffle(items: Iterator, size: int, rng: np.random.Generator) -> Iterator:
    """TF's shuffle: fill a buffer of `size`, then emit a random slot and refill it from the input."""
    buf: list = []
    it = iter(items)
    for item in it:
        buf.append(item)
        if len(buf) >= size:
            break
    uniforms = rng.random(_INDEX_CHUNK)
    k = 0
    for item in it:
        if k == len(uniforms):
            uniforms, k = rng.random(_INDEX_CHUNK), 0
        j = int(uniforms[k] * len(buf))
        k += 1
        yield buf[j]
        buf[j] = item
    while buf:
        if k == len(uniforms):
            uniforms, k = rng.random(_INDEX_CHUNK), 0
        j = int(uniforms[k] * len(buf))
        k += 1
        yield buf[j]
        buf[j] = buf[-1]
        buf.pop()
