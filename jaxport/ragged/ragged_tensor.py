"""`tf.RaggedTensor`: rows of different lengths, as flat `values` plus int64 `row_splits`.

A RaggedTensor is a pytree (children: values, row_splits) made of ordinary Tensors, so the
numbers in it live in JAX and ops on its values are recorded by tapes. Its row partition
is checked and read on the host (eagerly), as TF's eager validation does. TF ops given a
RaggedTensor (`tf.math` elementwise ops, reductions, `tf.concat`, `tf.cast`) run through
`jaxport/ragged/ragged_ops.py`.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.composite_tensor import CompositeTensor, host_constant
from jaxport.eager import Tensor, TensorOperators, TensorShape, convert_to_tensor
from jaxport.strings.host import is_string_array


def _host(t: Tensor) -> np.ndarray:
    value = t._value if isinstance(t, Tensor) else t.read_value()._value
    if isinstance(value, jax.core.Tracer):
        raise errors.InvalidArgumentError(
            None, None, "jaxport reads a RaggedTensor's row partition on the host; it cannot be a traced value."
        )
    return value if is_string_array(value) else np.asarray(value)


def _partition(value: Any, name: str) -> Tensor:
    """A row-partition argument as a rank-1 int64 Tensor."""
    t = value if isinstance(value, Tensor) else host_constant(np.asarray(value, dtype=np.int64))
    if t.dtype.name not in ("int32", "int64"):
        raise ValueError(f"{name} must have dtype int32 or int64; got {t.dtype.name}")
    if t.shape.rank != 1:
        raise ValueError(f"Shape {t.shape} must have rank 1 ({name})")
    return t if t.dtype.name == "int64" else host_constant(_host(t), np.int64)


def _values_tensor(values: Any) -> Any:
    if isinstance(values, (RaggedTensor, Tensor)):
        return values
    return convert_to_tensor(values)


def _nvals(values: Any) -> int:
    return int(values.nrows().numpy()) if isinstance(values, RaggedTensor) else int(values.shape[0])


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


def _not_equal_message(where: str, kind: str, x: Any, y: Any) -> str:
    return (
        f"Arguments to {where} do not form a valid {kind}\nCondition x == y did not hold.\n"
        f"First 1 elements of x:\n[{x}]\nFirst 1 elements of y:\n[{y}]"
    )


def _negative_message(where: str, kind: str, x: np.ndarray) -> str:
    items = ", ".join(f"'{v}'" for v in x.tolist())
    return (
        f"Arguments to {where} do not form a valid {kind}\nCondition x >= 0 did not hold element-wise:\n"
        f"x (shape={tuple(x.shape)} dtype=int64) = \n[{items}]"
    )


class RaggedTensor(CompositeTensor, TensorOperators):
    """`tf.RaggedTensor`: `values` grouped into rows by `row_splits` (row i is values[splits[i]:splits[i+1]])."""

    __slots__ = ("_values", "_row_splits", "__weakref__")

    def __init__(self, values: Any, row_splits: Any, internal: bool = False):
        if not internal:
            raise ValueError(
                "RaggedTensor constructor is private; please use one of the factory methods instead "
                "(e.g., RaggedTensor.from_row_lengths())"
            )
        self._values = values
        self._row_splits = row_splits

    @classmethod
    def _from_parts(cls, values: Any, row_splits: Tensor) -> RaggedTensor:
        return cls(values, row_splits, internal=True)

    # -- factories ------------------------------------------------------------------------
    @classmethod
    def from_row_splits(
        cls, values: Any, row_splits: Any, name: str | None = None, validate: bool = True
    ) -> RaggedTensor:
        """Rows `values[row_splits[i]:row_splits[i+1]]`.

        Raises:
          InvalidArgumentError: `row_splits` not starting at 0, decreasing, or not ending at len(values).
        """
        values = _values_tensor(values)
        splits = _partition(row_splits, "row_splits")
        if validate:
            host = _host(splits)
            if host.size == 0 or host[0] != 0:
                raise _invalid(
                    "Arguments to from_row_splits do not form a valid RaggedTensor:zero\n"
                    "Condition x == y did not hold.\n"
                    f"First 1 elements of x:\n[{host[0] if host.size else ''}]\nFirst 1 elements of y:\n[0]"
                )
            steps = np.diff(host)
            if (steps < 0).any():
                raise _invalid(_negative_message("from_row_splits", "RaggedTensor:monotonic.", steps))
            if host[-1] != _nvals(values):
                raise _invalid(_not_equal_message("_from_row_partition", "RaggedTensor", host[-1], _nvals(values)))
        return cls._from_parts(values, splits)

    @classmethod
    def from_row_lengths(
        cls, values: Any, row_lengths: Any, name: str | None = None, validate: bool = True
    ) -> RaggedTensor:
        """Rows of the given lengths, taken from `values` in order.

        Raises:
          InvalidArgumentError: a negative length, or lengths not summing to len(values).
        """
        values = _values_tensor(values)
        lengths = _host(_partition(row_lengths, "row_lengths"))
        if validate:
            if (lengths < 0).any():
                raise _invalid(_negative_message("from_row_lengths", "RowPartition.", lengths))
            if lengths.sum() != _nvals(values):
                raise _invalid(_not_equal_message("_from_row_partition", "RaggedTensor", lengths.sum(), _nvals(values)))
        splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        return cls._from_parts(values, host_constant(splits))

    @classmethod
    def from_value_rowids(
        cls, values: Any, value_rowids: Any, nrows: Any = None, name: str | None = None, validate: bool = True
    ) -> RaggedTensor:
        """Row `i` holds the values whose `value_rowids` entry is `i` (ids sorted); `nrows` rows.

        Raises:
          InvalidArgumentError: unsorted or negative ids, ids >= nrows, or one id per value not given.
        """
        values = _values_tensor(values)
        rowids = _host(_partition(value_rowids, "value_rowids"))
        count = int(np.asarray(nrows.numpy() if isinstance(nrows, Tensor) else nrows)) if nrows is not None else None
        if count is None:
            count = int(rowids[-1]) + 1 if rowids.size else 0
        if validate:
            steps = np.diff(rowids)
            if (steps < 0).any():
                raise _invalid(_negative_message("from_value_rowids", "RowPartition.", steps))
            if rowids.size and (rowids[0] < 0 or rowids[-1] >= count):
                raise _invalid(
                    f"Arguments to from_value_rowids do not form a valid RowPartition.\nvalue_rowids must be in "
                    f"[0, nrows={count}); got {rowids.tolist()}"
                )
            if rowids.size != _nvals(values):
                raise _invalid(_not_equal_message("_from_row_partition", "RaggedTensor", rowids.size, _nvals(values)))
        splits = np.searchsorted(rowids, np.arange(count + 1), side="left").astype(np.int64)
        return cls._from_parts(values, host_constant(splits))

    @classmethod
    def from_nested_row_splits(
        cls, flat_values: Any, nested_row_splits: Any, name: str | None = None, validate: bool = True
    ) -> RaggedTensor:
        """A RaggedTensor with one ragged dimension per entry of `nested_row_splits` (outermost first)."""
        if isinstance(nested_row_splits, Tensor):
            raise TypeError("nested_row_splits must be a list of Tensors")
        result = _values_tensor(flat_values)
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result

    @classmethod
    def from_nested_row_lengths(
        cls, flat_values: Any, nested_row_lengths: Any, name: str | None = None, validate: bool = True
    ) -> RaggedTensor:
        """A RaggedTensor with one ragged dimension per entry of `nested_row_lengths` (outermost first)."""
        result = _values_tensor(flat_values)
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths, validate=validate)
        return result

    @classmethod
    def from_tensor(
        cls, tensor: Any, lengths: Any = None, padding: Any = None, ragged_rank: int = 1, name: str | None = None
    ) -> RaggedTensor:
        """Rows of a dense `tensor`: whole rows, the first `lengths[i]` items, or without trailing `padding`."""
        t = convert_to_tensor(tensor)
        if ragged_rank != 1 or t.shape.rank < 2:
            raise ValueError(
                f"jaxport's RaggedTensor.from_tensor takes a rank >= 2 tensor with ragged_rank=1; got {t.shape}"
            )
        nrows, ncols = int(t.shape[0]), int(t.shape[1])
        if lengths is not None:
            row_lengths = np.minimum(
                np.asarray(lengths.numpy() if isinstance(lengths, Tensor) else lengths, np.int64), ncols
            )
        elif padding is not None:
            host = _host(t)
            pad = _host(convert_to_tensor(padding, dtype=t.dtype))
            is_pad = host == pad
            is_pad = is_pad.reshape(nrows, ncols, -1).all(axis=2)
            keep = ~is_pad[:, ::-1]
            row_lengths = np.where(keep.any(axis=1), ncols - keep.argmax(axis=1), 0).astype(np.int64)
        else:
            row_lengths = np.full((nrows,), ncols, np.int64)
        mask = np.arange(ncols)[None, :] < row_lengths[:, None]
        from jaxport.ops.array_ops import boolean_mask

        return cls.from_row_lengths(boolean_mask(t, host_constant(mask)), row_lengths, validate=False)

    # -- structure ------------------------------------------------------------------------
    @property
    def values(self) -> Any:
        """The concatenated rows (a Tensor, or a RaggedTensor when ragged_rank > 1)."""
        return self._values

    @property
    def row_splits(self) -> Tensor:
        """The int64 offsets of the rows in `values` (length nrows + 1)."""
        return self._row_splits

    @property
    def flat_values(self) -> Tensor:
        """The innermost values (a Tensor)."""
        values = self._values
        while isinstance(values, RaggedTensor):
            values = values._values
        return values

    @property
    def nested_row_splits(self) -> tuple[Tensor, ...]:
        """The row splits of every ragged dimension, outermost first."""
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt._row_splits)
            rt = rt._values
        return tuple(out)

    @property
    def ragged_rank(self) -> int:
        """The number of ragged dimensions."""
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    @property
    def dtype(self) -> _dtypes.DType:
        """The element type of the values."""
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self) -> _dtypes.DType:
        """The dtype of the row splits (int64)."""
        return self._row_splits.dtype

    @property
    def shape(self) -> TensorShape:
        """(nrows, None for each ragged dimension, the values' inner dims)."""
        nrows = int(self._row_splits.shape[0]) - 1
        return TensorShape([nrows] + [None] * self.ragged_rank + list(self.flat_values.shape)[1:])

    def get_shape(self) -> TensorShape:
        """The static shape (`shape`)."""
        return self.shape

    @property
    def ndim(self) -> int:
        """The rank."""
        return self.shape.rank

    def _splits_host(self) -> np.ndarray:
        return _host(self._row_splits)

    def row_lengths(self, axis: int = 1, name: str | None = None) -> Any:
        """The int64 length of each row (`axis` > 1: of the rows of `values`, as a RaggedTensor)."""
        if axis == 1:
            return host_constant(np.diff(self._splits_host()))
        if axis > 1 and isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.row_lengths(axis - 1))
        raise ValueError(
            f"axis={axis} is out of bounds for row_lengths of a RaggedTensor of ragged_rank {self.ragged_rank}"
        )

    def nrows(self, out_type: Any = None, name: str | None = None) -> Tensor:
        """The number of rows, an int64 scalar."""
        dtype = np.int64 if out_type is None else _dtypes.as_dtype(out_type)._np
        return host_constant(int(self._row_splits.shape[0]) - 1, dtype)

    def row_starts(self, name: str | None = None) -> Tensor:
        """The offset in `values` where each row starts."""
        return host_constant(self._splits_host()[:-1])

    def row_limits(self, name: str | None = None) -> Tensor:
        """The offset in `values` where each row ends."""
        return host_constant(self._splits_host()[1:])

    def _rowids_host(self) -> np.ndarray:
        splits = self._splits_host()
        return np.repeat(np.arange(len(splits) - 1, dtype=np.int64), np.diff(splits))

    def value_rowids(self, name: str | None = None) -> Tensor:
        """The row index of each value (int64)."""
        return host_constant(self._rowids_host())

    def bounding_shape(self, axis: Any = None, name: str | None = None, out_type: Any = None) -> Tensor:
        """The smallest dense shape holding every row: [nrows, longest row per ragged dim, inner dims...]."""
        dims = [int(self._row_splits.shape[0]) - 1]
        rt: Any = self
        while isinstance(rt, RaggedTensor):
            lengths = np.diff(rt._splits_host())
            dims.append(int(lengths.max()) if lengths.size else 0)
            rt = rt._values
        dims += [int(d) for d in rt.shape[1:]]
        out = np.asarray(dims, np.int64 if out_type is None else _dtypes.as_dtype(out_type)._np)
        return host_constant(out if axis is None else out[axis])

    def with_values(self, new_values: Any) -> RaggedTensor:
        """This row partition over `new_values`."""
        return RaggedTensor._from_parts(new_values, self._row_splits)

    def with_flat_values(self, new_values: Any) -> RaggedTensor:
        """This (nested) row partition over new flat values."""
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    # -- conversion -----------------------------------------------------------------------
    def to_list(self) -> list:
        """The rows as nested Python lists (bytes for strings)."""
        values = self._values.to_list() if isinstance(self._values, RaggedTensor) else _host(self._values).tolist()
        splits = self._splits_host()
        return [values[splits[i] : splits[i + 1]] for i in range(len(splits) - 1)]

    def numpy(self) -> np.ndarray:
        """A numpy object array with one array per row (as TF's eager RaggedTensor)."""
        values = self._values.numpy() if isinstance(self._values, RaggedTensor) else _host(self._values)
        splits = self._splits_host()
        out = np.empty((len(splits) - 1,), dtype=object)
        for i in range(len(splits) - 1):
            out[i] = values[splits[i] : splits[i + 1]]
        return out

    def to_tensor(self, default_value: Any = None, name: str | None = None, shape: Any = None) -> Tensor:
        """A dense Tensor: rows padded with `default_value` (0 or b''), or cut/padded to `shape`.

        Raises:
          InvalidArgumentError: `shape` of another rank than the RaggedTensor.
        """
        from jaxport.ragged.ragged_ops import to_tensor

        return to_tensor(self, default_value, shape)

    # -- indexing and printing --------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        from jaxport.ragged.ragged_ops import getitem

        return getitem(self, key)

    def __iter__(self):
        """The rows, eagerly (as TF's eager RaggedTensor)."""
        return (self[i] for i in range(int(self._row_splits.shape[0]) - 1))

    def __repr__(self) -> str:
        # TF's eager text: numpy's array2string of the rows, items separated by ", ", every
        # element (a row, a number, bytes) written the same way recursively
        with np.printoptions(formatter={"all": _element_text}):
            return f"<tf.RaggedTensor {_element_text(self.numpy())}>"

    __str__ = __repr__

    def __bool__(self) -> bool:
        raise TypeError("RaggedTensor may not be used as a boolean.")

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def _tf_dispatch(cls, api: Callable, args: tuple, kwargs: dict) -> Any:
        from jaxport.ragged.ragged_ops import dispatch_ragged

        return dispatch_ragged(api, args, kwargs)


def _element_text(item: Any) -> str:
    if isinstance(item, np.ndarray):
        return np.array2string(item, separator=", ") if item.size else repr(item.tolist())
    return str(item)


def _flatten(rt: RaggedTensor) -> tuple[tuple, Any]:
    """Children: the values; static: the row splits when known (so a RaggedTensor passes into
    `tf.function` with its partition on the host: one trace per partition), else a child too."""
    splits = rt._row_splits._value
    if isinstance(splits, jax.core.Tracer) or not isinstance(splits, (np.ndarray, jax.Array)):
        return (rt._values, rt._row_splits), None
    host = np.asarray(splits)
    return (rt._values,), (host.dtype.name, tuple(host.tolist()))


def _unflatten(static: Any, children: tuple) -> RaggedTensor:
    if static is None:
        return RaggedTensor._from_parts(*children)
    dtype, splits = static
    return RaggedTensor._from_parts(children[0], host_constant(np.asarray(splits, dtype)))


jax.tree_util.register_pytree_node(RaggedTensor, _flatten, _unflatten)
