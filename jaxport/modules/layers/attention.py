"""Keras 2's attention layers: MultiHeadAttention, Attention (dot-product), AdditiveAttention.

MultiHeadAttention follows tf_keras: `query`, `key`, `value` and `attention_output` are
projection sublayers (weights `multi_head_attention/query/kernel:0` of shape
`(dim, num_heads, key_dim)`, biases `(num_heads, key_dim)`, output kernel
`(num_heads, value_dim, dim)`), the query is scaled by `1/sqrt(key_dim)`, and masked scores get
`-1e9` added before the softmax (Keras's masked Softmax). Masks come from `attention_mask`, the
inputs' Keras masks and `use_causal_mask`, merged with a logical and.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, dispatch
from jaxport.modules import initializers, regularizers
from jaxport.modules.base_layer import Layer, training_flag
from jaxport.modules.serialization import serialize_initializer, serialize_regularizer
from jaxport.ops import math_ops, nn_ops

_LARGE_NEGATIVE = -1e9  # tf_keras's Softmax adds it at masked positions (float32)


def _projection_pure(x, kernel, bias, equation):
    y = jnp.einsum(equation, x, kernel)
    return y if bias is None else y + bias


_projection_pure.tf_op_name = "Einsum"


class _Projection(Layer):
    """One of MultiHeadAttention's EinsumDense projections: `einsum(equation, x, kernel) + bias`."""

    def __init__(self, equation: str, kernel_shape: tuple, bias_shape: tuple | None, common: dict, **kwargs: Any):
        super().__init__(**kwargs)
        self.equation, self.kernel_shape, self.bias_shape = equation, tuple(kernel_shape), bias_shape
        self._common = common

    def build(self, input_shape: Any) -> None:
        c = self._common
        self.kernel = self.add_weight(
            "kernel",
            self.kernel_shape,
            initializer=c["kernel_initializer"],
            regularizer=c["kernel_regularizer"],
            constraint=c["kernel_constraint"],
        )
        self.bias = (
            self.add_weight(
                "bias",
                self.bias_shape,
                initializer=c["bias_initializer"],
                regularizer=c["bias_regularizer"],
                constraint=c["bias_constraint"],
            )
            if self.bias_shape is not None
            else None
        )
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        return dispatch(_projection_pure, inputs, self.kernel, self.bias, equation=self.equation)


def _attention_pure(query, key, value, mask, keep, scale):
    query = query * scale
    scores = jnp.einsum("aecd,abcd->acbe", key, query)  # (batch, heads, target, source)
    if mask is not None:
        scores = scores + (1.0 - mask[:, None, :, :].astype(scores.dtype)) * _LARGE_NEGATIVE
    probabilities = jax.nn.softmax(scores, axis=-1)
    dropped = probabilities if keep is None else probabilities * keep
    return jnp.einsum("acbe,aecd->abcd", dropped, value), probabilities


_attention_pure.tf_op_name = "MultiHeadAttention"


class MultiHeadAttention(Layer):
    """`tf.keras.layers.MultiHeadAttention(num_heads, key_dim, value_dim=None, dropout=0.0,
    use_bias=True, output_shape=None)`; called as `layer(query, value, key=None,
    attention_mask=None, return_attention_scores=False, training=None, use_causal_mask=False)`.

    Inputs (batch, target, dim) and (batch, source, dim); output (batch, target, dim) (or
    `output_shape`); the scores (batch, num_heads, target, source) with
    `return_attention_scores`. Attention over one sequence axis (rank-3 inputs).
    """

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape: Any = None,
        attention_axes: Any = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        self._num_heads = int(num_heads)
        self._key_dim = int(key_dim)
        self._value_dim = int(value_dim) if value_dim else int(key_dim)
        self._dropout = float(dropout)
        self._use_bias = bool(use_bias)
        self._output_shape = output_shape
        if attention_axes not in (None, 1, (1,), [1], -3, (-3,)):
            raise NotImplementedError("MultiHeadAttention: only attention over axis 1 (rank-3 inputs) is supported.")
        self._common = dict(
            kernel_initializer=initializers.get(kernel_initializer),
            bias_initializer=initializers.get(bias_initializer),
            kernel_regularizer=regularizers.get(kernel_regularizer),
            bias_regularizer=regularizers.get(bias_regularizer),
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
        )
        self._built_from_signature = False
        self._signature_shapes: dict = {}

    @classmethod
    def from_config(cls, config: dict) -> MultiHeadAttention:
        """Recreate the layer from `get_config()` (the recorded input shapes are not arguments:
        the weights are made at the first call)."""
        config = dict(config)
        for key in ("query_shape", "key_shape", "value_shape"):
            config.pop(key, None)
        if config.pop("softmax_robust_masking", False):
            raise NotImplementedError("jaxport's MultiHeadAttention has no `softmax_robust_masking`.")
        return cls(**config)

    @property
    def num_heads(self) -> int:
        return self._num_heads

    @property
    def key_dim(self) -> int:
        return self._key_dim

    @property
    def value_dim(self) -> int:
        return self._value_dim

    def _build_from_signature(self, query: Any, value: Any, key: Any) -> None:
        self._built_from_signature = True
        self._signature_shapes = {
            "query": tuple(query.shape),
            "value": tuple(value.shape),
            "key": tuple((value if key is None else key).shape),
        }
        for name, tensor in (("query", query), ("value", value), ("key", key)):
            if len(tensor.shape) != 3:
                raise NotImplementedError(
                    f"MultiHeadAttention: `{name}` of rank {len(tensor.shape)}; only rank-3 inputs are supported."
                )
        heads, kd, vd = self._num_heads, self._key_dim, self._value_dim
        bias = self._use_bias
        self._query_dense = _Projection(
            "abc,cde->abde", (query.shape[-1], heads, kd), (heads, kd) if bias else None, self._common, name="query"
        )
        self._key_dense = _Projection(
            "abc,cde->abde", (key.shape[-1], heads, kd), (heads, kd) if bias else None, self._common, name="key"
        )
        self._value_dense = _Projection(
            "abc,cde->abde", (value.shape[-1], heads, vd), (heads, vd) if bias else None, self._common, name="value"
        )
        out_dim = query.shape[-1]
        if self._output_shape:
            shape = self._output_shape if isinstance(self._output_shape, (list, tuple)) else [self._output_shape]
            if len(shape) != 1:
                raise NotImplementedError("MultiHeadAttention: only a one-dimensional `output_shape` is supported.")
            out_dim = int(shape[0])
        self._output_dense = _Projection(
            "abcd,cde->abe", (heads, vd, out_dim), (out_dim,) if bias else None, self._common, name="attention_output"
        )

    def _attention_mask(self, query: Any, value: Any, key: Any, attention_mask: Any, causal: bool) -> Any:
        """The inputs' Keras masks, `attention_mask` and the causal mask, and-ed: (batch, T, S)."""
        target, source = query.shape[1], value.shape[1]
        mask = None if attention_mask is None else jnp.asarray(_raw(attention_mask)).astype(bool)
        parts = []
        query_mask = getattr(query, "_keras_mask", None)
        value_mask = getattr(value, "_keras_mask", None)
        key_mask = getattr(key, "_keras_mask", None) if key is not value else None
        if query_mask is not None:
            parts.append(jnp.asarray(_raw(query_mask)).astype(bool)[:, :, None])
        for m in (value_mask, key_mask):
            if m is not None:
                parts.append(jnp.asarray(_raw(m)).astype(bool)[:, None, :])
        if causal:
            parts.append(jnp.tril(jnp.ones((target, source), bool))[None])
        for part in parts:
            mask = part if mask is None else jnp.logical_and(mask, part)
        if mask is not None:
            mask = jnp.broadcast_to(mask, (query.shape[0], target, source))
        return mask

    def call(
        self,
        query: Any,
        value: Any,
        key: Any = None,
        attention_mask: Any = None,
        return_attention_scores: bool = False,
        training: Any = None,
        use_causal_mask: bool = False,
    ) -> Any:
        if key is None:
            key = value
        if not self._built_from_signature:
            self._build_from_signature(query, value, key)
        mask = self._attention_mask(query, value, key, attention_mask, use_causal_mask)
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        keep = None
        if self._dropout > 0 and training_flag(training) is True:
            shape = (q.shape[0], self._num_heads, q.shape[1], k.shape[1])
            keep = nn_ops.dropout(math_ops.cast(Tensor(jnp.ones(shape)), "float32"), self._dropout)
        output, scores = dispatch(
            _attention_pure,
            q,
            k,
            v,
            None if mask is None else Tensor(mask),
            keep,
            scale=1.0 / math.sqrt(float(self._key_dim)),
        )
        output = self._output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            num_heads=self._num_heads,
            key_dim=self._key_dim,
            value_dim=self._value_dim,
            dropout=self._dropout,
            use_bias=self._use_bias,
            output_shape=self._output_shape,
            attention_axes=[1],  # the only axes jaxport supports (rank-3 inputs), as TF writes them
            kernel_initializer=serialize_initializer(self._common["kernel_initializer"]),
            bias_initializer=serialize_initializer(self._common["bias_initializer"]),
            kernel_regularizer=serialize_regularizer(self._common["kernel_regularizer"]),
            bias_regularizer=serialize_regularizer(self._common["bias_regularizer"]),
            activity_regularizer=serialize_regularizer(self.activity_regularizer),
            kernel_constraint=self._common["kernel_constraint"],
            bias_constraint=self._common["bias_constraint"],
            query_shape=self._signature_shapes.get("query"),
            key_shape=self._signature_shapes.get("key"),
            value_shape=self._signature_shapes.get("value"),
            softmax_robust_masking=False,
        )
        return config


def _raw(x: Any) -> Any:
    return x._value if isinstance(x, Tensor) else x


def _dot_attention_pure(query, value, key, query_mask, value_mask, scale, concat_score_weight, causal, mode):
    if mode == "dot":  # Luong: q . k (times the scale)
        scores = jnp.matmul(query, jnp.swapaxes(key, -1, -2))
        if scale is not None:
            scores = scores * scale
    elif mode == "concat":  # Attention(score_mode='concat')
        summed = query[..., :, None, :] + key[..., None, :, :]
        scores = concat_score_weight * jnp.sum(jnp.tanh(summed if scale is None else scale * summed), axis=-1)
    else:  # "additive" (Bahdanau): sum(scale * tanh(q + k))
        scores = jnp.sum(
            (1.0 if scale is None else scale) * jnp.tanh(query[..., :, None, :] + key[..., None, :, :]), -1
        )
    mask = None
    if value_mask is not None:
        mask = value_mask[:, None, :]
    if causal:
        causal_mask = jnp.tril(jnp.ones((scores.shape[-2], scores.shape[-1]), bool))[None]
        mask = causal_mask if mask is None else jnp.logical_and(mask, causal_mask)
    if mask is not None:
        scores = scores - 1.0e9 * jnp.logical_not(mask).astype(scores.dtype)  # tf_keras's padding
    weights = jax.nn.softmax(scores, axis=-1)
    out = jnp.matmul(weights, value)
    if query_mask is not None:
        out = out * query_mask[..., None].astype(out.dtype)
    return out, weights


_dot_attention_pure.tf_op_name = "Attention"


class Attention(Layer):
    """`tf.keras.layers.Attention(use_scale=False, score_mode='dot', dropout=0.0)` (Luong
    attention), called on `[query, value]` or `[query, value, key]` with `mask=[query_mask,
    value_mask]`, `return_attention_scores`, `use_causal_mask`."""

    def __init__(self, use_scale: bool = False, score_mode: str = "dot", dropout: float = 0.0, **kwargs: Any):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(f"Received: score_mode={score_mode}. Acceptable values are: ['dot', 'concat']")
        self.use_scale, self.score_mode, self.dropout = bool(use_scale), score_mode, float(dropout)
        self.supports_masking = True

    def build(self, input_shape: Any) -> None:
        self.scale = self.add_weight("scale", (), initializer="ones") if self.use_scale else None
        self.concat_score_weight = (
            self.add_weight("concat_score_weight", (), initializer="ones") if self.score_mode == "concat" else None
        )
        self.built = True

    def _mode(self) -> str:
        return self.score_mode

    def call(
        self,
        inputs: Any,
        mask: Any = None,
        training: Any = None,
        return_attention_scores: bool = False,
        use_causal_mask: bool = False,
    ) -> Any:
        if not isinstance(inputs, (list, tuple)) or len(inputs) not in (2, 3):
            raise ValueError(
                f"{type(self).__name__} layer must be called on a list of inputs, namely [query, value] "
                f"or [query, value, key]. Received: {inputs}."
            )
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) == 3 else value
        query_mask = value_mask = None
        if mask is not None:
            query_mask = None if mask[0] is None else Tensor(jnp.asarray(_raw(mask[0])).astype(bool))
            value_mask = None if len(mask) < 2 or mask[1] is None else Tensor(jnp.asarray(_raw(mask[1])).astype(bool))
        out, weights = dispatch(
            _dot_attention_pure,
            query,
            value,
            key,
            query_mask,
            value_mask,
            self.scale,
            self.concat_score_weight,
            causal=bool(use_causal_mask),
            mode=self._mode(),
        )
        if return_attention_scores:
            return out, weights
        return out

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The query's mask."""
        if mask is None:
            return None
        return mask[0] if isinstance(mask, (list, tuple)) else mask

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(use_scale=self.use_scale, score_mode=self.score_mode, dropout=self.dropout)
        return config


class AdditiveAttention(Attention):
    """`tf.keras.layers.AdditiveAttention(use_scale=True, dropout=0.0)` (Bahdanau attention):
    scores `sum(scale * tanh(query + key))` over the features; `scale` has shape (dim,)."""

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs: Any):
        super().__init__(use_scale=use_scale, score_mode="dot", dropout=dropout, **kwargs)

    def build(self, input_shape: Any) -> None:
        dim = input_shape[1][-1] if isinstance(input_shape, (list, tuple)) and len(input_shape) > 1 else None
        self.scale = self.add_weight("scale", (dim,), initializer="glorot_uniform") if self.use_scale else None
        self.concat_score_weight = None
        self.built = True

    def _mode(self) -> str:
        return "additive"

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("score_mode", None)
        return config
