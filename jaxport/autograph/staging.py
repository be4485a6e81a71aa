"""The staging machinery behind `jaxport.autograph.control_flow` and `jaxport.autograph`.

Inside a `function` trace, a branch or loop body is traced once to a jaxpr (`jax.make_jaxpr`)
in a child `TraceContext` (so Variables it assigns are rebound there, not mutated), with a
probe standing in the tape list that notes the Tensors/Variables it reads from the outer
trace. The whole construct then becomes ONE pure function of (predicate or initial loop
values, the captured outer values, the outer values of the Variables it writes), run through
`eager.dispatch`: a GradientTape records it as one op whose inputs are the captured Tensors,
and the written Variables are carried through `lax.switch` / `lax.while_loop` / `lax.scan`
and rebound in the outer trace afterwards.

Reverse-mode gradients need bounded loops in JAX. When a tape records, a loop with a static
bound (`maximum_iterations`, `for x in tensor`, `for i in tf.range(N)`) runs as `lax.scan`
over the bound with an "active" mask (TF's while_v2 keeps per-iteration accumulators the same
way); an unbounded one runs as `lax.while_loop` and its backward pass recomputes each
iteration's input state from the initial one (quadratic in the trip count, but exact).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from jaxport.autograph.tensor_array import allocate_pending, observe_loop_results, prepare_for_staging, tensor_arrays
from jaxport.context import TraceContext, is_captured_buffer
from jaxport.context import state as _state
from jaxport.eager import Tensor, convert_to_tensor, dispatch
from jaxport.variables import Variable

# -- structures --------------------------------------------------------------------------------


def is_traced(x: Any) -> bool:
    """True for a Tensor/Variable whose value is symbolic (a jit tracer)."""
    if isinstance(x, Tensor):
        return isinstance(x._value, jax.core.Tracer) or is_captured_buffer(x._value)
    if isinstance(x, Variable):
        return _state.trace is not None
    return False


def is_leaf(x: Any) -> bool:
    return isinstance(x, (Tensor, Variable))


def as_tensor_leaf(x: Any, what: str = "tf.cond") -> Tensor:
    """A structure leaf as a Tensor: Variables are read, Python scalars follow TF's defaults."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Variable):
        return x.read_value()
    if isinstance(x, (bool, int, float, complex, np.ndarray, np.generic, jax.Array)):
        return convert_to_tensor(x)
    raise TypeError(
        f"To be compatible with {what}, Python functions must return zero or more Tensors or None values; "
        f"found a return value of type {type(x)}, which is not a Tensor."
    )


def flatten(structure: Any, what: str = "tf.cond") -> tuple[list[Tensor], Any]:
    """Flatten a nested structure to Tensors (TensorArrays flatten to their buffers)."""
    leaves, tree = jax.tree.flatten(structure, is_leaf=is_leaf)
    return [as_tensor_leaf(leaf, what) for leaf in leaves], tree


class _CaptureProbe:
    """Stands in the tape list while a branch or body is traced: records nothing, notes every
    Tensor/Variable an op reads (by the identity of its value), so that values captured from
    the outer trace can be handed to `dispatch` as the objects tapes know."""

    _recording = True

    def __init__(self, grad_mode: bool) -> None:
        self.grad_mode = grad_mode
        self.seen: dict[int, Any] = {}

    def _on_variable_read(self, var: Variable) -> None:
        pass

    def _watches_any(self, args: tuple) -> bool:
        seen = self.seen
        for arg in args:
            if isinstance(arg, Tensor):
                seen.setdefault(id(arg._value), arg)
            elif isinstance(arg, Variable):
                seen.setdefault(id(arg._current_value()), arg)
        return False


def grad_mode() -> bool:
    """Whether a recording GradientTape may differentiate what runs now."""
    for tape in _state.tapes:
        if isinstance(tape, _CaptureProbe):
            if tape.grad_mode:
                return True
        elif tape._recording:
            return True
    return False


class _Staged:
    """One traced callable: its jaxpr, output structure and the Variables it wrote."""

    __slots__ = ("jaxpr", "consts", "tree", "n_out", "written", "seen", "out_avals", "outputs")

    def evaluate(self, consts: Sequence, args: Sequence) -> list:
        return jax.core.eval_jaxpr(self.jaxpr, list(consts), *args)


def aval(x: Any) -> jax.ShapeDtypeStruct:
    return jax.ShapeDtypeStruct(jnp.shape(x), jnp.result_type(x))


def stage(fn: Callable[[list[Tensor]], Any], in_avals: list, carried: list[Variable], what: str) -> _Staged:
    """Trace `fn(list of Tensors) -> structure` to a jaxpr in a child trace.

    The jaxpr's inputs are `in_avals` then the values of the `carried` Variables (bound in the
    child trace); its outputs are the flattened structure, the carried Variables' values, then
    the values of any other Variables `fn` wrote (`_Staged.written`).
    """
    outer = _state.trace
    probe = _CaptureProbe(grad_mode())
    staged = _Staged()
    carried_ids = {id(v) for v in carried}

    def flat_fn(*raw):
        n = len(raw) - len(carried)
        child = TraceContext(parent=outer)
        for var, value in zip(carried, raw[n:]):
            child.bind(var, value)
        saved = (_state.trace, _state.tapes)
        _state.trace, _state.tapes = child, [probe]
        try:
            out = fn([Tensor(r) for r in raw[:n]])
            leaves, tree = flatten(out, what)
            values = [leaf._value for leaf in leaves]
        finally:
            _state.trace, _state.tapes = saved
        staged.tree = tree
        staged.outputs = out
        staged.written = [v for k, v in child.written.items() if k not in carried_ids]
        return (
            values
            + [child.value_of(v).astype(v.dtype.as_numpy_dtype) for v in carried]
            + [child.value_of(v) for v in staged.written]
        )

    closed = jax.make_jaxpr(flat_fn)(*in_avals)
    staged.jaxpr = closed.jaxpr
    staged.consts = list(closed.consts)
    staged.seen = probe.seen
    staged.n_out = len(closed.out_avals) - len(carried) - len(staged.written)
    staged.out_avals = list(closed.out_avals)
    return staged


class _Captures:
    """The outer values a construct reads, deduplicated, with the objects tapes know them by."""

    def __init__(self) -> None:
        self.values: list = []
        self.objects: list = []
        self._index: dict[int, int] = {}

    def slot(self, value: Any, seen: dict) -> int:
        key = id(value)
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = len(self.values)
            self.values.append(value)
            self.objects.append(seen.get(key, value))
        return index

    def slots(self, staged: _Staged) -> list[int]:
        return [self.slot(c, staged.seen) for c in staged.consts]


def _outer_value(var: Variable) -> Any:
    return var._current_value()


def _commit(written: list[Variable], values: Sequence[Tensor]) -> None:
    for var, value in zip(written, values):
        var._set_current_value(value._value)


# -- cond / case / switch_case ----------------------------------------------------------------


def describe(structure: Any) -> str:
    def show(t: Any) -> Any:
        return f"Tensor({t.dtype.name}, {list(t.shape)})" if is_leaf(t) else t

    return repr(jax.tree.map(show, structure, is_leaf=is_leaf))


def true_first(pred: Tensor) -> Tensor:
    """The `run_branches` index of a bool predicate for branches listed [true, false]
    (TF traces the true branch first)."""
    return Tensor(jnp.logical_not(jnp.reshape(pred._value, ())).astype(jnp.int32))


def _cond_output_error(names: tuple[str, str], op: str, first: _Staged, other: _Staged, detail: str) -> TypeError:
    return TypeError(
        f"{names[0]} and {names[1]} arguments to {op} must have the same number, type, and overall structure of "
        f"return values.\n\n{names[0]} output: {describe(first.outputs)}\n{names[1]} output: "
        f"{describe(other.outputs)}\n\nError details:\n{detail}"
    )


def _none_tree(structure: Any) -> Any:
    return jax.tree.structure(structure, is_leaf=lambda x: x is None or is_leaf(x))


def _top_len(structure: Any) -> int:
    return len(structure) if isinstance(structure, (list, tuple)) else 1


def check_same_outputs(staged: list[_Staged], names: list[str], op: str) -> None:
    """TF's checks that all branches return the same structure, dtypes (and, here, shapes)."""
    first = staged[0]
    for b in range(1, len(staged)):
        other = staged[b]
        pair = (names[0], names[b])
        if other.tree != first.tree:
            if _none_tree(first.outputs) == _none_tree(other.outputs):
                raise ValueError(
                    f"Lengths of branch outputs of {op.split('.')[-1]} must match.\n"
                    f"len(graphs[0].outputs): {first.n_out}\nlen(graphs[{b}].outputs): {other.n_out}\n"
                )
            if _top_len(first.outputs) != _top_len(other.outputs):
                # TF's cond_v2 asserts on the number of outputs before comparing structures.
                raise AssertionError([_top_len(first.outputs), _top_len(other.outputs)])
            detail = f"The two structures don't match: {first.tree} vs {other.tree}"
            raise _cond_output_error(pair, op, first, other, detail)
        for a, o in zip(first.out_avals[: first.n_out], other.out_avals[: other.n_out]):
            if a.dtype != o.dtype:
                raise _cond_output_error(pair, op, first, other, f"{a.dtype} and {o.dtype} have different types")
            if a.shape != o.shape:
                raise ValueError(
                    f"{names[0]} and {names[b]} of {op} return tensors of shapes {list(a.shape)} and {list(o.shape)}: "
                    "TF would give a tensor of partially known shape; XLA (jaxport) needs every branch to return "
                    "the same shape."
                )


def run_branches(
    index: Tensor,
    branches: Sequence[Callable[[], Any]],
    names: list[str],
    op: str,
    checker: Callable[[list[_Staged]], None] | None = None,
) -> Any:
    """Stage `branches` and select one by the traced int32 `index` (lax.switch); returns the
    chosen branch's structure and rebinds the Variables any branch wrote."""
    for _ in range(3):
        staged = [stage(lambda _inputs, fn=fn: fn(), [], [], op) for fn in branches]
        if not [s for s in staged if allocate_pending(s.outputs)]:
            break  # else a branch wrote a TensorArray for the first time: restage with its buffer
    (checker or (lambda s: check_same_outputs(s, names, op)))(staged)
    written: list[Variable] = []
    for s in staged:
        for var in s.written:
            if all(var is not w for w in written):
                written.append(var)
    captures = _Captures()
    const_slots = [captures.slots(s) for s in staged]
    seen: dict = {}
    for s in staged:
        seen.update(s.seen)
    parent_slots = [captures.slot(_outer_value(v), seen) for v in written]
    first = staged[0]
    n_out = first.n_out
    out_dtypes = [a.dtype for a in first.out_avals[:n_out]]

    def make_branch(s: _Staged, slots: list[int]) -> Callable:
        def run(*values):
            outs = s.evaluate([values[i] for i in slots], [])
            wrote = {id(v): val for v, val in zip(s.written, outs[s.n_out :])}
            results = [o.astype(d) for o, d in zip(outs[: s.n_out], out_dtypes)]
            for var, pslot in zip(written, parent_slots):
                results.append(wrote.get(id(var), values[pslot]))
            return tuple(results)

        return run

    fns = [make_branch(s, slots) for s, slots in zip(staged, const_slots)]

    def pure(idx, *values):
        return jax.lax.switch(idx, fns, *values)

    pure.tf_op_name = "Case" if op != "tf.cond" else "If"
    outs = dispatch(pure, index, *captures.objects)
    _commit(written, outs[n_out:])
    return jax.tree.unflatten(first.tree, list(outs[:n_out]))


# -- while_loop ---------------------------------------------------------------------------


def _recompute_while(cond_fn: Callable, body_fn: Callable, init: tuple, consts: tuple) -> tuple:
    """`lax.while_loop(cond_fn, body_fn, init)` differentiable in reverse mode without a static
    bound: the backward pass recomputes each iteration's input state from `init` (no residuals
    per iteration; quadratic in the trip count)."""
    f_carry = [i for i, x in enumerate(init) if jnp.issubdtype(x.dtype, jnp.inexact)]
    f_consts = [i for i, x in enumerate(consts) if jnp.issubdtype(x.dtype, jnp.inexact)]

    def run(init, consts):
        return jax.lax.while_loop(lambda c: cond_fn(c, consts), lambda c: body_fn(c, consts), init)

    loop = jax.custom_vjp(run)

    def forward(init, consts):
        count, final = jax.lax.while_loop(
            lambda s: cond_fn(s[1], consts), lambda s: (s[0] + 1, body_fn(s[1], consts)), (jnp.int32(0), init)
        )
        return final, (init, consts, count)

    def backward(residuals, ct_final):
        init, consts, count = residuals

        def partial_body(state, carry_part, const_part):
            carry, cs = list(state), list(consts)
            for i, v in zip(f_carry, carry_part):
                carry[i] = v
            for i, v in zip(f_consts, const_part):
                cs[i] = v
            out = body_fn(tuple(carry), tuple(cs))
            return [out[i] for i in f_carry]

        def step(s):
            k, ct_carry, ct_consts = s
            state = jax.lax.fori_loop(0, k - 1, lambda _, c: body_fn(c, consts), init)
            _, pull = jax.vjp(
                lambda a, b: partial_body(state, a, b), [state[i] for i in f_carry], [consts[i] for i in f_consts]
            )
            d_carry, d_consts = pull(ct_carry)
            return k - 1, d_carry, [a + b for a, b in zip(ct_consts, d_consts)]

        start = (count, [ct_final[i] for i in f_carry], [jnp.zeros_like(consts[i]) for i in f_consts])
        _, ct_carry, ct_consts = jax.lax.while_loop(lambda s: s[0] > 0, step, start)
        full_carry: list = [None] * len(init)
        full_consts: list = [None] * len(consts)
        for i, v in zip(f_carry, ct_carry):
            full_carry[i] = v
        for i, v in zip(f_consts, ct_consts):
            full_consts[i] = v
        return tuple(full_carry), tuple(full_consts)

    loop.defvjp(forward, backward)
    return loop(init, consts)


def run_loop(
    test: Callable[[list[Tensor]], Any],
    body: Callable[[list[Tensor]], list[Tensor]],
    init: list[Tensor],
    bound: int | None = None,
    limit: Tensor | None = None,
    check: Callable[[list, list], None] | None = None,
) -> list[Tensor]:
    """Stage a while loop over the flat Tensors `init` (see the module docstring).

    Args:
      test: flat values -> a scalar bool Tensor.
      body: flat values -> new flat values (same shapes and dtypes).
      bound: a static maximum number of iterations (`lax.scan` when a tape records).
      limit: a traced maximum number of iterations (an int32 scalar Tensor).
      check: called with the body's input and output avals, to raise TF's errors.

    Returns:
      The final flat values; Variables the body assigned are rebound in the outer trace.
    """
    carried: list[Variable] = []
    while True:  # Variables the body assigns become loop variables too
        in_avals = [aval(t._value) for t in init] + [aval(_outer_value(v)) for v in carried]
        body_staged = stage(body, in_avals, carried, "tf.while_loop")
        if not body_staged.written:
            break
        carried = carried + body_staged.written
    n_state = len(init)
    if check is not None:
        check(in_avals[:n_state], body_staged.out_avals[:n_state])
    cond_staged = stage(test, in_avals, carried, "tf.while_loop")
    captures = _Captures()
    cond_slots = captures.slots(cond_staged)
    body_slots = captures.slots(body_staged)
    dtypes = [a.dtype for a in in_avals]
    n_init = n_state + len(carried)
    counted = bound is not None or limit is not None
    use_scan = bound is not None and limit is None and grad_mode()
    differentiable = grad_mode()

    def cond_fn(carry, consts):
        if counted:
            count, carry = carry
            top = bound if limit is None else consts[-1]
            inner = cond_staged.evaluate([consts[i] for i in cond_slots], carry)[0]
            return jnp.logical_and(count < top, jnp.reshape(inner, ()))
        return jnp.reshape(cond_staged.evaluate([consts[i] for i in cond_slots], carry)[0], ())

    def body_fn(carry, consts):
        if counted:
            count, carry = carry
        outs = body_staged.evaluate([consts[i] for i in body_slots], carry)
        new = tuple(o.astype(d) for o, d in zip(outs, dtypes))
        return (count + 1, new) if counted else new

    def pure(*values):
        carry0 = tuple(v.astype(d) for v, d in zip(values[:n_init], dtypes))
        consts = tuple(values[n_init:])
        if use_scan:

            def step(state, _):
                carry, active = state
                go = jnp.logical_and(active, cond_fn((0, carry), consts))
                carry = jax.lax.cond(go, lambda c: body_fn((0, c), consts)[1], lambda c: c, carry)
                return (carry, go), None

            (final, _), _ = jax.lax.scan(step, (carry0, jnp.asarray(True)), None, length=bound)
            return final
        start = (jnp.int32(0), carry0) if counted else carry0
        if differentiable:
            flat, tree = jax.tree.flatten(start)
            final = _recompute_while(
                lambda c, k: cond_fn(jax.tree.unflatten(tree, c), k),
                lambda c, k: tuple(jax.tree.leaves(body_fn(jax.tree.unflatten(tree, c), k))),
                tuple(flat),
                consts,
            )
            final = jax.tree.unflatten(tree, final)
        else:
            final = jax.lax.while_loop(lambda c: cond_fn(c, consts), lambda c: body_fn(c, consts), start)
        return final[1] if counted else final

    pure.tf_op_name = "While"
    extra = [limit] if limit is not None else []
    outs = dispatch(pure, *init, *[_outer_value(v) for v in carried], *captures.objects, *extra)
    outs = list(outs) if isinstance(outs, tuple) else [outs]
    _commit(carried, outs[n_state:])
    return outs[:n_state]


def dry_run(fn: Callable[[], Any]) -> Any:
    """Run `fn()` once in a throwaway child trace (nothing is recorded or assigned); returns its
    result with Tensors replaced by `jax.ShapeDtypeStruct`s (TF's dry run of a loop body)."""
    outer = _state.trace
    box: list = []

    def traced():
        saved = (_state.trace, _state.tapes)
        _state.trace, _state.tapes = TraceContext(parent=outer), [_CaptureProbe(False)]
        try:
            out = fn()
            box.append(jax.tree.map(lambda t: aval(_raw(t)) if is_leaf(t) else t, out, is_leaf=is_leaf))
        finally:
            _state.trace, _state.tapes = saved
        return 0

    jax.make_jaxpr(traced)()
    return box[0]


def _raw(x: Any) -> Any:
    return x._value if isinstance(x, Tensor) else x._current_value()


def prepare_loop_state(structure: Any, bound: int | None, one_iteration: Callable[[Any], Any]) -> Any:
    """The loop state with traced views of its TensorArrays (dynamic ones grown by `bound`);
    an array first written inside the body gets its buffer from a dry run of one iteration."""
    structure = prepare_for_staging(structure, bound)
    if any(ta._buffer is None for ta in tensor_arrays(structure)):
        dry_run(lambda: one_iteration(structure))
        allocate_pending(structure)
    return structure


def loop_result(tree: Any, final: list) -> Any:
    """The loop state after a staged loop, from its flat results (counting what run-time-bounded
    loops added to dynamic TensorArrays)."""
    structure = jax.tree.unflatten(tree, final)
    observe_loop_results(structure)
    return structure


def canonical(x: Any) -> Any:
    """Lists as tuples (TF compares loop structures without checking sequence types)."""
    if isinstance(x, (list, tuple)) and not hasattr(x, "_fields"):
        return tuple(canonical(v) for v in x)
    if isinstance(x, dict):
        return {k: canonical(v) for k, v in x.items()}
    return x


def same_structure(a: Any, b: Any) -> bool:
    return jax.tree.structure(canonical(a), is_leaf=is_leaf) == jax.tree.structure(canonical(b), is_leaf=is_leaf)
