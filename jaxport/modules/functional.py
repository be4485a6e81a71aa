"""`tf.keras.Model(inputs, outputs)`: a Functional model, a graph of layer calls.

The graph is tf_keras's: KerasTensors are its edges, `Node`s (layer calls) its vertices.
`_map_graph` orders it as Keras 2 does (each node's depth is its distance from the outputs;
`layers` go by decreasing depth, then by first traversal), checks that every node can be
computed from the inputs ("Graph disconnected") and that layer names are unique. Calling
the model walks the nodes in that order on real Tensors: eagerly op by op, and inside
`tf.function`/`fit` at trace time, so that the compiled step is one program.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from typing import Any

import numpy as np

from jaxport.eager import Tensor, convert_to_tensor
from jaxport.modules import naming
from jaxport.modules.keras_tensor import KerasTensor, Node, flatten, int_shape, map_structure, pack_sequence_as
from jaxport.modules.model import Model
from jaxport.ops import array_ops, math_ops

__all__ = ["Functional"]


def _is_nested(x: Any) -> bool:
    return isinstance(x, (list, tuple, dict))


def _build_map(outputs: list) -> tuple[list[Node], dict]:
    """Nodes reachable from `outputs`, inputs first (depth-first), and each layer's first
    traversal index."""
    finished: set[int] = set()
    in_progress: set[int] = set()
    ordered: list[Node] = []
    layer_indices: dict[int, int] = {}

    def visit(tensor: KerasTensor) -> None:
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) in finished:
            return
        if id(node) in in_progress:
            raise ValueError(f'Tensor {tensor} from layer "{layer.name}" is part of a cycle.')
        layer_indices.setdefault(id(layer), len(layer_indices))
        in_progress.add(id(node))
        if not node.is_input:
            for x in node.keras_inputs:
                visit(x)
        finished.add(id(node))
        in_progress.discard(id(node))
        ordered.append(node)

    for output in outputs:
        visit(output)
    return ordered, layer_indices


def _map_graph(inputs: list, outputs: list) -> tuple[list[Node], list, dict[int, list[Node]]]:
    """The nodes in execution order, the layers in Keras 2's `model.layers` order, and the
    nodes by depth (0 at the outputs).

    Raises:
      ValueError: "Graph disconnected" when a node needs a tensor the inputs do not give;
        a layer name used twice.
    """
    ordered, layer_indices = _build_map(outputs)
    node_depth: dict[int, int] = {}
    layer_depth: dict[int, int] = {}
    nodes_by_id = {id(node): node for node in ordered}
    layers_by_id = {}
    for node in reversed(ordered):
        depth = node_depth.setdefault(id(node), 0)
        depth = max(depth, layer_depth.get(id(node.layer), 0))  # a shared layer takes its deepest call
        layer_depth[id(node.layer)] = depth
        layers_by_id[id(node.layer)] = node.layer
        node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            nodes_by_id.setdefault(id(parent), parent)
            node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for x in inputs:  # inputs not connected to the outputs still count as layers
        layer = x._keras_history.layer
        if id(layer) not in layer_depth:
            layer_depth[id(layer)] = 0
            layer_indices[id(layer)] = -1
            layers_by_id[id(layer)] = layer
            node = layer._inbound_nodes[0]
            nodes_by_id[id(node)] = node
            node_depth[id(node)] = 0

    layers_at: dict[int, list] = defaultdict(list)
    for key, depth in layer_depth.items():
        layers_at[depth].append(layers_by_id[key])
    layers = []
    for depth in sorted(layers_at, reverse=True):
        layers += sorted(layers_at[depth], key=lambda layer: layer_indices[id(layer)])

    nodes_at: dict[int, list] = defaultdict(list)
    for key, depth in node_depth.items():
        nodes_at[depth].append(nodes_by_id[key])
    computable = {id(x) for x in inputs}
    done: list[str] = []
    execution: list[Node] = []
    for depth in sorted(nodes_at, reverse=True):
        for node in nodes_at[depth]:
            if node.is_input:
                continue
            for x in node.keras_inputs:
                if id(x) not in computable:
                    raise ValueError(
                        f'Graph disconnected: cannot obtain value for tensor {x} at layer "{node.layer.name}". '
                        f"The following previous layers were accessed without issue: {done}"
                    )
            computable.update(id(x) for x in flatten(node.outputs) if isinstance(x, KerasTensor))
            done.append(node.layer.name)
            execution.append(node)

    names = [layer.name for layer in layers]
    for name in names:
        if names.count(name) != 1:
            raise ValueError(
                f'The name "{name}" is used {names.count(name)} times in the model. All layer names should be unique.'
            )
    return execution, layers, dict(nodes_at)


def probe_values(tensors: list, size: int) -> list:
    """Values for KerasTensors: their graph run from its Inputs fed with zeros (None dims of
    `size`), as TF's shape inference evaluates constant shape computations."""
    ordered, _ = _build_map(tensors)
    values: dict[int, Any] = {}
    for node in ordered:
        produced = [x for x in flatten(node.outputs) if isinstance(x, KerasTensor)]
        if node.is_input:
            x = produced[0]
            values[id(x)] = array_ops.zeros([size if d is None else d for d in x.shape], x.dtype)
            continue
        args, kwargs = node.map_arguments(values)
        for ref, value in zip(produced, flatten(node.layer(*args, **kwargs))):
            values[id(ref)] = value
    return [values[id(t)] for t in tensors]


class _Graph:
    """A Functional model's graph: an opaque static object to Flax NNX (its KerasTensors and
    Nodes are Python metadata, not state)."""

    def __init__(self, inputs: Any, outputs: Any):
        if isinstance(inputs, list) and len(flatten(inputs)) == 1:
            inputs = inputs[0]
        if isinstance(outputs, list) and len(flatten(outputs)) == 1:
            outputs = outputs[0]
        self.nested_inputs = inputs
        self.nested_outputs = outputs
        self.inputs: list = flatten(inputs)
        self.outputs: list = flatten(outputs)
        self.dict_inputs = isinstance(inputs, dict)
        self.execution: list[Node] = []
        self.layers: list = []
        self.nodes_by_depth: dict[int, list[Node]] = {}


def _validate(graph: _Graph, model_class: str) -> None:
    if len({id(x) for x in graph.inputs}) != len(graph.inputs):
        raise ValueError(
            "The list of inputs passed to the model contains the same input multiple times. All inputs should "
            f"only appear once.Received inputs={graph.inputs}"
        )
    for x in graph.inputs:
        if not isinstance(x, KerasTensor) or x._keras_history is None:
            raise ValueError(
                f"Input tensors to a {model_class} model must come from `tf.keras.Input`. Received inputs={x} "
                "(missing previous layer metadata)."
            )
    for x in graph.outputs:
        if not isinstance(x, KerasTensor) or x._keras_history is None:
            raise ValueError(
                f"Output tensors of a {model_class} model must be the output of a TensorFlow `Layer` (thus "
                f"holding past layer metadata). Found: {graph.nested_outputs if len(graph.outputs) == 1 else x}"
            )


def _unique_output_names(layers: list) -> list[str]:
    """Output layer names, uniquified (`dense`, `dense_1`) when a layer gives several outputs."""
    names: list[str] = []
    counts: dict[str, int] = {}
    for layer in layers:
        proposal = layer.name
        while proposal in names:
            count = counts.get(layer.name, 1)
            proposal = f"{layer.name}_{count}"
            counts[layer.name] = count + 1
        names.append(proposal)
    return names


class Functional(Model):
    """A Model defined by its inputs and outputs: `tf.keras.Model(inputs, outputs, name=)`.

    Args:
      inputs: a KerasTensor from `tf.keras.Input`, or a list or dict of them.
      outputs: KerasTensors computed from the inputs (one, a list or a dict).
      name: the model name (default `model`, `model_1`, ...).
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None, trainable: bool = True, **kwargs: Any):
        Model.__init__(self, name=name or naming.unique_name("model"), trainable=trainable, **kwargs)
        self._init_graph_network(inputs, outputs)

    def _init_graph_network(self, inputs: Any, outputs: Any) -> None:
        graph = _Graph(inputs, outputs)
        _validate(graph, type(self).__name__)
        graph.execution, graph.layers, graph.nodes_by_depth = _map_graph(graph.inputs, graph.outputs)
        self._graph = graph
        self._layers = list(graph.layers)  # the sublayers NNX and the weight lists see, in Keras order
        self.input_names = [x._keras_history.layer.name for x in graph.inputs]
        self.output_names = _unique_output_names([x._keras_history.layer for x in graph.outputs])
        self.built = True

    # -- structure --------------------------------------------------------------------------
    def _direct_sublayers(self):
        return iter(self._layers)

    @property
    def layers(self) -> list:
        return list(self._layers)

    @property
    def inputs(self) -> list:
        return list(self._graph.inputs)

    @property
    def outputs(self) -> list:
        return list(self._graph.outputs)

    @property
    def input(self) -> Any:
        return self._graph.nested_inputs

    @property
    def output(self) -> Any:
        return self._graph.nested_outputs

    @property
    def input_shape(self) -> Any:
        return map_structure(int_shape, self._graph.nested_inputs)

    @property
    def output_shape(self) -> Any:
        return map_structure(int_shape, self._graph.nested_outputs)

    def build(self, input_shape: Any = None) -> None:
        """A Functional model is built when it is made."""
        self.built = True

    # -- calling ----------------------------------------------------------------------------
    def _flatten_to_inputs(self, inputs: Any) -> list:
        """The call's inputs in `self.inputs` order (a dict is matched by input names)."""
        graph = self._graph
        if isinstance(inputs, dict) and not any(_is_nested(v) for v in inputs.values()):
            names = sorted(graph.nested_inputs) if graph.dict_inputs else self.input_names
            extra = [k for k in inputs if k not in names]
            if extra:
                warnings.warn(
                    f"Input dict contained keys {extra} which did not match any model input. They will be "
                    "ignored by the model.",
                    stacklevel=3,
                )
            if all(n in inputs for n in names):
                return [inputs[n] for n in names]
        return flatten(inputs)

    def _check_input_shape(self, inputs: Any) -> None:
        flat = [
            v if isinstance(v, (Tensor, KerasTensor)) else convert_to_tensor(v) for v in self._flatten_to_inputs(inputs)
        ]
        if len(flat) != len(self._graph.inputs):
            raise ValueError(
                f'Layer "{self.name}" expects {len(self._graph.inputs)} input(s), but it received {len(flat)} '
                f"input tensors. Inputs received: {flat}"
            )
        for index, (value, ref) in enumerate(zip(flat, self._graph.inputs)):
            shape = getattr(value, "shape", None)
            expected = ref.shape
            if shape is None or expected.rank is None:
                continue
            got, want = list(shape), list(expected)
            if got and want and len(got) == len(want) + 1 and got[-1] == 1:
                got = got[:-1]  # (batch, ..., 1) is accepted for (batch, ...), as Keras squeezes it
            elif want and len(got) == len(want) - 1 and want[-1] == 1:
                want = want[:-1]
            if len(got) != len(want) or any(w is not None and g is not None and g != w for g, w in zip(got, want)):
                raise ValueError(
                    f'Input {index} of layer "{self.name}" is incompatible with the layer: expected '
                    f"shape={int_shape(ref)}, found shape={tuple(shape)}"
                )

    def _conform(self, value: Any, ref: KerasTensor) -> Any:
        """A real input made to fit its Input: a trailing axis of 1 squeezed or added, the dtype cast."""
        tensor = convert_to_tensor(value) if not isinstance(value, Tensor) else value
        rank, ref_rank = tensor.ndim, ref.shape.rank
        if ref_rank is not None:
            if rank == ref_rank + 1 and tensor.shape[-1] == 1:
                tensor = array_ops.squeeze(tensor, axis=-1)
            elif rank == ref_rank - 1 and ref.shape[-1] == 1:
                tensor = array_ops.expand_dims(tensor, axis=-1)
        if tensor.dtype != ref.dtype:
            tensor = math_ops.cast(tensor, ref.dtype)
        return tensor

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        """Run the graph's layer calls on real inputs (`training` reaches every layer)."""
        graph = self._graph
        values: dict[int, Any] = {}
        for ref, value in zip(graph.inputs, self._flatten_to_inputs(inputs)):
            values[id(ref)] = self._conform(value, ref)
        for node in graph.execution:
            args, kwargs = node.map_arguments(values)
            outputs = node.layer(*args, **kwargs)
            produced = [x for x in flatten(node.outputs) if isinstance(x, KerasTensor)]
            for ref, value in zip(produced, flatten(outputs)):
                values[id(ref)] = value
        return pack_sequence_as(graph.nested_outputs, [values[id(x)] for x in graph.outputs])

    def get_config(self) -> dict:
        """Keras 2's Functional config: `name`, `trainable`, `layers` (each serialized with its
        `name` and `inbound_nodes`), `input_layers` and `output_layers`."""
        return network_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Functional:
        """A new Functional model (fresh weights) from `get_config()`'s dict.

        Raises:
          ValueError / TypeError: a layer class that is not found (see
            `tf.keras.layers.deserialize`).
        """
        inputs, outputs, _ = reconstruct_from_config(config, custom_objects)
        return cls(inputs=inputs, outputs=outputs, name=config.get("name"), trainable=config.get("trainable", True))


def _skips_first_node(layer: Any) -> bool:
    """A nested model's node 0 is its own graph in tf_keras, so its calls count from 1."""
    from jaxport.modules.model import Sequential

    return isinstance(layer, Functional) or (isinstance(layer, Sequential) and layer.inputs is not None)


def _call_arguments(node: Node) -> tuple[Any, dict]:
    """A node's first call argument and everything else as keyword arguments (positional ones
    named by the layer's `call` signature), as tf_keras's Node.serialize splits them."""
    import inspect

    from jaxport.modules.op_layers import TFOpLambda, function_for_symbol

    args = node.call_args
    if isinstance(node.layer, TFOpLambda):  # named by the TF function's own signature, as tf_keras
        function = function_for_symbol(node.layer.symbol)
        try:
            bound = inspect.signature(function).bind_partial(*args, **node.call_kwargs).arguments
        except (TypeError, ValueError):
            bound = None
        if bound:
            names = list(bound)
            kwargs = {name: bound[name] for name in names[1:]}
            if getattr(node.layer.function, "__module__", None) == "_operator":
                kwargs.setdefault("name", None)  # TF's operator overloads pass name=None
            return bound[names[0]], kwargs
    first, rest = (args[0], args[1:]) if args else (None, ())
    names = [
        p.name
        for p in list(inspect.signature(node.layer.call).parameters.values())[1:]
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    kwargs = dict(zip(names, rest))
    kwargs.update(node.call_kwargs)
    return first, kwargs


def _node_data(node: Node, ref: Any) -> list:
    """`inbound_nodes` entry of one call: `[layer, node, tensor, kwargs]` per tensor of the first
    argument, the kwargs' KerasTensors as `[layer, node, tensor]`."""
    first, kwargs = _call_arguments(node)

    def encode(value: Any) -> Any:
        if isinstance(value, KerasTensor):
            return ref(value)
        if isinstance(value, np.ndarray):
            return value.tolist()
        return value

    kwargs = map_structure(encode, kwargs)
    data = [ref(x) + [kwargs] for x in flatten(first) if isinstance(x, KerasTensor)]
    from jaxport.modules.op_layers import TFOpLambda

    if isinstance(node.layer, TFOpLambda) and isinstance(first, KerasTensor):
        return data[0]  # an op layer keeps its first argument's structure: one tensor is not nested
    return data


def _is_tensor_ref(value: Any, produced: dict) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and value[0] in produced
        and all(isinstance(i, int) for i in value[1:])
    )


def _leaves_with_refs(value: Any, produced: dict) -> list:
    """The `[layer, node, tensor]` references inside a node's kwargs."""
    if _is_tensor_ref(value, produced):
        return [value]
    if isinstance(value, dict):
        return [r for v in value.values() for r in _leaves_with_refs(v, produced)]
    if isinstance(value, list):
        return [r for v in value for r in _leaves_with_refs(v, produced)]
    return []


def _decode_refs(value: Any, produced: dict, tensor_at: Any) -> Any:
    if _is_tensor_ref(value, produced):
        return tensor_at(value)
    if isinstance(value, dict):
        return {k: _decode_refs(v, produced, tensor_at) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode_refs(v, produced, tensor_at) for v in value]
    return value


def network_config(model: Functional) -> dict:
    """`model.get_config()` of a Functional model, with node indices renumbered over the
    model's own nodes as tf_keras does."""
    from jaxport.modules.serialization import serialize

    graph = model._graph
    network_nodes = {id(node) for node in graph.execution}
    network_nodes.update(id(x._keras_history.layer._inbound_nodes[0]) for x in graph.inputs)
    conversion: dict[int, int] = {}
    for layer in model._layers:
        kept = 1 if _skips_first_node(layer) else 0
        for node in layer._inbound_nodes:
            if id(node) in network_nodes:
                conversion[id(node)] = kept
                kept += 1

    def ref(tensor: KerasTensor) -> list:
        layer, node_index, tensor_index = tensor._keras_history
        return [layer.name, conversion[id(layer._inbound_nodes[node_index])], tensor_index]

    layer_configs = []
    for layer in model._layers:
        entry = serialize(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [
            _node_data(node, ref) for node in layer._inbound_nodes if id(node) in network_nodes and not node.is_input
        ]
        layer_configs.append(entry)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layer_configs,
        "input_layers": [ref(x) for x in graph.inputs],
        "output_layers": [ref(x) for x in graph.outputs],
    }


def reconstruct_from_config(
    config: dict, custom_objects: dict | None = None, created_layers: dict | None = None
) -> tuple[list, list, dict]:
    """The inputs and outputs of a Functional graph rebuilt from its config: each layer
    deserialized (or taken from `created_layers` by name) and called again on its inbound
    tensors, in an order where every call's inputs exist (shared layers are called once
    per inbound node).

    Returns:
      (input tensors, output tensors, the layers by name).

    Raises:
      ValueError: a config without `layers`, or inbound nodes that can never be computed.
    """
    from jaxport.modules.serialization import deserialize

    if not isinstance(config, dict) or "layers" not in config:
        raise ValueError(f"A Functional model config needs a `layers` list; received config={config!r}")
    layers: dict[str, Any] = {}
    produced: dict[str, dict[int, list]] = {}  # layer name -> node index -> its output tensors
    pending: list[tuple[str, Any, list]] = []
    for layer_config in config["layers"]:
        name = layer_config["name"]
        layer = (created_layers or {}).get(name)
        if layer is None:
            layer = deserialize(layer_config, custom_objects=custom_objects)
        layers[name] = layer
        if getattr(layer, "is_placeholder", False):
            produced[name] = {0: flatten(layer._inbound_nodes[0].outputs)}
        else:
            produced[name] = {}
            pending += [(name, layer, node_data) for node_data in layer_config.get("inbound_nodes", [])]

    def tensor_at(entry: list) -> Any:
        source, node_index, tensor_index = entry[:3]
        return produced.get(source, {}).get(node_index, [None] * (tensor_index + 1))[tensor_index]

    while pending:
        remaining = []
        for name, layer, node_data in pending:
            if isinstance(node_data[0], str):  # tf_keras writes a one-tensor op layer call unnested
                node_data = [node_data]
            tensors = [tensor_at(entry) for entry in node_data]
            kwargs = dict(node_data[0][3]) if len(node_data[0]) > 3 else {}
            refs = [v for v in _leaves_with_refs(kwargs, produced)]
            earlier = [other for other, _, _ in remaining if other == name]
            if any(t is None for t in tensors) or any(tensor_at(r) is None for r in refs) or earlier:
                remaining.append((name, layer, node_data))
                continue
            kwargs = _decode_refs(kwargs, produced, tensor_at)
            outputs = layer(tensors[0] if len(tensors) == 1 else tensors, **kwargs)
            calls = produced[name]
            index = len(calls) + (1 if _skips_first_node(layer) else 0)
            calls[index] = flatten(outputs)
        if len(remaining) == len(pending):
            names = sorted({name for name, _, _ in remaining})
            raise ValueError(f"Could not rebuild the model from its config: the inputs of layers {names} never exist.")
        pending = remaining

    def collect(refs: list) -> list:
        return [tensor_at(entry) for entry in refs]

    return collect(config["input_layers"]), collect(config["output_layers"]), layers
