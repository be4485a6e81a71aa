"""Core layers without weights: Lambda, Masking, Identity (Keras 2)."""

from __future__ import annotations

import inspect
from typing import Any, Callable

import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules.base_layer import Layer
from jaxport.ops import array_ops


class Lambda(Layer):
    """`tf.keras.layers.Lambda(function, output_shape=None, mask=None, arguments=None)`: wraps
    `function(inputs, **arguments)` as a layer (it may also take `mask` and `training`).

    Args:
      output_shape: kept for the config (shapes here come from running the function).
      mask: None (no output mask), a mask, or a callable `mask(inputs, mask)` giving it.
      arguments: extra keyword arguments passed to `function`.

    `get_config` holds the function by name (`function_type` "function") or, for a lambda,
    the marker "lambda"; tf_keras serializes the bytecode, which is not reproduced.
    """

    def __init__(
        self,
        function: Callable,
        output_shape: Any = None,
        mask: Any = None,
        arguments: dict | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"`function` of a Lambda layer must be callable; received function={function!r}")
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self._output_shape = output_shape
        self.supports_masking = mask is not None
        try:
            params = inspect.signature(function).parameters
        except (TypeError, ValueError):
            params = {}
        takes_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        self._fn_expects_mask = "mask" in params or takes_kwargs
        self._fn_expects_training = "training" in params or takes_kwargs

    def call(self, inputs: Any, mask: Any = None, training: Any = None) -> Any:
        kwargs = dict(self.arguments)
        if self._fn_expects_mask:
            kwargs["mask"] = mask
        if self._fn_expects_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """`mask(inputs, mask)` when the layer's `mask` is callable, else the `mask` given."""
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self) -> dict:
        config = super().get_config()
        is_lambda = getattr(self.function, "__name__", "") == "<lambda>"
        config.update(
            function=getattr(self.function, "__name__", repr(self.function)),
            function_type="lambda" if is_lambda else "function",
            module=getattr(self.function, "__module__", None),
            output_shape=self._output_shape,
            output_shape_type="raw",
            output_shape_module=None,
            arguments=self.arguments,
        )
        return config


def _masking_pure(x, mask_value):
    keep = jnp.any(x != jnp.asarray(mask_value, x.dtype), axis=-1, keepdims=True)
    return x * keep.astype(x.dtype), jnp.squeeze(keep, axis=-1)


_masking_pure.tf_op_name = "Masking"


class Masking(Layer):
    """`tf.keras.layers.Masking(mask_value=0.)`: masks the timesteps whose features all equal
    `mask_value`: they are zeroed, and the output's `_keras_mask` (batch, steps) is False there,
    which downstream layers (RNNs, pooling, losses) honour."""

    supports_masking = True

    def __init__(self, mask_value: float = 0.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.mask_value = mask_value

    def call(self, inputs: Any) -> Tensor:
        outputs, mask = dispatch(_masking_pure, inputs, mask_value=self.mask_value)
        outputs._keras_mask = mask
        return outputs

    def compute_mask(self, inputs: Any, mask: Any = None) -> Tensor:
        """The steps with any feature different from `mask_value`."""
        return dispatch(_masking_pure, inputs, mask_value=self.mask_value)[1]

    def get_config(self) -> dict:
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config


class Identity(Layer):
    """`tf.keras.layers.Identity`: returns its inputs (each Tensor through `tf.identity`); like
    tf_keras's, it does not support masking, so its output carries no mask."""

    def call(self, inputs: Any) -> Any:
        if isinstance(inputs, Tensor):
            return array_ops.identity(inputs)
        return inputs
