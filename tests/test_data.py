"""Tests of `jaxport.data` (`tf.data.Dataset`); expected values were checked against TF 2.21."""

from __future__ import annotations

import collections
import time

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import jaxport as tf
from jaxport import data as data_mod
from jaxport import errors
from jaxport.data import transformations

D = tf.data.Dataset


def values(ds):
    """The elements as numpy values (structure kept)."""
    return list(ds.as_numpy_iterator())


def ints(ds):
    return [int(v) for v in ds.as_numpy_iterator()]


# -- from_tensor_slices / from_tensors / range -----------------------------------------------


def test_from_tensor_slices_tuple_yields_tensors_with_tf_dtypes():
    ds = D.from_tensor_slices(([1.0, 2.0], [3, 4]))
    out = list(ds)
    assert len(out) == 2
    x, y = out[1]
    assert isinstance(out[1], tuple)
    assert isinstance(x, tf.Tensor) and isinstance(y, tf.Tensor)
    assert x.dtype == tf.float32 and y.dtype == tf.int32
    assert x.shape == () and y.shape == ()
    assert float(x) == 2.0 and int(y) == 4


def test_from_tensor_slices_keeps_numpy_dtypes():
    ds = D.from_tensor_slices((np.arange(3.0), np.arange(3, dtype=np.int64), np.array([True, False, True])))
    x, y, z = next(iter(ds))
    assert x.dtype == tf.float64 and y.dtype == tf.int64 and z.dtype == tf.bool
    got = values(ds)
    assert isinstance(got[0][0], np.float64) and isinstance(got[0][1], np.int64)
    assert_array_equal([g[0] for g in got], [0.0, 1.0, 2.0])


def test_from_tensor_slices_rows_of_matrix():
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    got = values(D.from_tensor_slices(x))
    assert len(got) == 4
    for i, row in enumerate(got):
        assert row.dtype == np.float32 and row.shape == (3,)
        assert_array_equal(row, x[i])


def test_from_tensor_slices_nested_dict_and_namedtuple_structure():
    Point = collections.namedtuple("Point", ["x", "y"])
    ds = D.from_tensor_slices({"a": [1, 2, 3], "b": Point([1.0, 2.0, 3.0], [[1], [2], [3]])})
    first = next(iter(ds))
    assert isinstance(first, dict) and list(first) == ["a", "b"]
    assert isinstance(first["b"], Point)
    assert int(first["a"]) == 1 and first["b"].y.shape == (1,)
    batches = values(ds.batch(2))
    assert_array_equal(batches[0]["a"], np.array([1, 2], np.int32))
    assert_array_equal(batches[0]["b"].x, np.array([1.0, 2.0], np.float32))
    assert_array_equal(batches[1]["b"].y, np.array([[3]], np.int32))
    spec = ds.element_spec
    assert spec["a"] == data_mod.TensorSpec((), tf.int32)
    assert spec["b"].y == data_mod.TensorSpec([1], tf.int32)


def test_from_tensor_slices_tensor_and_list_of_tensors():
    t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert_array_equal(np.stack(values(D.from_tensor_slices(t))), [[1.0, 2.0], [3.0, 4.0]])
    ds = D.from_tensor_slices([tf.constant([1.5, 2.5]), tf.constant([3.5, 4.5])])
    assert ds.element_spec == data_mod.TensorSpec([2], tf.float32)
    assert_array_equal(values(ds)[1], [3.5, 4.5])


def test_from_tensor_slices_snapshots_the_input():
    x = np.arange(4.0)
    ds = D.from_tensor_slices(x)
    x[:] = -1.0
    assert_array_equal(values(ds), [0.0, 1.0, 2.0, 3.0])
    out = values(ds.batch(4))[0]
    out[0] = 99.0  # the arrays handed out are copies
    assert_array_equal(values(ds.batch(4))[0], [0.0, 1.0, 2.0, 3.0])


def test_from_tensor_slices_first_dimension_mismatch():
    with pytest.raises(ValueError, match="Dimensions 10 and 9 are not compatible") as info:
        D.from_tensor_slices((np.zeros((10, 2)), np.zeros(9)))
    assert "(10, 2)" in str(info.value) and "(9,)" in str(info.value)
    with pytest.raises(ValueError, match="Dimensions 3 and 2 are not compatible"):
        D.from_tensor_slices({"a": np.zeros(3), "b": (np.zeros(3), np.zeros(2))})


@pytest.mark.parametrize(
    "bad, exc, pattern",
    [
        (3.0, ValueError, "rank >= 1"),
        ((np.zeros(3), np.float32(1)), ValueError, "rank >= 1"),
        ([[1, 2], [3]], ValueError, "non-rectangular"),
        (None, ValueError, "received None"),
        (np.array(["a", "b"]), TypeError, "dtype"),
    ],
)
def test_from_tensor_slices_bad_input(bad, exc, pattern):
    with pytest.raises(exc, match=pattern):
        D.from_tensor_slices(bad)


def test_from_tensors_single_element():
    ds = D.from_tensors(([1, 2, 3], 2.0))
    assert len(ds) == 1
    assert ds.element_spec == (data_mod.TensorSpec([3], tf.int32), data_mod.TensorSpec([], tf.float32))
    ((a, b),) = list(ds)
    assert_array_equal(a.numpy(), [1, 2, 3])
    assert b.dtype == tf.float32 and float(b) == 2.0


def test_range_variants():
    assert ints(D.range(4)) == [0, 1, 2, 3]
    assert ints(D.range(2, 10, 3)) == [2, 5, 8]
    assert ints(D.range(10, 2, -3)) == [10, 7, 4]
    assert ints(D.range(5, 2)) == []
    assert next(iter(D.range(3))).dtype == tf.int64
    assert D.range(3).element_spec == data_mod.TensorSpec([], tf.int64)
    assert D.range(3, output_type=tf.int32).element_spec.dtype == tf.int32
    assert len(D.range(2, 10, 3)) == 3
    assert len(D.range(3000)) == 3000 and ints(D.range(3000))[-1] == 2999


def test_range_errors():
    with pytest.raises(ValueError, match="between 1 and 3 but was 0"):
        D.range()
    with pytest.raises(TypeError, match="`stop` must be an integer.*1.5"):
        D.range(1.5)
    with pytest.raises(errors.InvalidArgumentError, match="step must be a non-zero"):
        D.range(1, 5, 0)


# -- batch ---------------------------------------------------------------------------------


def test_batch_values_remainder_and_spec():
    ds = D.range(5).batch(2)
    got = values(ds)
    assert [g.tolist() for g in got] == [[0, 1], [2, 3], [4]]
    assert got[0].dtype == np.int64
    assert ds.element_spec == data_mod.TensorSpec([None], tf.int64)
    assert len(ds) == 3
    dropped = D.range(5).batch(2, drop_remainder=True)
    assert [g.tolist() for g in values(dropped)] == [[0, 1], [2, 3]]
    assert dropped.element_spec == data_mod.TensorSpec([2], tf.int64)
    assert len(dropped) == 2


def test_batch_of_slices_tuple():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10)
    batches = list(D.from_tensor_slices((x, y)).batch(4))
    assert [b[0].shape for b in batches] == [(4, 2), (4, 2), (2, 2)]
    assert all(isinstance(b[0], tf.Tensor) and b[0].dtype == tf.float32 for b in batches)
    assert_array_equal(batches[2][0].numpy(), x[8:])
    assert_array_equal(batches[1][1].numpy(), y[4:8])


def test_batch_crosses_repeat_boundary_like_tf():
    ds = D.from_tensor_slices(np.arange(5))
    assert [b.tolist() for b in values(ds.repeat(2).batch(3))] == [[0, 1, 2], [3, 4, 0], [1, 2, 3], [4]]
    assert [b.tolist() for b in values(ds.batch(3).repeat(2))] == [[0, 1, 2], [3, 4], [0, 1, 2], [3, 4]]


def test_batch_of_batches_and_of_mapped_elements():
    nested = values(D.range(8).batch(2).batch(2))
    assert_array_equal(nested[1], [[4, 5], [6, 7]])
    assert D.range(8).batch(2).batch(2).element_spec.shape == [None, None]
    mapped = values(D.range(4).map(lambda v: (v, tf.cast(v, tf.float32) * 0.5)).batch(3))
    assert_array_equal(mapped[0][1], np.array([0.0, 0.5, 1.0], np.float32))
    assert_array_equal(mapped[1][0], [3])


def test_batch_ragged_elements_error():
    ds = D.range(1, 4).map(lambda v: tf.fill([v], v)).batch(2)
    with pytest.raises(errors.InvalidArgumentError, match="different shapes in component 0"):
        list(ds)


@pytest.mark.parametrize("size", [0, -2])
def test_batch_nonpositive_size(size):
    with pytest.raises(errors.InvalidArgumentError, match=f"greater than zero; received batch_size={size}"):
        D.range(3).batch(size)


def test_batch_argument_types():
    with pytest.raises(TypeError, match="`batch_size` must be an integer; received 2.5"):
        D.range(3).batch(2.5)
    with pytest.raises(TypeError, match="`drop_remainder` must be a bool; received 1"):
        D.range(3).batch(2, drop_remainder=1)
    assert len(D.range(3).batch(np.int32(2))) == 2
    assert len(D.range(3).batch(tf.constant(2))) == 2


def test_plain_batching_slices_without_stacking(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("per-element stacking used")

    monkeypatch.setattr(transformations, "_stack", fail)
    x = np.random.default_rng(0).random((4096, 30)).astype(np.float32)
    y = np.arange(4096)
    plain = D.from_tensor_slices((x, y)).batch(64)
    shuffled = D.from_tensor_slices((x, y)).shuffle(4096, seed=1).repeat(2).take(8000).batch(64).prefetch(1)
    assert len(values(plain)) == 64
    got = values(shuffled)
    assert len(got) == 125 and got[-1][0].shape == (8000 - 124 * 64, 30)
    assert_array_equal(got[0][0], x[got[0][1]])  # rows and labels stay paired
    start = time.perf_counter()
    for _ in plain._stream().chunks():
        pass
    assert time.perf_counter() - start < 0.05  # about 0.2 ms; the bound leaves room for slow machines


# -- shuffle -------------------------------------------------------------------------------


def test_shuffle_seeded_is_deterministic_and_reshuffles_each_epoch():
    a = D.range(50).shuffle(50, seed=7)
    b = D.range(50).shuffle(50, seed=7)
    a1, a2 = ints(a), ints(a)
    assert a1 == ints(b) and a2 == ints(b)
    assert sorted(a1) == list(range(50)) and sorted(a2) == list(range(50))
    assert a1 != a2 and a1 != list(range(50))
    assert ints(D.range(50).shuffle(50, seed=8)) != a1


def test_shuffle_without_reshuffle_repeats_the_order():
    ds = D.range(30).shuffle(30, seed=3, reshuffle_each_iteration=False)
    first = ints(ds)
    assert ints(ds) == first and first != list(range(30))
    assert ints(ds.repeat(2)) == first + first


def test_shuffle_then_repeat_uses_new_orders_per_epoch():
    got = ints(D.range(30).shuffle(30, seed=3).repeat(3))
    epochs = [got[0:30], got[30:60], got[60:90]]
    assert all(sorted(e) == list(range(30)) for e in epochs)
    assert epochs[0] != epochs[1] and epochs[1] != epochs[2]


def test_shuffle_small_buffer_is_local_and_complete():
    for seed in range(5):
        out = ints(D.range(100).shuffle(2, seed=seed))
        assert sorted(out) == list(range(100))
        assert out[0] in (0, 1)
        # with a buffer of 2, only elements 0..p+1 have been read when position p is emitted
        assert all(v <= p + 1 for p, v in enumerate(out))
    assert ints(D.range(10).shuffle(1, seed=0)) == list(range(10))
    sliced = D.from_tensor_slices(np.arange(3000)).shuffle(100, seed=1)
    assert sorted(ints(sliced)) == list(range(3000)) and ints(sliced)[:100] != list(range(100))


def test_shuffle_small_buffer_on_generic_elements():
    ds = D.range(20).map(lambda v: v * 2).shuffle(4, seed=0)
    out = ints(ds)
    assert sorted(out) == list(range(0, 40, 2)) and out != list(range(0, 40, 2))


def test_shuffle_keeps_structure_and_pairs():
    x = np.arange(10) * 10
    got = values(D.from_tensor_slices({"x": x, "i": np.arange(10)}).shuffle(10, seed=0))
    assert [g["x"] for g in got] == [g["i"] * 10 for g in got]


def test_shuffle_seed_none_uses_global_seed(monkeypatch):
    from jaxport.ops import random_ops

    monkeypatch.setattr(random_ops, "get_global_seed", lambda: 1234)
    assert ints(D.range(40).shuffle(40)) == ints(D.range(40).shuffle(40))
    monkeypatch.setattr(random_ops, "get_global_seed", lambda: None)
    assert ints(D.range(40).shuffle(40)) != ints(D.range(40).shuffle(40))  # fresh entropy (fails w.p. 1/40!)


def test_shuffle_errors():
    with pytest.raises(errors.InvalidArgumentError, match="buffer_size must be greater than zero"):
        D.range(3).shuffle(0)
    with pytest.raises(TypeError, match="`buffer_size` must be an integer; received 1.5"):
        D.range(3).shuffle(1.5)
    with pytest.raises(TypeError, match="`seed` must be an integer or None"):
        D.range(3).shuffle(3, seed="x")


# -- map / filter --------------------------------------------------------------------------


def test_map_unpacks_tuples_and_passes_dicts_whole():
    got = values(D.from_tensor_slices(([1, 2], [3, 4])).map(lambda a, b: a * 10 + b))
    assert got == [13, 24] and isinstance(got[0], np.int32)
    got = values(D.from_tensor_slices({"a": [1, 2]}).map(lambda d: d["a"] + 1))
    assert got == [2, 3]


def test_map_receives_tensors_and_can_use_ops():
    seen = []

    def fn(v):
        seen.append(type(v))
        return tf.square(tf.cast(v, tf.float32))

    ds = D.range(4).map(fn)
    assert_array_equal(values(ds), np.array([0.0, 1.0, 4.0, 9.0], np.float32))
    assert set(seen) == {tf.Tensor}


def test_map_output_conversion():
    assert values(D.range(2).map(lambda v: [v, v + 1])) == [(0, 1), (1, 2)]  # a list becomes a tuple
    out = next(iter(D.range(2).map(lambda v: 1.5)))
    assert out.dtype == tf.float32
    out = next(iter(D.range(2).map(lambda v: {"v": v, "c": 3})))
    assert isinstance(out, dict) and out["c"].dtype == tf.int32


def test_map_element_spec_inference():
    assert D.range(2).map(lambda v: (v, 1.5)).element_spec == (
        data_mod.TensorSpec([], tf.int64),
        data_mod.TensorSpec([], tf.float32),
    )
    batched = D.range(5).batch(2).map(lambda v: (v * 2, tf.reduce_sum(v)))
    assert batched.element_spec == (data_mod.TensorSpec([None], tf.int64), data_mod.TensorSpec([], tf.int64))
    assert D.range(5).batch(2, drop_remainder=True).map(lambda v: v).element_spec.shape == [2]


def test_map_is_lazy():
    calls = []
    ds = D.range(100).map(lambda v: calls.append(1) or v).take(3)
    assert calls == []
    assert ints(ds) == [0, 1, 2] and len(calls) == 3


def test_map_and_filter_need_callables():
    with pytest.raises(ValueError, match="`map_func` must be a callable. Received map_func=5"):
        D.range(3).map(5)
    with pytest.raises(ValueError, match="`predicate` must be a callable"):
        D.range(3).filter("x")


def test_filter_values_and_cardinality():
    ds = D.range(10).filter(lambda v: v % 3 == 0)
    assert ints(ds) == [0, 3, 6, 9]
    assert int(ds.cardinality()) == -2
    pairs = D.from_tensor_slices(([1, 2, 3], [4, 5, 6])).filter(lambda a, b: a + b > 6)
    assert values(pairs) == [(2, 5), (3, 6)]


def test_filter_predicate_must_return_scalar_bool():
    with pytest.raises(ValueError, match="must return a `tf.bool` scalar tensor.*int64"):
        list(D.range(3).filter(lambda v: v))
    with pytest.raises(ValueError, match="must return a `tf.bool` scalar tensor"):
        list(D.range(3).batch(2).filter(lambda v: v > 0))


# -- repeat / take / skip / prefetch / cache ----------------------------------------------


def test_repeat_take_skip():
    assert ints(D.range(3).repeat(2)) == [0, 1, 2, 0, 1, 2]
    assert ints(D.range(3).repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert ints(D.range(3).repeat(-1).take(4)) == [0, 1, 2, 0]
    assert ints(D.range(3).repeat(0)) == []
    assert ints(D.range(0).repeat()) == []  # ends instead of looping forever
    assert ints(D.range(10).skip(3).take(4)) == [3, 4, 5, 6]
    assert ints(D.range(4).take(-1)) == [0, 1, 2, 3]
    assert ints(D.range(4).skip(-1)) == []
    assert ints(D.range(4).skip(10)) == []
    x = np.arange(10)
    assert ints(D.from_tensor_slices(x).skip(2).take(3).repeat(2)) == [2, 3, 4, 2, 3, 4]


def test_count_argument_types():
    with pytest.raises(TypeError, match="`count` must be an integer; received 1.5"):
        D.range(3).take(1.5)
    with pytest.raises(TypeError, match="`count` must be an integer"):
        D.range(3).skip("2")
    with pytest.raises(TypeError, match="`count` must be an integer or None"):
        D.range(3).repeat(2.0)


def test_prefetch_is_transparent():
    assert ints(D.range(3).prefetch(tf.data.AUTOTUNE)) == [0, 1, 2]
    assert ints(D.range(3).prefetch(2)) == [0, 1, 2]
    with pytest.raises(errors.InvalidArgumentError, match="received buffer_size=-5"):
        D.range(3).prefetch(-5)


def test_cache_replays_first_iteration():
    ds = D.range(20).shuffle(20, seed=1).cache()
    first = ints(ds)
    assert ints(ds) == first
    uncached = D.range(20).shuffle(20, seed=1)
    assert ints(uncached) == first and ints(uncached) != first
    calls = []
    mapped = D.range(3).map(lambda v: calls.append(1) or v).cache()
    assert ints(mapped) == ints(mapped) == [0, 1, 2] and len(calls) == 3
    with pytest.raises(NotImplementedError, match="in memory only"):
        D.range(3).cache("/tmp/x")


# -- zip / enumerate / unbatch / concatenate ----------------------------------------------


def test_zip_forms():
    assert values(D.zip((D.range(3), D.range(10, 15)))) == [(0, 10), (1, 11), (2, 12)]
    assert values(D.zip(D.range(2), D.range(5))) == [(0, 0), (1, 1)]
    got = values(D.zip({"a": D.range(2), "b": D.range(5).batch(2)}))
    assert got[1]["a"] == 1 and got[1]["b"].tolist() == [2, 3]
    nested = D.zip((D.range(2), (D.range(2), D.range(2))))
    assert values(nested)[1] == (1, (1, 1))
    assert nested.element_spec[1][0] == data_mod.TensorSpec([], tf.int64)
    assert len(D.zip((D.range(3), D.range(10, 15)))) == 3
    assert len(D.zip((D.range(3).repeat(), D.range(4)))) == 4
    assert int(D.zip((D.range(3).repeat(), D.range(4).repeat())).cardinality()) == -1


def test_zip_rejects_non_datasets():
    with pytest.raises(TypeError, match="Invalid input to `zip`.*<class 'int'>"):
        D.zip((D.range(3), 2))


def test_enumerate():
    ds = D.range(10, 13).enumerate(2)
    assert values(ds) == [(2, 10), (3, 11), (4, 12)]
    assert ds.element_spec == (data_mod.TensorSpec([], tf.int64), data_mod.TensorSpec([], tf.int64))
    i, v = next(iter(ds))
    assert i.dtype == tf.int64


def test_unbatch():
    ds = D.from_tensor_slices(([[1, 2], [3, 4]], [[5, 6], [7, 8]])).unbatch()
    assert values(ds) == [(1, 5), (2, 6), (3, 7), (4, 8)]
    assert ints(D.range(7).batch(3).unbatch()) == list(range(7))
    assert int(D.range(7).batch(3, drop_remainder=True).unbatch().cardinality()) == 6
    assert int(D.range(7).batch(3).unbatch().cardinality()) == -2
    assert D.range(7).batch(3).unbatch().element_spec == data_mod.TensorSpec([], tf.int64)


def test_unbatch_errors():
    with pytest.raises(ValueError, match="Cannot unbatch an input with scalar components"):
        D.range(3).unbatch()
    bad = D.range(2).map(lambda v: (tf.fill([2], v), tf.fill([3], v))).unbatch()
    with pytest.raises(errors.InvalidArgumentError, match="Component 0 had size 2 but component 1 had size 3"):
        list(bad)


def test_concatenate():
    ds = D.range(2).concatenate(D.range(5, 7))
    assert ints(ds) == [0, 1, 5, 6] and len(ds) == 4
    mixed = D.from_tensor_slices(np.zeros((2, 3))).concatenate(D.from_tensor_slices(np.zeros((1, 4))))
    assert mixed.element_spec.shape == [None]
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        D.range(2).concatenate(D.from_tensor_slices([1.0]))


# -- cardinality, len, iteration ----------------------------------------------------------


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: D.from_tensor_slices(np.zeros((7, 2))), 7),
        (lambda: D.range(7).batch(3), 3),
        (lambda: D.range(7).batch(3, drop_remainder=True), 2),
        (lambda: D.range(7).repeat(), -1),
        (lambda: D.range(7).repeat(3), 21),
        (lambda: D.range(7).repeat().take(5), 5),
        (lambda: D.range(7).skip(5), 2),
        (lambda: D.range(7).repeat().skip(5), -1),
        (lambda: D.range(7).repeat().skip(-1), -1),
        (lambda: D.zip((D.range(7).filter(lambda v: v > 2), D.range(0))), -2),
        (lambda: D.range(3).concatenate(D.range(2).repeat()), -1),
        (lambda: D.range(7).filter(lambda v: v > 2).take(3), -2),
        (lambda: D.range(7).shuffle(2).map(lambda v: v), 7),
        (lambda: D.range(0).repeat(), 0),
        (lambda: D.from_tensor_slices(np.zeros((0, 3))), 0),
    ],
)
def test_cardinality(make, expected):
    card = make().cardinality()
    assert isinstance(card, tf.Tensor) and card.dtype == tf.int64
    assert int(card) == expected


def test_len_and_bool():
    assert len(D.range(3).batch(2)) == 2
    with pytest.raises(TypeError, match="The dataset is infinite."):
        len(D.range(3).repeat())
    with pytest.raises(TypeError, match="The dataset length is unknown."):
        len(D.range(3).filter(lambda v: True))
    assert bool(D.range(0)) and bool(D.range(3).repeat())


def test_iteration_is_fresh_and_iterator_api():
    ds = D.from_tensor_slices(np.arange(3)).map(lambda v: v + 1)
    assert ints(ds) == ints(ds) == [1, 2, 3]
    it = iter(ds)
    assert iter(it) is it
    assert int(next(it)) == 1 and int(it.get_next()) == 2 and int(next(it)) == 3
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(errors.OutOfRangeError):
        it.get_next()
    assert it.element_spec == data_mod.TensorSpec([], tf.int64)
    nested = [[int(v) for v in ds] for _ in range(2)]
    assert nested == [[1, 2, 3], [1, 2, 3]]


def test_as_numpy_iterator_types():
    it = D.from_tensor_slices((np.arange(4.0).reshape(2, 2), [1, 2])).as_numpy_iterator()
    assert iter(it) is it
    row, label = next(it)
    assert isinstance(row, np.ndarray) and row.flags.writeable and isinstance(label, np.int32)


def test_reduce():
    assert int(D.range(5).reduce(np.int64(0), lambda s, v: s + v)) == 10
    total, count = D.from_tensor_slices([1.0, 2.0, 4.0]).reduce((0.0, 0), lambda state, v: (state[0] + v, state[1] + 1))
    assert float(total) == 7.0 and int(count) == 3 and total.dtype == tf.float32
    with pytest.raises(ValueError, match="`reduce_func` must be a callable"):
        D.range(3).reduce(0, None)


# -- specs, helpers, module constants -----------------------------------------------------


def test_tensor_spec():
    spec = data_mod.TensorSpec([None, 3], tf.float32)
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name=None)"
    assert spec.shape == [None, 3] and spec.dtype == tf.float32 and spec.name is None
    assert spec.is_compatible_with(np.zeros((5, 3), np.float32))
    assert not spec.is_compatible_with(np.zeros((5, 4), np.float32))
    assert not spec.is_compatible_with(np.zeros((5, 3), np.float64))
    assert spec == data_mod.TensorSpec((None, 3), "float32") and hash(spec) == hash(data_mod.TensorSpec([None, 3]))
    assert data_mod.TensorSpec.from_tensor(tf.constant([1, 2])) == data_mod.TensorSpec([2], tf.int32)


def test_repr_does_not_run_map_functions():
    assert repr(D.range(3).batch(2)) == (
        "<_BatchDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>"
    )
    calls = []
    text = repr(D.range(3).map(lambda v: calls.append(1) or v))
    assert "unknown" in text and calls == []


def test_numpy_arrays_and_batch_size_helpers():
    x, y = np.arange(12.0).reshape(6, 2), np.arange(6)
    base = D.from_tensor_slices((x, y))
    arrays = base.batch(4).prefetch(1)._numpy_arrays()
    assert isinstance(arrays, tuple) and not arrays[0].flags.writeable
    assert_array_equal(arrays[0], x) and assert_array_equal(arrays[1], y)
    assert base._numpy_arrays() is not None and base._batch_size is None
    assert base.batch(4).cache().prefetch(2)._batch_size == 4
    assert base.batch(4, drop_remainder=True)._drop_remainder
    assert not base.batch(4)._drop_remainder
    assert base.batch(4).repeat()._batch_size == 4
    for not_plain in (base.shuffle(6), base.map(lambda a, b: a), base.batch(2).batch(2), D.range(3), base.take(2)):
        assert not_plain._numpy_arrays() is None
    assert base.batch(2).unbatch()._batch_size is None and D.range(3)._batch_size is None


def test_module_constants():
    assert tf.data.AUTOTUNE == -1
    assert tf.data.INFINITE_CARDINALITY == -1 and tf.data.UNKNOWN_CARDINALITY == -2
    assert tf.data.experimental.AUTOTUNE == -1
    assert int(tf.data.experimental.cardinality(D.range(4))) == 4
