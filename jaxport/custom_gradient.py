"""`tf.custom_gradient`: a function whose gradient you write, recorded on tapes as one node.

The forward pass of the decorated function runs with recording paused; the tapes watching
its inputs get one node whose pullback calls your `grad_fn`. JAX's counterpart is
`jax.custom_vjp`. Higher-order gradients work when `grad_fn` uses TF ops (they are recorded).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

import jax

from jaxport.context import state as _state
from jaxport.eager import Tensor, convert_to_tensor
from jaxport.grad import _Node
from jaxport.grad_arguments import is_leaf, value_of
from jaxport.variables import Variable

__all__ = ["custom_gradient"]


class _VariableWatcher:
    """Sits in the tape list while a custom_gradient function runs (TF's VariableWatcher):
    records nothing itself, notes the trainable Variables the function reads (TF passes those
    to `grad_fn(variables=...)`). The tapes around it keep recording the forward pass, as in
    TF, so a `grad_fn` that uses the forward's tensors can be differentiated again."""

    _recording = False

    def __init__(self) -> None:
        self.variables: dict[int, Variable] = {}

    def _on_variable_read(self, var: Variable) -> None:
        if var.trainable:
            self.variables.setdefault(id(var), var)

    def _watches_any(self, args: tuple) -> bool:
        return False


def custom_gradient(f: Any = None) -> Any:
    """`tf.custom_gradient`: `f(*x)` returns `(y, grad_fn)`; tapes use `grad_fn(*dy)` as the
    gradient of `y` with respect to `x` (JAX's counterpart: `jax.custom_vjp`).

    As TF's eager decorator: `y` comes back as new tensors (identities) whose only recorded
    producer is this function, so gradients reach `x` only through `grad_fn`. `grad_fn`
    returns one gradient per argument of `f` (None for no gradient). If `f` reads trainable
    Variables that are not arguments, `grad_fn` must accept `variables=` and return
    `(input_grads, variable_grads)` with one gradient per variable.

    Raises:
      TypeError: `f` reads Variables but `grad_fn` does not take `variables`.
      ValueError: (when the gradient runs) `grad_fn` returned the wrong number of gradients.
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args: Any, **kwargs: Any) -> Any:
        if kwargs and _state.trace is not None:  # TF's graph-mode decorator
            raise ValueError(
                "The custom_gradient decorator currently supports keywords arguments only when eager "
                "execution is enabled."
            )
        watcher = _VariableWatcher()
        tapes = _state.tapes
        tapes.append(watcher)
        try:
            result, grad_fn = f(*args, **kwargs)
        finally:
            tapes.remove(watcher)
        flat_args = [_as_input(a) for a in jax.tree.leaves(args, is_leaf=is_leaf)]
        all_inputs = flat_args + [a for a in jax.tree.leaves(kwargs, is_leaf=is_leaf)]
        input_ids = {id(a) for a in all_inputs}
        variables = [v for v in watcher.variables.values() if id(v) not in input_ids]
        if variables and not _accepts_variables(grad_fn):
            raise TypeError(
                "@tf.custom_gradient grad_fn must accept keyword argument 'variables', since function uses "
                f"variables: {variables}"
            )
        flat_result, result_tree = jax.tree.flatten(result, is_leaf=is_leaf)
        outputs = [Tensor(value_of(o)) if isinstance(o, (Tensor, Variable)) else o for o in flat_result]
        result = jax.tree.unflatten(result_tree, outputs)
        recording = [t for t in _state.tapes if t._recording]
        for var in variables + [a for a in flat_args if isinstance(a, Variable)]:
            for tape in recording:
                tape._on_variable_read(var)  # read by f, or converted as an input: auto-watched, as in TF
        recorded_inputs = tuple(flat_args) + tuple(variables)
        watching = [t for t in recording if t._watches_any(recorded_inputs)]
        tensor_outputs = tuple(o for o in outputs if isinstance(o, Tensor))
        if not watching or not tensor_outputs:
            return result
        arg_count = len(flat_args)

        def backward(cotangents: list) -> list:
            dy = [c if isinstance(c, Tensor) else Tensor(c) for c in cotangents]
            if variables:
                input_grads, variable_grads = grad_fn(*dy, variables=variables)
                variable_grads = list(variable_grads)
                if len(variable_grads) != len(variables):
                    raise ValueError("Must return gradient for each variable from @custom_gradient grad_fn.")
            else:
                input_grads, variable_grads = grad_fn(*dy), []
            flat_grads = jax.tree.leaves(input_grads, is_leaf=is_leaf)
            if len(flat_grads) != arg_count:
                raise ValueError(
                    f"custom_gradient function expected to return {arg_count} gradients, but returned "
                    f"{len(flat_grads)} instead."
                )
            return flat_grads + variable_grads

        values = [None if x is None else value_of(x) for x in recorded_inputs]
        node = _Node(None, (), recorded_inputs, values, tensor_outputs, None, custom=backward)
        node.multi = len(tensor_outputs) > 1
        for tape in watching:
            tape._record_node(node)
        return result

    return decorated


def _as_input(x: Any) -> Any:
    """An argument of the decorated function as a node input (numbers become constants)."""
    if isinstance(x, (Tensor, Variable)) or x is None:
        return x
    return convert_to_tensor(x)


def _accepts_variables(fn: Any) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return "variables" in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
