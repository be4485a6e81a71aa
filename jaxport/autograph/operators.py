"""AutoGraph's operators: what the code `jaxport.autograph` generates calls (`ag__.if_stmt`,
`ag__.while_stmt`, `ag__.for_stmt`, `ag__.and_`, ...), and the builtins TF overloads in
converted code (`range`, `int`, `float`, `max`, `min`).

When the condition or the iterable is a traced Tensor, each operator stages
`jaxport.autograph.staging` (lax.switch / lax.while_loop / lax.scan, with Variables carried);
otherwise it runs plain Python. The checks raise TF's errors with TF's messages (from TF's
`autograph/operators/control_flow.py`).
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np
from malt.operators.variables import Undefined, UndefinedReturnValue

from jaxport.autograph import staging
from jaxport.autograph.staging import flatten, is_traced
from jaxport.context import state as _state
from jaxport.eager import Tensor, convert_to_tensor, dispatch
from jaxport.ops import math_ops

__all__ = ["OPERATORS", "BUILTINS", "is_tf_range", "tf_range_in_converted_code"]


# -- builtins TF overloads ----------------------------------------------------------------------


class _RangeTensor(Tensor):
    """`tf.range` with static bounds inside a trace: a constant Tensor that `for` loops over
    as a staged loop (TF iterates a range tensor with a while loop, not unrolled)."""

    __slots__ = ("bounds",)


class _DynamicRange:
    """`tf.range` (or `range`) with symbolic bounds: only usable as a `for` loop's iterable."""

    def __init__(self, start: Tensor, limit: Tensor, delta: Tensor):
        self.start, self.limit, self.delta = start, limit, delta

    def __jax_array__(self) -> Any:
        raise TypeError("tf.range needs `start`, `limit` and `delta` known when it runs (a static size).")


def is_tf_range(f: Any) -> bool:
    return getattr(f, "__name__", None) == "range" and getattr(f, "__module__", "").startswith("jaxport.")


def tf_range_in_converted_code(
    tf_range: Callable, start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None, name: str = ""
) -> Any:
    """`tf.range` inside converted code: a `_RangeTensor` for static bounds, a `_DynamicRange`
    for symbolic ones (both become staged loops in `for_stmt`)."""
    if _state.trace is None:
        return tf_range(start, limit, delta, dtype=dtype)
    if not any(is_traced(a) for a in (start, limit, delta)):
        with jax.ensure_compile_time_eval():
            out = tf_range(start, limit, delta, dtype=dtype)
        result = _RangeTensor(out._value)
        lo, hi = (0, start) if limit is None else (start, limit)
        result.bounds = (lo, hi, delta)
        return result
    if limit is None:
        start, limit = 0, start
    values = [convert_to_tensor(v) for v in (start, limit, delta)]
    if dtype is None:  # TF's widest of the inputs: int32 < int64 < floats
        names = [v.dtype.name for v in values]
        dtype = next((n for n in ("float64", "float32", "int64") if n in names), "int32")
    return _DynamicRange(*[math_ops.cast(v, dtype) for v in values])


def _py_range(*args: Any) -> Any:
    if any(isinstance(a, Tensor) for a in args):
        import jaxport

        return tf_range_in_converted_code(jaxport.range, *args)
    return range(*args)


def _int(x: Any = 0, *args: Any) -> Any:
    return math_ops.cast(x, "int32") if is_traced(x) else int(x, *args)


def _float(x: Any = 0.0) -> Any:
    return math_ops.cast(x, "float32") if is_traced(x) else float(x)


def _minmax(python: Callable, reduce_name: str, pair_name: str) -> Callable:
    def overload(*args: Any, **kwargs: Any) -> Any:
        if not any(is_traced(a) for a in args):
            return python(*args, **kwargs)
        from jaxport.ops import reduction_ops

        if len(args) == 1:
            return getattr(reduction_ops, reduce_name)(args[0])
        out = args[0]
        for a in args[1:]:
            out = getattr(math_ops, pair_name)(out, a)
        return out

    return overload


BUILTINS: dict[str, Callable] = {
    "range": _py_range,
    "int": _int,
    "float": _float,
    "max": _minmax(max, "reduce_max", "maximum"),
    "min": _minmax(min, "reduce_min", "minimum"),
}


# -- checks (TF's messages) ------------------------------------------------------------------


def _is_none_or_undef(value: Any) -> bool:
    return value is None or isinstance(value, (Undefined, UndefinedReturnValue))


def _verify_condition(cond: Any, tag: str) -> Tensor:
    cond = convert_to_tensor(cond)
    hint = "to check for None, use `is not None`"
    if cond.dtype.name != "bool":
        raise ValueError(
            f"condition of {tag} expected to be `tf.bool` scalar, got {cond}; to use as boolean Tensor, use "
            f"`tf.cast`; {hint}"
        )
    if cond.shape.rank:
        if int(np.prod(cond.shape.as_list())) > 1:
            raise ValueError(f"condition of {tag} expected to be `tf.bool` scalar, got {cond}; {hint}")
        cond = Tensor(jnp.reshape(cond._value, ()))
    return cond


def _verify_branch_vars(values: tuple, names: tuple, branch: str) -> None:
    for name, value in zip(names, values):
        if isinstance(value, Undefined):
            raise ValueError(f"'{name}' must also be initialized in the {branch} branch")
        if isinstance(value, UndefinedReturnValue):
            raise ValueError(f"the {branch} branch must also have a return statement.")
        if value is None:
            raise ValueError(f"'{name}' is None at the end of the {branch} branch.")


def _if_checker(names: tuple) -> Callable:
    def check(staged: list) -> None:
        body, orelse = staged[0].outputs, staged[1].outputs
        for name, b, o in zip(names, body, orelse):
            if jax.tree.structure(b, is_leaf=staging.is_leaf) != jax.tree.structure(o, is_leaf=staging.is_leaf):
                raise TypeError(f"'{name}' must have the same nested structure in the main and else branches")
            for bl, ol in zip(flatten(b, "an if statement")[0], flatten(o, "an if statement")[0]):
                if bl.dtype != ol.dtype:
                    raise TypeError(
                        f"'{name}' has dtype {bl.dtype.name} in the main branch, but dtype {ol.dtype.name} in the "
                        "else branch"
                    )
        staging.check_same_outputs(staged, ["main", "else"], "an if statement")

    return check


def _loop_checker(names: list[str]) -> Callable[[list, list], None]:
    def check(before: list, after: list) -> None:
        for name, a, b in zip(names, before, after):
            if a.dtype != b.dtype:
                raise TypeError(
                    f"'{name}' has dtype {jnp.dtype(a.dtype).name} before the loop, but dtype "
                    f"{jnp.dtype(b.dtype).name} after one iteration"
                )
            if tuple(a.shape) != tuple(b.shape):
                raise ValueError(
                    f"'{name}' has shape {tuple(a.shape)} before the loop, but shape {tuple(b.shape)} after one "
                    "iteration. Use tf.autograph.experimental.set_loop_options to set shape invariants."
                )

    return check


# -- operators ------------------------------------------------------------------------------------


def if_stmt(
    cond: Any,
    body: Callable,
    orelse: Callable,
    get_state: Callable,
    set_state: Callable,
    symbol_names: tuple,
    nouts: int,
) -> None:
    """`if cond: body() else: orelse()`; staged with lax.switch when `cond` is a traced Tensor."""
    if not is_traced(cond):
        body() if cond else orelse()
        return
    pred = _verify_condition(cond, "if statement")
    if not nouts:
        prev_get, prev_set = get_state, set_state
        get_state = lambda: (0,) + prev_get()  # noqa: E731
        set_state = lambda v: prev_set(v[1:])  # noqa: E731
        symbol_names += ("<unused dummy>",)
        nouts = 1
    init = get_state()

    def branch(fn: Callable, name: str) -> Callable:
        def run() -> tuple:
            set_state(init)
            fn()
            values = get_state()[:nouts]
            _verify_branch_vars(values, symbol_names, name)
            return tuple(values)

        return run

    outs = staging.run_branches(
        staging.true_first(pred), [branch(body, "main"), branch(orelse, "else")], ["main", "else"], "an if statement",
        _if_checker(symbol_names),
    )  # fmt: skip
    set_state(tuple(outs) + tuple(init[nouts:]))


def if_exp(cond: Any, if_true: Callable, if_false: Callable, expr_repr: str) -> Any:
    """`if_true() if cond else if_false()`."""
    if not is_traced(cond):
        return if_true() if cond else if_false()
    pred = _verify_condition(cond, f"expression {expr_repr}")
    return staging.run_branches(staging.true_first(pred), [if_true, if_false], ["true_fn", "false_fn"], "tf.cond")


def not_(a: Any) -> Any:
    """`not a` (tf.logical_not for a Tensor)."""
    return math_ops.logical_not(a) if is_traced(a) else not a


def and_(a: Callable, b: Callable) -> Any:
    """`a() and b()`, lazily (a staged cond for a Tensor)."""
    value = a()
    if is_traced(value):
        pred = staging.true_first(_verify_condition(value, "and"))
        return staging.run_branches(pred, [b, lambda: value], ["true_fn", "false_fn"], "tf.cond")
    return value and b()


def or_(a: Callable, b: Callable) -> Any:
    """`a() or b()`, lazily (a staged cond for a Tensor)."""
    value = a()
    if is_traced(value):
        pred = staging.true_first(_verify_condition(value, "or"))
        return staging.run_branches(pred, [lambda: value, b], ["true_fn", "false_fn"], "tf.cond")
    return value or b()


def not_eq(a: Any, b: Any) -> Any:
    """`a != b`."""
    return not_(a == b)


def _without_tapes(fn: Callable) -> Any:
    saved = _state.tapes
    _state.tapes = []
    try:
        return fn()
    finally:
        _state.tapes = saved


def while_stmt(
    test: Callable, body: Callable, get_state: Callable, set_state: Callable, symbol_names: tuple, opts: dict
) -> None:
    """`while test(): body()`; a staged loop when the first test is a traced Tensor."""
    if is_traced(_without_tapes(test)):
        _staged_while(test, body, get_state, set_state, symbol_names, opts)
        return
    while True:
        result = test()
        if is_traced(result):
            raise NotImplementedError(
                "The condition of while loop started as non-Tensor, then changed to Tensor. This may happen either "
                "because variables changed type, or when a break or return statement inside the loop depends on a "
                "Tensor condition. In both cases, changing to a TF loop should remove the error."
            )
        if not result:
            return
        body()


def _placeholder(like: Any, original: Any) -> Any:
    if like is None or isinstance(like, (Undefined, UndefinedReturnValue)):
        return original
    if isinstance(like, (bool, int, float)):
        return type(like)(0)
    if isinstance(like, jax.ShapeDtypeStruct):
        return Tensor(jnp.zeros(like.shape, like.dtype))
    if isinstance(like, (list, tuple, dict)):
        return type(like)(
            {k: _placeholder(v, original) for k, v in like.items()}
            if isinstance(like, dict)
            else [_placeholder(v, original) for v in like]
        )
    raise TypeError(f"Found an unsupported type '{type(like).__name__}' while creating placeholder for {like}.")


def _define_undefineds(body: Callable, get_state: Callable, set_state: Callable, init: tuple, names: tuple) -> tuple:
    """TF's best effort for loop variables first defined in the body: run one iteration to
    learn their types, then start them at zeros of those types."""
    nulls = [_is_none_or_undef(v) for v in init]
    failure = None
    first = None
    try:

        def one_iteration() -> Any:
            set_state(tuple(convert_to_tensor(v) if isinstance(v, (bool, int, float)) else v for v in init))
            body()
            return get_state()

        first = staging.dry_run(one_iteration)
    except (UnboundLocalError, TypeError, ValueError, KeyError) as exc:
        failure = f"Note: AutoGraph tried to define it automatically, but ran into a {type(exc).__name__}: {exc}"
    finally:
        set_state(init)
    firsts = first if first is not None else (None,) * len(init)
    values = []
    for name, value, null, fi in zip(names, init, nulls, firsts):
        if null:
            value = _placeholder(fi, value)
        if isinstance(value, UndefinedReturnValue):
            raise NotImplementedError(
                "a return statement cannot be placed inside this TensorFlow loop; this may happen if a return "
                "statement depends on a static Python condition such as a hyperparameter"
            )
        if value is None:
            raise ValueError(f"'{name}' is not allowed to be None before the loop")
        if isinstance(value, Undefined):
            raise ValueError(f"'{name}' must be defined before the loop" + (f"\n{failure}" if failure else ""))
        values.append(value)
    return tuple(values)


def _staged_while(
    test: Callable, body: Callable, get_state: Callable, set_state: Callable, names: tuple, opts: dict
) -> None:
    init = get_state()
    if any(_is_none_or_undef(v) for v in init):
        init = _define_undefineds(body, get_state, set_state, init, names)
    bound = opts.get("maximum_iterations")
    limit = None
    if is_traced(bound):
        limit, bound = Tensor(jnp.reshape(bound._value, ()).astype(jnp.int32)), None
    elif bound is not None:
        bound = int(bound)

    def one_iteration(state: Any) -> Any:
        set_state(state)
        body()
        return get_state()

    state = staging.prepare_loop_state(tuple(init), bound, one_iteration)
    leaves, tree = flatten(state, "a while loop")
    leaf_names = [n for n, v in zip(names, state) for _ in flatten(v, "a while loop")[0]]

    def flat_test(flat: list) -> Tensor:
        set_state(jax.tree.unflatten(tree, flat))
        return _verify_condition(test(), "while loop")

    def flat_body(flat: list) -> list:
        loop_vars = jax.tree.unflatten(tree, flat)
        new = one_iteration(loop_vars)
        for name, before, after in zip(names, loop_vars, new):
            if after is None:
                raise ValueError(f"'{name}' is None at the end of the iteration.")
            if _canonical_tree(before) != _canonical_tree(after):
                raise TypeError(f"'{name}' does not have the same nested structure after one iteration.")
        return flatten(new, "a while loop")[0]

    final = staging.run_loop(flat_test, flat_body, leaves, bound=bound, limit=limit, check=_loop_checker(leaf_names))
    set_state(staging.loop_result(tree, final))


def _canonical_tree(x: Any) -> Any:
    return jax.tree.structure(staging.canonical(x), is_leaf=staging.is_leaf)


def _index0(x, i):
    return jax.lax.dynamic_index_in_dim(x, i, keepdims=False)


_index0.tf_op_name = "TensorListGetItem"


def for_stmt(
    iter_: Any,
    extra_test: Callable | None,
    body: Callable,
    get_state: Callable,
    set_state: Callable,
    symbol_names: tuple,
    opts: dict,
) -> None:
    """`for target in iter_: body(target)`, with `extra_test` from `break`/`return`; a staged
    loop over a traced Tensor (its first axis) or a `tf.range`."""
    if isinstance(iter_, _DynamicRange):
        start, limit, delta = iter_.start, iter_.limit, iter_.delta
        _staged_for(start, None, limit, delta, None, extra_test, body, get_state, set_state, symbol_names, opts)
    elif isinstance(iter_, _RangeTensor):
        lo, hi, step = (np.asarray(v).item() for v in iter_.bounds)
        start = Tensor(jnp.asarray(lo, iter_._value.dtype))
        n = int(iter_.shape[0])
        _staged_for(start, None, hi, step, n, extra_test, body, get_state, set_state, symbol_names, opts)
    elif is_traced(iter_):
        if iter_.shape.rank == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        n = int(iter_.shape[0])
        start = Tensor(jnp.asarray(0, jnp.int32))
        _staged_for(start, iter_, n, 1, n, extra_test, body, get_state, set_state, symbol_names, opts)
    else:
        _python_for(iter_, extra_test, body)


def _python_for(iter_: Any, extra_test: Callable | None, body: Callable) -> None:
    def keep_going() -> bool:
        result = extra_test()
        if is_traced(result):
            raise NotImplementedError(
                "break and return statements which depend on a TF condition are not supported in Python for loops. "
                "Did you intend to make it a TF loop?"
            )
        return bool(result)

    if extra_test is not None and not keep_going():
        return
    for target in iter_:
        body(target)
        if extra_test is not None and not keep_going():
            break


def _staged_for(start, items, limit, delta, n, extra_test, body, get_state, set_state, names, opts) -> None:
    """TF's range / known-length for loop: a while loop over a hidden iterate from `start` by
    `delta` to `limit`; the body gets the iterate, or `items[iterate]` when `items` is given."""
    iterate = start
    iterate_name = opts.get("iterate_names")

    def aug_get_state() -> tuple:
        state = tuple(iterate if name == iterate_name and isinstance(v, Undefined) else v
                      for name, v in zip(names, get_state()))  # fmt: skip
        return (iterate,) + state

    def aug_set_state(values: tuple) -> None:
        nonlocal iterate
        iterate, *rest = values
        set_state(tuple(rest))

    def aug_body() -> None:
        nonlocal iterate
        body(iterate if items is None else dispatch(_index0, items, iterate))
        iterate = iterate + delta

    def aug_test() -> Any:
        if not is_traced(delta):
            main = iterate < limit if delta >= 0 else iterate > limit
        else:
            main = math_ops.logical_or(
                math_ops.logical_and(delta >= 0, iterate < limit), math_ops.logical_and(delta < 0, iterate > limit)
            )
        if extra_test is not None:
            main = math_ops.logical_and(main, extra_test())
        return main

    opts = dict(opts)
    if n is not None:
        opts["maximum_iterations"] = n
    _staged_while(aug_test, aug_body, aug_get_state, aug_set_state, ("<internal iterate>",) + tuple(names), opts)


OPERATORS: dict[str, Any] = {  # the generated code's `ag__` operators (with `converted_call`, autograph.py)
    "if_stmt": if_stmt,
    "if_exp": if_exp,
    "while_stmt": while_stmt,
    "for_stmt": for_stmt,
    "not_": not_,
    "and_": and_,
    "or_": or_,
    "not_eq": not_eq,
}
