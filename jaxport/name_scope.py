"""`tf.name_scope`: the stack of name scopes that prefix Variable names (`outer/inner/w:0`).

Keras layers push their name while they are called, so weights get `dense_1/kernel:0`;
`tf.Module.name_scope` and `tf.name_scope` push theirs. A scope named `''` (the seed's
`name=''` block) stands for TF's root scope: names under it drop the enclosing prefixes.
"""

from __future__ import annotations

import threading


class _ScopeState(threading.local):
    def __init__(self) -> None:
        self.scopes: list[str] = []


_state = _ScopeState()


def current_scope() -> str:
    """The active scopes joined with '/', from the innermost root ('') scope on."""
    scopes = _state.scopes
    for i in range(len(scopes) - 1, -1, -1):
        if scopes[i] == "":
            scopes = scopes[i + 1 :]
            break
    return "/".join(scopes)


def scoped_name(name: str) -> str:
    """`name` under the active scopes (`scope/name`)."""
    scope = current_scope()
    return f"{scope}/{name}" if scope else name


class name_scope:  # noqa: N801 - TF's spelling
    """`tf.name_scope(name)`: Variables created inside get `name/` as a prefix.

    Raises:
      ValueError: `name` is not a string.
    """

    def __init__(self, name: str):
        if not isinstance(name, str):
            raise ValueError(f"name for name_scope must be a string; received {name!r}.")
        self._name = name.rstrip("/") if name.endswith("/") and name != "/" else name

    @property
    def name(self) -> str:
        return self._name

    def __enter__(self) -> str:
        _state.scopes.append(self._name)
        return current_scope() + "/"

    def __exit__(self, *exc) -> None:
        _state.scopes.pop()


class root_scope:  # noqa: N801
    """Temporarily clear the scope stack (Keras builds functional graphs outside model scopes)."""

    def __enter__(self) -> None:
        self._saved = list(_state.scopes)
        _state.scopes.clear()

    def __exit__(self, *exc) -> None:
        _state.scopes[:] = self._saved
