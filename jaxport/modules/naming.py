"""Keras 2 naming: unique layer names per session, and the name scopes that prefix weights.

`dense`, `dense_1`, ... come from a per-session counter (`clear_session` resets it). A weight
created while layers are being called is named after the scopes of those layers
(`sub/dense_3/kernel:0`); a layer named `''` adds no scope.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict


class _NamingState(threading.local):
    def __init__(self) -> None:
        self.scopes: list[str] = []
        self.training: list = []  # the `training` value of the enclosing layer calls


_state = _NamingState()
_counters: defaultdict[str, int] = defaultdict(int)


def to_snake_case(name: str) -> str:
    """Keras's class-name to layer-name rule (`ResnetIdentityBlock` -> `resnet_identity_block`)."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    if insecure[0] != "_":
        return insecure
    return "private" + insecure


def unique_name(base: str) -> str:
    """`base` the first time, then `base_1`, `base_2`, ... (zero-based, as Keras 2)."""
    count = _counters[base]
    _counters[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def reset() -> None:
    """Forget all names (part of `tf.keras.backend.clear_session`)."""
    _counters.clear()


def current_scope() -> str:
    scopes = _state.scopes
    # A layer named '' opens TF's root name scope: it drops the enclosing prefixes too.
    for i in range(len(scopes) - 1, -1, -1):
        if scopes[i] == "":
            scopes = scopes[i + 1 :]
            break
    return "/".join(scopes)


def weight_name(name: str) -> str:
    scope = current_scope()
    return f"{scope}/{name}" if scope else name


class name_scope:  # noqa: N801 - TF's spelling
    """Push a layer's name while it is called (weights created inside get it as prefix)."""

    def __init__(self, name: str):
        self._name = name

    def __enter__(self) -> None:
        _state.scopes.append(self._name)

    def __exit__(self, *exc) -> None:
        _state.scopes.pop()


def training_context() -> list:
    return _state.training
