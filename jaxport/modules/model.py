"""`tf.keras.Model` (subclassing) and `tf.keras.Sequential`.

A Model is a Layer that can `compile`, `fit`, `evaluate` and `predict` (see `training.py`).
Its weight lists follow Keras 2's Model order: each tracked layer's weights (trainable then
non-trainable within a layer for `weights`), then the model's own.
"""

from __future__ import annotations

from typing import Any

from jaxport.modules import training
from jaxport.modules.base_layer import Layer, _dedup, _shapes_of
from jaxport.name_scope import root_scope
from jaxport.variables import Variable


class Model(training.TrainingMixin, Layer):
    """`tf.keras.Model`: subclass it (create layers in `__init__`, write `call`), or give it
    inputs and outputs: `Model(inputs, outputs, name=)` is a Functional model
    (`jaxport.modules.functional.Functional`), as in Keras 2.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Model:
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            from jaxport.modules.functional import Functional

            return object.__new__(Functional)
        return object.__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise NotImplementedError(
                "jaxport does not support a subclassed Model built from `super().__init__(inputs, outputs)`; "
                "call `tf.keras.Model(inputs, outputs)` itself, or write `call`."
            )
        Layer.__init__(self, **kwargs)
        training.TrainingMixin.__init__(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Model:
        """A model from `get_config()`: a Functional config (`layers`, `input_layers`,
        `output_layers`) rebuilds the graph with fresh weights; otherwise `cls(**config)`."""
        if isinstance(config, dict) and "input_layers" in config and "layers" in config:
            from jaxport.modules.functional import Functional

            return Functional.from_config(config, custom_objects=custom_objects)
        return cls(**config)

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """The layer called `name`, or at position `index` of `layers` (TF's ValueErrors otherwise)."""
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: index={index}, name={name}.")
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has {len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def build(self, input_shape: Any) -> None:
        """Create the weights by running `call` on zeros of `input_shape` (None dims become 1).

        As in Keras 2, weights built this way get no model-name prefix; weights built by a
        first call on data do (`model/dense/kernel:0`).
        """
        from jaxport.ops.array_ops import zeros

        shape = [1 if d is None else d for d in input_shape]
        with _scope_free():
            self.call(zeros(shape, self._dtype))
        self.built = True

    def _maybe_build(self, inputs: Any) -> None:
        if self.built:
            return
        if type(self).build is not Model.build and type(self).build is not Sequential.build:
            self.build(_shapes_of(inputs))  # the user's own build
        self.built = True  # otherwise the first call itself creates the weights

    @property
    def trainable_weights(self) -> list[Variable]:
        if not self._trainable:
            return []
        out: list[Variable] = []
        for layer in self._direct_sublayers():
            out += layer.trainable_weights
        out += [w for w in self._own_weights if w.trainable]
        return _dedup(out)

    @property
    def non_trainable_weights(self) -> list[Variable]:
        out: list[Variable] = []
        for layer in self._direct_sublayers():
            out += layer.non_trainable_weights if self._trainable else layer.weights
        out += [w for w in self._own_weights if not w.trainable or not self._trainable]
        return _dedup(out)

    @property
    def weights(self) -> list[Variable]:
        out: list[Variable] = []
        for layer in self._direct_sublayers():
            out += layer.weights
        own_trainable = [w for w in self._own_weights if w.trainable]
        out += own_trainable + [w for w in self._own_weights if not w.trainable]
        return _dedup(out)

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    def summary(
        self,
        line_length: int | None = None,
        positions: list | None = None,
        print_fn: Any = None,
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range: Any = None,
    ) -> None:
        """Print Keras 2's table of layers: name (type), output shape, parameter count, and for
        non-linear Functional graphs the inbound layers (`['a[0][0]']`); then the totals with
        their sizes (`Total params: 21 (84.00 Byte)`).

        Raises:
          ValueError: the model is not built yet.
        """
        from jaxport.modules.model_summary import print_summary

        if not self.built:
            raise ValueError(
                "This model has not yet been built. Build the model first by calling `build()` or by calling "
                "the model on a batch of data."
            )
        print_summary(self, line_length, positions, print_fn, expand_nested, show_trainable, layer_range)

    def save_weights(
        self, filepath: Any, overwrite: bool = True, save_format: str | None = None, options: Any = None
    ) -> None:
        """Save every layer's weights to `filepath` in tf_keras 2's HDF5 layout (`.h5`/`.hdf5`),
        written atomically; the file loads into tf.keras and back (see `jaxport.modules.saving`).

        Raises:
          ValueError: weights not created yet, or an unknown `save_format`.
          NotImplementedError: TF's checkpoint format (a filepath without `.h5`).
        """
        from jaxport.modules import saving

        saving.save_weights(self, filepath, overwrite=overwrite, save_format=save_format)

    def load_weights(
        self, filepath: Any, skip_mismatch: bool = False, by_name: bool = False, options: Any = None
    ) -> None:
        """Load weights from a tf_keras HDF5 weights file, by layer order or (`by_name=True`) by
        layer name; nothing changes unless every layer and shape matches (or is skipped with
        `skip_mismatch=True`, which needs `by_name`).

        Raises:
          ValueError: TF's layer count / weight count / shape mismatch errors.
          NotImplementedError: TF's checkpoint format.
        """
        from jaxport.modules import saving

        saving.load_weights(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name)


class Sequential(Model):
    """`tf.keras.Sequential`: a linear stack of layers.

    As in Keras 2, once the input shape is known (`input_shape=` on the first layer, an `Input`
    added first, `build(shape)`, or the first call) the model is also a Functional graph:
    `inputs`, `outputs`, `output_shape` and use inside Functional models; its weights are
    named without the model prefix (`dense/kernel:0`). `layers` does not list the InputLayer.
    """

    def __init__(self, layers: Any = None, name: str | None = None, **kwargs: Any):
        super().__init__(name=name, **kwargs)
        self._stack: list[Layer] = []
        self._graph = None  # _SequentialGraph once the input shape is known
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self) -> list[Layer]:
        return list(self._stack)

    def _direct_sublayers(self):
        return iter(self._stack)

    def add(self, layer: Layer) -> None:
        """Append a layer (called on the model's output now if the input shape is known).

        Raises:
          TypeError: `layer` is not a Layer (or a `tf.keras.Input` as first layer).
          ValueError: a name already in the model, a layer with several outputs, or a layer
            that does not accept the current output (nothing is added then).
        """
        from jaxport.modules.input_layer import InputLayer
        from jaxport.modules.keras_tensor import KerasTensor

        if isinstance(layer, KerasTensor) and isinstance(layer._keras_history.layer, InputLayer):
            layer = layer._keras_history.layer
        if not isinstance(layer, Layer):
            raise TypeError(
                f"The added layer must be an instance of class Layer. Received: layer={layer} of type {type(layer)}."
            )
        if any(existing.name == layer.name for existing in self._stack):
            raise ValueError(
                f'All layers added to a Sequential model should have unique names. Name "{layer.name}" '
                "is already the name of a layer in this model. Update the `name` argument to pass a "
                "unique name."
            )
        if isinstance(layer, InputLayer):
            if self._stack or self._graph is not None:
                return  # Keras 2 ignores an Input added after the first layer
            self._graph = _SequentialGraph(layer._inbound_nodes[0].outputs[0])
            self.built = True
            return
        batch_shape = _first_batch_input_shape(layer) if self._graph is None and not self._stack else None
        if batch_shape is not None:
            graph = _SequentialGraph(_input_for(layer, batch_shape))
            graph.append(_connect(layer, graph.output))
            self._stack.append(layer)
            self._graph = graph
            self.built = True
            return
        if self._graph is not None:
            output = _connect(layer, self._graph.output)
            self._graph.append(output)
        self._stack.append(layer)

    def pop(self) -> None:
        """Remove the last layer (the graph's output goes back to the layer before).

        Raises:
          TypeError: the model has no layers.
        """
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        self._stack.pop()
        if self._graph is not None:
            self._graph.pop()
        if not self._stack:
            self._graph = None
            self.built = False

    def _build_from_shape(self, batch_shape: tuple) -> None:
        """Build the layers as a Functional graph from an input of `batch_shape` (a symbolic
        call of each layer: weights get concrete values, nothing is computed)."""
        graph = _SequentialGraph(_input_for(self._stack[0], batch_shape))
        for layer in self._stack:
            graph.append(_connect(layer, graph.output))
        self._graph = graph
        self.built = True

    def build(self, input_shape: Any = None) -> None:
        """Build the model for inputs of `input_shape` (with the batch dimension)."""
        if input_shape is None:
            input_shape = self._stack[0]._batch_input_shape if self._stack else None
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        if self._stack and self._graph is None:
            self._build_from_shape(tuple(input_shape))
        self.built = True

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        x = inputs
        for layer in self._stack:
            x = layer(x, training=training)
        return x

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._stack:
            raise ValueError("You must add a layer to a Sequential model before calling it.")
        if not self.built or self._graph is None:
            inputs = self._convert_inputs(inputs)
            shape = getattr(inputs, "shape", None)
            if shape is not None and self._graph is None:
                # Keras 2 builds a graph network for the first call's shape: no model prefix on weights.
                self._build_from_shape(tuple(shape))
        expected = self._stack[0]._batch_input_shape
        if expected is None and self._graph is not None and self._graph.input_layer_given:
            expected = tuple(self._graph.input.shape)
        if expected is not None:
            shape = getattr(inputs, "shape", None)
            if shape is not None and (
                len(shape) != len(expected) or any(e is not None and s != e for s, e in zip(shape, expected))
            ):
                raise ValueError(
                    f'Input 0 of layer "{self.name}" is incompatible with the layer: expected shape='
                    f"{tuple(expected)}, found shape={tuple(shape)}"
                )
        return super().__call__(inputs, *args, **kwargs)

    # -- the graph network --------------------------------------------------------------------
    def _built_graph(self, attribute: str) -> _SequentialGraph:
        if self._graph is None:
            raise AttributeError(f"'Sequential' object has no attribute '{attribute}'")
        return self._graph

    @property
    def inputs(self) -> list | None:
        return None if self._graph is None else [self._graph.input]

    @property
    def outputs(self) -> list | None:
        return None if self._graph is None else [self._graph.output]

    @property
    def input(self) -> Any:
        return self._built_graph("_nested_inputs").input

    @property
    def output(self) -> Any:
        return self._built_graph("_nested_outputs").output

    @property
    def input_shape(self) -> Any:
        return tuple(self._built_graph("_nested_inputs").input.shape)

    @property
    def output_shape(self) -> Any:
        return tuple(self._built_graph("_nested_outputs").output.shape)

    @property
    def input_names(self) -> list[str]:
        return [self._built_graph("input_names").input._keras_history.layer.name]

    @property
    def output_names(self) -> list[str]:
        return [self._built_graph("output_names").output._keras_history.layer.name]

    def get_config(self) -> dict:
        """Keras 2's Sequential config: `name` and `layers`, each serialized, the InputLayer
        first once the input shape is known."""
        from jaxport.modules.serialization import serialize

        layers = [serialize(self._graph.input._keras_history.layer)] if self._graph is not None else []
        return {"name": self.name, "layers": layers + [serialize(layer) for layer in self._stack]}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Sequential:
        """A new Sequential model (fresh weights) from `get_config()`'s dict.

        Raises:
          ValueError / TypeError: a layer class that is not found (see
            `tf.keras.layers.deserialize`).
        """
        from jaxport.modules.serialization import deserialize

        layer_configs = config["layers"] if isinstance(config, dict) else config
        layers = [deserialize(layer_config, custom_objects=custom_objects) for layer_config in layer_configs]
        model = cls(name=config.get("name") if isinstance(config, dict) else None)
        for layer in layers:
            model.add(layer)
        return model


class _SequentialGraph:
    """A Sequential model's graph: its input and the output after each layer (opaque to NNX)."""

    def __init__(self, input_tensor: Any):
        self.input = input_tensor
        self.layer_outputs: list = []
        self.input_layer_given = not hasattr(input_tensor._keras_history.layer, "_from_first_layer")

    @property
    def output(self) -> Any:
        return self.layer_outputs[-1] if self.layer_outputs else self.input

    def append(self, output: Any) -> None:
        self.layer_outputs.append(output)

    def pop(self) -> None:
        if self.layer_outputs:
            self.layer_outputs.pop()


def _first_batch_input_shape(layer: Layer) -> tuple | None:
    """The input shape a first layer declares: its own `batch_input_shape`, or for a nested
    Sequential / Functional model its first layer's (as tf_keras's Sequential.add looks it up)."""
    from jaxport.modules.functional import Functional

    while isinstance(layer, (Sequential, Functional)):
        if isinstance(layer, Functional):
            return tuple(layer.inputs[0].shape) if len(layer.inputs) == 1 else None
        if not layer.layers:
            return None
        if layer.inputs is not None:
            return tuple(layer.inputs[0].shape)
        layer = layer.layers[0]
    return layer._batch_input_shape


def _input_for(first_layer: Layer, batch_shape: tuple) -> Any:
    """The Input Keras 2 makes for a Sequential model: `<first layer>_input`."""
    from jaxport.modules.input_layer import InputLayer

    layer = InputLayer(batch_input_shape=batch_shape, dtype=first_layer._dtype, name=first_layer.name + "_input")
    layer._from_first_layer = True
    return layer._inbound_nodes[0].outputs[0]


def _connect(layer: Layer, tensor: Any) -> Any:
    """Call `layer` on the KerasTensor `tensor` outside any model scope; one output only."""
    from jaxport.modules.keras_tensor import flatten

    with _scope_free():
        output = layer(tensor)
    if len(flatten(output)) != 1:
        layer._inbound_nodes.pop()
        raise ValueError(
            "All layers in a Sequential model should have a single output tensor. For multi-output layers, "
            "use the functional API."
        )
    return flatten(output)[0]


# Keras 2 builds Sequential layers as a functional graph, outside any model's name scope.
_scope_free = root_scope
