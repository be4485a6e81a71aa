"""Parity case `functional_merging`: Keras 2's merge layers (Add, Subtract, Multiply, Average,
Maximum, Minimum, Concatenate and their functional forms) in a Functional model: names,
output shapes, values and gradients from fixed inputs, broadcasting across ranks, and their
bad-input errors. Same contract as `parity_tests/cases.py`."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy


def case_functional_merging(tf: Any) -> dict[str, Any]:
    """Merge layers on KerasTensors and on eager tensors, with their errors."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    a = tf.keras.Input((3,), name="a")
    b = tf.keras.Input((3,), name="b")
    c = tf.keras.Input((1,), name="c")
    d = tf.keras.Input((2, 3), name="d")
    merged = [
        layers.Add()([a, b]),
        layers.Subtract()([a, b]),
        layers.Multiply()([a, b, a]),
        layers.Average()([a, b]),
        layers.Maximum()([a, b]),
        layers.Minimum()([a, c]),
        layers.Concatenate()([a, b]),
        layers.Concatenate(axis=1)([d, d]),
        layers.add([a, b]),
        layers.concatenate([a, c]),
        layers.Add()([d, a]),
        layers.multiply([d, c]),
    ]
    model = tf.keras.Model([a, b, c, d], merged)
    rs = np.random.RandomState(17)
    inputs = [rs.uniform(-1, 1, shape).astype(np.float32) for shape in ((2, 3), (2, 3), (2, 1), (2, 2, 3))]
    tensors = [tf.constant(x) for x in inputs]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        values = model(tensors)
        total = tf.add_n([tf.reduce_sum(v * v) for v in values])
    out: dict[str, Any] = {
        "layers": [layer.name for layer in model.layers],
        "shapes": [str(t.shape) for t in merged],
        "values": [to_numpy(v) for v in values],
        "input_grads": [to_numpy(g) for g in tape.gradient(total, tensors)],
        "eager_add": to_numpy(layers.Add()([inputs[0], inputs[1]])),
        "eager_concat": to_numpy(layers.Concatenate(axis=0)([tensors[0], tensors[1]])),
    }
    add_error_contract(
        out,
        tf,
        "merge_not_a_list",
        lambda: layers.Add()(a),
        phrases=("should be called on a list of inputs", "(None, 3)"),
    )
    add_error_contract(
        out,
        tf,
        "subtract_three_inputs",
        lambda: layers.Subtract()([a, b, a]),
        phrases=("should be called on exactly 2 inputs",),
    )
    add_error_contract(
        out,
        tf,
        "add_incompatible_shapes",
        lambda: layers.Add()([a, tf.keras.Input((4,))]),
        phrases=("Inputs have incompatible shapes", "(3,) and (4,)"),
    )
    add_error_contract(
        out,
        tf,
        "concatenate_mismatch",
        lambda: layers.Concatenate(axis=1)([d, tf.keras.Input((2, 4))]),
        phrases=("matching shapes except for the concatenation axis", "[(None, 2, 3), (None, 2, 4)]"),
    )
    add_error_contract(
        out,
        tf,
        "concatenate_not_a_list",
        lambda: layers.Concatenate()(a),
        phrases=("should be called on a list of at least 1 input",),
    )
    add_error_contract(
        out,
        tf,
        "merge_batch_sizes",
        lambda: layers.Add()([np.ones((2, 2), np.float32), np.ones((3, 2), np.float32)]),
        phrases=("Cannot merge tensors with different batch sizes", "[(2, 2), (3, 2)]"),
    )
    return out


REFERENCES: dict[str, Reference] = {"functional_merging": Reference("functional_merging")}
