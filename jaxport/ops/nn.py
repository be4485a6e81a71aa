"""The `tf.nn` namespace."""

from jaxport.ops.nn_ops import (  # noqa: F401
    compute_average_loss,
    dropout,
    l2_loss,
    log_softmax,
    relu,
    sigmoid,
    sigmoid_cross_entropy_with_logits,
    softmax,
    softplus,
    tanh,
)
