"""TF's gradient registry where it differs from JAX's defaults.

- `not_differentiable`: ops TF registers as NotDifferentiable, or whose gradient function
  returns None for every input (Round, Floor, OneHot, ZerosLike, RandomShuffle, ...). Tapes
  still record them, so their outputs are connected sources, but no gradient flows to their
  inputs: a source reached only through them gets None (zeros with
  `UnconnectedGradients.ZERO`), not a zero tensor as `jax.vjp` would give.
- Pure functions with TF's gradient formulas: each a `jax.custom_jvp` (so JAX derives the VJP,
  higher orders and `vmap`) for floating inputs; the op wrappers use the plain jnp function
  for integers.
"""

from __future__ import annotations

from typing import Callable

import jax
import jax.numpy as jnp
import jax.scipy.special

# TF op names declared not differentiable (for docs and tests; the mark is on the function).
NOT_DIFFERENTIABLE: set[str] = set()


def not_differentiable(fn: Callable) -> Callable:
    """Declare the pure op `fn` as TF's NotDifferentiable: recorded on tapes, no gradient to its inputs.

    `eager.dispatch` then skips the vjp residuals and `GradientTape` stops the backward walk there.
    """
    fn.tf_not_differentiable = True
    NOT_DIFFERENTIABLE.add(getattr(fn, "tf_op_name", fn.__name__))
    return fn


def no_registered_gradient(fn: Callable) -> Callable:
    """Declare the pure op `fn` as one TF registers no gradient for (Unique, DenseBincount):
    recorded on tapes, and a gradient that reaches its outputs raises TF's LookupError."""
    not_differentiable(fn)
    fn.tf_gradient_missing = True
    return fn


@jax.custom_jvp
def abs_tf(a):
    """|a| with gradient sign(a): 0 at 0, as TF's AbsGrad (JAX's is 1)."""
    return jnp.abs(a)


@abs_tf.defjvp
def _abs_tf_jvp(primals, tangents):
    (a,), (da,) = primals, tangents
    return jnp.abs(a), jnp.sign(a) * da


@jax.custom_jvp
def maximum_tf(a, b):
    """max(a, b); at ties the whole gradient goes to `a`, as TF's MaximumGrad (JAX splits it)."""
    return jnp.maximum(a, b)


@maximum_tf.defjvp
def _maximum_tf_jvp(primals, tangents):
    (a, b), (da, db) = primals, tangents
    return jnp.maximum(a, b), jnp.where(a >= b, da, db)


@jax.custom_jvp
def minimum_tf(a, b):
    """min(a, b); at ties the whole gradient goes to `a`, as TF's MinimumGrad."""
    return jnp.minimum(a, b)


@minimum_tf.defjvp
def _minimum_tf_jvp(primals, tangents):
    (a, b), (da, db) = primals, tangents
    return jnp.minimum(a, b), jnp.where(a <= b, da, db)


@jax.custom_jvp
def pow_tf(x, y):
    """x ** y with TF's PowGrad: d/dy is z * log(x) where x > 0 and 0 elsewhere (JAX: NaN for
    x < 0); d/dx is y * x ** (y - 1)."""
    return jnp.power(x, y)


@pow_tf.defjvp
def _pow_tf_jvp(primals, tangents):
    (x, y), (dx, dy) = primals, tangents
    z = jnp.power(x, y)
    positive = x > 0
    log_x = jnp.where(positive, jnp.log(jnp.where(positive, x, jnp.ones_like(x))), jnp.zeros_like(x))
    return z, y * jnp.power(x, y - 1) * dx + z * log_x * dy


@jax.custom_jvp
def softplus_tf(x):
    """TF's Softplus kernel: x above -(log(eps) + 2), exp(x) below log(eps) + 2, log(exp(x) + 1)
    between; gradient sigmoid(x), as TF's SoftplusGrad."""
    threshold = jnp.log(jnp.finfo(x.dtype).eps) + 2
    exp_x = jnp.exp(x)
    return jnp.where(x > -threshold, x, jnp.where(x < threshold, exp_x, jnp.log(exp_x + 1)))


@softplus_tf.defjvp
def _softplus_tf_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    return softplus_tf(x), dx * jax.nn.sigmoid(x)


def _xdivy(x, y):
    return jnp.where(x == 0, jnp.zeros_like(x), x / jnp.where(x == 0, jnp.ones_like(y), y))


@jax.custom_jvp
def xlogy_tf(x, y):
    """x * log(y), 0 where x == 0; TF's XlogyGrad: d/dx = xlogy(x != 0, y), d/dy = xdivy(x, y)
    (both 0 where x == 0; JAX's d/dx there is log(y))."""
    return jax.scipy.special.xlogy(x, y)


@xlogy_tf.defjvp
def _xlogy_tf_jvp(primals, tangents):
    (x, y), (dx, dy) = primals, tangents
    not_zero = (x != 0).astype(x.dtype)
    return xlogy_tf(x, y), jax.scipy.special.xlogy(not_zero, y) * dx + _xdivy(x, y) * dy


@jax.custom_jvp
def xlog1py_tf(x, y):
    """x * log1p(y), 0 where x == 0, with TF's Xlog1pyGrad (see `xlogy_tf`)."""
    return jax.scipy.special.xlog1py(x, y)


@xlog1py_tf.defjvp
def _xlog1py_tf_jvp(primals, tangents):
    (x, y), (dx, dy) = primals, tangents
    not_zero = (x != 0).astype(x.dtype)
    return xlog1py_tf(x, y), jax.scipy.special.xlog1py(not_zero, y) * dx + _xdivy(x, 1 + y) * dy
