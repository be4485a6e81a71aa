"""Scatter: `tf.scatter_nd` and `tf.tensor_scatter_nd_update/add/sub/min/max`, as
`x.at[idx].set/add/min/max` in JAX.

`indices[..., :depth]` addresses slices of the output (shape `shape[depth:]`); `updates`
has shape `indices.shape[:-1] + shape[depth:]`. Duplicate indices add up in `scatter_nd`
and `_add`/`_sub`; for `_update` the last one wins on CPU (TF leaves the order undefined).
Gradients are TF's: an overwritten entry of `tensor` gets none; `_min`/`_max` split the
gradient among the tensor entry and the updates that equal the result.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport.eager import Tensor, dispatch, to_raw
from jaxport.ops._helpers import (
    as_input,
    concrete,
    dims_text,
    no_gradient,
    op_error,
    pure_op,
    shape_of,
    shape_tuple,
    tf_type_name,
)
from jaxport.variables import Variable

__all__ = [
    "scatter_nd",
    "tensor_scatter_nd_update",
    "tensor_scatter_nd_add",
    "tensor_scatter_nd_sub",
    "tensor_scatter_nd_min",
    "tensor_scatter_nd_max",
]


def _where(indices):
    return tuple(jnp.moveaxis(indices, -1, 0))


@pure_op("TensorScatter")
def _scatter_pure(tensor, indices, updates, kind):
    where = _where(indices)
    if kind == "update":
        # TF's gradient: none for the replaced entries of `tensor`; every update (duplicates
        # too) gets the output's gradient at its index.
        value = jax.lax.stop_gradient(tensor).at[where].set(jax.lax.stop_gradient(updates), mode="drop")
        if not jnp.issubdtype(tensor.dtype, jnp.inexact):
            return value
        keep = jnp.ones(tensor.shape, tensor.dtype).at[where].set(0, mode="drop")
        weighted = tensor * keep + jnp.zeros_like(tensor).at[where].add(updates, mode="drop")
        return value + (weighted - jax.lax.stop_gradient(weighted))
    if kind == "add":
        return tensor.at[where].add(updates, mode="drop")
    if kind == "sub":
        return tensor.at[where].add(-updates, mode="drop")
    frozen_in = jax.lax.stop_gradient((tensor, updates))
    value = frozen_in[0].at[where].min(frozen_in[1]) if kind == "min" else frozen_in[0].at[where].max(frozen_in[1])
    if not jnp.issubdtype(tensor.dtype, jnp.inexact):
        return value
    # TF's gradient: d out / d tensor = [tensor == out] / n, d out / d update = [update == out] / n,
    # n counting the tensor entry and the updates equal to the result.
    frozen = jax.lax.stop_gradient(value)
    tensor_hit = (tensor == frozen).astype(tensor.dtype)
    update_hit = (updates == frozen[where]).astype(tensor.dtype)
    count = tensor_hit + jnp.zeros_like(tensor).at[where].add(update_hit)
    share = jax.lax.stop_gradient(1 / jnp.maximum(count, 1))
    weighted = tensor * jax.lax.stop_gradient(tensor_hit * share) + jnp.zeros_like(tensor).at[where].add(
        updates * jax.lax.stop_gradient(update_hit * share[where])
    )
    return frozen + (weighted - jax.lax.stop_gradient(weighted))


def _indices_input(indices: Any, op_name: str, allowed: tuple) -> Any:
    idx = as_input(indices)
    if idx.dtype.name not in allowed:
        raise op_error(
            f"Value for attr 'Tindices' of {tf_type_name(idx.dtype)} is not in the list of allowed values: "
            + ", ".join(allowed),
            op_name,
        )
    return idx


def _check_scatter(idx: Any, updates_shape: tuple, out_shape: tuple, op_name: str) -> None:
    """TF's shape and range checks of a scatter into `out_shape`."""
    idx_shape = shape_of(idx)
    if len(idx_shape) < 1:
        raise op_error(f"Indices shape must have rank at least one. Found:{dims_text(idx_shape)}", op_name)
    depth = idx_shape[-1]
    outer = idx_shape[:-1]
    if depth > len(out_shape):
        raise op_error(
            f"Inner dimensions of output shape must match inner dimensions of updates shape. Output: "
            f"{dims_text(out_shape)} updates: {dims_text(updates_shape)}",
            op_name,
        )
    if tuple(updates_shape[: len(outer)]) != tuple(outer):
        raise op_error(
            f"Dimensions [0,{len(outer)}) of indices[shape={dims_text(idx_shape)}] must match dimensions "
            f"[0,{len(outer)}) of updates[shape={dims_text(updates_shape)}]",
            op_name,
        )
    if tuple(updates_shape[len(outer) :]) != tuple(out_shape[depth:]):
        if op_name == "ScatterNd":
            raise op_error(
                f"Dimensions [{depth},{len(out_shape)}) of input[shape={dims_text(out_shape)}] = "
                f"{dims_text(out_shape[depth:])} must match dimensions [{len(outer)},{len(updates_shape)}) of "
                f"updates[shape={dims_text(updates_shape)}] = {dims_text(updates_shape[len(outer) :])}",
                op_name,
            )
        if len(updates_shape) != len(outer) + len(out_shape) - depth:
            raise op_error(
                f"Outer dimensions of indices and update must match. Indices shape: {dims_text(idx_shape)}, "
                f"updates shape:{dims_text(updates_shape)}",
                op_name,
            )
        raise op_error(
            f"Inner dimensions of output shape must match inner dimensions of updates shape. Output: "
            f"{dims_text(out_shape)} updates: {dims_text(updates_shape)}",
            op_name,
        )
    values = concrete(idx)
    if values is not None and values.size and depth:
        bounds = np.asarray(out_shape[:depth])
        flat = values.reshape(-1, depth)
        bad = np.nonzero(((flat < 0) | (flat >= bounds)).any(axis=1))[0]
        if len(bad):
            shown = ", ".join(str(v) for v in flat[bad[0]])
            raise op_error(
                f"indices{dims_text(np.unravel_index(bad[0], values.shape[:-1]))} = [{shown}] does not index "
                f"into shape {dims_text(out_shape)}",
                op_name,
            )


def _check_tensor_scatter(idx: Any, updates_shape: tuple, out_shape: tuple, op_name: str) -> None:
    """The shape checks of TF's TensorScatter* kernels, in their order and words."""
    idx_shape = shape_of(idx)
    outer = len(idx_shape) - 1
    for i in range(outer):
        if i >= len(updates_shape) or idx_shape[i] != updates_shape[i]:
            raise op_error(
                f"Outer dimensions of indices and update must match. Indices shape: {dims_text(idx_shape)}, "
                f"updates shape:{dims_text(updates_shape)}",
                op_name,
            )
    depth = idx_shape[-1] if idx_shape else 0
    inner = len(updates_shape) - outer
    if inner != len(out_shape) - depth:
        raise op_error(
            f"Inner dimensions of output shape must match inner dimensions of updates shape. Output: "
            f"{dims_text(out_shape)} updates: {dims_text(updates_shape)}",
            op_name,
        )
    if tuple(updates_shape[outer:]) != tuple(out_shape[depth:]):
        raise op_error(
            f"The inner {len(out_shape) - depth} dimensions of output.shape={dims_text(out_shape)} must match the "
            f"inner {inner} dimensions of updates.shape={dims_text(updates_shape)}",
            op_name,
        )


def scatter_nd(indices: Any, updates: Any, shape: Any, name: str | None = None) -> Tensor:
    """`tf.scatter_nd`: zeros of `shape` with `updates` added at `indices` (duplicates sum).

    Raises:
      InvalidArgumentError: non-integer indices, an index outside `shape`, or `updates` of
        the wrong shape.
    """
    idx = _indices_input(indices, "ScatterNd", ("int16", "int32", "int64"))
    upd = as_input(updates)
    out_shape = shape_tuple(shape)
    _check_scatter(idx, shape_of(upd), out_shape, "ScatterNd")
    zeros = Tensor(jnp.zeros(out_shape, to_raw(upd).dtype))
    return dispatch(_scatter_pure, no_gradient(zeros), no_gradient(idx), upd, kind="add")


def _tensor_scatter(kind: str, op_name: str, tensor: Any, indices: Any, updates: Any) -> Tensor:
    t = as_input(tensor)
    if isinstance(updates, (Tensor, Variable)):
        if updates.dtype != t.dtype:
            raise op_error(
                f"cannot compute {op_name} as input #2(zero-based) was expected to be a {tf_type_name(t.dtype)} "
                f"tensor but is a {tf_type_name(updates.dtype)} tensor",
                op_name,
            )
        upd = updates
    else:
        upd = Tensor(to_raw(updates, t.dtype))
    idx = _indices_input(indices, op_name, ("int16", "int32", "int64", "uint16"))
    _check_tensor_scatter(idx, shape_of(upd), shape_of(t), op_name)
    _check_scatter(idx, shape_of(upd), shape_of(t), op_name)
    return dispatch(_scatter_pure, t, no_gradient(idx), upd, kind=kind)


def tensor_scatter_nd_update(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """`tf.tensor_scatter_nd_update`: a copy of `tensor` with the slices at `indices` replaced
    by `updates` (the replaced entries of `tensor` get no gradient).

    Raises:
      InvalidArgumentError: an index out of range, mismatched shapes or dtypes.
    """
    return _tensor_scatter("update", "TensorScatterUpdate", tensor, indices, updates)


def tensor_scatter_nd_add(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """`tf.tensor_scatter_nd_add`: `tensor` with `updates` added at `indices` (duplicates sum)."""
    return _tensor_scatter("add", "TensorScatterAdd", tensor, indices, updates)


def tensor_scatter_nd_sub(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """`tf.tensor_scatter_nd_sub`: `tensor` with `updates` subtracted at `indices`."""
    return _tensor_scatter("sub", "TensorScatterSub", tensor, indices, updates)


def tensor_scatter_nd_min(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """`tf.tensor_scatter_nd_min`: the elementwise minimum of `tensor` and the updates at `indices`."""
    return _tensor_scatter("min", "TensorScatterMin", tensor, indices, updates)


def tensor_scatter_nd_max(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """`tf.tensor_scatter_nd_max`: the elementwise maximum of `tensor` and the updates at `indices`."""
    return _tensor_scatter("max", "TensorScatterMax", tensor, indices, updates)
