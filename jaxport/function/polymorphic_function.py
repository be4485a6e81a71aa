"""`tf.function`: trace a Python function once per input signature into one `jax.jit` program.

`Function` decides when to trace, as TF does (`trace_types.py`: call binding, retracing,
`reduce_retracing`; `symbolic_trace.py`: None dims), and calls the traced program
(`trace.py`: Variables lifted into inputs and outputs). The per-call path does no
graph traversal: it computes a cache key, hands over the flat list of buffers and writes
back the results.
"""

from __future__ import annotations

import functools
import logging
import warnings
from typing import Any, Callable

import jax
import numpy as np

from jaxport import context
from jaxport.context import state as _state
from jaxport.eager import Tensor
from jaxport.function import symbolic_trace as _symbolic_trace
from jaxport.function.structure import restore_dict_order
from jaxport.function.trace import ConcreteEntry, dynamic_value, is_leaf, trace_signature
from jaxport.function.trace_types import (
    TracingHistory,
    bind_call,
    is_dynamic,
    leaf_key,
    python_signature,
    type_has_unknown_dims,
)
from jaxport.variables import Variable

__all__ = ["function", "Function", "run_functions_eagerly", "functions_run_eagerly"]

_log = logging.getLogger("jaxport.function")  # the package name: users filter on it
_RETRACE_WARNING_THRESHOLD = 5


def run_functions_eagerly(run_eagerly: bool) -> None:
    """`tf.config.run_functions_eagerly`: run `function`s as plain Python (for debugging)."""
    context.run_functions_eagerly_flag[0] = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    """`tf.config.functions_run_eagerly`."""
    return context.run_functions_eagerly_flag[0]


def _recording_tapes() -> bool:
    return any(t._recording for t in _state.tapes)


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
        from jaxport.autograph.conversion import convert as _autograph_convert  # AutoGraph: converted on first trace

        self._original_function = python_function
        self._autograph = bool(autograph)
        self._python_function = _autograph_convert(python_function) if autograph else python_function
        self._name = name or getattr(python_function, "__name__", "function")
        self._input_signature = input_signature
        self._jit_compile = jit_compile
        self._cache: dict[Any, ConcreteEntry] = {}
        self._fast_cache: dict[Any, ConcreteEntry] = {}
        self._known_written: dict[int, Variable] = {}
        self._known_readonly: dict[int, Variable] = {}
        self._reduce_retracing = bool(reduce_retracing)
        self._history = TracingHistory(input_signature is not None, reduce_retracing)  # TF's trace count
        self._signature = python_signature(python_function)  # calls are bound to it (trace_types.bind_call)
        self._top_level_traces = 0
        self._created_on_first_trace = False
        self._symbolic = False  # trace once with symbolic None dims (jaxport/function/symbolic_trace.py)
        self._signature_accepts: set = set()  # (shape, dtype) per argument known to bind unchanged
        if input_signature is not None:
            from jaxport.tensor_spec import TensorSpec

            if not isinstance(input_signature, (list, tuple)):
                raise TypeError(f"input_signature must be either a tuple or a list, got {type(input_signature)}.")
            _check_signature_arity(self._signature, input_signature)
            specs = jax.tree.leaves(input_signature, is_leaf=lambda x: isinstance(x, TensorSpec))
            if not all(isinstance(s, TensorSpec) for s in specs):
                raise TypeError(
                    f"input_signature must be a possibly nested sequence of TensorSpec objects; received "
                    f"{input_signature!r}."
                )
            self._signature_specs = specs
            self._symbolic = _symbolic_trace.has_unknown_dims(specs)
        elif self._reduce_retracing:
            self._symbolic = True  # a generalised type's None dims are traced symbolically
        functools.update_wrapper(self, python_function)

    @property
    def python_function(self) -> Callable:
        """The decorated Python function, as written (not its AutoGraph conversion)."""
        return self._original_function

    def experimental_get_tracing_count(self) -> int:
        """How many times TF would have traced this function (`jaxport/function/trace_types.py`)."""
        return self._history.count

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        # A decorated method: one Function per instance, cached on the instance.
        cache_name = f"_jaxport_function_{id(self)}"
        bound = instance.__dict__.get(cache_name) if hasattr(instance, "__dict__") else None
        if bound is None:
            bound = Function(
                functools.partial(self._original_function, instance),
                name=self._name,
                input_signature=self._input_signature,
                jit_compile=self._jit_compile,
                reduce_retracing=self._reduce_retracing,
                autograph=self._autograph,
            )
            try:
                object.__setattr__(instance, cache_name, bound)
            except AttributeError:
                pass
        return bound

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if context.run_functions_eagerly_flag[0] or _recording_tapes() or _state.replica is not None:
            # Under a recording GradientTape: run op by op so the tape sees every op (gradients
            # through a function, as TF gives them). Inside `strategy.run` (its replica's trace
            # holds the replica id and collectives): inline, traced with the replica.
            if self._input_signature is not None:
                args, kwargs = self._check_signature(args, kwargs)
            return self._python_function(*args, **kwargs)
        if _state.trace is not None:
            return self._call_nested(args, kwargs)
        if self._input_signature is not None:
            args, kwargs = self._check_signature(args, kwargs)
        if not kwargs:
            # Fast path: positional Tensors / numpy arrays / None, keyed by shape and dtype only
            # (when the call's canonical form only adds static defaults: see _fast_entry).
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
                    entry = self._fast_entry(args)
                    if entry is not None:
                        self._fast_cache[fast_key] = entry
                if entry is not None:
                    return entry.call(dynamic)
        return self._call_general(args, kwargs)

    def _call_nested(self, args: tuple, kwargs: dict) -> Any:
        """Called while another function is traced: this function's own traced program (traced
        once per call type, as TF traces a nested function into its own concrete function),
        called on the outer trace's values, its Variables read and written in that trace."""
        if self._input_signature is not None:
            args, kwargs = self._check_signature(args, kwargs)
        args, kwargs = bind_call(self._signature, args, kwargs, self._input_signature)
        leaves, treedef = jax.tree.flatten((args, kwargs), is_leaf=is_leaf)
        key = (treedef, tuple(leaf_key(leaf) for leaf in leaves))
        entry = self._cache.get(key)
        if entry is None:
            tf_type = self._history.resolve(key)
            entry = self._cache[key] = trace_signature(self, leaves, treedef, None, (args, kwargs))
            self._history.record(tf_type)
        trace = _state.trace
        arg_variables = [leaves[i] for i in entry.var_positions]
        outputs, new_written, new_args, *_ = entry.jitted(
            [trace.read(v) for v in entry.written],
            [trace.read(v) for v in entry.readonly],
            [dynamic_value(leaves[i]) for i in entry.dynamic_positions],
            [trace.read(v) for v in arg_variables],
        )
        for var, value in zip(entry.written, new_written):
            trace.write(var, value)
        for var, value in zip(arg_variables, new_args):
            trace.write(var, value)
        if entry.output_order is not None:
            return restore_dict_order(entry.output_order, outputs)
        return outputs

    def _fast_entry(self, args: tuple) -> ConcreteEntry | None:
        """The entry for positional Tensor/array/None arguments, if the fast path can call it:
        binding may only append defaults that are not tensors (so the dynamic inputs are the
        given arguments, in order)."""
        canonical, canonical_kwargs = bind_call(self._signature, args, {}, self._input_signature)
        extra = canonical[len(args) :]
        if canonical_kwargs or any(is_dynamic(leaf) for leaf in jax.tree.leaves(extra)):
            return None
        return self._entry_for(*jax.tree.flatten((canonical, {}), is_leaf=is_leaf))

    def _lookup(self, args: tuple, kwargs: dict) -> ConcreteEntry:
        args, kwargs = bind_call(self._signature, args, kwargs, self._input_signature)
        return self._entry_for(*jax.tree.flatten((args, kwargs), is_leaf=is_leaf), (args, kwargs))

    def _entry_for(self, leaves: list, treedef: Any, arguments: Any = None) -> ConcreteEntry:
        """The concrete function for these arguments, traced on a cache miss.

        The call's type is resolved as TF resolves it (`trace_types.TracingHistory`). A type
        with None dims (an `input_signature`'s, or what `reduce_retracing` generalised to) is
        traced once, with symbolic sizes (`symbolic_trace.py`). Inputs such a program cannot
        take (an empty dim, tied sizes that differ) are traced for their concrete shapes; if
        the Python cannot be traced with unknown sizes at all (it needs a concrete one),
        every call is traced per concrete shape from then on.
        """
        key = (treedef, tuple(leaf_key(leaf) for leaf in leaves))
        entry = self._cache.get(key)
        if entry is not None:
            return entry
        tf_type = self._history.resolve(key)
        specs = self._symbolic_specs(tf_type) if self._symbolic and tf_type != key else None
        if specs is not None:
            entry = self._cache.get(tf_type)
            if entry is None and 0 not in _symbolic_trace.unknown_sizes(specs, leaves):
                try:
                    entry = self._cache[tf_type] = trace_signature(self, leaves, treedef, specs, arguments)
                except Exception as exc:  # noqa: BLE001 - any failure: the concrete trace below raises real errors
                    _log.info("tf.function %r traces per concrete shape: %s: %s", self._name, type(exc).__name__, exc)
                    _log.debug("symbolic trace of %r failed", self._name, exc_info=True)
                    self._symbolic = False
            if entry is not None and _symbolic_trace.fits_signature(entry.dim_groups, leaves):
                self._history.record(tf_type)
                return entry
        # A concrete trace standing in for a type with None dims: its shape errors are the ones
        # TF's graph finds when it runs (InvalidArgumentError), not while it is built.
        entry = self._cache[key] = trace_signature(self, leaves, treedef, None, arguments, graph_errors=specs is None)
        self._history.record(tf_type)
        self._warn_if_retracing_often()
        return entry

    def _symbolic_specs(self, tf_type: tuple) -> list | None:
        """Per argument leaf, the TensorSpec to trace with (None dims symbolic), or None when
        this type cannot be traced symbolically."""
        from jaxport.tensor_spec import TensorSpec

        if self._input_signature is not None:
            return self._signature_specs if _symbolic_trace.has_unknown_dims(self._signature_specs) else None
        if not type_has_unknown_dims(tf_type):
            return None
        return [TensorSpec(p[1], p[2]) if p[0] in ("T", "A") else None for p in tf_type[1]]

    def _warn_if_retracing_often(self) -> None:
        self._top_level_traces += 1  # traces a call made directly (not from inside another function)
        count = self._top_level_traces
        if count >= _RETRACE_WARNING_THRESHOLD and self._input_signature is None:
            warnings.warn(
                f"{count} calls to tf.function {self._name!r} triggered tf.function retracing. "
                "Tracing is expensive and the excessive number of tracings could be due to (1) creating "
                "@tf.function repeatedly in a loop, (2) passing tensors with different shapes, (3) passing Python "
                "objects instead of tensors. For (2), @tf.function has reduce_retracing=True option (and "
                "input_signature with None dims) that can avoid unnecessary retracing.",
                stacklevel=4,
            )

    def _call_general(self, args: tuple, kwargs: dict) -> Any:
        args, kwargs = bind_call(self._signature, args, kwargs, self._input_signature)
        leaves, treedef = jax.tree.flatten((args, kwargs), is_leaf=is_leaf)
        entry = self._entry_for(leaves, treedef, (args, kwargs))
        dynamic = [dynamic_value(leaves[i]) for i in entry.dynamic_positions]
        return entry.call(dynamic, [leaves[i] for i in entry.var_positions])

    def _check_signature(self, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        """Bind the call to `input_signature`: convert to Tensors of the specs' dtypes, or
        raise TF's TypeError naming what was received and what was expected."""
        from jaxport.eager import convert_to_tensor
        from jaxport.tensor_spec import TensorSpec

        if not kwargs and all(type(a) is Tensor for a in args):
            key = tuple((a._value.shape, a._value.dtype) for a in args)
            if key in self._signature_accepts:  # these shapes and dtypes bound before: nothing to convert
                return args, {}
        else:
            key = None
        if kwargs or len(args) != len(self._input_signature):  # bind keywords and defaults to positions
            args, kwargs = bind_call(self._signature, args, kwargs, self._signature_text())
            if kwargs:
                raise TypeError(
                    f"Binding inputs to tf.function `{self._name}` failed: keyword-only arguments {sorted(kwargs)} "
                    f"are not in the signature {self._signature_text()}."
                )
        specs = self._signature_specs
        tree = jax.tree.structure(tuple(self._input_signature), is_leaf=lambda x: isinstance(x, TensorSpec))
        try:
            leaves = tree.flatten_up_to(tuple(args))
        except (TypeError, ValueError):
            raise TypeError(
                f"Binding inputs to tf.function `{self._name}` failed: the signature expects {len(specs)} "
                f"Tensor(s) {specs}, but received {args!r}."
            ) from None
        converted = []

        def cannot_cast(shape: Any, dtype: Any, spec: Any) -> TypeError:
            return TypeError(
                f"Binding inputs to tf.function failed due to `Can not cast "
                f"TensorSpec(shape={shape}, dtype={dtype!r}, name=None) to {spec}`. "
                f"Received args: {args} and kwargs: {kwargs} for signature: {self._signature_text()}."
            )

        for leaf, spec in zip(leaves, specs):
            if isinstance(leaf, (Tensor, Variable)) and leaf.dtype != spec.dtype:
                raise cannot_cast(leaf.shape, leaf.dtype, spec)
            try:
                tensor = convert_to_tensor(leaf, dtype=spec.dtype) if not isinstance(leaf, Variable) else leaf
            except (TypeError, ValueError) as exc:
                raise TypeError(
                    f"Binding inputs to tf.function `{self._name}` failed: can not convert {leaf!r} to {spec}: {exc}"
                ) from None
            if tensor.dtype != spec.dtype or not spec.is_compatible_with(TensorSpec(tensor.shape, tensor.dtype)):
                raise cannot_cast(tensor.shape, tensor.dtype, spec)
            converted.append(tensor)
        if key is not None and len(args) == len(specs) and all(c._value is a._value for c, a in zip(converted, args)):
            self._signature_accepts.add(key)
        return jax.tree.unflatten(tree, converted), {}

    def _signature_text(self) -> str:
        """The input_signature as TF prints it: `(x: TensorSpec(...), y: TensorSpec(...))`."""
        names = [] if self._signature is None else list(self._signature.parameters)
        names += [f"arg_{i}" for i in range(len(names), len(self._input_signature))]
        return "(" + ", ".join(f"{n}: {s}" for n, s in zip(names, self._input_signature)) + ")"

    def get_concrete_function(self, *args: Any, **kwargs: Any) -> Any:
        """The traced function for these arguments: Tensors, or TensorSpecs (None dims stay
        unknown: traced once with symbolic sizes), plus any Python values, which the concrete
        function keeps (`pow.get_concrete_function(a=tf.TensorSpec(None), b=2)`).

        Raises:
          TypeError: the arguments do not bind to the function's signature.
        """
        from jaxport.function.concrete_function import ConcreteFunction
        from jaxport.tensor_spec import TensorSpec

        if not args and not kwargs and self._input_signature is not None:
            args = tuple(self._input_signature)
        args, kwargs = bind_call(self._signature, args, kwargs)
        is_spec = lambda x: isinstance(x, TensorSpec)  # noqa: E731
        spec_tree, spec_treedef = jax.tree.flatten((args, kwargs), is_leaf=lambda x: is_spec(x) or is_leaf(x))
        examples = [_example_tensor(x) if is_spec(x) else x for x in spec_tree]
        ex_args, ex_kwargs = jax.tree.unflatten(spec_treedef, examples)
        if self._input_signature is not None:
            ex_args, ex_kwargs = self._check_signature(ex_args, ex_kwargs)
        leaves, treedef = jax.tree.flatten((ex_args, ex_kwargs), is_leaf=is_leaf)
        specs = [x if is_spec(x) else None for x in spec_tree] if len(spec_tree) == len(leaves) else None
        entry = None
        if self._input_signature is None and specs is not None and _symbolic_trace.has_unknown_dims(specs):
            parts = tuple(
                ("T", tuple(s.shape.as_list()), np.dtype(s.dtype.as_numpy_dtype)) if s is not None else leaf_key(leaf)
                for s, leaf in zip(specs, leaves)
            )
            spec_type = (treedef, parts)
            entry = self._cache.get(spec_type)
            if entry is None:
                entry = self._cache[spec_type] = trace_signature(self, leaves, treedef, specs, (ex_args, ex_kwargs))
                self._history.record(spec_type)
                self._symbolic = True  # later calls this type covers run its symbolic program
        if entry is None:
            entry = self._lookup(ex_args, ex_kwargs)
        if entry.concrete is None:
            entry.concrete = ConcreteFunction(self, entry, args, kwargs)
        return entry.concrete


def _check_signature_arity(signature: Any, input_signature: Any) -> None:
    """TF's checks of an input_signature against the function's parameters (a method's
    `self` is not part of it).

    Raises:
      TypeError: a parameter without a default has no spec, or there are more specs than
        parameters.
    """
    if signature is None:
        return
    params = list(signature.parameters.values())
    if params and params[0].name in ("self", "cls"):
        params = params[1:]
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(input_signature) > len(positional):
        raise TypeError(f"input_signature contains {len(input_signature) - len(positional)} extra type constraints.")
    for p in positional[len(input_signature) :]:
        if p.default is p.empty:
            raise TypeError(f"input_signature missing type constraint for {p.name}")


def _example_tensor(spec: Any) -> Tensor:
    """A Tensor fitting a TensorSpec, to trace with: each None dim sized 2 + its axis (so the
    batch axes of several specs tie, as `symbolic_trace.signature_avals` groups them)."""
    if spec.shape.rank is None:
        return Tensor(jax.numpy.zeros((), spec.dtype.as_numpy_dtype))
    shape = [2 + axis if d is None else d for axis, d in enumerate(spec.shape.as_list())]
    return Tensor(jax.numpy.zeros(shape, spec.dtype.as_numpy_dtype))


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

    if experimental_relax_shapes is not None:  # TF's deprecated name for reduce_retracing
        reduce_retracing = bool(experimental_relax_shapes) or reduce_retracing

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
