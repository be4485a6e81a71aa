"""Matrix decompositions and solvers of `tf.linalg`: `svd`, `qr`, `eigh`, `eigvalsh`,
`triangular_solve`, `cholesky_solve`, `lstsq`, `pinv`, and the structural ops `band_part`,
`set_diag`, `adjoint`, on `jnp.linalg` / `jax.scipy.linalg`.

TF's conventions: `svd` returns `(s, u, v)` with `v` itself (not its adjoint) and singular
values in descending order; `eigh` reads only the lower triangle of its input, so its
gradient is lower-triangular (TF's); `lstsq` solves the regularised normal equations with a
Cholesky factorisation, as TF's default `fast=True` path. Singular and eigen vectors are
unique only up to the sign of each column: TF computes them with Eigen's solvers, jaxport
with LAPACK's, and a column may come out negated (see docs/differences.md).
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import jax.numpy as jnp
import jax.scipy.linalg as jsl
import numpy as np

from jaxport.eager import Tensor, dispatch, to_raw
from jaxport.ops._helpers import (
    FLOATS_COMPLEX,
    as_input,
    binary_inputs,
    check_dtype,
    dims_text,
    int_list,
    op_error,
    pure_op,
    shape_of,
)
from jaxport.variables import Variable

__all__ = [
    "svd",
    "qr",
    "eigh",
    "eigvalsh",
    "triangular_solve",
    "cholesky_solve",
    "lstsq",
    "pinv",
    "band_part",
    "set_diag",
    "adjoint",
]

_LAPACK_TYPES = "double, float, half, complex64, complex128"
Qr = namedtuple("Qr", ["q", "r"])
Eigh = namedtuple("Eigh", ["e", "v"])


def _adjoint(a):
    return jnp.conj(jnp.swapaxes(a, -1, -2))


def _matrix_input(x: Any, op_name: str, square: bool = False, allowed: str = _LAPACK_TYPES) -> Any:
    t = as_input(x)
    check_dtype(t, op_name, allowed)
    if t.ndim < 2:
        raise op_error(f"Input tensor 0 must have rank >= 2, got {t.ndim}", op_name)
    if square and shape_of(t)[-1] != shape_of(t)[-2]:
        raise op_error("Input matrix must be square.", op_name)
    return t


# -- decompositions ------------------------------------------------------------------------


@pure_op("Svd")
def _svd_pure(a, full_matrices, compute_uv):
    if not compute_uv:
        return jnp.linalg.svd(a, compute_uv=False)
    u, s, vh = jnp.linalg.svd(a, full_matrices=full_matrices)
    return s, u, _adjoint(vh)


def svd(tensor: Any, full_matrices: bool = False, compute_uv: bool = True, name: str | None = None) -> Any:
    """`tf.linalg.svd`: `s, u, v` with `tensor = u @ diag(s) @ adjoint(v)` (`s` alone when
    `compute_uv=False`); `s` descending; `u`/`v` are `[..., M, P]`/`[..., N, P]`, P = min(M, N)
    (M and N columns with `full_matrices`).

    Raises:
      InvalidArgumentError: rank < 2 or a non-float dtype.
    """
    t = _matrix_input(tensor, "Svd")
    return dispatch(_svd_pure, t, full_matrices=bool(full_matrices), compute_uv=bool(compute_uv))


@pure_op("Qr")
def _qr_pure(a, full_matrices):
    q, r = jnp.linalg.qr(a, mode="complete" if full_matrices else "reduced")
    return q, r


def qr(input: Any, full_matrices: bool = False, name: str | None = None) -> Qr:  # noqa: A002
    """`tf.linalg.qr`: `(q, r)` with orthonormal `q` and upper-triangular `r` (Householder, as
    TF: the diagonal of `r` may be negative)."""
    t = _matrix_input(input, "Qr")
    return Qr(*dispatch(_qr_pure, t, full_matrices=bool(full_matrices)))


@pure_op("SelfAdjointEigV2")
def _eigh_pure(a, compute_v):
    # TF reads the lower triangle only: the upper one gets no gradient.
    lower = jnp.tril(a)
    hermitian = lower + _adjoint(jnp.tril(a, -1))
    if not compute_v:
        return jnp.linalg.eigvalsh(hermitian, symmetrize_input=False)
    e, v = jnp.linalg.eigh(hermitian, symmetrize_input=False)
    return e, v


def eigh(tensor: Any, name: str | None = None) -> Eigh:
    """`tf.linalg.eigh`: eigenvalues (ascending) and eigenvectors (columns) of a self-adjoint
    matrix, read from its lower triangle.

    Raises:
      InvalidArgumentError: a non-square matrix or a non-float dtype.
    """
    t = _matrix_input(tensor, "SelfAdjointEigV2", square=True)
    return Eigh(*dispatch(_eigh_pure, t, compute_v=True))


def eigvalsh(tensor: Any, name: str | None = None) -> Tensor:
    """`tf.linalg.eigvalsh`: the eigenvalues (ascending) of a self-adjoint matrix."""
    t = _matrix_input(tensor, "SelfAdjointEigV2", square=True)
    return dispatch(_eigh_pure, t, compute_v=False)


# -- solvers -------------------------------------------------------------------------------


@pure_op("MatrixTriangularSolve")
def _triangular_solve_pure(a, b, lower, adjoint):
    if a.shape[:-2] != b.shape[:-2]:
        batch = jnp.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        a, b = jnp.broadcast_to(a, batch + a.shape[-2:]), jnp.broadcast_to(b, batch + b.shape[-2:])
    return jsl.solve_triangular(a, b, lower=lower, trans="C" if adjoint else 0)


def triangular_solve(
    matrix: Any, rhs: Any, lower: bool = True, adjoint: bool = False, name: str | None = None
) -> Tensor:
    """`tf.linalg.triangular_solve`: X with `matrix @ X = rhs` (`adjoint(matrix) @ X` with
    `adjoint`), reading only the lower (or upper) triangle of `matrix`.

    Raises:
      InvalidArgumentError: a non-square matrix or a row count that does not match `rhs`.
    """
    a, b = binary_inputs(matrix, rhs, "MatrixTriangularSolve")
    check_dtype(a, "MatrixTriangularSolve", "bfloat16, double, float, half, complex64, complex128")
    sa, sb = shape_of(a), shape_of(b)
    if len(sa) < 2 or len(sb) < 2:
        raise op_error(f"Input tensor {0 if len(sa) < 2 else 1} must have rank >= 2", "MatrixTriangularSolve")
    if sa[-1] != sa[-2]:
        raise op_error(
            f"In[0] matrices in the last dimensions must be square ({sa[-1]} =/= {sa[-2]})", "MatrixTriangularSolve"
        )
    if sa[-1] != sb[-2]:
        raise op_error(
            f"In[0] mismatch In[1] shape: {sa[-1]} vs. {sb[-2]}: {dims_text(sa)} {dims_text(sb)} "
            f"{int(bool(lower))} {int(bool(adjoint))}",
            "MatrixTriangularSolve",
        )
    if sa[:-2] != sb[:-2]:
        try:
            np.broadcast_shapes(tuple(sa[:-2]), tuple(sb[:-2]))
        except ValueError:
            raise op_error(
                f"Incompatible shapes: {dims_text(sa[:-2])} vs. {dims_text(sb[:-2])}", "MatrixTriangularSolve"
            ) from None
    return dispatch(_triangular_solve_pure, a, b, lower=bool(lower), adjoint=bool(adjoint))


@pure_op("CholeskySolve")
def _cholesky_solve_pure(chol, b):
    y = jsl.solve_triangular(chol, b, lower=True)
    return jsl.solve_triangular(chol, y, lower=True, trans="C")


def cholesky_solve(chol: Any, rhs: Any, name: str | None = None) -> Tensor:
    """`tf.linalg.cholesky_solve`: X with `A @ X = rhs` given `chol = cholesky(A)`."""
    a, b = binary_inputs(chol, rhs, "MatrixTriangularSolve")
    _matrix_input(a, "MatrixTriangularSolve", square=True)
    if b.ndim < 2 or shape_of(b)[-2] != shape_of(a)[-1]:
        raise op_error(
            f"In[0] mismatch In[1] shape: {shape_of(a)[-1]} vs. {shape_of(b)[-2] if b.ndim >= 2 else 0}: "
            f"{dims_text(shape_of(a))} {dims_text(shape_of(b))} 1 0",
            "MatrixTriangularSolve",
        )
    return dispatch(_cholesky_solve_pure, a, b)


@pure_op("MatrixSolveLs")
def _lstsq_pure(a, b, l2):
    m, n = a.shape[-2:]
    ah = _adjoint(a)
    if m >= n:  # X = (A^H A + l2 I)^-1 A^H B
        gram = ah @ a + l2 * jnp.eye(n, dtype=a.dtype)
        return _cholesky_solve_pure(jnp.linalg.cholesky(gram), ah @ b)
    gram = a @ ah + l2 * jnp.eye(m, dtype=a.dtype)  # X = A^H (A A^H + l2 I)^-1 B
    return ah @ _cholesky_solve_pure(jnp.linalg.cholesky(gram), b)


def lstsq(matrix: Any, rhs: Any, l2_regularizer: float = 0.0, fast: bool = True, name: str | None = None) -> Tensor:
    """`tf.linalg.lstsq`: the least-squares (minimum-norm when underdetermined) solution of
    `matrix @ X = rhs`, with Tikhonov `l2_regularizer`, by TF's normal-equations method.

    Raises:
      InvalidArgumentError: `matrix` and `rhs` with different row counts.
    """
    a, b = binary_inputs(matrix, rhs, "MatrixSolveLs")
    _matrix_input(a, "MatrixSolveLs")
    sa, sb = shape_of(a), shape_of(b)
    if len(sb) < 2 or sb[-2] != sa[-2]:  # TF fails inside its normal equations, in one of two ops
        if sa[-2] >= sa[-1]:
            raise op_error(
                f"Matrix size-incompatible: In[0]: {dims_text(sa[-2:])}, In[1]: {dims_text(sb[-2:])}", "MatMul"
            )
        raise op_error(
            f"In[0] mismatch In[1] shape: {sa[-2]} vs. {sb[-2]}: {dims_text(sa[-2:-1] * 2)} {dims_text(sb[-2:])} 1 0",
            "MatrixTriangularSolve",
        )
    if not fast:
        raise NotImplementedError("tf.linalg.lstsq(fast=False) (complete orthogonal decomposition) is not ported.")
    return dispatch(_lstsq_pure, a, b, l2=float(l2_regularizer))


@pure_op("Pinv")
def _pinv_pure(a, rcond):
    u, s, vh = jnp.linalg.svd(a, full_matrices=False)
    if rcond is None:
        rcond = 10.0 * max(a.shape[-2:]) * float(jnp.finfo(a.dtype).eps)
    cutoff = rcond * jnp.max(s, axis=-1, keepdims=True)
    s_inv = jnp.where(s > cutoff, 1 / jnp.where(s > cutoff, s, 1), 0)
    return _adjoint(vh) @ (s_inv[..., :, None] * _adjoint(u))


def pinv(a: Any, rcond: float | None = None, validate_args: bool = False, name: str | None = None) -> Tensor:
    """`tf.linalg.pinv`: the Moore-Penrose pseudo-inverse via the SVD, dropping singular values
    below `rcond * max(s)` (default `rcond = 10 * max(M, N) * eps`, TF's).

    Raises:
      TypeError: a non-float dtype.
    """
    t = as_input(a)
    if not (t.dtype.is_floating or t.dtype.is_complex):
        raise TypeError(f"Input `a` must have `float`-like `dtype` (saw {t.dtype.name}).")
    t = _matrix_input(t, "Svd")
    return dispatch(_pinv_pure, t, rcond=None if rcond is None else float(rcond))


# -- structure -----------------------------------------------------------------------------


@pure_op("MatrixBandPart")
def _band_part_pure(a, num_lower, num_upper):
    rows = jnp.arange(a.shape[-2])[:, None]
    cols = jnp.arange(a.shape[-1])[None, :]
    keep = jnp.ones(a.shape[-2:], bool)
    if num_lower >= 0:
        keep &= rows - cols <= num_lower
    if num_upper >= 0:
        keep &= cols - rows <= num_upper
    return jnp.where(keep, a, jnp.zeros((), a.dtype))


def band_part(input: Any, num_lower: Any, num_upper: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.linalg.band_part`: zero everything outside the band of `num_lower` subdiagonals and
    `num_upper` superdiagonals (negative: keep the whole triangle).

    Raises:
      InvalidArgumentError: rank < 2 or a band wider than the matrix.
    """
    t = as_input(input)
    if t.ndim < 2:
        raise op_error(f"input must be at least 2-dim, received shape: {dims_text(shape_of(t))}", "MatrixBandPart")
    lo, hi = int_list(num_lower, "num_lower")[0], int_list(num_upper, "num_upper")[0]
    rows, cols = shape_of(t)[-2:]
    if lo > rows:
        raise op_error(
            f"num_lower must be negative or less or equal to number of rows ({rows}) got: {lo}", "MatrixBandPart"
        )
    if hi > cols:
        raise op_error(
            f"num_upper must be negative or less or equal to number of columns ({cols}) got: {hi}", "MatrixBandPart"
        )
    return dispatch(_band_part_pure, t, num_lower=lo, num_upper=hi)


@pure_op("MatrixSetDiagV3")
def _set_diag_pure(a, diagonal):
    n = min(a.shape[-2:])
    on_diagonal = jnp.eye(a.shape[-2], a.shape[-1], dtype=bool)
    padded = jnp.zeros(a.shape[:-2] + (a.shape[-1],), a.dtype).at[..., :n].set(diagonal)
    return jnp.where(on_diagonal, padded[..., None, :], a)


def set_diag(input: Any, diagonal: Any, name: str = "set_diag", k: Any = 0, align: str = "RIGHT_LEFT") -> Tensor:  # noqa: A002
    """`tf.linalg.set_diag`: `input` with its main diagonal replaced by `diagonal` (shape
    `input.shape[:-2] + [min(M, N)]`). Only `k=0` is ported.

    Raises:
      InvalidArgumentError: a diagonal of the wrong shape.
    """
    t = as_input(input)
    d = diagonal if isinstance(diagonal, (Tensor, Variable)) else Tensor(to_raw(diagonal, t.dtype))
    if int_list(k, "k") != [0]:
        raise NotImplementedError("tf.linalg.set_diag with k != 0 is not ported; only the main diagonal.")
    if t.ndim < 2:
        raise op_error(f"input must be at least 2-dim, received shape: {dims_text(shape_of(t))}", "MatrixSetDiagV3")
    want = shape_of(t)[:-2] + (min(shape_of(t)[-2:]),)
    if shape_of(d) != want:
        raise op_error(
            "Either first dimensions of diagonal don't match input.shape[:-2], or diagonal.shape[:-1] is not equal "
            f"to the longests diagonal in range [lower_diag_index:upper_diag_index].\nInput shape: "
            f"{dims_text(shape_of(t))}\nDiagonal shape: {dims_text(shape_of(d))}\nExpected diagonal shape: "
            f"{dims_text(want)}",
            "MatrixSetDiagV3",
        )
    if d.dtype != t.dtype:
        raise op_error(
            f"cannot compute MatrixSetDiagV3 as input #1(zero-based) was expected to be a {t.dtype.name} tensor "
            f"but is a {d.dtype.name} tensor",
            "MatrixSetDiagV3",
        )
    return dispatch(_set_diag_pure, t, d)


@pure_op("Adjoint")
def _adjoint_pure(a):
    return _adjoint(a)


def adjoint(matrix: Any, name: str | None = None) -> Tensor:
    """`tf.linalg.adjoint`: the conjugate transpose of the last two axes."""
    t = as_input(matrix)
    if t.ndim < 2:
        raise ValueError(f"Argument `matrix` must have rank >= 2; received shape {t.shape}.")
    check_dtype(t, "Transpose", FLOATS_COMPLEX + ", int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool")
    return dispatch(_adjoint_pure, t)
