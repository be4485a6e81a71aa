"""`tf.keras.losses.get` / `serialize` / `deserialize` with Keras 2's rules, and the loss
object that `compile` builds.

A function's name (`'mse'`, `'huber'`) gives the per-sample *function*; a class name
(`'MeanSquaredError'`) gives an *instance* made with the defaults; a config dict gives the
instance it describes; a callable passes through.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

from jaxport.modules.losses import classes as C
from jaxport.modules.losses import functions as F

_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        C.Loss,
        C.LossFunctionWrapper,
        C.MeanSquaredError,
        C.MeanAbsoluteError,
        C.MeanAbsolutePercentageError,
        C.MeanSquaredLogarithmicError,
        C.Huber,
        C.LogCosh,
        C.CosineSimilarity,
        C.Hinge,
        C.SquaredHinge,
        C.CategoricalHinge,
        C.KLDivergence,
        C.Poisson,
        C.BinaryCrossentropy,
        C.BinaryFocalCrossentropy,
        C.CategoricalCrossentropy,
        C.CategoricalFocalCrossentropy,
        C.SparseCategoricalCrossentropy,
    )
}

_FUNCTION_NAMES = (
    "mean_squared_error mse MSE mean_absolute_error mae MAE mean_absolute_percentage_error mape MAPE "
    "mean_squared_logarithmic_error msle MSLE huber huber_loss log_cosh logcosh cosine_similarity hinge "
    "squared_hinge categorical_hinge kl_divergence kld KLD kullback_leibler_divergence poisson "
    "binary_crossentropy bce BCE binary_focal_crossentropy categorical_crossentropy "
    "categorical_focal_crossentropy sparse_categorical_crossentropy"
).split()
_FUNCTIONS: dict[str, Callable] = {name: getattr(F, name) for name in _FUNCTION_NAMES}


def _unknown(name: str) -> ValueError:
    return ValueError(
        f"Unknown loss function: '{name}'. Please ensure you are using a `keras.utils.custom_object_scope` "
        "and that this object is included in the scope. See "
        "https://www.tensorflow.org/guide/keras/save_and_serialize#registering_the_custom_object for details."
    )


def _lookup(name: str, custom_objects: dict[str, Any] | None) -> Any:
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in _CLASSES:
        return _CLASSES[name]
    if name in _FUNCTIONS:
        return _FUNCTIONS[name]
    raise _unknown(name)


def serialize(loss: Any, use_legacy_format: bool = False) -> Any:
    """`tf.keras.losses.serialize`: a Loss as `{'module', 'class_name', 'config', 'registered_name'}`
    (Keras's saving format; a class of the user's gets its module, None for `__main__`, and its
    name as `registered_name`), a function as its name in a `builtins.function` record (with
    TF's warning that only Loss objects serialize properly); `None` for None.

    With `use_legacy_format=True`, a Loss is `{'class_name', 'config'}` and a function its name.
    """
    if loss is None:
        return None
    if not isinstance(loss, C.Loss):
        warnings.warn(
            "The `keras.losses.serialize()` API should only be used for objects of type `keras.losses.Loss`. "
            f"Found an instance of type {type(loss)}, which may lead to improper serialization.",
            stacklevel=2,
        )
    if isinstance(loss, C.Loss):
        cls = type(loss)
        if use_legacy_format:
            return {"class_name": cls.__name__, "config": loss.get_config()}
        if _CLASSES.get(cls.__name__) is cls:
            module, registered_name = "keras.losses", None
        else:
            module, registered_name = (None if cls.__module__ == "__main__" else cls.__module__), cls.__name__
        return {
            "module": module,
            "class_name": cls.__name__,
            "config": loss.get_config(),
            "registered_name": registered_name,
        }
    name = getattr(loss, "__name__", None)
    if use_legacy_format:
        return name
    return {"module": "builtins", "class_name": "function", "config": name, "registered_name": "function"}


def deserialize(name: Any, custom_objects: dict[str, Any] | None = None, use_legacy_format: bool = False) -> Any:
    """`tf.keras.losses.deserialize`: a name or a config dict (from `serialize`) back to a loss.

    A built-in class name gives an instance with the defaults, a function name the function,
    a config dict the instance it describes (a class in `custom_objects` too). As tf_keras's
    saving format, a name found in `custom_objects` comes back as it is there, and an unknown
    name comes back unchanged (as the string); `use_legacy_format=True` instantiates classes
    and raises on unknown names.

    Raises:
      ValueError: a dict without `class_name`; with `use_legacy_format`, an unknown name
        (TF's message); an identifier that is neither a string nor a dict.
      TypeError: the config of an unregistered class of the user's (`module` None).
    """
    custom_objects = custom_objects or {}
    if isinstance(name, dict):
        if "class_name" not in name:
            raise ValueError(f"Unknown `config` as a `dict`, config={name}")
        class_name, inner = name["class_name"], name.get("config")
        custom = custom_objects.get(class_name) or custom_objects.get(name.get("registered_name"))
        if custom is not None:
            return custom.from_config(dict(inner or {})) if isinstance(custom, type) else custom
        if class_name == "function":
            return _deserialize_name(inner, custom_objects, use_legacy_format)
        if not use_legacy_format and "module" in name and name["module"] is None:
            raise TypeError(
                f"Cannot deserialize object of type `{class_name}`. If `{class_name}` is a custom class, "
                "please register it using the `@keras.saving.register_keras_serializable()` decorator."
            )
        try:
            found = _lookup(class_name, None)
        except ValueError:
            if use_legacy_format:
                raise
            return class_name
        return found.from_config(dict(inner or {})) if isinstance(found, type) else found
    if isinstance(name, str):
        return _deserialize_name(name, custom_objects, use_legacy_format)
    raise ValueError(f"Could not interpret loss function identifier: {name}")


def _deserialize_name(name: str, custom_objects: dict[str, Any], use_legacy_format: bool) -> Any:
    if not use_legacy_format and name in custom_objects:
        return custom_objects[name]
    try:
        found = _lookup(name, custom_objects)
    except ValueError:
        if use_legacy_format:
            raise
        return name
    return found() if isinstance(found, type) else found


def get(identifier: Any) -> Any:
    """`tf.keras.losses.get`: a loss from a function or class name, a config dict, or a callable.

    Returns:
      The function for a function name (`'mse'`), an instance for a class name
      (`'MeanSquaredError'`) or a dict, the identifier itself for a callable (a Loss, a class,
      a function), None for None.

    Raises:
      ValueError: an unknown name (TF's message), or an identifier of another type.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        return deserialize(identifier, use_legacy_format="module" not in identifier)
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret loss function identifier: {identifier}")


def loss_for_compile(identifier: Any) -> C.Loss | None:
    """The Loss that `compile(loss=...)` uses (Keras 2's `LossesContainer`): `get(identifier)`,
    a function wrapped in a `LossFunctionWrapper` named after it; SUM_OVER_BATCH_SIZE is
    allowed under a strategy there, since `fit` scales the loss per replica itself.

    As tf_keras (which builds the compiled loss at the first step), an unknown name or an
    identifier of another type raises `get`'s ValueError when the loss is first computed
    (`fit`, `evaluate`), not in `compile`.
    """
    try:
        loss = get(identifier)
    except ValueError:
        loss = C.LossFunctionWrapper(_unresolved(identifier), name=str(identifier))
        loss._allow_sum_over_batch_size = True
        return loss
    if loss is None:
        return None
    if not isinstance(loss, C.Loss):
        name = getattr(loss, "__name__", None) or type(loss).__name__
        loss = C.LossFunctionWrapper(loss, name=name)
    loss._allow_sum_over_batch_size = True
    return loss


def _unresolved(identifier: Any) -> Callable:
    """A loss function that raises `get(identifier)`'s ValueError when called."""

    def unknown_loss(y_true: Any, y_pred: Any) -> Any:
        return get(identifier)

    return unknown_loss
