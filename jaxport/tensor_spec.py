"""`tf.TensorSpec`: the shape and dtype a Tensor must have (`input_signature`, `element_spec`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.eager import TensorShape


class TensorSpec:
    """`tf.TensorSpec`: a static shape (None dims unknown) and dtype, for `tf.function`'s
    `input_signature` and `tf.data`'s element specs.

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
