"""TF op namespaces as dispatch wrappers: math, arrays, nn, random, linalg."""

from jaxport.ops import (  # noqa: F401
    array_ops,
    creation_ops,
    indexing_ops,
    linalg_ops,
    math_ops,
    nn_loss_ops,
    nn_ops,
    operators,
    random_ops,
    reduction_ops,
)
