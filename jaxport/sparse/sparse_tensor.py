"""`tf.sparse.SparseTensor`: int64 `indices` [N, rank], `values` [N] and an int64 `dense_shape`.

A SparseTensor is a pytree whose children are its `indices` and `values` Tensors and whose
static part is the dense shape, so it passes through `tf.function` (one trace per dense
shape, like TF's SparseTensorSpec with a known shape) and `jax.jit`; its ops are in
`jaxport/sparse/sparse_ops.py` (matmul on `jax.experimental.sparse.BCOO`).
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.composite_tensor import CompositeTensor, host_constant
from jaxport.eager import Tensor, TensorShape, convert_to_tensor


def _int64(value: Any, name: str) -> Tensor:
    if isinstance(value, Tensor):
        if value.dtype.name == "int64":
            return value
        if value.dtype.is_integer:
            return Tensor(value._value.astype(np.int64))
        raise TypeError(f"{name} must be an int64 tensor; got {value.dtype.name}")
    return host_constant(np.asarray(value, dtype=np.int64))


def _check_compatible(a: Any, b: Any) -> None:
    if a is not None and b is not None and int(a) != int(b):
        raise ValueError(f"Dimensions {int(a)} and {int(b)} are not compatible")


class SparseTensor(CompositeTensor):
    """`tf.sparse.SparseTensor(indices, values, dense_shape)`: the entries of a mostly-zero tensor.

    Raises:
      ValueError: `indices` not of rank 2, `values` not of rank 1, their lengths or the
        indices' width and the dense rank disagreeing (TF's "Dimensions ... are not compatible").
    """

    __slots__ = ("_indices", "_values", "_dense_shape", "__weakref__")

    def __init__(self, indices: Any, values: Any, dense_shape: Any):
        indices = _int64(indices, "indices")
        values = values if isinstance(values, Tensor) else convert_to_tensor(values)
        if hasattr(values, "read_value") and not isinstance(values, Tensor):
            values = values.read_value()
        shape = tuple(
            int(d)
            for d in np.asarray(
                dense_shape.numpy() if isinstance(dense_shape, Tensor) else dense_shape, np.int64
            ).reshape(-1)
        )
        if indices.shape.rank != 2:
            raise ValueError(f"Shape {indices.shape} must have rank 2")
        if values.shape.rank != 1:
            raise ValueError(f"Shape {values.shape} must have rank 1")
        _check_compatible(indices.shape[0], values.shape[0])
        _check_compatible(indices.shape[1], len(shape))
        self._indices, self._values, self._dense_shape = indices, values, shape

    @classmethod
    def _from_parts(cls, indices: Any, values: Any, dense_shape: tuple[int, ...]) -> SparseTensor:
        out = object.__new__(cls)
        out._indices, out._values, out._dense_shape = indices, values, tuple(dense_shape)
        return out

    @classmethod
    def from_value(cls, sparse_tensor_value: Any) -> SparseTensor:
        """A SparseTensor from a SparseTensor (returned as is)."""
        return sparse_tensor_value

    @property
    def indices(self) -> Tensor:
        """The int64 [N, rank] coordinates of the entries."""
        return self._indices

    @property
    def values(self) -> Tensor:
        """The [N] values of the entries."""
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        """The int64 shape of the dense tensor."""
        return host_constant(np.asarray(self._dense_shape, np.int64))

    @property
    def shape(self) -> TensorShape:
        """The dense shape as a TensorShape."""
        return TensorShape(self._dense_shape)

    def get_shape(self) -> TensorShape:
        """The dense shape (`shape`)."""
        return self.shape

    @property
    def dtype(self) -> _dtypes.DType:
        """The dtype of the values."""
        return self._values.dtype

    @property
    def ndim(self) -> int:
        """The rank of the dense shape."""
        return len(self._dense_shape)

    def with_values(self, new_values: Any) -> SparseTensor:
        """These indices and dense shape with `new_values`."""
        values = new_values if isinstance(new_values, Tensor) else convert_to_tensor(new_values)
        return SparseTensor._from_parts(self._indices, values, self._dense_shape)

    def _cwise(self, other: Any, op_name: str) -> SparseTensor:
        from jaxport.sparse.sparse_ops import sparse_dense_cwise

        return sparse_dense_cwise(self, other, op_name)

    def __mul__(self, other: Any) -> SparseTensor:
        """`sp * dense`: the entries times the (broadcast) dense values at their indices."""
        return self._cwise(other, "mul")

    def __truediv__(self, other: Any) -> SparseTensor:
        """`sp / dense`: the entries divided by the (broadcast) dense values at their indices."""
        return self._cwise(other, "truediv")

    __div__ = __truediv__

    def __repr__(self) -> str:
        return f"SparseTensor(indices={self._indices}, values={self._values}, dense_shape={self.dense_shape})"

    __str__ = __repr__

    @classmethod
    def _tf_dispatch(cls, api: Callable, args: tuple, kwargs: dict) -> Any:
        from jaxport.ops import math_ops

        if api is math_ops.cast:
            sp = args[0]
            return sp.with_values(math_ops.cast(sp.values, *args[1:], **kwargs))
        return NotImplemented


jax.tree_util.register_pytree_node(
    SparseTensor,
    lambda sp: ((sp._indices, sp._values), sp._dense_shape),
    lambda shape, children: SparseTensor._from_parts(children[0], children[1], shape),
)
