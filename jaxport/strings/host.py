"""String tensors on the host: conversion of Python / numpy strings and the ops that move strings.

XLA has no string type, so a string Tensor holds a numpy object array of `bytes` (what TF's
`.numpy()` returns) instead of a `jax.Array`. `Tensor`'s API works on it unchanged (shape,
dtype `tf.string`, printing, `numpy()`). An op given a string value fails in JAX; `dispatch`
then calls `host_dispatch`, which runs the op on the host:

- ops that only move elements (reshape, transpose, gather, concat, stack, slicing, where, ...)
  run unchanged on an index array standing for the strings, whose result picks the strings;
- `Equal`/`NotEqual` compare bytes and `Add` concatenates, as TF's string kernels;
- `Cast` to or from strings is TF's UnimplementedError; any other op is TF's dtype error.

Inside `tf.function`, string constants are host values and string ops on them run at trace
time; an op that needs a traced (symbolic) value raises `traced_string_error`.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import numpy as np

from jaxport import errors

# Ops whose result only rearranges (or repeats) their input elements.
_STRUCTURAL_OPS = frozenset(
    {
        "Identity",
        "Reshape",
        "Transpose",
        "ExpandDims",
        "Squeeze",
        "ConcatV2",
        "Pack",
        "Unpack",
        "SplitV",
        "Tile",
        "ReverseV2",
        "BroadcastTo",
        "StridedSlice",
        "Slice",
        "GatherV2",
        "GatherNd",
        "SelectV2",
        "BooleanMask",
        "Fill",
    }
)
DIFFERENCES = "docs/differences.md, 'Strings, ragged and sparse tensors'"


def is_string_array(value: Any) -> bool:
    """Whether a raw Tensor value is a host string array (a numpy object array)."""
    return isinstance(value, np.ndarray) and value.dtype == object


def _encode(item: Any) -> bytes:
    if isinstance(item, bytes):
        return item
    if isinstance(item, str):
        return item.encode("utf-8")
    if isinstance(item, np.bytes_):
        return bytes(item)
    raise TypeError(
        f"Failed to convert elements of {item!r} to Tensor: expected str or bytes, got {type(item).__name__}."
    )


def _holds_string(value: Any) -> bool:
    """Whether a Python value's first leaf is a str or bytes."""
    while isinstance(value, (list, tuple)) and value:
        value = value[0]
    return isinstance(value, (str, bytes, np.str_, np.bytes_))


def _nested_shape(value: Any) -> tuple[int, ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    if not value:
        return (0,)
    inner = [_nested_shape(v) for v in value]
    if any(s != inner[0] for s in inner):
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.")
    return (len(value),) + inner[0]


def string_array(value: Any, want_string: bool = False) -> np.ndarray | None:
    """A host string array for a Python or numpy value holding str/bytes, else None.

    Args:
      value: a str, bytes, nested list of them, or a numpy array of kind U, S or O.
      want_string: the caller asked for dtype `tf.string`; a value that is not text is then
        a TypeError (TF cannot convert numbers to strings implicitly).
    """
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        arr = np.asarray(value)
        if arr.dtype.kind not in "OUS":
            if want_string:
                raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype string")
            return None
        out = np.empty(arr.shape, dtype=object)
        for index, item in np.ndenumerate(arr):
            out[index] = _encode(item)
        return out
    if not _holds_string(value):
        if want_string and value is not None and not (isinstance(value, (list, tuple)) and _is_empty(value)):
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype string")
        if not want_string:
            return None
    shape = _nested_shape(value)
    out = np.empty(shape, dtype=object)
    flat = out.reshape(-1)
    for i, item in enumerate(_leaves(value)):
        if not isinstance(item, (str, bytes, np.str_, np.bytes_)):
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
        flat[i] = _encode(item)
    return out


def _is_empty(value: Any) -> bool:
    return all(isinstance(v, (list, tuple)) and _is_empty(v) for v in value)


def _leaves(value: Any):
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def traced_string_error(op_name: str) -> errors.InvalidArgumentError:
    """The error for a string op given a traced value inside `tf.function`."""
    return errors.InvalidArgumentError(
        None,
        None,
        f"{op_name}: XLA cannot hold strings, and this op was given a traced (symbolic) value inside "
        f"tf.function. jaxport keeps string tensors on the host: run string ops eagerly, or on Python "
        f"constants inside tf.function (see {DIFFERENCES}).",
    )


def _op_name(fn: Callable) -> str:
    return getattr(fn, "tf_op_name", None) or fn.__name__.strip("_")


def _tf_type_name(dtype: np.dtype) -> str:
    if dtype.kind == "O":
        return "string"
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


def host_dispatch(fn: Callable, values: list, static: dict) -> Any:
    """Run the op `fn` on host string values (see the module docstring), or NotImplemented when
    no input and no requested dtype is a string."""
    from jaxport.eager import Tensor

    name = _op_name(fn)
    target = static.get("dtype")
    if name == "Cast" and (target == "object" or any(is_string_array(v) for v in values)):
        source = np.asarray(values[0]).dtype if not is_string_array(values[0]) else np.dtype(object)
        raise errors.UnimplementedError(
            None, None, f"Cast {_tf_type_name(source)} to {_tf_type_name(np.dtype(target))} is not supported [Op:Cast]"
        )
    if not any(is_string_array(v) for v in values):
        return NotImplemented
    if any(isinstance(v, jax.core.Tracer) for v in values):
        raise traced_string_error(name)
    if name in ("Equal", "NotEqual", "AddV2", "Add"):
        a, b = values
        try:
            np.broadcast_shapes(a.shape, b.shape)
        except ValueError:
            raise errors.InvalidArgumentError(
                None, None, f"Incompatible shapes: {list(a.shape)} vs. {list(b.shape)} [Op:{name}]"
            ) from None
        if name == "Equal":
            return Tensor(np.asarray(a == b, dtype=bool))
        if name == "NotEqual":
            return Tensor(np.asarray(a != b, dtype=bool))
        return Tensor(np.asarray(a + b, dtype=object))
    if name in _STRUCTURAL_OPS:
        return _structural(fn, values, static)
    raise errors.InvalidArgumentError(
        None, None, f"Value for attr 'T' of string is not in the list of allowed values [Op:{name}]"
    )


def _structural(fn: Callable, values: list, static: dict) -> Any:
    """Run an element-moving op on index arrays standing for the strings, then pick the strings."""
    from jaxport.eager import Tensor

    tables, stand_ins, offset = [], [], 0
    for value in values:
        if is_string_array(value):
            tables.append(value.reshape(-1))
            stand_ins.append(np.arange(offset, offset + value.size, dtype=np.int64).reshape(value.shape))
            offset += value.size
        else:
            stand_ins.append(value)
    table = np.concatenate(tables) if tables else np.empty((0,), object)
    with jax.ensure_compile_time_eval():
        out = fn(*stand_ins, **static)

    def pick(positions: Any) -> Tensor:
        if isinstance(positions, jax.core.Tracer):
            raise traced_string_error(_op_name(fn))
        picked = np.empty(np.shape(positions), dtype=object)
        picked[...] = table[np.asarray(positions)] if table.size else b""
        return Tensor(picked)

    if isinstance(out, (tuple, list)):
        return tuple(pick(o) for o in out)
    return pick(out)


def host_value(value: Any, np_dtype: np.dtype | None) -> np.ndarray | None:
    """The host string array for a Python/numpy `value` converted with `np_dtype` (None: TF's
    default), or None when the value is not text and no string dtype was asked for."""
    want_string = np_dtype is not None and np.dtype(np_dtype).kind == "O"
    if np_dtype is not None and not want_string:
        return None
    return string_array(value, want_string=want_string)


def with_shape(strings: np.ndarray, shape: Any, value: Any) -> np.ndarray:
    """`tf.constant(strings, shape=...)`: one string broadcast, else the same count reshaped.

    Raises:
      TypeError: another element count (TF's message for eager constants).
    """
    target = tuple(int(d) for d in shape)
    count = int(np.prod(target, dtype=np.int64))
    if strings.size == 1:
        out = np.empty(target, dtype=object)
        out[...] = strings.reshape(())[()]
        return out
    if strings.size == count:
        return strings.reshape(target)
    raise TypeError(
        f"Eager execution of tf.constant with unsupported shape. Tensor {value!r} (converted from {value!r}) "
        f"has {strings.size} elements, but got `shape` {target} with {count} elements)."
    )
