"""Parity cases: LayerNormalization, GroupNormalization, UnitNormalization, MultiHeadAttention,
Attention, AdditiveAttention and a small transformer encoder block — outputs, attention scores,
weight names and shapes, gradients with respect to inputs and weights, from fixed weights."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy


def _fix(layer: Any, seed: int) -> None:
    values = []
    for i, (w, v) in enumerate(zip(layer.weights, layer.get_weights())):
        kind = w.name.split("/")[-1].split(":")[0]
        low, high = (0.5, 1.5) if kind in ("gamma", "scale") else (-0.3, 0.3)
        values.append(np.random.RandomState(seed + i).uniform(low, high, v.shape).astype("float32"))
    layer.set_weights(values)


def _record(tf: Any, out: dict, key: str, layer: Any, inputs: list, seed: int, **kwargs: Any) -> None:
    """Call `layer(*inputs, **kwargs)` (an input may be a list of arrays) and record it all."""
    args = [[tf.constant(a) for a in x] if isinstance(x, list) else tf.constant(x) for x in inputs]
    watched = [t for a in args for t in (a if isinstance(a, list) else [a])]
    layer(*args, **kwargs)
    _fix(layer, seed)
    with tf.GradientTape() as tape:
        for t in watched:
            tape.watch(t)
        result = layer(*args, **kwargs)
        parts = list(result) if isinstance(result, (list, tuple)) else [result]
        loss = tf.add_n([tf.reduce_sum(tf.sin(p) * (1.0 + i)) for i, p in enumerate(parts)])
    grads = tape.gradient(loss, watched + layer.trainable_weights)
    for i, p in enumerate(parts):
        out[f"{key}/out{i}"] = to_numpy(p)
    out[f"{key}/names"] = [w.name for w in layer.weights]
    out[f"{key}/shapes"] = [str(tuple(w.shape)) for w in layer.weights]
    for i, g in enumerate(grads):
        out[f"{key}/grad{i}"] = "none" if g is None else to_numpy(g)


def case_attention_normalization(tf: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rs = np.random.RandomState(0)
    x = rs.randn(2, 5, 8).astype("float32")
    y = rs.randn(2, 3, 6).astype("float32")
    image = rs.randn(2, 4, 4, 6).astype("float32")
    layers = tf.keras.layers
    _record(tf, out, "layer_norm", layers.LayerNormalization(), [x], 1)
    _record(tf, out, "layer_norm_axes", layers.LayerNormalization(axis=[1, 2], epsilon=1e-5), [x], 2)
    _record(tf, out, "layer_norm_no_center", layers.LayerNormalization(center=False), [image], 3)
    _record(tf, out, "group_norm", layers.GroupNormalization(groups=3), [image], 4)
    _record(tf, out, "unit_norm", layers.UnitNormalization(), [x], 5)
    _record(tf, out, "mha_self", layers.MultiHeadAttention(num_heads=2, key_dim=4), [x, x], 10)
    _record(
        tf,
        out,
        "mha_cross_scores",
        layers.MultiHeadAttention(num_heads=3, key_dim=2, value_dim=5),
        [x, y],
        11,
        return_attention_scores=True,
    )
    mask = np.array([[[1, 1, 0], [1, 0, 0], [1, 1, 1], [0, 1, 1], [1, 1, 1]]] * 2, "bool")
    _record(
        tf,
        out,
        "mha_mask",
        layers.MultiHeadAttention(num_heads=2, key_dim=3, use_bias=False),
        [x, y],
        12,
        attention_mask=tf.constant(mask),
    )
    _record(
        tf,
        out,
        "mha_causal",
        layers.MultiHeadAttention(num_heads=2, key_dim=3, output_shape=4),
        [x, x],
        13,
        use_causal_mask=True,
    )
    q = rs.randn(2, 4, 6).astype("float32")
    _record(tf, out, "dot_attention", layers.Attention(), [[q, y]], 20)
    _record(tf, out, "dot_attention_scale", layers.Attention(use_scale=True), [[q, y, y * 0.5]], 21)
    _record(tf, out, "concat_attention", layers.Attention(score_mode="concat", use_scale=True), [[q, y]], 22)
    _record(tf, out, "additive_attention", layers.AdditiveAttention(), [[q, y]], 23)
    masked = layers.Attention()
    q_t, y_t = tf.constant(q), tf.constant(y)
    out["dot_attention_masks"] = to_numpy(
        masked([q_t, y_t], mask=[tf.constant([[True, True, False, True]] * 2), tf.constant([[True, False, True]] * 2)])
    )
    add_error_contract(out, tf, "group_norm_groups", lambda: layers.GroupNormalization(groups=4)(tf.constant(image)))
    add_error_contract(out, tf, "attention_not_list", lambda: layers.Attention()(tf.constant(q)), phrases=("list",))
    add_error_contract(out, tf, "attention_score_mode", lambda: layers.Attention(score_mode="bad"))
    return out


def case_transformer_block(tf: Any) -> dict[str, Any]:
    """A small transformer encoder block (keras-io's): MultiHeadAttention + residual +
    LayerNormalization + feed-forward, as a Functional model; predictions and gradients."""
    layers = tf.keras.layers
    inputs = tf.keras.Input(shape=(6, 8))
    attention = layers.MultiHeadAttention(num_heads=2, key_dim=4)(inputs, inputs)
    x = layers.LayerNormalization(epsilon=1e-6)(inputs + attention)
    ff = layers.Dense(16, activation="relu")(x)
    ff = layers.Dense(8)(ff)
    x = layers.LayerNormalization(epsilon=1e-6)(x + ff)
    pooled = tf.reduce_mean(x, axis=1)
    outputs = layers.Dense(3, activation="softmax")(pooled)
    model = tf.keras.Model(inputs, outputs)
    values = [
        np.random.RandomState(100 + i).uniform(0.5, 1.5, v.shape).astype("float32")
        if w.name.split("/")[-1].startswith("gamma")
        else np.random.RandomState(100 + i).uniform(-0.3, 0.3, v.shape).astype("float32")
        for i, (w, v) in enumerate(zip(model.weights, model.get_weights()))
    ]
    model.set_weights(values)
    x_data = np.random.RandomState(1).randn(4, 6, 8).astype("float32")
    y_data = np.array([0, 2, 1, 2], "int32")
    out: dict[str, Any] = {"names": [w.name for w in model.weights]}
    out["predict"] = model.predict(x_data, verbose=0)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
    with tf.GradientTape() as tape:
        loss = loss_fn(y_data, model(x_data))
    grads = tape.gradient(loss, model.trainable_weights)
    out["loss"] = to_numpy(loss)
    for i, g in enumerate(grads):
        out[f"grad{i}"] = to_numpy(g)
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss=loss_fn)
    history = model.fit(x_data, y_data, epochs=3, batch_size=2, verbose=0, shuffle=False)
    out["history/loss"] = np.asarray(history.history["loss"])
    return out


REFERENCES: dict[str, Reference] = {
    "attention_normalization": Reference("attention_normalization"),
    "attention_transformer_block": Reference("transformer_block"),
}
