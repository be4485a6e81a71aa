"""`tf.strings.format` and `tf.strings.as_string`: numbers and tensors rendered as TF's kernels do."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaxport import errors
from jaxport.eager import Tensor, convert_to_tensor
from jaxport.strings.host import is_string_array, traced_string_error
from jaxport.strings.string_ops import elementwise_string_op


def _number_text(value: Any) -> str:
    """A scalar as TF's `StrCat` writes it: shortest of 6 (15) / 9 (17) significant digits that
    round-trips for float32 (float64); integers and bools as integers."""
    if isinstance(value, bytes):
        return '"' + value.decode("utf-8", "replace") + '"'
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (np.floating, float)):
        kind = np.dtype(type(value)) if isinstance(value, np.floating) else np.dtype(np.float64)
        short, full = (6, 9) if kind.itemsize <= 4 else (15, 17)
        if np.isnan(value):
            return "nan"
        if np.isinf(value):
            return "inf" if value > 0 else "-inf"
        text = "%.*g" % (short, float(value))
        if kind.type(text) != value:
            text = "%.*g" % (full, float(value))
        return text
    return str(value)


def _summary(array: np.ndarray, summarize: int, depth: int = 0) -> str:
    """TF's `SummarizeValue` layout: numpy-like nesting, long axes cut to `summarize` items per end."""
    if array.ndim == 0:
        return _number_text(array[()])
    size = array.shape[0]
    if 0 <= summarize and size > 2 * summarize:
        picks: list[Any] = list(range(summarize)) + [None] + list(range(size - summarize, size))
    else:
        picks = list(range(size))
    parts = ["..." if i is None else _summary(array[i], summarize, depth + 1) for i in picks]
    if array.ndim == 1:
        return "[" + " ".join(parts) + "]"
    separator = "\n" * (array.ndim - 1) + " " * (depth + 1)
    return "[" + separator.join(parts) + "]"


def _host(value: Any, op_name: str) -> np.ndarray:
    t = value if isinstance(value, Tensor) else convert_to_tensor(value)
    raw = t._value
    if is_string_array(raw):
        return raw
    try:
        return np.asarray(raw)
    except Exception:  # noqa: BLE001 - a tracer cannot become numpy
        raise traced_string_error(op_name) from None


def format(  # noqa: A001 - TF's name
    template: str, inputs: Any, placeholder: str = "{}", summarize: int = 3, name: str | None = None
) -> Tensor:
    """`tf.strings.format`: `template` with each `placeholder` replaced by a summary of one input.

    Raises:
      ValueError: the number of placeholders differs from the number of inputs (TF's message).
    """
    values = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    pieces = template.split(placeholder)
    if len(pieces) - 1 != len(values):
        raise ValueError(
            f"The template expects {len(pieces) - 1} tensors, but the inputs only has {len(values)}. "
            "Please ensure the number of placeholders in template matches inputs length."
        )
    out = pieces[0]
    for value, piece in zip(values, pieces[1:]):
        out += _summary(_host(value, "StringFormat"), summarize) + piece
    return Tensor(np.array(out.encode("utf-8"), dtype=object))


def _printf_spec(fill: str, width: int, precision: int, conversion: str) -> str:
    if len(fill) > 1:
        raise errors.InvalidArgumentError(
            None, None, f"Fill string must be one or fewer characters: {fill} [Op:AsString]"
        )
    if fill and fill not in " +-0#":
        raise errors.InvalidArgumentError(None, None, f'Fill argument not supported: "{fill}" [Op:AsString]')
    spec = "%" + fill
    if width > -1:
        spec += str(width)
    if precision > -1:
        spec += f".{precision}"
    return spec + conversion


@elementwise_string_op
def as_string(
    input: Any,  # noqa: A002
    precision: int = -1,
    scientific: bool = False,
    shortest: bool = False,
    width: int = -1,
    fill: str = "",
    name: str | None = None,
) -> Tensor:
    """`tf.strings.as_string`: numbers as text with C printf rules (`%f` by default, `%e` with
    `scientific`, `%g` with `shortest`), bools as `true`/`false`; strings pass through."""
    array = _host(input, "AsString")
    if is_string_array(array):
        return Tensor(array)
    kind = array.dtype.kind
    if kind == "b":
        out = np.empty(array.shape, dtype=object)
        for index, item in np.ndenumerate(array):
            out[index] = b"true" if item else b"false"
        return Tensor(out)
    if kind == "f":
        if scientific and shortest:
            raise errors.InvalidArgumentError(
                None, None, "Cannot select both scientific and shortest notation [Op:AsString]"
            )
        spec = _printf_spec(fill, width, precision, "e" if scientific else "g" if shortest else "f")
        convert = float
    elif kind in "iu":
        if precision > -1:
            raise errors.InvalidArgumentError(
                None, None, f"precision not supported for datatype {array.dtype.name} [Op:AsString]"
            )
        spec = _printf_spec(fill, width, -1, "d")
        convert = int
    else:
        raise errors.InvalidArgumentError(
            None, None, f"Value for attr 'T' of {array.dtype.name} is not in the list of allowed values [Op:AsString]"
        )
    out = np.empty(array.shape, dtype=object)
    for index, item in np.ndenumerate(array):
        out[index] = (spec % convert(item)).encode("ascii")
    return Tensor(out)
