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
    """`tf.keras.Model`: subclass it, create layers in `__init__`, write `call`.

    The functional form `Model(inputs, outputs)` is not supported yet.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise NotImplementedError(
                "jaxport does not support the functional `Model(inputs, outputs)` API yet; "
                "use Sequential or subclass tf.keras.Model."
            )
        Layer.__init__(self, **kwargs)
        training.TrainingMixin.__init__(self)

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

    def summary(self, print_fn: Any = print) -> None:
        """Print each layer's name, type and parameter count."""
        print_fn(f'Model: "{self.name}"')
        total = 0
        for layer in self.layers:
            n = sum(int(w.shape.num_elements()) for w in layer.weights)
            total += n
            print_fn(f" {layer.name} ({type(layer).__name__})  params: {n}")
        print_fn(f"Total params: {total}")


class Sequential(Model):
    """`tf.keras.Sequential`: a linear stack of layers.

    With `input_shape=` on the first layer, the model is built at construction (weights named
    `dense/kernel:0`); otherwise on the first call.
    """

    def __init__(self, layers: Any = None, name: str | None = None, **kwargs: Any):
        super().__init__(name=name, **kwargs)
        self._stack: list[Layer] = []
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self) -> list[Layer]:
        return list(self._stack)

    def _direct_sublayers(self):
        return iter(self._stack)

    def add(self, layer: Layer) -> None:
        """Append a layer (built now if the model's input shape is known)."""
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
        self._stack.append(layer)
        shape = self._stack[0]._batch_input_shape
        if shape is not None:
            self._build_from_shape(shape)

    def _build_from_shape(self, batch_shape: tuple) -> None:
        from jaxport.ops.array_ops import zeros

        probe_shape = [1 if d is None else d for d in batch_shape]
        x: Any = zeros(probe_shape, self._stack[0]._dtype)
        for layer in self._stack:
            if not layer.built:
                layer._check_input_shape(x)
                with _scope_free():
                    layer._maybe_build_in_scope(x)
            x = layer(x)
        self.built = True

    def build(self, input_shape: Any = None) -> None:
        if input_shape is None:
            input_shape = self._stack[0]._batch_input_shape if self._stack else None
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        self._build_from_shape(tuple(input_shape))

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        x = inputs
        for layer in self._stack:
            x = layer(x, training=training)
        return x

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._stack:
            raise ValueError("You must add a layer to a Sequential model before calling it.")
        if not self.built:
            inputs = self._convert_inputs(inputs)
            shape = getattr(inputs, "shape", None)
            if shape is not None:
                # Keras 2 builds a functional graph network first: weight names get no model prefix.
                self._build_from_shape(tuple([None] + list(shape)[1:]))
        if self._stack[0]._batch_input_shape is not None:
            expected = self._stack[0]._batch_input_shape
            shape = getattr(inputs, "shape", None)
            if shape is not None and (
                len(shape) != len(expected) or any(e is not None and s != e for s, e in zip(shape, expected))
            ):
                raise ValueError(
                    f'Input 0 of layer "{self.name}" is incompatible with the layer: expected shape='
                    f"{expected}, found shape={tuple(shape)}"
                )
        return super().__call__(inputs, *args, **kwargs)

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "layers": [{"class_name": type(layer).__name__, "config": layer.get_config()} for layer in self._stack],
        }


# Keras 2 builds Sequential layers as a functional graph, outside any model's name scope.
_scope_free = root_scope


def _maybe_build_in_scope(self: Layer, inputs: Any) -> None:
    from jaxport.modules import naming

    with naming.name_scope(self._name):
        self._maybe_build(inputs)


Layer._maybe_build_in_scope = _maybe_build_in_scope
