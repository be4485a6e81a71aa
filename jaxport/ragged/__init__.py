"""`tf.ragged`: RaggedTensor construction and ops (see ragged_tensor.py and ragged_ops.py)."""

from jaxport.ragged.ragged_array_ops import boolean_mask, range, stack  # noqa: F401, A004
from jaxport.ragged.ragged_ops import constant, map_flat_values  # noqa: F401
from jaxport.ragged.ragged_tensor import RaggedTensor  # noqa: F401
