"""`tf.keras.models.clone_model`: the same architecture with new weights.

As tf_keras 2.21: each layer is recreated by `clone_function` (default
`layer.__class__.from_config(layer.get_config())`, so names are kept and the weights are new),
a Sequential model stacks the clones, a Functional model's graph is rebuilt from its config
with the clones (shared layers cloned once), on new Inputs or on `input_tensors`.
"""

from __future__ import annotations

from typing import Any, Callable

from jaxport.modules.base_layer import Layer
from jaxport.modules.functional import Functional, reconstruct_from_config
from jaxport.modules.input_layer import Input, InputLayer
from jaxport.modules.keras_tensor import flatten
from jaxport.modules.model import Model, Sequential

__all__ = ["clone_model", "model_from_config"]


def _clone_layer(layer: Layer) -> Layer:
    return layer.__class__.from_config(layer.get_config())


def _new_input_like(layer: InputLayer) -> InputLayer:
    return InputLayer.from_config(layer.get_config())


def _input_layers_for(tensors: Any, model_inputs: list) -> list[InputLayer]:
    """The InputLayers whose tensors feed the clone: `input_tensors` (KerasTensors from
    `tf.keras.Input`, or shapes taken from real tensors), one per model input."""
    given = flatten(tensors)
    if len(given) != len(model_inputs):
        raise ValueError(
            f"Expected {len(model_inputs)} input tensors in `input_tensors`, the number of the model's inputs; "
            f"received {len(given)}."
        )
    layers = []
    for value, ref in zip(given, model_inputs):
        history = getattr(value, "_keras_history", None)
        if history is not None and isinstance(history.layer, InputLayer):
            layers.append(history.layer)
        else:
            layers.append(Input(tensor=value, name=ref._keras_history.layer.name)._keras_history.layer)
    return layers


def clone_model(model: Model, input_tensors: Any = None, clone_function: Callable | None = None) -> Model:
    """`tf.keras.models.clone_model`: a new model with the same layers' configs and new weights
    (use `set_weights(model.get_weights())` to copy the values).

    Args:
      model: a Sequential or Functional model.
      input_tensors: optional `tf.keras.Input` tensors to build the clone on.
      clone_function: `layer -> new layer` (default: from the layer's config).

    A model of another class is recreated by `model.__class__.from_config(model.get_config())`.

    Raises:
      ValueError: `clone_function` or `input_tensors` for a model that is neither Sequential
        nor Functional, or `input_tensors` that do not match the model's inputs.
    """
    custom_function = clone_function
    clone_function = clone_function or _clone_layer
    if isinstance(model, Sequential):
        layers = [clone_function(layer) for layer in model.layers]
        clone = Sequential(name=model.name)
        if input_tensors is not None:
            clone.add(_input_layers_for(input_tensors, model.inputs or [None])[0])
        elif model.inputs is not None:
            clone.add(_new_input_like(model.inputs[0]._keras_history.layer))
        for layer in layers:
            clone.add(layer)
        return clone
    if not isinstance(model, Functional):
        if custom_function is not None or input_tensors is not None:
            raise ValueError(
                "Arguments clone_function and input_tensors are only supported for Sequential models or "
                f"Functional models. Received model of type '{model.__class__.__name__}', with "
                f"clone_function={custom_function} and input_tensors={input_tensors}"
            )
        return model.__class__.from_config(model.get_config())  # a custom model class, as tf_keras
    created: dict[str, Layer] = {}
    for layer in model.layers:
        if not isinstance(layer, InputLayer):
            created[layer.name] = clone_function(layer)
    if input_tensors is not None:
        for layer in _input_layers_for(input_tensors, model.inputs):
            created[layer.name] = layer
    config = model.get_config()
    if input_tensors is not None:  # the given Inputs take the place of the model's
        names = [layer.name for layer in _input_layers_for(input_tensors, model.inputs)]
        renamed = dict(zip([x._keras_history.layer.name for x in model.inputs], names))
        config = _renamed_inputs(config, renamed)
    inputs, outputs, _ = reconstruct_from_config(config, created_layers=created)
    return Functional(inputs=inputs, outputs=outputs, name=model.name, trainable=model.trainable)


def _renamed_inputs(config: dict, renamed: dict[str, str]) -> dict:
    def rename(entry: list) -> list:
        return [renamed.get(entry[0], entry[0]), *entry[1:]]

    layers = []
    for layer_config in config["layers"]:
        layer_config = dict(layer_config)
        if layer_config["name"] in renamed:
            layer_config["name"] = renamed[layer_config["name"]]
        layer_config["inbound_nodes"] = [
            [rename(entry) for entry in node] for node in layer_config.get("inbound_nodes", [])
        ]
        layers.append(layer_config)
    return {
        **config,
        "layers": layers,
        "input_layers": [rename(e) for e in config["input_layers"]],
        "output_layers": [rename(e) for e in config["output_layers"]],
    }


def model_from_config(config: dict, custom_objects: dict | None = None) -> Model:
    """`tf.keras.models.model_from_config`: a model (or layer) from `{"class_name", "config"}`.

    Raises:
      TypeError: `config` is a list (Sequential's old format is not accepted, as TF).
    """
    from jaxport.modules.serialization import deserialize

    if isinstance(config, list):
        raise TypeError(
            "`model_from_config` expects a dictionary, not a list. Received: config="
            f"{config}. Did you meant to use `Sequential.from_config(config)`?"
        )
    return deserialize(config, custom_objects=custom_objects)
