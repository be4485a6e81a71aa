"""TF's trace types: when `tf.function` traces, and which signature a new trace gets.

A call's *type* is its argument structure, after binding keywords to positions and filling
in defaults (`bind_call`), plus one key per leaf: Tensors, numpy/JAX arrays and numpy
scalars alike by shape and dtype, Variables by shape, dtype and trainability, Python primitives by value
(`2` and `2.0` are one type, as TF's Literal), any other object by identity.

`TracingHistory` replays TF's decisions: without options, every new type is a trace; with
`input_signature`, one trace in all; with `reduce_retracing=True`, a call that no traced type
covers is traced for the *most specific common supertype* of its type and the traced types
it is compatible with (dims that differ become None; ranks that differ make the rank
unknown), so `[2, 3]` then `[2, 4]` traces `(2, None)` and `[5, 5]` next traces
`(None, None)`. A trace that creates Variables counts twice (TF traces it again). This gives
`experimental_get_tracing_count()`; `function` also uses the generalised type to trace once
with symbolic sizes (`symbolic_trace.py`).
"""

from __future__ import annotations

import inspect
from typing import Any

import jax
import numpy as np

from jaxport.eager import Tensor
from jaxport.variables import Variable

__all__ = ["leaf_key", "TracingHistory", "type_has_unknown_dims", "python_signature", "bind_call", "is_dynamic"]

_PRIMITIVES = (int, float, bool, str, complex, bytes, type(None))
_TENSOR_KINDS = ("T", "A")


def is_dynamic(leaf: Any) -> bool:
    """Whether an argument leaf is a tensor input of the compiled program (a Tensor, or a
    numpy/JAX array or numpy scalar, which TF converts to a Tensor of the same spec)."""
    return isinstance(leaf, (Tensor, np.ndarray, np.generic, jax.Array))


def leaf_key(leaf: Any) -> tuple:
    """TF's trace key of one argument (see the module docstring)."""
    if isinstance(leaf, Tensor):
        value = leaf._value
        return ("T", value.shape, value.dtype)
    if isinstance(leaf, (np.ndarray, np.generic, jax.Array)):
        return ("T", np.shape(leaf), leaf.dtype)
    if isinstance(leaf, Variable):
        value = leaf._raw_value
        return ("V", value.shape, value.dtype, leaf.trainable)
    if type(leaf) in _PRIMITIVES:
        return ("P", leaf)
    return ("O", id(leaf))


def _merge_dims(a: tuple | None, b: tuple | None) -> tuple | None:
    """The most specific shape covering both: None (unknown rank) when the ranks differ."""
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(x if x == y else None for x, y in zip(a, b))


def _covers_dims(general: tuple | None, specific: tuple | None) -> bool:
    if general is None:
        return True
    if specific is None or len(general) != len(specific):
        return False
    return all(g is None or g == s for g, s in zip(general, specific))


def _supertype(a: tuple, b: tuple) -> tuple | None:
    """The most specific common supertype of two call types, or None when they differ in
    anything but tensor shapes (structure, dtypes, Python values, objects)."""
    (tree_a, parts_a), (tree_b, parts_b) = a, b
    if tree_a != tree_b or len(parts_a) != len(parts_b):
        return None
    parts = []
    for pa, pb in zip(parts_a, parts_b):
        if pa[0] in _TENSOR_KINDS and pa[0] == pb[0] and pa[2] == pb[2]:
            parts.append((pa[0], _merge_dims(pa[1], pb[1]), pa[2]))
        elif pa == pb:
            parts.append(pa)
        else:
            return None
    return tree_a, tuple(parts)


def _covers(general: tuple, specific: tuple) -> bool:
    (tree_g, parts_g), (tree_s, parts_s) = general, specific
    if tree_g != tree_s or len(parts_g) != len(parts_s):
        return False
    for pg, ps in zip(parts_g, parts_s):
        if pg[0] in _TENSOR_KINDS and pg[0] == ps[0] and pg[2] == ps[2]:
            if not _covers_dims(pg[1], ps[1]):
                return False
        elif pg != ps:
            return False
    return True


def _unknowns(call_type: tuple) -> int:
    """How general a type is (for picking the most specific one that covers a call)."""
    return sum(1000 if p[1] is None else sum(d is None for d in p[1]) for p in call_type[1] if p[0] in _TENSOR_KINDS)


def type_has_unknown_dims(call_type: tuple) -> bool:
    """Whether a type has None dims, all ranks known: what can be traced symbolically."""
    tensor_parts = [p for p in call_type[1] if p[0] in _TENSOR_KINDS]
    return all(p[1] is not None for p in tensor_parts) and any(None in p[1] for p in tensor_parts)


class TracingHistory:
    """The traces TF would have made for one `tf.function` (see the module docstring)."""

    def __init__(self, input_signature: bool, reduce_retracing: bool):
        self._signature = input_signature
        self._reduce = reduce_retracing and not input_signature
        self._types: list[tuple] = []  # the types TF traced, in order
        self._extra = 0  # Variable-creating traces, traced again by TF

    @property
    def count(self) -> int:
        """`experimental_get_tracing_count()`."""
        return len(self._types) + self._extra

    def resolve(self, call_type: tuple) -> tuple:
        """The type TF runs this call with: the most specific traced type covering it, else
        the type a new trace gets (generalised under `reduce_retracing`); see `record`."""
        if self._signature:
            return ("signature",)
        covering = [t for t in self._types if _covers(t, call_type)]
        if covering:
            return min(covering, key=_unknowns)
        new_type = call_type
        if self._reduce:
            for traced in self._types:
                merged = _supertype(new_type, traced)
                if merged is not None:
                    new_type = merged
        return new_type

    def record(self, traced_type: tuple) -> None:
        """A trace for `traced_type` succeeded: count it, once."""
        if traced_type not in self._types:
            self._types.append(traced_type)

    def note_variable_creation(self) -> None:
        """The trace just made created Variables: TF traces that function once more."""
        self._extra += 1


def python_signature(fn: Any) -> inspect.Signature | None:
    """The signature calls are bound to (None for callables without one)."""
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError):
        return None


def bind_call(signature: inspect.Signature | None, args: tuple, kwargs: dict, describe: Any = None) -> tuple:
    """TF's canonical form of a call: keyword arguments bound to their positions and the
    defaults filled in, so `f(x)`, `f(x, training=False)` and `f(x=x)` are one call type.

    Raises:
      TypeError: the arguments do not bind (TF's "Binding inputs to tf.function failed").
    """
    if signature is None:
        return args, kwargs
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError as exc:
        expected = describe if describe is not None else signature
        raise TypeError(
            f"Binding inputs to tf.function failed due to `{exc}`. Received args: {args} and kwargs: {kwargs} "
            f"for signature: {expected}."
        ) from None
    bound.apply_defaults()
    return bound.args, bound.kwargs
