"""`tf.keras.backend`: the session-level settings (`floatx`, `epsilon`, `clear_session`) and the
tensor helpers Keras 2 guides call (`K.mean`, `K.dot`, `K.variable`, ...), each a thin call of
jaxport's dispatched ops with Keras 2's defaults (floatx dtypes, `sqrt` clipped at 0, ...)."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaxport.modules import naming
from jaxport.modules.losses.backend import (  # noqa: F401 - tf.keras.backend's cross-entropies
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    sparse_categorical_crossentropy,
)

_FLOATX = "float32"
_EPSILON = 1e-7
_FLOAT_TYPES = ("float16", "float32", "float64")


def _tf() -> Any:
    import jaxport

    return jaxport


def clear_session() -> None:
    """Reset Keras's layer-name counters (as `tf.keras.backend.clear_session`)."""
    naming.reset()


def epsilon() -> float:
    """The fuzz factor Keras adds in losses and metrics (1e-7 unless `set_epsilon` changed it)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Set the value `epsilon()` returns."""
    global _EPSILON
    _EPSILON = value


def floatx() -> str:
    """The default float type of the backend helpers ('float32' unless `set_floatx` changed it)."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Set the default float type ('float16', 'float32' or 'float64').

    jaxport's layers keep float32 weights; `floatx` drives the dtype of `K.constant`,
    `K.variable`, `K.ones`, `K.zeros`, `K.random_normal` and `K.mean` of booleans.

    Raises:
      ValueError: any other value (TF's message).
    """
    global _FLOATX
    if value not in _FLOAT_TYPES:
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of {set(_FLOAT_TYPES)}")
    _FLOATX = str(value)


def learning_phase() -> int:
    """The global learning phase outside `fit`: 0 (inference), as tf_keras's eager default."""
    return 0


def shape(x: Any) -> Any:
    """The dynamic shape of `x` as an int32 Tensor (`tf.shape`)."""
    return _tf().shape(x)


def int_shape(x: Any) -> tuple | None:
    """The static shape of `x` as a tuple of ints / None (None when it has no shape)."""
    try:
        dims = x.shape
    except (AttributeError, ValueError):
        return None
    if hasattr(dims, "as_list"):
        if dims.rank is None:
            return None
        return tuple(dims.as_list())
    return tuple(dims)


def ndim(x: Any) -> int | None:
    """The rank of `x`."""
    dims = int_shape(x)
    return None if dims is None else len(dims)


def dtype(x: Any) -> str:
    """The name of `x`'s dtype."""
    return _tf().as_dtype(x.dtype).name


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str | None = None) -> Any:
    """`tf.constant` with `floatx()` as the default dtype."""
    return _tf().constant(value, dtype=dtype or floatx(), shape=shape, name=name)


def variable(value: Any, dtype: Any = None, name: str | None = None, constraint: Any = None) -> Any:
    """A `tf.Variable` of `value` cast to `dtype` (default `floatx()`)."""
    tf = _tf()
    dtype = dtype or floatx()
    initial = (
        tf.cast(value, dtype)
        if isinstance(value, tf.Tensor)
        else np.asarray(value, dtype=tf.as_dtype(dtype).as_numpy_dtype)
    )
    return tf.Variable(initial, dtype=dtype, name=name, constraint=constraint)


def get_value(x: Any) -> np.ndarray:
    """The NumPy value of a Variable or Tensor."""
    return x.numpy() if hasattr(x, "numpy") else np.asarray(x)


def batch_get_value(tensors: list) -> list:
    """`get_value` of each."""
    return [get_value(x) for x in tensors]


def set_value(x: Any, value: Any) -> None:
    """Assign `value` (cast to the variable's dtype) to the Variable `x`."""
    x.assign(np.asarray(value, dtype=_tf().as_dtype(x.dtype).as_numpy_dtype))


def batch_set_value(tuples: list) -> None:
    """`set_value` of each (variable, value) pair."""
    for x, value in tuples:
        set_value(x, value)


def _filled(fill: Any, shape: Any, dtype: Any, name: str | None) -> Any:
    """Keras 2's `ones`/`zeros`: a Variable when every dimension is non-zero, else a Tensor."""
    dtype = dtype or floatx()
    value = fill(shape, dtype=dtype)
    if all(int(d) for d in value.shape):
        return variable(value, dtype=dtype, name=name)
    return value


def ones(shape: Any, dtype: Any = None, name: str | None = None) -> Any:
    """A Variable of ones (a Tensor when a dimension is 0), dtype `floatx()` by default."""
    return _filled(_tf().ones, shape, dtype, name)


def zeros(shape: Any, dtype: Any = None, name: str | None = None) -> Any:
    """A Variable of zeros (a Tensor when a dimension is 0), dtype `floatx()` by default."""
    return _filled(_tf().zeros, shape, dtype, name)


def random_normal(
    shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: int | None = None
) -> Any:
    """Normal samples (`tf.random.normal`, dtype `floatx()` by default; a random op seed when
    `seed` is None, as Keras 2)."""
    if seed is None:
        seed = np.random.randint(10e6)
    return _tf().random.normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(), seed=seed)


def cast(x: Any, dtype: Any) -> Any:
    """`tf.cast`."""
    return _tf().cast(x, dtype)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """`tf.reduce_mean` (booleans are cast to `floatx()` first)."""
    tf = _tf()
    x = tf.convert_to_tensor(x)
    if x.dtype == tf.bool:
        x = tf.cast(x, floatx())
    return tf.reduce_mean(x, axis=axis, keepdims=keepdims)


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001 - Keras's name
    """`tf.reduce_sum`."""
    return _tf().reduce_sum(x, axis=axis, keepdims=keepdims)


def square(x: Any) -> Any:
    """`tf.square`."""
    return _tf().square(x)


def sqrt(x: Any) -> Any:
    """`tf.sqrt` of `x` clipped to [0, inf) (so negative inputs give 0, as Keras 2)."""
    tf = _tf()
    x = tf.convert_to_tensor(x)
    return tf.sqrt(tf.clip_by_value(x, tf.cast(0.0, x.dtype), tf.cast(np.inf, x.dtype)))


def exp(x: Any) -> Any:
    """`tf.exp`."""
    return _tf().exp(x)


def log(x: Any) -> Any:
    """`tf.math.log`."""
    return _tf().math.log(x)


def abs(x: Any) -> Any:  # noqa: A001 - Keras's name
    """`tf.abs`."""
    return _tf().abs(x)


def dot(x: Any, y: Any) -> Any:
    """Keras 2's `dot`: `matmul` for rank <= 2; else x's last axis against y's second-to-last,
    giving shape `x.shape[:-1] + y.shape[:-2] + y.shape[-1:]`."""
    tf = _tf()
    x, y = tf.convert_to_tensor(x), tf.convert_to_tensor(y)
    x_rank, y_rank = len(x.shape), len(y.shape)
    if x_rank <= 2 and y_rank <= 2:
        return tf.matmul(x, y)
    x_dims, y_dims = list(x.shape), list(y.shape)
    order = [y_rank - 2] + [i for i in range(y_rank) if i != y_rank - 2]
    flat_x = tf.reshape(x, [-1, x_dims[-1]])
    flat_y = tf.reshape(tf.transpose(y, perm=order), [y_dims[-2], -1])
    out_shape = x_dims[:-1] + y_dims[:-2] + y_dims[-1:]
    return tf.reshape(tf.matmul(flat_x, flat_y), out_shape)


def concatenate(tensors: list, axis: int = -1) -> Any:
    """`tf.concat` (a negative axis counts from the first tensor's rank)."""
    tf = _tf()
    if axis < 0:
        rank = ndim(tensors[0])
        axis = axis % rank if rank else 0
    return tf.concat([tf.convert_to_tensor(t) for t in tensors], axis)


def reshape(x: Any, shape: Any) -> Any:
    """`tf.reshape`."""
    return _tf().reshape(x, shape)


def expand_dims(x: Any, axis: int = -1) -> Any:
    """`tf.expand_dims` (at the end by default)."""
    return _tf().expand_dims(x, axis)


def clip(x: Any, min_value: Any, max_value: Any) -> Any:
    """`tf.clip_by_value`; a `max_value` below `min_value` becomes `min_value`, None is +inf."""
    tf = _tf()
    x = tf.convert_to_tensor(x)
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)) and max_value < min_value:
        max_value = min_value
    if max_value is None:
        max_value = np.inf
    return tf.clip_by_value(x, tf.cast(min_value, x.dtype), tf.cast(max_value, x.dtype))


def sigmoid(x: Any) -> Any:
    """`tf.sigmoid`."""
    return _tf().sigmoid(x)


def relu(x: Any, alpha: float = 0.0, max_value: float | None = None, threshold: float = 0.0) -> Any:
    """Keras 2's general relu: x above `threshold`, capped at `max_value`, slope `alpha` below."""
    from jaxport.modules import activations

    return activations.relu(x, alpha=alpha, max_value=max_value, threshold=threshold)


def softmax(x: Any, axis: int = -1) -> Any:
    """`tf.nn.softmax` along `axis`."""
    return _tf().nn.softmax(x, axis=axis)
