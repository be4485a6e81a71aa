"""TF's functional control flow: `tf.cond`, `tf.case`, `tf.switch_case`, `tf.while_loop`
(and `tf.TensorArray`, from `jaxport.autograph.tensor_array`).

Eagerly (no `function` trace), or with a Python predicate, these run as Python control flow
on concrete values, as TF eager does, so GradientTapes record the ops that ran. While a
`function` is traced and the predicate (or loop variables) are traced Tensors, they lower to
`jax.lax.switch` / `lax.while_loop` / `lax.scan` through `jaxport.autograph.staging`: each branch or
body is traced once, Variables assigned inside are carried through the lax primitive and
rebound afterwards, and a GradientTape in the function differentiates through them (a loop
with a static `maximum_iterations` as a masked `lax.scan`). Structure, dtype and shape
mismatches raise TF's error types.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from jaxport import errors
from jaxport.autograph.staging import (
    canonical,
    describe,
    flatten,
    is_leaf,
    is_traced,
    loop_result,
    prepare_loop_state,
    run_branches,
    run_loop,
    same_structure,
    true_first,
)
from jaxport.autograph.tensor_array import TensorArray
from jaxport.context import state as _state
from jaxport.eager import Tensor, convert_to_tensor, to_raw
from jaxport.variables import Variable

__all__ = ["cond", "case", "switch_case", "while_loop", "TensorArray"]


# -- cond / case / switch_case ----------------------------------------------------------------


def _check_callable(fn: Any, name: str) -> None:
    if not callable(fn):
        raise TypeError(f"'{name}' must be callable.")


def _scalar_pred(pred: Tensor, op: str) -> Tensor:
    if pred.dtype.name != "bool":
        raise errors.InvalidArgumentError(
            None, None, f"Input 'pred' passed {pred.dtype.name} expected bool while building {op}"
        )
    if pred.shape.rank != 0:
        if int(np.prod(pred.shape.as_list())) != 1:
            raise ValueError(f"Shape must be rank 0 but is rank {pred.shape.rank} for the predicate of {op}.")
        pred = Tensor(pred._value.reshape(()))
    return pred


def cond(pred: Any, true_fn: Callable | None = None, false_fn: Callable | None = None, name: str | None = None) -> Any:
    """`tf.cond`: `true_fn()` if `pred` else `false_fn()`.

    Eagerly (or with a Python bool) the branch runs as Python. Inside a traced `function`
    with a Tensor predicate both branches are traced and `lax.switch` picks one; they must
    return the same structure and dtypes (TF's TypeError otherwise). Variables assigned in a
    branch are assigned after the cond, with the value of the branch taken.
    """
    _check_callable(true_fn, "true_fn")
    _check_callable(false_fn, "false_fn")
    if not is_traced(pred):
        return true_fn() if pred else false_fn()
    pred = _scalar_pred(convert_to_tensor(pred), "tf.cond")
    return run_branches(true_first(pred), [true_fn, false_fn], ["true_fn", "false_fn"], "tf.cond")


def case(
    pred_fn_pairs: Any,
    default: Callable | None = None,
    exclusive: bool = False,
    strict: bool = False,
    name: str = "case",
) -> Any:
    """`tf.case`: the function of the first pair whose predicate is true, else `default()`.

    Eagerly with no true predicate and no default: InvalidArgumentError, as TF. While traced,
    TF asserts at run time; XLA cannot, so the last function is used then (TF's default).
    `exclusive` is accepted (checked eagerly only by TF's graph runtime; not checked here).
    """
    if isinstance(pred_fn_pairs, dict):
        pred_fn_pairs = list(pred_fn_pairs.items())
    if not isinstance(pred_fn_pairs, (list, tuple)):
        raise TypeError(f"pred_fn_pairs must be a list or tuple; received {pred_fn_pairs!r}.")
    for pair in pred_fn_pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in pred_fn_pairs must be a 2-tuple; received {pair!r}.")
        _check_callable(pair[1], "fn")
    if default is not None:
        _check_callable(default, "default")
    preds = [p for p, _ in pred_fn_pairs]
    fns = [f for _, f in pred_fn_pairs]
    if not any(is_traced(p) for p in preds):
        for p, f in zip(preds, fns):
            if p:
                return f()
        if default is not None:
            return default()
        raise errors.InvalidArgumentError(
            None, None, f"Input error: None of conditions evaluated as True: {[bool(p) for p in preds]}"
        )
    if default is None:
        default, fns = fns[-1], fns[:-1]
        preds = preds[:-1]
    raw = [jnp.reshape(_scalar_pred(convert_to_tensor(p), "tf.case")._value, ()) for p in preds]
    if raw:
        stacked = jnp.stack(raw)
        index = jnp.where(jnp.any(stacked), jnp.argmax(stacked), len(raw)).astype(jnp.int32)
    else:
        index = jnp.asarray(0, jnp.int32)
    names = [f"branches[{i}]" for i in range(len(fns) + 1)]
    return run_branches(Tensor(index), list(fns) + [default], names, "tf.case")


def switch_case(branch_index: Any, branch_fns: Any, default: Callable | None = None, name: str = "switch_case") -> Any:
    """`tf.switch_case`: `branch_fns[branch_index]()`; an index out of range runs `default`
    (or the last branch when there is none), as TF does.

    `branch_fns` is a list of callables, of `(index, callable)` pairs, or a dict; the indices
    must be 0..N-1.
    """
    if isinstance(branch_fns, dict):
        branch_fns = list(branch_fns.items())
    if not isinstance(branch_fns, (list, tuple)) or not branch_fns:
        raise TypeError("'branch_fns' must be a non-empty list, tuple or dict of callables.")
    if all(isinstance(b, tuple) and len(b) == 2 for b in branch_fns):
        keys = sorted(k for k, _ in branch_fns)
        if keys != list(range(len(branch_fns))):
            found = "{" + ",".join(str(k) for k in keys) + "}"
            raise ValueError(
                f"branch indices (keys) must form contiguous range of [0 to {len(branch_fns)}) but found {found}"
            )
        branch_fns = [f for _, f in sorted(branch_fns, key=lambda kv: kv[0])]
    for fn in branch_fns:
        _check_callable(fn, "branch_fns")
    if not isinstance(branch_index, (Tensor, Variable)):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    if not branch_index.dtype.is_integer:
        raise TypeError(f"'branch_index' must be an integer Tensor, got {branch_index.dtype!r}")
    fns = list(branch_fns) + ([default] if default is not None else [])
    n = len(branch_fns)
    if not is_traced(branch_index):
        i = int(branch_index)
        return branch_fns[i]() if 0 <= i < n else fns[-1]()
    raw = jnp.reshape(to_raw(branch_index), ()).astype(jnp.int32)
    index = jnp.where((raw >= 0) & (raw < n), raw, len(fns) - 1)
    names = [f"branches[{i}]" for i in range(len(fns))]
    return run_branches(Tensor(index), fns, names, "tf.switch_case")


# -- while_loop ---------------------------------------------------------------------------


def _loop_check(names: list[str]) -> Callable[[list, list], None]:
    def check(before: list, after: list) -> None:
        for name, a, b in zip(names, before, after):
            if a.dtype != b.dtype:
                raise TypeError(
                    f"Loop var {name} enters the loop with type {a.dtype} but has type {b.dtype} after 1 iteration. "
                    f"{name} type should remain constant."
                )
            if tuple(a.shape) != tuple(b.shape):
                raise ValueError(
                    f"Input tensor `{name}` enters the loop with shape {tuple(a.shape)}, but has shape "
                    f"{tuple(b.shape)} after one iteration. To allow the shape to vary across iterations, use the "
                    "`shape_invariants` argument of tf.while_loop to specify a less-specific shape. (XLA, and so "
                    "jaxport, needs loop variables of a fixed shape.)"
                )

    return check


def _check_loop_vars(loop_vars: Any) -> None:
    if isinstance(loop_vars, (list, tuple, dict)):
        if not loop_vars:
            raise ValueError("'loop_vars' must be provided.")
        return
    if loop_vars is None:
        raise ValueError("'loop_vars' must be provided.")
    if is_traced(loop_vars):
        raise TypeError(f"len is not well defined for a symbolic Tensor ({loop_vars!r}).")
    if not loop_vars:
        raise ValueError("'loop_vars' must be provided.")
    raise TypeError(f"object of type '{type(loop_vars).__name__}' has no len()")


def while_loop(
    cond: Callable,
    body: Callable,
    loop_vars: Any,
    shape_invariants: Any = None,
    parallel_iterations: int = 10,
    back_prop: bool = True,
    swap_memory: bool = False,
    maximum_iterations: Any = None,
    name: str | None = None,
) -> Any:
    """`tf.while_loop`: `while cond(*vars): vars = body(*vars)`; returns the final `loop_vars`
    (a list or tuple, same structure; Python numbers become Tensors).

    Eagerly it is a Python loop. Traced, it is `lax.while_loop` (or `lax.scan` over a static
    `maximum_iterations` when a GradientTape records); loop variables must keep their
    structure, dtypes and shapes (TF's ValueError / TypeError otherwise).
    """
    _check_callable(cond, "cond")
    _check_callable(body, "body")
    _check_loop_vars(loop_vars)
    if maximum_iterations is not None and not is_traced(maximum_iterations):
        maximum_iterations = int(maximum_iterations)
        if maximum_iterations < 0:
            raise ValueError(f"'maximum_iterations' must be non-negative; received {maximum_iterations}.")

    def call_body(vars_: Any) -> Any:
        out = body(*vars_)
        if len(vars_) == 1 and not isinstance(out, (list, tuple)):
            out = type(vars_)([out])  # TF packs a lone output of a one-variable loop
        if not same_structure(vars_, out):
            raise ValueError(
                "The two structures don't have the same nested structure.\n\nFirst structure: "
                f"{describe(vars_)}\n\nSecond structure: {describe(out)}"
            )
        leaves = jax.tree.leaves(canonical(out), is_leaf=is_leaf)
        return jax.tree.unflatten(jax.tree.structure(vars_, is_leaf=is_leaf), leaves)

    def converted(structure: Any) -> Any:
        leaves, tree = flatten(structure, "tf.while_loop")
        return jax.tree.unflatten(tree, leaves)

    vars_ = converted(loop_vars)
    leaves = flatten(vars_, "tf.while_loop")[0]
    traced = _state.trace is not None and (any(is_traced(t) for t in leaves) or is_traced(maximum_iterations))
    if not traced:
        count = 0
        while (maximum_iterations is None or count < int(maximum_iterations)) and cond(*vars_):
            vars_ = converted(call_body(vars_))
            count += 1
        return vars_

    limit = maximum_iterations if is_traced(maximum_iterations) else None
    bound = maximum_iterations if limit is None else None
    if limit is not None:
        limit = Tensor(jnp.reshape(to_raw(limit), ()).astype(jnp.int32))
    vars_ = prepare_loop_state(vars_, bound, lambda v: body(*v))
    leaves, tree = flatten(vars_, "tf.while_loop")

    def flat_test(flat: list[Tensor]) -> Tensor:
        result = cond(*jax.tree.unflatten(tree, flat))
        return _scalar_pred(convert_to_tensor(result), "tf.while_loop")

    def flat_body(flat: list[Tensor]) -> list[Tensor]:
        return flatten(call_body(jax.tree.unflatten(tree, flat)), "tf.while_loop")[0]

    names = [f"loop_vars[{i}]" for i in range(len(leaves))]
    final = run_loop(flat_test, flat_body, leaves, bound=bound, limit=limit, check=_loop_check(names))
    return loop_result(tree, final)
