"""The source datasets: `from_tensor_slices`, `from_tensors`, `range` and `zip`."""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.data.conversions import _int_arg, _normalize, _snapshot, _spec_of
from jaxport.data.dataset import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset
from jaxport.data.streams import _INDEX_CHUNK, _elements, _Stream
from jaxport.data.structure import TensorSpec, _flatten, _map_structure, _pack
from jaxport.eager import TensorShape


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
