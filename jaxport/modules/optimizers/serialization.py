"""`tf.keras.optimizers.get` / `serialize` / `deserialize` with Keras 2's rules.

`get('adam')` (any case) and `get({'class_name': 'Adam', 'config': {}})` give a new Keras
2.11+ optimizer; a dict with a non-empty config that lacks `is_legacy_optimizer` (an old
`{'class_name', 'config'}` config) gives the legacy optimizer, as tf_keras does; the
`serialize` format (with `module`) round-trips; an Optimizer instance passes through.
"""

from __future__ import annotations

from typing import Any

from jaxport.modules.optimizers import legacy
from jaxport.modules.optimizers.adam import Adam, Adamax, AdamW, Nadam
from jaxport.modules.optimizers.adaptive import Adadelta, Adagrad, Ftrl, RMSprop
from jaxport.modules.optimizers.base import Optimizer
from jaxport.modules.optimizers.sgd import SGD

_NEW = {
    "adadelta": Adadelta,
    "adagrad": Adagrad,
    "adam": Adam,
    "adamw": AdamW,
    "adamax": Adamax,
    "experimentaladadelta": Adadelta,
    "experimentaladagrad": Adagrad,
    "experimentaladam": Adam,
    "experimentalsgd": SGD,
    "nadam": Nadam,
    "rmsprop": RMSprop,
    "sgd": SGD,
    "ftrl": Ftrl,
}

_LEGACY = {
    "adadelta": legacy.Adadelta,
    "adagrad": legacy.Adagrad,
    "adam": legacy.Adam,
    "adamax": legacy.Adamax,
    "experimentaladadelta": Adadelta,
    "experimentaladagrad": Adagrad,
    "experimentaladam": Adam,
    "experimentalsgd": SGD,
    "nadam": legacy.Nadam,
    "rmsprop": legacy.RMSprop,
    "sgd": legacy.SGD,
    "ftrl": legacy.Ftrl,
}


def serialize(optimizer: Any, use_legacy_format: bool = False) -> dict | None:
    """`{'module', 'class_name', 'config', 'registered_name'}` of an optimizer (Python floats
    in the config); `use_legacy_format` gives `{'class_name', 'config'}`."""
    if optimizer is None:
        return None
    config = {k: float(v) if hasattr(v, "dtype") and getattr(v, "shape", None) == () else v
              for k, v in optimizer.get_config().items()}  # fmt: skip
    name = type(optimizer).__name__
    if use_legacy_format:
        return {"class_name": name, "config": config}
    module = "keras.optimizers.legacy" if isinstance(optimizer, legacy.OptimizerV2) else "keras.optimizers"
    return {"module": module, "class_name": name, "config": config, "registered_name": None}


def deserialize(
    config: dict, custom_objects: dict | None = None, use_legacy_format: bool = False, **kwargs: Any
) -> Any:
    """The optimizer described by `config` (`serialize`'s output or `{'class_name', 'config'}`).

    Raises:
      ValueError: an unknown `class_name`.
    """
    use_legacy_optimizer = kwargs.pop("use_legacy_optimizer", False)
    if kwargs:
        raise TypeError(f"Invalid keyword arguments: {kwargs}")
    if len(config["config"]) > 0:
        use_legacy_optimizer = config["config"].get("is_legacy_optimizer", True)
    classes = _LEGACY if use_legacy_optimizer else _NEW
    class_name = config["class_name"]
    custom = (custom_objects or {}).get(class_name)
    cls = custom or classes.get(class_name.lower())
    if cls is None:
        raise ValueError(
            f"Unknown optimizer: '{class_name}'. Please ensure you are using a `keras.utils.custom_object_scope` "
            "and that this object is included in the scope. See "
            "https://www.tensorflow.org/guide/keras/save_and_serialize#registering_the_custom_object for details."
        )
    return (
        cls.from_config(dict(config["config"]), custom_objects=custom_objects)
        if custom is None
        else cls.from_config(dict(config["config"]))
    )


def get(identifier: Any, **kwargs: Any) -> Any:
    """An optimizer from a name ('adam', any case), a config dict, or an instance (returned as is).

    Raises:
      ValueError: an unknown name, or an identifier of another type.
    """
    use_legacy_optimizer = kwargs.pop("use_legacy_optimizer", False)
    if kwargs:
        raise TypeError(f"Invalid keyword arguments: {kwargs}")
    if isinstance(identifier, (Optimizer, legacy.OptimizerV2)):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier, use_legacy_optimizer=use_legacy_optimizer)
    if isinstance(identifier, str):
        return get({"class_name": str(identifier), "config": {}}, use_legacy_optimizer=use_legacy_optimizer)
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
