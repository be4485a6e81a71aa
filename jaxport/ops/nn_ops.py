"""`tf.nn` activations (computed as TF's kernels compute them, with TF's gradients at the
kinks), `softmax`/`log_softmax`, `bias_add`, `moments`, `dropout` and `l2_loss`. The
cross-entropies live in `nn_loss_ops`, `compute_average_loss` in `nn_distribute_ops`."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport import errors
from jaxport.eager import Tensor, dispatch
from jaxport.ops import math_ops
from jaxport.ops._helpers import (
    FLOATS,
    as_input,
    binary_inputs,
    check_dtype,
    dims_text,
    normalize_axis,
    op_error,
    pure_op,
)
from jaxport.ops.linalg_ops import l2_normalize  # noqa: F401 - also tf.nn.l2_normalize
from jaxport.ops.nn_loss_ops import (  # noqa: F401 - tf.nn names
    sigmoid_cross_entropy_pure,
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
    weighted_cross_entropy_with_logits,
)
from jaxport.ops.reduction_ops import _mean, top_k  # noqa: F401 - also tf.nn.top_k

sigmoid = math_ops.sigmoid
tanh = math_ops.tanh
softplus = math_ops.softplus
softsign = math_ops.softsign
log_sigmoid = math_ops.log_sigmoid

# TF's Selu constants (scale, and scale * alpha rounded as TF writes it).
_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_SCALE_ALPHA = 1.7580993408473768599402175208123


def _activation(fn, op_name: str, allowed: str | None = FLOATS):
    pure = pure_op(op_name)(fn)

    def op(features: Any, name: str | None = None) -> Tensor:
        t = as_input(features)
        if allowed is not None:
            check_dtype(t, op_name, allowed)
        return dispatch(pure, t)

    op.__name__ = op.__qualname__ = op_name.lower()
    op.__doc__ = f"`tf.nn.{op_name.lower()}`: elementwise, as TF's {op_name} kernel (value and gradient)."
    return op


def _relu_pure(a):
    return jax.nn.relu(a)  # gradient 0 at 0, as TF (jnp.maximum would give 0.5)


def _relu6_pure(a):
    if jnp.issubdtype(a.dtype, jnp.integer):
        return jnp.clip(a, 0, 6)
    return jax.nn.relu6(a)  # gradient 1 only on (0, 6), as TF


def _elu_pure(a):
    negative = a < 0
    return jnp.where(negative, jnp.exp(jnp.where(negative, a, jnp.zeros_like(a))) - 1, a)


def _selu_pure(a):
    negative = a < 0
    scale_alpha = jnp.asarray(_SELU_SCALE_ALPHA, a.dtype)
    below = scale_alpha * (jnp.exp(jnp.where(negative, a, jnp.zeros_like(a))) - 1)
    return jnp.where(negative, below, jnp.asarray(_SELU_SCALE, a.dtype) * a)  # gradient `scale` at 0, as TF


relu = _activation(_relu_pure, "Relu", None)
relu6 = _activation(_relu6_pure, "Relu6", None)
elu = _activation(_elu_pure, "Elu")
selu = _activation(_selu_pure, "Selu")


@pure_op("LeakyRelu")
def _leaky_relu_pure(a, alpha):
    return jnp.where(a > 0, a, a * jnp.asarray(alpha, a.dtype))  # gradient alpha at 0, as TF


def leaky_relu(features: Any, alpha: float = 0.2, name: str | None = None) -> Tensor:
    """`tf.nn.leaky_relu`: x where x > 0, else alpha * x (integers are cast to float32, as TF)."""
    t = as_input(features)
    if t.dtype.is_integer:
        t = math_ops.cast(t, "float32")
    check_dtype(t, "LeakyRelu", FLOATS)
    return dispatch(_leaky_relu_pure, t, alpha=float(alpha))


@pure_op("Gelu")
def _gelu_pure(x, approximate):
    half = jnp.asarray(0.5, x.dtype)
    one = jnp.asarray(1.0, x.dtype)
    if approximate:
        coeff = jnp.asarray(0.044715, x.dtype)
        inner = jnp.asarray(0.7978845608028654, x.dtype) * (x + coeff * jnp.power(x, 3))
        return half * x * (one + jnp.tanh(inner))
    return half * x * (one + jax.scipy.special.erf(x / jnp.asarray(1.4142135623730951, x.dtype)))


def gelu(features: Any, approximate: bool = False, name: str | None = None) -> Tensor:
    """`tf.nn.gelu`: `0.5 x (1 + erf(x / sqrt 2))`, or TF's tanh approximation.

    Raises:
      ValueError: a non-floating input, as TF.
    """
    t = as_input(features)
    if not t.dtype.is_floating:
        raise ValueError(f"`features.dtype` must be a floating point tensor.Received:features.dtype={t.dtype}")
    return dispatch(_gelu_pure, t, approximate=bool(approximate))


@pure_op("Swish")
def _swish_pure(x, beta):
    return x * jax.nn.sigmoid(jnp.asarray(beta, x.dtype) * x)


def swish(features: Any, beta: float = 1.0, name: str | None = None) -> Tensor:
    """`tf.nn.swish` / `tf.nn.silu`: `x * sigmoid(beta * x)`."""
    t = as_input(features)
    check_dtype(t, "Sigmoid", FLOATS)
    return dispatch(_swish_pure, t, beta=float(beta))


silu = swish


# -- softmax -------------------------------------------------------------------------------


def _floating(x: Any, op_name: str) -> Any:
    t = as_input(x)
    if not t.dtype.is_floating:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Value for attr 'T' of {t.dtype.name} is not in the list of allowed values: half, bfloat16, float, "
            f"double [Op:{op_name}]",
        )
    return t


def _softmax_axis(t: Any, axis: Any) -> int:
    ax = int(normalize_axis(axis))
    if not -t.ndim <= ax < t.ndim:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"`dim` must be in the range [{-t.ndim}, {t.ndim}) where {t.ndim} is the number of dimensions in the "
            f"input. Received: dim={ax}",
        )
    return ax % t.ndim


@pure_op("Softmax")
def _softmax_pure(a, axis):
    return jax.nn.softmax(a, axis=axis)


def softmax(logits: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """`tf.nn.softmax` along `axis` (floating inputs only, as TF)."""
    t = _floating(logits, "Softmax")
    return dispatch(_softmax_pure, t, axis=_softmax_axis(t, axis))


@pure_op("LogSoftmax")
def _log_softmax_pure(a, axis):
    return jax.nn.log_softmax(a, axis=axis)


def log_softmax(logits: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """`tf.nn.log_softmax` along `axis`."""
    t = _floating(logits, "LogSoftmax")
    return dispatch(_log_softmax_pure, t, axis=_softmax_axis(t, axis))


# -- bias_add, moments -------------------------------------------------------------------------


@pure_op("BiasAdd")
def _bias_add_pure(value, bias, channel_axis):
    shape = [1] * value.ndim
    shape[channel_axis] = bias.shape[0]
    return value + bias.reshape(shape)


def bias_add(value: Any, bias: Any, data_format: str | None = None, name: str | None = None) -> Tensor:
    """`tf.nn.bias_add`: add the 1-D `bias` along the channel axis (last; axis 1 for 'NC...').

    Raises:
      InvalidArgumentError: a rank < 2 value, a non-1-D bias, a size mismatch or mixed dtypes.
    """
    v, b = binary_inputs(value, bias, "BiasAdd")
    if v.ndim < 2:
        raise op_error(f"Input tensor must be at least 2D: {dims_text(v.shape)}", "BiasAdd")
    if b.ndim != 1:
        raise op_error(f"Biases must be 1D: {dims_text(b.shape)}", "BiasAdd")
    channels_first = data_format is not None and str(data_format).startswith("NC")
    channel_axis = 1 if channels_first else v.ndim - 1
    if v.shape[channel_axis] != b.shape[0]:
        raise op_error(
            "Must provide as many biases as the "
            f"{'channel' if channels_first else 'last'} dimension of the input tensor: "
            f"{dims_text(b.shape)} vs. {dims_text(v.shape)}",
            "BiasAdd",
        )
    return dispatch(_bias_add_pure, v, b, channel_axis=channel_axis)


@pure_op("Moments")
def _moments_pure(x, axes, keepdims):
    mean = _mean(x, axis=axes, keepdims=True)
    deviation = x - jax.lax.stop_gradient(mean)
    variance = _mean(deviation * deviation, axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = jnp.squeeze(mean, axes), jnp.squeeze(variance, axes)
    return mean, variance


def moments(
    x: Any, axes: Any, shift: Any = None, keepdims: bool = False, name: str | None = None
) -> tuple[Tensor, Tensor]:
    """`tf.nn.moments`: (mean, biased variance) over `axes`, as TF computes them (the variance
    uses the mean through `stop_gradient`)."""
    t = as_input(x)
    ax = normalize_axis(axes)
    ax = tuple(a % max(t.ndim, 1) for a in (ax if isinstance(ax, tuple) else (ax,)))
    return dispatch(_moments_pure, t, axes=ax, keepdims=bool(keepdims))


# -- dropout, losses helpers -------------------------------------------------------------------


@pure_op("Dropout")
def _dropout_pure(x, key, rate, noise_shape):
    keep = 1.0 - rate
    # one uniform draw per noise_shape cell, broadcast along its size-1 dims (a shared mask)
    mask = jax.random.uniform(key, noise_shape, x.dtype) >= jnp.asarray(rate, x.dtype)
    return jnp.where(mask, x / jnp.asarray(keep, x.dtype), jnp.zeros_like(x))


def dropout_noise_shape(x_shape: tuple, noise_shape: Any) -> tuple:
    """The mask's shape: `noise_shape` with None dims filled from the input's shape (TF's rule).

    Raises:
      InvalidArgumentError: a noise shape that does not broadcast to the input's shape.
    """
    if noise_shape is None:
        return tuple(x_shape)
    if isinstance(noise_shape, Tensor):
        noise_shape = [int(d) for d in noise_shape.numpy().tolist()]
    dims = list(noise_shape)
    if len(dims) == len(x_shape):
        dims = [x_dim if d is None else d for d, x_dim in zip(dims, x_shape)]
    dims = tuple(int(d) for d in dims)
    try:
        broadcast = jnp.broadcast_shapes(dims, tuple(x_shape))
    except ValueError:
        broadcast = None
    if broadcast != tuple(x_shape):
        raise errors.InvalidArgumentError(
            None,
            None,
            f"condition [{','.join(map(str, dims))}], then [{','.join(map(str, x_shape))}], and else [] must be "
            f"broadcastable: the dropout `noise_shape` {list(dims)} must broadcast to the input shape "
            f"{list(x_shape)} [Op:SelectV2]",
        )
    return dims


def dropout(x: Any, rate: float, noise_shape: Any = None, seed: int | None = None, name: str | None = None) -> Tensor:
    """`tf.nn.dropout`: zero elements with probability `rate`, scale the rest by 1/(1-rate).

    Args:
      noise_shape: the shape of the random keep/drop mask, broadcast to `x`'s shape (e.g.
        `[batch, 1, features]` drops the same features at every timestep); None dims are
        filled from `x`'s shape.
      seed: accepted as TF's op seed; the draw comes from the global RNG (`tf.random.set_seed`
        makes it repeat).

    Raises:
      ValueError: a non-float `x`, or a `rate` outside [0, 1).
      InvalidArgumentError: a `noise_shape` that does not broadcast to `x`'s shape.
    """
    from jaxport.ops import random_ops

    t = as_input(x)
    if not t.dtype.is_floating:
        raise ValueError(
            "`x.dtype` must be a floating point tensor as `x` will be scaled. "
            f"Received: x_dtype=<dtype: '{t.dtype.name}'>"
        )
    if isinstance(rate, Tensor) and rate.ndim == 0 and not isinstance(rate._value, jax.core.Tracer):
        rate = float(rate.numpy())
    if isinstance(rate, (int, float)) and not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
    mask_shape = dropout_noise_shape(tuple(t.shape), noise_shape)
    if rate == 0:
        return t
    return dispatch(_dropout_pure, t, Tensor(random_ops.next_key()), rate=float(rate), noise_shape=mask_shape)


@pure_op("L2Loss")
def _l2_loss_pure(a):
    return jnp.sum(jnp.square(a) * jnp.asarray(0.5, a.dtype))


def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """`tf.nn.l2_loss`: sum(t ** 2) / 2 (floating inputs only)."""
    x = as_input(t)
    check_dtype(x, "L2Loss", FLOATS)
    return dispatch(_l2_loss_pure, x)


def embedding_lookup(params: Any, ids: Any, max_norm: float | None = None, name: str | None = None) -> Tensor:
    """`tf.nn.embedding_lookup`: the rows of `params` at `ids` (`tf.gather` on axis 0)."""
    from jaxport.ops.indexing_ops import gather

    if max_norm is not None:
        raise NotImplementedError("embedding_lookup(max_norm=...) is not supported by jaxport.")
    return gather(params, ids)
