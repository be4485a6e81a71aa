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
from jaxport.eager import Tensor
from jaxport.grad import _is_leaf, _Node, _value_of
from jaxport.variables import Variable

__all__ = ["custom_gradient"]


class _VariableProbe:
    """Stands in the tape list while a custom_gradient function runs: records nothing,
    notes the Variables it reads (TF passes those to `grad_fn(variables=...)`)."""

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

    If `f` reads trainable Variables, `grad_fn` must accept `variables=` and return
    `(input_grads, variable_grads)`, as in TF.
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args: Any, **kwargs: Any) -> Any:
        probe = _VariableProbe()
        saved = _state.tapes
        _state.tapes = [probe]  # the forward pass of f is not recorded
        try:
            result, grad_fn = f(*args, **kwargs)
        finally:
            _state.tapes = saved
        inputs = [a for a in jax.tree.leaves((args, kwargs), is_leaf=_is_leaf) if isinstance(a, (Tensor, Variable))]
        input_ids = {id(a) for a in inputs}
        variables = [v for v in probe.variables.values() if id(v) not in input_ids]
        takes_variables = _accepts_variables(grad_fn)
        if variables and not takes_variables:
            raise TypeError(
                "If using @custom_gradient with a function that uses variables, then grad_fn must accept a "
                "keyword argument 'variables'."
            )
        outputs = [o for o in jax.tree.leaves(result, is_leaf=_is_leaf) if isinstance(o, Tensor)]
        tapes = [t for t in saved if t._recording]
        for var in variables + [a for a in inputs if isinstance(a, Variable)]:
            for tape in tapes:
                tape._on_variable_read(var)  # read inside f: auto-watched as in TF
        watching = [t for t in tapes if t._watches_any(tuple(inputs) + tuple(variables))]
        if not watching or not outputs:
            return result
        n_inputs = len(inputs)

        def backward(cotangents: list) -> list:
            dy = [c if isinstance(c, Tensor) else Tensor(c) for c in cotangents]
            if takes_variables:
                grads = grad_fn(*dy, variables=variables)
                input_grads, var_grads = grads
            else:
                input_grads, var_grads = grad_fn(*dy), []
            input_grads = list(input_grads) if isinstance(input_grads, (list, tuple)) else [input_grads]
            if len(input_grads) != n_inputs:
                raise ValueError(
                    f"custom_gradient function expected to return {n_inputs} gradients, but returned "
                    f"{len(input_grads)} instead."
                )
            return input_grads + list(var_grads or [])

        all_inputs = tuple(inputs) + tuple(variables)
        values = [_value_of(x) for x in all_inputs]
        node = _Node(None, (), all_inputs, values, tuple(outputs), None, custom=backward)
        node.multi = len(outputs) > 1
        for tape in watching:
            tape._record_node(node)
        return result

    return decorated


def _accepts_variables(fn: Any) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return "variables" in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
