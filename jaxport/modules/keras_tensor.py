"""Keras symbolic tensors (`KerasTensor`), the call events between them (`Node`), and the
symbolic engine that traces a layer call on them.

A Functional model is a graph whose edges are KerasTensors (a shape with a None batch, a
dtype, no data) and whose vertices are Nodes (one layer call: the layer, its call arguments,
its outputs), as in tf_keras. A layer called on KerasTensors does not compute anything: its
real `__call__` runs under `jax.eval_shape` on abstract values (None dims are JAX symbolic
sizes), which builds the layer's weights with concrete values and gives the output shapes.

TF ops and Python operators applied to KerasTensors become op layers, as tf_keras's
TFOpLambda: `x * 2` is a layer named `tf.math.multiply`, `x[:, 0]` one named
`tf.__operators__.getitem`, `tf.concat([a, b], 1)` one named `tf.concat`. Such a layer
calls the same public function again on real Tensors when the model runs
(`jaxport/modules/op_layers.py`).
"""

from __future__ import annotations

import operator
from typing import Any, Callable, NamedTuple

import jax
from jax import export as jax_export

from jaxport import dtypes as _dtypes
from jaxport.context import TraceContext, outside_traces
from jaxport.context import state as _state
from jaxport.eager import Tensor, TensorShape

__all__ = ["KerasHistory", "KerasTensor", "Node", "holds_keras_tensor", "is_keras_tensor"]


class KerasHistory(NamedTuple):
    """Where a KerasTensor comes from: `layer._inbound_nodes[node_index].outputs[tensor_index]`."""

    layer: Any
    node_index: int
    tensor_index: int


_NOT_DISPATCHING = (
    "Keras symbolic inputs/outputs do not implement `{}`. You may be trying to pass TF-Keras symbolic "
    "inputs/outputs to a TF API that does not register dispatching, preventing TF-Keras from automatically "
    "converting the API call to a lambda layer in the Functional Model. This error will also get raised if "
    "you try asserting a symbolic input/output directly."
)


class KerasTensor:
    """A symbolic Keras input or output (`tf.keras.Input(...)`, a layer called on one).

    It holds a static shape (None for unknown dims, as the batch) and a dtype, never data;
    `_keras_history` names the layer call that made it.
    """

    __slots__ = ("_shape", "_dtype", "_name", "_keras_history", "__weakref__")
    _keras_symbolic = True  # what jaxport.eager's conversion recognises

    def __init__(self, shape: Any, dtype: Any = "float32", name: str | None = None):
        self._shape = TensorShape(shape)
        self._dtype = _dtypes.as_dtype(dtype)
        self._name = name
        self._keras_history: KerasHistory | None = None

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> _dtypes.DType:
        return self._dtype

    @property
    def name(self) -> str | None:
        return self._name

    @property
    def ndim(self) -> int | None:
        return self._shape.rank

    def get_shape(self) -> TensorShape:
        return self._shape

    @property
    def node(self) -> Node:
        """The Node (layer call) that produced this tensor."""
        layer, node_index, _ = self._keras_history
        return layer._inbound_nodes[node_index]

    def ref(self) -> Any:
        """A hashable reference to this tensor (`tensor.ref()`)."""
        return Tensor.ref(self)

    def _creator(self) -> str:
        return self._keras_history.layer.name if self._keras_history is not None else "?"

    def __repr__(self) -> str:
        return f"<KerasTensor: shape={self._shape} dtype={self._dtype.name} (created by layer '{self._creator()}')>"

    def __str__(self) -> str:
        spec_name = repr(self._name) if self._keras_history and _is_input_tensor(self) else "None"
        return (
            f"KerasTensor(type_spec=TensorSpec(shape={self._shape}, dtype=tf.{self._dtype.name}, name={spec_name}), "
            f"name={self._name!r}, description=\"created by layer '{self._creator()}'\")"
        )

    def __hash__(self) -> int:
        raise TypeError(f"Tensors are unhashable (this tensor: {self}). Instead, use tensor.ref() as the key.")

    def __len__(self) -> int:
        raise TypeError(_NOT_DISPATCHING.format("__len__"))

    def __bool__(self) -> bool:
        raise TypeError(_NOT_DISPATCHING.format("__len__"))

    def __iter__(self):
        dims = self._shape.dims
        if not dims or dims[0] is None:
            raise TypeError("Cannot iterate over a Tensor with unknown first dimension.")
        return iter([self[i] for i in range(dims[0])])

    def __array__(self, dtype: Any = None, copy: Any = None):
        raise TypeError(
            f"You are passing {self}, an intermediate Keras symbolic input/output, to a NumPy function: "
            "a KerasTensor holds no data. Put the operation in a custom Keras layer `call`."
        )


def _is_input_tensor(x: KerasTensor) -> bool:
    return bool(getattr(x._keras_history.layer, "is_placeholder", False))


# Python operators on KerasTensors become op layers named as tf_keras names them.
_OPERATORS = {
    "__add__": ("__operators__.add", operator.add, False),
    "__radd__": ("__operators__.add", operator.add, True),
    "__sub__": ("math.subtract", operator.sub, False),
    "__rsub__": ("math.subtract", operator.sub, True),
    "__mul__": ("math.multiply", operator.mul, False),
    "__rmul__": ("math.multiply", operator.mul, True),
    "__truediv__": ("math.truediv", operator.truediv, False),
    "__rtruediv__": ("math.truediv", operator.truediv, True),
    "__floordiv__": ("math.floordiv", operator.floordiv, False),
    "__rfloordiv__": ("math.floordiv", operator.floordiv, True),
    "__mod__": ("math.floormod", operator.mod, False),
    "__rmod__": ("math.floormod", operator.mod, True),
    "__pow__": ("math.pow", operator.pow, False),
    "__rpow__": ("math.pow", operator.pow, True),
    "__matmul__": ("linalg.matmul", operator.matmul, False),
    "__rmatmul__": ("linalg.matmul", operator.matmul, True),
    "__lt__": ("math.less", operator.lt, False),
    "__le__": ("math.less_equal", operator.le, False),
    "__gt__": ("math.greater", operator.gt, False),
    "__ge__": ("math.greater_equal", operator.ge, False),
    "__and__": ("math.logical_and", operator.and_, False),
    "__or__": ("math.logical_or", operator.or_, False),
    "__xor__": ("math.logical_xor", operator.xor, False),
    "__getitem__": ("__operators__.getitem", operator.getitem, False),
}


def _binary_operator(symbol: str, fn: Callable, reflected: bool) -> Callable:
    def method(self: KerasTensor, other: Any) -> Any:
        args = (other, self) if reflected else (self, other)
        return op_layer_call(symbol, fn, args, {})

    return method


def _unary_operator(symbol: str, fn: Callable) -> Callable:
    def method(self: KerasTensor) -> Any:
        return op_layer_call(symbol, fn, (self,), {})

    return method


for _method, (_symbol, _fn, _reflected) in _OPERATORS.items():
    setattr(KerasTensor, _method, _binary_operator(_symbol, _fn, _reflected))
KerasTensor.__neg__ = _unary_operator("math.negative", operator.neg)
KerasTensor.__abs__ = _unary_operator("math.abs", operator.abs)
KerasTensor.__invert__ = _unary_operator("math.logical_not", operator.invert)
del _method, _symbol, _fn, _reflected


def is_keras_tensor(x: Any) -> bool:
    """`tf.keras.backend.is_keras_tensor`: whether `x` is a symbolic Keras tensor."""
    return isinstance(x, KerasTensor)


# -- nested structures (tf.nest's rules: dicts by sorted keys, tuple subclasses such as
# namedtuples and TopKV2 looked into; everything else, Tensors included, is a leaf) -----------


def _children(x: Any) -> tuple[list, Callable] | None:
    """The items of a structure node and how to rebuild it from new items; None for a leaf."""
    if x is None:
        return [], lambda items: None
    if isinstance(x, dict):
        keys = sorted(x)

        def rebuild(items: list) -> dict:
            by_key = dict(zip(keys, items))
            return {k: by_key[k] for k in x}  # the caller's key order, as tf.nest keeps it

        return [x[k] for k in keys], rebuild
    if type(x) is list or type(x) is tuple:
        return list(x), type(x)
    if isinstance(x, tuple):  # a namedtuple or another tuple type (TopKV2)
        return list(x), lambda items: type(x)(*items)
    if isinstance(x, list):
        return list(x), list
    return None


def flatten(structure: Any) -> list:
    """The leaves of a nested structure, in tf.nest order."""
    split = _children(structure)
    if split is None:
        return [structure]
    return [leaf for item in split[0] for leaf in flatten(item)]


def map_structure(fn: Callable, structure: Any, *others: Any) -> Any:
    """`fn` applied to the leaves of `structure` (and the matching leaves of `others`)."""
    split = _children(structure)
    if split is None:
        return fn(structure, *others)
    items, rebuild = split
    other_items = [_children(other)[0] for other in others]
    return rebuild([map_structure(fn, item, *(o[i] for o in other_items)) for i, item in enumerate(items)])


def pack_sequence_as(structure: Any, flat: list) -> Any:
    """`flat` (in `flatten(structure)` order) in the shape of `structure`."""
    leaves = iter(flat)
    return map_structure(lambda _: next(leaves), structure)


def holds_keras_tensor(*structures: Any) -> bool:
    """Whether any leaf of the structures is a KerasTensor."""
    return any(isinstance(leaf, KerasTensor) for leaf in flatten(structures))


# -- nodes ---------------------------------------------------------------------------------


class Node:
    """One `__call__` of a layer in a Functional graph (tf_keras's Node).

    Args:
      layer: the layer called.
      call_args: the positional arguments (nested structures holding KerasTensors).
      call_kwargs: the keyword arguments as given by the user.
      outputs: the KerasTensors the call produced (a nested structure).
    """

    def __init__(self, layer: Any, call_args: tuple = (), call_kwargs: dict | None = None, outputs: Any = None):
        self.layer = layer
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.is_input = not self.call_args and not self.call_kwargs
        self.outputs = outputs
        self.keras_inputs = [x for x in flatten((self.call_args, self.call_kwargs)) if isinstance(x, KerasTensor)]

    @property
    def parent_nodes(self) -> list[Node]:
        """The nodes that produced this node's KerasTensor inputs."""
        return [x.node for x in self.keras_inputs]

    @property
    def input_tensors(self) -> Any:
        if self.is_input:
            return self.outputs
        return self.call_args[0] if self.call_args else self.keras_inputs

    @property
    def input_shapes(self) -> Any:
        return map_structure(int_shape, self.input_tensors)

    @property
    def output_shapes(self) -> Any:
        return map_structure(int_shape, self.outputs)

    def map_arguments(self, values: dict[int, Any]) -> tuple[tuple, dict]:
        """The call arguments with each KerasTensor replaced by `values[id(tensor)]`."""
        replace = lambda x: values[id(x)] if isinstance(x, KerasTensor) else x  # noqa: E731
        args = map_structure(replace, self.call_args)
        kwargs = map_structure(replace, self.call_kwargs)
        return args, kwargs


def int_shape(x: Any) -> tuple | None:
    """A shape as a tuple of ints and Nones (`tf.keras.backend.int_shape`)."""
    shape = getattr(x, "shape", None)
    if shape is None:
        return None
    shape = TensorShape(shape)
    return None if shape.rank is None else tuple(shape)


# -- the symbolic engine -------------------------------------------------------------------


def _abstract_value(x: KerasTensor, scope: Any, size: int | None = None) -> jax.ShapeDtypeStruct:
    """`x` as an abstract value: each None dim a JAX symbolic size (one per axis position, so
    that the batch dims of several inputs agree), or `size` when given."""
    if size is not None:
        return jax.ShapeDtypeStruct(tuple(size if d is None else d for d in x.shape), x.dtype.as_numpy_dtype)
    dims = [f"d{axis}" if d is None else str(d) for axis, d in enumerate(x.shape)]
    shape = jax_export.symbolic_shape(",".join(dims), scope=scope) if dims else ()
    return jax.ShapeDtypeStruct(shape, x.dtype.as_numpy_dtype)


def _spec_of(value: Any) -> Any:
    if isinstance(value, Tensor):
        return KerasTensor(value.shape, value.dtype)
    return value


class _ScratchTrace:
    """A trace context whose Variable writes are dropped: the symbolic calls only look.

    Variables the call creates (lazy builds) belong to the eager context afterwards, as TF's
    `init_scope` lifts variable creation out of graphs: NNX remembers the JAX trace a Variable
    was made in and refuses `nnx.grad`/`nnx.split` from another one, so their trace state is
    renewed outside the traces."""

    def __enter__(self) -> None:
        self.parent = _state.trace
        trace = TraceContext(self.parent)
        trace.symbolic = True
        _state.trace = trace
        self.root = trace
        while self.root.parent is not None:  # creations are reported to the outermost trace
            self.root = self.root.parent
        self.created_before = len(self.root.created)

    def __exit__(self, *exc: Any) -> None:
        _state.trace = self.parent
        created = self.root.created[self.created_before :]
        if created:
            from flax.nnx import tracers

            with outside_traces():
                for variable in created:
                    object.__setattr__(variable, "_trace_state", tracers.TraceState())


def _filled(leaves: list, structure: Any, positions: list, values: list) -> tuple[tuple, dict]:
    filled = list(leaves)
    for i, value in zip(positions, values):
        filled[i] = value
    return pack_sequence_as(structure, filled)


def _trace_abstractly(fn: Callable, leaves: list, treedef: Any, positions: list, avals: list) -> Any:
    """`fn`'s outputs (Tensors as KerasTensors) for abstract values at `positions` of the
    argument leaves, traced by `jax.eval_shape` in a scratch trace context."""
    produced: dict[str, Any] = {}

    def traced(*values: Any) -> None:
        call_args, call_kwargs = _filled(leaves, treedef, positions, [Tensor(v) for v in values])
        produced["outputs"] = map_structure(_spec_of, fn(*call_args, **call_kwargs))

    with _ScratchTrace():
        jax.eval_shape(traced, *avals)
    return produced["outputs"]


def _probe_concretely(fn: Callable, leaves: list, treedef: Any, positions: list, size: int) -> Any:
    """`fn`'s outputs as KerasTensors when its arguments are computed for real: the graph up
    to them runs on zeros (None dims of size `size`). For ops whose arguments must be values
    (`tf.reshape(x, tf.shape(y))`), as TF's shape inference reads constant shapes."""
    from jaxport.modules.functional import probe_values

    with _ScratchTrace():
        values = probe_values([leaves[i] for i in positions], size)
        call_args, call_kwargs = _filled(leaves, treedef, positions, values)
        return map_structure(_spec_of, fn(*call_args, **call_kwargs))


def _unknown_where_different(first: Any, second: Any) -> Any:
    """The outputs of two probes with different sizes for the unknown dims: a dim that differs
    is unknown (None)."""

    def merge(a: Any, b: Any) -> Any:
        if not isinstance(a, KerasTensor):
            return a
        dims = [x if x == y else None for x, y in zip(a.shape, b.shape)] if a.shape.rank is not None else None
        return KerasTensor(dims, a.dtype)

    return map_structure(merge, first, second)


def symbolic_outputs(fn: Callable, args: tuple, kwargs: dict) -> Any:
    """Run `fn(*args, **kwargs)` on abstract values for the KerasTensors in the arguments and
    return its outputs as new (unconnected) KerasTensors.

    The call is traced by `jax.eval_shape` inside a scratch trace context: Variables are read
    but never written, Variables created by the call (lazy builds) get concrete values, and
    nothing is compiled. None dims are JAX symbolic sizes; code that needs them concrete
    (a noise shape from `x.shape`) is traced twice instead, with sizes 2 and 3 for the None
    dims, and the output dims that differ are None; code that needs argument values (a
    shape computed from `tf.shape`) gets them by running the graph on zeros of those sizes.
    """
    treedef = (args, kwargs)
    leaves = flatten(treedef)
    positions = [i for i, leaf in enumerate(leaves) if isinstance(leaf, KerasTensor)]
    scope = jax_export.SymbolicScope()
    avals = [_abstract_value(leaves[i], scope) for i in positions]
    try:
        return _trace_abstractly(fn, leaves, treedef, positions, avals)
    except Exception as symbolic_error:
        if not any(None in leaves[i].shape for i in positions if leaves[i].shape.rank is not None):
            raise
        probes = [[_abstract_value(leaves[i], scope, size) for i in positions] for size in (2, 3)]
        try:
            first, second = (_trace_abstractly(fn, leaves, treedef, positions, avals) for avals in probes)
        except Exception:
            try:
                first, second = (_probe_concretely(fn, leaves, treedef, positions, size) for size in (2, 3))
            except Exception:
                raise symbolic_error from None
        return _unknown_where_different(first, second)


def connect(layer: Any, call_args: tuple, call_kwargs: dict, outputs: Any) -> Node:
    """Record a call of `layer` as a Node and mark `outputs` (KerasTensors) as produced by it."""
    node = Node(layer, call_args, call_kwargs, outputs)
    node_index = len(layer._inbound_nodes)
    for tensor_index, tensor in enumerate(t for t in flatten(outputs) if isinstance(t, KerasTensor)):
        tensor._keras_history = KerasHistory(layer, node_index, tensor_index)
        if tensor._name is None:
            tensor._name = f"{layer.name}/output:{tensor_index}" if tensor_index else f"{layer.name}/output"
    layer._inbound_nodes.append(node)
    return node


def call_symbolically(layer: Any, inputs: Any, args: tuple, kwargs: dict) -> Any:
    """A layer called on KerasTensors: its outputs as KerasTensors, and a Node in the graph.

    The layer is built (weights named `dense/kernel:0`, as in Keras 2's functional
    construction) and its real `__call__` traced abstractly; losses it adds while traced are
    dropped, the model's real calls add them.
    """
    layers = list(layer._flatten_layers())
    added = [list(sub._added_losses) for sub in layers]
    try:
        outputs = symbolic_outputs(layer.__call__, (inputs, *args), kwargs)
    finally:
        for sub, losses in zip(layers, added):
            sub._added_losses[:] = losses
    connect(layer, (inputs, *args), kwargs, outputs)
    return outputs


def op_layer_call(symbol: str, function: Callable, args: tuple, kwargs: dict) -> Any:
    """`function(*args, **kwargs)` on KerasTensors: a new op layer named `tf.<symbol>`, called
    (see `jaxport.modules.op_layers`)."""
    from jaxport.modules.op_layers import op_layer_call as call

    return call(symbol, function, args, kwargs)


def dispatch_keras_tensors(namespaces: dict[str, Any]) -> None:
    """Let the TF ops in these namespaces take KerasTensors (`jaxport.modules.op_layers`)."""
    from jaxport.modules.op_layers import install_dispatchers

    install_dispatchers(namespaces)


def not_dispatchable_error(value: KerasTensor) -> TypeError:
    """TF's TypeError for a KerasTensor given to an API that does not dispatch (tf.cond,
    tf.function, tapes, conversions)."""
    return TypeError(
        f"You are passing {value}, an intermediate Keras symbolic input/output, to a TF API that does not "
        "allow registering custom dispatchers, such as `tf.cond`, `tf.function`, gradient tapes, or "
        "`tf.map_fn`. Keras Functional model construction only supports TF API calls that *do* support "
        "dispatching, such as `tf.math.add` or `tf.reshape`. Other APIs cannot be called directly on "
        "symbolic Kerasinputs/outputs. You can work around this limitation by putting the operation in a "
        "custom Keras layer `call` and calling that layer on this symbolic input/output."
    )
