"""`tf.sparse`: SparseTensor and its ops (see sparse_tensor.py and sparse_ops.py)."""

from jaxport.sparse.sparse_ops import (  # noqa: F401
    add,
    concat,
    expand_dims,
    eye,
    fill_empty_rows,
    from_dense,
    map_values,
    maximum,
    minimum,
    reduce_sum,
    reorder,
    reshape,
    retain,
    slice,
    sparse_dense_matmul,
    to_dense,
    to_indicator,
    transpose,
)
from jaxport.sparse.sparse_tensor import SparseTensor  # noqa: F401
