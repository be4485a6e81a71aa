"""`tf.Module`: a named container of Variables and sub-modules, as a Flax NNX Module.

TF collects a module's Variables by walking its attributes in sorted name order (its own
first, then each sub-module's, depth first), looking inside lists, tuples and dicts; so do
`variables`, `trainable_variables`, `non_trainable_variables` and `submodules` here. Being an
`nnx.Module`, a tf.Module also works with `nnx.state`, `nnx.split` and `nnx.grad`.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterator

from flax import nnx

from jaxport.context import state as _state
from jaxport.name_scope import name_scope as _name_scope
from jaxport.variables import Variable

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _camel_to_snake(name: str) -> str:
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()


class Module(nnx.Module, pytree=False):
    """`tf.Module`: subclass it and assign Variables and Modules as attributes.

    Args:
      name: a valid Python identifier; default the class name in snake_case.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        kwargs.setdefault("pytree", False)  # TF code keeps modules in plain lists and dicts
        super().__init_subclass__(**kwargs)

    def _check_valid_context(self, error_msg: Any) -> None:
        # A `function` trace may build modules lazily (TF creates their Variables on the
        # first call); NNX's trace-level guard applies only outside jaxport's traces.
        if _state.trace is None:
            super()._check_valid_context(error_msg)

    def __init__(self, name: str | None = None):
        if name is None:
            name = _camel_to_snake(type(self).__name__)
        elif not isinstance(name, str) or not _IDENTIFIER.match(name):
            raise ValueError(
                f"'{name}' is not a valid module name. Module names must be valid Python identifiers (e.g. a "
                "valid class name)."
            )
        self._tf_module_name = name

    @property
    def name(self) -> str:
        return self._tf_module_name

    @property
    def name_scope(self) -> _name_scope:
        """A context manager: Variables created inside are named `module_name/...`."""
        return _name_scope(self.name)

    def _flatten(self, predicate: Callable[[Any], bool]) -> list:
        return list(_walk(self, predicate, set()))

    @property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(self._flatten(lambda x: isinstance(x, Variable)))

    @property
    def trainable_variables(self) -> tuple[Variable, ...]:
        return tuple(self._flatten(lambda x: isinstance(x, Variable) and x.trainable))

    @property
    def non_trainable_variables(self) -> tuple[Variable, ...]:
        return tuple(self._flatten(lambda x: isinstance(x, Variable) and not x.trainable))

    @property
    def submodules(self) -> tuple[Module, ...]:
        return tuple(self._flatten(lambda x: isinstance(x, Module)))

    @classmethod
    def with_name_scope(cls, method: Callable) -> Callable:
        """Decorate a method so it runs inside the module's name scope."""

        @functools.wraps(method)
        def wrapped(self, *args: Any, **kwargs: Any) -> Any:
            with self.name_scope:
                return method(self, *args, **kwargs)

        return wrapped


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            yield from _leaves(value[key])
    else:
        yield value


def _walk(module: Module, predicate: Callable[[Any], bool], seen: set[int]) -> Iterator[Any]:
    """TF's traversal: own attributes in sorted order, then sub-modules depth first."""
    children = []
    attributes = vars(module)
    for key in sorted(attributes):
        if key.startswith("_pytree") or key.startswith("_jaxport"):
            continue
        for leaf in _leaves(attributes[key]):
            if id(leaf) in seen:
                continue
            if isinstance(leaf, (Variable, Module)):
                seen.add(id(leaf))
            if predicate(leaf):
                yield leaf
            if isinstance(leaf, Module):
                children.append(leaf)
    for child in children:
        yield from _walk(child, predicate, seen)
