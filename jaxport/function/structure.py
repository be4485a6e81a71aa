"""Python structures through `jax.jit`: keep the insertion order of dicts.

JAX's pytrees sort a dict's keys, so a dict that goes into or comes out of a compiled
program would come back in sorted order; TF keeps the order it was built in (a train step
returning `{"loss": ..., "accuracy": ...}` prints in that order). `dict_order` notes the
orders of a structure's dicts when any is unsorted, `restore_dict_order` rebuilds them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["dict_order", "restore_dict_order"]


def _template(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        keys = list(value)
        children = {k: _template(value[k]) for k in keys}
        try:
            unsorted = keys != sorted(keys)
        except TypeError:  # keys of mixed types: keep the order we have
            unsorted = True
        return ("dict", keys, {k: t for k, (t, _) in children.items()}), unsorted or any(
            u for _, u in children.values()
        )
    if isinstance(value, (list, tuple)):
        children = [_template(v) for v in value]
        return ("seq", [t for t, _ in children]), any(u for _, u in children)
    return None, False


def dict_order(value: Any) -> Any:
    """A template of the key orders of the dicts in `value`, or None when all are sorted."""
    template, unsorted = _template(value)
    return template if unsorted else None


def restore_dict_order(template: Any, value: Any) -> Any:
    """`value` (as JAX rebuilt it, dicts sorted) with its dicts in the template's orders."""
    if template is None:
        return value
    if template[0] == "dict" and isinstance(value, dict):
        _, keys, children = template
        return {k: restore_dict_order(children[k], value[k]) for k in keys if k in value}
    if template[0] == "seq" and isinstance(value, (list, tuple)):
        items = [restore_dict_order(t, v) for t, v in zip(template[1], value)]
        if isinstance(value, list):
            return items
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return value
