"""One trace for an `input_signature` with unknown (None) dimensions: JAX shape polymorphism.

TF traces a `tf.function(input_signature=[tf.TensorSpec([None, 3])])` once: its graph has
an unknown batch dimension and serves every batch size. XLA compiles static shapes, so
jaxport traces the Python body once with *symbolic* dimensions (`jax.export.symbolic_shape`,
one dimension variable per None), exports that program with `jax.export`, and lets XLA
specialise the exported StableHLO to each concrete shape it is called with: the Python runs
once, XLA compiles once per shape.

Inside such a trace `x.shape` shows the unknown dims as None (as TF's static shape does)
and `tf.shape(x)` computes them at run time. Code that needs a concrete size where TF would
have one at run time only (say `range(x.shape[0])`) cannot be traced symbolically; `function`
then falls back to tracing once per concrete shape (see `Function._lookup`).
"""

from __future__ import annotations

from typing import Any

import jax
from jax import export as jax_export

__all__ = ["has_unknown_dims", "signature_avals", "fits_signature", "unknown_sizes", "is_symbolic_dim", "export_traced"]


def has_unknown_dims(specs: list) -> bool:
    """Whether the specs can be traced symbolically: every rank known, some dimension None.
    (An unknown rank cannot be symbolic in JAX; such signatures trace once per shape.)"""
    specs = [spec for spec in specs if spec is not None]
    if any(spec.shape.rank is None for spec in specs):
        return False
    return any(None in spec.shape.as_list() for spec in specs)


def is_symbolic_dim(dim: Any) -> bool:
    """Whether a dimension of a traced value's shape is a symbolic (unknown) size."""
    return not isinstance(dim, int) and jax_export.is_symbolic_dim(dim)


def _shape(value: Any) -> tuple:
    value = getattr(value, "_value", value)  # a Tensor's array
    if hasattr(value, "_raw_value"):  # a Variable passed for a spec
        value = value._raw_value
    return tuple(getattr(value, "shape", ()))


def signature_avals(specs: list, leaves: list) -> tuple[list, list]:
    """Abstract values for the specs (one per argument leaf; None for leaves that are not
    tensors), and the groups of unknown dims they tie together.

    Each None dim becomes a dimension variable (`d0`, `d1`, ...). TF keeps every None
    independent, but XLA must know when two of them are equal (`x` of shape [None, 8] and
    labels `y` of shape [None] are combined elementwise), so None dims at the same axis of
    different arguments whose sizes are equal in this first call (`leaves`) share one
    variable (a batch axis); the axes of one tensor stay independent. `groups` lists, per
    variable, the `(leaf index, axis)` pairs it stands for: a later call whose sizes break a
    group (or are 0, which JAX's dimension variables exclude) is traced for its concrete
    shapes.
    """
    scope = jax_export.SymbolicScope()
    by_axis_size: dict[tuple, str] = {}
    groups: dict[str, list] = {}
    avals = []
    for index, (spec, leaf) in enumerate(zip(specs, leaves)):
        if spec is None:  # not a tensor argument
            avals.append(None)
            continue
        concrete = _shape(leaf)
        dims = []
        for axis, d in enumerate(spec.shape.as_list()):
            if d is None:
                name = by_axis_size.setdefault((axis, concrete[axis]), f"d{len(by_axis_size)}")
                groups.setdefault(name, []).append((index, axis))
                dims.append(name)
            else:
                dims.append(str(d))
        shape = jax_export.symbolic_shape(",".join(dims), scope=scope) if dims else ()
        avals.append(jax.ShapeDtypeStruct(shape, spec.dtype.as_numpy_dtype))
    return avals, list(groups.values())


def fits_signature(groups: list, leaves: list) -> bool:
    """Whether concrete inputs can run a symbolic program traced with these `groups`: the
    sizes of each group equal, and at least 1 (JAX's dimension variables are positive)."""
    for group in groups:
        sizes = {_shape(leaves[i])[axis] for i, axis in group}
        if len(sizes) != 1 or 0 in sizes:
            return False
    return True


def export_traced(traced: Any, example_args: tuple) -> tuple[Any, Any, str]:
    """Export a symbolically traced program (`jax.jit(...).trace(...)`) without running the
    Python again: the traced jaxpr is re-evaluated under `jax.export`.

    Returns `(compiled, jitted, lowered_text)`: `compiled` runs the exported program on
    concrete inputs (first argument donated; XLA specialises it per shape, cached by
    `jax.jit`), `jitted` is the evaluation of the traced program, and `lowered_text` the
    shape-polymorphic StableHLO.
    """
    closed = traced.jaxpr
    out_tree = jax.tree.structure(traced.out_info)

    def program(*args):
        flat_out = jax.core.eval_jaxpr(closed.jaxpr, closed.consts, *jax.tree.leaves(args))
        return jax.tree.unflatten(out_tree, flat_out)

    jitted = jax.jit(program)
    exported = jax_export.export(jitted)(*example_args)
    compiled = jax.jit(exported.call, donate_argnums=(0,))
    return compiled, jitted, exported.mlir_module()


def unknown_sizes(specs: list, leaves: list) -> list:
    """The concrete sizes these inputs give the specs' None dims."""
    return [
        _shape(leaf)[axis]
        for spec, leaf in zip(specs, leaves)
        if spec is not None
        for axis, d in enumerate(spec.shape)
        if d is None
    ]
