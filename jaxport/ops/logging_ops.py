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


def _format(value: Any, summarize: int) -> str:
    if isinstance(value, str):
        return value
    array = np.asarray(value)
    if array.ndim == 0:
        return str(array[()])
    edge = summarize if summarize is not None and summarize >= 0 else sys.maxsize
    with np.printoptions(threshold=0 if array.size > 2 * edge else sys.maxsize, edgeitems=edge):
        return np.array2string(array, separator=" ")


def print(
    *inputs: Any,
    output_stream: Any = sys.stderr,
    sep: str = " ",
    end: str = "\n",  # noqa: A001
    summarize: int = 3,
    name: str | None = None,
) -> None:
    """`tf.print`: print strings and Tensor values (summarised to `summarize` items per edge)."""
    texts: list = []
    arrays: list = []
    for item in inputs:
        if isinstance(item, (Tensor, Variable)):
            texts.append(None)
            arrays.append(item._value if isinstance(item, Tensor) else item._current_value())
        elif isinstance(item, (np.ndarray, jax.Array)):
            texts.append(None)
            arrays.append(item)
        else:
            texts.append(str(item))

    def emit(*values: Any) -> None:
        it = iter(values)
        parts = [t if t is not None else _format(next(it), summarize) for t in texts]
        stream = output_stream if not isinstance(output_stream, str) else sys.stderr
        stream.write(sep.join(parts) + end)
        stream.flush()

    if _state.trace is not None:
        jax.debug.callback(emit, *arrays, ordered=True)
    else:
        emit(*arrays)
