"""Conversions between user values, internal numpy elements and Tensors; argument checks."""

from __future__ import annotations

from typing import Any, Callable

import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.data.structure import TensorSpec, _map_structure
from jaxport.eager import Tensor, TensorShape, to_raw


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
