"""Parity cases `kutils_*`: the Keras 2 utilities TF2 code imports — `pad_sequences` over its
options, `Tokenizer` (vocabulary, sequences, matrices, JSON), `normalize` / `to_categorical`,
`timeseries_dataset_from_array` windows, and `tf.keras.backend`'s tensor helpers — with their
bad-input errors. Same contract as `parity_tests/cases.py`."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy


def _dict_items(mapping: Any) -> list[str]:
    """A dict's items as 'key=value' strings in its own order (JSON keys are strings)."""
    return [f"{key}={value}" for key, value in mapping.items()]


def case_kutils_pad_sequences(tf: Any) -> dict[str, Any]:
    """`pad_sequences` with every padding/truncating/maxlen/value/dtype combination."""
    pad = tf.keras.preprocessing.sequence.pad_sequences
    seqs = [[1, 2, 3, 4], [5], [], [6, 7]]
    out: dict[str, Any] = {}
    for padding in ("pre", "post"):
        for truncating in ("pre", "post"):
            for maxlen in (None, 2, 6):
                got = pad(seqs, maxlen=maxlen, padding=padding, truncating=truncating)
                out[f"{padding}/{truncating}/{maxlen}"] = got
                out[f"{padding}/{truncating}/{maxlen}/dtype"] = str(got.dtype)
    out["value_float"] = pad([[0.5, 1.5], [2.25]], dtype="float32", value=-1.0)
    out["int_truncates_floats"] = pad([[0.5, 1.5], [2.25]], value=9)
    out["steps_2d"] = pad([np.ones((2, 3)), np.full((1, 3), 2.0)], maxlen=3, dtype="float64")
    strings = pad([["a", "bb"], ["ccc"]], dtype=object, value="<pad>")
    out["strings"] = [str(v) for v in strings.ravel()]
    out["utils_alias"] = tf.keras.utils.pad_sequences([[1, 2], [3]], padding="post")
    out["all_empty"] = pad([[], []], maxlen=3)
    add_error_contract(
        out,
        tf,
        "bad_padding",
        lambda: pad([[1, 2]], padding="middle"),
        phrases=("Padding type", "middle", "not understood"),
    )
    add_error_contract(
        out, tf, "bad_truncating", lambda: pad([[1, 2]], truncating="both"), phrases=("Truncating type", "both")
    )
    add_error_contract(
        out,
        tf,
        "non_iterable_entry",
        lambda: pad([[1], 5]),
        phrases=("must be a list of iterables", "Found non-iterable: 5"),
    )
    add_error_contract(
        out,
        tf,
        "string_value_int_dtype",
        lambda: pad([[1]], value="x"),
        phrases=("`dtype` int32 is not compatible", "dtype=object"),
    )
    add_error_contract(
        out,
        tf,
        "ragged_step_shape",
        lambda: pad([np.ones((2, 3)), np.ones((1, 2))]),
        phrases=("Shape of sample (2,) of sequence at position 1", "expected shape (3,)"),
    )
    add_error_contract(out, tf, "not_iterable", lambda: pad(7), phrases=("`sequences` must be iterable",))
    return out


def case_kutils_tokenizer(tf: Any) -> dict[str, Any]:
    """`Tokenizer` over num_words/oov_token/lower/filters/split/char_level: its tables,
    sequences, texts back, every matrix mode and its JSON."""
    text = tf.keras.preprocessing.text
    corpus = ["The cat sat on the mat.", "The dog ate my homework!", "Cats and dogs: the END", "the the cat"]
    out: dict[str, Any] = {}
    configs = {
        "default": {},
        "num_words": {"num_words": 5},
        "oov": {"num_words": 5, "oov_token": "<OOV>"},
        "no_lower": {"lower": False},
        "filters_split": {"filters": ".!", "split": " "},
        "char": {"char_level": True, "num_words": 8},
    }
    probe = ["the cat ate the unknown mat", "Dogs, Cats and the END."]
    for key, config in configs.items():
        tok = text.Tokenizer(**config)
        tok.fit_on_texts(corpus)
        out[f"{key}/word_index"] = _dict_items(tok.word_index)
        out[f"{key}/index_word"] = _dict_items(tok.index_word)
        out[f"{key}/word_counts"] = _dict_items(tok.word_counts)
        out[f"{key}/word_docs"] = sorted(_dict_items(tok.word_docs))
        out[f"{key}/document_count"] = np.asarray(tok.document_count)
        seqs = tok.texts_to_sequences(probe)
        out[f"{key}/sequences"] = [np.asarray(s, np.int64) for s in seqs]
        out[f"{key}/texts"] = tok.sequences_to_texts(seqs + [[1, 2, 99]])
        for mode in ("binary", "count", "freq", "tfidf"):
            out[f"{key}/matrix/{mode}"] = tok.texts_to_matrix(probe, mode=mode)
    tok = text.Tokenizer(num_words=6, oov_token="?")
    tok.fit_on_texts(corpus)
    config = json.loads(tok.to_json())
    out["json/class_name"] = config["class_name"]
    out["json/keys"] = sorted(config["config"])
    out["json/word_index"] = config["config"]["word_index"]
    # index_docs/word_docs follow a set's (hash-seeded) order in Keras 2 too: compared sorted
    out["json/index_docs"] = sorted(_dict_items(json.loads(config["config"]["index_docs"])))
    out["json/word_docs"] = sorted(_dict_items(json.loads(config["config"]["word_docs"])))
    out["json/word_counts"] = config["config"]["word_counts"]
    again = text.tokenizer_from_json(tok.to_json())
    out["json/roundtrip_sequences"] = [np.asarray(s, np.int64) for s in again.texts_to_sequences(probe)]
    lists = text.Tokenizer()
    lists.fit_on_texts([["Alpha", "beta"], ["beta", "GAMMA", "beta"]])
    out["token_lists/word_index"] = _dict_items(lists.word_index)
    seqs_only = text.Tokenizer(num_words=5)
    seqs_only.fit_on_sequences([[1, 2], [2, 3, 3]])
    out["fit_on_sequences/tfidf"] = seqs_only.sequences_to_matrix([[1, 2, 2], [4]], mode="tfidf")
    out["text_to_word_sequence"] = text.text_to_word_sequence("Hello, World!  It's--fine\tok", split=" ")
    add_error_contract(
        out,
        tf,
        "matrix_unfitted",
        lambda: text.Tokenizer().sequences_to_matrix([[1]]),
        phrases=("Specify a dimension (`num_words` argument)", "fit on some text data first"),
    )
    add_error_contract(
        out,
        tf,
        "tfidf_unfitted",
        lambda: text.Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf"),
        phrases=("Fit the Tokenizer on some data before using tfidf mode",),
    )
    add_error_contract(
        out,
        tf,
        "unknown_mode",
        lambda: tok.texts_to_matrix(["the cat"], mode="onehot"),
        phrases=("Unknown vectorization mode",),
    )
    add_error_contract(
        out,
        tf,
        "unknown_kwarg",
        lambda: text.Tokenizer(lowercase=True),
        phrases=("Unrecognized keyword arguments", "lowercase"),
    )
    return out


def case_kutils_arrays(tf: Any) -> dict[str, Any]:
    """`normalize` over axes and orders, `to_categorical` over shapes and dtypes."""
    utils = tf.keras.utils
    rs = np.random.RandomState(3)
    x = rs.uniform(-2, 2, (3, 4)).astype(np.float32)
    x[1] = 0.0
    out: dict[str, Any] = {}
    for axis in (-1, 0, 1):
        for order in (1, 2, 3):
            out[f"normalize/{axis}/{order}"] = utils.normalize(x, axis=axis, order=order)
    out["normalize/1d"] = utils.normalize(np.array([3.0, 4.0]))
    out["normalize/3d"] = utils.normalize(rs.uniform(0, 1, (2, 3, 2)), axis=1)
    out["normalize/dtype"] = str(utils.normalize(x).dtype)
    out["categorical/1d"] = utils.to_categorical([0, 2, 1])
    out["categorical/col"] = utils.to_categorical(np.array([[1], [3]]), num_classes=5)
    out["categorical/2d"] = utils.to_categorical(np.array([[0, 1], [2, 0]]))
    out["categorical/int"] = utils.to_categorical([1, 0], dtype="int32")
    out["categorical/dtype"] = str(utils.to_categorical([1, 0], dtype="int32").dtype)
    return out


def _windows(dataset: Any) -> list[np.ndarray]:
    items = []
    for element in dataset:
        parts = element if isinstance(element, tuple) else (element,)
        items.extend(to_numpy(part) for part in parts)
    return items


def case_kutils_timeseries(tf: Any) -> dict[str, Any]:
    """`timeseries_dataset_from_array` windows over lengths, strides, rates, batches and ranges."""
    make = tf.keras.utils.timeseries_dataset_from_array
    data = np.arange(20, dtype=np.float32).reshape(10, 2)
    targets = np.arange(100, 110)
    out: dict[str, Any] = {}
    out["basic"] = _windows(make(data, targets, sequence_length=3, batch_size=4))
    out["stride_rate"] = _windows(
        make(data, targets, sequence_length=2, sequence_stride=3, sampling_rate=2, batch_size=2)
    )
    out["no_targets"] = _windows(make(data, None, sequence_length=4, batch_size=None))
    out["range"] = _windows(make(data, targets, sequence_length=2, start_index=2, end_index=8, batch_size=3))
    out["shifted_targets"] = _windows(make(data[:-2], targets[2:], sequence_length=3, batch_size=8))
    out["1d_float64"] = _windows(make(np.linspace(0, 1, 7), None, sequence_length=5, sequence_stride=2, batch_size=1))
    out["1d_float64/dtype"] = str(_windows(make(np.linspace(0, 1, 7), None, sequence_length=5))[0].dtype)
    add_error_contract(
        out,
        tf,
        "bad_start_index",
        lambda: make(data, None, 2, start_index=-1),
        phrases=("`start_index` must be 0 or greater", "start_index=-1"),
    )
    add_error_contract(
        out,
        tf,
        "end_before_start",
        lambda: make(data, None, 2, start_index=5, end_index=3),
        phrases=("`end_index` must be higher than `start_index`", "start_index=5", "end_index=3"),
    )
    add_error_contract(
        out,
        tf,
        "end_past_data",
        lambda: make(data, None, 2, end_index=10),
        phrases=("`end_index` must be lower than the length of the data", "end_index=10", "length 10"),
    )
    add_error_contract(
        out,
        tf,
        "bad_sampling_rate",
        lambda: make(data, None, 2, sampling_rate=0),
        phrases=("`sampling_rate` must be higher than 0",),
    )
    add_error_contract(
        out,
        tf,
        "stride_too_long",
        lambda: make(data, None, 2, sequence_stride=10),
        phrases=("`sequence_stride` must be lower than the length of the data", "sequence_stride=10"),
    )
    return out


def case_kutils_backend(tf: Any) -> dict[str, Any]:
    """`tf.keras.backend`'s helpers: values, dtypes, shapes, variables and settings."""
    K = tf.keras.backend
    rs = np.random.RandomState(5)
    a = rs.uniform(-1, 1, (2, 3)).astype(np.float32)
    b = rs.uniform(0.1, 2, (3, 4)).astype(np.float32)
    c = rs.uniform(-1, 1, (2, 3, 4)).astype(np.float32)
    d = rs.uniform(-1, 1, (5, 4, 2)).astype(np.float32)
    ta, tb = tf.constant(a), tf.constant(b)
    out: dict[str, Any] = {
        "mean": to_numpy(K.mean(ta)),
        "mean_axis": to_numpy(K.mean(ta, axis=1, keepdims=True)),
        "mean_bool": to_numpy(K.mean(tf.constant([True, False, True]))),
        "sum": to_numpy(K.sum(ta, axis=0)),
        "square": to_numpy(K.square(ta)),
        "sqrt_clipped": to_numpy(K.sqrt(ta)),
        "exp": to_numpy(K.exp(ta)),
        "log": to_numpy(K.log(tb)),
        "abs": to_numpy(K.abs(ta)),
        "dot": to_numpy(K.dot(ta, tb)),
        "dot_nd": to_numpy(K.dot(tf.constant(c), tf.constant(d))),
        "cast": to_numpy(K.cast(ta * 3, "int32")),
        "concatenate": to_numpy(K.concatenate([ta, ta], axis=-1)),
        "concatenate0": to_numpy(K.concatenate([ta, ta], axis=0)),
        "reshape": to_numpy(K.reshape(ta, (3, 2))),
        "expand_dims": to_numpy(K.expand_dims(ta)),
        "clip": to_numpy(K.clip(ta, -0.5, 0.5)),
        "clip_inverted": to_numpy(K.clip(ta, 0.2, 0.1)),
        "clip_none": to_numpy(K.clip(ta, 0.0, None)),
        "sigmoid": to_numpy(K.sigmoid(ta)),
        "relu": to_numpy(K.relu(ta)),
        "relu_args": to_numpy(K.relu(ta, alpha=0.1, max_value=0.5, threshold=0.2)),
        "relu6": to_numpy(K.relu(ta * 10, max_value=6.0)),
        "softmax": to_numpy(K.softmax(ta)),
        "softmax0": to_numpy(K.softmax(ta, axis=0)),
        "shape": to_numpy(K.shape(ta)),
        "int_shape": str(K.int_shape(ta)),
        "int_shape_np": str(K.int_shape(a)),
        "epsilon": np.asarray(K.epsilon()),
        "floatx": K.floatx(),
        "learning_phase": np.asarray(K.learning_phase()),
    }
    const = K.constant([1, 2])
    out["constant"] = [to_numpy(const), const.dtype.name]
    out["constant_int"] = K.constant([1, 2], dtype="int32").dtype.name
    var = K.variable(np.ones((2, 2)), name="kv")
    out["variable"] = [to_numpy(var), var.dtype.name, var.name, str(isinstance(var, tf.Variable))]
    K.set_value(var, [[1, 2], [3, 4]])
    out["set_value"] = K.get_value(var)
    ones = K.ones((2, 3))
    out["ones"] = [to_numpy(ones), ones.dtype.name, str(isinstance(ones, tf.Variable))]
    zeros = K.zeros((0, 3))
    out["zeros_empty"] = [to_numpy(zeros), str(isinstance(zeros, tf.Variable))]
    out["zeros_int"] = K.zeros((2,), dtype="int32").dtype.name
    sample = K.random_normal((4000,), mean=1.0, stddev=2.0, seed=3)
    out["random_normal/dtype"] = sample.dtype.name
    out["random_normal/shape"] = str(tuple(sample.shape))
    out["random_normal/stats"] = np.round(np.asarray([np.mean(to_numpy(sample)), np.std(to_numpy(sample))]), 0)
    K.set_epsilon(1e-4)
    out["set_epsilon"] = np.asarray(K.epsilon())
    K.set_epsilon(1e-7)
    K.set_floatx("float64")
    out["set_floatx"] = [K.floatx(), K.constant([1.0]).dtype.name, K.variable([1.0]).dtype.name]
    K.set_floatx("float32")
    add_error_contract(
        out,
        tf,
        "bad_floatx",
        lambda: K.set_floatx("float8"),
        phrases=("Unknown `floatx` value: float8", "Expected one of"),
        state=lambda: K.floatx(),
    )
    add_error_contract(
        out,
        tf,
        "bad_floatx_int",
        lambda: K.set_floatx("int32"),
        phrases=("Unknown `floatx` value: int32",),
        state=lambda: K.floatx(),
    )
    return out


REFERENCES: dict[str, Reference] = {
    name: Reference(name)
    for name in ("kutils_pad_sequences", "kutils_tokenizer", "kutils_arrays", "kutils_timeseries", "kutils_backend")
}
