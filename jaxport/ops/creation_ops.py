"""Tensor creation: `tf.zeros`, `tf.ones`, `tf.fill`, `*_like`, `tf.range`, `tf.linspace`,
`tf.eye`, `tf.one_hot`."""

from __future__ import annotations

import builtins
from typing import Any

import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.eager import Tensor, convert_to_tensor, dispatch, to_raw
from jaxport.grad import is_watched
from jaxport.ops._gradients import not_differentiable
from jaxport.ops._helpers import (
    as_input,
    concrete,
    dims_text,
    int_list,
    op_error,
    pure_op,
    python_value,
    raw_value,
    shape_of,
    shape_tuple,
    tf_type_name,
)
from jaxport.variables import Variable

__all__ = ["zeros", "ones", "fill", "zeros_like", "ones_like", "range", "linspace", "eye", "one_hot"]


def zeros(shape: Any, dtype: Any = "float32", name: str | None = None) -> Tensor:
    """`tf.zeros`: a Tensor of zeros (float32 by default)."""
    return Tensor(jnp.zeros(shape_tuple(shape), _dtypes.as_dtype(dtype)._np))


def ones(shape: Any, dtype: Any = "float32", name: str | None = None) -> Tensor:
    """`tf.ones`: a Tensor of ones (float32 by default)."""
    return Tensor(jnp.ones(shape_tuple(shape), _dtypes.as_dtype(dtype)._np))


@pure_op("Fill")
def _fill_pure(value, dims):
    return jnp.broadcast_to(value, dims)


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """`tf.fill`: a Tensor of shape `dims` filled with the scalar `value` (its dtype);
    the gradient with respect to `value` is the sum of the output's gradient, as TF's."""
    v = as_input(value)
    if v.ndim != 0:
        if int(np.prod(v.shape.as_list())) != 1:
            raise op_error(f"value must represent a scalar, got shape {dims_text(v.shape)}", "Fill")
        v = dispatch(_scalar_pure, v)
    return dispatch(_fill_pure, v, dims=shape_tuple(dims, "dims"))


@pure_op("Reshape")
def _scalar_pure(value):
    return jnp.reshape(value, ())


@not_differentiable
@pure_op("ZerosLike")
def _zeros_like_pure(a, dtype):
    return jnp.zeros(a.shape, dtype)


@not_differentiable
@pure_op("OnesLike")
def _ones_like_pure(a, dtype):
    return jnp.ones(a.shape, dtype)


def zeros_like(input: Any, dtype: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.zeros_like`: zeros of `input`'s shape and dtype (or `dtype`); a tape watching
    `input` records it with no gradient (TF's ZerosLike is NotDifferentiable)."""
    t = as_input(input)
    target = _dtypes.as_dtype(dtype or t.dtype)
    if is_watched(t):
        return dispatch(_zeros_like_pure, t, dtype=target._np.name)
    return zeros(shape_of(t), target)


def ones_like(input: Any, dtype: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.ones_like`: ones of `input`'s shape and dtype (or `dtype`); recorded with no
    gradient by a tape watching `input`, as TF's OnesLike."""
    t = as_input(input)
    target = _dtypes.as_dtype(dtype or t.dtype)
    if is_watched(t):
        return dispatch(_ones_like_pure, t, dtype=target._np.name)
    return ones(shape_of(t), target)


# -- sequences -----------------------------------------------------------------------------

_RANGE_HIERARCHY = ("int32", "int64", "float16", "bfloat16", "float32", "float64")


def range(  # noqa: A001 - TF's name
    start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None, name: str = "range"
) -> Tensor:
    """`tf.range`: `start, start + delta, ...` up to (not including) `limit`.

    `tf.range(n)` counts from 0. Without `dtype` the result takes the widest of the inputs'
    types (Python ints int32, Python floats float32); values are `start + i * delta`, as TF's
    kernel computes them. Not differentiable (TF's Range has no gradient).

    Raises:
      InvalidArgumentError: `delta` is 0, or it points away from `limit`.
      TypeError: a value that does not fit `dtype` (`tf.range(0.5, dtype=tf.int32)`).
    """
    if limit is None:
        start, limit = 0, start
    target = None if dtype is None else _dtypes.as_dtype(dtype)
    args = [as_input(a) if target is None else _range_arg(a, target) for a in (start, limit, delta)]
    if target is None:
        for a in args:
            if a.dtype.name not in _RANGE_HIERARCHY:
                raise TypeError(f"tf.range does not support inputs of dtype {a.dtype.name}.")
        target = max((a.dtype for a in args), key=lambda d: _RANGE_HIERARCHY.index(d.name))
    values = []
    for a in args:
        v = concrete(a)
        if v is None:
            raise TypeError("tf.range needs `start`, `limit` and `delta` known when it runs (a static size).")
        values.append(np.asarray(v).astype(target._np))
    lo, hi, step = values
    if step == 0:
        raise op_error(f"Requires delta != 0: {step}", "Range")
    if step > 0 and lo > hi:
        raise op_error(f"Requires start <= limit when delta > 0: {lo}/{hi}", "Range")
    if step < 0 and lo < hi:
        raise op_error(f"Requires start >= limit when delta < 0: {lo}/{hi}", "Range")
    if target.is_integer:
        size = (abs(int(hi) - int(lo)) + abs(int(step)) - 1) // abs(int(step))
    else:
        size = int(np.ceil(np.abs((hi - lo) / step)))
    out = lo + np.arange(size).astype(target._np) * step
    if any(is_watched(a) for a in args):  # TF's tape records Range (not differentiable)
        return dispatch(_range_pure, *args, jnp.asarray(out.astype(target._np)))
    return python_value(out.astype(target._np))  # a known value, also while a function traces


@not_differentiable
@pure_op("Range")
def _range_pure(start, limit, delta, values):
    return values


def _range_arg(value: Any, dtype: Any) -> Any:
    """A Python value converted to `dtype` (TypeError if it does not fit); tensors are cast later."""
    return value if isinstance(value, (Tensor, Variable)) else as_input(value, dtype)


@pure_op("LinSpace")
def _linspace_pure(start, stop, num, axis):
    start, stop = jnp.broadcast_arrays(start, stop)
    start = jnp.expand_dims(start, axis)
    stop = jnp.expand_dims(stop, axis)
    delta = (stop - start) / jnp.asarray(max(num - 1, 1), start.dtype)
    shape = [1] * start.ndim
    shape[axis] = max(num - 2, 0)
    middle = start + jnp.arange(1, max(num - 1, 1), dtype=start.dtype).reshape(shape) * delta
    out = jnp.concatenate([start, middle, stop], axis=axis)
    index = [slice(None)] * out.ndim
    index[axis] = slice(0, num)
    return out[tuple(index)]


def linspace(start: Any, stop: Any, num: Any, name: str | None = None, axis: int = 0) -> Tensor:
    """`tf.linspace`: `num` evenly spaced values from `start` to `stop` (both included).

    Integer inputs give float64, as TF's; `start`/`stop` may be tensors (broadcast together;
    the new axis is `axis`); the values are `start + i * (stop - start) / (num - 1)` with
    `stop` exact, as TF computes them. Differentiable with respect to `start` and `stop`.
    """
    a = as_input(start)
    b = as_input(stop) if isinstance(stop, (Tensor, Variable)) else Tensor(to_raw(stop, a.dtype))
    if a.dtype != b.dtype:
        raise op_error(
            f"cannot compute LinSpace as input #1(zero-based) was expected to be a {a.dtype.name} tensor "
            f"but is a {b.dtype.name} tensor",
            "LinSpace",
        )
    if not a.dtype.is_floating:
        a = Tensor(raw_value(a).astype(np.float64))
        b = Tensor(raw_value(b).astype(np.float64))
    n = int_list(num, "num")[0]
    if n < 0:
        raise op_error(f"Requires start <= limit when delta > 0: 1/{n}", "Range")
    try:
        rank = len(np.broadcast_shapes(tuple(a.shape), tuple(b.shape))) + 1
    except ValueError:
        raise op_error(f"Incompatible shapes: {list(a.shape)} vs. {list(b.shape)}", "LinSpace") from None
    ax = int(axis)
    if not -rank <= ax < rank:
        raise op_error(f"Expected axis in the range [{-rank}, {rank}), but got {ax}", "LinSpace")
    return dispatch(_linspace_pure, a, b, num=n, axis=ax % rank)


def eye(
    num_rows: int, num_columns: int | None = None, batch_shape: Any = None, dtype: Any = "float32", name: Any = None
) -> Tensor:
    """`tf.eye`: an identity matrix (`num_rows` x `num_columns`), optionally batched."""
    rows = int_list(num_rows, "num_rows")[0]
    cols = rows if num_columns is None else int_list(num_columns, "num_columns")[0]
    for d in (rows, cols):
        if d < 0:
            raise op_error(f"Dimension {d} must be >= 0", "Fill")
    batch = () if batch_shape is None else shape_tuple(batch_shape, "batch_shape")
    out = jnp.eye(rows, cols, dtype=_dtypes.as_dtype(dtype)._np)
    return Tensor(jnp.broadcast_to(out, batch + (rows, cols)))


# -- one_hot -------------------------------------------------------------------------------


@not_differentiable
@pure_op("OneHot")
def _one_hot_pure(indices, on, off, depth, axis):
    hot = jnp.expand_dims(indices, axis) == jnp.arange(depth, dtype=indices.dtype).reshape(
        [depth if i == axis else 1 for i in builtins.range(indices.ndim + 1)]
    )
    return jnp.where(hot, on, off)


def one_hot(
    indices: Any,
    depth: int,
    on_value: Any = None,
    off_value: Any = None,
    axis: int | None = None,
    dtype: Any = None,
    name: str | None = None,
) -> Tensor:
    """`tf.one_hot`: `on_value` where the new axis' position equals the index, else `off_value`.

    Indices outside `[0, depth)` give a row of `off_value`. The dtype is `dtype`, else that of
    `on_value`/`off_value`, else float32. Not differentiable (TF's OneHot has no gradient).

    Raises:
      TypeError: `on_value` and `off_value` of different dtypes.
      InvalidArgumentError: float indices, a negative depth or an axis out of range.
    """
    target = None if dtype is None else _dtypes.as_dtype(dtype)
    on = None if on_value is None else convert_to_tensor(on_value, dtype=target)
    off = None if off_value is None else convert_to_tensor(off_value, dtype=target)
    if on is not None and off is not None and on.dtype != off.dtype:
        raise TypeError(f"dtype {on.dtype} of on_value does not match dtype {off.dtype} of off_value")
    if target is None:
        target = on.dtype if on is not None else off.dtype if off is not None else _dtypes.float32
    if target.is_bool and (on is None or off is None):
        raise TypeError(f"Cannot convert {1 if on is None else 0} to EagerTensor of dtype bool")
    on = on if on is not None else Tensor(jnp.asarray(1, target._np))
    off = off if off is not None else Tensor(jnp.asarray(0, target._np))
    idx = as_input(indices)
    if idx.dtype.name not in ("uint8", "int8", "int32", "int64"):
        raise op_error(
            f"Value for attr 'TI' of {tf_type_name(idx.dtype)} is not in the list of allowed values: "
            "uint8, int8, int32, int64",
            "OneHot",
        )
    n = int_list(depth, "depth")[0]
    if n < 0:
        raise op_error(f"depth must be non-negative, got: {n}", "OneHot")
    ax = -1 if axis is None else int(axis)
    if ax != -1 and not 0 <= ax <= idx.ndim:
        raise op_error(f"Expected axis to be -1 or between [0, {idx.ndim + 1}).  But received: {ax}", "OneHot")
    ax = idx.ndim if ax == -1 else ax
    return dispatch(_one_hot_pure, idx, on, off, depth=n, axis=ax)
