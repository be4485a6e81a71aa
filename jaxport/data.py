"""`tf.data`: a small, numpy-backed `Dataset` with TF 2's semantics.

A `Dataset` is a lazy, re-iterable pipeline: every transformation returns a new Dataset
and every `for` loop over one starts afresh. Elements are nested structures (tuples,
namedtuples, dicts) of `Tensor`s, like TF's; lists given to `from_tensor_slices` are
tensors, not structures, and a list returned by a `map` function becomes a tuple.

Internally elements stay numpy until they are handed out. Each pipeline stage produces a
stream of *chunks*. A stream either indexes rows of the source arrays of a
`from_tensor_slices` (chunks are `range`s or int arrays), so that `shuffle`, `repeat`,
`take`, `skip`, `cache` and `prefetch` only move indices and `batch` slices (or
fancy-indexes) the arrays once per batch; or it carries materialized elements (chunks are
lists), after `map`, `filter`, `zip`, `unbatch`, `batch` and for `range`/`from_tensors`.

Simplifications against TF: functions given to `map`/`filter`/`reduce` run eagerly once
per element (TF traces them once); `prefetch` is a no-op; the `element_spec` of a mapped
dataset is inferred by running the function on the first element; without an op seed,
`shuffle` uses the global seed of `jaxport.random.set_seed` as is (TF derives a distinct
seed per op), or fresh entropy when no global seed is set.
"""

from __future__ import annotations

import itertools
import types
from typing import Any, Callable, Iterator, NamedTuple, Sequence

import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.eager import Tensor, TensorShape, to_raw

__all__ = [
    "AUTOTUNE",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "Dataset",
    "TensorSpec",
    "experimental",
]

AUTOTUNE = -1
"""`tf.data.AUTOTUNE`: let the runtime pick a buffer size (prefetch is a no-op here)."""
INFINITE_CARDINALITY = -1
"""`tf.data.INFINITE_CARDINALITY`: what `cardinality()` returns for an endless dataset."""
UNKNOWN_CARDINALITY = -2
"""`tf.data.UNKNOWN_CARDINALITY`: what `cardinality()` returns when the size is unknown."""

_INDEX_CHUNK = 1024  # how many indices/elements a generated chunk holds


# -- TensorSpec -------------------------------------------------------------------------


class TensorSpec:
    """`tf.TensorSpec`: the static shape and dtype of one component of a dataset element.

    Args:
      shape: a `TensorShape` or anything it accepts; `None` dims are unknown.
      dtype: a dtype (`tf.float32`, `'int64'`, a numpy dtype).
      name: an optional name, kept for TF's signature.
    """

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape: Any, dtype: Any = "float32", name: str | None = None):
        self._shape = TensorShape(shape)
        self._dtype = _dtypes.as_dtype(dtype)
        self._name = name

    @property
    def shape(self) -> TensorShape:
        """The static shape (`TensorShape`); `None` marks unknown dimensions."""
        return self._shape

    @property
    def dtype(self) -> _dtypes.DType:
        """The element type (`tf.DType`)."""
        return self._dtype

    @property
    def name(self) -> str | None:
        """The optional name given at construction."""
        return self._name

    @classmethod
    def from_tensor(cls, tensor: Any, name: str | None = None) -> TensorSpec:
        """The spec of a Tensor, Variable or array."""
        return cls(TensorShape(np.shape(tensor)), _dtypes.as_dtype(tensor.dtype), name)

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        """Whether a spec or value has this dtype and a shape compatible with this one."""
        other = spec_or_value if isinstance(spec_or_value, TensorSpec) else TensorSpec.from_tensor(spec_or_value)
        if other.dtype != self._dtype:
            return False
        return _shapes_compatible(self._shape, other.shape)

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, TensorSpec):
            return NotImplemented
        return self._shape == other._shape and self._dtype == other._dtype and self._name == other._name

    def __hash__(self) -> int:
        return hash((self._shape, self._dtype, self._name))

    def __repr__(self) -> str:
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"


def _shapes_compatible(a: TensorShape, b: TensorShape) -> bool:
    if a.rank is None or b.rank is None:
        return True
    if a.rank != b.rank:
        return False
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def _most_specific_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    if a.rank is None or b.rank is None or a.rank != b.rank:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a, b)])


# -- nested structures ------------------------------------------------------------------
# Structures are tuples (namedtuples included) and dicts; everything else is a leaf.
# Dicts flatten in their insertion order and are rebuilt with the template's key order.


def _flatten(struct: Any) -> list:
    if isinstance(struct, dict):
        out: list = []
        for value in struct.values():
            out.extend(_flatten(value))
        return out
    if isinstance(struct, tuple):
        out = []
        for value in struct:
            out.extend(_flatten(value))
        return out
    return [struct]


def _pack(template: Any, leaves: Iterator) -> Any:
    """Rebuild `template`'s structure taking leaves, in order, from the iterator `leaves`."""
    if isinstance(template, dict):
        return type(template)((key, _pack(value, leaves)) for key, value in template.items())
    if isinstance(template, tuple):
        values = [_pack(value, leaves) for value in template]
        return type(template)(*values) if hasattr(template, "_fields") else tuple(values)
    return next(leaves)


def _map_structure(fn: Callable[[Any], Any], struct: Any) -> Any:
    return _pack(struct, iter([fn(leaf) for leaf in _flatten(struct)]))


def _same_structure(a: Any, b: Any) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and list(a) == list(b)
            and all(_same_structure(a[k], b[k]) for k in a)
        )
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(_same_structure(x, y) for x, y in zip(a, b))
        )
    return True


# -- conversions ------------------------------------------------------------------------


def _to_array(value: Any, what: str) -> np.ndarray | np.generic:
    """A numpy value for a dataset component, with TF's dtypes (Python floats -> float32)."""
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        if arr.dtype.kind in "OUSV":
            raise TypeError(
                f"Failed to convert {what} to a Tensor: received a numpy array of dtype {arr.dtype}; "
                "jaxport datasets hold numeric and bool tensors only."
            )
        return arr
    if isinstance(value, list) and _ragged(value):
        raise ValueError(f"Can't convert non-rectangular Python sequence to Tensor: {what} received {value!r}.")
    return np.asarray(to_raw(value))


def _ragged(value: Any) -> bool:
    """Whether a nested Python list is non-rectangular."""
    if not isinstance(value, (list, tuple)):
        return False
    shapes = set()
    for item in value:
        if _ragged(item):
            return True
        shapes.add(np.shape(item) if isinstance(item, (list, tuple, np.ndarray)) else ())
    return len(shapes) > 1


def _normalize(struct: Any, what: str) -> Any:
    """Convert every leaf of a (tuple/dict) structure to numpy; lists are leaves (tensors)."""
    if isinstance(struct, dict):
        return type(struct)((k, _normalize(v, f"{what}[{k!r}]")) for k, v in struct.items())
    if isinstance(struct, tuple):
        values = [_normalize(v, f"{what}[{i}]") for i, v in enumerate(struct)]
        return type(struct)(*values) if hasattr(struct, "_fields") else tuple(values)
    return _to_array(struct, what)


def _snapshot(arr: np.ndarray | np.generic) -> np.ndarray:
    """A read-only copy (later changes to the caller's array must not leak into the dataset)."""
    out = np.array(arr, copy=True)
    out.setflags(write=False)
    return out


def _leaf_to_tensor(leaf: Any) -> Tensor:
    return Tensor(jnp.asarray(leaf))


def _to_tensors(element: Any) -> Any:
    return _map_structure(_leaf_to_tensor, element)


def _leaf_to_numpy(leaf: Any) -> Any:
    out = np.array(leaf, copy=True)
    return out[()] if out.ndim == 0 else out


def _spec_of(leaf: Any) -> TensorSpec:
    return TensorSpec(TensorShape(np.shape(leaf)), _dtypes.as_dtype(leaf.dtype))


def _int_arg(value: Any, name: str, allow_none: bool = False) -> int | None:
    """An integer argument (Python/numpy int or integer scalar Tensor), else TypeError."""
    if value is None and allow_none:
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, Tensor) and value.dtype.is_integer and value.ndim == 0:
        return int(value)
    raise TypeError(
        f"`{name}` must be an integer{' or None' if allow_none else ''}; received {value!r} "
        f"(of type {type(value).__name__})."
    )


def _check_callable(fn: Any, name: str) -> None:
    if not callable(fn):
        raise ValueError(f"Argument `{name}` must be a callable. Received {name}={fn!r} (of type {type(fn)})")


def _call_with_element(fn: Callable, element: Any) -> Any:
    """Call `fn` on an element as Tensors; a plain tuple is unpacked into arguments, like TF."""
    tensors = _to_tensors(element)
    if type(tensors) is tuple:
        return fn(*tensors)
    return fn(tensors)


def _normalize_output(value: Any, what: str) -> Any:
    """The internal (numpy) form of a user function's result; a top-level list becomes a tuple."""
    if isinstance(value, list):
        value = tuple(value)
    return _normalize(value, what)


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


# -- Dataset ----------------------------------------------------------------------------


class Dataset:
    """`tf.data.Dataset`: a lazy, re-iterable sequence of elements (nested structures of Tensors).

    Build one with `from_tensor_slices`, `from_tensors`, `range` or `zip`, transform it
    (`map`, `batch`, `shuffle`, ...) and iterate it with `for`; each loop starts afresh.
    """

    _spec_cache: Any = None
    _card_cache: int | None = None

    # -- what subclasses provide ---------------------------------------------------------
    def _stream(self) -> _Stream:
        raise NotImplementedError

    def _compute_cardinality(self) -> int:
        raise NotImplementedError

    def _compute_spec(self, infer: bool) -> Any:
        """The element spec, or None when it can only be found by running user code and not `infer`."""
        raise NotImplementedError

    def _inputs(self) -> list[Dataset]:
        return []

    # -- internal helpers for other jaxport code (Keras `fit`) ----------------------------
    def _numpy_arrays(self) -> Any:
        """The source arrays of a plain `from_tensor_slices` pipeline, else None.

        A plain pipeline is `from_tensor_slices(...)`, optionally followed by one `batch`,
        with any number of `prefetch`/`cache` around them. The result has the structure
        given to `from_tensor_slices` with read-only numpy arrays as leaves (their first
        dimension indexes the examples); with `_batch_size` (not None when batched) and
        `_drop_remainder` a caller can iterate the batches itself without this module.
        """
        return None

    @property
    def _batch_size(self) -> int | None:
        """The batch size of the elements when a `batch` produced them, else None.

        `shuffle`, `repeat`, `take`, `skip`, `map`, `filter`, `prefetch` and `cache` after a
        `batch` keep it; `unbatch`, `zip` and `enumerate` reset it to None.
        """
        return None

    @property
    def _drop_remainder(self) -> bool:
        """Whether the `batch` behind `_batch_size` drops a final partial batch."""
        return False

    def _get_spec(self, infer: bool) -> Any:
        if self._spec_cache is None:
            self._spec_cache = self._compute_spec(infer)
        return self._spec_cache

    def _cardinality(self) -> int:
        if self._card_cache is None:
            self._card_cache = self._compute_cardinality()
        return self._card_cache

    # -- constructors ----------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors: Any, name: str | None = None) -> Dataset:
        """A dataset whose elements are the slices of `tensors` along their first dimension.

        Args:
          tensors: an array, Tensor or (nested) Python list, or a (nested) tuple/dict of
            them; every component must have the same size in its first dimension.
          name: unused, for TF's signature.

        Raises:
          ValueError: a component is a scalar, or the first dimensions differ.
        """
        return _TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors: Any, name: str | None = None) -> Dataset:
        """A dataset with the single element `tensors` (an array, Tensor, list or tuple/dict of them)."""
        return _TensorDataset(tensors)

    @staticmethod
    def range(*args: Any, output_type: Any = "int64", name: str | None = None) -> Dataset:
        """`Dataset.range(stop)`, `range(start, stop)`, `range(start, stop, step)`: int64 scalars like `range`.

        Raises:
          ValueError: not 1 to 3 positional arguments.
          TypeError: an argument is not an integer.
          InvalidArgumentError: `step` is 0.
        """
        return _RangeDataset(args, output_type)

    @staticmethod
    def zip(*args: Any, datasets: Any = None, name: str | None = None) -> Dataset:
        """Combine datasets element-wise, stopping with the shortest.

        `Dataset.zip((a, b))` and `Dataset.zip(a, b)` give tuples `(ea, eb)`; a dict of
        datasets gives dicts. A single dataset is returned as its elements.

        Raises:
          TypeError: something in the structure is not a Dataset.
        """
        if datasets is not None and args:
            raise TypeError("Both `*args` and `datasets` were given to `zip`; pass only one of them.")
        if datasets is None:
            if not args:
                raise TypeError("`zip` expects at least one dataset; received none.")
            datasets = args[0] if len(args) == 1 else tuple(args)
        return _ZipDataset(datasets)

    # -- transformations -------------------------------------------------------------------
    def batch(
        self,
        batch_size: Any,
        drop_remainder: bool = False,
        num_parallel_calls: Any = None,
        deterministic: Any = None,
        name: str | None = None,
    ) -> Dataset:
        """Combine consecutive elements into batches (stacked along a new first dimension).

        Args:
          batch_size: a positive integer.
          drop_remainder: drop a final batch smaller than `batch_size`.

        Raises:
          TypeError: `batch_size` is not an integer or `drop_remainder` not a bool.
          InvalidArgumentError: `batch_size` is not positive.
        """
        return _BatchDataset(self, batch_size, drop_remainder)

    def unbatch(self, name: str | None = None) -> Dataset:
        """Split every element along its first dimension into several elements (inverse of `batch`).

        Raises:
          ValueError: a component is a scalar.
        """
        return _UnbatchDataset(self)

    def shuffle(
        self, buffer_size: Any, seed: Any = None, reshuffle_each_iteration: bool = True, name: str | None = None
    ) -> Dataset:
        """Randomly shuffle the elements with a buffer of `buffer_size` elements.

        A buffer at least as large as the dataset (or `UNKNOWN_CARDINALITY`) gives a full
        uniform permutation. With a `seed` (or a global seed from `set_seed`) the orders are
        deterministic; with `reshuffle_each_iteration` each iteration (epoch) uses a new
        order, otherwise every iteration repeats the first one.

        Raises:
          TypeError: `buffer_size` or `seed` is not an integer.
          InvalidArgumentError: `buffer_size` is not positive (nor -2).
        """
        return _ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def map(
        self, map_func: Callable, num_parallel_calls: Any = None, deterministic: Any = None, name: str | None = None
    ) -> Dataset:
        """Apply `map_func` to each element.

        `map_func` gets the element as Tensors (a tuple element is unpacked into positional
        arguments, anything else is one argument) and may use any jaxport ops; what it
        returns (Tensors, arrays, Python numbers, tuples/dicts of them; a list becomes a
        tuple) is the new element.

        Raises:
          ValueError: `map_func` is not callable.
        """
        return _MapDataset(self, map_func)

    def filter(self, predicate: Callable, name: str | None = None) -> Dataset:
        """Keep the elements for which `predicate` (called like a `map` function) returns a scalar True.

        Raises:
          ValueError: `predicate` is not callable, or (when iterating) does not return a scalar bool.
        """
        return _FilterDataset(self, predicate)

    def repeat(self, count: Any = None, name: str | None = None) -> Dataset:
        """Repeat the dataset `count` times (None or negative: forever); every repetition iterates afresh.

        Raises:
          TypeError: `count` is not an integer or None.
        """
        return _RepeatDataset(self, count)

    def take(self, count: Any, name: str | None = None) -> Dataset:
        """The first `count` elements (all of them when `count` is -1).

        Raises:
          TypeError: `count` is not an integer.
        """
        return _TakeDataset(self, count)

    def skip(self, count: Any, name: str | None = None) -> Dataset:
        """All but the first `count` elements (none when `count` is -1).

        Raises:
          TypeError: `count` is not an integer.
        """
        return _SkipDataset(self, count)

    def prefetch(self, buffer_size: Any, name: str | None = None) -> Dataset:
        """Accepted for TF compatibility; elements are produced on demand (`AUTOTUNE` is -1).

        Raises:
          TypeError: `buffer_size` is not an integer.
          InvalidArgumentError: `buffer_size` is below -1.
        """
        return _PrefetchDataset(self, buffer_size)

    def cache(self, filename: str = "", name: str | None = None) -> Dataset:
        """Remember the elements of the first complete iteration and replay them afterwards (in memory).

        Raises:
          NotImplementedError: a `filename` was given (file caches are not supported).
        """
        return _CacheDataset(self, filename)

    def enumerate(self, start: Any = 0, name: str | None = None) -> Dataset:
        """Pair each element with its int64 position: `(start + i, element)`."""
        return _EnumerateDataset(self, start)

    def concatenate(self, dataset: Dataset, name: str | None = None) -> Dataset:
        """The elements of this dataset followed by those of `dataset` (same structure and dtypes).

        Raises:
          TypeError: `dataset` is not a Dataset or its elements are incompatible.
        """
        return _ConcatenateDataset(self, dataset)

    # -- consuming -------------------------------------------------------------------------
    def __iter__(self) -> DatasetIterator:
        """A fresh iterator over the elements (nested structures of Tensors)."""
        return DatasetIterator(self)

    def as_numpy_iterator(self) -> Iterator[Any]:
        """A fresh iterator over the elements as numpy values (scalars as numpy scalars)."""
        return _NumpyIterator(self)

    def reduce(self, initial_state: Any, reduce_func: Callable) -> Any:
        """Fold the elements: `state = reduce_func(state, element)`, starting from `initial_state`.

        The state and elements are passed as Tensors (the element is not unpacked); the
        final state is returned as Tensors.

        Raises:
          ValueError: `reduce_func` is not callable.
        """
        _check_callable(reduce_func, "reduce_func")
        state = _to_tensors(_normalize_output(initial_state, "initial_state"))
        for element in _elements(self._stream()):
            state = _to_tensors(_normalize_output(reduce_func(state, _to_tensors(element)), "reduce_func result"))
        return state

    def cardinality(self) -> Tensor:
        """The number of elements as an int64 scalar Tensor; -1 when infinite, -2 when unknown."""
        return Tensor(jnp.asarray(np.int64(self._cardinality())))

    def __len__(self) -> int:
        """The number of elements.

        Raises:
          TypeError: the dataset is infinite or its length is unknown.
        """
        card = self._cardinality()
        if card == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if card == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return card

    def __bool__(self) -> bool:
        return True  # __len__ is defined, but a dataset is always truthy (as in TF)

    @property
    def element_spec(self) -> Any:
        """The structure of the elements with a `TensorSpec` per component.

        A mapped dataset's spec is inferred by running the map function on its first
        element; a leading dimension that matches an unknown (None) input batch dimension
        is reported as None.
        """
        return self._get_spec(True)

    def __repr__(self) -> str:
        spec = self._get_spec(False)
        text = "<unknown until iterated>" if spec is None else repr(spec)
        return f"<{type(self).__name__} element_spec={text}>"


class DatasetIterator:
    """An iterator over a `Dataset` (what `iter(dataset)` returns): yields nested Tensors."""

    def __init__(self, dataset: Dataset):
        self._dataset = dataset
        self._elements = _elements(dataset._stream())

    def __iter__(self) -> DatasetIterator:
        return self

    def __next__(self) -> Any:
        return _to_tensors(next(self._elements))

    def get_next(self) -> Any:
        """The next element.

        Raises:
          OutOfRangeError: the dataset is exhausted.
        """
        try:
            return next(self)
        except StopIteration:
            raise errors.OutOfRangeError(None, None, "End of sequence") from None

    @property
    def element_spec(self) -> Any:
        """The element spec of the dataset being iterated."""
        return self._dataset.element_spec


class _NumpyIterator:
    """What `as_numpy_iterator()` returns: yields nested numpy values."""

    def __init__(self, dataset: Dataset):
        self._elements = _elements(dataset._stream())

    def __iter__(self) -> _NumpyIterator:
        return self

    def __next__(self) -> Any:
        return _map_structure(_leaf_to_numpy, next(self._elements))


# -- sources ----------------------------------------------------------------------------


class _TensorSliceDataset(Dataset):
    def __init__(self, tensors: Any):
        if tensors is None:
            raise ValueError(
                "Invalid `tensors` for `from_tensor_slices`: received None; expected a tensor or a "
                "(nested) tuple/dict of tensors."
            )
        structure = _map_structure(_snapshot, _normalize(tensors, "tensors"))
        leaves = _flatten(structure)
        if not leaves:
            raise ValueError(f"Invalid `tensors` for `from_tensor_slices`: received an empty structure {tensors!r}.")
        for leaf in leaves:
            if leaf.ndim == 0:
                raise ValueError(
                    "Unbatching a tensor is only supported for rank >= 1: `from_tensor_slices` received a scalar "
                    f"component (shape ()) in {tensors!r}; every component needs a first dimension to slice."
                )
        n = leaves[0].shape[0]
        for leaf in leaves[1:]:
            if leaf.shape[0] != n:
                shapes = ", ".join(str(TensorShape(x.shape)) for x in leaves)
                raise ValueError(
                    f"Dimensions {n} and {leaf.shape[0]} are not compatible: all components given to "
                    f"`from_tensor_slices` must have the same first dimension; received shapes {shapes}."
                )
        self._structure = structure
        self._leaves = leaves
        self._n = int(n)

    def _stream(self) -> _Stream:
        n = self._n
        return _Stream(self._structure, self._leaves, lambda: iter([range(n)] if n else []))

    def _compute_cardinality(self) -> int:
        return self._n

    def _compute_spec(self, infer: bool) -> Any:
        return _map_structure(
            lambda a: TensorSpec(TensorShape(a.shape[1:]), _dtypes.as_dtype(a.dtype)), self._structure
        )

    def _numpy_arrays(self) -> Any:
        return self._structure


class _TensorDataset(Dataset):
    def __init__(self, tensors: Any):
        if tensors is None:
            raise ValueError(
                "Invalid `tensors` for `from_tensors`: received None; expected a tensor or a "
                "(nested) tuple/dict of tensors."
            )
        self._element = _map_structure(_snapshot, _normalize(tensors, "tensors"))

    def _stream(self) -> _Stream:
        return _Stream(None, None, lambda: iter([[self._element]]))

    def _compute_cardinality(self) -> int:
        return 1

    def _compute_spec(self, infer: bool) -> Any:
        return _map_structure(_spec_of, self._element)


class _RangeDataset(Dataset):
    def __init__(self, args: tuple, output_type: Any):
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Invalid `args`. The length of `args` should be between 1 and 3 but was {len(args)}.")
        names = {1: ("stop",), 2: ("start", "stop"), 3: ("start", "stop", "step")}[len(args)]
        values = {name: _int_arg(arg, name) for name, arg in zip(names, args)}
        step = values.get("step", 1)
        if step == 0:
            raise errors.InvalidArgumentError(None, None, "step must be a non-zero integer; received step=0.")
        self._range = range(values.get("start", 0), values["stop"], step)
        self._dtype = _dtypes.as_dtype(output_type)
        if not (self._dtype.is_integer or self._dtype.is_floating):
            raise TypeError(f"`output_type` of `range` must be an integer or float dtype; received {output_type!r}.")

    def _stream(self) -> _Stream:
        r, np_dtype = self._range, self._dtype._np

        def chunks() -> Iterator[list]:
            for i in range(0, len(r), _INDEX_CHUNK):
                part = r[i : i + _INDEX_CHUNK]
                yield list(np.arange(part.start, part.stop, part.step, dtype=np.int64).astype(np_dtype))

        return _Stream(None, None, chunks)

    def _compute_cardinality(self) -> int:
        return len(self._range)

    def _compute_spec(self, infer: bool) -> Any:
        return TensorSpec(TensorShape(()), self._dtype)


class _ZipDataset(Dataset):
    def __init__(self, datasets: Any):
        flat = _flatten(datasets)
        for ds in flat:
            if not isinstance(ds, Dataset):
                raise TypeError(
                    "Invalid input to `zip`. Inputs are expected to be (nested) structures of `tf.data.Dataset` "
                    f"objects but encountered object of type {type(ds)}: {ds!r}."
                )
        self._structure = datasets
        self._datasets = flat

    def _inputs(self) -> list[Dataset]:
        return list(self._datasets)

    def _stream(self) -> _Stream:
        def chunks() -> Iterator[list]:
            iterators = [_elements(ds._stream()) for ds in self._datasets]
            while True:
                values = []
                for it in iterators:
                    try:
                        values.append(next(it))
                    except StopIteration:
                        return
                yield [_pack(self._structure, iter(values))]

        return _Stream(None, None, chunks)

    def _compute_cardinality(self) -> int:
        cards = [ds._cardinality() for ds in self._datasets]
        if UNKNOWN_CARDINALITY in cards:
            return UNKNOWN_CARDINALITY
        finite = [c for c in cards if c >= 0]
        return min(finite) if finite else INFINITE_CARDINALITY

    def _compute_spec(self, infer: bool) -> Any:
        specs = [ds._get_spec(infer) for ds in self._datasets]
        if any(s is None for s in specs):
            return None
        return _pack(self._structure, iter(specs))


# -- transformations --------------------------------------------------------------------


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


def _experimental_cardinality(dataset: Dataset) -> Tensor:
    """`tf.data.experimental.cardinality(dataset)`: same as `dataset.cardinality()`."""
    return dataset.cardinality()


experimental = types.SimpleNamespace(
    AUTOTUNE=AUTOTUNE,
    INFINITE_CARDINALITY=INFINITE_CARDINALITY,
    UNKNOWN_CARDINALITY=UNKNOWN_CARDINALITY,
    cardinality=_experimental_cardinality,
)
"""`tf.data.experimental`: the constants and `cardinality` kept there by TF."""
