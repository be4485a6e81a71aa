"""Op layers: TF functions and Python operators applied to KerasTensors, as tf_keras's
TFOpLambda / SlicingOpLambda layers.

`tf.concat([a, b], 1)` on KerasTensors makes a layer named `tf.concat` (TF's canonical API
name, uniquified: `tf.concat_1`) whose node holds the call's arguments; when the model runs,
the layer calls the same public function on real Tensors. The public functions of the
`tf`, `tf.math`, `tf.nn` and `tf.linalg` namespaces get a dispatcher that checks their
arguments for KerasTensors (the check costs a few hundred nanoseconds per eager op).
"""

from __future__ import annotations

import functools
import operator
import types
from typing import Any, Callable

from jaxport.modules import naming
from jaxport.modules.base_layer import Layer
from jaxport.modules.keras_tensor import KerasTensor, connect, holds_keras_tensor, symbolic_outputs

__all__ = ["SlicingOpLambda", "TFOpLambda", "install_dispatchers", "op_layer_call"]


def _keras_tensors_in(values: Any) -> bool:
    """The cheap check of the op wrappers: KerasTensors among the arguments or one list level down."""
    for value in values:
        kind = type(value)
        if kind is KerasTensor:
            return True
        if kind is list or kind is tuple:
            for item in value:
                if type(item) is KerasTensor:
                    return True
        elif kind is dict and _keras_tensors_in(value.values()):
            return True
    return False


# -- op layers -----------------------------------------------------------------------------


class TFOpLambda(Layer):
    """A TF function applied to KerasTensors, as a layer (tf_keras's TFOpLambda).

    Args:
      function: the public function (`tf.concat`, `operator.mul` for `x * y`).
      symbol: its TF name without the `tf.` prefix (`math.multiply`).
    """

    def __init__(self, function: Callable, symbol: str, name: str | None = None, **kwargs: Any):
        super().__init__(name=name or naming.unique_name("tf." + symbol), **kwargs)
        self.function = function
        self.symbol = symbol
        self.built = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if holds_keras_tensor(args, kwargs):
            outputs = symbolic_outputs(self.function, args, kwargs)
            connect(self, args, kwargs, outputs)
            return outputs
        kwargs.pop("training", None)
        return self.function(*args, **kwargs)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        return self.function(*args, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config["function"] = self.symbol
        return config

    @classmethod
    def from_config(cls, config: dict) -> TFOpLambda:
        """Recreate the op layer from `get_config()`: `function` names the TF API (`math.multiply`).

        Raises:
          ValueError: a function name jaxport does not have.
        """
        config = dict(config)
        symbol = config.pop("function")
        function = function_for_symbol(symbol)
        if function is None:
            raise ValueError(f"Unknown TF function in an op layer config: function={symbol!r}.")
        return cls(function, symbol, **config)


class SlicingOpLambda(TFOpLambda):
    """`x[...]` on KerasTensors, as a layer (tf_keras's SlicingOpLambda)."""


def _operators_add(x: Any, y: Any, name: str | None = None) -> Any:
    """`tf.__operators__.add(x, y)`: `x + y` (the function behind `+` on tensors)."""
    return x + y


_OPERATOR_FUNCTIONS = {"__operators__.add": _operators_add, "__operators__.getitem": operator.getitem}


def function_for_symbol(symbol: str) -> Callable | None:
    """The public jaxport function of a TF API name (`math.multiply` -> `tf.math.multiply`), or None."""
    if symbol in _OPERATOR_FUNCTIONS:
        return _OPERATOR_FUNCTIONS[symbol]
    import jaxport

    value: Any = jaxport
    for part in symbol.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value if callable(value) else None


def op_layer_call(symbol: str, function: Callable, args: tuple, kwargs: dict) -> Any:
    """`function(*args, **kwargs)` on KerasTensors: a new op layer named `tf.<symbol>`, called."""
    cls = SlicingOpLambda if symbol == "__operators__.getitem" else TFOpLambda
    return cls(function, symbol)(*args, **kwargs)


# -- dispatch of the public TF functions ------------------------------------------------------

# TF's canonical names where they differ from the rule in `_canonical_symbol` (checked with
# `get_canonical_name_for_symbol` in TF 2.21).
_CANONICAL = {
    "matmul": "linalg.matmul",
    "math.matmul": "linalg.matmul",
    "cast": "cast",
    "math.cast": "cast",
    "clip_by_value": "clip_by_value",
    "math.clip_by_value": "clip_by_value",
    "math.softmax": "nn.softmax",
    "nn.softmax": "nn.softmax",
    "math.log_softmax": "nn.log_softmax",
    "nn.log_softmax": "nn.log_softmax",
    "math.softsign": "nn.softsign",
    "nn.softsign": "nn.softsign",
    "nn.swish": "nn.silu",
    "math.mod": "math.floormod",
    "linalg.transpose": "linalg.matrix_transpose",
    "linalg.einsum": "einsum",
    "linalg.eye": "eye",
    "linalg.norm": "compat.v1.norm",
    "norm": "compat.v1.norm",
    "shape": "compat.v1.shape",  # TF dispatches these from their v1 functions
    "size": "compat.v1.size",
    "squeeze": "compat.v1.squeeze",
    "transpose": "compat.v1.transpose",
    "linalg.tensordot": "tensordot",
    "linalg.l2_normalize": "math.l2_normalize",
    "nn.l2_normalize": "math.l2_normalize",
}


def _canonical_symbol(prefix: str, name: str, function: Callable, namespaces: dict) -> str:
    """TF's canonical name of `tf.<prefix><name>`: the `tf.math` name when the function is
    exported there too, else the name where it was found."""
    full = prefix + name
    if full in _CANONICAL:
        return _CANONICAL[full]
    math_namespace = namespaces.get("math.")
    if prefix != "math." and math_namespace is not None and getattr(math_namespace, name, None) is function:
        return "math." + name
    return full


def _dispatching(function: Callable, symbol: str) -> Callable:
    @functools.wraps(function)
    def dispatcher(*args: Any, **kwargs: Any) -> Any:
        if _keras_tensors_in(args) or (kwargs and _keras_tensors_in(kwargs.values())):
            return op_layer_call(symbol, function, args, kwargs)
        return function(*args, **kwargs)

    dispatcher._keras_symbol = symbol
    return dispatcher


def install_dispatchers(namespaces: dict[str, Any]) -> None:
    """Let the TF ops in these namespaces take KerasTensors, as tf_keras's dispatchers do:
    an op called on one becomes an op layer (`tf.concat`, `tf.math.reduce_mean`).

    Args:
      namespaces: prefix (`""`, `"math."`, `"nn."`) -> namespace module; each public function
        defined in `jaxport.ops` is replaced there by a dispatcher around it.
    """
    replacements = []
    for prefix, namespace in namespaces.items():
        for name, value in list(vars(namespace).items()):
            if name.startswith("_") or not isinstance(value, types.FunctionType):
                continue
            if hasattr(value, "_keras_symbol") or not (value.__module__ or "").startswith("jaxport.ops"):
                continue
            symbol = _canonical_symbol(prefix, name, value, namespaces)
            replacements.append((namespace, name, _dispatching(value, symbol)))
    for namespace, name, dispatcher in replacements:
        setattr(namespace, name, dispatcher)
