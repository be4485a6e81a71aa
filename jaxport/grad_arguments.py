"""The arguments of `GradientTape.gradient` / `jacobian` / `batch_jacobian`, checked with TF's errors.

Targets and sources flatten like `tf.nest` (Tensors and Variables are leaves); what TF
rejects is rejected with its exception type (TypeError for sources that are not tensors,
ValueError for an unknown `unconnected_gradients`, InvalidArgumentError for
`output_gradients` of another dtype or a shape that does not broadcast to its target).
"""

from __future__ import annotations

import enum
from typing import Any

import jax
import numpy as np

from jaxport import errors
from jaxport.eager import Tensor
from jaxport.variables import Variable

__all__ = [
    "UnconnectedGradients",
    "flatten_sources",
    "flatten_target",
    "is_leaf",
    "output_gradients_for",
    "unconnected_mode",
    "value_of",
]


class UnconnectedGradients(enum.Enum):
    """`tf.UnconnectedGradients`: what `gradient` returns for a source the target ignores."""

    NONE = "none"
    ZERO = "zero"


def is_leaf(x: Any) -> bool:
    """Tensors, Variables and None are leaves when targets and sources flatten (as in `tf.nest`)."""
    return isinstance(x, (Tensor, Variable)) or x is None


def value_of(x: Any) -> Any:
    """The raw array of a Tensor, or a Variable's current value (its binding while tracing)."""
    return x._current_value() if isinstance(x, Variable) else x._value


def flatten_target(target: Any, single: bool = False) -> list:
    """The target's leaves (`single`: the target itself), each a Tensor or Variable (TF's TypeError)."""
    leaves = jax.tree.leaves(target, is_leaf=is_leaf) if not single else [target]
    for tgt in leaves:
        if tgt is None or not isinstance(tgt, (Tensor, Variable)):
            raise TypeError(
                "Argument `target` should be a list or nested structure of Tensors, Variables or "
                f"CompositeTensors to be differentiated, but received {tgt!r}."
            )
    return leaves


def flatten_sources(sources: Any) -> tuple[list, Any]:
    """The sources' leaves and tree, each a Tensor or Variable (TF's TypeError)."""
    leaves, tree = jax.tree.flatten(sources, is_leaf=is_leaf)
    for src in leaves:
        if not isinstance(src, (Tensor, Variable)):
            raise TypeError(
                f"Argument `sources` should be a Tensor, Variable or a nested structure of them, but received "
                f"{src!r} of type {type(src).__name__}."
            )
    return leaves, tree


def unconnected_mode(value: Any, vectorized: str | None = None) -> UnconnectedGradients:
    """`unconnected_gradients` as the enum (TF's ValueError for an unknown value; `vectorized`
    names the jacobian method when TF would raise it from its pfor vectorization)."""
    try:
        return UnconnectedGradients(value)
    except ValueError:
        message = f"Unknown value for unconnected_gradients: {value!r}"
        if vectorized:
            message = (
                f"Encountered an exception while vectorizing the {vectorized} computation. Vectorization can be "
                f"disabled by setting experimental_use_pfor to False. ({message})"
            )
        raise ValueError(message) from None


_KERNEL_NAMES = {"float32": "float", "float64": "double", "float16": "half"}  # as TF's op errors name them


def output_gradients_for(output_gradients: Any, targets: list) -> list:
    """One cotangent (or None: ones) per target. As TF, missing entries count as None and
    extra ones are ignored; each must have the target's dtype and broadcast to its shape."""
    if output_gradients is None:
        return [None] * len(targets)
    from jaxport.eager import convert_to_tensor

    given = jax.tree.leaves(output_gradients, is_leaf=is_leaf)
    given = (given + [None] * len(targets))[: len(targets)]
    out = []
    for i, (og, tgt) in enumerate(zip(given, targets)):
        if og is None:
            out.append(None)
            continue
        og = convert_to_tensor(og)
        value = value_of(tgt)
        if og.dtype != tgt.dtype:
            given, wanted = (_KERNEL_NAMES.get(d.name, d.name) for d in (og.dtype, tgt.dtype))
            raise errors.InvalidArgumentError(
                None, None, f"`output_gradients[{i}]` is a {given} tensor but its target is a {wanted} tensor"
            )
        shape = tuple(og.shape)
        try:
            fits = np.broadcast_shapes(shape, value.shape) == tuple(value.shape)
        except ValueError:
            fits = False
        if not fits:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Incompatible shapes: `output_gradients[{i}]` has shape {list(shape)} but its target has shape "
                f"{list(value.shape)}",
            )
        out.append(og)
    return out
