"""`tf.keras.layers.TimeDistributed`: one layer applied to every timestep of its input."""

from __future__ import annotations

from typing import Any

from jaxport.eager import Tensor, TensorShape
from jaxport.modules.base_layer import Layer, _accepts_arg
from jaxport.ops import array_ops
from jaxport.ops._helpers import shape_of


class TimeDistributed(Layer):
    """`tf.keras.layers.TimeDistributed(layer)`: applies `layer` to each slice `inputs[:, t]`.

    Input shape (batch, steps, ...), rank >= 3; the inner layer sees (batch * steps, ...) — one
    call, as Keras's reshape path for built-in layers — and the output is (batch, steps, ...).
    The inner layer is built directly inside the wrapper's scope, so its weights are named
    `time_distributed/kernel:0`, as tf_keras 2.21 names them. An input mask (batch, steps)
    reaches the inner layer per step when it takes `mask`, and is the output's mask.
    """

    supports_masking = True

    def __init__(self, layer: Layer, **kwargs: Any):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Please initialize `TimeDistributed` layer with a `tf.keras.layers.Layer` instance. Received: {layer}"
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape: Any) -> None:
        shape = TensorShape(input_shape)
        if len(shape) < 3:
            raise ValueError(
                "`TimeDistributed` Layer should be passed an `input_shape ` with at least 3 dimensions, "
                f"received: {shape}"
            )
        if not self.layer.built:
            self.layer.build(TensorShape([shape[0]] + list(shape)[2:]))
            self.layer.built = True
        self.built = True

    def _inner(self, x: Any) -> Any:
        dims = shape_of(x)
        return array_ops.reshape(x, (dims[0] * dims[1],) + tuple(dims[2:]))

    def _outer(self, y: Any, batch: int, steps: int) -> Any:
        return array_ops.reshape(y, (batch, steps) + tuple(shape_of(y)[1:]))

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        batch, steps = shape_of(inputs)[:2]
        kwargs: dict = {}
        if _accepts_arg(type(self.layer), "training"):
            kwargs["training"] = training
        if mask is not None and _accepts_arg(type(self.layer), "mask"):
            kwargs["mask"] = self._inner(mask)
        outputs = self.layer(self._inner(inputs), **kwargs)
        return self._outer(outputs, batch, steps)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The inner layer's per-step output mask, reshaped to (batch, steps, ...); else the input mask."""
        if not isinstance(inputs, Tensor):
            return mask
        batch, steps = shape_of(inputs)[:2]
        inner_mask = None if mask is None else self._inner(mask)
        output_mask = self.layer.compute_mask(self._inner(inputs), inner_mask)
        if output_mask is None:
            return mask
        return self._outer(output_mask, batch, steps)

    def get_config(self) -> dict:
        config = super().get_config()
        config["layer"] = {"class_name": type(self.layer).__name__, "config": self.layer.get_config()}
        return config

    @classmethod
    def from_config(cls, config: dict) -> TimeDistributed:
        """Recreate the wrapper and its inner layer (a built-in layer class by name)."""
        from jaxport.modules import layers

        config = dict(config)
        inner = config.pop("layer")
        layer_cls = getattr(layers, inner["class_name"])
        return cls(layer_cls.from_config(inner["config"]), **config)
