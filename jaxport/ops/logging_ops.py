"""`tf.print`: print Tensor values when the op runs — at once eagerly, and at each call of a
compiled `function` (a `jax.debug.callback`), not when it is traced (Python's `print` does that)."""

from __future__ import annotations

import sys
from typing import Any

import jax
import numpy as np

from jaxport.context import state as _state
from jaxport.eager import Tensor
from jaxport.variables import Variable


def _element(x: Any, kind: str) -> str:
    """One element as TF's kernels print it (its FloatToBuffer/DoubleToBuffer): `%g` with
    6 significant digits (15 for float64) when that reads back as the same value, else 9
    (17): `2`, `1.5`, `-0`, `1e-10`, `0.761594176`. Booleans print as 1/0."""
    if kind == "b":
        return "1" if x else "0"
    if kind == "f":
        wide = x.dtype == np.float64
        short = f"{float(x):.{15 if wide else 6}g}"
        if (float(short) == float(x)) if wide else (np.float32(short) == np.float32(x)):
            return short
        return f"{float(x):.{17 if wide else 9}g}"
    return str(x)


def _format_array(array: np.ndarray, edge: int, depth: int = 0) -> str:
    kind = array.dtype.kind
    if array.ndim == 0:
        return _element(array[()], kind)
    n = array.shape[0]
    indices: list = list(range(n)) if edge < 0 or n <= 2 * edge else [*range(edge), None, *range(n - edge, n)]
    if array.ndim == 1:
        return "[" + " ".join("..." if i is None else _element(array[i], kind) for i in indices) + "]"
    separator = ("\n\n" if array.ndim > 2 else "\n") + " " * (depth + 1)
    rows = ["..." if i is None else _format_array(array[i], edge, depth + 1) for i in indices]
    return "[" + separator.join(rows) + "]"


def _format(value: Any, summarize: int) -> str:
    """A Tensor's value as `tf.print` shows it: summarised to `summarize` items per edge of
    each axis (-1 or None: everything)."""
    array = np.asarray(value)
    return _format_array(array, -1 if summarize is None else summarize)


def _is_tensor_leaf(x: Any) -> bool:
    return isinstance(x, (Tensor, Variable, np.ndarray, jax.Array))


def _render(item: Any, values: Any, nested: bool = False) -> str:
    """The text of one `tf.print` input: Tensors replaced by their formatted values, lists,
    tuples and dicts written as Python writes them."""
    if _is_tensor_leaf(item):
        return next(values)
    if isinstance(item, list):
        return "[" + ", ".join(_render(x, values, True) for x in item) + "]"
    if isinstance(item, tuple):
        return "(" + ", ".join(_render(x, values, True) for x in item) + ("," if len(item) == 1 else "") + ")"
    if isinstance(item, dict):
        return "{" + ", ".join(f"{k!r}: {_render(v, values, True)}" for k, v in item.items()) + "}"
    return repr(item) if nested else str(item)


def print(
    *inputs: Any,
    output_stream: Any = sys.stderr,
    sep: str = " ",
    end: str = "\n",  # noqa: A001
    summarize: int = 3,
    name: str | None = None,
) -> None:
    """`tf.print`: print strings and Tensor values (summarised to `summarize` items per edge)."""
    arrays: list = []
    for item in inputs:
        for leaf in jax.tree.leaves(item, is_leaf=_is_tensor_leaf):
            if isinstance(leaf, Variable):
                arrays.append(leaf._current_value())
            elif isinstance(leaf, Tensor):
                arrays.append(leaf._value)
            elif isinstance(leaf, (np.ndarray, jax.Array)):
                arrays.append(leaf)

    def emit(*values: Any) -> None:
        formatted = iter([_format(v, summarize) for v in values])
        parts = [_render(item, formatted) for item in inputs]
        text = sep.join(parts) + end
        if isinstance(output_stream, str) and output_stream.startswith("file://"):
            with open(output_stream[len("file://") :], "a") as stream:  # TF appends to the file
                stream.write(text)
            return
        stream = output_stream if not isinstance(output_stream, str) else sys.stderr
        stream.write(text)
        stream.flush()

    if _state.trace is not None:
        jax.debug.callback(emit, *arrays, ordered=True)
    else:
        emit(*arrays)
