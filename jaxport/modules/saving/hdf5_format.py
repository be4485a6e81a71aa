"""tf_keras 2's HDF5 weights layout (`model.save_weights('w.h5')`), read and written with h5py.

The file, as tf_keras 2.21 writes it:

- root attributes `layer_names` (every layer of `model.layers`, weightless ones included, as
  variable-length strings), `backend` (`tensorflow`) and `keras_version` (`2.21.0`);
- one group per layer, created in sorted name order, with the attribute `weight_names`
  (the weights' full names, trainable then non-trainable; an empty float64 array for a
  weightless layer) and one dataset per weight at `layer_name/weight_name`, so a weight
  named `sub/dense/kernel:0` nests as `dense/sub/dense/kernel:0`;
- a group `top_level_model_weights` holding the model's own weights the same way.

An attribute list longer than HDF5's object-header limit is split into `name0`, `name1`, ...
Loading only reads and checks: it returns the (variable, value) pairs to assign, so the
caller assigns nothing unless every check passed.
"""

from __future__ import annotations

import logging
from typing import Any

import h5py
import numpy as np

from jaxport.variables import Variable

HDF5_OBJECT_HEADER_LIMIT = 64512
# The Keras semantics the file follows: tf_keras 2.21 with TF's tensor layouts (kernels as
# TF stores them), which is what these attributes tell a reader such as tf_keras.
BACKEND = "tensorflow"
KERAS_VERSION = "2.21.0"

_log = logging.getLogger("jaxport")


def save_attributes_to_hdf5_group(group: h5py.Group, name: str, data: list[bytes]) -> None:
    """Store a list of byte strings as attribute `name`, split into `name0`, `name1`, ... if it
    is larger than HDF5's object-header limit (tf_keras's chunking).

    Raises:
      RuntimeError: one item alone is larger than the limit.
    """
    too_large = [x for x in data if len(x) > HDF5_OBJECT_HEADER_LIMIT]
    if too_large:
        raise RuntimeError(
            "The following attributes cannot be saved to HDF5 file because they are larger than "
            f"{HDF5_OBJECT_HEADER_LIMIT} bytes: {too_large}"
        )
    as_array = np.asarray(data)
    num_chunks = 1
    chunks = np.array_split(as_array, num_chunks)
    while any(chunk.nbytes > HDF5_OBJECT_HEADER_LIMIT for chunk in chunks):
        num_chunks += 1
        chunks = np.array_split(as_array, num_chunks)
    if num_chunks > 1:
        for chunk_id, chunk in enumerate(chunks):
            group.attrs[f"{name}{chunk_id}"] = chunk
    else:
        group.attrs[name] = data  # a list of bytes: variable-length strings, as tf_keras writes


def load_attributes_from_hdf5_group(group: h5py.Group, name: str) -> list[str]:
    """Read the string list stored as attribute `name` (or its chunks `name0`, `name1`, ...)."""
    if name in group.attrs:
        raw = list(group.attrs[name])
    else:
        raw, chunk_id = [], 0
        while f"{name}{chunk_id}" in group.attrs:
            raw.extend(group.attrs[f"{name}{chunk_id}"])
            chunk_id += 1
    return [item.decode("utf8") if hasattr(item, "decode") else item for item in raw]


def layer_weights(layer: Any) -> list[Variable]:
    """A layer's weights in the order the HDF5 format stores them: trainable, then non-trainable."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def top_level_weights(model: Any) -> list[Variable]:
    """The model's own weights (made by `add_weight` on the model itself): trainable ones first,
    by how they were created (tf_keras's `_trainable_weights + _non_trainable_weights`)."""
    own = list(model._own_weights)
    return [w for w in own if w.trainable] + [w for w in own if not w.trainable]


def _save_subset(group: h5py.Group, weights: list[Variable]) -> None:
    names = [w.name.encode("utf8") for w in weights]
    save_attributes_to_hdf5_group(group, "weight_names", names)
    for name, weight in zip(names, weights):
        value = np.asarray(weight.numpy())
        dataset = group.create_dataset(name, value.shape, dtype=value.dtype)
        if value.shape:
            dataset[:] = value
        else:
            dataset[()] = value


def save_weights_to_hdf5_group(f: h5py.Group, model: Any) -> None:
    """Write every layer's weights and the model's own weights into `f` (tf_keras's layout)."""
    layers = model.layers
    save_attributes_to_hdf5_group(f, "layer_names", [layer.name.encode("utf8") for layer in layers])
    f.attrs["backend"] = BACKEND.encode("utf8")
    f.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
    # sorted, so that group names grow strictly (no group is created inside a prefix's group)
    for layer in sorted(layers, key=lambda x: x.name):
        _save_subset(f.create_group(layer.name), layer_weights(layer))
    _save_subset(f.create_group("top_level_model_weights"), top_level_weights(model))


def _load_subset(group: h5py.Group) -> list[np.ndarray]:
    return [np.asarray(group[name]) for name in load_attributes_from_hdf5_group(group, "weight_names")]


def _as_value(weight: Variable, value: np.ndarray) -> np.ndarray:
    return np.asarray(value, dtype=weight.dtype.as_numpy_dtype)


def _checked_pair(weight: Variable, value: np.ndarray) -> tuple[Variable, np.ndarray]:
    """The pair to assign; TF's assign error for a shape mismatch (raised before any assign)."""
    if tuple(weight.shape) != value.shape:
        raise ValueError(
            f"Cannot assign value to variable ' {weight.name}': Shape mismatch.The variable shape "
            f"{tuple(weight.shape)}, and the assigned value shape {value.shape} are incompatible."
        )
    return weight, _as_value(weight, value)


def load_weights_from_hdf5_group(f: h5py.Group, model: Any) -> list[tuple[Variable, np.ndarray]]:
    """Match saved layers to `model.layers` by position (weightless layers ignored on both sides).

    Returns:
      The (variable, value) pairs to assign; nothing is assigned here.

    Raises:
      ValueError: different numbers of layers with weights, of weights in a layer or at the
        top level, or a weight of another shape (TF's messages).
    """
    layers = [layer for layer in model.layers if layer_weights(layer)]
    saved_names = [name for name in load_attributes_from_hdf5_group(f, "layer_names") if _has_weights(f[name])]
    if len(saved_names) != len(layers):
        raise ValueError(
            "Layer count mismatch when loading weights from file. "
            f"Model expected {len(layers)} layers, found {len(saved_names)} saved layers."
        )
    pairs = []
    for k, (name, layer) in enumerate(zip(saved_names, layers)):
        weights = layer_weights(layer)
        values = _load_subset(f[name])
        if len(values) != len(weights):
            raise ValueError(
                f"Weight count mismatch for layer #{k} (named {layer.name} in the current model, {name} "
                f"in the save file). Layer expects {len(weights)} weight(s). Received {len(values)} "
                "saved weight(s)"
            )
        pairs += [_checked_pair(w, v) for w, v in zip(weights, values)]
    if "top_level_model_weights" in f:
        weights = top_level_weights(model)
        values = _load_subset(f["top_level_model_weights"])
        if len(values) != len(weights):
            raise ValueError(
                "Weight count mismatch for top-level weights when loading weights from file. "
                f"Model expects {len(weights)} top-level weight(s). Received {len(values)} saved "
                "top-level weight(s)"
            )
        pairs += [_checked_pair(w, v) for w, v in zip(weights, values)]
    return pairs


def _has_weights(group: h5py.Group) -> bool:
    return bool(load_attributes_from_hdf5_group(group, "weight_names"))


def load_weights_from_hdf5_group_by_name(
    f: h5py.Group, model: Any, skip_mismatch: bool = False
) -> list[tuple[Variable, np.ndarray]]:
    """Match saved layers to the model's layers of the same name; unmatched ones are ignored.

    With `skip_mismatch`, a layer whose weight count differs is skipped and so is each weight
    whose shape differs (a warning on the `jaxport` logger each, as tf_keras logs them).

    Returns:
      The (variable, value) pairs to assign; nothing is assigned here.

    Raises:
      ValueError: a weight count or shape mismatch, unless `skip_mismatch` (TF's messages).
    """
    by_name: dict[str, list] = {}
    for layer in model.layers:
        if layer.name:
            by_name.setdefault(layer.name, []).append(layer)
    pairs = []
    for k, name in enumerate(load_attributes_from_hdf5_group(f, "layer_names")):
        values = _load_subset(f[name])
        for layer in by_name.get(name, []):
            weights = layer_weights(layer)
            if len(values) != len(weights):
                counts = f"Layer expects {len(weights)} weight(s). Received {len(values)} saved weight(s)"
                if skip_mismatch:
                    _log.warning(
                        f"Skipping loading of weights for layer #{k} (named {layer.name}) due to mismatch "
                        f"in number of weights. {counts}"
                    )
                    continue
                raise ValueError(f"Weight count mismatch for layer #{k} (named {layer.name}). {counts}")
            for weight, value in zip(weights, values):
                if tuple(weight.shape) == value.shape:
                    pairs.append((weight, _as_value(weight, value)))
                    continue
                shapes = (
                    f"for weight {weight.name}. Weight expects shape {tuple(weight.shape)}. Received saved "
                    f"weight with shape {value.shape}"
                )
                if not skip_mismatch:
                    raise ValueError(f"Shape mismatch in layer #{k} (named {layer.name}) {shapes}")
                _log.warning(
                    f"Skipping loading weights for layer #{k} (named {layer.name}) due to mismatch in shape {shapes}"
                )
    if "top_level_model_weights" in f:
        pairs += _top_level_by_name(f["top_level_model_weights"], model, skip_mismatch)
    return pairs


def _top_level_by_name(group: h5py.Group, model: Any, skip_mismatch: bool) -> list[tuple[Variable, np.ndarray]]:
    weights = top_level_weights(model)
    values = _load_subset(group)
    if len(values) != len(weights):
        counts = f"Model expects {len(weights)} top-level weight(s). Received {len(values)} saved top-level weight(s)"
        if not skip_mismatch:
            raise ValueError(f"Weight count mismatch for top-level weights of model. {counts}")
        _log.warning(f"Skipping loading top-level weights for model due to mismatch in number of weights. {counts}")
        return []
    pairs = []
    for weight, value in zip(weights, values):
        if tuple(weight.shape) == value.shape:
            pairs.append((weight, _as_value(weight, value)))
            continue
        shapes = (
            f"weight {weight.name}. Weight expects shape {tuple(weight.shape)}. Received saved weight with "
            f"shape {value.shape}"
        )
        if not skip_mismatch:
            raise ValueError(f"Shape mismatch in model for top-level {shapes}")
        _log.warning(f"Skipping loading top-level weight for model due to mismatch in shape for {shapes}")
    return pairs
