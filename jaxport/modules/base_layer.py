"""`tf.keras.layers.Layer` on a Flax NNX Module.

A Layer is a `tf.Module` and so a real `nnx.Module`: `nnx.state`, `nnx.split`/`merge`, `nnx.grad` and
`nnx.jit` work on it. On top, it has Keras 2's contract: `__init__` stores configuration,
`build(input_shape)` creates weights on the first call (`add_weight`), `call(inputs,
training=None)` is the math; weights get Keras names (`dense_1/kernel:0`); weight lists follow
Keras order (own weights in creation order, then sublayers in attribute-assignment order).
"""

from __future__ import annotations

import inspect
import weakref
from typing import Any, Iterator

import jax
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport.context import is_captured_buffer
from jaxport.context import state as _state
from jaxport.eager import Tensor, TensorShape, convert_to_tensor
from jaxport.module import Module
from jaxport.modules import initializers, keras_tensor, naming, regularizers
from jaxport.ops import math_ops
from jaxport.variables import Variable

# Layers holding `add_loss` tensors: an outermost call clears its layers' only when any exist.
_LAYERS_WITH_ADDED_LOSSES: weakref.WeakSet = weakref.WeakSet()


class Layer(Module):
    """The base class of Keras layers (`tf.keras.layers.Layer`).

    Args:
      trainable: whether the layer's weights are trained (`trainable_weights`).
      name: the layer name; default a unique snake_case name of the class.
      dtype: the weights' and computations' dtype (default float32).
      input_shape: for the first layer of a Sequential model, the shape without the batch.
    """

    def __init__(
        self,
        trainable: bool = True,
        name: str | None = None,
        dtype: Any = None,
        dynamic: bool = False,
        input_shape: Any = None,
        batch_input_shape: Any = None,
        input_dim: int | None = None,
        **kwargs: Any,
    ):
        allowed = {"autocast", "activity_regularizer", "batch_size", "weights", "input_length"}
        unknown = set(kwargs) - allowed
        if unknown:
            raise TypeError(f"Keyword argument not understood: {sorted(unknown)[0]!r}")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"`name` must be a string; received {name!r}.")
        self._name = name if name is not None else naming.unique_name(naming.to_snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self._dtype = _dtypes.as_dtype(dtype or "float32")
        self._own_weights: list[Variable] = []
        self._weight_regularizers: list = []  # (weight, regularizer): losses computed when asked for
        self._callable_losses: list = []  # add_loss(callable)
        self._added_losses: list = []  # add_loss(tensor), cleared when the outermost layer is called again
        self._activity_regularizer = regularizers.get(kwargs.get("activity_regularizer"))
        self.built = False
        self._inbound_nodes: list = []  # keras_tensor.Node: this layer's calls in Functional graphs
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            self._batch_input_shape = tuple(batch_input_shape)
        elif input_shape is not None:
            shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
            self._batch_input_shape = (kwargs.get("batch_size"),) + shape
        else:
            self._batch_input_shape = None

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        # A tf.Variable set as an attribute is one of the layer's weights, as Keras tracks it.
        if isinstance(value, Variable) and not name.startswith("_") and "_own_weights" in vars(self):
            if all(value is not w for w in self._own_weights):
                self._own_weights.append(value)

    # -- identity -------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> str:
        return self._dtype.name

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for layer in self._flatten_layers(include_self=False):
            layer._trainable = bool(value)

    # -- sublayers ------------------------------------------------------------------------
    def _direct_sublayers(self) -> Iterator[Layer]:
        """Sublayers in attribute-assignment order (lists, tuples and dicts are looked into)."""
        seen: set[int] = set()
        for key, value in vars(self).items():
            if key.startswith("_jaxport") or key == "_own_weights":
                continue
            for item in _layers_in(value):
                if id(item) not in seen and item is not self:
                    seen.add(id(item))
                    yield item

    def _flatten_layers(self, include_self: bool = True) -> Iterator[Layer]:
        if include_self:
            yield self
        for layer in self._direct_sublayers():
            yield from layer._flatten_layers(include_self=True)

    @property
    def layers(self) -> list[Layer]:
        """The directly nested layers, in attribute order (metrics are not layers here, as Keras)."""
        return [layer for layer in self._direct_sublayers() if not getattr(layer, "_is_metric", False)]

    # -- weights -----------------------------------------------------------------------------
    def add_weight(
        self,
        name: str | None = None,
        shape: Any = None,
        dtype: Any = None,
        initializer: Any = None,
        regularizer: Any = None,
        trainable: bool | None = None,
        constraint: Any = None,
        aggregation: Any = None,
        **kwargs: Any,
    ) -> Variable:
        """Create a weight of this layer (named under the current layer scopes)."""
        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = _dtypes.as_dtype(dtype or self._dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        init = initializers.get(initializer)
        trainable = True if trainable is None else bool(trainable)
        var = Variable(
            lambda: init(shape, dtype=dtype),
            trainable=trainable,
            name=name or "Variable",
            constraint=constraint,
            aggregation=aggregation,
        )
        self._own_weights.append(var)
        regularizer = regularizers.get(regularizer)
        if regularizer is not None:
            self._weight_regularizers.append((var, regularizer))
        return var

    @property
    def trainable_weights(self) -> list[Variable]:
        if not self._trainable:
            return []
        out = [w for w in self._own_weights if w.trainable]
        for layer in self._direct_sublayers():
            out += layer.trainable_weights
        return _dedup(out)

    @property
    def non_trainable_weights(self) -> list[Variable]:
        if self._trainable:
            out = [w for w in self._own_weights if not w.trainable]
            for layer in self._direct_sublayers():
                out += layer.non_trainable_weights
        else:
            out = list(self._own_weights)
            for layer in self._direct_sublayers():
                out += layer.weights
        return _dedup(out)

    @property
    def weights(self) -> list[Variable]:
        return _dedup(self.trainable_weights + self.non_trainable_weights)

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    def get_weights(self) -> list[np.ndarray]:
        """The weights' values as numpy arrays, in `weights` order."""
        return [w.numpy() if w.ndim else np.asarray(w.numpy()) for w in self.weights]

    def set_weights(self, weights: list) -> None:
        """Set all weights from numpy arrays in `weights` order; nothing changes on a mismatch.

        Raises:
          ValueError: wrong number of arrays, or an array of the wrong shape.
        """
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(
                f'You called `set_weights(weights)` on layer "{self.name}" with a weight list of '
                f"length {len(weights)}, but the layer was expecting {len(params)} weights. "
                f"Provided weights: {_short(weights)}..."
            )
        values = []
        for var, value in zip(params, weights):
            arr = np.asarray(value)
            if tuple(var.shape) != arr.shape:
                raise ValueError(
                    f"Layer {self.name} weight shape {tuple(var.shape)} is not compatible with provided "
                    f"weight shape {arr.shape}."
                )
            values.append(arr.astype(var.dtype.as_numpy_dtype))
        for var, arr in zip(params, values):
            var.assign(arr)

    def count_params(self) -> int:
        """The number of scalars in all weights."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer {self.name}, but the layer isn't built. "
                "You can build it manually via: `layer.build(batch_input_shape)`."
            )
        return int(sum(int(np.prod(w.shape.as_list())) for w in self.weights))

    @property
    def losses(self) -> list:
        """The losses of this layer and its sublayers, Keras's order per layer: the added
        ones (`add_loss`, activity regularizers) of the last call, then the weights'
        regularization, computed from their current values."""
        out = []
        for layer in self._flatten_layers():
            out += layer._added_losses
            for loss in layer._callable_losses:
                value = loss()
                if value is not None:
                    out.append(value)
            out += [regularizer(var) for var, regularizer in layer._weight_regularizers]
        return out

    def add_loss(self, losses: Any, **kwargs: Any) -> None:
        """Add a loss (a Tensor from this call, or a zero-argument callable evaluated whenever
        `losses` is read); `fit` adds `model.losses` to the compiled loss."""
        for loss in losses if isinstance(losses, (list, tuple)) else [losses]:
            if loss is None:
                continue
            if callable(loss) and not isinstance(loss, (Tensor, Variable)):
                self._callable_losses.append(loss)
            else:
                self._added_losses.append(convert_to_tensor(loss))
                _LAYERS_WITH_ADDED_LOSSES.add(self)

    @property
    def activity_regularizer(self) -> Any:
        """The regularizer applied to this layer's outputs (added to `losses`), or None."""
        return self._activity_regularizer

    @activity_regularizer.setter
    def activity_regularizer(self, value: Any) -> None:
        self._activity_regularizer = regularizers.get(value)

    # -- calling --------------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        """Create the weights for inputs of `input_shape` (override; called on first use)."""
        self.built = True

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """The layer's computation (override)."""
        return inputs

    def _maybe_build(self, inputs: Any) -> None:
        if self.built:
            return
        shapes = _shapes_of(inputs)
        self.build(shapes)
        self.built = True

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if type(inputs) is not Tensor and keras_tensor.holds_keras_tensor(inputs, args, kwargs):
            return keras_tensor.call_symbolically(self, inputs, args, kwargs)  # Functional construction
        inputs = self._convert_inputs(inputs)
        accepts_training = _accepts_training(type(self))
        context = naming.training_context()
        training = kwargs.get("training")
        position = _training_position(type(self))
        passed_positionally = position is not None and len(args) > position and "training" not in kwargs
        if passed_positionally:  # `model(x, True)`: Keras reads `training` from the call signature
            training = args[position]
        if training is None and context and context[-1] is not None:
            training = context[-1]
        if passed_positionally:
            args = args[:position] + (training,) + args[position + 1 :]
        elif accepts_training:
            if training is None:
                training = _default_training(type(self))
            if training is not None or "training" in kwargs:
                kwargs["training"] = training
        elif "training" in kwargs:
            kwargs.pop("training")
        expects_mask = _accepts_arg(type(self), "mask")
        if "mask" in kwargs and not expects_mask:
            kwargs.pop("mask")
        previous_mask = _keras_mask_of(inputs)
        if expects_mask and kwargs.get("mask") is None and previous_mask is not None:
            kwargs["mask"] = previous_mask  # Keras 2: the inputs' masks reach `call(..., mask=)`
        with naming.name_scope(self._name):
            if not self.built:
                self._check_input_shape(inputs)
                self._maybe_build(inputs)
            else:
                self._check_input_shape(inputs)
            if not context and _LAYERS_WITH_ADDED_LOSSES:  # outermost call: the last call's added losses go
                for layer in self._flatten_layers():
                    layer._added_losses.clear()
                    _LAYERS_WITH_ADDED_LOSSES.discard(layer)
            context.append(training)
            try:
                if _state.trace is not None and _user_written_call(type(self)):
                    from jaxport.autograph.conversion import call_converted

                    outputs = call_converted(self.call, (inputs, *args), kwargs)  # AutoGraph, as TF
                else:
                    outputs = self.call(inputs, *args, **kwargs)
            finally:
                context.pop()
            if self._activity_regularizer is not None:
                self._add_activity_loss(outputs)
            if self.supports_masking:
                self._set_output_masks(inputs, outputs, previous_mask)
            return outputs

    # -- masking (Keras 2: `supports_masking`, `compute_mask`, `_keras_mask` on outputs) -------
    supports_masking = False

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The mask of the outputs: the input mask for a layer that supports masking, else None."""
        return mask if self.supports_masking else None

    def _set_output_masks(self, inputs: Any, outputs: Any, previous_mask: Any) -> None:
        flat = [o for o in jax.tree.leaves(outputs, is_leaf=lambda x: isinstance(x, Tensor)) if isinstance(o, Tensor)]
        if not flat or all(getattr(o, "_keras_mask", None) is not None for o in flat):
            return  # the call set them
        masks = self.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        masks = list(masks) if isinstance(masks, (list, tuple)) else [masks]
        for output, mask in zip(flat, masks):
            output._keras_mask = mask

    def _add_activity_loss(self, outputs: Any) -> None:
        """Keras's activity regularization: the regularizer of each output over the batch size."""
        from jaxport.ops import array_ops

        for output in jax.tree.leaves(outputs, is_leaf=lambda x: isinstance(x, Tensor)):
            if isinstance(output, Tensor):
                loss = self._activity_regularizer(output)
                batch = math_ops.cast(array_ops.shape(output)[0], loss.dtype) if output.ndim else 1.0
                self._added_losses.append(math_ops.divide(loss, batch))
                _LAYERS_WITH_ADDED_LOSSES.add(self)

    def _check_input_shape(self, inputs: Any) -> None:
        """Override to validate input shapes (Keras's input_spec), raising ValueError."""

    def _convert_inputs(self, inputs: Any) -> Any:
        if isinstance(inputs, (Tensor, Variable)):
            t = inputs
        elif isinstance(inputs, (np.ndarray, list, float, int)) and not _is_nested_structure(inputs):
            t = convert_to_tensor(inputs)
        else:
            return inputs
        if t.dtype.is_floating and t.dtype != self._dtype and _dtypes.as_dtype(self._dtype).is_floating:
            return math_ops.cast(t, self._dtype)  # Keras autocasts floating inputs to a floating dtype only
        return t

    # -- Functional graph connectivity (tf_keras's node attributes) --------------------------------
    @property
    def inbound_nodes(self) -> list:
        """The calls of this layer on KerasTensors (`keras_tensor.Node`), in call order."""
        return list(self._inbound_nodes)

    def _node_attribute(self, node_index: int, attribute: str, attribute_name: str) -> Any:
        if not self._inbound_nodes:
            raise RuntimeError(f"The layer {self.name} has never been called and thus has no defined {attribute_name}.")
        if not 0 <= node_index < len(self._inbound_nodes):
            raise ValueError(
                f"Asked to get {attribute_name} at node {node_index}, but the layer has only "
                f"{len(self._inbound_nodes)} inbound nodes."
            )
        value = getattr(self._inbound_nodes[node_index], attribute)
        return value[0] if isinstance(value, list) and len(value) == 1 else value

    def get_input_at(self, node_index: int) -> Any:
        """The input KerasTensor(s) of the layer's call number `node_index`."""
        return self._node_attribute(node_index, "input_tensors", "input")

    def get_output_at(self, node_index: int) -> Any:
        """The output KerasTensor(s) of the layer's call number `node_index`."""
        return self._node_attribute(node_index, "outputs", "output")

    def get_input_shape_at(self, node_index: int) -> Any:
        """The input shape(s) of the layer's call number `node_index`."""
        return self._node_attribute(node_index, "input_shapes", "input shape")

    def get_output_shape_at(self, node_index: int) -> Any:
        """The output shape(s) of the layer's call number `node_index`."""
        return self._node_attribute(node_index, "output_shapes", "output shape")

    @property
    def input(self) -> Any:
        """The input KerasTensor(s) of the layer's first call (AttributeError if never called)."""
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} is not connected, no input to return.")
        return self.get_input_at(0)

    @property
    def output(self) -> Any:
        """The output KerasTensor(s) of the layer's first call (AttributeError if never called)."""
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} has no inbound nodes.")
        return self.get_output_at(0)

    @property
    def input_shape(self) -> Any:
        """The input shape of the layer's calls; AttributeError when never called or when the
        calls had different input shapes, as Keras 2."""
        if not self._inbound_nodes:
            raise AttributeError(
                f'The layer "{self.name}" has never been called and thus has no defined input shape. Note that '
                "the `input_shape` property is only available for Functional and Sequential models."
            )
        if len({str(node.input_shapes) for node in self._inbound_nodes}) != 1:
            raise AttributeError(
                f'The layer "{self.name}" has multiple inbound nodes, with different input shapes. Hence the '
                'notion of "input shape" is ill-defined for the layer. Use `get_input_shape_at(node_index)` '
                "instead."
            )
        return self._inbound_nodes[0].input_shapes

    @property
    def output_shape(self) -> Any:
        """The output shape of the layer's calls; AttributeError when never called or when the
        calls had different output shapes, as Keras 2."""
        if not self._inbound_nodes:
            raise AttributeError(f'The layer "{self.name}" has never been called and thus has no defined output shape.')
        if len({str(node.output_shapes) for node in self._inbound_nodes}) != 1:
            raise AttributeError(
                f'The layer "{self.name}" has multiple inbound nodes, with different output shapes. Hence the '
                'notion of "output shape" is ill-defined for the layer. Use `get_output_shape_at(node_index)` '
                "instead."
            )
        return self._inbound_nodes[0].output_shapes

    def get_config(self) -> dict:
        """The constructor arguments that recreate this layer (Keras's config)."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        return config

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        """Recreate a layer from `get_config()`."""
        return cls(**config)

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        """The output shape for an input shape (by running the layer on zeros)."""
        from jaxport.ops.array_ops import zeros

        shape = [1 if d is None else d for d in TensorShape(input_shape)]
        return self(zeros(shape, self._dtype)).shape

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__} name={self.name}>"


def _is_nested_structure(x: Any) -> bool:
    return isinstance(x, list) and any(isinstance(i, (Tensor, Variable, np.ndarray)) for i in x)


def _layers_in(value: Any) -> Iterator[Layer]:
    if isinstance(value, Layer):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _layers_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _layers_in(item)


def _dedup(weights: list[Variable]) -> list[Variable]:
    seen: set[int] = set()
    out = []
    for w in weights:
        if id(w) not in seen:
            seen.add(id(w))
            out.append(w)
    return out


def _short(weights: list) -> str:
    text = str([np.asarray(w) for w in weights])
    return text[:50]


def _shapes_of(inputs: Any) -> Any:
    if isinstance(inputs, (Tensor, Variable)):
        return TensorShape(inputs.shape)
    if isinstance(inputs, (list, tuple)):
        return [_shapes_of(i) for i in inputs]
    if isinstance(inputs, dict):
        return {k: _shapes_of(v) for k, v in inputs.items()}
    if hasattr(inputs, "shape"):
        return TensorShape(inputs.shape)
    return None


_SIGNATURES: dict[type, inspect.Signature] = {}


def _signature(cls: type) -> inspect.Signature:
    sig = _SIGNATURES.get(cls)
    if sig is None:
        sig = _SIGNATURES[cls] = inspect.signature(cls.call)
    return sig


_USER_CALL: dict[type, bool] = {}


def _user_written_call(cls: type) -> bool:
    """Whether `cls.call` is user code (converted by AutoGraph) rather than jaxport's own."""
    found = _USER_CALL.get(cls)
    if found is None:
        module = getattr(cls.call, "__module__", None) or ""  # None for code run by exec()
        found = _USER_CALL[cls] = not module.startswith("jaxport.")
    return found


def _keras_mask_of(inputs: Any) -> Any:
    """The `_keras_mask` of the inputs (a list for several inputs; None when none has one)."""
    if isinstance(inputs, Tensor):
        return getattr(inputs, "_keras_mask", None)
    if isinstance(inputs, (list, tuple)):
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        return masks if any(m is not None for m in masks) else None
    return None


_ACCEPTS: dict[tuple[type, str], bool] = {}


def _accepts_arg(cls: type, arg: str) -> bool:
    """Whether `cls.call` takes `arg` (by name or through **kwargs); cached per class, as
    `__call__` asks on every call."""
    key = (cls, arg)
    found = _ACCEPTS.get(key)
    if found is None:
        params = _signature(cls).parameters
        found = _ACCEPTS[key] = arg in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    return found


def _accepts_training(cls: type) -> bool:
    return _accepts_arg(cls, "training")


_TRAINING_POSITIONS: dict[type, int | None] = {}


def _training_position(cls: type) -> int | None:
    """The index of `training` among `call`'s positional parameters after `inputs`, if any."""
    if cls in _TRAINING_POSITIONS:
        return _TRAINING_POSITIONS[cls]
    params = [
        p
        for p in list(_signature(cls).parameters.values())[2:]  # after self and inputs
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    names = [p.name for p in params]
    position = _TRAINING_POSITIONS[cls] = names.index("training") if "training" in names else None
    return position


def _default_training(cls: type) -> Any:
    param = _signature(cls).parameters.get("training")
    if param is None or param.default is inspect.Parameter.empty:
        return None
    return param.default


def training_flag(training: Any) -> Any:
    """A layer's `training` argument as Keras's `smart_cond` sees it: None, True or False when
    its value is known now, else the traced bool Tensor (the layer then selects at run time)."""
    if training is None or isinstance(training, bool):
        return training
    if isinstance(training, (Tensor, Variable)):
        value = training._value if isinstance(training, Tensor) else training._current_value()
        if isinstance(value, jax.core.Tracer) or is_captured_buffer(value):
            return Tensor(jax.numpy.asarray(value, bool))
        return bool(np.asarray(value))
    return bool(training)
