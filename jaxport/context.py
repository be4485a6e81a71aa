"""The global contexts jaxport keeps, all in one place (thread-local like TF's).

- the recording GradientTapes (innermost last),
- the tf.function trace in progress, if any (Variable -> tracer bindings),
- whether `tf.config.run_functions_eagerly(True)` is on.
The distribution strategy and the global RNG keep their own state in `parallel.py` and
`ops/random_ops.py`.
"""

from __future__ import annotations

import threading
from typing import Any


class _ThreadState(threading.local):
    def __init__(self) -> None:
        self.tapes: list[Any] = []  # GradientTapes currently recording, outermost first
        self.trace: TraceContext | None = None
        self.replica: Any = None  # the per-replica context inside strategy.run


class TraceContext:
    """Variable bindings for one trace of a `function` (or of a replicated step).

    While a function is traced by `jax.jit`, Variables are not mutated: a read returns the
    tracer bound to the Variable, a write rebinds it. `function` commits the written values
    after the compiled call. Variables read or written without a binding (first trace) are
    noted in `missing` so that `function` can lift them on its next trace.
    """

    __slots__ = (
        "bindings",
        "missing",
        "written",
        "created",
        "parent",
        "captured",
        "pending",
        "symbolic",
        "ta_plan",
        "ta_used",
        "ta_observed",
    )

    def __init__(self, parent: TraceContext | None = None) -> None:
        self.bindings: dict[int, list] = {}  # id(var) -> [var, value]
        self.missing: dict[int, Any] = {}
        self.written: dict[int, Any] = {}
        self.created: list[Any] = []
        self.parent = parent
        self.captured: set[int] = set()  # ids of the buffers read from unbound Variables (root trace)
        self.pending: list = []  # (Variable, traced initial value): created from the inputs (root trace)
        self.symbolic = False  # traced with symbolic sizes (no initial values from the inputs then)
        # Capacities of dynamic_size TensorArrays grown by loops with a run-time trip count (root
        # trace of a top-level function only; None: not offered): the elements each such loop
        # adds, in staging order, and the traced counts it really added (`tensor_array.py`).
        self.ta_plan: tuple | None = None
        self.ta_used: list[int] = []
        self.ta_observed: list = []

    def bind(self, var: Any, value: Any) -> None:
        self.bindings[id(var)] = [var, value]

    def read(self, var: Any) -> Any:
        entry = self.bindings.get(id(var))
        if entry is not None:
            return entry[1]
        if self.parent is not None:
            value = self.parent.read(var)
        else:
            value = var._raw_value
            self.missing[id(var)] = var
            self.captured.add(id(value))
        return value

    def write(self, var: Any, value: Any) -> None:
        key = id(var)
        if key not in self.bindings and self.parent is None:
            self.missing[key] = var
        self.bindings[key] = [var, value]
        self.written[key] = var

    def value_of(self, var: Any) -> Any:
        entry = self.bindings.get(id(var))
        return entry[1] if entry is not None else self.read(var)


def is_captured_buffer(value: Any) -> bool:
    """Whether `value` is a Variable's buffer read unbound by the trace in progress.

    Such a value is concrete, yet it stands for the Variable's value at call time (`function`
    turns it into an input of the compiled program), so ops must not fold it into a constant
    nor use it as a Python value: it counts as traced."""
    trace = state.trace
    if trace is None:
        return False
    while trace.parent is not None:
        trace = trace.parent
    return id(value) in trace.captured


def outside_traces() -> Any:
    """A context computing concrete values even inside a jit or shard_map trace: a Variable
    created while a `function` or `strategy.run` traces gets a concrete initial value (TF
    lifts variable creation out of the graph with `init_scope`). Values that depend on the
    traced inputs stay tracers."""
    import jax

    try:
        from jax._src.core import eval_context
    except ImportError:  # pragma: no cover - a JAX without it
        return jax.ensure_compile_time_eval()
    return eval_context()


state = _ThreadState()
run_functions_eagerly_flag = [False]
