"""`tf.keras.layers.Embedding`: rows of a `(input_dim, output_dim)` table looked up by index."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules import initializers, regularizers
from jaxport.modules.base_layer import Layer
from jaxport.modules.serialization import serialize_initializer, serialize_regularizer
from jaxport.ops import math_ops


def _lookup_pure(indices, embeddings):
    return jnp.take(embeddings, indices.astype(jnp.int32), axis=0)


_lookup_pure.tf_op_name = "ResourceGather"


class Embedding(Layer):
    """`tf.keras.layers.Embedding(input_dim, output_dim, embeddings_initializer='uniform',
    mask_zero=False, input_length=None)`.

    Input shape: integer indices of any shape (cast to int32, as Keras). Output shape: the input's
    with `output_dim` appended. The weight is `embedding/embeddings:0`. With `mask_zero`, index 0
    is padding: `compute_mask` gives `inputs != 0`, which recurrent layers downstream honour.
    An index outside `[0, input_dim)` is an InvalidArgumentError eagerly (TF on CPU).
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        activity_regularizer: Any = None,
        embeddings_constraint: Any = None,
        mask_zero: bool = False,
        input_length: int | None = None,
        sparse: bool = False,
        **kwargs: Any,
    ):
        if input_length is not None and "input_shape" not in kwargs:
            lengths = input_length if isinstance(input_length, (list, tuple)) else [input_length]
            kwargs["input_shape"] = tuple(lengths)
        for value in (input_dim, output_dim):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(
                    "Both `input_dim` and `output_dim` should be positive, "
                    f"Received input_dim = {input_dim} and output_dim = {output_dim}"
                )
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.input_dim = int(input_dim)
        self.output_dim = int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = embeddings_constraint
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.input_length = input_length
        self.sparse = bool(sparse)

    def build(self, input_shape: Any = None) -> None:
        self.embeddings = self.add_weight(
            "embeddings",
            (self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        _check_indices(inputs, self.input_dim)
        out = dispatch(_lookup_pure, inputs, self.embeddings)
        if self.mask_zero:
            out._keras_mask = self.compute_mask(inputs)
        return out

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """`inputs != 0` when `mask_zero`, else None."""
        if not self.mask_zero:
            return None
        return math_ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape: Any) -> Any:
        from jaxport.eager import TensorShape

        return TensorShape(list(input_shape) + [self.output_dim])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            input_dim=self.input_dim,
            output_dim=self.output_dim,
            embeddings_initializer=serialize_initializer(self.embeddings_initializer),
            embeddings_regularizer=serialize_regularizer(self.embeddings_regularizer),
            activity_regularizer=serialize_regularizer(self.activity_regularizer),
            embeddings_constraint=self.embeddings_constraint,
            mask_zero=self.mask_zero,
            input_length=self.input_length,
        )
        return config


def _check_indices(inputs: Any, input_dim: int) -> None:
    """TF's eager error for an index outside the table (inside a compiled function JAX clamps)."""
    import jax
    import numpy as np

    from jaxport import errors
    from jaxport.context import is_captured_buffer

    raw = inputs._value if isinstance(inputs, Tensor) else inputs
    if isinstance(raw, jax.core.Tracer) or is_captured_buffer(raw):
        return
    values = np.asarray(raw)
    if values.size and (values.min() < 0 or values.max() >= input_dim):
        bad = values[(values < 0) | (values >= input_dim)].reshape(-1)[0]
        position = tuple(int(i) for i in np.argwhere(values == bad)[0])
        raise errors.InvalidArgumentError(
            None,
            None,
            f"{{{{function_node __wrapped__ResourceGather_device_/job:localhost/replica:0/task:0/device:CPU:0}}}} "
            f"indices[{','.join(map(str, position))}] = {int(bad)} is not in [0, {input_dim}) [Op:ResourceGather]",
        )
