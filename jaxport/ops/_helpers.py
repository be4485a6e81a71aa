"""Argument handling shared by the op wrappers: TF's conversion and dtype rules."""

from __future__ import annotations

from typing import Any

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.eager import Tensor, convert_to_tensor, to_raw
from jaxport.variables import Variable


def as_input(x: Any, dtype: Any = None) -> Tensor | Variable:
    """A Tensor or Variable for an op input (Tensors/Variables keep their identity for tapes)."""
    if isinstance(x, (Tensor, Variable)):
        if dtype is not None and x.dtype != _dtypes.as_dtype(dtype):
            raise errors.InvalidArgumentError(
                None, None, f"Expected a {_dtypes.as_dtype(dtype).name} tensor, got {x.dtype.name}."
            )
        return x
    return convert_to_tensor(x, dtype=dtype)


def binary_inputs(x: Any, y: Any, op_name: str) -> tuple[Any, Any]:
    """Convert a binary op's inputs as TF does: Python/numpy values take the Tensor's dtype,
    and two Tensors of different dtypes raise InvalidArgumentError."""
    x_is = isinstance(x, (Tensor, Variable))
    y_is = isinstance(y, (Tensor, Variable))
    if x_is and y_is:
        if x.dtype != y.dtype:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"cannot compute {op_name} as input #1(zero-based) was expected to be a "
                f"{x.dtype.name} tensor but is a {y.dtype.name} tensor [Op:{op_name}]",
            )
        return x, y
    if x_is:
        return x, Tensor(to_raw(y, x.dtype))
    if y_is:
        return Tensor(to_raw(x, y.dtype)), y
    x = convert_to_tensor(x)
    return x, Tensor(to_raw(y, x.dtype))


def normalize_axis(axis: Any) -> Any:
    """A hashable static axis (int, tuple of ints or None) from TF's axis argument."""
    if axis is None:
        return None
    if isinstance(axis, (Tensor, Variable)):
        axis = axis.numpy()
    if hasattr(axis, "tolist"):
        axis = axis.tolist()
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return int(axis)


def check_axis(axis: Any, rank: int, op_name: str) -> None:
    """TF's InvalidArgumentError for an axis outside [-rank, rank)."""
    axes = () if axis is None else (axis if isinstance(axis, tuple) else (axis,))
    for a in axes:
        if not -max(rank, 1) <= a < max(rank, 1):
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Invalid reduction dimension ({a} for input with {rank} dimension(s)) [Op:{op_name}]",
            )
