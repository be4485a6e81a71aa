"""The transformation datasets behind `Dataset.batch`, `shuffle`, `map`, `filter`, `repeat`, etc."""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.data.conversions import (
    _call_with_element,
    _check_callable,
    _int_arg,
    _normalize_output,
    _spec_of,
    _to_array,
)
from jaxport.data.dataset import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset
from jaxport.data.streams import _INDEX_CHUNK, _buffered_shuffle, _concat_chunks, _elements, _gather, _stack, _Stream
from jaxport.data.structure import TensorSpec, _flatten, _map_structure, _most_specific_shape, _pack, _same_structure
from jaxport.eager import TensorShape


class _UnaryDataset(Dataset):
    """A transformation of one input dataset; by default the spec and batch size pass through."""

    def __init__(self, input_dataset: Dataset):
        self._input = input_dataset

    def _inputs(self) -> list[Dataset]:
        return [self._input]

    def _compute_spec(self, infer: bool) -> Any:
        return self._input._get_spec(infer)

    def _compute_cardinality(self) -> int:
        return self._input._cardinality()

    @property
    def _batch_size(self) -> int | None:
        return self._input._batch_size

    @property
    def _drop_remainder(self) -> bool:
        return self._input._drop_remainder


class _BatchDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset, batch_size: Any, drop_remainder: Any):
        super().__init__(input_dataset)
        size = _int_arg(batch_size, "batch_size")
        if size <= 0:
            raise errors.InvalidArgumentError(
                None, None, f"Batch size must be greater than zero; received batch_size={size}."
            )
        if not isinstance(drop_remainder, (bool, np.bool_)):
            raise TypeError(
                f"`drop_remainder` must be a bool; received {drop_remainder!r} "
                f"(of type {type(drop_remainder).__name__})."
            )
        self._size = size
        self._drop = bool(drop_remainder)

    @property
    def _batch_size(self) -> int | None:
        return self._size

    @property
    def _drop_remainder(self) -> bool:
        return self._drop

    def _numpy_arrays(self) -> Any:
        if self._input._batch_size is not None:
            return None
        return self._input._numpy_arrays()

    def _compute_cardinality(self) -> int:
        card = self._input._cardinality()
        if card < 0:
            return card
        return card // self._size if self._drop else -(-card // self._size)

    def _compute_spec(self, infer: bool) -> Any:
        spec = self._input._get_spec(infer)
        if spec is None:
            return None
        lead = self._size if self._drop else None

        def batched(s: TensorSpec) -> TensorSpec:
            dims = None if s.shape.rank is None else [lead, *s.shape]
            return TensorSpec(TensorShape(dims), s.dtype)

        return _map_structure(batched, spec)

    def _stream(self) -> _Stream:
        up = self._input._stream()
        size, drop = self._size, self._drop
        if up.leaves is not None:

            def indexed_chunks() -> Iterator[list]:
                pending: list = []
                count = 0
                for chunk in up.chunks():
                    pos, n = 0, len(chunk)
                    while pos < n:
                        step = min(size - count, n - pos)
                        piece = chunk[pos : pos + step]
                        pos += step
                        if count == 0 and step == size:
                            yield [_gather(up, piece)]
                            continue
                        pending.append(piece)
                        count += step
                        if count == size:
                            yield [_gather(up, _concat_chunks(pending, True))]
                            pending, count = [], 0
                if count and not drop:
                    yield [_gather(up, _concat_chunks(pending, True))]

            return _Stream(None, None, indexed_chunks)

        def chunks() -> Iterator[list]:
            buf: list = []
            for element in _elements(up):
                buf.append(element)
                if len(buf) == size:
                    yield [_stack(buf, buf[0])]
                    buf = []
            if buf and not drop:
                yield [_stack(buf, buf[0])]

        return _Stream(None, None, chunks)


class _UnbatchDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset):
        super().__init__(input_dataset)
        spec = input_dataset._get_spec(False)
        if spec is not None:
            for s in _flatten(spec):
                if s.shape.rank == 0:
                    raise ValueError(
                        f"Cannot unbatch an input with scalar components: received element_spec {spec!r}; every "
                        "component needs a first dimension."
                    )

    @property
    def _batch_size(self) -> int | None:
        return None

    @property
    def _drop_remainder(self) -> bool:
        return False

    def _compute_cardinality(self) -> int:
        card = self._input._cardinality()
        if card == INFINITE_CARDINALITY or card == 0:
            return card
        spec = self._input._get_spec(False)
        if card < 0 or spec is None:
            return UNKNOWN_CARDINALITY
        leads = {s.shape[0] if s.shape.rank else None for s in _flatten(spec)}
        if len(leads) != 1 or None in leads:
            return UNKNOWN_CARDINALITY
        return card * leads.pop()

    def _compute_spec(self, infer: bool) -> Any:
        spec = self._input._get_spec(infer)
        if spec is None:
            return None
        return _map_structure(lambda s: TensorSpec(s.shape[1:] if s.shape.rank else TensorShape(None), s.dtype), spec)

    def _stream(self) -> _Stream:
        up = self._input._stream()

        def chunks() -> Iterator[list]:
            for element in _elements(up):
                flat = _flatten(element)
                sizes = [np.shape(leaf)[0] if np.ndim(leaf) else None for leaf in flat]
                if None in sizes:
                    raise ValueError(
                        "Cannot unbatch an input with scalar components: an element has a component "
                        f"of shape (); received component shapes {[np.shape(x) for x in flat]}."
                    )
                for k, n in enumerate(sizes):
                    if n != sizes[0]:
                        raise errors.InvalidArgumentError(
                            None,
                            None,
                            "Input element must have the same batch size in each component. Component 0 had "
                            f"size {sizes[0]} but component {k} had size {n}.",
                        )
                if sizes[0]:
                    yield [_pack(element, iter([leaf[i] for leaf in flat])) for i in range(sizes[0])]

        return _Stream(None, None, chunks)


class _ShuffleDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset, buffer_size: Any, seed: Any, reshuffle_each_iteration: Any):
        super().__init__(input_dataset)
        size = _int_arg(buffer_size, "buffer_size")
        if size <= 0 and size != UNKNOWN_CARDINALITY:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"buffer_size must be greater than zero or UNKNOWN_CARDINALITY; received buffer_size={size}.",
            )
        seed = _int_arg(seed, "seed", allow_none=True)
        if seed is None:
            from jaxport.ops import random_ops

            seed = random_ops.get_global_seed()
        if seed is None:
            seed = np.random.SeedSequence().entropy
        self._size = size
        self._seed = int(seed) % (1 << 64)
        self._reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        self._epoch = 0

    def _next_rng(self) -> np.random.Generator:
        epoch = 0
        if self._reshuffle:
            epoch = self._epoch
            self._epoch += 1
        return np.random.default_rng([self._seed, epoch])

    def _stream(self) -> _Stream:
        up = self._input._stream()
        indexed = up.leaves is not None
        card = self._input._cardinality()
        full = self._size == UNKNOWN_CARDINALITY or 0 <= card <= self._size

        def chunks() -> Iterator[Sequence]:
            rng = self._next_rng()
            if full:
                items = _concat_chunks(list(up.chunks()), indexed)
                perm = rng.permutation(len(items))
                if len(perm):
                    yield items[perm] if indexed else [items[i] for i in perm]
                return
            if not indexed:
                for element in _buffered_shuffle(_elements(up), self._size, rng):
                    yield [element]
                return
            flat_indices = itertools.chain.from_iterable(np.asarray(c).tolist() for c in up.chunks())
            out: list = []
            for i in _buffered_shuffle(flat_indices, self._size, rng):
                out.append(i)
                if len(out) == _INDEX_CHUNK:
                    yield np.asarray(out, dtype=np.int64)
                    out = []
            if out:
                yield np.asarray(out, dtype=np.int64)

        return _Stream(up.template, up.leaves, chunks)


class _MapDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset, map_func: Callable):
        super().__init__(input_dataset)
        _check_callable(map_func, "map_func")
        self._fn = map_func

    def _apply(self, element: Any) -> Any:
        return _normalize_output(_call_with_element(self._fn, element), "the result of `map_func`")

    def _compute_spec(self, infer: bool) -> Any:
        if not infer:
            return None
        in_spec = self._input._get_spec(True)
        try:
            first = next(_elements(self._input._stream()))
        except StopIteration:
            first = _map_structure(lambda s: np.zeros([1 if d is None else d for d in s.shape], s.dtype._np), in_spec)
        unknown_leads = set()
        for s, leaf in zip(_flatten(in_spec), _flatten(first)):
            if s.shape.rank and s.shape[0] is None:
                unknown_leads.add(np.shape(leaf)[0])

        def spec(leaf: Any) -> TensorSpec:
            dims: list = list(np.shape(leaf))
            if dims and dims[0] in unknown_leads:
                dims[0] = None
            return TensorSpec(TensorShape(dims), _dtypes.as_dtype(leaf.dtype))

        return _map_structure(spec, self._apply(first))

    def _stream(self) -> _Stream:
        up = self._input._stream()
        return _Stream(None, None, lambda: ([self._apply(e)] for e in _elements(up)))


class _FilterDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset, predicate: Callable):
        super().__init__(input_dataset)
        _check_callable(predicate, "predicate")
        self._fn = predicate

    def _keep(self, element: Any) -> bool:
        result = _call_with_element(self._fn, element)
        value = None
        if not isinstance(result, (tuple, dict, list)):
            try:
                value = _to_array(result, "the result of `predicate`")
            except (TypeError, ValueError):
                value = None
        if value is None or value.dtype != np.bool_ or value.ndim != 0:
            got = repr(_spec_of(value)) if value is not None else repr(result)
            raise ValueError(
                f"Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its return type is {got}."
            )
        return bool(value)

    def _compute_cardinality(self) -> int:
        card = self._input._cardinality()
        return 0 if card == 0 else UNKNOWN_CARDINALITY

    def _stream(self) -> _Stream:
        up = self._input._stream()
        return _Stream(None, None, lambda: ([e] for e in _elements(up) if self._keep(e)))


class _RepeatDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset, count: Any):
        super().__init__(input_dataset)
        count = _int_arg(count, "count", allow_none=True)
        self._count = None if count is None or count < 0 else count

    def _compute_cardinality(self) -> int:
        card = self._input._cardinality()
        if self._count == 0 or card == 0:
            return 0
        if card == UNKNOWN_CARDINALITY:
            return UNKNOWN_CARDINALITY
        if self._count is None or card == INFINITE_CARDINALITY:
            return INFINITE_CARDINALITY
        return card * self._count

    def _stream(self) -> _Stream:
        up = self._input._stream()
        count = self._count

        def chunks() -> Iterator[Sequence]:
            epoch = 0
            while count is None or epoch < count:
                produced = False
                for chunk in up.chunks():
                    if len(chunk):
                        produced = True
                        yield chunk
                if not produced:
                    return  # an empty input repeats to an empty dataset (no endless loop)
                epoch += 1

        return _Stream(up.template, up.leaves, chunks)


class _TakeDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset, count: Any):
        super().__init__(input_dataset)
        self._count = _int_arg(count, "count")

    def _compute_cardinality(self) -> int:
        card = self._input._cardinality()
        if self._count < 0:
            return card
        if self._count == 0:
            return 0
        if card == INFINITE_CARDINALITY:
            return self._count
        if card == UNKNOWN_CARDINALITY:
            return UNKNOWN_CARDINALITY
        return min(card, self._count)

    def _stream(self) -> _Stream:
        up = self._input._stream()
        count = self._count
        if count < 0:
            return up

        def chunks() -> Iterator[Sequence]:
            left = count
            if left <= 0:
                return
            for chunk in up.chunks():
                if len(chunk) >= left:
                    yield chunk[:left]
                    return
                yield chunk
                left -= len(chunk)

        return _Stream(up.template, up.leaves, chunks)


class _SkipDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset, count: Any):
        super().__init__(input_dataset)
        self._count = _int_arg(count, "count")

    def _compute_cardinality(self) -> int:
        card = self._input._cardinality()
        if card == INFINITE_CARDINALITY:
            return card
        if self._count < 0:
            return 0
        if card == UNKNOWN_CARDINALITY:
            return card
        return max(card - self._count, 0)

    def _stream(self) -> _Stream:
        up = self._input._stream()
        count = self._count

        def chunks() -> Iterator[Sequence]:
            left = count
            for chunk in up.chunks():
                if left < 0:
                    continue
                if left >= len(chunk):
                    left -= len(chunk)
                    continue
                yield chunk[left:] if left else chunk
                left = 0

        return _Stream(up.template, up.leaves, chunks)


class _PrefetchDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset, buffer_size: Any):
        super().__init__(input_dataset)
        size = _int_arg(buffer_size, "buffer_size")
        if size < -1:
            raise errors.InvalidArgumentError(
                None, None, f"buffer_size must be >= -1 (AUTOTUNE); received buffer_size={size}."
            )

    def _numpy_arrays(self) -> Any:
        return self._input._numpy_arrays()

    def _stream(self) -> _Stream:
        return self._input._stream()


class _CacheDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset, filename: Any):
        super().__init__(input_dataset)
        if not isinstance(filename, str):
            raise TypeError(f"`filename` must be a str; received {filename!r} (of type {type(filename).__name__}).")
        if filename:
            raise NotImplementedError(f"cache(filename={filename!r}): jaxport caches in memory only; pass no filename.")
        self._cached: list | None = None

    def _numpy_arrays(self) -> Any:
        return self._input._numpy_arrays()

    def _stream(self) -> _Stream:
        up = self._input._stream()

        def chunks() -> Iterator[Sequence]:
            if self._cached is not None:
                yield from self._cached
                return
            seen = []
            for chunk in up.chunks():
                seen.append(chunk)
                yield chunk
            self._cached = seen

        return _Stream(up.template, up.leaves, chunks)


class _EnumerateDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset, start: Any):
        super().__init__(input_dataset)
        self._start = _int_arg(start, "start")

    @property
    def _batch_size(self) -> int | None:
        return None

    @property
    def _drop_remainder(self) -> bool:
        return False

    def _compute_spec(self, infer: bool) -> Any:
        spec = self._input._get_spec(infer)
        return None if spec is None else (TensorSpec(TensorShape(()), _dtypes.int64), spec)

    def _stream(self) -> _Stream:
        up = self._input._stream()

        def chunks() -> Iterator[list]:
            for i, element in enumerate(_elements(up), start=self._start):
                yield [(np.int64(i), element)]

        return _Stream(None, None, chunks)


class _ConcatenateDataset(_UnaryDataset):
    def __init__(self, input_dataset: Dataset, other: Dataset):
        super().__init__(input_dataset)
        if not isinstance(other, Dataset):
            raise TypeError(f"`dataset` must be a tf.data.Dataset; received {other!r} (of type {type(other)}).")
        self._other = other
        a, b = input_dataset.element_spec, other.element_spec
        ok = _same_structure(a, b) and all(x.dtype == y.dtype for x, y in zip(_flatten(a), _flatten(b)))
        if not ok:
            raise TypeError(f"Incompatible dataset elements:\n  {a!r} vs.   {b!r}")
        self._spec_cache = _pack(
            a,
            iter(
                [TensorSpec(_most_specific_shape(x.shape, y.shape), x.dtype) for x, y in zip(_flatten(a), _flatten(b))]
            ),
        )

    def _inputs(self) -> list[Dataset]:
        return [self._input, self._other]

    @property
    def _batch_size(self) -> int | None:
        size = self._input._batch_size
        return size if size == self._other._batch_size else None

    def _compute_cardinality(self) -> int:
        a, b = self._input._cardinality(), self._other._cardinality()
        if INFINITE_CARDINALITY in (a, b):
            return INFINITE_CARDINALITY
        if UNKNOWN_CARDINALITY in (a, b):
            return UNKNOWN_CARDINALITY
        return a + b

    def _stream(self) -> _Stream:
        first, second = self._input._stream(), self._other._stream()
        return _Stream(None, None, lambda: ([e] for e in itertools.chain(_elements(first), _elements(second))))
