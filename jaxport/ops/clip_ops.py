"""Norm clipping: `tf.clip_by_norm`, `tf.clip_by_global_norm`, `tf.linalg.global_norm`.

Written with jaxport's own ops, in TF's formulas, so tapes record them and the numbers
follow TF's (`clip_ops.py`): `t * clip_norm / max(norm, clip_norm)`, and for the global
norm `t * clip_norm * min(1/global_norm, 1/clip_norm)` (NaN everywhere when the norm is
infinite or NaN).
"""

from __future__ import annotations

from typing import Any

from jaxport.eager import Tensor
from jaxport.ops import math_ops, reduction_ops
from jaxport.ops._helpers import as_input
from jaxport.ops.creation_ops import ones_like
from jaxport.ops.indexing_ops import where

__all__ = ["clip_by_norm", "global_norm", "clip_by_global_norm"]


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """`tf.clip_by_norm`: rescale `t` so its L2 norm (over `axes`, default all) is at most
    `clip_norm`."""
    t = as_input(t)
    clip_norm = math_ops.cast(clip_norm, t.dtype)
    l2sum = reduction_ops.reduce_sum(math_ops.multiply(t, t), axis=axes, keepdims=True)
    positive = math_ops.greater(l2sum, 0.0)
    safe = where(positive, l2sum, ones_like(l2sum))
    l2norm = where(positive, math_ops.sqrt(safe), l2sum)
    return math_ops.divide(math_ops.multiply(t, clip_norm), math_ops.maximum(l2norm, clip_norm))


def global_norm(t_list: Any, name: str | None = None) -> Tensor:
    """`tf.linalg.global_norm`: sqrt of the summed squares of every tensor (None skipped).

    Raises:
      TypeError: `t_list` is not a sequence (a single Tensor).
    """
    if isinstance(t_list, (Tensor, str)) or not hasattr(t_list, "__iter__"):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    tensors = [as_input(t) for t in t_list if t is not None]
    if not tensors:
        return math_ops.cast(0.0, "float32")
    half_squares = [math_ops.divide(reduction_ops.reduce_sum(math_ops.multiply(t, t)), 2.0) for t in tensors]
    total = half_squares[0]
    for h in half_squares[1:]:
        total = math_ops.add(total, math_ops.cast(h, total.dtype))
    return math_ops.sqrt(math_ops.multiply(total, 2.0))


def clip_by_global_norm(t_list: Any, clip_norm: Any, use_norm: Any = None, name: str | None = None) -> tuple:
    """`tf.clip_by_global_norm`: scale every tensor by `clip_norm / max(global_norm,
    clip_norm)`; returns `(clipped list, global_norm)`, None entries kept.

    Raises:
      TypeError: `t_list` is not a sequence.
    """
    if isinstance(t_list, (Tensor, str)) or not hasattr(t_list, "__iter__"):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    t_list = list(t_list)
    norm = global_norm(t_list) if use_norm is None else as_input(use_norm)
    clip = math_ops.cast(clip_norm, norm.dtype)
    one = math_ops.cast(1.0, norm.dtype)
    scale = math_ops.multiply(clip, math_ops.minimum(math_ops.divide(one, norm), math_ops.divide(one, clip)))
    scale = math_ops.add(scale, math_ops.subtract(norm, norm))  # NaN when the norm is inf or NaN, as TF
    clipped = [None if t is None else math_ops.multiply(t, math_ops.cast(scale, as_input(t).dtype)) for t in t_list]
    return clipped, norm
