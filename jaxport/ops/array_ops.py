"""Shape ops: `tf.reshape`, `tf.transpose`, `tf.concat`, `tf.stack`, `tf.split`, `tf.tile`,
`tf.pad`, `tf.reverse`, `tf.broadcast_to`, `tf.shape`, ... (creation ops live in
`creation_ops`, indexing in `indexing_ops`; both are re-exported here)."""

from __future__ import annotations

import builtins
import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.composite_tensor import composite_op, find_composite
from jaxport.eager import Tensor, dispatch, register_array_protocol_ops, to_raw
from jaxport.ops._helpers import (
    as_input,
    check_broadcastable,
    concrete,
    dims_text,
    int_list,
    is_symbolic_shape,
    normalize_axis,
    op_error,
    pure_op,
    same_dtype_inputs,
    shape_of,
    shape_tuple,
    tf_type_name,
    with_shape_dims,
)
from jaxport.ops.creation_ops import eye, fill, linspace, one_hot, ones, ones_like, range, zeros, zeros_like  # noqa: F401
from jaxport.ops.indexing_ops import (  # noqa: F401
    _rebuild_index,
    _static_index,
    boolean_mask,
    gather,
    gather_nd,
    getitem,
    slice,
    where,
)
from jaxport.variables import Variable  # noqa: E402

_shape_tuple = shape_tuple  # the name other modules import
newaxis = None  # `tf.newaxis`


def _check_axis_in(axis: int, rank: int, message: str) -> int:
    if not -rank <= axis < rank:
        raise ValueError(message)
    return axis % rank


@pure_op("Identity")
def _identity_pure(a):
    return a


def identity(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.identity`: the same value (a read, for Variables)."""
    return dispatch(_identity_pure, as_input(input))


@pure_op("Reshape")
def _reshape_pure(a, shape):
    return jnp.reshape(a, shape)


def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:
    """`tf.reshape`: one dim may be -1; the element count must match.

    Raises:
      InvalidArgumentError: a count mismatch or more than one -1.
    """
    t = as_input(tensor)
    dims = tuple(int_list(shape, "shape"))
    if is_symbolic_shape(shape_of(t)) or is_symbolic_shape(dims):  # a signature's None dims: XLA checks
        return dispatch(_reshape_pure, t, shape=dims)
    size = int(np.prod(shape_of(t), dtype=np.int64))
    known = int(np.prod([d for d in dims if d != -1], dtype=np.int64))
    unknown = [i for i, d in enumerate(dims) if d == -1]
    if len(unknown) > 1:
        raise op_error(f"Only one input size may be -1, not both {unknown[0]} and {unknown[1]}", "Reshape")
    if any(d < -1 for d in dims):
        raise op_error(f"Size {dims.index(min(dims))} must be non-negative, not {min(dims)}", "Reshape")
    if unknown and (known == 0 or size % known):
        if known == 0 and size == 0:
            raise op_error(
                "Reshape cannot infer the missing input size for an empty tensor unless all specified input "
                "sizes are non-zero",
                "Reshape",
            )
        raise op_error(
            f"Input to reshape is a tensor with {size} values, but the requested shape requires a multiple of {known}",
            "Reshape",
        )
    if not unknown and known != size:
        raise op_error(
            f"Input to reshape is a tensor with {size} values, but the requested shape has {known}", "Reshape"
        )
    return dispatch(_reshape_pure, t, shape=dims)


@pure_op("Transpose")
def _transpose_pure(a, perm, conjugate):
    out = jnp.transpose(a, perm)
    return jnp.conj(out) if conjugate else out


def transpose(a: Any, perm: Any = None, conjugate: bool = False, name: str | None = None) -> Tensor:
    """`tf.transpose`: reverse the axes, or permute them by `perm`.

    Raises:
      InvalidArgumentError: `perm` not a permutation of the axes.
    """
    t = as_input(a)
    if perm is not None:
        perm = tuple(int_list(perm, "perm"))
        if len(perm) != t.ndim:
            raise op_error(
                f"transpose expects a vector of size {t.ndim}. But input(1) is a vector of size {len(perm)}",
                "Transpose",
            )
        for d in builtins.range(t.ndim):
            if d not in [p % max(t.ndim, 1) for p in perm]:
                raise op_error(f"{d} is missing from {{{','.join(str(p) for p in perm)}}}.", "Transpose")
        perm = tuple(p % t.ndim for p in perm)
    return dispatch(_transpose_pure, t, perm=perm, conjugate=bool(conjugate))


@pure_op("ExpandDims")
def _expand_pure(a, axis):
    return jnp.expand_dims(a, axis)


def expand_dims(input: Any, axis: int, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.expand_dims`: insert a size-1 axis at `axis` (in [-rank-1, rank])."""
    t = as_input(input)
    axis = int(normalize_axis(axis))
    if not -t.ndim - 1 <= axis <= t.ndim:
        raise op_error(f"Tried to expand dim index {axis} for tensor with {t.ndim} dimensions.", "ExpandDims")
    return dispatch(_expand_pure, t, axis=axis)


@pure_op("Squeeze")
def _squeeze_pure(a, axis):
    return jnp.squeeze(a, axis)


def squeeze(input: Any, axis: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.squeeze`: drop size-1 axes (all, or those in `axis`).

    Raises:
      InvalidArgumentError: an axis out of range or of a size other than 1.
    """
    t = as_input(input)
    ax = normalize_axis(axis)
    if ax is not None:
        axes = ax if isinstance(ax, tuple) else (ax,)
        for a in axes:
            if not -t.ndim <= a < t.ndim:
                raise op_error(f"Tried to squeeze dim index {a} for tensor with {t.ndim} dimensions.", "Squeeze")
            if t.shape[a] != 1:
                raise op_error(
                    f"Can not squeeze dim[{a % t.ndim}], expected a dimension of 1, got {t.shape[a]}", "Squeeze"
                )
        ax = tuple(sorted({a % t.ndim for a in axes}))
    return dispatch(_squeeze_pure, t, axis=ax)


# -- joining and splitting ------------------------------------------------------------------


@pure_op("ConcatV2")
def _concat_pure(*arrays, axis):
    return jnp.concatenate(arrays, axis=axis)


def concat(values: Any, axis: int, name: str = "concat") -> Tensor:
    """`tf.concat` along `axis`; all inputs of one dtype and rank, equal off-axis dims.

    Raises:
      InvalidArgumentError: mixed dtypes, mismatched shapes, scalars or an axis out of range.
    """
    if isinstance(values, (list, tuple)) and find_composite((values,)) is not None:  # tf.RaggedTensor values
        return composite_op(concat, (values,), {"axis": axis})
    ts = same_dtype_inputs(values, "ConcatV2")
    if not ts:
        raise op_error("ConcatV2 needs at least one input tensor", "ConcatV2")
    if len(ts) == 1:
        return identity(ts[0])
    rank = ts[0].ndim
    ax = int(normalize_axis(axis))
    if rank == 0:
        raise op_error("Can't concatenate scalars (use tf.stack instead)", "ConcatV2")
    if not -rank <= ax < rank:
        raise op_error(
            f"ConcatOp : Expected concatenating dimensions in the range [{-rank}, {rank}), but got {ax}", "ConcatV2"
        )
    ax %= rank
    first = list(shape_of(ts[0]))
    for i, t in enumerate(ts[1:], 1):
        shp = list(shape_of(t))
        if len(shp) != rank:
            raise op_error(
                f"ConcatOp : Ranks of all input tensors should match: shape[0] = {dims_text(first)} vs. "
                f"shape[{i}] = {dims_text(shp)}",
                "ConcatV2",
            )
        for d in builtins.range(rank):
            if d != ax and shp[d] != first[d]:
                raise op_error(
                    f"ConcatOp : Dimension {d} in both shapes must be equal: shape[0] = {dims_text(first)} vs. "
                    f"shape[{i}] = {dims_text(shp)}",
                    "ConcatV2",
                )
    return dispatch(_concat_pure, *ts, axis=ax)


@pure_op("Pack")
def _stack_pure(*arrays, axis):
    return jnp.stack(arrays, axis=axis)


def stack(values: Any, axis: int = 0, name: str = "stack") -> Tensor:
    """`tf.stack`: join same-shaped tensors along a new axis (a list of Python numbers is
    converted as one value, so `[1, 2.5]` gives float32).

    Raises:
      ValueError: an axis out of range.
      InvalidArgumentError: mixed dtypes or shapes.
    """
    ts = same_dtype_inputs(values, "Pack", joint=True)
    if not ts:
        return zeros([0])  # TF: an empty list stacks to float32 []
    rank = ts[0].ndim + 1
    ax = _check_axis_in(int(axis), rank, f"Argument `axis` = {int(axis)} not in range [{-rank}, {rank})")
    first = shape_of(ts[0])
    for i, t in enumerate(ts[1:], 1):
        if shape_of(t) != first:
            raise op_error(
                f"Shapes of all inputs must match: values[0].shape = {dims_text(ts[0].shape)} != "
                f"values[{i}].shape = {dims_text(t.shape)}",
                "Pack",
            )
    return dispatch(_stack_pure, *ts, axis=ax)


@pure_op("Unpack")
def _unstack_pure(a, axis, num):
    return tuple(jnp.squeeze(p, axis) for p in jnp.split(a, num, axis=axis))


def unstack(value: Any, num: int | None = None, axis: int = 0, name: str = "unstack") -> list[Tensor]:
    """`tf.unstack`: split along `axis` into rank-1-lower tensors.

    Raises:
      ValueError: an axis out of range or a scalar.
      InvalidArgumentError: `num` other than the axis' size.
    """
    t = as_input(value)
    if t.ndim == 0:
        raise ValueError("Cannot infer argument `num` from shape ()")
    ax = _check_axis_in(int(axis), t.ndim, f"Argument `axis` = {int(axis)} not in range [{-t.ndim}, {t.ndim})")
    n = t.shape[ax]
    if num is not None and int(num) != n:
        raise op_error(f"Input shape axis {ax} must equal {int(num)}, got shape {dims_text(t.shape)}", "Unpack")
    if n == 0:
        return []
    if n == 1:
        return [squeeze(t, ax)]
    return list(dispatch(_unstack_pure, t, axis=ax, num=int(n)))


@pure_op("SplitV")
def _split_pure(a, sizes, axis):
    cuts = np.cumsum(sizes)[:-1].tolist()
    return tuple(jnp.split(a, cuts, axis=axis))


def split(value: Any, num_or_size_splits: Any, axis: int = 0, num: int | None = None, name: str = "split") -> list:
    """`tf.split`: `num_or_size_splits` equal parts, or parts of the listed sizes (one may be -1).

    Raises:
      InvalidArgumentError: sizes that do not add up, an uneven split, or an axis out of range.
    """
    t = as_input(value)
    rank = t.ndim
    ax = int(normalize_axis(axis))
    sizes_given = not isinstance(num_or_size_splits, (int, np.integer)) and not (
        isinstance(num_or_size_splits, Tensor) and num_or_size_splits.ndim == 0
    )
    if isinstance(num_or_size_splits, (Tensor, Variable)) and num_or_size_splits.ndim == 0:
        raise ValueError(
            "Rank-0 tensors are not supported as the num_or_size_splits argument to split. Argument provided: "
            f"{num_or_size_splits}"
        )
    op_name = "SplitV" if sizes_given else "Split"
    if not -rank <= ax < rank:
        raise op_error(f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but got {ax}", op_name)
    ax %= rank
    dim = t.shape[ax]
    if sizes_given:
        sizes = int_list(num_or_size_splits, "num_or_size_splits")
        if sizes.count(-1) > 1:
            raise op_error("There can only be one -1 in the input.", op_name)
        known = sum(s for s in sizes if s != -1)
        if -1 in sizes:
            if known > dim:
                raise op_error(_split_sizes_message(known), op_name)
            sizes[sizes.index(-1)] = dim - known
        elif known != dim:
            raise op_error(_split_sizes_message(known), op_name)
    else:
        n = int_list(num_or_size_splits, "num_or_size_splits")[0]
        if n <= 0 or dim % n:
            raise op_error(
                "Number of ways to split should evenly divide the split dimension, but got split_dim "
                f"{ax} (size = {dim}) and num_split {n}",
                op_name,
            )
        sizes = [dim // n] * n
    return list(dispatch(_split_pure, t, sizes=tuple(sizes), axis=ax))


def _split_sizes_message(total: int) -> str:
    return (
        "Determined shape must either match input shape along split_dim exactly if fully specified, or be less "
        f"than the size of the input along split_dim if not fully specified.  Got: {total}"
    )


@pure_op("Tile")
def _tile_pure(a, multiples):
    return jnp.tile(a, multiples)


def tile(input: Any, multiples: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.tile`: repeat the tensor `multiples[i]` times along axis i."""
    t = as_input(input)
    reps = int_list(multiples, "multiples")
    if len(reps) != t.ndim:
        raise op_error(
            f"Expected multiples argument to be a vector of length {t.ndim} but got length {len(reps)}", "Tile"
        )
    for i, r in enumerate(reps):
        if r < 0:
            raise op_error(f"Expected multiples[{i}] >= 0, but got {r}", "Tile")
    return dispatch(_tile_pure, t, multiples=tuple(reps))


@pure_op("Pad")
def _pad_pure(a, value, paddings, mode):
    if mode == "constant":
        return jnp.pad(a, paddings, mode="constant", constant_values=value)
    return jnp.pad(a, paddings, mode=mode)


def pad(
    tensor: Any, paddings: Any, mode: str = "CONSTANT", constant_values: Any = 0, name: str | None = None
) -> Tensor:
    """`tf.pad`: add `paddings[i] = [before, after]` entries along axis i; `mode` is CONSTANT
    (with `constant_values`), REFLECT or SYMMETRIC (case-insensitive).

    Raises:
      ValueError: an unknown mode.
      InvalidArgumentError: paddings of the wrong shape, negative, or too large to mirror.
    """
    t = as_input(tensor)
    mode_name = str(mode).upper()
    if mode_name not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError(
            'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or "SYMMETRIC". '
            f"Received `mode` = {mode}"
        )
    op_name = "Pad" if mode_name == "CONSTANT" else "MirrorPad"
    given = concrete(paddings) if isinstance(paddings, (Tensor, Variable)) else np.asarray(paddings)
    if given is None or given.dtype.kind not in "iu":
        raise TypeError(f"`paddings` must be known integers; received {paddings!r}.")
    pairs = given.astype(np.int64)
    if pairs.shape != (t.ndim, 2):
        raise op_error(
            "The first dimension of paddings must be the rank of inputs"
            f"{dims_text(np.shape(paddings))} {dims_text(t.shape)}",
            op_name,
        )
    for (before, after), size in zip(pairs.tolist(), t.shape):
        if before < 0 or after < 0:
            raise op_error(f"Paddings must be non-negative: {before} {after}", op_name)
        if mode_name == "REFLECT" and (before >= size or after >= size):
            raise op_error(
                f"paddings must be less than the dimension size: {before}, {after} not less than {size}", op_name
            )
        if mode_name == "SYMMETRIC" and (before > size or after > size):
            raise op_error(
                f"paddings must be no greater than the dimension size: {before}, {after} greater than {size}", op_name
            )
    if isinstance(constant_values, (Tensor, Variable)):
        value = as_input(constant_values, t.dtype)
    else:
        value = Tensor(to_raw(constant_values, t.dtype))
    return dispatch(_pad_pure, t, value, paddings=tuple(map(tuple, pairs.tolist())), mode=mode_name.lower())


@pure_op("ReverseV2")
def _reverse_pure(a, axis):
    return jnp.flip(a, axis)


def reverse(tensor: Any, axis: Any, name: str | None = None) -> Tensor:
    """`tf.reverse`: flip the listed axes (a 1-D list; each axis at most once)."""
    t = as_input(tensor)
    if isinstance(axis, (int, np.integer)) or (isinstance(axis, Tensor) and axis.ndim == 0):
        raise op_error("'dims' must be 1-dimension, not 0", "ReverseV2")
    axes = int_list(axis, "axis")
    seen = set()
    for i, a in enumerate(axes):
        if not -t.ndim <= a < t.ndim:
            raise op_error(f"'axis'[{i}] = {a} is out of valid range [0, {t.ndim - 1}", "ReverseV2")
        if a % t.ndim in seen:
            raise op_error(f"axis {a % t.ndim} specified more than once.", "ReverseV2")
        seen.add(a % t.ndim)
    return dispatch(_reverse_pure, t, axis=tuple(sorted(seen)))


@pure_op("BroadcastTo")
def _broadcast_to_pure(a, shape):
    return jnp.broadcast_to(a, shape)


def broadcast_to(input: Any, shape: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.broadcast_to`: repeat size-1 (or missing leading) axes to `shape`."""
    t = as_input(input)
    target = shape_tuple(shape)
    try:
        if is_symbolic_shape(shape_of(t)) or is_symbolic_shape(target):
            check_broadcastable(shape_of(t), target)  # known sizes only; XLA checks the symbolic ones
        elif np.broadcast_shapes(tuple(t.shape), target) != target:
            raise ValueError
    except ValueError:
        raise op_error(f"Incompatible shapes: {dims_text(t.shape)} vs. {dims_text(target)}", "BroadcastTo") from None
    return dispatch(_broadcast_to_pure, t, shape=target)


# -- shape queries (static in jaxport: known while tracing too) -----------------------------


def _static_tensor(value: Any, dtype: Any) -> Tensor:
    with jax.ensure_compile_time_eval():
        return Tensor(jnp.asarray(np.asarray(value, _dtypes.as_dtype(dtype)._np)))


def shape(input: Any, out_type: Any = "int32", name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.shape`: the shape as an int32 (or int64 `out_type`) Tensor; inside a signature trace
    with None dims, computed at run time and marked with its symbolic sizes (`shape_dims`).

    Raises:
      InvalidArgumentError: an `out_type` other than int32/int64.
    """
    if _dtypes.as_dtype(out_type).name not in ("int32", "int64"):
        raise op_error(
            f"Value for attr 'out_type' of {tf_type_name(out_type)} is not in the list of allowed values: int32, int64",
            "Shape",
        )
    dims = tuple(shape_of(as_input(input)))
    if is_symbolic_shape(dims):
        return with_shape_dims(Tensor(jnp.array(dims, _dtypes.as_dtype(out_type)._np)), dims)
    return _static_tensor(list(dims), out_type)


def rank(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.rank`: the number of axes, as an int32 scalar."""
    return _static_tensor(as_input(input).ndim, "int32")


def size(input: Any, out_type: Any = "int32", name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.size`: the number of elements, as an int32 (or `out_type`) scalar."""
    dims = tuple(shape_of(as_input(input)))
    if is_symbolic_shape(dims):
        count = math.prod(dims)
        return with_shape_dims(Tensor(jnp.array(count, _dtypes.as_dtype(out_type)._np)), count)
    return _static_tensor(int(np.prod(dims, dtype=np.int64)), out_type)


register_array_protocol_ops(stack=stack, unstack=unstack)
