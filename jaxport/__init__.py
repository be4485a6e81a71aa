"""jaxport: TensorFlow 2's programming model on JAX. Use as `import jaxport as tf`.

This module is the TF2-shaped namespace only: re-exports, no logic.
"""

from jaxport import (  # noqa: F401  # noqa: F401,E402
    config,
    data,
    distribute,
    errors,
    keras,
    linalg,  # noqa: F401,E402
)
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
from jaxport.grad import GradientTape, UnconnectedGradients, custom_gradient, stop_gradient  # noqa: F401
from jaxport.module import Module  # noqa: F401
from jaxport.name_scope import name_scope  # noqa: F401
from jaxport.ops import math_ops as math  # noqa: F401
from jaxport.ops import nn as nn  # noqa: F401
from jaxport.ops import random as random  # noqa: F401
from jaxport.ops.array_ops import (  # noqa: F401
    concat,
    expand_dims,
    fill,
    identity,
    ones,
    ones_like,
    rank,
    reshape,
    shape,
    size,
    squeeze,
    stack,
    transpose,
    unstack,
    zeros,
    zeros_like,
)
from jaxport.ops.math_ops import (  # noqa: F401
    abs,
    add,
    argmax,
    argmin,
    cast,
    clip_by_value,
    divide,
    equal,
    exp,
    greater,
    less,
    log,
    matmul,
    maximum,
    minimum,
    multiply,
    negative,
    pow,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_sum,
    sigmoid,
    sqrt,
    square,
    subtract,
    tanh,
)
from jaxport.variables import Variable  # noqa: F401

__version__ = "0.1.0"
