"""Nested element structures for `tf.data` (TensorSpec lives in `jaxport.tensor_spec`).

Structures are tuples (namedtuples included) and dicts; everything else is a leaf. Dicts
flatten in their insertion order and are rebuilt with the template's key order.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from jaxport.eager import TensorShape
from jaxport.tensor_spec import TensorSpec, _shapes_compatible  # noqa: F401 - re-exported for tf.data


def _most_specific_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    if a.rank is None or b.rank is None or a.rank != b.rank:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a, b)])


# -- nested structures ------------------------------------------------------------------
# Structures are tuples (namedtuples included) and dicts; everything else is a leaf.
# Dicts flatten in their insertion order and are rebuilt with the template's key order.


def _flatten(struct: Any) -> list:
    if isinstance(struct, dict):
        out: list = []
        for value in struct.values():
            out.extend(_flatten(value))
        return out
    if isinstance(struct, tuple):
        out = []
        for value in struct:
            out.extend(_flatten(value))
        return out
    return [struct]


def _pack(template: Any, leaves: Iterator) -> Any:
    """Rebuild `template`'s structure taking leaves, in order, from the iterator `leaves`."""
    if isinstance(template, dict):
        return type(template)((key, _pack(value, leaves)) for key, value in template.items())
    if isinstance(template, tuple):
        values = [_pack(value, leaves) for value in template]
        return type(template)(*values) if hasattr(template, "_fields") else tuple(values)
    return next(leaves)


def _map_structure(fn: Callable[[Any], Any], struct: Any) -> Any:
    return _pack(struct, iter([fn(leaf) for leaf in _flatten(struct)]))


def _same_structure(a: Any, b: Any) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and list(a) == list(b)
            and all(_same_structure(a[k], b[k]) for k in a)
        )
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(_same_structure(x, y) for x, y in zip(a, b))
        )
    return True
