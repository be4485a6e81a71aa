"""`ConcreteFunction`: one traced signature of a `tf.function`, and its JAX program."""

from __future__ import annotations

import inspect
from typing import Any

import jax

from jaxport.eager import Tensor
from jaxport.variables import Variable

__all__ = ["ConcreteFunction"]


class ConcreteFunction:
    """One traced signature of a `function` (`f.get_concrete_function(...)`): callable, and
    showing its JAX program.

    `jaxpr` is the traced program (Variables appear as explicit inputs/outputs) and
    `lowered_text` the StableHLO that XLA compiles: TF's `ConcreteFunction.graph` in JAX terms.
    """

    def __init__(self, function: Any, entry: Any, args: tuple, kwargs: dict):
        self._function = function
        self._entry = entry
        self._args, self._kwargs = args, kwargs  # as bound: TensorSpecs/Tensors and Python values

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run this trace: the tensor arguments are given (converted to the traced dtypes), the
        Python values it was traced with are kept, as TF's concrete functions take them."""
        from jaxport.eager import convert_to_tensor
        from jaxport.tensor_spec import TensorSpec

        signature = self._function._signature
        if signature is None:
            return self._function(*args, **kwargs)
        try:
            given = signature.bind_partial(*args, **kwargs).arguments
        except TypeError as exc:
            raise TypeError(f"{self.name}: the arguments do not bind ({exc}).") from None
        stored = signature.bind(*self._args, **self._kwargs)
        stored.apply_defaults()
        call = {}
        for name, traced in stored.arguments.items():
            if name not in given:
                if _holds_tensors(traced):
                    raise TypeError(f"{self.name}() missing the tensor argument {name!r}.")
                call[name] = traced
                continue
            value = given[name]
            if isinstance(traced, (TensorSpec, Tensor)):
                value = convert_to_tensor(value, dtype=traced.dtype)
            call[name] = value
        stored.arguments.update(call)
        return self._function(*stored.args, **stored.kwargs)

    @property
    def name(self) -> str:
        """The traced function's name."""
        return self._function._name

    def __repr__(self) -> str:
        return f"ConcreteFunction {self.name}{self.structured_input_signature[0]} -> {self.structured_outputs}"

    @property
    def jaxpr(self) -> Any:
        """The traced program as a `ClosedJaxpr` (a signature's None dims stay symbolic)."""
        return self._entry.traced_jaxpr

    @property
    def lowered_text(self) -> str:
        """The StableHLO text XLA compiles for this signature (shape-polymorphic for None dims)."""
        text = self._entry.lowered_text
        return text if isinstance(text, str) else text.as_text()

    @property
    def variables(self) -> tuple:
        """The Variables lifted into the program (written ones first)."""
        return tuple(self._entry.written) + tuple(self._entry.readonly)

    @property
    def structured_input_signature(self) -> tuple:
        """`(args, kwargs)` as TensorSpecs: the `input_signature` when there is one (its specs
        named after the parameters, as TF names them), else the specs of the traced inputs."""
        from jaxport.tensor_spec import TensorSpec

        signature = self._function._input_signature
        if signature is not None:
            names = _parameter_names(self._function.python_function)
            specs = tuple(
                jax.tree.map(
                    lambda s, name=name: TensorSpec(s.shape, s.dtype, s.name or name),
                    spec,
                    is_leaf=lambda x: isinstance(x, TensorSpec),
                )
                for spec, name in zip(signature, names + [None] * len(signature))
            )
            return specs, {}
        return jax.tree.map(
            lambda x: TensorSpec.from_tensor(x) if isinstance(x, (Tensor, Variable)) else x,
            (self._args, self._kwargs),
            is_leaf=lambda x: isinstance(x, (Tensor, Variable)) or x is None,
        )

    @property
    def structured_outputs(self) -> Any:
        """The outputs' structure, each Tensor as a TensorSpec (unknown dims None)."""
        from jaxport.tensor_spec import TensorSpec

        def spec(x: Any) -> Any:
            info = x._value if isinstance(x, Tensor) else x  # traced outputs are Tensors of ShapeDtypeStructs
            return TensorSpec(info.shape, info.dtype) if hasattr(info, "shape") else info

        return jax.tree.map(spec, self._entry.output_info, is_leaf=lambda x: isinstance(x, Tensor))

    @property
    def output_shapes(self) -> Any:
        """The outputs' static shapes (`TensorShape`s)."""
        return jax.tree.map(lambda s: s.shape, self.structured_outputs)

    @property
    def output_dtypes(self) -> Any:
        """The outputs' dtypes."""
        return jax.tree.map(lambda s: s.dtype, self.structured_outputs)


def _holds_tensors(value: Any) -> bool:
    from jaxport.tensor_spec import TensorSpec

    return any(
        isinstance(x, (Tensor, Variable, TensorSpec))
        for x in jax.tree.leaves(value, is_leaf=lambda x: isinstance(x, (Tensor, TensorSpec)))
    )


def _parameter_names(fn: Any) -> list:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
