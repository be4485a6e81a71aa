"""`tf.DType` and the dtype constants (`tf.float32`, `tf.int32`, ...).

A DType wraps a numpy dtype. TF's defaults hold: Python floats become float32, Python
ints int32, and float64 numpy input stays float64 (jaxport turns on `jax_enable_x64`).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class DType:
    """A TensorFlow element type (`tf.float32`); compares equal to its numpy dtype and name."""

    __slots__ = ("_np",)

    def __init__(self, np_dtype: np.dtype):
        self._np = np.dtype(np_dtype)

    @property
    def name(self) -> str:
        return "string" if self._np.kind in "USO" else self._np.name  # strings: numpy object arrays of bytes

    @property
    def as_numpy_dtype(self) -> type:
        return self._np.type

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def is_floating(self) -> bool:
        return self._np.kind == "f" or self._np.name == "bfloat16"

    @property
    def is_integer(self) -> bool:
        return self._np.kind in "iu"

    @property
    def is_unsigned(self) -> bool:
        return self._np.kind == "u"

    @property
    def is_bool(self) -> bool:
        return self._np.kind == "b"

    @property
    def is_complex(self) -> bool:
        return self._np.kind == "c"

    @property
    def size(self) -> int:
        return self._np.itemsize

    @property
    def min(self):
        return np.finfo(self._np).min if self.is_floating else np.iinfo(self._np).min

    @property
    def max(self):
        return np.finfo(self._np).max if self.is_floating else np.iinfo(self._np).max

    def __eq__(self, other: Any) -> bool:
        if other is None:
            return False
        try:
            return self._np == as_dtype(other)._np
        except TypeError:
            return False

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self._np)

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"


_BY_NP: dict[np.dtype, DType] = {}


def _np_dtype_of(value: Any) -> np.dtype:
    if isinstance(value, DType):
        return value._np
    if isinstance(value, str) and value == "string":
        return np.dtype(object)
    try:
        return np.dtype(value)
    except TypeError:
        pass
    dtype = getattr(value, "dtype", None)
    if dtype is not None:
        return np.dtype(dtype)
    raise TypeError(f"Cannot convert the argument `type_value`: {value!r} to a TensorFlow DType.")


def as_dtype(type_value: Any) -> DType:
    """`tf.as_dtype`: a DType from a DType, numpy dtype, type or name ('float32')."""
    if isinstance(type_value, DType):
        return type_value
    npd = _np_dtype_of(type_value)
    found = _BY_NP.get(npd)
    if found is None:
        found = _BY_NP[npd] = DType(npd)
    return found


float16 = half = as_dtype(np.float16)
float32 = as_dtype(np.float32)
float64 = double = as_dtype(np.float64)
int8 = as_dtype(np.int8)
int16 = as_dtype(np.int16)
int32 = as_dtype(np.int32)
int64 = as_dtype(np.int64)
uint8 = as_dtype(np.uint8)
uint16 = as_dtype(np.uint16)
uint32 = as_dtype(np.uint32)
uint64 = as_dtype(np.uint64)
bool = as_dtype(np.bool_)  # noqa: A001 - TF's public name
complex64 = as_dtype(np.complex64)
complex128 = as_dtype(np.complex128)
string = as_dtype(np.object_)  # host-side bytes (jaxport/strings/host.py): XLA has no string type
try:
    import ml_dtypes

    bfloat16 = as_dtype(ml_dtypes.bfloat16)
except ImportError:  # pragma: no cover - ml_dtypes ships with jax
    pass


def default_for_python(value: Any) -> np.dtype | None:
    """The dtype TF gives a Python scalar or nested list: float32, int32 or bool; None if mixed."""
    kinds = set()

    def visit(v: Any) -> None:
        if isinstance(v, (list, tuple)):
            for item in v:
                visit(item)
        elif isinstance(v, np.generic):
            kinds.add(np.dtype(type(v)).kind)
        elif isinstance(v, builtins_bool):
            kinds.add("b")
        elif isinstance(v, int):
            kinds.add("i")
        elif isinstance(v, float):
            kinds.add("f")
        elif isinstance(v, complex):
            kinds.add("c")
        else:
            kinds.add("?")

    visit(value)
    if "?" in kinds:
        return None
    if "c" in kinds:
        return np.dtype(np.complex128)
    if "f" in kinds:
        return np.dtype(np.float32)
    if "i" in kinds or "u" in kinds:
        return np.dtype(np.int32)
    if "b" in kinds:
        return np.dtype(np.bool_)
    return np.dtype(np.float32)  # empty list: TF gives float32


import builtins as _builtins  # noqa: E402

builtins_bool = _builtins.bool
