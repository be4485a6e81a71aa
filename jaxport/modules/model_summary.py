"""`model.summary()`: Keras 2's text table of a model's layers.

Linear models (Sequential, subclassed, Functional graphs that are a chain) print three
columns (65 characters): `Layer (type)`, `Output Shape`, `Param #`; other Functional graphs
add `Connected to` (98 characters) listing each call's inbound tensors as
`layer[node][tensor]`. Long fields wrap inside their column at Keras's break points
(`),`, `},`, `],`, `',`). The totals give parameter counts and their memory sizes.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np

__all__ = ["print_summary", "readable_memory_size"]

_BREAKS = ("),", "},", "],", "',")


def readable_memory_size(size: float) -> str:
    """A byte count as Keras prints it: `84.00 Byte`, `1.50 KB`."""
    units = ["Byte", "KB", "MB", "GB", "TB", "PB"]
    for unit in units:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


def _count(weights: list) -> int:
    unique = {id(w): w for w in weights}.values()
    return int(sum(int(np.prod([d or 0 for d in w.shape.as_list()])) for w in unique))


def _memory(weights: list) -> int:
    unique = {id(w): w for w in weights}.values()
    return int(sum(int(np.prod(w.shape.as_list())) * np.dtype(w.dtype.as_numpy_dtype).itemsize for w in unique))


def _graph_nodes(model: Any) -> list | None:
    """The nodes of a Functional model's graph (None for other models)."""
    graph = getattr(model, "_graph", None)
    by_depth = getattr(graph, "nodes_by_depth", None)
    if by_depth is None:
        return None
    return [node for depth in by_depth.values() for node in depth]


def _is_sequential_like(model: Any) -> bool:
    """Keras 2's test: one node per depth with at most one input, each layer called once."""
    graph = getattr(model, "_graph", None)
    by_depth = getattr(graph, "nodes_by_depth", None)
    if by_depth is None:
        return True
    nodes = []
    for depth_nodes in by_depth.values():
        if len(depth_nodes) > 1 or (len(depth_nodes) == 1 and len(depth_nodes[0].keras_inputs) > 1):
            return False
        nodes += depth_nodes
    ids = {id(node) for node in nodes}
    return all(sum(id(node) in ids for node in layer._inbound_nodes) <= 1 for layer in model.layers)


def _layer_range(model: Any, layer_range: Any) -> tuple[int, int]:
    if layer_range is None:
        return 0, len(model.layers)
    if len(layer_range) != 2:
        raise ValueError(f"layer_range must be a list or tuple of length 2. Received: layer_range = {layer_range}")
    names = [layer.name for layer in model.layers]
    starts = [i for i, name in enumerate(names) if re.match(layer_range[0], name)]
    ends = [i for i, name in enumerate(names) if re.match(layer_range[1], name)]
    if not starts or not ends:
        raise ValueError(f"Passed layer_names do not match the layer names in the model. Received: {layer_range}")
    return starts[0], ends[-1] + 1


def print_summary(
    model: Any,
    line_length: int | None = None,
    positions: list | None = None,
    print_fn: Callable | None = None,
    expand_nested: bool = False,
    show_trainable: bool = False,
    layer_range: Any = None,
) -> None:
    """Print `model`'s summary table line by line with `print_fn` (default `print`)."""
    print_fn = print_fn or print
    sequential_like = _is_sequential_like(model)
    if sequential_like:
        line_length = line_length or 65
        positions = list(positions or [0.45, 0.85, 1.0])
        headers = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = list(positions or [0.3, 0.6, 0.70, 1.0])
        headers = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    if show_trainable:
        line_length += 11
        positions.append(line_length)
        headers.append("Trainable")
    relevant = {id(node) for node in _graph_nodes(model) or []}

    def print_row(fields: list, level: int = 0) -> None:
        remaining = [str(field) for field in fields]
        while any(remaining):
            line = ""
            for col, text in enumerate(remaining):
                start = positions[col - 1] if col > 0 else 0
                last = col == len(positions) - 1
                space = 0 if last else 2
                cutoff = positions[col] - start - space - (0 if last else 1) - (level if col == 0 else 0)
                piece = text[:cutoff]
                breaks = [piece.find(b) + len(b) for b in _BREAKS if piece.find(b) >= 0]
                if breaks:
                    cutoff = min(breaks)
                    piece = piece[:cutoff]
                if col == 0:
                    line += "|" * level + " "
                line += piece + " " * space
                remaining[col] = text[cutoff:]
                pad = positions[col] - len(line) - (level if level and last else 0)
                line += " " * pad
            print_fn(line + "|" * level)

    def output_shape(layer: Any) -> Any:
        try:
            return layer.output_shape
        except AttributeError:
            return "multiple"

    def print_layer(layer: Any, level: int = 0, nested_last: bool = False) -> None:
        fields = [f"{layer.name} ({type(layer).__name__})", output_shape(layer)]
        if sequential_like:
            fields.append(layer.count_params() if layer.built else "0 (unused)")
        else:
            connections = []
            for node in layer._inbound_nodes:
                if relevant and id(node) not in relevant:
                    continue
                for x in node.keras_inputs:
                    inbound, node_index, tensor_index = x._keras_history
                    connections.append(f"{inbound.name}[{node_index}][{tensor_index}]")
            fields += [layer.count_params(), connections]
        if show_trainable:
            fields.append("Y" if layer.trainable else "N")
        print_row(fields, level)
        sublayers = getattr(layer, "layers", None) if expand_nested else None
        if sublayers:
            print_fn("|" * (level + 1) + "¯" * (line_length - 2 * level - 2) + "|" * (level + 1))
            for i, sublayer in enumerate(sublayers):
                print_layer(sublayer, level + 1, i == len(sublayers) - 1)
            print_fn("|" * level + "¯" * (line_length - 2 * level) + "|" * level)
            nested_last = True  # Keras 2 prints no blank line after an expanded model
        if not nested_last:
            print_fn("|" * level + " " * (line_length - 2 * level) + "|" * level)

    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    print_row(headers)
    print_fn("=" * line_length)
    start, end = _layer_range(model, layer_range)
    for layer in model.layers[start:end]:
        print_layer(layer)
    print_fn("=" * line_length)
    trainable, non_trainable = model.trainable_weights, model.non_trainable_weights
    trainable_size, non_trainable_size = _memory(trainable), _memory(non_trainable)
    total = _count(trainable) + _count(non_trainable)
    print_fn(f"Total params: {total} ({readable_memory_size(trainable_size + non_trainable_size)})")
    print_fn(f"Trainable params: {_count(trainable)} ({readable_memory_size(trainable_size)})")
    print_fn(f"Non-trainable params: {_count(non_trainable)} ({readable_memory_size(non_trainable_size)})")
    print_fn("_" * line_length)
