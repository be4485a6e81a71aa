"""`tf.strings.unicode_decode`, `unicode_encode` and `unicode_split`: code points on the host.

Decoding uses Python's codecs (UTF-8, UTF-16-BE, UTF-32-BE, TF's encodings); malformed input
becomes `replacement_char` per maximal invalid subsequence (errors='replace'), is dropped
('ignore') or raises InvalidArgumentError ('strict'), as TF's ICU decoder does.
"""

from __future__ import annotations

from typing import Any

import jax
import numpy as np

from jaxport import errors as tf_errors
from jaxport.composite_tensor import CompositeTensor, host_constant
from jaxport.eager import Tensor, convert_to_tensor
from jaxport.strings.host import traced_string_error
from jaxport.strings.string_ops import strings_of

_CODECS = {"UTF8": "utf-8", "UTF16BE": "utf-16-be", "UTF32BE": "utf-32-be"}


def _codec(encoding: str, argument: str) -> str:
    codec = _CODECS.get(encoding.upper().replace("-", ""))
    if codec is None:
        raise tf_errors.InvalidArgumentError(
            None, None, f"{argument} must be one of UTF-8, UTF-16-BE, UTF-32-BE; got {encoding!r}"
        )
    return codec


def _check_errors(errors_mode: str) -> None:
    if errors_mode not in ("replace", "ignore", "strict"):
        raise ValueError(f"errors must be one of 'strict', 'replace' or 'ignore'; got {errors_mode!r}")


def _code_points(s: bytes, codec: str, errors_mode: str, replacement: int, op_name: str) -> list[int]:
    if errors_mode == "strict":
        try:
            return [ord(c) for c in s.decode(codec)]
        except UnicodeDecodeError:
            raise tf_errors.InvalidArgumentError(
                None, None, f"Invalid formatting on input string [Op:{op_name}]"
            ) from None
    points, start = [], 0
    while start < len(s):
        try:
            points.extend(ord(c) for c in s[start:].decode(codec))
            break
        except UnicodeDecodeError as exc:
            points.extend(ord(c) for c in s[start : start + exc.start].decode(codec))
            if errors_mode == "replace":
                points.append(replacement)
            start += exc.end
    return points


def _rows(array: np.ndarray, per_string: Any, dtype: Any, op_name: str) -> Any:
    """Scalar input: one 1-D Tensor; a vector: a RaggedTensor of the rows."""
    from jaxport.ragged.ragged_tensor import RaggedTensor

    if array.ndim == 0:
        return per_string(array[()])
    if array.ndim != 1:
        raise ValueError(f"{op_name}: jaxport decodes scalars and vectors of strings; got rank {array.ndim}.")
    rows = [per_string(item) for item in array]
    lengths = np.asarray([int(r.shape[0]) for r in rows], np.int64)
    splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    if dtype == "string":
        flat = np.empty((int(lengths.sum()),), dtype=object)
        flat[:] = [item for r in rows for item in r._value.tolist()]
        values = Tensor(flat)
    else:
        values = host_constant(np.concatenate([np.asarray(r._value) for r in rows] or [np.zeros((0,), np.int32)]))
    return RaggedTensor._from_parts(values, host_constant(splits))


def unicode_decode(
    input: Any,  # noqa: A002
    input_encoding: str,
    errors: str = "replace",  # noqa: A002 - TF's name
    replacement_char: int = 65533,
    replace_control_characters: bool = False,
    name: str | None = None,
) -> Any:
    """`tf.strings.unicode_decode`: each string's int32 code points (a RaggedTensor for a vector input)."""
    _check_errors(errors)
    codec = _codec(input_encoding, "input_encoding")
    array = strings_of(input, "UnicodeDecode")

    def decode(s: bytes) -> Tensor:
        points = _code_points(s, codec, errors, replacement_char, "UnicodeDecode")
        if replace_control_characters:
            points = [replacement_char if p < 32 or 127 <= p < 160 else p for p in points]
        return host_constant(np.asarray(points, np.int32))

    return _rows(array, decode, "int32", "tf.strings.unicode_decode")


def unicode_split(
    input: Any,  # noqa: A002
    input_encoding: str,
    errors: str = "replace",  # noqa: A002 - TF's name
    replacement_char: int = 65533,
    name: str | None = None,
) -> Any:
    """`tf.strings.unicode_split`: each string as its characters (malformed bytes replaced), encoded
    in `input_encoding` (a RaggedTensor for a vector input)."""
    _check_errors(errors)
    codec = _codec(input_encoding, "input_encoding")
    array = strings_of(input, "UnicodeDecodeWithOffsets")

    def split(s: bytes) -> Tensor:
        points = _code_points(s, codec, errors, replacement_char, "UnicodeDecodeWithOffsets")
        out = np.empty((len(points),), dtype=object)
        out[:] = [chr(p).encode(codec) for p in points]
        return Tensor(out)

    return _rows(array, split, "string", "tf.strings.unicode_split")


def unicode_encode(
    input: Any,  # noqa: A002
    output_encoding: str,
    errors: str = "replace",  # noqa: A002 - TF's name
    replacement_char: int = 65533,
    name: str | None = None,
) -> Tensor:
    """`tf.strings.unicode_encode`: code points to strings; each row (the last axis, or each row of
    a RaggedTensor) becomes one string.

    Raises:
      InvalidArgumentError: an invalid code point with errors='strict'.
    """
    _check_errors(errors)
    codec = _codec(output_encoding, "output_encoding")

    def encode(points: Any) -> bytes:
        chars = []
        for p in np.asarray(points).reshape(-1).tolist():
            if 0 <= p <= 0x10FFFF and not 0xD800 <= p <= 0xDFFF:
                chars.append(chr(p))
            elif errors == "strict":
                raise tf_errors.InvalidArgumentError(None, None, f"Invalid code point {p} [Op:UnicodeEncode]")
            elif errors == "replace":
                chars.append(chr(replacement_char))
        return "".join(chars).encode(codec)

    if isinstance(input, CompositeTensor) and hasattr(input, "row_splits"):
        if input.ragged_rank != 1:
            raise ValueError("jaxport's unicode_encode takes a RaggedTensor of ragged_rank 1")
        flat = np.asarray(_concrete(input.flat_values))
        splits = np.asarray(_concrete(input.row_splits))
        out = np.empty((len(splits) - 1,), dtype=object)
        for i in range(len(splits) - 1):
            out[i] = encode(flat[splits[i] : splits[i + 1]])
        return Tensor(out)
    points = np.asarray(_concrete(convert_to_tensor(input)))
    if points.ndim == 0:
        raise ValueError("unicode_encode: input must have rank >= 1 (the code points of each string)")
    out = np.empty(points.shape[:-1], dtype=object)
    for index in np.ndindex(points.shape[:-1]):
        out[index] = encode(points[index])
    return Tensor(out)


def _concrete(t: Tensor) -> Any:
    if isinstance(t._value, jax.core.Tracer):
        raise traced_string_error("UnicodeEncode")
    return t._value
