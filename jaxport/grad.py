"""`tf.GradientTape`: reverse-mode autodiff over recorded ops, built on `jax.vjp`.

While a tape is active, `eager.dispatch` hands it every op that reads a watched Tensor or
Variable, as a node (inputs, outputs, vjp_fn). `gradient` walks the nodes in reverse and
applies each node's `vjp_fn` to the output cotangents, like micrograd's backward walk,
with JAX computing each op's local vector-Jacobian product. Inside a `function` trace the
same walk runs on tracers, so XLA receives one forward+backward program.
"""

from __future__ import annotations

import warnings
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxport.context import state as _state
from jaxport.eager import Tensor, dispatch
from jaxport.grad_arguments import (
    UnconnectedGradients,
    flatten_sources,
    flatten_target,
    is_leaf,
    output_gradients_for,
    unconnected_mode,
    value_of,
)
from jaxport.variables import Variable

__all__ = ["GradientTape", "UnconnectedGradients", "stop_gradient"]


class _Node:
    """One recorded op: its inputs (Tensors/Variables, by identity), their values, its
    outputs, and how to pull cotangents back (`vjp_fn`, or `custom` for tf.custom_gradient).
    `stops` marks an op TF does not differentiate: its outputs are on the tape, but no
    gradient reaches its inputs through it."""

    __slots__ = ("fn", "static", "input_ids", "inputs", "values", "outputs", "multi", "vjp_fn", "custom", "stops")

    def check_registered(self) -> None:
        """TF's LookupError when a gradient reaches an op TF registers no gradient for."""
        if getattr(self.fn, "tf_gradient_missing", False):
            name = getattr(self.fn, "tf_op_name", None) or self.fn.__name__
            raise LookupError(f"gradient registry has no entry for: {name}")

    def __init__(self, fn, static, inputs, values, outputs, vjp_fn, custom=None):
        self.fn = fn
        self.static = static
        self.inputs = inputs
        self.input_ids = tuple(id(a) for a in inputs)
        self.values = values
        self.multi = isinstance(outputs, tuple)
        self.outputs = outputs if self.multi else (outputs,)
        self.vjp_fn = vjp_fn
        self.custom = custom
        self.stops = custom is None and getattr(fn, "tf_not_differentiable", False)


def _apply_vjp(vjp_fn, cotangent):
    return vjp_fn(cotangent)


# Eagerly, a node's backward runs as one compiled call (the vjp_fn is a pytree of residuals).
_apply_vjp_jit = jax.jit(_apply_vjp)


_DIFFERENTIABLE_DTYPES: dict[Any, bool] = {}


def _is_differentiable(dtype: Any) -> bool:
    """Whether TF's tape follows values of `dtype` (floating and complex: TF's trainable dtypes)."""
    known = _DIFFERENTIABLE_DTYPES.get(dtype)
    if known is None:
        known = _DIFFERENTIABLE_DTYPES[dtype] = bool(jnp.issubdtype(dtype, jnp.inexact))
    return known


def _raw_of(x: Any) -> Any:
    if isinstance(x, Tensor):
        return x._value
    if isinstance(x, Variable):
        return x._current_value()
    return jnp.asarray(x)


def _ones_tensor(value: Any) -> Tensor:
    return Tensor(jnp.ones_like(value))


def _zeros_tensor(value: Any) -> Tensor:
    return Tensor(jnp.zeros_like(value))


def _as_tensor_of(value: Any, dtype: Any) -> Any:
    if isinstance(value, (Tensor, Variable)):
        return value if value.dtype == dtype else Tensor(_raw_of(value).astype(dtype))
    return Tensor(jnp.asarray(value, dtype=dtype))


def _accumulate(cotangents: dict[int, Any], key: int, value: Any, recorded: bool) -> None:
    prev = cotangents.get(key)
    if prev is None:
        cotangents[key] = value
    elif recorded:
        from jaxport.ops import math_ops

        cotangents[key] = math_ops.add(prev, value)
    else:
        cotangents[key] = prev + value


_VJP_OPS: dict[tuple, Any] = {}


def _recorded_vjp(node: _Node, cts: list) -> list:
    """A node's input cotangents as one dispatched op of (primals, cotangents), so that
    recording tapes differentiate the backward pass too (higher-order gradients)."""
    diff = tuple(i for i, v in enumerate(node.values) if v is not None and _is_differentiable(v.dtype))
    none_mask = tuple(v is None for v in node.values)
    key = (node.fn, node.static, node.multi, diff, none_mask)
    backward = _VJP_OPS.get(key)
    if backward is None:
        fn, static, multi = node.fn, dict(node.static), node.multi
        n_in = len(none_mask)

        def backward(*args):
            it = iter(args[: n_in - sum(none_mask)])
            primals = [None if is_none else next(it) for is_none in none_mask]
            out_cts = args[n_in - sum(none_mask) :]
            _, vjp_fn = jax.vjp(lambda *xs: fn(*xs, **static), *primals)
            grads = vjp_fn(tuple(out_cts) if multi else out_cts[0])
            return tuple(grads[i] for i in diff)

        backward.tf_op_name = f"{getattr(fn, 'tf_op_name', fn.__name__)}Grad"
        _VJP_OPS[key] = backward
    primal_args = [p for p in node.inputs if p is not None]
    grads = dispatch(backward, *primal_args, *cts)
    out: list = [None] * len(node.values)
    for i, g in zip(diff, grads if isinstance(grads, tuple) else (grads,)):
        out[i] = g
    return out


def is_watched(x: Any) -> bool:
    """Whether an op reading `x` would be recorded: a recording tape watches it, or `x` is a
    trainable Variable that a recording tape would auto-watch on this read."""
    for tape in _state.tapes:
        if tape._recording and (
            tape._watches_any((x,)) or (isinstance(x, Variable) and tape._watch_accessed and x.trainable)
        ):
            return True
    return False


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
        for item in jax.tree.leaves(tensor, is_leaf=is_leaf):  # None too: TF's ValueError
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
        self._record_node(_Node(fn, static, inputs, values, outputs, vjp_fn))

    def _record_node(self, node: _Node) -> None:
        # Like TF's tape, only floating outputs carry gradients on: an op reading an integer
        # or bool output (argmax, a comparison, a cast to int) is not recorded.
        outputs = [out for out in node.outputs if _is_differentiable(out._value.dtype)]
        if not outputs:
            return
        self._nodes.append(node)
        for out in outputs:
            self._watched[id(out)] = out

    def watched_variables(self) -> tuple[Variable, ...]:
        """The Variables this tape watches, in the order it started watching them."""
        return tuple(self._variables.values())

    def stop_recording(self):
        """A context manager that pauses recording on this tape."""
        tape = self

        class _Pause:
            def __enter__(self_inner):
                if not tape._recording:
                    raise ValueError("Tape is not recording.")
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
    def _begin_use(self, what: str) -> None:
        if self._used and not self._persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
            )
        if self._recording:
            if not self._persistent:
                self._stop()
            elif what == "gradient":
                warnings.warn(
                    "Calling GradientTape.gradient on a persistent tape inside its context is "
                    "significantly less efficient than calling it outside the context (it causes "
                    "the gradient ops to be recorded on the tape, leading to increased CPU and "
                    "memory usage). Only call GradientTape.gradient inside the context if you "
                    "actually want to trace the gradient in order to compute higher order "
                    "derivatives.",
                    stacklevel=3,
                )

    def _end_use(self) -> None:
        if not self._persistent:
            self._used = True
            self._release()

    def gradient(
        self,
        target: Any,
        sources: Any,
        output_gradients: Any = None,
        unconnected_gradients: UnconnectedGradients | str = UnconnectedGradients.NONE,
    ) -> Any:
        """d(sum of targets)/d(sources), with `sources`' nesting; None for unconnected sources.

        While another tape (or this persistent one) is recording, the backward ops are
        dispatched like forward ops, so that tape can differentiate them again (higher order).

        Args:
          target: a Tensor or nested structure of Tensors (their gradients are summed).
          sources: a Tensor/Variable or nested structure of them.
          output_gradients: cotangents for `target` (default ones), same structure.
          unconnected_gradients: 'none' gives None, 'zero' gives zeros.

        Raises:
          RuntimeError: a non-persistent tape asked a second time.
        """
        self._begin_use("gradient")
        unconnected = unconnected_mode(unconnected_gradients)
        target_leaves = flatten_target(target)
        source_leaves, source_tree = flatten_sources(sources)
        out_grads = output_gradients_for(output_gradients, target_leaves)

        recorded = any(t._recording for t in _state.tapes)
        cotangents: dict[int, Any] = {}
        for tgt, og in zip(target_leaves, out_grads):
            value = value_of(tgt)
            if not _is_differentiable(value.dtype):
                continue
            if recorded:
                ct = _ones_tensor(value) if og is None else _as_tensor_of(og, value.dtype)
                if ct.shape != value.shape:
                    from jaxport.ops import array_ops

                    ct = array_ops.broadcast_to(ct, value.shape)
            else:
                ct = jnp.ones_like(value) if og is None else jnp.broadcast_to(_raw_of(og), value.shape)
            _accumulate(cotangents, id(tgt), ct, recorded)
        if recorded:
            self._backward_recorded(cotangents)
        else:
            self._backward(cotangents)

        results = []
        for src in source_leaves:
            value = value_of(src)
            grad = cotangents.get(id(src)) if _is_differentiable(value.dtype) else None
            if grad is None:
                # TF's ZERO gives zeros of the source's own dtype, integer sources included
                zero = unconnected is UnconnectedGradients.ZERO
                results.append(Tensor(jnp.zeros_like(value)) if zero else None)
            else:
                results.append(grad if isinstance(grad, Tensor) else Tensor(grad))
        self._end_use()
        return jax.tree.unflatten(source_tree, results)

    def _backward(self, cotangents: dict[int, Any]) -> None:
        """The backward walk on raw arrays (nothing else records it)."""
        apply_vjp = _apply_vjp if _state.trace is not None else _apply_vjp_jit
        for node in reversed(self._nodes):
            outs = node.outputs
            cts = [cotangents.get(id(o)) for o in outs]
            if all(c is None for c in cts):
                continue
            if node.stops:
                node.check_registered()
                continue
            cts = [jnp.zeros_like(o._value) if c is None else c for o, c in zip(outs, cts)]
            if node.custom is not None:
                input_cts = node.custom([Tensor(c) for c in cts])
                input_cts = [None if g is None else _raw_of(g) for g in input_cts]
            else:
                input_cts = apply_vjp(node.vjp_fn, tuple(cts) if node.multi else cts[0])
            watched = self._watched
            for key, value, g in zip(node.input_ids, node.values, input_cts):
                if g is None or getattr(g, "dtype", None) == jax.dtypes.float0:
                    continue
                if value is None or not _is_differentiable(value.dtype) or key not in watched:
                    continue  # unwatched inputs (e.g. Variables with watch_accessed_variables=False) are constants
                _accumulate(cotangents, key, g, False)

    def _backward_recorded(self, cotangents: dict[int, Any]) -> None:
        """The backward walk as dispatched ops on Tensors, so recording tapes see it."""
        for node in reversed(self._nodes):
            outs = node.outputs
            cts = [cotangents.get(id(o)) for o in outs]
            if all(c is None for c in cts):
                continue
            if node.stops:
                node.check_registered()
                continue
            cts = [_zeros_tensor(o._value) if c is None else c for o, c in zip(outs, cts)]
            if node.custom is not None:
                input_cts = node.custom(cts)
            else:
                input_cts = _recorded_vjp(node, cts)
            watched = self._watched
            for key, value, g in zip(node.input_ids, node.values, input_cts):
                if g is None or value is None or not _is_differentiable(value.dtype) or key not in watched:
                    continue
                _accumulate(cotangents, key, g if isinstance(g, Tensor) else Tensor(g), True)

    def _connected(self, target_ids: set[int]) -> set[int]:
        """The ids the targets depend on through recorded nodes (no arithmetic)."""
        reached = set(target_ids)
        for node in reversed(self._nodes):
            if not node.stops and any(id(o) in reached for o in node.outputs):
                reached.update(node.input_ids)
        return reached

    def _pullback(self, target: Any, sources: list) -> Any:
        """A function of the target's cotangent giving the sources' raw gradients (vmappable)."""
        target_id = id(target)
        zeros = [jnp.zeros_like(value_of(s)) for s in sources]

        def pull(ct):
            cotangents = {target_id: ct}
            self._backward(cotangents)
            return [cotangents.get(id(s), z) for s, z in zip(sources, zeros)]

        return pull

    def jacobian(
        self,
        target: Any,
        sources: Any,
        unconnected_gradients: UnconnectedGradients | str = UnconnectedGradients.NONE,
        parallel_iterations: int | None = None,
        experimental_use_pfor: bool = True,
    ) -> Any:
        """The full Jacobian d target / d source for each source: shape target.shape + source.shape.

        Computed as `jax.vmap` of the backward pass over the one-hot cotangents (TF's pfor);
        `experimental_use_pfor=False` gives the same values.
        """
        self._begin_use("jacobian")
        unconnected = unconnected_mode(unconnected_gradients, "jacobian" if experimental_use_pfor else None)
        (tgt,) = flatten_target(target, single=True)
        source_leaves, source_tree = flatten_sources(sources)
        t_value = value_of(tgt)
        connected = self._connected({id(tgt)})
        pull = self._pullback(tgt, source_leaves)
        n = int(np.prod(t_value.shape, dtype=np.int64))
        basis = jnp.eye(n, dtype=t_value.dtype).reshape((n,) + t_value.shape)
        jac = jax.vmap(pull)(basis) if n else [jnp.zeros((0,) + value_of(s).shape) for s in source_leaves]
        results = []
        for src, j in zip(source_leaves, jac):
            s_value = value_of(src)
            shape = t_value.shape + s_value.shape
            if id(src) not in connected or not _is_differentiable(s_value.dtype):
                zero = unconnected is UnconnectedGradients.ZERO
                results.append(Tensor(jnp.zeros(shape, s_value.dtype)) if zero else None)
            else:
                results.append(Tensor(j.reshape(shape)))
        self._end_use()
        return jax.tree.unflatten(source_tree, results)

    def batch_jacobian(
        self,
        target: Any,
        source: Any,
        unconnected_gradients: UnconnectedGradients | str = UnconnectedGradients.NONE,
        parallel_iterations: int | None = None,
        experimental_use_pfor: bool = True,
    ) -> Tensor | None:
        """Per-example Jacobians: target (B, ...) and source (B, ...) give (B, *target[1:], *source[1:]).

        Assumes example b of the target depends only on example b of the source, as TF does.
        """
        self._begin_use("batch_jacobian")
        unconnected = unconnected_mode(unconnected_gradients, "batch_jacobian" if experimental_use_pfor else None)
        (tgt,) = flatten_target(target, single=True)
        if not isinstance(source, (Tensor, Variable)):
            raise ValueError(f"`source` must be a Tensor or Variable; received {source!r}.")
        t_value, s_value = value_of(tgt), value_of(source)
        if t_value.ndim < 1:  # TF fails indexing the batch dimension
            raise IndexError("`target` must have rank at least 1 (its first dimension is the batch), got shape ()")
        if s_value.ndim < 1:
            raise ValueError("`source` must have rank at least 1 (its first dimension is the batch), got shape ()")
        if t_value.shape[0] != s_value.shape[0]:
            raise ValueError(
                f"Need first dimension of `target` shape ({list(t_value.shape)}) and `source` shape "
                f"({list(s_value.shape)}) to match."
            )
        batch = t_value.shape[0]
        inner = t_value.shape[1:]
        shape = (batch,) + inner + s_value.shape[1:]
        if id(source) not in self._connected({id(tgt)}) or not _is_differentiable(s_value.dtype):
            self._end_use()
            if unconnected is UnconnectedGradients.ZERO:
                return Tensor(jnp.zeros(shape, s_value.dtype))
            return None
        pull = self._pullback(tgt, [source])
        n = int(np.prod(inner, dtype=np.int64))
        eye = jnp.eye(n, dtype=t_value.dtype)
        basis = jnp.broadcast_to(eye[:, None, :], (n, batch, n)).reshape((n, batch) + inner)
        (per_row,) = jax.vmap(pull)(basis)  # (n, B, *source[1:])
        result = jnp.moveaxis(per_row, 0, 1).reshape(shape)
        self._end_use()
        return Tensor(result)

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
    """`tf.stop_gradient`: the same value, with no gradient flowing back through it.

    As in TF, tapes do not record it at all: a source reached only through it gets None,
    and so does the output itself as a source (unlike ops that are recorded but not
    differentiable, such as `tf.round`). A Variable is still read (and auto-watched).
    """
    from jaxport.eager import convert_to_tensor

    if isinstance(input, Variable):
        input = input.read_value()
    elif not isinstance(input, Tensor):
        input = convert_to_tensor(input)
    return dispatch(_stop_gradient, input._value)
