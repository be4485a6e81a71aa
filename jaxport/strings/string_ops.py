"""`tf.strings` ops: each runs on the host on numpy object arrays of bytes (see host.py).

Numeric results (lengths, numbers, hash buckets, matches) become ordinary Tensors; splits
return `tf.RaggedTensor`s whose values are string Tensors.
"""

from __future__ import annotations

import builtins
import functools
import re
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import dtypes as _dtypes
from jaxport import errors
from jaxport.composite_tensor import CompositeTensor
from jaxport.eager import Tensor
from jaxport.strings.farmhash import fingerprint64
from jaxport.strings.host import is_string_array, string_array, traced_string_error
from jaxport.strings.siphash import siphash24

_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half", "object": "string"}


def _op_error(message: str, op_name: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, f"{message} [Op:{op_name}]")


def strings_of(value: Any, op_name: str, position: int = 0) -> np.ndarray:
    """The host bytes array of a string op's input (a string Tensor or Python text).

    Raises:
      InvalidArgumentError: a Tensor of another dtype (TF's "expected to be a string tensor"), or
        a traced value inside `tf.function` (XLA cannot hold strings).
    """
    if isinstance(value, Tensor) or hasattr(value, "read_value"):
        raw = value._value if isinstance(value, Tensor) else value.read_value()._value
        if is_string_array(raw):
            return raw
        if isinstance(raw, jax.core.Tracer):
            raise traced_string_error(op_name)
        name = _TF_NAMES.get(raw.dtype.name, raw.dtype.name)
        raise _op_error(
            f"cannot compute {op_name} as input #{position}(zero-based) was expected to be a string tensor "
            f"but is a {name} tensor",
            op_name,
        )
    arr = string_array(value, want_string=True)
    return arr


def elementwise_string_op(op: Callable) -> Callable:
    """Let a string op taking one string input also take a RaggedTensor: it maps the flat values
    and keeps the row partition (TF's dispatch for ragged string ops)."""

    @functools.wraps(op)
    def wrapper(input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        if isinstance(input, CompositeTensor) and hasattr(input, "with_flat_values"):
            return input.with_flat_values(wrapper(input.flat_values, *args, **kwargs))
        return op(input, *args, **kwargs)

    return wrapper


def _text_tensor(array: np.ndarray) -> Tensor:
    out = np.empty(np.shape(array), dtype=object)
    out[...] = array
    return Tensor(out)


def _numeric(array: Any, dtype: Any) -> Tensor:
    return Tensor(jnp.asarray(np.asarray(array, dtype=dtype)))


def _map(fn: Any, array: np.ndarray, otype: Any = object) -> np.ndarray:
    out = np.empty(array.shape, dtype=otype)
    for index, item in np.ndenumerate(array):
        out[index] = fn(item)
    return out


def _ragged_rows(rows: list[list[bytes]]) -> Any:
    from jaxport.ragged.ragged_tensor import RaggedTensor

    lengths = [len(r) for r in rows]
    flat = np.empty((sum(lengths),), dtype=object)
    flat[:] = [item for row in rows for item in row]
    splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(np.int64)
    return RaggedTensor._from_parts(Tensor(flat), Tensor(jnp.asarray(splits)))


def _split_into(array: np.ndarray, split_one: Any, op_name: str) -> Any:
    """Split each string: a scalar gives a 1-D Tensor, a vector a RaggedTensor of its rows."""
    if array.ndim == 0:
        return _text_tensor(np.array(split_one(array[()]) or [], dtype=object).reshape(-1))
    if array.ndim != 1:
        raise ValueError(f"{op_name}: jaxport splits scalars and vectors of strings; got rank {array.ndim}.")
    return _ragged_rows([split_one(item) for item in array])


# -- splitting ------------------------------------------------------------------------------


def split(input: Any, sep: Any = None, maxsplit: int = -1, name: str | None = None) -> Any:  # noqa: A002
    """`tf.strings.split`: split on `sep` (runs of whitespace when None), at most `maxsplit` times.

    Returns a 1-D string Tensor for a scalar input, a `tf.RaggedTensor` (rows of words) for a vector.
    """
    array = strings_of(input, "StringSplitV2")
    separator = None if sep is None else (sep.encode() if isinstance(sep, str) else bytes(sep))
    if separator == b"":
        separator = None  # TF: an empty sep splits on whitespace, as None
    return _split_into(array, lambda s: s.split(separator, maxsplit), "tf.strings.split")


def bytes_split(input: Any, name: str | None = None) -> Any:  # noqa: A002
    """`tf.strings.bytes_split`: each string as its bytes (a RaggedTensor for a vector input)."""
    array = strings_of(input, "UnicodeDecode")
    return _split_into(array, lambda s: [s[i : i + 1] for i in range(len(s))], "tf.strings.bytes_split")


def _utf8_chars(s: bytes) -> list[bytes]:
    chars, start = [], 0
    for i in range(1, len(s) + 1):
        if i == len(s) or (s[i] & 0xC0) != 0x80:
            chars.append(s[start:i])
            start = i
    return chars


# -- measuring and converting ---------------------------------------------------------------


@elementwise_string_op
def length(input: Any, unit: str = "BYTE", name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.strings.length`: int32 lengths in bytes (`unit='BYTE'`) or UTF-8 characters (`'UTF8_CHAR'`)."""
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError(f"unit must be one of ['BYTE', 'UTF8_CHAR'], got {unit!r}")
    array = strings_of(input, "StringLength")
    if unit == "BYTE":
        return _numeric(_map(len, array, np.int64), np.int32)
    return _numeric(_map(lambda s: sum((b & 0xC0) != 0x80 for b in s), array, np.int64), np.int32)


_FLOAT_TEXT = re.compile(rb"\s*[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)\s*", re.IGNORECASE)
_HEX_TEXT = re.compile(rb"\s*[+-]?0[xX][0-9a-fA-F]+\s*")
_INT_TEXT = re.compile(rb"\s*[+-]?\d+\s*")


def _parse_number(item: bytes, np_dtype: np.dtype) -> Any:
    """One string as TF's StringToNumber parses it (decimal, inf/nan and hex for floats; decimal
    integers in range for ints; surrounding whitespace allowed)."""
    if np_dtype.kind == "f" and _FLOAT_TEXT.fullmatch(item):
        return np_dtype.type(float(item))
    if np_dtype.kind == "f" and _HEX_TEXT.fullmatch(item):
        return np_dtype.type(int(item.strip(), 16))
    if np_dtype.kind == "i" and _INT_TEXT.fullmatch(item):
        number = int(item)
        info = np.iinfo(np_dtype)
        if info.min <= number <= info.max:
            return number
    raise _op_error(
        f"StringToNumberOp could not correctly convert string: {item.decode('utf-8', 'replace')}", "StringToNumber"
    )


@elementwise_string_op
def to_number(string_tensor: Any, out_type: Any = "float32", name: str | None = None) -> Tensor:
    """`tf.strings.to_number`: parse each string as `out_type` (float32, float64, int32, int64).

    Raises:
      InvalidArgumentError: a string that is not a number of that type (or out of its range).
    """
    array = strings_of(string_tensor, "StringToNumber")
    dtype = _dtypes.as_dtype(out_type)
    np_dtype = dtype._np
    if np_dtype.kind not in "fi":
        raise TypeError(
            f"Value for attr 'out_type' of {dtype.name} is not in the list of allowed values: "
            "float, double, int32, int64"
        )
    out = np.empty(array.shape, dtype=np_dtype)
    for index, item in np.ndenumerate(array):
        out[index] = _parse_number(item, np_dtype)
    return Tensor(jnp.asarray(out))


def _check_buckets(num_buckets: Any, op_name: str) -> None:
    if int(num_buckets) < 1:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Value for attr 'num_buckets' of {int(num_buckets)} must be at least minimum 1 [Op:{op_name}]",
        )


@elementwise_string_op
def to_hash_bucket_fast(input: Any, num_buckets: int, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.strings.to_hash_bucket_fast`: `Fingerprint64(s) % num_buckets` as int64 (TF's Farmhash)."""
    _check_buckets(num_buckets, "StringToHashBucketFast")
    array = strings_of(input, "StringToHashBucketFast")
    buckets = int(num_buckets)
    return _numeric(_map(lambda s: fingerprint64(s) % buckets, array, np.int64), np.int64)


@elementwise_string_op
def to_hash_bucket_strong(input: Any, num_buckets: int, key: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.strings.to_hash_bucket_strong`: `SipHash-2-4(key, s) % num_buckets` as int64 (TF's keyed hash).

    Raises:
      InvalidArgumentError: a `key` that is not two integers, or fewer than 1 bucket.
    """
    key = list(key.numpy()) if isinstance(key, Tensor) else list(key)
    if len(key) != 2:
        raise _op_error("Key must have 2 elements", "StringToHashBucketStrong")
    _check_buckets(num_buckets, "StringToHashBucketStrong")
    array = strings_of(input, "StringToHashBucketStrong")
    key0, key1 = (int(k) & ((1 << 64) - 1) for k in key)
    buckets = int(num_buckets)
    return _numeric(_map(lambda s: siphash24(key0, key1, s) % buckets, array, np.int64), np.int64)


# -- joining --------------------------------------------------------------------------------


def join(inputs: Any, separator: str = "", name: str | None = None) -> Tensor:
    """`tf.strings.join`: elementwise concatenation of equal-shaped (or scalar) string inputs."""
    ragged = [x for x in inputs if isinstance(x, CompositeTensor) and hasattr(x, "with_flat_values")]
    if ragged:
        from jaxport.ragged.ragged_ops import map_flat_values

        return map_flat_values(lambda *flat: join(list(flat), separator), *inputs)
    arrays = [strings_of(x, "StringJoin", i) for i, x in enumerate(inputs)]
    sep = separator.encode() if isinstance(separator, str) else bytes(separator)
    shapes = [a.shape for a in arrays if a.ndim > 0]
    for shape in shapes[1:]:
        if shape != shapes[0]:
            raise _op_error(
                f"Input shapes do not match: [{','.join(map(str, shapes[0]))}] vs. [{','.join(map(str, shape))}]",
                "StringJoin",
            )
    shape = shapes[0] if shapes else ()
    out = np.empty(shape, dtype=object)
    expanded = [np.broadcast_to(a, shape) for a in arrays]
    for index in np.ndindex(shape):
        out[index] = sep.join(a[index] for a in expanded)
    return Tensor(out)


def _axes(axis: Any, rank: int, op_name: str) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(rank))
    items = axis.numpy().tolist() if isinstance(axis, Tensor) else axis
    items = [items] if isinstance(items, int) else list(items)
    out = []
    for a in items:
        if not -rank <= a < rank:
            raise _op_error(f"Invalid reduction dimension {a} for input with {rank} dimensions.", op_name)
        out.append(a % rank)
    return tuple(sorted(set(out)))


def reduce_join(
    inputs: Any, axis: Any = None, keepdims: bool = False, separator: str = "", name: str | None = None
) -> Tensor:
    """`tf.strings.reduce_join`: join the strings along `axis` (all axes when None) with `separator`."""
    from jaxport.ragged.ragged_tensor import RaggedTensor

    sep = separator.encode() if isinstance(separator, str) else bytes(separator)
    if isinstance(inputs, RaggedTensor):
        return _reduce_join_ragged(inputs, axis, sep)
    array = strings_of(inputs, "ReduceJoin")
    axes = _axes(axis, array.ndim, "ReduceJoin")
    kept = [a for a in range(array.ndim) if a not in axes]
    moved = np.transpose(array, kept + list(axes))
    kept_shape = tuple(array.shape[a] for a in kept)
    rows = moved.reshape(kept_shape + (-1,)) if moved.size or kept_shape else moved.reshape(kept_shape + (0,))
    out = np.empty(kept_shape, dtype=object)
    for index in np.ndindex(kept_shape):
        out[index] = sep.join(rows[index])
    if keepdims:
        out = out.reshape(tuple(1 if a in axes else array.shape[a] for a in range(array.ndim)))
    return Tensor(out)


def _reduce_join_ragged(rt: Any, axis: Any, sep: bytes) -> Tensor:
    if axis not in (1, -1) or rt.ragged_rank != 1:
        raise ValueError("jaxport's tf.strings.reduce_join of a RaggedTensor joins its rows (axis=1, ragged_rank 1).")
    values = strings_of(rt.values, "ReduceJoin")
    splits = np.asarray(rt.row_splits.numpy())
    out = np.empty((len(splits) - 1,), dtype=object)
    for i in range(len(splits) - 1):
        out[i] = sep.join(values[splits[i] : splits[i + 1]])
    return Tensor(out)


# -- rewriting ------------------------------------------------------------------------------


def _compile(pattern: Any, op_name: str) -> re.Pattern:
    text = pattern if isinstance(pattern, (str, bytes)) else strings_of(pattern, op_name)[()]
    raw = text.encode() if isinstance(text, str) else bytes(text)
    try:
        return re.compile(raw)
    except re.error as exc:
        raise _op_error(f"Invalid pattern: {raw.decode('utf-8', 'replace')}, error: {exc}", op_name) from None


def _rewrite_template(rewrite: Any) -> bytes:
    """RE2's rewrite (`\\1`, `\\0` for the whole match) as Python's (`\\g<1>`, `\\g<0>`)."""
    raw = rewrite.encode() if isinstance(rewrite, str) else bytes(rewrite)
    return re.sub(rb"\\(\d)", rb"\\g<\1>", raw.replace(b"\\\\", b"\x00")).replace(b"\x00", b"\\\\")


@elementwise_string_op
def regex_replace(
    input: Any,
    pattern: Any,
    rewrite: Any,
    replace_global: bool = True,
    name: str | None = None,  # noqa: A002
) -> Tensor:
    """`tf.strings.regex_replace`: replace matches of `pattern` (Python `re` for TF's RE2) by `rewrite`."""
    op_name = "StaticRegexReplace"
    array = strings_of(input, op_name)
    compiled = _compile(pattern, op_name)
    template = _rewrite_template(rewrite)
    count = 0 if replace_global else 1
    return Tensor(_map(lambda s: compiled.sub(template, s, count=count), array))


@elementwise_string_op
def regex_full_match(input: Any, pattern: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.strings.regex_full_match`: whether each whole string matches `pattern`."""
    op_name = "StaticRegexFullMatch"
    array = strings_of(input, op_name)
    compiled = _compile(pattern, op_name)
    return _numeric(_map(lambda s: compiled.fullmatch(s) is not None, array, bool), bool)


def _case(input: Any, encoding: str, upper_case: bool, op_name: str) -> Tensor:  # noqa: A002
    array = strings_of(input, op_name)
    if encoding == "":
        return Tensor(_map(lambda s: s.upper() if upper_case else s.lower(), array))  # ASCII letters only, as TF
    if encoding.lower().replace("-", "") != "utf8":
        raise _op_error(f"encoding must be '' or 'utf-8', got {encoding!r}", op_name)
    return Tensor(
        _map(lambda s: (s.decode("utf-8").upper() if upper_case else s.decode("utf-8").lower()).encode("utf-8"), array)
    )


@elementwise_string_op
def lower(input: Any, encoding: str = "", name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.strings.lower`: ASCII letters lower-cased (all letters with `encoding='utf-8'`)."""
    return _case(input, encoding, False, "StringLower")


@elementwise_string_op
def upper(input: Any, encoding: str = "", name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.strings.upper`: ASCII letters upper-cased (all letters with `encoding='utf-8'`)."""
    return _case(input, encoding, True, "StringUpper")


@elementwise_string_op
def strip(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.strings.strip`: leading and trailing ASCII whitespace removed."""
    return Tensor(_map(bytes.strip, strings_of(input, "StringStrip")))


def _int_array(value: Any) -> np.ndarray:
    return np.asarray(value.numpy() if isinstance(value, Tensor) else value, dtype=np.int64)


@elementwise_string_op
def substr(input: Any, pos: Any, len: Any, unit: str = "BYTE", name: str | None = None) -> Tensor:  # noqa: A002
    """`tf.strings.substr`: `len` bytes (or UTF-8 characters) from `pos` (negative: from the end).

    Raises:
      InvalidArgumentError: `pos` outside the string (TF's "pos ... out of range").
    """
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError(f"unit must be one of ['BYTE', 'UTF8_CHAR'], got {unit!r}")
    array = strings_of(input, "Substr")
    positions, lengths = _int_array(pos), _int_array(len)
    shape = np.broadcast_shapes(array.shape, positions.shape, lengths.shape)
    strings = np.broadcast_to(array, shape)
    positions, lengths = np.broadcast_to(positions, shape), np.broadcast_to(lengths, shape)
    out = np.empty(shape, dtype=object)
    for flat, index in enumerate(np.ndindex(shape)):
        s = strings[index]
        parts = _utf8_chars(s) if unit == "UTF8_CHAR" else s
        size = builtins.len(parts)
        start = int(positions[index])
        if not -size <= start <= size:
            raise _op_error(
                f"pos {start} out of range for string b'{s.decode('utf-8', 'replace')}' at index {flat}", "Substr"
            )
        start = start + size if start < 0 else start
        piece = parts[start : start + max(int(lengths[index]), 0)]
        out[index] = b"".join(piece) if unit == "UTF8_CHAR" else piece
    return Tensor(out)
