"""`tf.function`: trace a Python function once per input signature into one `jax.jit` program.

Every Variable the function reads or writes is lifted into an explicit input of the
compiled program (written ones are donated and come back as outputs), found by tracing:
a first trace notes the Variables it touches (`TraceContext.missing`) and creates any
Variables the function makes on its first call (lazy layer builds, optimizer slots) with
concrete values, as TF does; the next trace binds them all. After each compiled call the
written values are committed to the Variables. The per-call path does no graph traversal:
it computes a cache key, hands over the flat list of buffers and writes back the results.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any, Callable

import jax
import numpy as np

from jaxport import context
from jaxport.context import TraceContext
from jaxport.context import state as _state
from jaxport.eager import Tensor
from jaxport.variables import Variable

__all__ = ["function", "Function", "run_functions_eagerly", "functions_run_eagerly"]

_MAX_TRACE_ATTEMPTS = 4
_RETRACE_WARNING_THRESHOLD = 5


def run_functions_eagerly(run_eagerly: bool) -> None:
    """`tf.config.run_functions_eagerly`: run `function`s as plain Python (for debugging)."""
    context.run_functions_eagerly_flag[0] = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    """`tf.config.functions_run_eagerly`."""
    return context.run_functions_eagerly_flag[0]


def _is_leaf(x: Any) -> bool:
    return isinstance(x, (Tensor, Variable)) or x is None


class _ConcreteEntry:
    """One traced signature: the compiled program and the Variables it lifts."""

    __slots__ = ("written", "readonly", "compiled", "jitted", "dynamic_positions", "treedef", "static_leaves")

    def __init__(self, written, readonly, jitted, compiled, dynamic_positions, treedef, static_leaves):
        self.written = written
        self.readonly = readonly
        self.jitted = jitted
        self.compiled = compiled
        self.dynamic_positions = dynamic_positions
        self.treedef = treedef
        self.static_leaves = static_leaves

    def call(self, dynamic_values: list) -> Any:
        written = self.written
        outputs, new_values = self.compiled(
            [v._raw_value for v in written], [v._raw_value for v in self.readonly], dynamic_values
        )
        for var, value in zip(written, new_values):
            object.__setattr__(var, "_raw_value", value)
        return outputs


def _leaf_key(leaf: Any) -> Any:
    if isinstance(leaf, Tensor):
        value = leaf._value
        return ("T", value.shape, value.dtype)
    if isinstance(leaf, (np.ndarray, jax.Array)):
        return ("A", leaf.shape, leaf.dtype)
    if isinstance(leaf, Variable):
        return ("V", id(leaf))
    try:
        hash(leaf)
    except TypeError:
        return ("O", id(leaf))
    return ("P", type(leaf), leaf)


class Function:
    """A `tf.function`-decorated callable (see the module docstring).

    Args:
      python_function: the function (or method) to compile.
      jit_compile: accepted for TF compatibility; jaxport always compiles with XLA.
      reduce_retracing: accepted; shapes are keyed exactly.
    """

    def __init__(
        self,
        python_function: Callable,
        name: str | None = None,
        input_signature: Any = None,
        jit_compile: bool | None = None,
        reduce_retracing: bool = False,
        autograph: bool = True,
    ):
        if not callable(python_function):
            raise TypeError(f"`func` must be a callable; received {python_function!r}.")
        self._python_function = python_function
        self._name = name or getattr(python_function, "__name__", "function")
        self._input_signature = input_signature
        self._jit_compile = jit_compile
        self._cache: dict[Any, _ConcreteEntry] = {}
        self._fast_cache: dict[Any, _ConcreteEntry] = {}
        self._known_written: dict[int, Variable] = {}
        self._known_readonly: dict[int, Variable] = {}
        self._tracing_count = 0
        self._created_on_first_trace = False
        functools.update_wrapper(self, python_function)

    @property
    def python_function(self) -> Callable:
        return self._python_function

    def experimental_get_tracing_count(self) -> int:
        """How many signatures this function has traced."""
        return self._tracing_count

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        # A decorated method: one Function per instance, cached on the instance.
        cache_name = f"_jaxport_function_{id(self)}"
        bound = instance.__dict__.get(cache_name) if hasattr(instance, "__dict__") else None
        if bound is None:
            bound = Function(
                functools.partial(self._python_function, instance),
                name=self._name,
                input_signature=self._input_signature,
                jit_compile=self._jit_compile,
            )
            try:
                object.__setattr__(instance, cache_name, bound)
            except AttributeError:
                pass
        return bound

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if context.run_functions_eagerly_flag[0] or _state.trace is not None:
            return self._python_function(*args, **kwargs)
        if not kwargs:
            # Fast path: positional Tensors / numpy arrays / None, keyed by shape and dtype only.
            fast_key = []
            dynamic = []
            for arg in args:
                kind = type(arg)
                if kind is Tensor:
                    value = arg._value
                    fast_key.append((value.shape, value.dtype))
                    dynamic.append(value)
                elif kind is np.ndarray:
                    fast_key.append((arg.shape, arg.dtype, 0))
                    dynamic.append(arg)
                elif arg is None:
                    fast_key.append(None)
                else:
                    break
            else:
                fast_key = tuple(fast_key)
                entry = self._fast_cache.get(fast_key)
                if entry is None:
                    entry = self._fast_cache[fast_key] = self._lookup(args, kwargs)
                return entry.call(dynamic)
        return self._call_general(args, kwargs)

    def _lookup(self, args: tuple, kwargs: dict) -> _ConcreteEntry:
        leaves, treedef = jax.tree.flatten((args, kwargs), is_leaf=_is_leaf)
        key = (treedef, tuple(_leaf_key(leaf) for leaf in leaves))
        entry = self._cache.get(key)
        if entry is None:
            entry = self._trace(leaves, treedef)
            self._cache[key] = entry
        return entry

    def _call_general(self, args: tuple, kwargs: dict) -> Any:
        leaves, treedef = jax.tree.flatten((args, kwargs), is_leaf=_is_leaf)
        key = (treedef, tuple(_leaf_key(leaf) for leaf in leaves))
        entry = self._cache.get(key)
        if entry is None:
            entry = self._trace(leaves, treedef)
            self._cache[key] = entry
        dynamic = [leaves[i]._value if isinstance(leaves[i], Tensor) else leaves[i] for i in entry.dynamic_positions]
        return entry.call(dynamic)

    # -- tracing ----------------------------------------------------------------------------
    def _trace(self, leaves: list, treedef: Any) -> _ConcreteEntry:
        dynamic_positions = tuple(
            i for i, leaf in enumerate(leaves) if isinstance(leaf, (Tensor, np.ndarray, jax.Array))
        )
        static_leaves = list(leaves)
        dynamic_values = []
        for i in dynamic_positions:
            leaf = leaves[i]
            dynamic_values.append(leaf._value if isinstance(leaf, Tensor) else jax.numpy.asarray(leaf))
            static_leaves[i] = None
        python_function = self._python_function
        attempts = 0
        created_any = False
        while True:
            attempts += 1
            written = list(self._known_written.values())
            readonly = list(self._known_readonly.values())
            report: dict[str, Any] = {}

            def body(written_values, readonly_values, dynamic_in, _written=written, _readonly=readonly, _report=report):
                trace = TraceContext()
                for var, value in zip(_written, written_values):
                    trace.bind(var, value)
                for var, value in zip(_readonly, readonly_values):
                    trace.bind(var, value)
                rebuilt = list(static_leaves)
                for pos, value in zip(dynamic_positions, dynamic_in):
                    rebuilt[pos] = Tensor(value)
                args, kwargs = jax.tree.unflatten(treedef, rebuilt)
                previous = _state.trace
                _state.trace = trace
                try:
                    out = python_function(*args, **kwargs)
                finally:
                    _state.trace = previous
                _report["missing"] = dict(trace.missing)
                _report["written"] = dict(trace.written)
                _report["created"] = list(trace.created)
                out = jax.tree.map(_output_value, out, is_leaf=_is_leaf)
                return out, [trace.value_of(v) for v in _written]

            jitted = jax.jit(body, donate_argnums=(0,))
            traced = jitted.trace([v._raw_value for v in written], [v._raw_value for v in readonly], dynamic_values)
            created = report["created"]
            if created:
                if created_any or self._created_on_first_trace and attempts > 1:
                    raise ValueError(
                        f"tf.function only supports singleton tf.Variables created on the first call. "
                        f"Make sure the tf.Variable is only created once or created outside tf.function. "
                        f"The function {self._name!r} created {len(created)} new Variable(s) when traced again."
                    )
                if self._cache:
                    raise ValueError(
                        f"tf.function only supports singleton tf.Variables created on the first call. "
                        f"The function {self._name!r} created a Variable when traced for a new input signature."
                    )
                created_any = True
            needs_retrace = False
            for key, var in report["missing"].items():
                if key not in self._known_written and key not in self._known_readonly:
                    needs_retrace = True
                    if key in report["written"]:
                        self._known_written[key] = var
                    else:
                        self._known_readonly[key] = var
            for key, var in report["written"].items():
                if key in self._known_readonly:
                    del self._known_readonly[key]
                    self._known_written[key] = var
                    needs_retrace = True
            if not needs_retrace and not created:
                break
            if attempts >= _MAX_TRACE_ATTEMPTS:
                raise RuntimeError(
                    f"tf.function {self._name!r} could not settle its Variables after {attempts} traces."
                )
        if created_any:
            self._created_on_first_trace = True
        compiled = traced.lower().compile()
        self._tracing_count += 1
        if self._tracing_count >= _RETRACE_WARNING_THRESHOLD:
            warnings.warn(
                f"{self._tracing_count} retracings of tf.function {self._name!r}: tracing is expensive; "
                "pass Tensors of fixed shapes rather than Python values, or set input_signature.",
                stacklevel=2,
            )
        return _ConcreteEntry(written, readonly, jitted, compiled, dynamic_positions, treedef, static_leaves)


def _output_value(x: Any) -> Any:
    if isinstance(x, Variable):
        return Tensor(x._current_value())
    if isinstance(x, (int, float, bool, np.ndarray, np.generic)):
        from jaxport.eager import convert_to_tensor

        return convert_to_tensor(x)
    return x


def function(
    func: Callable | None = None,
    input_signature: Any = None,
    autograph: bool = True,
    jit_compile: bool | None = None,
    reduce_retracing: bool = False,
    experimental_relax_shapes: Any = None,
    name: str | None = None,
    **unused: Any,
) -> Any:
    """`tf.function`: compile `func` with `jax.jit`, lifting the Variables it uses.

    Usable as `@tf.function`, `@tf.function(jit_compile=True)` or `tf.function(f)`.
    """

    def decorate(fn: Callable) -> Function:
        return Function(
            fn,
            name=name,
            input_signature=input_signature,
            jit_compile=jit_compile,
            reduce_retracing=reduce_retracing,
            autograph=autograph,
        )

    if func is None:
        return decorate
    return decorate(func)
