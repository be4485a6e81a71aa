"""Keras 2 naming: unique layer names per session, and the name scopes that prefix weights.

`dense`, `dense_1`, ... come from a per-session counter (`clear_session` resets it). A weight
created while layers are being called is named after the scopes of those layers
(`sub/dense_3/kernel:0`); a layer named `''` adds no scope.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from jaxport import name_scope as core_scopes


class _NamingState(threading.local):
    def __init__(self) -> None:
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


current_scope = core_scopes.current_scope
weight_name = core_scopes.scoped_name
name_scope = core_scopes.name_scope


def training_context() -> list:
    return _state.training


@contextmanager
def graph_counters() -> Iterator[None]:
    """Names made inside start their own count, as Keras 2 counts names per graph: objects
    created while a `tf.function` (e.g. the train step) is traced are numbered in that graph
    (`auc`, not `auc_3`), and the session's count is left as it was."""
    saved = dict(_counters)
    _counters.clear()
    try:
        yield
    finally:
        _counters.clear()
        _counters.update(saved)
