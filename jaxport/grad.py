"""`tf.GradientTape`: reverse-mode autodiff over recorded ops, built on `jax.vjp`.

While a tape is active, `eager.dispatch` hands it every op that reads a watched Tensor or
Variable, as a node (inputs, outputs, vjp_fn). `gradient` walks the nodes in reverse and
applies each node's `vjp_fn` to the output cotangents, like micrograd's backward walk,
with JAX computing each op's local vector-Jacobian product. Inside a `function` trace the
same walk runs on tracers, so XLA receives one forward+backward program.
"""

from __future__ import annotations

import enum
import warnings
from typing import Any

import jax
import jax.numpy as jnp

from jaxport.context import state as _state
from jaxport.eager import Tensor, dispatch
from jaxport.variables import Variable

__all__ = ["GradientTape", "UnconnectedGradients", "stop_gradient"]


class UnconnectedGradients(enum.Enum):
    """`tf.UnconnectedGradients`: what `gradient` returns for a source the target ignores."""

    NONE = "none"
    ZERO = "zero"


class _Node:
    __slots__ = ("fn", "static", "input_ids", "inputs", "values", "outputs", "multi", "vjp_fn")

    def __init__(self, fn, static, inputs, values, outputs, vjp_fn):
        self.fn = fn
        self.static = static
        self.inputs = inputs
        self.input_ids = tuple(id(a) for a in inputs)
        self.values = values
        self.multi = isinstance(outputs, tuple)
        self.outputs = outputs if self.multi else (outputs,)
        self.vjp_fn = vjp_fn


def _apply_vjp(vjp_fn, cotangent):
    return vjp_fn(cotangent)


# Eagerly, a node's backward runs as one compiled call (the vjp_fn is a pytree of residuals).
_apply_vjp_jit = jax.jit(_apply_vjp)


def _is_differentiable(dtype: Any) -> bool:
    return jnp.issubdtype(dtype, jnp.inexact)


class GradientTape:
    """Record operations for automatic differentiation (`tf.GradientTape`).

    Args:
      persistent: allow several `gradient` calls; otherwise the second raises RuntimeError.
      watch_accessed_variables: watch every trainable Variable read while recording.
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = bool(persistent)
        self._watch_accessed = bool(watch_accessed_variables)
        self._recording = False
        self._used = False
        self._nodes: list[_Node] = []
        self._watched: dict[int, Any] = {}  # id -> Tensor/Variable watched or produced
        self._variables: dict[int, Variable] = {}  # watched Variables, in watch order

    # -- context --------------------------------------------------------------------------
    def __enter__(self) -> GradientTape:
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to re-enter an already-active tape.")
        self._recording = True
        _state.tapes.append(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop()

    def _stop(self) -> None:
        if self._recording:
            self._recording = False
            tapes = _state.tapes
            if self in tapes:
                tapes.remove(self)

    # -- watching -------------------------------------------------------------------------
    def watch(self, tensor: Any) -> None:
        """Watch a Tensor or Variable (or a nested structure of them)."""
        for item in jax.tree.leaves(tensor, is_leaf=lambda x: isinstance(x, (Tensor, Variable))):
            if isinstance(item, Variable):
                self._watch_variable(item)
            elif isinstance(item, Tensor):
                if _is_differentiable(item._value.dtype):
                    self._watched[id(item)] = item
                else:
                    warnings.warn(
                        f"The dtype of the watched tensor must be floating (e.g. tf.float32), got {item.dtype!r}",
                        stacklevel=2,
                    )
            else:
                raise ValueError(
                    f"Passed in object {item!r} of type {type(item).__name__!r}, not tf.Tensor "
                    "or tf.Variable or ExtensionType."
                )

    def _watch_variable(self, var: Variable) -> None:
        key = id(var)
        if key not in self._variables:
            self._variables[key] = var
            self._watched[key] = var

    def _on_variable_read(self, var: Variable) -> None:
        if self._recording and self._watch_accessed and var.trainable:
            self._watch_variable(var)

    def _watches_any(self, args: tuple) -> bool:
        watched = self._watched
        for arg in args:
            if id(arg) in watched:
                return True
        return False

    def _record(self, fn, static, inputs, values, outputs, vjp_fn) -> None:
        self._nodes.append(_Node(fn, static, inputs, values, outputs, vjp_fn))
        if isinstance(outputs, tuple):
            for out in outputs:
                self._watched[id(out)] = out
        else:
            self._watched[id(outputs)] = outputs

    def watched_variables(self) -> tuple[Variable, ...]:
        """The Variables this tape watches, in the order it started watching them."""
        return tuple(self._variables.values())

    def stop_recording(self):
        """A context manager that pauses recording on this tape."""
        tape = self

        class _Pause:
            def __enter__(self_inner):
                if not tape._recording:
                    raise ValueError("Tape must be recording when stop_recording is called")
                tape._stop()

            def __exit__(self_inner, *exc):
                tape._recording = True
                _state.tapes.append(tape)

        return _Pause()

    def reset(self) -> None:
        """Forget everything recorded so far (the tape keeps recording if it was)."""
        self._nodes.clear()
        self._watched.clear()
        self._variables.clear()

    # -- gradients -----------------------------------------------------------------------
    def gradient(
        self,
        target: Any,
        sources: Any,
        output_gradients: Any = None,
        unconnected_gradients: UnconnectedGradients | str = UnconnectedGradients.NONE,
    ) -> Any:
        """d(sum of targets)/d(sources), with `sources`' nesting; None for unconnected sources.

        Args:
          target: a Tensor or nested structure of Tensors (their gradients are summed).
          sources: a Tensor/Variable or nested structure of them.
          output_gradients: cotangents for `target` (default ones).
          unconnected_gradients: 'none' gives None, 'zero' gives zeros.

        Raises:
          RuntimeError: a non-persistent tape asked a second time.
        """
        if self._used and not self._persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
            )
        if self._recording:
            if not self._persistent:
                self._stop()
            else:
                warnings.warn(
                    "Calling GradientTape.gradient on a persistent tape inside its context is "
                    "significantly less efficient than calling it outside the context (it causes "
                    "the gradient ops to be recorded on the tape, leading to increased CPU and "
                    "memory usage). Only call GradientTape.gradient inside the context if you "
                    "actually want to trace the gradient in order to compute higher order "
                    "derivatives.",
                    stacklevel=2,
                )
        unconnected = UnconnectedGradients(unconnected_gradients)
        is_leaf = lambda x: isinstance(x, (Tensor, Variable)) or x is None  # noqa: E731
        target_leaves = jax.tree.leaves(target, is_leaf=is_leaf)
        source_leaves, source_tree = jax.tree.flatten(sources, is_leaf=is_leaf)
        for src in source_leaves:
            if not isinstance(src, (Tensor, Variable)):
                raise ValueError(
                    f"`sources` must be Tensors or Variables; received {src!r} of type {type(src).__name__}."
                )
        for tgt in target_leaves:
            if tgt is None or not isinstance(tgt, (Tensor, Variable)):
                raise TypeError(
                    "Argument `target` should be a list or nested structure of Tensors, Variables or "
                    f"CompositeTensors to be differentiated, but received {tgt!r}."
                )
        if output_gradients is not None:
            out_grads = jax.tree.leaves(output_gradients, is_leaf=is_leaf)
            if len(out_grads) != len(target_leaves):
                raise ValueError(
                    f"`output_gradients` must match the structure of `target`: got "
                    f"{len(out_grads)} gradients for {len(target_leaves)} targets."
                )
        else:
            out_grads = [None] * len(target_leaves)

        cotangents: dict[int, Any] = {}
        for tgt, og in zip(target_leaves, out_grads):
            value = tgt._current_value() if isinstance(tgt, Variable) else tgt._value
            if not _is_differentiable(value.dtype):
                continue
            ct = jnp.ones_like(value) if og is None else jnp.asarray(og, dtype=value.dtype)
            key = id(tgt)
            cotangents[key] = ct if key not in cotangents else cotangents[key] + ct

        self._backward(cotangents)

        results = []
        for src in source_leaves:
            value = src._current_value() if isinstance(src, Variable) else src._value
            if not _is_differentiable(value.dtype):
                results.append(None)
                continue
            grad = cotangents.get(id(src))
            if grad is None:
                results.append(Tensor(jnp.zeros_like(value)) if unconnected is UnconnectedGradients.ZERO else None)
            else:
                results.append(Tensor(grad))
        if not self._persistent:
            self._used = True
            self._release()
        return jax.tree.unflatten(source_tree, results)

    def _backward(self, cotangents: dict[int, Any]) -> None:
        apply_vjp = _apply_vjp if _state.trace is not None else _apply_vjp_jit
        for node in reversed(self._nodes):
            outs = node.outputs
            cts = [cotangents.get(id(o)) for o in outs]
            if all(c is None for c in cts):
                continue
            cts = [jnp.zeros_like(o._value) if c is None else c for o, c in zip(outs, cts)]
            input_cts = apply_vjp(node.vjp_fn, tuple(cts) if node.multi else cts[0])
            for key, value, g in zip(node.input_ids, node.values, input_cts):
                if g is None or getattr(g, "dtype", None) == jax.dtypes.float0:
                    continue
                if not _is_differentiable(value.dtype):
                    continue
                prev = cotangents.get(key)
                cotangents[key] = g if prev is None else prev + g

    def _release(self) -> None:
        self._nodes = []
        self._watched = {}

    def __del__(self) -> None:
        try:
            self._stop()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


def _stop_gradient(x):
    return jax.lax.stop_gradient(x)


_stop_gradient.tf_op_name = "StopGradient"


def stop_gradient(input: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """`tf.stop_gradient`: the same value, with no gradient flowing back through it."""
    from jaxport.eager import convert_to_tensor

    if not isinstance(input, (Tensor, Variable)):
        input = convert_to_tensor(input)
    return dispatch(_stop_gradient, input)
