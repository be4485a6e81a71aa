"""`CompositeTensor`: the base of values made of several Tensors (`tf.RaggedTensor`, `tf.SparseTensor`).

TF routes an op given a composite value to the composite type's own implementation (its
"dispatch for composite types"). In jaxport the op wrappers that accept composites
(`tf.math` unary and binary ops, reductions, `tf.concat`, `tf.cast`) check for a
CompositeTensor and call `composite_op(api, args, kwargs)`, which asks the composite's
class for its `_tf_dispatch`.
"""

from __future__ import annotations

from typing import Any, Callable


class CompositeTensor:
    """Base of `tf.RaggedTensor` and `tf.SparseTensor`: a pytree of Tensors with its own op rules."""

    __slots__ = ()

    @classmethod
    def _tf_dispatch(cls, api: Callable, args: tuple, kwargs: dict) -> Any:
        """`api(*args, **kwargs)` for arguments holding this type, or NotImplemented."""
        return NotImplemented


def find_composite(args: Any) -> CompositeTensor | None:
    """The first CompositeTensor among `args` (looking one level into lists and tuples)."""
    for arg in args:
        if isinstance(arg, CompositeTensor):
            return arg
        if isinstance(arg, (list, tuple)):
            for item in arg:
                if isinstance(item, CompositeTensor):
                    return item
    return None


def composite_op(api: Callable, args: tuple, kwargs: dict | None = None) -> Any:
    """Run TF op `api` on arguments holding a CompositeTensor through that type's `_tf_dispatch`.

    Raises:
      TypeError: the composite type does not support `api` (TF's message for an op that has no
        dispatch for the type).
    """
    kwargs = kwargs or {}
    composite = find_composite(tuple(args) + tuple(kwargs.values()))
    result = type(composite)._tf_dispatch(api, tuple(args), kwargs)
    if result is NotImplemented:
        name = getattr(api, "__name__", repr(api))
        raise TypeError(
            f"Failed to convert elements of {composite!r} to Tensor: `{name}` has no implementation for "
            f"{type(composite).__name__} arguments in jaxport."
        )
    return result


def host_constant(array: Any, dtype: Any = None) -> Any:
    """A Tensor holding a host (numpy) value that stays a known value while `function` traces
    (row splits, sparse indices and shapes are host data, as in TF's eager kernels)."""
    import jax
    import jax.numpy as jnp

    from jaxport.eager import Tensor

    with jax.ensure_compile_time_eval():
        return Tensor(jnp.asarray(array, dtype))
