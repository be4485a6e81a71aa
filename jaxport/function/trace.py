"""Tracing one call type of a `tf.function` into a compiled program.

Every Variable the function reads or writes is lifted into an explicit input of the
program (written ones are donated and come back as outputs). A first trace notes the
Variables it touches (`TraceContext.missing`) and creates any Variables the function makes
on its first call (lazy layer builds, optimizer slots) with concrete values, as TF does.
When it created none, that first trace becomes the program itself: the Variable buffers it
captured as constants are turned into inputs (`_lift_captured_variables`), so the Python
runs once per signature; otherwise the next trace binds them all. After each compiled call
(`ConcreteEntry.call`) the written values are committed to the Variables.
"""

from __future__ import annotations

from typing import Any

import jax
import numpy as np

from jaxport import context, errors
from jaxport.context import TraceContext
from jaxport.context import state as _state
from jaxport.eager import Tensor
from jaxport.function import symbolic_trace as _symbolic_trace
from jaxport.function.structure import dict_order, restore_dict_order
from jaxport.function.trace_types import is_dynamic
from jaxport.variables import Variable

__all__ = ["ConcreteEntry", "trace_signature", "is_leaf", "dynamic_value", "output_value"]

_MAX_TRACE_ATTEMPTS = 4
_MAX_CAPACITY_RETRIES = 4  # runs of a program whose TensorArray capacities are learned (ConcreteEntry.call)


def is_leaf(x: Any) -> bool:
    return isinstance(x, (Tensor, Variable)) or x is None


class ConcreteEntry:
    """One traced signature: the compiled program and the Variables it lifts."""

    __slots__ = (
        "written",  # Variables the program writes (their buffers donated, new values returned)
        "readonly",  # Variables it only reads
        "compiled",  # the XLA executable (None until first called alone when traced nested)
        "jitted",  # the program as a jax.jit function (called inside another trace)
        "dynamic_positions",  # argument leaves that are program inputs (tensors)
        "var_positions",  # Variables passed as arguments: keyed by shape, values passed in
        "treedef",
        "static_leaves",
        "traced_jaxpr",  # the program as traced (symbolic dims kept), for ConcreteFunction
        "lowered_text",  # its StableHLO text, or the Lowered object that makes it
        "dim_groups",  # for a symbolic trace: the None dims each dimension variable ties
        "output_info",  # the outputs' structure, shapes and dtypes (ShapeDtypeStructs)
        "output_order",  # the returned dicts' key orders, when not sorted (structure.py)
        "concrete",  # its ConcreteFunction, made once by get_concrete_function
        "traced",  # the jax Traced program, lowered and compiled on the first top-level call
        "function",  # the Function traced
        "ta_used",  # the capacities its run-time-bounded loops gave dynamic TensorArrays (or ())
        "variants",  # with ta_used: the entries traced for other capacities, by capacities
    )

    def __init__(self, **fields: Any):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))

    def call(self, dynamic_values: list, arg_variables: list = ()) -> Any:
        if self.ta_used:
            return self._call_sized(dynamic_values, arg_variables)
        written = self.written
        compiled = self.compiled
        if compiled is None:  # traced inside another function's trace: compiled when first called alone
            lowered = self.traced.lower()
            compiled = self.compiled = lowered.compile()
            self.lowered_text = lowered
        outputs, new_values, new_arg_values, *_ = compiled(  # then: unbound writes, pending initial values
            [v._raw_value for v in written],
            [v._raw_value for v in self.readonly],
            dynamic_values,
            [v._raw_value for v in arg_variables],
        )
        return self._commit(outputs, new_values, new_arg_values, arg_variables)

    def _call_sized(self, dynamic_values: list, arg_variables: list) -> Any:
        """Run a program whose dynamic_size TensorArrays grow in loops with a run-time trip count.

        XLA needs each array's capacity statically, and TF's result has exactly as many rows as
        were written. The program is compiled for a capacity per such loop and returns how many
        elements each loop really added (writes past the capacity are dropped). When that differs,
        nothing is committed: the function is traced again for the counts seen and run again, so
        results equal eager ones (Python side effects inside, such as `tf.print`, then run twice).
        The entry of the capacities last used is tried first.
        """
        variants = self.variants
        plan = variants.get("last", self.ta_used)
        for _ in range(_MAX_CAPACITY_RETRIES):
            entry = variants.get(plan)
            if entry is None:
                entry = variants[plan] = self._trace_for_capacities(plan, dynamic_values, arg_variables)
            compiled = entry.compiled
            # The written Variables' buffers are donated: pass copies, so a run whose capacities
            # were wrong leaves every Variable as it was.
            outputs, new_values, new_arg_values, _, _, observed = compiled(
                [jax.numpy.array(v._raw_value, copy=True) for v in entry.written],
                [v._raw_value for v in entry.readonly],
                dynamic_values,
                [jax.numpy.array(v._raw_value, copy=True) for v in arg_variables],
            )
            seen = tuple(int(n) for n in observed)
            if seen == entry.ta_used:
                variants["last"] = plan
                return entry._commit(outputs, new_values, new_arg_values, arg_variables)
            plan = seen
        raise errors.InternalError(
            None,
            None,
            f"tf.function {self.function._name!r}: TensorArray sizes did not settle after "
            f"{_MAX_CAPACITY_RETRIES} runs.",
        )

    def _trace_for_capacities(self, plan: tuple, dynamic_values: list, arg_variables: list) -> "ConcreteEntry":
        leaves = list(self.static_leaves)
        for pos, value in zip(self.dynamic_positions, dynamic_values):
            leaves[pos] = Tensor(value)
        for pos, var in zip(self.var_positions, arg_variables):
            leaves[pos] = var
        entry = trace_signature(self.function, leaves, self.treedef, ta_plan=plan)
        entry.variants = self.variants
        return entry

    def _commit(self, outputs: Any, new_values: list, new_arg_values: list, arg_variables: list) -> Any:
        written = self.written
        for var, value in zip(written, new_values):
            object.__setattr__(var, "_raw_value", value)
        for var, value in zip(arg_variables, new_arg_values):
            object.__setattr__(var, "_raw_value", value)
        if self.output_order is not None:
            return restore_dict_order(self.output_order, outputs)
        return outputs


def trace_signature(
    function: Any,
    leaves: list,
    treedef: Any,
    symbolic_specs: list | None = None,
    arguments: Any = None,
    graph_errors: bool = True,
    ta_plan: tuple | None = None,
) -> ConcreteEntry:
    """Trace `function`'s Python for one call type into a program (see the module docstring).

    `ta_plan` gives the capacities (elements added) of the dynamic_size TensorArrays that loops
    with a run-time trip count grow, in staging order (see `ConcreteEntry.call`); a top-level,
    concrete trace starts from `()` (a default each).

    `symbolic_specs` (one TensorSpec or None per argument leaf) traces with symbolic sizes;
    `arguments` gives the caller's dict orders; `graph_errors` turns op failures while
    tracing into TF's graph-construction errors.
    """
    dynamic_positions = tuple(i for i, leaf in enumerate(leaves) if is_dynamic(leaf))
    var_positions = tuple(i for i, leaf in enumerate(leaves) if isinstance(leaf, Variable))
    arg_variables = [leaves[i] for i in var_positions]
    arg_ids = {id(v) for v in arg_variables}
    static_leaves = list(leaves)
    dynamic_values = []
    for i in dynamic_positions:
        leaf = leaves[i]
        dynamic_values.append(jax.numpy.asarray(dynamic_value(leaf)))
        static_leaves[i] = None
    symbolic = symbolic_specs is not None
    if ta_plan is None and not symbolic and _state.trace is None:
        ta_plan = ()
    if symbolic:  # the spec of each dynamic leaf, None dims as dimension variables
        avals, dim_groups = _symbolic_trace.signature_avals(symbolic_specs, leaves)
        dynamic_values = [avals[i] for i in dynamic_positions]
    python_function = function._python_function
    argument_order = None if arguments is None else dict_order(arguments)
    attempts = 0
    created_any = False
    while True:
        attempts += 1
        written = list(function._known_written.values())
        readonly = list(function._known_readonly.values())
        report: dict[str, Any] = {}

        def body(
            written_values,
            readonly_values,
            dynamic_in,
            arg_values,
            _written=written,
            _readonly=readonly,
            _report=report,
        ):
            trace = TraceContext()
            trace.symbolic = symbolic
            trace.ta_plan = ta_plan
            for var, value in zip(_written, written_values):
                trace.bind(var, value)
            for var, value in zip(_readonly, readonly_values):
                trace.bind(var, value)
            for var, value in zip(arg_variables, arg_values):
                trace.bind(var, value)  # the trace-time Variable stands for whichever is passed
            rebuilt = list(static_leaves)
            for pos, value in zip(dynamic_positions, dynamic_in):
                rebuilt[pos] = Tensor(value)
            args, kwargs = jax.tree.unflatten(treedef, rebuilt)
            if argument_order is not None:  # the caller's dict order, not JAX's sorted one
                args, kwargs = restore_dict_order(argument_order, (args, kwargs))
            previous = _state.trace
            _state.trace = trace
            try:
                out = python_function(*args, **kwargs)
                _report["output_order"] = dict_order(out)
                out = jax.tree.map(output_value, out, is_leaf=is_leaf)  # a returned Variable: its value now
            finally:
                _state.trace = previous
            _report["missing"] = dict(trace.missing)
            _report["written"] = {k: v for k, v in trace.written.items() if k not in arg_ids}
            _report["created"] = list(trace.created)
            # Variables written without a binding (first trace): their new values are outputs too,
            # so this trace can become the compiled program without running the Python again.
            extra = [v for k, v in trace.missing.items() if k in trace.written]
            _report["extra_written"] = extra
            _report["pending"] = [var for var, _ in trace.pending]
            _report["ta_used"] = tuple(trace.ta_used)
            return (
                out,
                [trace.value_of(v) for v in _written],
                [trace.value_of(v) for v in arg_variables],
                [trace.value_of(v) for v in extra],
                [value for _, value in trace.pending],  # initial values that depend on the inputs
                list(trace.ta_observed),  # elements the run-time-bounded loops added to TensorArrays
            )

        jitted = jax.jit(body, donate_argnums=(0,))
        try:
            traced = jitted.trace(
                [v._raw_value for v in written],
                [v._raw_value for v in readonly],
                dynamic_values,
                [v._raw_value for v in arg_variables],
            )
        except errors.OpError as exc:  # raised while building the graph: TF's ValueError/TypeError
            converted = errors.as_graph_construction_error(exc) if graph_errors else exc
            if converted is exc:
                raise
            raise converted from None
        created = report["created"]
        if report["pending"]:  # TF runs such initializers with the first call's inputs: so do we
            if symbolic:
                raise ValueError("Variables initialised from the inputs need a trace of concrete shapes.")
            _initialise_from_first_call(traced, report["pending"], written, readonly, dynamic_values, arg_variables)
        if created:
            if created_any or function._created_on_first_trace and attempts > 1:
                raise ValueError(
                    f"tf.function only supports singleton tf.Variables created on the first call. "
                    f"Make sure the tf.Variable is only created once or created outside tf.function. "
                    f"The function {function._name!r} created {len(created)} new Variable(s) when traced again."
                )
            if function._cache:
                raise ValueError(
                    f"tf.function only supports singleton tf.Variables created on the first call. "
                    f"The function {function._name!r} created a Variable when traced for a new input signature."
                )
            created_any = True
        if not created and report["missing"]:
            lifted = _lift_captured_variables(traced, written, readonly, report, arg_variables, dynamic_values)
            if lifted is not None:
                for var in report["extra_written"]:
                    function._known_written[id(var)] = var
                for key, var in report["missing"].items():
                    if key not in function._known_written:
                        function._known_readonly[key] = var
                written, readonly, jitted, traced = lifted
                break
        needs_retrace = False
        for key, var in report["missing"].items():
            if key not in function._known_written and key not in function._known_readonly:
                needs_retrace = True
                if key in report["written"]:
                    function._known_written[key] = var
                else:
                    function._known_readonly[key] = var
        for key, var in report["written"].items():
            if key in function._known_readonly:
                del function._known_readonly[key]
                function._known_written[key] = var
                needs_retrace = True
        if not needs_retrace and not created:
            break
        if attempts >= _MAX_TRACE_ATTEMPTS:
            raise RuntimeError(
                f"tf.function {function._name!r} could not settle its Variables after {attempts} traces."
            )
    if created_any:
        function._created_on_first_trace = True
    if symbolic:
        compiled, jitted, lowered_text = _symbolic_trace.export_traced(
            traced,
            (
                [v._raw_value for v in written],
                [v._raw_value for v in readonly],
                dynamic_values,
                [v._raw_value for v in arg_variables],
            ),
        )
    elif _state.trace is not None:  # nested in another trace: lowered and compiled only if called alone
        compiled, lowered_text = None, None
    else:
        lowered = traced.lower()
        compiled, lowered_text = lowered.compile(), lowered  # text made when asked for
    if created_any:
        function._history.note_variable_creation()
    entry = ConcreteEntry(
        written=written,
        readonly=readonly,
        jitted=jitted,
        compiled=compiled,
        dynamic_positions=dynamic_positions,
        var_positions=var_positions,
        treedef=treedef,
        static_leaves=static_leaves,
        traced_jaxpr=traced.jaxpr,
        lowered_text=lowered_text,
        dim_groups=dim_groups if symbolic else None,
        output_order=report.get("output_order"),
        traced=traced,
        output_info=traced.out_info[0],  # the body returns (outputs, written, arg Variables, extra)
        function=function,
        ta_used=report["ta_used"],
    )
    if entry.ta_used:
        entry.variants = {entry.ta_used: entry}
    return entry


def _initialise_from_first_call(
    traced: Any, pending: list, written: list, readonly: list, dynamic_values: list, arg_variables: list
) -> None:
    """Give Variables created from values that depend on the function's inputs (say
    `tf.Variable(tf.ones_like(x))` on the first call) their initial values: the first trace is
    evaluated once on this call's inputs (op by op, no buffer donated), as TF runs the
    initializer with the first call's arguments; the next trace reads them as Variables."""
    closed = traced.jaxpr
    flat_in = jax.tree.leaves(
        (
            [v._raw_value for v in written],
            [v._raw_value for v in readonly],
            list(dynamic_values),
            [v._raw_value for v in arg_variables],
        )
    )
    with context.outside_traces():
        flat_out = jax.core.eval_jaxpr(closed.jaxpr, closed.consts, *flat_in)
    initial_values = jax.tree.unflatten(jax.tree.structure(traced.out_info), flat_out)[4]
    for var, value in zip(pending, initial_values):
        object.__setattr__(var, "_raw_value", value)


def _lift_captured_variables(
    traced: Any, written: list, readonly: list, report: dict, arg_variables: list, dynamic_values: list
) -> Any:
    """Turn a trace that captured unbound Variables as constants into the final program.

    The Variables a first trace reads without a binding enter its jaxpr as constants (their
    buffers); here those constants become explicit inputs and the Variables written become
    outputs, so the Python function runs once per signature, as TF traces it once (when it
    creates no Variables). Returns None when a buffer is ambiguous (shared by two Variables).
    """
    closed = traced.jaxpr
    missing = list(report["missing"].values())
    extra_written = list(report["extra_written"])
    extra_ids = {id(v) for v in extra_written}
    missing_readonly = [v for v in missing if id(v) not in extra_ids]
    buffer_owner: dict[int, Variable] = {}
    for var in missing:
        if id(var._raw_value) in buffer_owner:
            return None
        buffer_owner[id(var._raw_value)] = var
    const_owner = [buffer_owner.get(id(c)) for c in closed.consts]
    out_tree = jax.tree.structure(traced.out_info)
    n_written, n_readonly = len(written), len(readonly)
    new_vars = extra_written + missing_readonly

    def program(written_values, readonly_values, dynamic_in, arg_values):
        bound = dict(
            zip(
                (id(v) for v in new_vars),
                list(written_values[n_written:]) + list(readonly_values[n_readonly:]),
            )
        )
        consts = [c if owner is None else bound[id(owner)] for c, owner in zip(closed.consts, const_owner)]
        flat_in = jax.tree.leaves(
            (list(written_values[:n_written]), list(readonly_values[:n_readonly]), list(dynamic_in), list(arg_values))
        )
        flat_out = jax.core.eval_jaxpr(closed.jaxpr, consts, *flat_in)
        out, written_out, arg_out, extra_out, _, observed = jax.tree.unflatten(out_tree, flat_out)
        return out, list(written_out) + list(extra_out), arg_out, [], [], observed

    all_written = list(written) + extra_written
    all_readonly = list(readonly) + missing_readonly
    jitted = jax.jit(program, donate_argnums=(0,))
    new_traced = jitted.trace(
        [v._raw_value for v in all_written],
        [v._raw_value for v in all_readonly],
        dynamic_values,
        [v._raw_value for v in arg_variables],
    )
    return all_written, all_readonly, jitted, new_traced


def dynamic_value(leaf: Any) -> Any:
    """The array a dynamic argument leaf hands to the compiled program."""
    if isinstance(leaf, Tensor):
        return leaf._value
    return leaf if isinstance(leaf, (np.ndarray, jax.Array)) else np.asarray(leaf)


def output_value(x: Any) -> Any:
    """A returned leaf as the compiled program returns it: Variables read now, Python and
    numpy numbers as Tensors; anything else is TF's TypeError."""
    if isinstance(x, Variable):
        return Tensor(x._current_value())
    if isinstance(x, (int, float, bool, complex, np.ndarray, np.generic)):
        from jaxport.eager import convert_to_tensor

        return convert_to_tensor(x)
    if x is None or isinstance(x, (Tensor, jax.Array)):
        return x
    raise TypeError(
        "To be compatible with tf.function, Python functions must return zero or more Tensors or "
        f"ExtensionTypes or None values; found return value of type {type(x)}, which is not a Tensor "
        "(jaxport has no string tensors)."
    )
