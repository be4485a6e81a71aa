"""tf.function: tracing per signature, Variable lifting, creation rules, eager switch."""

import numpy as np
import pytest

import jaxport as tf


def test_function_reads_and_writes_variables():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def step(x):
        v.assign_add(x)
        return tf.reduce_sum(v * 2.0)

    assert float(step(tf.constant([1.0, 1.0]))) == 10.0
    np.testing.assert_allclose(v.numpy(), [2.0, 3.0])
    assert float(step(tf.constant([1.0, 1.0]))) == 14.0
    assert step.experimental_get_tracing_count() == 1


def test_function_retraces_per_shape_and_python_value():
    calls = []

    @tf.function
    def f(x, scale):
        calls.append(1)
        return x * scale

    f(tf.ones([2]), 2.0)
    f(tf.ones([2]), 2.0)
    f(tf.ones([3]), 2.0)
    f(tf.ones([3]), 3.0)
    assert f.experimental_get_tracing_count() == 3
    np.testing.assert_allclose(f(tf.ones([3]), 3.0).numpy(), [3.0, 3.0, 3.0])


def test_variables_created_on_first_call_only():
    holder = {}

    @tf.function
    def lazy(x):
        if "v" not in holder:
            holder["v"] = tf.Variable(tf.ones([2]) if False else np.ones(2, np.float32))
        return x * holder["v"]

    np.testing.assert_allclose(lazy(tf.constant([2.0, 3.0])).numpy(), [2.0, 3.0])
    holder["v"].assign([5.0, 5.0])
    np.testing.assert_allclose(lazy(tf.constant([2.0, 3.0])).numpy(), [10.0, 15.0])


def test_unconditional_variable_creation_raises_value_error():
    @tf.function
    def bad(x):
        v = tf.Variable(1.0)
        return x * v

    with pytest.raises(ValueError, match="singleton tf.Variables created on the first call"):
        bad(tf.constant(2.0))


def test_gradient_tape_and_optimizer_inside_function_match_eager():
    def make():
        tf.keras.backend.clear_session()
        model = tf.keras.Sequential(
            [tf.keras.layers.Dense(3, activation="relu", input_shape=(4,)), tf.keras.layers.Dense(1)]
        )
        rs = np.random.RandomState(0)
        model.set_weights([rs.randn(*w.shape).astype("float32") for w in model.get_weights()])
        return model, tf.keras.optimizers.Adam(0.01)

    x = np.random.RandomState(1).randn(8, 4).astype("float32")
    y = np.random.RandomState(2).randn(8, 1).astype("float32")
    results = []
    for compiled in (False, True):
        model, opt = make()

        def step(x, y):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(x) - y))
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        fn = tf.function(step) if compiled else step
        losses = [float(fn(tf.constant(x), tf.constant(y))) for _ in range(3)]
        results.append((losses, model.get_weights(), int(opt.iterations.numpy())))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert results[0][2] == results[1][2] == 3


def test_run_functions_eagerly():
    seen = []

    @tf.function
    def f(x):
        seen.append(tf.executing_eagerly())
        return x + 1

    tf.config.run_functions_eagerly(True)
    try:
        f(tf.constant(1.0))
    finally:
        tf.config.run_functions_eagerly(False)
    f(tf.constant(1.0))
    assert seen[0] is True and seen[-1] is False


def test_function_as_decorator_with_arguments_and_on_methods():
    class Scaler(tf.Module if hasattr(tf, "Module") else object):
        def __init__(self):
            self.v = tf.Variable(3.0)

        @tf.function
        def __call__(self, x):
            return x * self.v

    s = Scaler()
    assert float(s(tf.constant(2.0))) == 6.0

    @tf.function(jit_compile=True)
    def g(x):
        return x * 2

    assert float(g(tf.constant(4.0))) == 8.0


def test_function_rejects_non_callable():
    with pytest.raises(TypeError, match="callable"):
        tf.function(3)


def test_input_signature_binds_and_rejects_with_type_error():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def g(x):
        return x + 1

    np.testing.assert_allclose(g([1.0, 2.0]).numpy(), [2.0, 3.0])
    np.testing.assert_allclose(g(np.ones(3, np.float32)).numpy(), [2.0, 2.0, 2.0])
    assert g.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError, match=r"Can not cast TensorSpec\(shape=\(1, 1\), dtype=tf.float32"):
        g(tf.constant([[1.0]]))
    with pytest.raises(TypeError, match="Binding inputs to tf.function"):
        g(tf.constant([1, 2]))


def test_reduce_retracing_and_python_objects_keyed_by_identity():
    @tf.function(reduce_retracing=True)
    def h(x):
        return x * 3

    for n in (1, 2, 3, 4):
        h(tf.ones([n]))
    assert h.experimental_get_tracing_count() == 2

    class Thing:
        pass

    @tf.function
    def m(obj, x):
        return x + 1

    a, b = Thing(), Thing()
    m(a, tf.constant(1.0))
    m(b, tf.constant(1.0))
    m(a, tf.constant(1.0))
    assert m.experimental_get_tracing_count() == 2


def test_gradients_flow_through_a_function_from_an_outer_tape():
    v = tf.Variable(2.0)

    @tf.function
    def k(x):
        return x * x * v

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = k(x)
    gx, gv = tape.gradient(y, [x, v])
    assert float(gx) == 12.0 and float(gv) == 9.0


def test_tf_print_runs_at_call_time_python_print_at_trace_time(capsys):
    import sys

    @tf.function
    def f(x):
        print("tracing")
        tf.print("value:", x, output_stream=sys.stdout)
        return x

    f(tf.constant([1, 2]))
    f(tf.constant([3, 4]))
    out = capsys.readouterr().out.splitlines()
    assert out.count("tracing") >= 1 and out[-2:] == ["value: [1 2]", "value: [3 4]"]


def test_concrete_function_exposes_its_jax_program():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def f(x):
        return tf.reduce_sum(x * v)

    concrete = f.get_concrete_function(tf.TensorSpec([2], tf.float32))
    assert "mul" in str(concrete.jaxpr)
    assert "stablehlo" in concrete.lowered_text
    assert [x.name for x in concrete.variables] == ["Variable:0"]
    assert float(concrete(tf.constant([1.0, 1.0]))) == 3.0


def test_variables_passed_as_arguments_are_keyed_by_shape_and_dtype():
    @tf.function
    def bump(v, x):
        v.assign_add(x)
        return v * 2.0

    a, b = tf.Variable([1.0, 2.0]), tf.Variable([10.0, 20.0])
    np.testing.assert_allclose(bump(a, tf.constant([1.0, 1.0])).numpy(), [4.0, 6.0])
    np.testing.assert_allclose(bump(b, tf.constant([1.0, 1.0])).numpy(), [22.0, 42.0])
    np.testing.assert_allclose(a.numpy(), [2.0, 3.0])
    np.testing.assert_allclose(b.numpy(), [11.0, 21.0])
    assert bump.experimental_get_tracing_count() == 1
    bump(tf.Variable([1.0, 2.0, 3.0]), tf.ones([3]))
    assert bump.experimental_get_tracing_count() == 2


def test_python_body_runs_once_per_signature_unless_it_creates_variables():
    v = tf.Variable([1.0, 2.0])
    runs = []

    @tf.function
    def reads_and_writes(x):
        runs.append(1)
        v.assign_add(x)
        return tf.reduce_sum(v)

    assert float(reads_and_writes(tf.constant([1.0, 1.0]))) == 5.0
    assert float(reads_and_writes(tf.constant([1.0, 1.0]))) == 7.0
    assert len(runs) == 1  # as TF: one trace, the Variables lifted from it

    holder, created_runs = {}, []

    @tf.function
    def creates(x):
        created_runs.append(1)
        if "w" not in holder:
            holder["w"] = tf.Variable(2.0)
        return x * holder["w"]

    assert float(creates(tf.constant(3.0))) == 6.0
    assert len(created_runs) == 2  # as TF: traced again after creating Variables


def test_calls_are_bound_to_the_signature_before_keying_as_tf():
    traced = []

    @tf.function
    def g(x, training=False):
        traced.append(training)
        return x * 2.0

    c = tf.constant(1.0)
    for call in (
        lambda: g(c),
        lambda: g(c, training=False),
        lambda: g(c, False),
        lambda: g(x=c),
        lambda: g(np.float32(3.0)),
        lambda: g(np.array(1.0, np.float32)),
    ):
        call()
    assert g.experimental_get_tracing_count() == 1 and traced == [False]
    assert float(g(np.float32(3.0))) == 6.0
    g(c, training=True)
    assert g.experimental_get_tracing_count() == 2
    with pytest.raises(TypeError, match="Binding inputs to tf.function failed due to `missing a required argument"):
        g()


def test_input_signature_accepts_keywords_and_concrete_function_describes_itself():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32), tf.TensorSpec([None], tf.int32)])
    def f(x, y):
        return {"a": tf.reduce_sum(x, axis=1), "b": y * 2}

    out = f(y=tf.constant([1, 2]), x=tf.ones([2, 3]))
    np.testing.assert_array_equal(out["b"].numpy(), [2, 4])
    with pytest.raises(TypeError, match="too many positional arguments"):
        f(tf.ones([2, 3]), tf.constant([1, 2]), 3)
    concrete = f.get_concrete_function()
    specs, kwargs = concrete.structured_input_signature
    assert [s.name for s in specs] == ["x", "y"] and specs[0].shape.as_list() == [None, 3] and kwargs == {}
    outputs = concrete.structured_outputs
    assert outputs["a"].shape.as_list() == [None] and outputs["b"].dtype == tf.int32


def test_dicts_keep_their_insertion_order_through_a_function():
    seen = []

    @tf.function
    def f(d):
        seen.append(list(d))
        return {"z": d["b"], "a": d["a"], "m": d["b"] * 2.0}

    for _ in range(2):
        out = f({"b": tf.constant(1.0), "a": tf.constant(2.0)})
        assert list(out) == ["z", "a", "m"] and float(out["m"]) == 2.0
    assert seen == [["b", "a"]]


def test_returning_a_non_tensor_raises_tf_type_error_and_autograph_namespace_exists():
    @tf.function
    def f(x):
        return "text"

    with pytest.raises(TypeError, match="must return zero or more Tensors"):
        f(tf.constant(1.0))
    assert callable(tf.autograph.experimental.do_not_convert)
    tf.autograph.experimental.set_loop_options(maximum_iterations=3)

    @tf.function(experimental_relax_shapes=True)
    def g(x):
        return x

    for n in (1, 2, 3):
        g(tf.zeros([n]))
    assert g.experimental_get_tracing_count() == 2


def test_get_concrete_function_keeps_python_values_and_traces_none_dims_once():
    @tf.function
    def power(a, b):
        return a**b

    square = power.get_concrete_function(a=tf.TensorSpec(None, tf.float32), b=2)
    assert float(square(tf.constant(10.0))) == 100.0
    seen = []

    @tf.function
    def f(x):
        seen.append(x.shape.as_list())
        return x * 2.0

    concrete = f.get_concrete_function(tf.TensorSpec([None], tf.float32))
    assert concrete is f.get_concrete_function(tf.TensorSpec([None], tf.float32))
    np.testing.assert_allclose(f(tf.ones([3])).numpy(), [2.0] * 3)
    np.testing.assert_allclose(concrete([1.0, 2.0]).numpy(), [2.0, 4.0])
    assert seen == [[None]] and f.experimental_get_tracing_count() == 1
    with pytest.raises((TypeError, ValueError)):
        concrete(tf.constant([1, 2]))


def test_py_function_runs_python_at_every_call_of_the_compiled_program():
    seen = []

    def side_effect(x):
        seen.append(int(x.numpy()))

    @tf.function
    def f(x):
        tf.py_function(side_effect, inp=[x], Tout=[])
        return x + 1

    assert [int(f(tf.constant(i))) for i in (1, 2, 2)] == [2, 3, 3]
    assert seen == [1, 2, 2] and f.experimental_get_tracing_count() == 1

    @tf.function
    def g(x):
        return tf.numpy_function(lambda a: (a * 3).astype(np.float32), [x], tf.float32) + 1.0

    np.testing.assert_allclose(g(tf.constant([1.0, 2.0])).numpy(), [4.0, 7.0])
    pair = tf.py_function(lambda a: [a, a * 2], [tf.constant([1, 2])], [tf.int32, tf.int32])
    assert [t.numpy().tolist() for t in pair] == [[1, 2], [2, 4]]
