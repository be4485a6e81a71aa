"""Parity cases: host-side types (see parity_tests/cases.py for the contract).

String tensors and `tf.strings`, `tf.RaggedTensor` / `tf.ragged`, `tf.sparse.SparseTensor` /
`tf.sparse`, and their bad inputs (recorded with `add_error_contract`). String results are
encoded as `str` (the repr of the bytes TF returns), ragged values as `str(to_list())`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy


def _text(value: Any) -> str:
    """A string or ragged result as text: the repr of its nested list of bytes / numbers."""
    if hasattr(value, "to_list"):
        return str(value.to_list())
    array = value.numpy() if hasattr(value, "numpy") else np.asarray(value)
    return repr(array.tolist()) if isinstance(array, np.ndarray) else repr(array)


def case_host_strings(tf: Any) -> dict[str, Any]:
    """String tensors: constants, printing, tf.strings ops, comparisons, hashing."""
    out: dict[str, Any] = {}
    c = tf.constant(["a b", "c"])
    scalar = tf.constant("héllo")
    out["dtype"] = [c.dtype.name, str(c.dtype), repr(tf.string), scalar.dtype.name]
    out["numpy"] = [repr(c.numpy()), repr(scalar.numpy()), str(c.numpy().dtype)]
    out["print"] = [repr(c), str(c), repr(scalar), str(scalar), str(c.shape)]
    out["bytes_constant"] = _text(tf.constant([b"x", b"yz"]))
    out["nested"] = [_text(tf.constant([["a", "b"], ["c", "d"]])), str(tf.constant([["a", "b"]]).shape)]
    out["is_tensor"] = str([isinstance(c, tf.Tensor), tf.is_tensor(c)])
    out["convert"] = _text(tf.convert_to_tensor(["p", "q"]))

    lines = tf.constant(["the quick  brown", "fox", ""])
    words = tf.strings.split(lines)
    out["split"] = [_text(words), str(words.shape), words.dtype.name, type(words).__name__]
    out["split_sep"] = _text(tf.strings.split(tf.constant(["a,b,,c", "d"]), sep=","))
    out["split_maxsplit"] = _text(tf.strings.split(tf.constant(["a b c d"]), maxsplit=1))
    out["split_scalar"] = [
        _text(tf.strings.split(tf.constant("x y"))),
        str(isinstance(tf.strings.split("x y"), tf.RaggedTensor)),
    ]
    out["split_to_tensor"] = _text(tf.strings.split(lines).to_tensor())
    out["split_to_tensor_default"] = _text(tf.strings.split(lines).to_tensor(default_value="<pad>"))

    word = tf.constant(["héllo", "", "ab"])
    out["length_byte"] = to_numpy(tf.strings.length(word))
    out["length_utf8"] = to_numpy(tf.strings.length(word, unit="UTF8_CHAR"))
    out["length_dtype"] = tf.strings.length(word).dtype.name

    out["to_number"] = to_numpy(tf.strings.to_number(tf.constant(["1.5", "-2", "3e2"])))
    out["to_number_int"] = to_numpy(tf.strings.to_number(tf.constant(["3", "-4"]), out_type=tf.int32))
    out["to_number_int64"] = to_numpy(tf.strings.to_number(tf.constant([["7"]]), out_type=tf.int64))
    out["to_number_f64"] = to_numpy(tf.strings.to_number("0.1", out_type=tf.float64))

    out["join"] = _text(tf.strings.join([tf.constant(["a", "b"]), tf.constant(["x", "y"])], separator="-"))
    out["join_broadcast"] = _text(tf.strings.join([tf.constant(["a", "b"]), "!"]))
    grid = tf.constant([["a", "b", "c"], ["d", "e", "f"]])
    out["reduce_join"] = [
        _text(tf.strings.reduce_join(grid)),
        _text(tf.strings.reduce_join(grid, axis=1, separator=",")),
        _text(tf.strings.reduce_join(grid, axis=0)),
        _text(tf.strings.reduce_join(grid, axis=-1, keepdims=True)),
    ]
    out["plus"] = [_text(tf.constant("ab") + tf.constant("cd")), _text(tf.constant(["a", "b"]) + "!")]

    text = tf.constant(["hello world", "foo  bar"])
    out["regex_replace"] = [
        _text(tf.strings.regex_replace(text, "o", "0")),
        _text(tf.strings.regex_replace(text, "o", "0", replace_global=False)),
        _text(tf.strings.regex_replace(text, r"(\w+) (\w+)", r"\2 \1")),
        _text(tf.strings.regex_replace(text, " +", " ")),
    ]
    out["regex_full_match"] = to_numpy(tf.strings.regex_full_match(text, r"h.*d"))
    out["case"] = [
        _text(tf.strings.lower(tf.constant(["HeLLo", "ÀB"]))),
        _text(tf.strings.upper(tf.constant(["HeLLo", "àb"]))),
        _text(tf.strings.lower(tf.constant(["ÀB"]), encoding="utf-8")),
    ]
    out["strip"] = _text(tf.strings.strip(tf.constant(["  a b \n", "\tc"])))
    out["substr"] = [
        _text(tf.strings.substr(tf.constant(["hello", "world"]), 1, 3)),
        _text(tf.strings.substr(tf.constant(["hello", "hi"]), 1, 10)),
        _text(tf.strings.substr(tf.constant(["héllo"]), 1, 2, unit="UTF8_CHAR")),
        _text(tf.strings.substr(tf.constant("hello"), -3, 2)),
    ]
    out["format"] = [
        _text(tf.strings.format("{} and {}", [tf.constant(1), tf.constant([1.5, 2.0])])),
        _text(tf.strings.format("x={}", tf.constant("s"))),
        _text(tf.strings.format("v: {}", tf.constant([[1, 2], [3, 4]]))),
    ]
    out["as_string"] = [
        _text(tf.strings.as_string(tf.constant([1.5, -2.25, 1e-7]))),
        _text(tf.strings.as_string(tf.constant([3, -12]))),
        _text(tf.strings.as_string(tf.constant([3.14159]), precision=2)),
        _text(tf.strings.as_string(tf.constant([7]), width=4, fill="0")),
        _text(tf.strings.as_string(tf.constant([True, False]))),
        _text(tf.strings.as_string(tf.constant([1234.5]), scientific=True)),
    ]
    keys = ["", "a", "hello", "abcdefghij", "0123456789abcdefghij", "x" * 40, "The quick brown fox " * 5, "abc" * 70]
    out["hash_bucket"] = to_numpy(tf.strings.to_hash_bucket_fast(tf.constant(keys), 1000003))
    out["hash_bucket_small"] = to_numpy(tf.strings.to_hash_bucket_fast(tf.constant(["a", "b", "c"]), 10))
    out["hash_bucket_strong"] = [
        to_numpy(tf.strings.to_hash_bucket_strong(tf.constant(keys), 2**62, key=[1, 2])),
        to_numpy(tf.strings.to_hash_bucket_strong(tf.constant(keys), 10, key=[123456789, 987654321])),
        to_numpy(tf.strings.to_hash_bucket_strong(tf.ragged.constant([["a", "b"], []]), 10, key=[1, 2]).flat_values),
    ]
    out["unicode_split"] = _text(tf.strings.unicode_split(tf.constant(["héllo", "ab"]), "UTF-8"))
    out["bytes_split"] = [
        _text(tf.strings.bytes_split(tf.constant(["abc", "d"]))),
        _text(tf.strings.bytes_split("xy")),
    ]
    out["unicode_decode"] = [
        _text(tf.strings.unicode_decode(tf.constant(["héllo", "ab", "\xff"]), "UTF-8")),
        _text(tf.strings.unicode_decode(tf.constant([b"a\xffb", b"\xc3"]), "UTF-8")),
        _text(tf.strings.unicode_decode(tf.constant("hé"), "UTF-8")),
        _text(tf.strings.unicode_decode(tf.constant([b"a\xffb"]), "UTF-8", errors="ignore")),
        _text(tf.strings.unicode_decode(tf.constant([b"\x00a\x00b"]), "UTF-16-BE")),
    ]
    out["unicode_encode"] = [
        _text(tf.strings.unicode_encode(tf.ragged.constant([[104, 233], [97]]), "UTF-8")),
        _text(tf.strings.unicode_encode(tf.constant([104, 233]), "UTF-8")),
        _text(tf.strings.unicode_encode(tf.constant([[97, 98], [99, 100]]), "UTF-8")),
    ]
    out["unicode_split_invalid"] = _text(tf.strings.unicode_split(tf.constant([b"a\xffb", b"\xc3"]), "UTF-8"))
    grams = tf.ragged.constant([["a", "b", "c", "d"], ["e"], [], ["f", "g"]])
    out["ngrams"] = [
        _text(tf.strings.ngrams(grams, 2)),
        _text(tf.strings.ngrams(grams, (1, 3))),
        _text(tf.strings.ngrams(grams, 3, separator="_")),
        _text(tf.strings.ngrams(grams, 2, pad_values="#")),
        _text(tf.strings.ngrams(grams, 3, pad_values=("<", ">"), padding_width=1)),
        _text(tf.strings.ngrams(grams, 3, preserve_short_sequences=True)),
        _text(tf.strings.ngrams(grams, 3, pad_values="#", preserve_short_sequences=True)),
        _text(tf.strings.ngrams(tf.constant(["a", "b", "c"]), 2)),
        _text(tf.strings.ngrams(tf.constant([["a", "b", "c"], ["d", "e", "f"]]), 2)),
        _text(tf.strings.ngrams(grams, 2, padding_width=3, pad_values="#")),
    ]
    out["compare"] = [
        to_numpy(c == "c"),
        to_numpy(c != "c"),
        to_numpy(tf.equal(c, tf.constant(["a b", "x"]))),
        to_numpy(tf.not_equal(c, tf.constant(["a b", "x"]))),
    ]
    out["to_number_forms"] = to_numpy(
        tf.strings.to_number(tf.constant([" 1.5", "+3", ".5", "5.", "1e5", "inf", "-Infinity", "0x1F", "07"]))
    )
    out["to_number_int_forms"] = to_numpy(tf.strings.to_number(tf.constant([" 7", "+7", "07", "-0"]), tf.int32))
    out["constant_shape"] = [_text(tf.constant(["a", "b"], shape=[2, 1])), _text(tf.constant("a", shape=[2]))]
    out["fill"] = _text(tf.fill([2], "x"))
    tokens = tf.ragged.constant([["The", "Cat"], [], ["sat"]])
    out["ragged_string_ops"] = [
        _text(tf.strings.lower(tokens)),
        _text(tf.strings.regex_replace(tokens, "[aeiou]", "_")),
        _text(tf.strings.join([tokens, "!"])),
        _text(tf.strings.substr(tokens, 0, 2)),
        _text(tf.strings.as_string(tf.ragged.constant([[1.5], [2.0, 3.0]]), precision=1)),
    ]
    out["ragged_string_numbers"] = [
        to_numpy(tf.strings.to_hash_bucket_fast(tokens, 100).flat_values),
        to_numpy(tf.strings.regex_full_match(tokens, "[A-Z].*").flat_values),
        to_numpy(tf.strings.to_number(tf.ragged.constant([["1", "2"], ["3"]])).flat_values),
    ]
    out["shape_ops"] = [
        str(tf.shape(grid).numpy().tolist()),
        str(tf.size(grid).numpy()),
        _text(tf.reshape(grid, [3, 2])),
        _text(tf.transpose(grid)),
        _text(grid[1]),
        _text(grid[:, 1:]),
        _text(tf.concat([c, tf.constant(["z"])], axis=0)),
        _text(tf.stack([c, c])),
        _text(tf.gather(c, [1, 0, 1])),
        _text(tf.expand_dims(c, 0)),
        _text(tf.identity(c)),
    ]
    return out


def case_host_ragged(tf: Any) -> dict[str, Any]:
    """tf.RaggedTensor: factories, structure, to_tensor, indexing, elementwise ops, reductions, concat."""
    out: dict[str, Any] = {}
    values = tf.constant([1, 2, 3, 4, 5])
    by_lengths = tf.RaggedTensor.from_row_lengths(values, row_lengths=[2, 0, 3])
    by_splits = tf.RaggedTensor.from_row_splits(values, row_splits=[0, 2, 2, 5])
    by_rowids = tf.RaggedTensor.from_value_rowids(values, value_rowids=[0, 0, 2, 2, 2], nrows=4)
    nested = tf.RaggedTensor.from_nested_row_splits(
        tf.constant([1.0, 2.0, 3.0, 4.0]), nested_row_splits=([0, 2, 3], [0, 1, 3, 4])
    )
    out["factories"] = [_text(by_lengths), _text(by_splits), _text(by_rowids), _text(nested)]
    out["types"] = [
        type(by_lengths).__name__,
        by_lengths.dtype.name,
        by_lengths.row_splits.dtype.name,
        str(isinstance(by_lengths, tf.RaggedTensor)),
        str(tf.is_tensor(by_lengths)),
    ]
    r = tf.ragged.constant([[1, 2], [3], [], [4, 5, 6]])
    rf = tf.ragged.constant([[1.5, -2.0], [3.0]])
    deep = tf.ragged.constant([[[1], [2, 3]], [[4]]])
    out["constant"] = [_text(r), r.dtype.name, rf.dtype.name, _text(deep), str(deep.ragged_rank)]
    out["constant_inner"] = [_text(tf.ragged.constant([[[1, 2]], [[3, 4], [5, 6]]], ragged_rank=1))]
    out["constant_dtype"] = [tf.ragged.constant([[1], []], dtype=tf.float32).dtype.name]
    out["shapes"] = [
        str(r.shape),
        str(deep.shape),
        str(r.shape.rank),
        str(r.ragged_rank),
        str(r.shape[0]),
        str(r.shape[1]),
    ]
    out["structure"] = [
        to_numpy(r.values),
        to_numpy(r.row_splits),
        to_numpy(r.row_lengths()),
        to_numpy(r.nrows()),
        to_numpy(r.bounding_shape()),
        to_numpy(r.value_rowids()),
        to_numpy(deep.flat_values),
        to_numpy(deep.bounding_shape()),
        to_numpy(r.row_starts()),
        to_numpy(r.row_limits()),
    ]
    out["nested_splits"] = [to_numpy(s) for s in deep.nested_row_splits]
    out["to_tensor"] = [
        to_numpy(r.to_tensor()),
        to_numpy(r.to_tensor(default_value=-1)),
        to_numpy(r.to_tensor(shape=[2, 2])),
        to_numpy(r.to_tensor(shape=[5, 4])),
        to_numpy(deep.to_tensor()),
        to_numpy(rf.to_tensor(default_value=9.0)),
    ]
    out["to_list"] = [str(r.to_list()), str(rf.to_list())]
    out["print"] = [
        repr(r),
        str(r),
        repr(tf.ragged.constant([[0.1, 2.0], [], [3.0]])),
        repr(deep),
        repr(tf.ragged.constant([list(range(30)), [1]])),
        repr(tf.ragged.constant([[True], [False, True]])),
        repr(tf.ragged.constant([[1.5, 2.25]], dtype=tf.float64)),
        repr(tf.ragged.constant([[], []])),
        str(tf.ragged.constant([["x y"], []])),
        repr(tf.strings.ngrams(tf.ragged.constant([["a", "b", "c", "d"], ["e"], [], ["f", "g"]]), 3, pad_values="#")),
    ]
    out["index"] = [to_numpy(r[0]), to_numpy(r[3]), to_numpy(r[-1]), to_numpy(r[3, 1])]
    sliceable = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
    out["row_slices"] = [
        _text(sliceable[:, :2]),
        _text(sliceable[:, 1:]),
        _text(sliceable[:, -1:]),
        _text(sliceable[:, ::2]),
        _text(sliceable[1:, :1]),
        _text(sliceable[:, ::-1]),
        _text(sliceable[::2]),
        _text(sliceable[::-1]),
        _text(tf.strings.split(tf.constant(["a b c", "d"]))[:, :2]),
        _text(deep[:, 1:]),
        _text(deep[::-1]),
    ]
    out["index_slice"] = [_text(r[1:3]), _text(deep[1]), _text(deep[0, 1:])]
    out["map_flat_values"] = [
        _text(tf.ragged.map_flat_values(tf.square, r)),
        _text(tf.ragged.map_flat_values(tf.multiply, r, 10)),
    ]
    out["elementwise"] = [
        _text(r + r),
        _text(r * 2),
        _text(r - 1),
        _text(rf + 1.0),
        _text(tf.abs(rf)),
        _text(tf.add(r, r)),
        _text(tf.math.multiply(rf, rf)),
        _text(-r),
        _text(tf.cast(r, tf.float32)),
        _text(r > 2),
    ]
    exp, root = tf.math.exp(rf), tf.math.sqrt(tf.abs(rf))
    out["elementwise_float"] = [to_numpy(exp.flat_values), to_numpy(exp.row_splits), to_numpy(root.flat_values)]
    rows = tf.ragged.constant([[1.0, 2.0], [3.0], [], [4.0, 5.0, 6.0]])
    out["reduce"] = [
        to_numpy(tf.reduce_sum(rows, axis=1)),
        to_numpy(tf.reduce_mean(rows, axis=1)),
        to_numpy(tf.reduce_max(rows, axis=1)),
        to_numpy(tf.reduce_min(rows, axis=1)),
        to_numpy(tf.reduce_sum(rows, axis=0)),
        to_numpy(tf.reduce_mean(rows, axis=0)),
        to_numpy(tf.reduce_sum(rows)),
        to_numpy(tf.reduce_max(rows)),
        to_numpy(tf.reduce_sum(r, axis=1)),
        to_numpy(tf.reduce_sum(rows, axis=-1)),
    ]
    a = tf.ragged.constant([[1, 2], [3]])
    b = tf.ragged.constant([[4], [5, 6, 7]])
    out["concat"] = [
        _text(tf.concat([a, b], axis=0)),
        _text(tf.concat([a, b], axis=1)),
        str(tf.concat([a, b], axis=0).shape),
    ]
    column = tf.ragged.constant([[1.0, 2.0], [], [3.0]])
    out["broadcast"] = [
        _text(column * tf.constant([[1.0], [2.0], [3.0]])),
        _text(column * tf.constant([2.0])),
        _text(column + tf.constant([[10.0]])),
        _text(tf.maximum(column, tf.constant([[1.5], [0.0], [5.0]]))),
    ]
    out["range"] = [
        _text(tf.ragged.range([3, 0, 2])),
        _text(tf.ragged.range([1, 2], [4, 3])),
        _text(tf.ragged.range(3, dtype=tf.float32)),
        _text(tf.ragged.range([1.5, 0.0], 3.0, 0.5)),
        _text(tf.ragged.range(5, 0, -2)),
    ]
    out["boolean_mask"] = [
        _text(tf.ragged.boolean_mask(tf.constant([[1, 2], [3, 4]]), tf.constant([[True, False], [True, True]]))),
        _text(tf.ragged.boolean_mask(column, tf.ragged.constant([[False, True], [], [True]]))),
    ]
    out["stack"] = [
        _text(tf.ragged.stack([tf.ragged.constant([[1], [2, 3]]), tf.ragged.constant([[4]])])),
        str(tf.ragged.stack([tf.ragged.constant([[1], [2, 3]]), tf.ragged.constant([[4]])]).shape),
    ]
    out["iterate"] = [to_numpy(row) for row in tf.ragged.constant([[1, 2], [3], []])]
    flat = tf.constant([1.0, -2.0, 3.0, 4.0, 0.5])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(flat)
        rg = tf.RaggedTensor.from_row_lengths(flat, [2, 0, 3])
        max_loss = tf.reduce_sum(tf.reduce_max(rg, axis=1) * tf.constant([1.0, 0.0, 2.0]))
        mean_loss = tf.reduce_sum(tf.reduce_mean(rg * rg, axis=1) * tf.constant([1.0, 0.0, 3.0]))
        col_loss = tf.reduce_sum(tf.reduce_sum(tf.exp(rg), axis=0) * tf.constant([1.0, 2.0, 3.0]))
        dense_loss = tf.reduce_sum(rg.to_tensor(default_value=7.0) * tf.constant([[1.0, 2.0, 3.0]] * 3))
    # TF may return IndexedSlices (gathers); compared as dense values
    out["gradients"] = [
        to_numpy(max_loss),
        to_numpy(tf.convert_to_tensor(tape.gradient(max_loss, flat))),
        to_numpy(tf.convert_to_tensor(tape.gradient(mean_loss, flat))),
        to_numpy(tf.convert_to_tensor(tape.gradient(col_loss, flat))),
        to_numpy(tf.convert_to_tensor(tape.gradient(dense_loss, flat))),
    ]
    words = tf.strings.split(tf.constant(["a b c", "d"]))
    out["strings_lengths"] = to_numpy(words.row_lengths())
    out["strings"] = [
        _text(words),
        _text(words.to_tensor()),
        _text(tf.strings.length(words)),
        _text(words[1]),
        _text(tf.strings.reduce_join(words, axis=1, separator="+")),
    ]
    return out


def case_host_sparse(tf: Any) -> dict[str, Any]:
    """tf.sparse.SparseTensor: construction, conversions, matmul with gradients, sparse ops."""
    out: dict[str, Any] = {}
    st = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2], [2, 1]], values=[1.0, 2.0, 3.0], dense_shape=[3, 4])
    out["fields"] = [to_numpy(st.indices), to_numpy(st.values), to_numpy(st.dense_shape)]
    out["types"] = [
        st.indices.dtype.name,
        st.values.dtype.name,
        st.dense_shape.dtype.name,
        st.dtype.name,
        str(st.shape),
        type(st).__name__,
        str(isinstance(st, tf.SparseTensor)),
        str(tf.SparseTensor is tf.sparse.SparseTensor),
    ]
    out["to_dense"] = [
        to_numpy(tf.sparse.to_dense(st)),
        to_numpy(tf.sparse.to_dense(st, default_value=-1.0)),
    ]
    dense = tf.constant([[0.0, 1.5, 0.0], [2.0, 0.0, 0.0]])
    fd = tf.sparse.from_dense(dense)
    out["from_dense"] = [to_numpy(fd.indices), to_numpy(fd.values), to_numpy(fd.dense_shape)]
    fd_int = tf.sparse.from_dense(tf.constant([[0, 3], [4, 0]]))
    out["from_dense_int"] = [to_numpy(fd_int.indices), to_numpy(fd_int.values)]
    out["from_dense_int_dtype"] = fd_int.dtype.name

    rs = np.random.RandomState(0)
    b = tf.constant(rs.randn(4, 2).astype("float32"))
    bt = tf.constant(rs.randn(2, 4).astype("float32"))
    out["matmul"] = [
        to_numpy(tf.sparse.sparse_dense_matmul(st, b)),
        to_numpy(tf.sparse.sparse_dense_matmul(st, bt, adjoint_b=True)),
        to_numpy(tf.sparse.sparse_dense_matmul(st, tf.constant(rs.randn(3, 2).astype("float32")), adjoint_a=True)),
    ]
    values = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(values)
        tape.watch(b)
        sp = tf.sparse.SparseTensor([[0, 0], [1, 2], [2, 1]], values, [3, 4])
        loss = tf.reduce_sum(tf.square(tf.sparse.sparse_dense_matmul(sp, b)))
    out["matmul_grad"] = [to_numpy(loss), to_numpy(tape.gradient(loss, b)), to_numpy(tape.gradient(loss, values))]
    out["matmul_dense_sparse"] = to_numpy(
        tf.sparse.sparse_dense_matmul(tf.constant(rs.randn(2, 3).astype("float32")), st)
    )

    out["reduce_sum"] = [
        to_numpy(tf.sparse.reduce_sum(st)),
        to_numpy(tf.sparse.reduce_sum(st, axis=1)),
        to_numpy(tf.sparse.reduce_sum(st, axis=0, keepdims=True)),
        to_numpy(tf.sparse.reduce_sum(st, axis=-1)),
    ]
    reduced = tf.sparse.reduce_sum(st, axis=1, output_is_sparse=True)
    out["reduce_sum_sparse"] = [to_numpy(reduced.indices), to_numpy(reduced.values), to_numpy(reduced.dense_shape)]

    unsorted = tf.sparse.SparseTensor(indices=[[2, 1], [0, 3], [0, 1]], values=[7, 8, 9], dense_shape=[3, 4])
    ordered = tf.sparse.reorder(unsorted)
    out["reorder"] = [to_numpy(ordered.indices), to_numpy(ordered.values)]
    other = tf.sparse.SparseTensor(indices=[[0, 0], [0, 3]], values=[10.0, 20.0], dense_shape=[3, 4])
    added = tf.sparse.add(st, other)
    out["add"] = [to_numpy(added.indices), to_numpy(added.values), to_numpy(tf.sparse.to_dense(added))]
    out["add_dense"] = to_numpy(tf.sparse.add(st, tf.ones([3, 4])))
    tr = tf.sparse.transpose(st)
    out["transpose"] = [to_numpy(tr.indices), to_numpy(tr.values), to_numpy(tr.dense_shape)]
    rsh = tf.sparse.reshape(st, [4, 3])
    out["reshape"] = [
        to_numpy(rsh.indices),
        to_numpy(rsh.dense_shape),
        to_numpy(tf.sparse.reshape(st, [-1]).dense_shape),
    ]
    sl = tf.sparse.slice(st, start=[1, 0], size=[2, 2])
    out["slice"] = [to_numpy(sl.indices), to_numpy(sl.values), to_numpy(sl.dense_shape)]
    kept = tf.sparse.retain(st, tf.constant([True, False, True]))
    out["retain"] = [to_numpy(kept.indices), to_numpy(kept.values), to_numpy(kept.dense_shape)]
    ids = tf.sparse.SparseTensor(
        indices=[[0, 0], [0, 1], [1, 0]], values=tf.constant([1, 3, 2], tf.int64), dense_shape=[2, 2]
    )
    out["to_indicator"] = to_numpy(tf.sparse.to_indicator(ids, vocab_size=4))
    out["maximum"] = to_numpy(tf.sparse.to_dense(tf.sparse.maximum(st, other)))
    out["minimum"] = to_numpy(tf.sparse.to_dense(tf.sparse.minimum(st, other)))
    entries = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(entries)
        sp = tf.sparse.SparseTensor([[0, 0], [1, 2], [2, 1]], entries, [3, 4])
        row_loss = tf.reduce_sum(tf.sparse.reduce_sum(sp, axis=1) * tf.constant([1.0, 2.0, 3.0]))
        sum_loss = tf.reduce_sum(tf.sparse.add(sp, other).values * tf.constant([1.0, 2.0, 3.0, 4.0]))
        dense_loss = tf.reduce_sum(tf.square(tf.sparse.to_dense(sp, default_value=1.0)))
    out["gradients"] = [
        to_numpy(tf.convert_to_tensor(tape.gradient(row_loss, entries))),
        to_numpy(tf.convert_to_tensor(tape.gradient(sum_loss, entries))),
        to_numpy(tf.convert_to_tensor(tape.gradient(dense_loss, entries))),
    ]
    out["map_values"] = to_numpy(tf.sparse.to_dense(tf.sparse.map_values(tf.multiply, st, 2.0)))

    out["print"] = [str(st), repr(st)]
    out["cwise"] = [
        to_numpy((st * tf.constant(2.0)).values),
        to_numpy((st * tf.constant([[1.0], [2.0], [3.0]])).values),
        to_numpy((st / tf.fill([3, 4], 4.0)).values),
        to_numpy((st * tf.ones([3, 4])).indices),
    ]
    joined = tf.sparse.concat(1, [st, other])
    widened = tf.sparse.concat(0, [st, tf.sparse.SparseTensor([[0, 4]], [5.0], [1, 5])], expand_nonconcat_dims=True)
    out["concat"] = [
        to_numpy(joined.indices),
        to_numpy(joined.values),
        to_numpy(joined.dense_shape),
        to_numpy(tf.sparse.to_dense(widened)),
    ]
    out["expand_dims"] = [
        to_numpy(tf.sparse.expand_dims(st, 0).indices),
        to_numpy(tf.sparse.expand_dims(st, -1).dense_shape),
        to_numpy(tf.sparse.expand_dims(st, 1).dense_shape),
    ]
    out["eye"] = [to_numpy(tf.sparse.to_dense(tf.sparse.eye(2, 3))), to_numpy(tf.sparse.eye(3, dtype=tf.int32).values)]
    filled, empty_rows = tf.sparse.fill_empty_rows(
        tf.sparse.SparseTensor([[1, 0], [3, 2]], [1.0, 2.0], [5, 3]), default_value=-1.0
    )
    out["fill_empty_rows"] = [to_numpy(filled.indices), to_numpy(filled.values), to_numpy(empty_rows)]

    @tf.function
    def through_function(sp, scale):
        doubled = tf.sparse.SparseTensor(sp.indices, sp.values * scale, sp.dense_shape)
        return tf.sparse.to_dense(doubled), doubled

    dense_out, sparse_out = through_function(st, tf.constant(2.0))
    out["function"] = [to_numpy(dense_out), to_numpy(sparse_out.values), to_numpy(sparse_out.indices)]
    out["function_type"] = type(sparse_out).__name__
    return out


# Bad inputs: (key, the failing call given `tf`, key phrases of TF's message).
_BAD_INPUTS: list[tuple[str, Callable[[Any], Any], tuple[str, ...]]] = [
    (
        "ngrams_zero_width",
        lambda tf: tf.strings.ngrams(tf.constant(["a"]), 0),
        ("all ngram_widths must be greater than 0",),
    ),
    (
        "ragged_row_out_of_bounds",
        lambda tf: tf.ragged.constant([[1, 2], [3]])[4],
        ("row key 4 out of bounds",),
    ),
    (
        "ragged_inner_int_index",
        lambda tf: tf.ragged.constant([[1, 2], [3]])[:, 0],
        ("cannot index into an inner ragged dimension",),
    ),
    (
        "hash_strong_key",
        lambda tf: tf.strings.to_hash_bucket_strong(tf.constant(["a"]), 10, key=[1]),
        ("key must have 2 elements",),
    ),
    (
        "hash_zero_buckets",
        lambda tf: tf.strings.to_hash_bucket_fast(tf.constant(["a"]), 0),
        ("num_buckets", "must be at least minimum 1"),
    ),
    ("constant_non_rectangular", lambda tf: tf.constant([[1, 2], [3]]), ("non-rectangular",)),
    (
        "row_splits_decreasing",
        lambda tf: tf.RaggedTensor.from_row_splits(tf.constant([1, 2, 3]), row_splits=[0, 2, 1, 3]),
        ("from_row_splits", "monotonic"),
    ),
    (
        "row_splits_last",
        lambda tf: tf.RaggedTensor.from_row_splits(tf.constant([1, 2, 3]), row_splits=[0, 2, 4]),
        ("_from_row_partition", "do not form a valid RaggedTensor"),
    ),
    (
        "row_splits_first",
        lambda tf: tf.RaggedTensor.from_row_splits(tf.constant([1, 2, 3]), row_splits=[1, 2, 3]),
        ("from_row_splits", "zero"),
    ),
    (
        "row_lengths_sum",
        lambda tf: tf.RaggedTensor.from_row_lengths(tf.constant([1, 2, 3]), row_lengths=[1, 1]),
        ("do not form a valid RaggedTensor",),
    ),
    (
        "row_lengths_negative",
        lambda tf: tf.RaggedTensor.from_row_lengths(tf.constant([1, 2, 3]), row_lengths=[4, -1]),
        ("from_row_lengths", "valid RowPartition"),
    ),
    (
        "value_rowids_unsorted",
        lambda tf: tf.RaggedTensor.from_value_rowids(tf.constant([1, 2, 3]), value_rowids=[1, 0, 1], nrows=2),
        ("from_value_rowids", "valid RowPartition"),
    ),
    ("ragged_constant_depth", lambda tf: tf.ragged.constant([[1, [2]], [3]]), ("same nesting depth",)),
    (
        "ragged_concat_axis",
        lambda tf: tf.concat([tf.ragged.constant([[1]]), tf.ragged.constant([[2]])], axis=2),
        ("axis=2", "out of bounds"),
    ),
    (
        "sparse_out_of_bounds",
        lambda tf: tf.sparse.to_dense(tf.sparse.SparseTensor([[0, 0], [5, 1]], [1.0, 2.0], [3, 4])),
        ("out of bounds", "[5,1]", "[3,4]"),
    ),
    (
        "sparse_unsorted",
        lambda tf: tf.sparse.to_dense(tf.sparse.SparseTensor([[1, 0], [0, 1]], [1.0, 2.0], [3, 4])),
        ("out of order", "tf.sparse.reorder"),
    ),
    (
        "sparse_repeated",
        lambda tf: tf.sparse.to_dense(tf.sparse.SparseTensor([[1, 0], [1, 0]], [1.0, 2.0], [3, 4])),
        ("repeated", "[1,0]"),
    ),
    (
        "sparse_values_length",
        lambda tf: tf.sparse.SparseTensor([[0, 0], [1, 1]], [1.0, 2.0, 3.0], [3, 4]),
        ("dimensions 2 and 3", "not compatible"),
    ),
    (
        "sparse_matmul_shapes",
        lambda tf: tf.sparse.sparse_dense_matmul(tf.sparse.SparseTensor([[0, 0]], [1.0], [3, 4]), tf.ones([3, 2])),
        ("inner dimension does not match", "4 vs. 3"),
    ),
    (
        "sparse_reshape_size",
        lambda tf: tf.sparse.reshape(tf.sparse.SparseTensor([[0, 0]], [1.0], [3, 4]), [5, 2]),
        ("12 dense values", "requested shape has 10"),
    ),
    (
        "sparse_add_shapes",
        lambda tf: tf.sparse.add(
            tf.sparse.SparseTensor([[0, 0]], [1.0], [3, 4]), tf.sparse.SparseTensor([[0, 0]], [1.0], [4, 3])
        ),
        ("shapes do not match", "dimension 0"),
    ),
    (
        "sparse_concat_shapes",
        lambda tf: tf.sparse.concat(
            1, [tf.sparse.SparseTensor([[0, 0]], [1.0], [3, 4]), tf.sparse.SparseTensor([[0, 0]], [1.0], [2, 4])]
        ),
        ("input shapes must match", "expected 3 for dimension 0 but got 2 at position 1"),
    ),
    (
        "sparse_cwise_broadcast",
        lambda tf: tf.sparse.SparseTensor([[0, 0]], [1.0], [3, 4]) * tf.ones([2, 4]),
        ("broadcasts dense to sparse only", "[3,4] vs. [2,4]"),
    ),
    (
        "to_number_bad",
        lambda tf: tf.strings.to_number(tf.constant(["1.5", "abc"])),
        ("could not correctly convert string: abc",),
    ),
    (
        "to_number_int_overflow",
        lambda tf: tf.strings.to_number(tf.constant(["99999999999"]), out_type=tf.int32),
        ("99999999999",),
    ),
    (
        "cast_string_float",
        lambda tf: tf.cast(tf.constant(["1.0"]), tf.float32),
        ("cast string to float is not supported",),
    ),
    (
        "length_of_float",
        lambda tf: tf.strings.length(tf.constant([1.0])),
        ("cannot compute StringLength", "expected to be a string tensor but is a float tensor"),
    ),
    (
        "regex_bad_pattern",
        lambda tf: tf.strings.regex_replace(tf.constant(["a"]), "(", "x"),
        ("invalid pattern", "missing )"),
    ),
    (
        "substr_out_of_range",
        lambda tf: tf.strings.substr(tf.constant(["abc"]), 5, 1),
        ("pos 5 out of range", "at index 0"),
    ),
    (
        "join_shapes",
        lambda tf: tf.strings.join([tf.constant(["a", "b"]), tf.constant(["x", "y", "z"])]),
        ("input shapes do not match", "[2] vs. [3]"),
    ),
    ("string_plus_number", lambda tf: tf.constant(["a"]) + tf.constant([1]), ("string tensor but is a int32 tensor",)),
    (
        "exp_of_string",
        lambda tf: tf.math.exp(tf.constant(["a"])),
        ("value for attr 't' of string is not in the list of allowed values",),
    ),
    (
        "to_number_bad_exponent",
        lambda tf: tf.strings.to_number(tf.constant(["1e"])),
        ("could not correctly convert string: 1e",),
    ),
    ("constant_mixed_types", lambda tf: tf.constant(["a", 1]), ("mixed types",)),
    ("constant_number_as_string", lambda tf: tf.constant(1.5, dtype=tf.string), ("cannot convert 1.5", "dtype string")),
    (
        "as_string_fill",
        lambda tf: tf.strings.as_string(tf.constant([3]), width=3, fill="x"),
        ('fill argument not supported: "x"',),
    ),
    (
        "as_string_int_precision",
        lambda tf: tf.strings.as_string(tf.constant([3]), precision=2),
        ("precision not supported for datatype int32",),
    ),
    (
        "substr_negative_out_of_range",
        lambda tf: tf.strings.substr(tf.constant(["hello"]), -6, 2),
        ("pos -6 out of range for string b'hello'",),
    ),
    (
        "ragged_broadcast_along_ragged_dim",
        lambda tf: tf.ragged.constant([[1.0, 2.0], [], [3.0]]) * tf.constant([1.0, 2.0, 3.0]),
        (),
    ),
    ("ragged_range_zero_delta", lambda tf: tf.ragged.range([0, 1], [3, 4], 0), ("requires delta != 0",)),
    (
        "unicode_decode_strict",
        lambda tf: tf.strings.unicode_decode(tf.constant([b"a\xff"]), "UTF-8", errors="strict"),
        ("invalid formatting on input string",),
    ),
    (
        "ragged_to_tensor_rank",
        lambda tf: tf.ragged.constant([[1, 2], [3]]).to_tensor(shape=[2, 2, 2]),
        ("rt_input.rank = 2 but shape.rank = 3",),
    ),
]


def case_host_errors(tf: Any) -> dict[str, Any]:
    """Bad inputs of string, ragged and sparse operations: TF's error class, bases, key phrases."""
    out: dict[str, Any] = {}
    for key, call, phrases in _BAD_INPUTS:
        add_error_contract(out, tf, key, lambda call=call: call(tf), phrases=phrases)
    return out


REFERENCES: dict[str, Reference] = {
    "host_strings": Reference("host_strings"),
    "host_ragged": Reference("host_ragged"),
    "host_sparse": Reference("host_sparse"),
    "host_errors": Reference("host_errors"),
}
