"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate (+ the
functional forms `add`, `concatenate`, ...), as tf_keras's `layers/merging`.

Each takes a list of tensors. The elementwise ones broadcast as Keras 2 does (a dim of 1
against any; inputs of lower rank get axes of 1 inserted after the batch axis) and run as
one recorded op; Concatenate joins along `axis`.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jaxport.eager import Tensor, convert_to_tensor, dispatch
from jaxport.modules.base_layer import Layer
from jaxport.ops import array_ops
from jaxport.ops._helpers import pure_op

__all__ = [
    "Add",
    "Average",
    "Concatenate",
    "Maximum",
    "Minimum",
    "Multiply",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]

_FOLDS = {
    "add": jnp.add,
    "subtract": jnp.subtract,
    "multiply": jnp.multiply,
    "average": jnp.add,
    "maximum": jnp.maximum,
    "minimum": jnp.minimum,
}


@pure_op("Merge")
def _merge_pure(*xs, merge):
    out = xs[0]
    for x in xs[1:]:
        out = _FOLDS[merge](out, x)
    return out / len(xs) if merge == "average" else out


def _shape_tuples(input_shape: Any) -> Any:
    if isinstance(input_shape, (list, tuple)) and input_shape and not isinstance(input_shape[0], (int, type(None))):
        return [None if s is None or getattr(s, "rank", 0) is None else tuple(s) for s in input_shape]
    return tuple(input_shape) if input_shape is not None else None


def _elementwise_shape(shape1: tuple | None, shape2: tuple | None) -> tuple | None:
    """The broadcast shape of two shapes without batch, with Keras 2's error."""
    if shape1 is None or shape2 is None:
        return None
    if len(shape1) < len(shape2):
        return _elementwise_shape(shape2, shape1)
    if not shape2:
        return shape1
    out = list(shape1[: -len(shape2)])
    for i, j in zip(shape1[-len(shape2) :], shape2):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1:
            out.append(j if i == 1 else i)
        elif i != j:
            raise ValueError(f"Inputs have incompatible shapes. Received shapes {shape1} and {shape2}")
        else:
            out.append(i)
    return tuple(out)


class _Merge(Layer):
    """The elementwise merge of a list of tensors (the base of Add, Multiply, ...)."""

    _merge = "add"

    def build(self, input_shape: Any) -> None:
        shapes = _shape_tuples(input_shape)
        if not isinstance(shapes, list) or not isinstance(shapes[0], tuple):
            raise ValueError(
                f"A merge layer should be called on a list of inputs. Received: input_shape={shapes} "
                "(not a list of shapes)"
            )
        batch_sizes = {s[0] for s in shapes if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(f"Cannot merge tensors with different batch sizes. Got tensors with shapes {shapes}")
        output = shapes[0][1:] if shapes[0] is not None else None
        for shape in shapes[1:]:
            output = _elementwise_shape(output, shape[1:] if shape is not None else None)
        self._check_count(shapes)
        self.built = True

    def _check_count(self, shapes: list) -> None:
        if len(shapes) < 1:
            raise ValueError(
                "A merge layer should be called on a list of at least 1 input. "
                f"Got {len(shapes)} inputs. Full input_shape received: {shapes}"
            )

    def call(self, inputs: Any) -> Tensor:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"A merge layer should be called on a list of inputs. Received: inputs={inputs} (not a list of tensors)"
            )
        tensors = [convert_to_tensor(x) for x in inputs]
        ranks = [t.ndim for t in tensors]
        top = max(ranks)
        if len(set(ranks)) > 1:  # lower-rank inputs get axes of 1 after the batch axis, as Keras 2
            for i, t in enumerate(tensors):
                for _ in range(top - t.ndim):
                    t = array_ops.expand_dims(t, axis=1)
                tensors[i] = t
        return dispatch(_merge_pure, *tensors, merge=self._merge)


class Add(_Merge):
    """`tf.keras.layers.Add`: the sum of a list of tensors (same shapes, or broadcastable)."""

    _merge = "add"


class Subtract(_Merge):
    """`tf.keras.layers.Subtract`: `inputs[0] - inputs[1]` (exactly two inputs)."""

    _merge = "subtract"

    def _check_count(self, shapes: list) -> None:
        if len(shapes) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape={shapes}")

    def call(self, inputs: Any) -> Tensor:
        if isinstance(inputs, (list, tuple)) and len(inputs) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: inputs={inputs}")
        return super().call(inputs)


class Multiply(_Merge):
    """`tf.keras.layers.Multiply`: the elementwise product of a list of tensors."""

    _merge = "multiply"


class Average(_Merge):
    """`tf.keras.layers.Average`: the elementwise mean of a list of tensors."""

    _merge = "average"


class Maximum(_Merge):
    """`tf.keras.layers.Maximum`: the elementwise maximum of a list of tensors."""

    _merge = "maximum"


class Minimum(_Merge):
    """`tf.keras.layers.Minimum`: the elementwise minimum of a list of tensors."""

    _merge = "minimum"


class Concatenate(Layer):
    """`tf.keras.layers.Concatenate`: join a list of tensors along `axis` (default -1); all
    other dims must match."""

    def __init__(self, axis: int = -1, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape: Any) -> None:
        shapes = _shape_tuples(input_shape)
        if not isinstance(shapes, list) or len(shapes) < 1 or not isinstance(shapes[0], tuple):
            raise ValueError(
                f"A `Concatenate` layer should be called on a list of at least 1 input. Received: input_shape={shapes}"
            )
        message = (
            "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
            f"Received: input_shape={shapes}"
        )
        reduced = set()
        for shape in shapes:
            dims = list(shape)
            del dims[self.axis]
            reduced.add(tuple(dims))
        if len(reduced) != 1:
            if len({len(s) for s in reduced}) != 1:
                raise ValueError(message)
            for axis in range(len(next(iter(reduced)))):
                if len({s[axis] for s in reduced if s[axis] is not None}) > 1:
                    raise ValueError(message)
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"A `Concatenate` layer should be called on a list of inputs. Received: inputs={inputs}")
        return array_ops.concat([convert_to_tensor(x) for x in inputs], axis=self.axis)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config


def _functional(cls: type, name: str) -> Any:
    def merge(inputs: list, **kwargs: Any) -> Any:
        return cls(**kwargs)(inputs)

    merge.__name__ = name
    merge.__doc__ = f"`tf.keras.layers.{name}(inputs, **kwargs)`: `{cls.__name__}(**kwargs)(inputs)`."
    return merge


add = _functional(Add, "add")
subtract = _functional(Subtract, "subtract")
multiply = _functional(Multiply, "multiply")
average = _functional(Average, "average")
maximum = _functional(Maximum, "maximum")
minimum = _functional(Minimum, "minimum")


def concatenate(inputs: list, axis: int = -1, **kwargs: Any) -> Any:
    """`tf.keras.layers.concatenate(inputs, axis=-1)`: `Concatenate(axis)(inputs)`."""
    return Concatenate(axis=axis, **kwargs)(inputs)
