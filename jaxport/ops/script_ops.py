"""`tf.py_function` and `tf.numpy_function`: Python called from inside a compiled function.

Eagerly the Python runs at once. While a `function` is traced it becomes a
`jax.experimental.io_callback` (ordered), so it runs at every call of the compiled program
with the actual values, as TF runs the Python op. XLA must know the result shapes: when
`Tout` is empty (a side effect) nothing more is needed; otherwise the Python is called once
while tracing, on zeros of the inputs' shapes, to learn the shapes of its results.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import numpy as np
from jax.experimental import io_callback

from jaxport import dtypes as _dtypes
from jaxport.context import outside_traces
from jaxport.context import state as _state
from jaxport.eager import Tensor, convert_to_tensor
from jaxport.ops._helpers import as_input

__all__ = ["py_function", "numpy_function"]


def _call(func: Callable, inp: Any, Tout: Any, as_numpy: bool) -> Any:  # noqa: N803 - TF's name
    inputs = [as_input(x) for x in (inp if isinstance(inp, (list, tuple)) else [inp])]
    single = Tout is not None and not isinstance(Tout, (list, tuple))
    dtypes = [] if Tout is None else [_dtypes.as_dtype(t) for t in ([Tout] if single else Tout)]

    def run_python(*values: Any) -> list:
        args = [np.asarray(v) if as_numpy else Tensor(jax.numpy.asarray(v)) for v in values]
        result = func(*args)
        if not dtypes:
            return []
        results = [result] if single or not isinstance(result, (list, tuple)) else list(result)
        if len(results) != len(dtypes):
            raise ValueError(f"The Python function returned {len(results)} values; `Tout` expects {len(dtypes)}.")
        return [np.asarray(convert_to_tensor(r, dtype=d)._value) for r, d in zip(results, dtypes)]

    raw = [x._value if isinstance(x, Tensor) else x._current_value() for x in inputs]
    if _state.trace is None:
        outputs = [Tensor(jax.numpy.asarray(o)) for o in run_python(*raw)]
    else:
        if dtypes:  # XLA needs the result shapes: learn them from one call on zeros of the input shapes
            saved, _state.trace = _state.trace, None
            try:
                with outside_traces():
                    probe = run_python(*[np.zeros(np.shape(r), r.dtype) for r in raw])
            finally:
                _state.trace = saved
            shapes = [jax.ShapeDtypeStruct(o.shape, o.dtype) for o in probe]
            outputs = [Tensor(o) for o in io_callback(run_python, shapes, *raw, ordered=True)]
        else:

            def side_effect(*values: Any) -> None:
                run_python(*values)

            io_callback(side_effect, None, *raw, ordered=True)
            outputs = []
    if single:
        return outputs[0]
    return outputs


def py_function(func: Callable, inp: Any, Tout: Any, name: str | None = None) -> Any:  # noqa: N803
    """`tf.py_function`: call `func` on eager Tensors; returns Tensors of `Tout` (a dtype: one
    Tensor; a list: a list; empty: none) — at each call of a compiled function too."""
    return _call(func, inp, Tout, as_numpy=False)


def numpy_function(func: Callable, inp: Any, Tout: Any, stateful: bool = True, name: str | None = None) -> Any:  # noqa: N803
    """`tf.numpy_function`: like `py_function`, with numpy arrays in and out."""
    return _call(func, inp, Tout, as_numpy=True)
