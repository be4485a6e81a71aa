"""Linear algebra: `tf.matmul`, `tf.tensordot`, `tf.einsum`, `tf.norm` and `tf.linalg.*`
(`matvec`, `matrix_transpose`, `inv`, `det`, `slogdet`, `logdet`, `trace`, `diag`,
`diag_part`, `solve`, `cholesky`), `tf.math.l2_normalize`."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport.eager import Tensor, dispatch
from jaxport.ops._gradients import abs_tf, maximum_tf, pow_tf
from jaxport.ops._helpers import (
    FLOATS_COMPLEX,
    as_input,
    binary_inputs,
    check_dtype,
    concrete,
    dims_text,
    int_list,
    is_tracing,
    normalize_axis,
    op_error,
    pure_op,
    same_dtype_inputs,
    shape_of,
)

# -- products ------------------------------------------------------------------------------


@pure_op("MatMul")
def _matmul_pure(a, b, transpose_a, transpose_b, adjoint_a, adjoint_b):
    if transpose_a or adjoint_a:
        a = jnp.swapaxes(a, -1, -2)
        a = jnp.conj(a) if adjoint_a else a
    if transpose_b or adjoint_b:
        b = jnp.swapaxes(b, -1, -2)
        b = jnp.conj(b) if adjoint_b else b
    return jnp.matmul(a, b)


def matmul(
    a: Any,
    b: Any,
    transpose_a: bool = False,
    transpose_b: bool = False,
    adjoint_a: bool = False,
    adjoint_b: bool = False,
    a_is_sparse: bool = False,
    b_is_sparse: bool = False,
    output_type: Any = None,
    name: str | None = None,
) -> Tensor:
    """`tf.linalg.matmul` (Python `@`): rank >= 2 inputs of one dtype, batch dims broadcast.

    Raises:
      InvalidArgumentError: a rank < 2 input, mismatched inner or batch dims, mixed dtypes.
    """
    x, y = binary_inputs(a, b, "MatMul")
    xs, ys = shape_of(x), shape_of(y)
    for i, s in enumerate((xs, ys)):
        if len(s) < 2:
            raise op_error(f"In[{i}] ndims must be >= 2", "MatMul")
    k1 = xs[-2] if (transpose_a or adjoint_a) else xs[-1]
    k2 = ys[-1] if (transpose_b or adjoint_b) else ys[-2]
    if k1 != k2:
        raise op_error(f"Matrix size-incompatible: In[0]: {list(xs)}, In[1]: {list(ys)}", "MatMul")
    if xs[:-2] != ys[:-2]:
        try:
            np.broadcast_shapes(xs[:-2], ys[:-2])
        except ValueError:
            raise op_error(
                f"In[0] and In[1] must have compatible batch dimensions: {dims_text(xs)} vs. {dims_text(ys)}",
                "BatchMatMulV2",
            ) from None
    return dispatch(
        _matmul_pure,
        x,
        y,
        transpose_a=bool(transpose_a),
        transpose_b=bool(transpose_b),
        adjoint_a=bool(adjoint_a),
        adjoint_b=bool(adjoint_b),
    )


def matvec(
    a: Any,
    b: Any,
    transpose_a: bool = False,
    adjoint_a: bool = False,
    a_is_sparse: bool = False,
    b_is_sparse: bool = False,
    name: str | None = None,
) -> Tensor:
    """`tf.linalg.matvec`: `a @ b` for a (batch of) matrix `a` and vector `b`."""
    x, y = binary_inputs(a, b, "MatMul")
    if y.ndim < 1:
        raise op_error("In[1] ndims must be >= 1", "MatMul")
    for_matmul = dispatch(_expand_last, y)
    out = matmul(x, for_matmul, transpose_a=transpose_a, adjoint_a=adjoint_a)
    return dispatch(_squeeze_last, out)


@pure_op("ExpandDims")
def _expand_last(a):
    return a[..., None]


@pure_op("Squeeze")
def _squeeze_last(a):
    return a[..., 0]


@pure_op("Tensordot")
def _tensordot_pure(a, b, axes):
    return jnp.tensordot(a, b, axes=axes)


def tensordot(a: Any, b: Any, axes: Any, name: str | None = None) -> Tensor:
    """`tf.tensordot`: sum over `axes` (an int N: the last N of `a` with the first N of `b`;
    or a pair of axis lists)."""
    x, y = binary_inputs(a, b, "MatMul")
    axes = normalize_axis(axes) if not isinstance(axes, (list, tuple)) else axes
    if isinstance(axes, int):
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: axes={axes}.")
        if axes > x.ndim or axes > y.ndim:
            raise ValueError(
                f"`axes` must not be larger than the number of dimensions of tensor {x}.  Received {axes}, "
                f"vs tensor dimensions {x.ndim}."
            )
        a_axes, b_axes = tuple(range(x.ndim - axes, x.ndim)), tuple(range(axes))
    else:
        if len(axes) != 2:
            raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
        a_axes, b_axes = (normalize_axis(ax) for ax in axes)
        a_axes = a_axes if isinstance(a_axes, tuple) else (a_axes,)
        b_axes = b_axes if isinstance(b_axes, tuple) else (b_axes,)
        if len(a_axes) != len(b_axes):
            raise ValueError(f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}.")
        a_axes = tuple(ax % max(x.ndim, 1) for ax in a_axes)
        b_axes = tuple(ax % max(y.ndim, 1) for ax in b_axes)
    for i, j in zip(a_axes, b_axes):
        if x.shape[i] != y.shape[j]:
            m = int(np.prod([x.shape[k] for k in range(x.ndim) if k not in a_axes], dtype=np.int64))
            n = int(np.prod([y.shape[k] for k in range(y.ndim) if k not in b_axes], dtype=np.int64))
            ka = int(np.prod([x.shape[k] for k in a_axes], dtype=np.int64))
            kb = int(np.prod([y.shape[k] for k in b_axes], dtype=np.int64))
            raise op_error(f"Matrix size-incompatible: In[0]: [{m},{ka}], In[1]: [{kb},{n}]", "MatMul")
    return dispatch(_tensordot_pure, x, y, axes=(a_axes, b_axes))


@pure_op("Einsum")
def _einsum_pure(*operands, equation):
    return jnp.einsum(equation, *operands)


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """`tf.einsum`: a tensor contraction in Einstein notation (`"ij,jk->ik"`, `"...ij"`)."""
    if not isinstance(equation, str):
        raise TypeError(f"`equation` must be a string; received {equation!r}.")
    equation = equation.replace(" ", "")
    terms = equation.split("->")[0].split(",")
    if len(terms) != len(inputs):
        raise ValueError(f'Got {len(inputs)} inputs for equation "{equation}", expecting {len(terms)}')
    ts = same_dtype_inputs(inputs, "Einsum")
    _check_einsum_dims(terms, ts)
    return dispatch(_einsum_pure, *ts, equation=equation)


def _check_einsum_dims(terms: list[str], ts: list) -> None:
    """TF's check that every label has one size across the inputs (ellipses broadcast)."""
    sizes: dict[str, int] = {}
    for term, t in zip(terms, ts):
        shape = shape_of(t)
        labels = term.replace("...", "")
        if "..." in term:  # the ellipsis takes the axes the labels leave
            before = term.index("...")
            positions = list(range(before)) + list(range(len(shape) - (len(labels) - before), len(shape)))
        else:
            positions = list(range(len(labels)))
        if len(positions) != len(labels) or ("..." not in term and len(labels) != len(shape)):
            raise op_error(
                f"Input {ts.index(t)} to einsum has {len(shape)} dimensions but the subscripts {term} give "
                f"{len(labels)}",
                "Einsum",
            )
        for label, axis in zip(labels, positions):
            size = shape[axis]
            if label in sizes and sizes[label] != size and isinstance(size, int):
                raise op_error(
                    f"Expected dimension {sizes[label]} at axis {axis} of the input shaped {dims_text(shape)} but "
                    f"got dimension {size}",
                    "Einsum",
                )
            sizes.setdefault(label, size)


# -- matrices ------------------------------------------------------------------------------


@pure_op("Transpose")
def _matrix_transpose_pure(a, conjugate):
    out = jnp.swapaxes(a, -1, -2)
    return jnp.conj(out) if conjugate else out


def matrix_transpose(a: Any, name: str = "matrix_transpose", conjugate: bool = False) -> Tensor:
    """`tf.linalg.matrix_transpose`: swap the last two axes (of a rank >= 2 tensor)."""
    t = as_input(a)
    if t.ndim < 2:
        raise ValueError(
            f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = {t} with shape: {t.shape}"
        )
    return dispatch(_matrix_transpose_pure, t, conjugate=bool(conjugate))


def _square_matrix(x: Any, op_name: str, allowed: str = FLOATS_COMPLEX) -> Any:
    t = as_input(x)
    check_dtype(t, op_name, allowed)
    if t.ndim < 2:
        raise op_error(f"Input must have rank >= 2, got {t.ndim}", op_name)
    if t.shape[-1] != t.shape[-2]:
        raise op_error("Input matrix must be square.", op_name)
    return t


@pure_op("MatrixInverse")
def _inv_pure(a, adjoint):
    out = jnp.linalg.inv(a)
    return jnp.conj(jnp.swapaxes(out, -1, -2)) if adjoint else out


def inv(input: Any, adjoint: bool = False, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.linalg.inv` of a (batch of) square matrix.

    Raises:
      InvalidArgumentError: a non-square or (eagerly detected) singular matrix.
    """
    t = _square_matrix(input, "MatrixInverse", "double, float, half, complex64, complex128")
    out = dispatch(_inv_pure, t, adjoint=bool(adjoint))
    if not is_tracing():
        values, given = concrete(out), concrete(t)
        if values is not None and np.isfinite(given).all() and not np.isfinite(values).all():
            raise op_error("Input is not invertible.", "MatrixInverse")
    return out


@pure_op("MatrixDeterminant")
def _det_pure(a):
    return jnp.linalg.det(a)


def det(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.linalg.det` of a (batch of) square matrix."""
    return dispatch(_det_pure, _square_matrix(input, "MatrixDeterminant", "half, float, double, complex64, complex128"))


@pure_op("LogMatrixDeterminant")
def _slogdet_pure(a):
    sign, logabs = jnp.linalg.slogdet(a)
    return sign, logabs


LogMatrixDeterminant = namedtuple("LogMatrixDeterminant", ["sign", "log_abs_determinant"])


def slogdet(input: Any, name: str | None = None) -> LogMatrixDeterminant:  # noqa: A002
    """`tf.linalg.slogdet`: (sign, log |det|) of a (batch of) square matrix."""
    return LogMatrixDeterminant(*dispatch(_slogdet_pure, _square_matrix(input, "LogMatrixDeterminant")))


@pure_op("Logdet")
def _logdet_pure(a):
    chol = jnp.linalg.cholesky(a)
    return 2.0 * jnp.sum(jnp.log(jnp.real(jnp.diagonal(chol, axis1=-2, axis2=-1))), axis=-1)


def logdet(matrix: Any, name: str | None = None) -> Tensor:
    """`tf.linalg.logdet` of a Hermitian positive definite matrix (via its Cholesky factor)."""
    return dispatch(_logdet_pure, _square_matrix(matrix, "Cholesky"))


@pure_op("Cholesky")
def _cholesky_pure(a):
    return jnp.linalg.cholesky(a)


def cholesky(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.linalg.cholesky`: the lower-triangular factor of a Hermitian positive definite matrix."""
    return dispatch(_cholesky_pure, _square_matrix(input, "Cholesky"))


@pure_op("MatrixSolve")
def _solve_pure(a, b, adjoint):
    if adjoint:
        a = jnp.conj(jnp.swapaxes(a, -1, -2))
    return jnp.linalg.solve(a, b)


def solve(matrix: Any, rhs: Any, adjoint: bool = False, name: str | None = None) -> Tensor:
    """`tf.linalg.solve`: X with `matrix @ X = rhs` (both batches of matrices)."""
    a, b = binary_inputs(matrix, rhs, "MatrixSolve")
    check_dtype(a, "MatrixSolve", FLOATS_COMPLEX)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise op_error("First input (lhs) must be a square matrix.", "MatrixSolve")
    if b.ndim < 2 or b.shape[-2] != a.shape[-1]:
        raise op_error(
            f"Input matrix and rhs are incompatible. lhs: {dims_text(a.shape)}, rhs: {dims_text(b.shape)}",
            "MatrixSolve",
        )
    return dispatch(_solve_pure, a, b, adjoint=bool(adjoint))


@pure_op("Trace")
def _trace_pure(a):
    return jnp.trace(a, axis1=-2, axis2=-1)


def trace(x: Any, name: str | None = None) -> Tensor:
    """`tf.linalg.trace`: the sum of the main diagonal of each (batch) matrix."""
    t = as_input(x)
    if t.ndim < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {t.ndim}")
    return dispatch(_trace_pure, t)


@pure_op("MatrixDiagV3")
def _diag_pure(a, k):
    n = a.shape[-1] + abs(k)
    rows = jnp.arange(n)[:, None]
    cols = jnp.arange(n)[None, :]
    on_diagonal = cols - rows == k
    position = jnp.clip(jnp.minimum(rows, cols), 0, a.shape[-1] - 1)  # index of each entry along the diagonal
    return jnp.where(on_diagonal, a[..., position], jnp.zeros((), a.dtype))


def diag(diagonal: Any, name: str = "diag", k: Any = 0, **unused: Any) -> Tensor:
    """`tf.linalg.diag`: a (batch of) square matrix with `diagonal` on its `k`-th diagonal
    (0: the main one; > 0 above it, < 0 below), of size `len(diagonal) + |k|`. The other
    options (`num_rows`, `num_cols`, `padding_value`, a range of `k`) are not ported."""
    t = as_input(diagonal)
    if t.ndim < 1:
        raise op_error("diagonal must be at least 1-dim, received shape: []", "MatrixDiagV3")
    offsets = int_list(k, "k")
    if len(offsets) != 1:
        raise NotImplementedError("tf.linalg.diag with a range of diagonals `k` is not ported.")
    unsupported = [key for key, value in unused.items() if value not in (None, -1, 0, "RIGHT_LEFT")]
    if unsupported:
        raise NotImplementedError(f"tf.linalg.diag options {unsupported} are not ported.")
    return dispatch(_diag_pure, t, k=offsets[0])


@pure_op("MatrixDiagPartV3")
def _diag_part_pure(a):
    return jnp.diagonal(a, axis1=-2, axis2=-1)


def diag_part(input: Any, name: str = "diag_part", **unused: Any) -> Tensor:  # noqa: A002
    """`tf.linalg.diag_part`: the main diagonal of each (batch) matrix."""
    t = as_input(input)
    if t.ndim < 2:
        raise op_error(f"input must be at least 2-dim, received shape: {dims_text(t.shape)}", "MatrixDiagPartV3")
    return dispatch(_diag_part_pure, t)


# -- norms ---------------------------------------------------------------------------------


@pure_op("Norm")
def _norm_pure(a, ord, axis, keepdims, matrix):  # noqa: A002
    if matrix and ord == 2:
        moved = jnp.moveaxis(a, axis, (-2, -1))
        out = jnp.max(jnp.linalg.svd(moved, compute_uv=False), axis=-1)
        out = jnp.expand_dims(jnp.expand_dims(out, -1), -1)
        out = jnp.moveaxis(out, (-2, -1), axis)
    elif matrix and ord in (1, np.inf):
        sum_axis, max_axis = axis if ord == 1 else axis[::-1]
        out = jnp.max(jnp.sum(abs_tf(a), axis=sum_axis, keepdims=True, dtype=a.dtype), axis=max_axis, keepdims=True)
    elif ord in ("euclidean", "fro", 2):
        out = jnp.sqrt(jnp.sum(a * jnp.conj(a), axis=axis, keepdims=True))
    elif ord == 1:
        out = jnp.sum(abs_tf(a), axis=axis, keepdims=True, dtype=a.dtype)
    elif ord == np.inf:
        out = jnp.max(abs_tf(a), axis=axis, keepdims=True)
    else:
        p = jnp.asarray(ord, a.dtype)
        out = pow_tf(jnp.sum(pow_tf(abs_tf(a), p), axis=axis, keepdims=True), 1 / p)
    if not keepdims:
        out = jnp.squeeze(out, axis if axis is not None else tuple(range(a.ndim)))
    return out


def norm(
    tensor: Any,
    ord: Any = "euclidean",
    axis: Any = None,
    keepdims: bool | None = None,
    name: str | None = None,  # noqa: A002
) -> Tensor:
    """`tf.norm` / `tf.linalg.norm`: vector norms (`'euclidean'`, 1, 2, inf, p > 0) over `axis`
    (all axes when None), matrix norms (`'fro'`, 1, 2, inf) over a pair of axes.

    Computed as TF does (the Euclidean norm is `sqrt(sum(x * x))`, so its gradient at 0 is NaN).

    Raises:
      ValueError: an unsupported `ord` or `axis`.
    """
    t = as_input(tensor)
    ax = normalize_axis(axis)
    matrix = isinstance(ax, tuple) and len(ax) == 2
    if matrix:
        if ax[0] % t.ndim == ax[1] % t.ndim:
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        supported = ["euclidean", "fro", 1, 2, np.inf]
        if ord not in supported:
            raise ValueError(f"'ord' must be a supported matrix norm in {supported}, got {ord}")
        ax = tuple(a % t.ndim for a in ax)
    else:
        if isinstance(ax, tuple):
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        supported = ["euclidean", 1, 2, np.inf]
        if ord not in supported and not (isinstance(ord, (int, float)) and not isinstance(ord, bool) and ord > 0):
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
        if ax is not None:
            ax = ax % max(t.ndim, 1)
    if ord not in (1, np.inf):
        check_dtype(t, "Sqrt", FLOATS_COMPLEX)
    return dispatch(_norm_pure, t, ord=ord, axis=ax, keepdims=bool(keepdims), matrix=matrix)


@pure_op("L2Normalize")
def _l2_normalize_pure(x, axis, epsilon):
    square_sum = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
    return x * jax.lax.rsqrt(maximum_tf(square_sum, jnp.asarray(epsilon, x.dtype)))


def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: str | None = None, dim: Any = None) -> Tensor:
    """`tf.math.l2_normalize`: `x / sqrt(max(sum(x**2, axis), epsilon))`."""
    t = as_input(x)
    if not (t.dtype.is_floating or t.dtype.is_complex):
        raise TypeError(f"Cannot convert {epsilon!r} to EagerTensor of dtype {t.dtype.name}")
    ax = normalize_axis(axis if axis is not None else dim)
    return dispatch(_l2_normalize_pure, t, axis=ax, epsilon=float(epsilon))
