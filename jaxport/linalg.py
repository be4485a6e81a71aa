"""The `tf.linalg` namespace."""

from jaxport.ops.clip_ops import global_norm  # noqa: F401
from jaxport.ops.creation_ops import eye  # noqa: F401
from jaxport.ops.linalg_decomp_ops import (  # noqa: F401
    adjoint,
    band_part,
    cholesky_solve,
    eigh,
    eigvalsh,
    lstsq,
    pinv,
    qr,
    set_diag,
    svd,
    triangular_solve,
)
from jaxport.ops.linalg_ops import (  # noqa: F401
    cholesky,
    det,
    diag,
    diag_part,
    einsum,
    inv,
    l2_normalize,
    logdet,
    matmul,
    matrix_transpose,
    matvec,
    norm,
    slogdet,
    solve,
    tensordot,
    trace,
)

transpose = matrix_transpose  # TF's `tf.linalg.transpose` (swaps the last two axes)
