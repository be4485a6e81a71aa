"""The `Dataset` base class (its public API), its iterators and the `tf.data` constants.

Concrete datasets live in `sources` (`from_tensor_slices`, `from_tensors`, `range`, `zip`)
and `transformations` (`batch`, `map`, `shuffle`, ...); they subclass `Dataset`, so the
methods here that build them import them when called.
"""

from __future__ import annotations

import types
from typing import Any, Callable, Iterator

import jax.numpy as jnp
import numpy as np

from jaxport import errors
from jaxport.data.conversions import _check_callable, _leaf_to_numpy, _normalize_output, _to_tensors
from jaxport.data.streams import _elements, _Stream
from jaxport.data.structure import _map_structure
from jaxport.eager import Tensor

AUTOTUNE = -1
"""`tf.data.AUTOTUNE`: let the runtime pick a buffer size (prefetch is a no-op here)."""
INFINITE_CARDINALITY = -1
"""`tf.data.INFINITE_CARDINALITY`: what `cardinality()` returns for an endless dataset."""
UNKNOWN_CARDINALITY = -2
"""`tf.data.UNKNOWN_CARDINALITY`: what `cardinality()` returns when the size is unknown."""


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
        from jaxport.data.sources import _TensorSliceDataset

        return _TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors: Any, name: str | None = None) -> Dataset:
        """A dataset with the single element `tensors` (an array, Tensor, list or tuple/dict of them)."""
        from jaxport.data.sources import _TensorDataset

        return _TensorDataset(tensors)

    @staticmethod
    def range(*args: Any, output_type: Any = "int64", name: str | None = None) -> Dataset:
        """`Dataset.range(stop)`, `range(start, stop)`, `range(start, stop, step)`: int64 scalars like `range`.

        Raises:
          ValueError: not 1 to 3 positional arguments.
          TypeError: an argument is not an integer.
          InvalidArgumentError: `step` is 0.
        """
        from jaxport.data.sources import _RangeDataset

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
        from jaxport.data.sources import _ZipDataset

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
        from jaxport.data.transformations import _BatchDataset

        return _BatchDataset(self, batch_size, drop_remainder)

    def unbatch(self, name: str | None = None) -> Dataset:
        """Split every element along its first dimension into several elements (inverse of `batch`).

        Raises:
          ValueError: a component is a scalar.
        """
        from jaxport.data.transformations import _UnbatchDataset

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
        from jaxport.data.transformations import _ShuffleDataset

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
        from jaxport.data.transformations import _MapDataset

        return _MapDataset(self, map_func)

    def filter(self, predicate: Callable, name: str | None = None) -> Dataset:
        """Keep the elements for which `predicate` (called like a `map` function) returns a scalar True.

        Raises:
          ValueError: `predicate` is not callable, or (when iterating) does not return a scalar bool.
        """
        from jaxport.data.transformations import _FilterDataset

        return _FilterDataset(self, predicate)

    def repeat(self, count: Any = None, name: str | None = None) -> Dataset:
        """Repeat the dataset `count` times (None or negative: forever); every repetition iterates afresh.

        Raises:
          TypeError: `count` is not an integer or None.
        """
        from jaxport.data.transformations import _RepeatDataset

        return _RepeatDataset(self, count)

    def take(self, count: Any, name: str | None = None) -> Dataset:
        """The first `count` elements (all of them when `count` is -1).

        Raises:
          TypeError: `count` is not an integer.
        """
        from jaxport.data.transformations import _TakeDataset

        return _TakeDataset(self, count)

    def skip(self, count: Any, name: str | None = None) -> Dataset:
        """All but the first `count` elements (none when `count` is -1).

        Raises:
          TypeError: `count` is not an integer.
        """
        from jaxport.data.transformations import _SkipDataset

        return _SkipDataset(self, count)

    def prefetch(self, buffer_size: Any, name: str | None = None) -> Dataset:
        """Accepted for TF compatibility; elements are produced on demand (`AUTOTUNE` is -1).

        Raises:
          TypeError: `buffer_size` is not an integer.
          InvalidArgumentError: `buffer_size` is below -1.
        """
        from jaxport.data.transformations import _PrefetchDataset

        return _PrefetchDataset(self, buffer_size)

    def cache(self, filename: str = "", name: str | None = None) -> Dataset:
        """Remember the elements of the first complete iteration and replay them afterwards (in memory).

        Raises:
          NotImplementedError: a `filename` was given (file caches are not supported).
        """
        from jaxport.data.transformations import _CacheDataset

        return _CacheDataset(self, filename)

    def enumerate(self, start: Any = 0, name: str | None = None) -> Dataset:
        """Pair each element with its int64 position: `(start + i, element)`."""
        from jaxport.data.transformations import _EnumerateDataset

        return _EnumerateDataset(self, start)

    def concatenate(self, dataset: Dataset, name: str | None = None) -> Dataset:
        """The elements of this dataset followed by those of `dataset` (same structure and dtypes).

        Raises:
          TypeError: `dataset` is not a Dataset or its elements are incompatible.
        """
        from jaxport.data.transformations import _ConcatenateDataset

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
