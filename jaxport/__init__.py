"""jaxport: TensorFlow 2's programming model on JAX. Use as `import jaxport as tf`.

This module is the TF2-shaped namespace only: re-exports, no logic.
"""

from jaxport import (  # noqa: F401 - the tf.config, tf.data, tf.distribute, ... namespaces
    autograph,
    config,
    data,
    distribute,
    errors,
    image,
    keras,
    linalg,
    ragged,
    sparse,
    strings,
)
from jaxport.autograph.control_flow import TensorArray, case, cond, switch_case, while_loop  # noqa: F401
from jaxport.custom_gradient import custom_gradient  # noqa: F401
from jaxport.device import DeviceSpec, device  # noqa: F401
from jaxport.dtypes import (  # noqa: F401
    DType,
    as_dtype,
    bfloat16,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
)
from jaxport.eager import (  # noqa: F401
    Tensor,
    TensorShape,
    constant,
    convert_to_tensor,
    executing_eagerly,
    is_tensor,
)
from jaxport.function import function  # noqa: F401
from jaxport.grad import GradientTape, UnconnectedGradients, stop_gradient  # noqa: F401
from jaxport.module import Module  # noqa: F401
from jaxport.modules.keras_tensor import dispatch_keras_tensors as _dispatch_keras_tensors
from jaxport.name_scope import name_scope  # noqa: F401
from jaxport.ops import bitwise as bitwise  # noqa: F401
from jaxport.ops import math as math  # noqa: F401
from jaxport.ops import nn as nn  # noqa: F401
from jaxport.ops import random as random  # noqa: F401
from jaxport.ops.array_ops import (  # noqa: F401
    boolean_mask,
    broadcast_to,
    concat,
    expand_dims,
    eye,
    fill,
    gather,
    gather_nd,
    identity,
    linspace,
    newaxis,
    one_hot,
    ones,
    ones_like,
    pad,
    range,
    rank,
    reshape,
    reverse,
    shape,
    size,
    slice,
    split,
    squeeze,
    stack,
    tile,
    transpose,
    unstack,
    where,
    zeros,
    zeros_like,
)
from jaxport.ops.clip_ops import clip_by_global_norm, clip_by_norm  # noqa: F401
from jaxport.ops.linalg_ops import einsum, norm, tensordot  # noqa: F401
from jaxport.ops.logging_ops import print  # noqa: F401, A004
from jaxport.ops.math_ops import (  # noqa: F401
    abs,
    acos,
    acosh,
    add,
    add_n,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cast,
    clip_by_value,
    cos,
    cosh,
    divide,
    equal,
    exp,
    floor,
    greater,
    greater_equal,
    less,
    less_equal,
    log,
    logical_and,
    logical_not,
    logical_or,
    matmul,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    pow,
    realdiv,
    round,
    sigmoid,
    sign,
    sin,
    sinh,
    sqrt,
    square,
    subtract,
    tan,
    tanh,
    truediv,
)
from jaxport.ops.reduction_ops import (  # noqa: F401
    argmax,
    argmin,
    argsort,
    cumsum,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
    sort,
)
from jaxport.ops.scatter_ops import (  # noqa: F401
    scatter_nd,
    tensor_scatter_nd_add,
    tensor_scatter_nd_max,
    tensor_scatter_nd_min,
    tensor_scatter_nd_sub,
    tensor_scatter_nd_update,
)
from jaxport.ops.script_ops import numpy_function, py_function  # noqa: F401
from jaxport.ops.unique_ops import unique, unique_with_counts  # noqa: F401
from jaxport.ragged.ragged_tensor import RaggedTensor  # noqa: F401
from jaxport.sparse.sparse_tensor import SparseTensor  # noqa: F401
from jaxport.tensor_spec import TensorSpec  # noqa: F401
from jaxport.variables import Variable  # noqa: F401

# TF ops called on Keras symbolic tensors become op layers (tf_keras's TFOpLambda dispatch).
_dispatch_keras_tensors({"": __import__(__name__), "math.": math, "nn.": nn, "linalg.": linalg})

__version__ = "0.1.0"
