"""Reductions (`tf.reduce_sum`, `tf.math.reduce_std`, ...), `tf.argmax`/`argmin` and the
scans `tf.cumsum`/`tf.math.cumprod`, with TF's dtype rules and gradients (ties in
`reduce_max` share the gradient evenly, as in TF; `cumprod`'s gradient is TF's formula)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport import dtypes as _dtypes
from jaxport.composite_tensor import CompositeTensor, composite_op
from jaxport.eager import Tensor, dispatch
from jaxport.ops._helpers import FLOATS, as_input, check_axis, check_dtype, normalize_axis, op_error, pure_op

# TF's kernels for Sum/Mean/Prod/Cumsum accept these (everything numeric, not bool).
_NUMERIC = (
    "float, double, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, bfloat16, "
    "qint16, quint16, uint16, complex128, half, uint32, uint64"
)
_REAL = "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64"


def _axes(axis: Any, rank: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(rank))
    return tuple(a % max(rank, 1) for a in (axis if isinstance(axis, tuple) else (axis,)))


def _count(shape: tuple, axis: Any) -> int:
    n = 1
    for a in _axes(axis, len(shape)):
        n *= shape[a]
    return n


def _mean(a, axis=None, keepdims=False):
    if jnp.issubdtype(a.dtype, jnp.integer):  # TF's integer mean truncates toward zero
        total = jnp.sum(a, axis=axis, keepdims=keepdims, dtype=a.dtype)
        return jax.lax.div(total, jnp.asarray(max(_count(a.shape, axis), 1), total.dtype)).astype(a.dtype)
    return jnp.mean(a, axis=axis, keepdims=keepdims)


def _extremum(jnp_fn, identity: str):
    def reduce(a, axis=None, keepdims=False):
        if a.size == 0 or (axis is not None and _count(a.shape, axis) == 0):
            if jnp.issubdtype(a.dtype, jnp.floating):
                init = -jnp.inf if identity == "min" else jnp.inf
            else:
                info = jnp.iinfo(a.dtype)
                init = info.min if identity == "min" else info.max
            return jnp_fn(a, axis=axis, keepdims=keepdims, initial=init)  # TF: -inf / the type's lowest
        return jnp_fn(a, axis=axis, keepdims=keepdims)

    return reduce


def _reduction(jnp_fn, op_name: str, allowed: str | None = _NUMERIC):
    @pure_op(op_name)
    def pure(a, axis, keepdims):
        return jnp_fn(a, axis=axis, keepdims=keepdims)

    pure.__name__ = f"_{op_name}"

    def op(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
        if isinstance(input_tensor, CompositeTensor):  # tf.RaggedTensor values
            return composite_op(op, (input_tensor,), {"axis": axis, "keepdims": keepdims})
        t = as_input(input_tensor)
        if allowed is not None:
            check_dtype(t, op_name, allowed)
        ax = normalize_axis(axis)
        check_axis(ax, t.ndim, op_name)
        return dispatch(pure, t, axis=None if ax is None else _axes(ax, t.ndim), keepdims=bool(keepdims))

    op.__name__ = op.__qualname__ = f"reduce_{op_name.lower()}"
    op.__doc__ = f"`tf.math` `{op_name}` over `axis` (all axes when None), keeping dims if asked."
    return op


def _sum(a, axis=None, keepdims=False):
    return jnp.sum(a, axis=axis, keepdims=keepdims, dtype=a.dtype)  # jnp widens int32 to int64


def _prod(a, axis=None, keepdims=False):
    return jnp.prod(a, axis=axis, keepdims=keepdims, dtype=a.dtype)


reduce_sum = _reduction(_sum, "Sum")
reduce_mean = _reduction(_mean, "Mean")
reduce_max = _reduction(_extremum(jnp.max, "min"), "Max", _REAL)
reduce_min = _reduction(_extremum(jnp.min, "max"), "Min", _REAL)
reduce_prod = _reduction(_prod, "Prod")
reduce_any = _reduction(jnp.any, "Any", "bool")
reduce_all = _reduction(jnp.all, "All", "bool")
reduce_logsumexp = _reduction(jax.nn.logsumexp, "ReduceLogSumExp", FLOATS)


def _variance(a, axis=None, keepdims=False):
    means = jnp.mean(a, axis=axis, keepdims=True)
    return jnp.mean(jnp.square(a - means), axis=axis, keepdims=keepdims)


_reduce_variance = _reduction(_variance, "ReduceVariance", None)
_reduce_std = _reduction(lambda a, axis, keepdims: jnp.sqrt(_variance(a, axis, keepdims)), "ReduceStd", None)


def _real_or_complex(t: Any) -> None:
    if not (t.dtype.is_floating or t.dtype.is_complex):
        raise TypeError(f"Input must be either real or complex. Received integer type {t.dtype}.")


def reduce_variance(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """`tf.math.reduce_variance`: the mean squared deviation (biased), over `axis`.

    Raises:
      TypeError: an integer or bool input, as TF.
    """
    t = as_input(input_tensor)
    _real_or_complex(t)
    return _reduce_variance(t, axis, keepdims)


def reduce_std(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """`tf.math.reduce_std`: sqrt of `reduce_variance` (its gradient is NaN where the variance is 0,
    as in TF).

    Raises:
      TypeError: an integer or bool input, as TF.
    """
    t = as_input(input_tensor)
    _real_or_complex(t)
    return _reduce_std(t, axis, keepdims)


reduce_euclidean_norm = _reduction(
    lambda a, axis, keepdims: jnp.sqrt(_sum(a * a, axis, keepdims)).astype(a.dtype),
    "EuclideanNorm",
)


@pure_op("CountNonzero")
def _count_nonzero_pure(a, axis, keepdims, dtype):
    return jnp.sum(a != 0, axis=axis, keepdims=keepdims).astype(dtype)


def count_nonzero(
    input: Any,  # noqa: A002 - TF's name
    axis: Any = None,
    keepdims: bool | None = None,
    dtype: Any = "int64",
    name: str | None = None,
) -> Tensor:
    """`tf.math.count_nonzero`: how many elements are not zero (int64 by default)."""
    t = as_input(input)
    ax = normalize_axis(axis)
    check_axis(ax, t.ndim, "Sum")
    return dispatch(
        _count_nonzero_pure,
        t,
        axis=None if ax is None else _axes(ax, t.ndim),
        keepdims=bool(keepdims),
        dtype=_dtypes.as_dtype(dtype)._np.name,
    )


# -- argmax / argmin -----------------------------------------------------------------------


def _arg_reduction(jnp_fn, op_name: str):
    @pure_op(op_name)
    def pure(a, axis, out_type):
        return jnp_fn(a, axis=axis).astype(out_type)

    pure.__name__ = f"_{op_name}"

    def op(input: Any, axis: Any = None, output_type: Any = "int64", name: str | None = None) -> Tensor:  # noqa: A002
        t = as_input(input)
        check_dtype(t, op_name, _REAL + ", complex64, complex128, bool")
        ax = 0 if axis is None else normalize_axis(axis)
        rank = t.ndim
        if not -rank <= ax < rank:
            raise op_error(f"Expected dimension in the range [{-rank}, {rank}), but got {ax}", op_name)
        out = _dtypes.as_dtype(output_type)
        if out.name not in ("int16", "uint16", "int32", "int64"):
            raise op_error(
                f"Value for attr 'output_type' of {out.name} is not in the list of allowed values: "
                "int16, uint16, int32, int64",
                op_name,
            )
        if t.shape[ax] == 0:
            raise op_error(f"Reduction axis {ax} is empty in shape {list(t.shape)}", op_name)
        return dispatch(pure, t, axis=ax % rank, out_type=out._np.name)

    op.__name__ = op.__qualname__ = op_name.lower()
    op.__doc__ = (
        f"`tf.math.{op_name.lower()}`: the index of the first extreme value along `axis` (0 by default), "
        "int64 unless `output_type` says otherwise."
    )
    return op


argmax = _arg_reduction(jnp.argmax, "ArgMax")
argmin = _arg_reduction(jnp.argmin, "ArgMin")


# -- scans ---------------------------------------------------------------------------------


def _scan(a, axis: int, exclusive: bool, reverse: bool, kind: str):
    """TF's cumulative sum/product: `exclusive` shifts in the identity, `reverse` runs backwards."""
    scan = jax.lax.cumsum if kind == "sum" else jax.lax.cumprod
    if not exclusive:
        return scan(a, axis=axis, reverse=reverse)
    identity = jnp.zeros_like if kind == "sum" else jnp.ones_like
    n = a.shape[axis]
    if n == 0:
        return a
    if reverse:
        body = jax.lax.slice_in_dim(a, 1, n, axis=axis)
        shifted = jnp.concatenate([body, identity(jax.lax.slice_in_dim(a, 0, 1, axis=axis))], axis=axis)
    else:
        body = jax.lax.slice_in_dim(a, 0, n - 1, axis=axis)
        shifted = jnp.concatenate([identity(jax.lax.slice_in_dim(a, 0, 1, axis=axis)), body], axis=axis)
    return scan(shifted, axis=axis, reverse=reverse)


@pure_op("Cumsum")
def _cumsum_pure(a, axis, exclusive, reverse):
    return _scan(a, axis, exclusive, reverse, "sum")


@jax.custom_jvp
def _cumprod_tf(a, axis, exclusive, reverse):
    return _scan(a, axis, exclusive, reverse, "prod")


def _cumprod_tf_jvp(axis, exclusive, reverse, primals, tangents):
    (a,), (da,) = primals, tangents
    prod = _scan(a, axis, exclusive, reverse, "prod")
    # TF's CumprodGrad divides by x with div_no_nan: zero inputs get a zero gradient.
    safe = jnp.where(a == 0, jnp.ones_like(a), a)
    inv = jnp.where(a == 0, jnp.zeros_like(a), 1 / safe)
    return prod, prod * _scan(da * inv, axis, exclusive, reverse, "sum")


_cumprod_tf = jax.custom_jvp(_cumprod_tf.fun, nondiff_argnums=(1, 2, 3))
_cumprod_tf.defjvp(_cumprod_tf_jvp)


@pure_op("Cumprod")
def _cumprod_pure(a, axis, exclusive, reverse):
    if jnp.issubdtype(a.dtype, jnp.floating):
        return _cumprod_tf(a, axis, exclusive, reverse)
    return _scan(a, axis, exclusive, reverse, "prod")


def _scan_op(pure, op_name: str, x: Any, axis: Any, exclusive: bool, reverse: bool) -> Tensor:
    t = as_input(x)
    check_dtype(t, op_name, _NUMERIC)
    ax = int(normalize_axis(axis))
    rank = t.ndim
    if not -rank <= ax < rank:
        raise op_error(f"ScanOp: Expected scan axis in the range [{-rank}, {rank}), but got {ax}", op_name)
    return dispatch(pure, t, axis=ax % rank, exclusive=bool(exclusive), reverse=bool(reverse))


def cumsum(x: Any, axis: int = 0, exclusive: bool = False, reverse: bool = False, name: str | None = None) -> Tensor:
    """`tf.cumsum`: running sums along `axis`; `exclusive` starts from 0, `reverse` from the end."""
    return _scan_op(_cumsum_pure, "Cumsum", x, axis, exclusive, reverse)


def cumprod(x: Any, axis: int = 0, exclusive: bool = False, reverse: bool = False, name: str | None = None) -> Tensor:
    """`tf.math.cumprod`: running products along `axis`; the gradient is TF's (zero at zero inputs)."""
    return _scan_op(_cumprod_pure, "Cumprod", x, axis, exclusive, reverse)


# -- sorting -------------------------------------------------------------------------------


_TOP_K_TYPES = "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64"


@pure_op("TopKV2")
def _top_k_pure(a, k, sorted):  # noqa: A002
    values, indices = jax.lax.top_k(a, k)
    return values, indices.astype(jnp.int32)


def top_k(input: Any, k: int = 1, sorted: bool = True, index_type: Any = "int32", name: str | None = None):  # noqa: A002
    """`tf.math.top_k`: the `k` largest entries of the last axis and their indices (int32;
    equal values in index order). With `sorted=False` TF leaves the order undefined (its CPU
    kernel returns a heap order); jaxport returns the sorted order."""
    t = as_input(input)
    check_dtype(t, "TopKV2", _TOP_K_TYPES)
    k = int(k)
    if t.ndim == 0:
        raise op_error("input must be >= 1-D, got shape []", "TopKV2")
    if k < 0:
        raise op_error(f"Need k >= 0, got {k}", "TopKV2")
    if k > t.shape[-1]:
        raise op_error(f"input must have at least k columns. Had {t.shape[-1]}, needed {k}", "TopKV2")
    values, indices = dispatch(_top_k_pure, t, k=k, sorted=bool(sorted))
    if _dtypes.as_dtype(index_type) != _dtypes.int32:
        from jaxport.ops.math_ops import cast

        indices = cast(indices, index_type)
    return TopKV2(values, indices)


class TopKV2(tuple):
    """The `(values, indices)` pair of `top_k`, with TF's field names."""

    def __new__(cls, values: Tensor, indices: Tensor):
        return super().__new__(cls, (values, indices))

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])

    def __repr__(self) -> str:
        return f"TopKV2(values={self[0]!r}, indices={self[1]!r})"


@pure_op("Sort")
def _sort_pure(a, axis, descending):
    # TF sorts with top_k, which puts equal values in index order in both directions; the
    # gradient follows that permutation (a flipped ascending sort would reverse the ties).
    order = jnp.argsort(a, axis=axis, stable=True, descending=descending)
    return jnp.take_along_axis(a, order, axis=axis)


@pure_op("ArgSort")
def _argsort_pure(a, axis, descending):
    return jnp.argsort(a, axis=axis, stable=True, descending=descending).astype(jnp.int32)


def _sort_args(values: Any, axis: int, direction: str) -> tuple:
    t = as_input(values)
    if direction == "ASCENDING" and t.dtype.is_bool:  # TF sorts ascending by negating, then top_k
        check_dtype(t, "Neg", "bfloat16, half, float, double, int8, int16, int32, int64, complex64, complex128")
    check_dtype(t, "TopKV2", _TOP_K_TYPES)
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(
            f"Argument `direction` should be one of ASCENDING, DESCENDING. Received: direction={direction}"
        )
    ax = int(axis)
    if not -max(t.ndim, 1) <= ax < max(t.ndim, 1):
        # TF reads the axis' size with `shape[axis]`, so an axis out of range fails in StridedSlice
        shown = ax + t.ndim if ax < 0 else ax
        raise op_error(f"slice index {shown} of dimension 0 out of bounds.", "StridedSlice")
    return t, ax % max(t.ndim, 1), direction == "DESCENDING"


def sort(values: Any, axis: int = -1, direction: str = "ASCENDING", name: str | None = None) -> Tensor:
    """`tf.sort` along `axis` (ASCENDING or DESCENDING; ties keep index order, as TF's top_k,
    which decides where the gradient goes)."""
    t, ax, desc = _sort_args(values, axis, direction)
    return dispatch(_sort_pure, t, axis=ax, descending=desc)


def argsort(
    values: Any, axis: int = -1, direction: str = "ASCENDING", stable: bool = False, name: str | None = None
) -> Tensor:
    """`tf.argsort`: the int32 indices that sort `values` along `axis` (stable)."""
    t, ax, desc = _sort_args(values, axis, direction)
    return dispatch(_argsort_pure, t, axis=ax, descending=desc)
