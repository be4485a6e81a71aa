"""Parity cases: Keras 2's recurrent layers and Embedding — SimpleRNN, LSTM, GRU (both
`reset_after` forms), Bidirectional, masks from `Embedding(mask_zero=True)`, `return_sequences`,
`return_state`, `go_backwards`, `initial_state`, cells in `tf.keras.layers.RNN`: outputs, weight
names and shapes, and gradients with respect to the inputs and every weight, from fixed weights.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy

_RANGES = {"kernel": 0.4, "recurrent_kernel": 0.4, "bias": 0.2, "embeddings": 0.5}


def _fix(layer: Any, seed: int) -> None:
    """Uniform weights by kind (`kernel`, `recurrent_kernel`, `bias`, `embeddings`)."""
    values = []
    for i, (w, v) in enumerate(zip(layer.weights, layer.get_weights())):
        kind = w.name.split("/")[-1].split(":")[0]
        r = _RANGES[kind]
        values.append(np.random.RandomState(seed + i).uniform(-r, r, v.shape).astype("float32"))
    layer.set_weights(values)


def _run(tf: Any, out: dict, key: str, layer: Any, x: Any, seed: int, **call_kwargs: Any) -> None:
    x = tf.constant(x)
    layer(x, **call_kwargs)  # build
    _fix(layer, seed)
    with tf.GradientTape() as tape:
        tape.watch(x)
        result = layer(x, **call_kwargs)
        parts = result if isinstance(result, (list, tuple)) else [result]
        loss = tf.add_n([tf.reduce_sum(p * (1.0 + 0.1 * i)) for i, p in enumerate(parts)])
    grads = tape.gradient(loss, [x] + layer.trainable_weights)
    for i, p in enumerate(parts):
        out[f"{key}/out{i}"] = to_numpy(p)
    out[f"{key}/names"] = [w.name for w in layer.weights]
    for i, g in enumerate(grads):
        out[f"{key}/grad{i}"] = to_numpy(g)


def case_recurrent_layers(tf: Any) -> dict[str, Any]:
    """Each recurrent layer over 7 steps of 3 features, batch 2."""
    out: dict[str, Any] = {}
    x = np.random.RandomState(0).randn(2, 7, 3).astype("float32")
    layers = tf.keras.layers
    _run(tf, out, "simple_rnn", layers.SimpleRNN(4), x, 10)
    _run(tf, out, "simple_rnn_seq_relu", layers.SimpleRNN(4, activation="relu", return_sequences=True), x, 11)
    _run(tf, out, "lstm", layers.LSTM(5), x, 20)
    _run(tf, out, "lstm_seq_state", layers.LSTM(5, return_sequences=True, return_state=True), x, 21)
    _run(tf, out, "lstm_backwards", layers.LSTM(5, go_backwards=True, return_sequences=True), x, 22)
    _run(tf, out, "lstm_no_bias", layers.LSTM(3, use_bias=False, unit_forget_bias=False), x, 23)
    _run(tf, out, "gru", layers.GRU(4), x, 30)
    _run(tf, out, "gru_seq_state", layers.GRU(4, return_sequences=True, return_state=True), x, 31)
    _run(tf, out, "gru_reset_before", layers.GRU(4, reset_after=False, return_sequences=True), x, 32)
    _run(tf, out, "rnn_lstm_cell", layers.RNN(layers.LSTMCell(3), return_sequences=True), x, 40)
    _run(tf, out, "bidirectional_lstm", layers.Bidirectional(layers.LSTM(3, return_sequences=True)), x, 50)
    _run(tf, out, "bidirectional_gru_sum", layers.Bidirectional(layers.GRU(3), merge_mode="sum"), x, 51)
    h0 = tf.constant(np.random.RandomState(1).randn(2, 4).astype("float32"))
    c0 = tf.constant(np.random.RandomState(2).randn(2, 4).astype("float32"))
    _run(tf, out, "lstm_initial_state", layers.LSTM(4), x, 60, initial_state=[h0, c0])
    cell = layers.GRUCell(3)
    state = [tf.zeros([2, 3])]
    cell(tf.constant(x[:, 0]), state)
    _fix(cell, 70)
    step_out, new_state = cell(tf.constant(x[:, 0]), state)
    out["gru_cell_step"] = to_numpy(step_out)
    out["gru_cell_state"] = to_numpy(new_state[0])
    out["lstm_config_units"] = np.asarray(layers.LSTM(7).units)
    return out


def case_recurrent_masking(tf: Any) -> dict[str, Any]:
    """Embedding(mask_zero=True) into recurrent layers: padded steps carry the state."""
    out: dict[str, Any] = {}
    tokens = np.array([[3, 1, 4, 1, 5, 0, 0], [2, 7, 0, 0, 0, 0, 0], [9, 2, 6, 5, 3, 5, 8]], "int32")
    layers = tf.keras.layers
    for key, make in (
        ("lstm", lambda: layers.LSTM(4)),
        ("lstm_seq", lambda: layers.LSTM(4, return_sequences=True)),
        ("gru_seq_back", lambda: layers.GRU(3, return_sequences=True, go_backwards=True)),
        ("bi_lstm_seq", lambda: layers.Bidirectional(layers.LSTM(3, return_sequences=True))),
        ("bi_gru", lambda: layers.Bidirectional(layers.GRU(3))),
    ):
        embedding = layers.Embedding(10, 3, mask_zero=True)
        rnn = make()
        model = tf.keras.Sequential([embedding, rnn])
        model(tokens)
        for i, layer in enumerate((embedding, rnn)):
            _fix(layer, 100 + 10 * i)
        with tf.GradientTape() as tape:
            y = model(tokens)
            loss = tf.reduce_sum(y * y)
        grads = tape.gradient(loss, model.trainable_weights)
        out[f"{key}/out"] = to_numpy(y)
        out[f"{key}/names"] = [w.name for w in model.weights]
        for i, g in enumerate(grads):
            out[f"{key}/grad{i}"] = to_numpy(tf.convert_to_tensor(g))  # IndexedSlices for embeddings
    embedding = layers.Embedding(10, 2, mask_zero=True)
    out["embedding_mask"] = to_numpy(embedding.compute_mask(tf.constant(tokens))).astype("int32")
    out["embedding_shape"] = [str(tuple(embedding(tf.constant(tokens)).shape))]
    add_error_contract(
        out,
        tf,
        "embedding_index_out_of_range",
        lambda: layers.Embedding(5, 2)(tf.constant([[1, 7]])),
        phrases=("indices[0,1] = 7 is not in [0, 5)",),
    )
    add_error_contract(out, tf, "lstm_rank_2_input", lambda: layers.LSTM(2)(tf.ones([2, 3])), phrases=("ndim=3",))
    add_error_contract(out, tf, "lstm_zero_units", lambda: layers.LSTM(0), phrases=("units",))
    add_error_contract(
        out, tf, "bidirectional_merge_mode", lambda: layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    )
    add_error_contract(out, tf, "embedding_bad_dim", lambda: layers.Embedding(0, 3), phrases=("input_dim",))
    return out


def case_recurrent_mask_propagation(tf: Any) -> dict[str, Any]:
    """Masks travel through layers that support masking (Dense, Dropout, Activation) to the
    recurrent layer, and out of it (`_keras_mask` of the outputs)."""
    out: dict[str, Any] = {}
    tokens = np.array([[3, 1, 4, 0, 0], [2, 0, 0, 0, 0], [9, 2, 6, 5, 3]], "int32")
    layers = tf.keras.layers
    model = tf.keras.Sequential(
        [
            layers.Embedding(10, 3, mask_zero=True),
            layers.Dropout(0.5),
            layers.Dense(4, activation="tanh"),
            layers.Activation("relu"),
            layers.GRU(3, return_sequences=True),
        ]
    )
    y = model(tokens)
    for i, layer in enumerate(model.layers):
        if layer.weights:
            _fix(layer, 200 + 10 * i)
    x = tf.constant(tokens)
    h = x
    masks = []
    for layer in model.layers:
        h = layer(h)
        masks.append(getattr(h, "_keras_mask", None))
    out["output"] = to_numpy(h)
    for i, mask in enumerate(masks):
        out[f"mask/{i}"] = "none" if mask is None else to_numpy(mask).astype("int32")
    last = layers.LSTM(2)
    final = last(h)
    out["lstm_last_mask"] = "none" if getattr(final, "_keras_mask", None) is None else "mask"
    out["lstm_last"] = to_numpy(final) * 0.0  # weights differ per framework: only the shape and mask
    del y
    return out


REFERENCES: dict[str, Reference] = {
    "recurrent_mask_propagation": Reference("recurrent_mask_propagation"),
    "recurrent_layers": Reference("recurrent_layers"),
    "recurrent_masking": Reference("recurrent_masking"),
}
