"""Categorical preprocessing layers: CategoryEncoding and Discretization (tf_keras 2).

Both end in tf_keras's `encode_categorical_inputs`: integer ids to one-hot, multi-hot or
count vectors of a fixed depth, with outputs of rank <= 2 (dense only).
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import errors
from jaxport.eager import Tensor, TensorShape, convert_to_tensor, dispatch
from jaxport.modules.base_layer import Layer
from jaxport.ops import array_ops, math_ops
from jaxport.ops._helpers import concrete, shape_of

_ENCODINGS = ("count", "one_hot", "multi_hot")


def _bincount_pure(x, weights, depth, binary, dtype):
    hits = jax.nn.one_hot(x, depth, dtype=dtype)  # (..., k, depth)
    if weights is not None:
        hits = hits * weights[..., None].astype(dtype)
    counts = jnp.sum(hits, axis=-2)
    return jnp.minimum(counts, 1).astype(dtype) if binary else counts


_bincount_pure.tf_op_name = "DenseBincount"


def _check_output_mode(layer_name: str, output_mode: str, allowed: tuple[str, ...]) -> None:
    if output_mode not in allowed:
        raise ValueError(
            f"Unkown value for `output_mode` argument of layer {layer_name}. Allowed values are: "
            f"or one of the following values: {allowed}. Received: {output_mode}"
        )


def encode_categorical(ids: Tensor, output_mode: str, depth: int, dtype: str, count_weights: Any = None) -> Tensor:
    """tf_keras's `encode_categorical_inputs` (dense): a rank-0 input gets an id axis; `one_hot`
    adds one unless the last axis has size 1; outputs above rank 2 are refused.

    Raises:
      ValueError: an encoded output of rank > 2.
    """
    original_shape = tuple(ids.shape)
    x = ids
    if x.ndim == 0:
        x = array_ops.expand_dims(x, -1)
    if output_mode == "one_hot" and x.shape[-1] != 1:
        x = array_ops.expand_dims(x, -1)
    if x.ndim > 2:
        raise ValueError(
            "When output_mode is not `'int'`, maximum supported output rank is 2. Received output_mode "
            f"{output_mode} and input shape {TensorShape(original_shape)}, which would result in output "
            f"rank {x.ndim}."
        )
    if count_weights is not None and count_weights.ndim != x.ndim:
        count_weights = array_ops.reshape(count_weights, shape_of(x))
    return dispatch(_bincount_pure, x, count_weights, depth=depth, binary=output_mode != "count", dtype=dtype)


class CategoryEncoding(Layer):
    """`tf.keras.layers.CategoryEncoding(num_tokens, output_mode='multi_hot')`: integer ids in
    [0, num_tokens) to dense vectors of `num_tokens` (float32 by default).

    `one_hot`: one vector per id (a trailing size-1 axis is the id axis); `multi_hot`: one
    vector per sample marking the ids present; `count`: how often each id occurs (weighted
    by `count_weights` when given). Outputs have rank <= 2. Sparse outputs are not supported.
    """

    def __init__(
        self, num_tokens: int | None = None, output_mode: str = "multi_hot", sparse: bool = False, **kwargs: Any
    ):
        if "max_tokens" in kwargs:  # tf_keras's deprecated spelling
            num_tokens = kwargs.pop("max_tokens")
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        _check_output_mode("CategoryEncoding", output_mode, _ENCODINGS)
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not known beforehand, "
                "use the IntegerLookup layer instead."
            )
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise NotImplementedError("CategoryEncoding(sparse=True) is not supported by jaxport; use sparse=False.")
        self.num_tokens = int(num_tokens)
        self.output_mode = output_mode
        self.sparse = bool(sparse)

    def call(self, inputs: Any, count_weights: Any = None) -> Tensor:
        x = convert_to_tensor(inputs)
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    "`count_weights` is not used when `output_mode` is not `'count'`. "
                    "Received `count_weights={count_weights}`."
                )
            count_weights = math_ops.cast(convert_to_tensor(count_weights), self._dtype)
        values = concrete(x)  # the range check runs when the values are known (eagerly)
        if values is not None and values.size and (values.max() >= self.num_tokens or values.min() < 0):
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Exception encountered when calling layer '{self.name}' (type CategoryEncoding). "
                f"Input values must be in the range 0 <= values < num_tokens with num_tokens={self.num_tokens}",
            )
        return encode_categorical(x, self.output_mode, self.num_tokens, self._dtype.name, count_weights)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(num_tokens=self.num_tokens, output_mode=self.output_mode, sparse=self.sparse)
        return config


def _bucketize_pure(x, boundaries):
    # TF's Bucketize: the number of boundaries <= x
    return jnp.searchsorted(jnp.asarray(boundaries, x.dtype), x, side="right").astype(jnp.int32)


_bucketize_pure.tf_op_name = "Bucketize"


def _summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    """tf_keras's quantile summary of one batch: every `step`-th sorted value (about 1/epsilon
    of them), each weighing `step` values; row 0 the values, row 1 the weights."""
    values = np.sort(np.asarray(values, np.float32).reshape(-1))
    increment = int(np.float32(values.size) / np.float32(1.0 / epsilon))
    step = max(increment, 1)
    boundaries = values[increment::step]
    return np.stack([boundaries, np.full_like(boundaries, np.float32(step))])


def _compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """A summary resampled at cumulative-weight fractions epsilon, 2*epsilon, ..., 1 (kept as
    it is when it has fewer than 1/epsilon entries)."""
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_weight_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_weight_percents, summary[0])
    cum_weights = np.interp(percents, cum_weight_percents, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0.0]), cum_weights[:-1]))
    return np.stack((new_bins, new_weights)).astype(np.float32)


class Discretization(Layer):
    """`tf.keras.layers.Discretization(bin_boundaries=None, num_bins=None, epsilon=0.01,
    output_mode='int')`: the bin index of each value, `i` where
    `bin_boundaries[i-1] <= x < bin_boundaries[i]` (int64 by default), or its
    one_hot/multi_hot/count encoding over `len(bin_boundaries) + 1` bins.

    With `num_bins` instead, `adapt(data)` sets the boundaries to approximate quantiles (within
    `epsilon`). The quantile summary is kept on the layer, not as tf_keras's `summary` weight.
    """

    def __init__(
        self,
        bin_boundaries: Any = None,
        num_bins: int | None = None,
        epsilon: float = 0.01,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        if output_mode == "int" and not self._dtype.is_integer:
            raise ValueError(
                f"When `output_mode='int'`, `dtype` should be an integer type. Received: dtype={kwargs['dtype']}"
            )
        _check_output_mode(type(self).__name__, output_mode, ("int",) + _ENCODINGS)
        if sparse and output_mode == "int":
            raise ValueError(
                "`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, or `'count'`. "
                f"Received: sparse={sparse} and output_mode={output_mode}"
            )
        if sparse:
            raise NotImplementedError("Discretization(sparse=True) is not supported by jaxport; use sparse=False.")
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"`num_bins` must be greater than or equal to 0. You passed `num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. You passed "
                f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if isinstance(bin_boundaries, Tensor):
            bin_boundaries = bin_boundaries.numpy().tolist()
        self.input_bin_boundaries = None if bin_boundaries is None else [float(b) for b in bin_boundaries]
        self.bin_boundaries = self.input_bin_boundaries or []
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = bool(sparse)

    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Set `bin_boundaries` to `num_bins` approximate quantiles of `data` (an array, Tensor
        or `tf.data.Dataset`), as tf_keras: each batch (32 rows for arrays) is summarised by
        values spaced about `epsilon` apart in rank and merged into a running summary.

        Raises:
          ValueError: the layer was given `bin_boundaries`.
        """
        if self.input_bin_boundaries is not None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized with `bin_boundaries`, use "
                f"`num_bins` instead. You passed `bin_boundaries={self.input_bin_boundaries}`."
            )
        from jaxport.modules.layers.preprocessing import _adapt_batches

        summary = np.zeros((2, 0), np.float32)
        for batch in _adapt_batches(data, batch_size, steps):
            merged = np.concatenate((_summarize(batch, self.epsilon), summary), axis=1)
            summary = _compress(merged[:, np.argsort(merged[0], kind="stable")], self.epsilon)
        self.built = True
        self.bin_boundaries = [float(b) for b in _compress(summary, 1.0 / self.num_bins)[0, :-1]]

    def _convert_inputs(self, inputs: Any) -> Any:
        # Keras autocasts floating inputs to a floating compute dtype only: with the int64
        # output dtype, 2.5 must reach Bucketize as 2.5.
        return convert_to_tensor(inputs) if isinstance(inputs, (list, float, int)) else inputs

    def call(self, inputs: Any) -> Tensor:
        x = convert_to_tensor(inputs)
        if not x.dtype.is_floating:
            x = math_ops.cast(x, "float32")
        indices = dispatch(_bucketize_pure, x, boundaries=tuple(self.bin_boundaries))
        if self.output_mode == "int":
            return math_ops.cast(indices, self._dtype)
        return encode_categorical(indices, self.output_mode, len(self.bin_boundaries) + 1, self._dtype.name)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            bin_boundaries=self.input_bin_boundaries,
            num_bins=self.num_bins,
            epsilon=self.epsilon,
            output_mode=self.output_mode,
            sparse=self.sparse,
        )
        return config
