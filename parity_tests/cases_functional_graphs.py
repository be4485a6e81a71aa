"""Parity case `functional_graph_features`: Functional graphs beyond plain layer chains —
an int Input through an Embedding with `mask_zero` (the mask reaches the LSTM), a layer with
several outputs (`LSTM(return_state=True)`), KerasTensors passed as keyword arguments
(`initial_state=`), an Input the outputs do not use, a shape computed by ops on a KerasTensor
(`tf.reshape(x, tf.concat([tf.shape(x)[:1], [6]], 0))`), a static batch size, and `tf.cast`/`tf.shape` op
layers. Values from fixed weights, names and shapes. Same contract as `parity_tests/cases.py`."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, to_numpy


def _fixed(layer: Any, seed: int) -> None:
    """Deterministic uniform(-0.5, 0.5) values for every weight of `layer`."""
    layer.set_weights(
        [
            np.random.RandomState(seed + i).uniform(-0.5, 0.5, w.shape).astype(np.float32)
            for i, w in enumerate(layer.get_weights())
        ]
    )


def case_functional_graph_features(tf: Any) -> dict[str, Any]:
    """Masks, multi-output layers, keyword KerasTensors, unused inputs and shape ops."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    out: dict[str, Any] = {}
    tokens = tf.keras.Input((5,), dtype="int32", name="tokens")
    embedded = layers.Embedding(10, 3, mask_zero=True, name="emb")(tokens)
    sequence, state_h, state_c = layers.LSTM(4, return_state=True, return_sequences=True, name="lstm")(embedded)
    text = tf.keras.Model(tokens, [sequence, state_h, state_c], name="text")
    _fixed(text, 3)
    data = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 6, 0]], np.int32)
    out["text_layers"] = [layer.name for layer in text.layers]
    out["text_output_names"] = text.output_names
    out["text_shapes"] = [str(t.shape) + " " + t.dtype.name for t in [embedded, sequence, state_h, state_c]]
    out["text_history"] = [str(t._keras_history[1:]) for t in [sequence, state_h, state_c]]
    out["text_values"] = [to_numpy(v) for v in text(data)]

    steps = tf.keras.Input((3, 2), name="steps")
    h0 = tf.keras.Input((4,), name="h0")
    c0 = tf.keras.Input((4,), name="c0")
    unused = tf.keras.Input((7,), name="unused")
    final = layers.LSTM(4, name="lstm_init")(steps, initial_state=[h0, c0])
    seeded = tf.keras.Model([steps, h0, c0, unused], final, name="seeded")
    _fixed(seeded, 11)
    rs = np.random.RandomState(5)
    inputs = [rs.uniform(-1, 1, shape).astype(np.float32) for shape in ((2, 3, 2), (2, 4), (2, 4), (2, 7))]
    out["seeded_layers"] = [layer.name for layer in seeded.layers]
    out["seeded_y"] = to_numpy(seeded(inputs))

    grid = tf.keras.Input((2, 3), name="grid")
    reshaped = tf.reshape(grid, tf.concat([tf.shape(grid)[:1], [6]], axis=0))
    as_int = tf.cast(grid * 10.0, "int32")
    shaped = tf.keras.Model(grid, [reshaped, as_int, tf.shape(grid)], name="shaped")
    grid_value = rs.uniform(-1, 1, (2, 2, 3)).astype(np.float32)
    values = shaped(grid_value)
    out["shaped_layers"] = [layer.name for layer in shaped.layers]
    out["shaped_specs"] = [str(t.shape) + " " + t.dtype.name for t in shaped.outputs]
    out["shaped_values"] = [to_numpy(v) for v in values]
    top = tf.math.top_k(grid, k=2)
    out["top_k"] = [type(top).__name__, str(top.values.shape), str(top.indices.shape), top.indices.dtype.name]
    out["top_k_values"] = [to_numpy(v) for v in tf.keras.Model(grid, [top.values, top.indices])(grid_value)]

    fixed_batch = tf.keras.Input((3,), batch_size=4, name="fixed_batch")
    doubled = layers.Dense(2, name="fixed_dense")(fixed_batch * 2.0)
    fixed = tf.keras.Model(fixed_batch, doubled)
    _fixed(fixed, 21)
    out["fixed_specs"] = [str(fixed_batch.shape), str(doubled.shape), str(fixed.input_shape)]
    out["fixed_y"] = to_numpy(fixed(rs.uniform(-1, 1, (4, 3)).astype(np.float32)))
    return out


REFERENCES: dict[str, Reference] = {"functional_graph_features": Reference("functional_graph_features")}
