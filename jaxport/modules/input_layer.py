"""`tf.keras.Input` and `tf.keras.layers.InputLayer`: the entry points of Functional graphs.

`Input(shape=(4,))` makes an InputLayer (named `input_1`, `input_2`, ...) whose one node has
no inbound tensors and whose output is a KerasTensor of shape `(None, 4)`.
"""

from __future__ import annotations

from typing import Any

from jaxport import dtypes as _dtypes
from jaxport.eager import TensorShape
from jaxport.modules import naming
from jaxport.modules.base_layer import Layer
from jaxport.modules.keras_tensor import KerasTensor, connect

__all__ = ["Input", "InputLayer"]


def _checked_dims(shape: Any) -> tuple:
    """`shape` as a tuple of ints/None with TF's TensorShape errors for bad dimensions."""
    if isinstance(shape, int):
        shape = (shape,)
    dims = []
    for d in shape:
        if d is None:
            dims.append(None)
            continue
        if isinstance(d, bool) or not hasattr(d, "__index__"):
            raise TypeError(
                f"Dimension value must be integer or None or have an __index__ method, got value '{d!r}' "
                f"with type '{type(d)}'"
            )
        d = int(d.__index__())
        if d < 0:
            raise ValueError(f"Dimension {d} must be >= 0")
        dims.append(d)
    return tuple(dims)


def _next_input_name() -> str:
    """`input_1`, `input_2`, ...: Keras 2 numbers Input layers from one."""
    base = naming.unique_name("input")
    count = 0 if base == "input" else int(base.rsplit("_", 1)[1])
    return f"input_{count + 1}"


class InputLayer(Layer):
    """`tf.keras.layers.InputLayer`: the layer that produces a Functional model's input.

    Args:
      input_shape: the shape without the batch dimension.
      batch_size: the static batch size (default None, unknown).
      dtype: the input dtype (default float32).
      name: the layer name (default `input_N`).
      batch_input_shape: the full shape with the batch (instead of `input_shape`).
    """

    def __init__(
        self,
        input_shape: Any = None,
        batch_size: int | None = None,
        dtype: Any = None,
        input_tensor: Any = None,
        sparse: bool | None = None,
        name: str | None = None,
        ragged: bool | None = None,
        type_spec: Any = None,
        **kwargs: Any,
    ):
        batch_input_shape = kwargs.pop("batch_input_shape", None) or kwargs.pop("batch_shape", None)
        if kwargs.pop("optional", False):
            raise NotImplementedError("jaxport's InputLayer has no optional inputs: `optional` must be False.")
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {list(kwargs)}")
        if sparse or ragged:
            raise NotImplementedError("jaxport has no sparse or ragged tensors: `sparse` and `ragged` must be False.")
        if input_shape is not None and batch_input_shape is not None:
            raise ValueError(
                "Only provide the input_shape OR batch_input_shape argument to InputLayer, not both at the same time."
            )
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise NotImplementedError("jaxport's InputLayer takes `input_tensor` only as a KerasTensor.")
            batch_input_shape = tuple(input_tensor.shape)
            dtype = dtype or input_tensor.dtype
        if batch_input_shape is not None:
            batch_input_shape = _checked_dims(batch_input_shape)
        elif input_shape is not None:
            batch_input_shape = (batch_size,) + _checked_dims(input_shape)
        else:
            batch_input_shape = (None,)
        dtype = _dtypes.as_dtype(dtype or "float32")
        super().__init__(name=name or _next_input_name(), dtype=dtype)
        self._batch_input_shape = batch_input_shape
        self.is_placeholder = True
        self.built = True
        tensor = KerasTensor(TensorShape(batch_input_shape), dtype, name=self.name)
        connect(self, (), {}, [tensor])

    def call(self, inputs: Any) -> Any:
        return inputs

    def get_config(self) -> dict:
        return {
            "batch_input_shape": self._batch_input_shape,
            "dtype": self.dtype,
            "sparse": False,
            "ragged": False,
            "name": self.name,
            "optional": False,
        }


def Input(  # noqa: N802 - the TF name
    shape: Any = None,
    batch_size: int | None = None,
    name: str | None = None,
    dtype: Any = None,
    sparse: bool | None = None,
    tensor: Any = None,
    ragged: bool | None = None,
    type_spec: Any = None,
    **kwargs: Any,
) -> KerasTensor:
    """`tf.keras.Input`: a symbolic input of a Functional model (a KerasTensor).

    Args:
      shape: the shape without the batch dimension (`(4,)`; None for unknown dims).
      batch_size: the static batch size (default None).
      name: the input layer's name (default `input_N`).
      dtype: the dtype (default float32).
      tensor: an existing KerasTensor to wrap.
      batch_shape: (keyword) the full shape with the batch, instead of `shape`.

    Returns:
      The KerasTensor made by a new InputLayer.
    """
    batch_shape = kwargs.pop("batch_shape", None) or kwargs.pop("batch_input_shape", None)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {list(kwargs)}")
    if shape is not None and batch_shape is not None:
        raise ValueError(
            "Only provide the `shape` OR `batch_input_shape` argument to Input, not both at the same time."
        )
    if shape is None and batch_shape is None and tensor is None and type_spec is None:
        raise ValueError(
            "Please provide to Input a `shape` or a `tensor` or a `type_spec` argument. Note that `shape` does "
            "not include the batch dimension."
        )
    layer = InputLayer(
        input_shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        input_tensor=tensor,
        sparse=sparse,
        name=name,
        ragged=ragged,
        batch_input_shape=batch_shape,
    )
    return layer._inbound_nodes[0].outputs[0]
