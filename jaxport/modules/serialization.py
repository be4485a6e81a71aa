"""Keras object serialization: `tf.keras.layers.serialize` / `deserialize`, the custom objects
registry (`register_keras_serializable`, `custom_object_scope`, `get_custom_objects`).

A layer serializes as tf_keras 2.21 writes it: `{"module", "class_name", "config",
"registered_name"}` plus `"build_config": {"input_shape": ...}` once the layer has been
called. Built-in layers are in module `keras.layers` (registered_name None); a custom class
has its Python module (None for `__main__`) and registered_name its registered name
(`my>Scale`) or its class name.
Deserializing looks the class up in `custom_objects`, then the active `custom_object_scope`s,
then the registry, then the built-in layers and models.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any, Callable

__all__ = [
    "CustomObjectScope",
    "custom_object_scope",
    "deserialize",
    "get_custom_objects",
    "get_registered_name",
    "register_keras_serializable",
    "serialize",
    "serialize_initializer",
    "serialize_regularizer",
]

# The documented global registry (`tf.keras.utils.get_custom_objects()`) and the registered
# names of classes; the scopes are thread-local, as tf_keras's.
_GLOBAL_CUSTOM_OBJECTS: dict[str, Any] = {}
_REGISTERED_NAMES: dict[Any, str] = {}
_scopes = threading.local()


def _scope_stack() -> list[dict]:
    if not hasattr(_scopes, "stack"):
        _scopes.stack = []
    return _scopes.stack


def get_custom_objects() -> dict[str, Any]:
    """`tf.keras.utils.get_custom_objects`: the global name -> object registry (mutable)."""
    return _GLOBAL_CUSTOM_OBJECTS


class CustomObjectScope:
    """`tf.keras.utils.custom_object_scope(objects)`: while active, deserialization finds
    these name -> class entries.

    Args:
      *objects: dicts of name -> class or function.
    """

    def __init__(self, *objects: dict | None):
        self.objects: dict[str, Any] = {}
        for entry in objects:
            self.objects.update(entry or {})

    def __enter__(self) -> CustomObjectScope:
        _scope_stack().append(self.objects)
        return self

    def __exit__(self, *exc: Any) -> None:
        _scope_stack().pop()


custom_object_scope = CustomObjectScope


def register_keras_serializable(package: str = "Custom", name: str | None = None) -> Callable:
    """`tf.keras.utils.register_keras_serializable`: a class decorator that registers the class
    under `"<package>>"<name or class name>` (it then serializes with that registered_name).

    Raises:
      ValueError: the class has no `get_config`, or the name is already registered.
    """

    def decorator(arg: Any) -> Any:
        class_name = name if name is not None else arg.__name__
        registered_name = f"{package}>{class_name}"
        if isinstance(arg, type) and not hasattr(arg, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        _REGISTERED_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj: Any) -> str:
    """`tf.keras.utils.get_registered_name`: the registered name of a class, else its name."""
    return _REGISTERED_NAMES.get(obj, getattr(obj, "__name__", None))


# -- values inside layer configs (initializers, regularizers) ------------------------------


def serialize_initializer(initializer: Any) -> dict | None:
    """An initializer as tf_keras 2.21 puts it in layer configs (module `keras.initializers`)."""
    if initializer is None:
        return None
    return {
        "module": "keras.initializers",
        "class_name": type(initializer).__name__,
        "config": initializer.get_config(),
        "registered_name": None,
    }


def serialize_regularizer(regularizer: Any) -> dict | None:
    """A regularizer as tf_keras 2.21 puts it in layer configs (module `keras.regularizers`)."""
    if regularizer is None:
        return None
    return {
        "module": "keras.regularizers",
        "class_name": type(regularizer).__name__,
        "config": regularizer.get_config(),
        "registered_name": None,
    }


# -- layers ---------------------------------------------------------------------------------


def _is_builtin(cls: type) -> bool:
    return (cls.__module__ or "").startswith("jaxport.")


def _module_and_registered_name(layer: Any) -> tuple[str | None, str | None]:
    from jaxport.modules.functional import Functional
    from jaxport.modules.model import Sequential
    from jaxport.modules.op_layers import TFOpLambda

    cls = type(layer)
    if not _is_builtin(cls):
        module = None if cls.__module__ == "__main__" else cls.__module__
        return module, _REGISTERED_NAMES.get(cls, cls.__name__)
    if cls is Sequential:
        return "keras", None
    if isinstance(layer, Functional):
        return "tf_keras.src.engine.functional", "Functional"
    if isinstance(layer, TFOpLambda):
        return "tf_keras.src.layers.core.tf_op_layer", cls.__name__
    return "keras.layers", None


def _build_input_shape(layer: Any) -> Any:
    """The input shape the layer was built for (from its first call in a graph), or None."""
    from jaxport.modules.functional import Functional
    from jaxport.modules.input_layer import InputLayer
    from jaxport.modules.model import Sequential

    if isinstance(layer, InputLayer):
        return None
    if isinstance(layer, Functional):
        shapes = [tuple(x.shape) for x in layer.inputs]
        return shapes[0] if len(shapes) == 1 else shapes
    if isinstance(layer, Sequential):
        return None if layer.inputs is None else tuple(layer.inputs[0].shape)
    if not layer._inbound_nodes:
        return None
    return layer._inbound_nodes[0].input_shapes


def serialize(layer: Any) -> dict:
    """`tf.keras.layers.serialize`: `{"module", "class_name", "config", "registered_name"}`
    (+ `build_config` for a layer that has been built in a graph), as tf_keras 2.21."""
    module, registered_name = _module_and_registered_name(layer)
    out = {
        "module": module,
        "class_name": type(layer).__name__,
        "config": layer.get_config(),
        "registered_name": registered_name,
    }
    shape = _build_input_shape(layer) if layer.built else None
    if shape is not None:
        out["build_config"] = {"input_shape": shape}
    return out


def _builtin_objects() -> dict[str, Any]:
    from jaxport.modules import layers
    from jaxport.modules.functional import Functional
    from jaxport.modules.model import Model, Sequential
    from jaxport.modules.op_layers import SlicingOpLambda, TFOpLambda

    objects = {name: value for name, value in vars(layers).items() if isinstance(value, type)}
    objects.update(
        Sequential=Sequential,
        Functional=Functional,
        Model=Model,
        TFOpLambda=TFOpLambda,
        SlicingOpLambda=SlicingOpLambda,
    )
    return objects


def find_class(
    class_name: str, registered_name: str | None, custom_objects: dict | None, module: str | None = None
) -> Any:
    """The class named in a config, or None: `custom_objects`, the active scopes (innermost
    first), the registry, the built-in layers and models, then the config's own `module`
    (imported, as tf_keras does for custom classes defined at a module's top level)."""
    sources = [custom_objects or {}, *reversed(_scope_stack()), _GLOBAL_CUSTOM_OBJECTS]
    for source in sources:
        for key in (registered_name, class_name):
            if key is not None and key in source:
                return source[key]
    found = _builtin_objects().get(class_name)
    if found is None and module and not module.startswith(("keras", "tf_keras")):
        try:
            found = vars(importlib.import_module(module)).get(class_name)
        except ModuleNotFoundError:
            raise TypeError(
                f"Could not deserialize class '{class_name}' because its parent module {module} cannot be "
                f"imported. Full object config: {{'module': {module!r}, 'class_name': {class_name!r}}}"
            ) from None
    return found


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """`tf.keras.layers.deserialize`: a layer (or model) from `serialize`'s dict.

    Raises:
      TypeError: a config in tf_keras 2.21's format (with `module`) naming a class that is not
        found ("Could not locate class", or "Cannot deserialize object of type" when `module`
        is None), or a config the class does not accept ("Error when deserializing class").
      ValueError: a legacy config (no `module`) naming an unknown class ("Unknown layer").
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Could not interpret serialized layer: {config!r}. Expected a dict with a `class_name` and a `config`."
        )
    class_name = config["class_name"]
    cls = find_class(class_name, config.get("registered_name"), custom_objects, config.get("module"))
    if cls is None:
        if config.get("module"):
            raise TypeError(
                f"Could not locate class '{class_name}'. Make sure custom classes are decorated with "
                f"`@keras.saving.register_keras_serializable()`. Full object config: {config}"
            )
        if "module" in config:
            raise TypeError(
                f"Cannot deserialize object of type `{class_name}`. If `{class_name}` is a custom class, please "
                "register it using the `@keras.saving.register_keras_serializable()` decorator."
            )
        raise ValueError(
            f"Unknown layer: '{class_name}'. Please ensure you are using a `keras.utils.custom_object_scope` and "
            "that this object is included in the scope. See "
            "https://www.tensorflow.org/guide/keras/save_and_serialize#registering_the_custom_object for details."
        )
    inner = config.get("config", {})
    from jaxport.modules.model import Model

    try:
        with CustomObjectScope(custom_objects):
            if isinstance(cls, type) and issubclass(cls, Model):
                return cls.from_config(inner, custom_objects=custom_objects)
            return cls.from_config(inner)
    except TypeError as exc:
        if str(exc).startswith("Error when deserializing"):
            raise
        raise TypeError(
            f"Error when deserializing class '{class_name}' using config={inner}.\n\nException encountered: {exc}"
        ) from exc
