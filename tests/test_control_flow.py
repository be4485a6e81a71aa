"""Control flow: tf.cond / case / switch_case / while_loop / TensorArray and AutoGraph.

Eager and traced (tf.function) results agree; Variables assigned in branches and loop bodies
are committed; GradientTapes inside a function differentiate through staged conds and loops;
errors have TF's types.
"""

import numpy as np
import pytest

import jaxport as tf
from jaxport import autograph, errors
from parity_tests import (
    cases,  # noqa: F401 - loads the case registry before its topic modules
    cases_control_flow,
)


def _np(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


# -- tf.cond / tf.case / tf.switch_case --------------------------------------------------------


def _piecewise(x):
    return tf.cond(x > 0, lambda: {"y": x * x, "z": (x, x + 1.0)}, lambda: {"y": -x, "z": (x * 0.0, x)})


@pytest.mark.parametrize("value", [2.0, -3.0])
def test_cond_eager_equals_traced(value):
    x = tf.constant(value)
    eager, traced = _piecewise(x), tf.function(_piecewise)(x)
    for a, b in zip(_leaves(eager), _leaves(traced)):
        np.testing.assert_allclose(_np(a), _np(b))


def _leaves(d):
    return [d["y"], d["z"][0], d["z"][1]]


def test_cond_python_predicate_runs_one_branch():
    ran = []
    out = tf.cond(True, lambda: ran.append("t") or 1, lambda: ran.append("f") or 2)
    assert out == 1 and ran == ["t"]


def test_cond_traces_both_branches_and_assigns_variables():
    v = tf.Variable(1.0)
    traced = []

    @tf.function
    def step(x):
        def yes():
            traced.append("true")
            return v.assign_add(x)

        def no():
            traced.append("false")
            return v.assign(x * 10.0)

        tf.cond(x > 0, yes, no)
        return v.read_value() * 2.0

    assert float(step(tf.constant(2.0))) == 6.0 and float(v.numpy()) == 3.0
    assert float(step(tf.constant(-1.0))) == -20.0 and float(v.numpy()) == -10.0
    assert traced[:2] == ["true", "false"]  # both traced, true first (jaxport retraces once to lift v)


def test_cond_gradient_inside_function():
    w = tf.Variable([0.5, -1.5])

    @tf.function
    def grads(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(tf.reduce_sum(x) > 0, lambda: tf.reduce_sum(x * x * w), lambda: tf.reduce_sum(tf.sin(x) + w))
        return tape.gradient(y, [x, w])

    dx, dw = grads(tf.constant([1.0, 2.0]))
    np.testing.assert_allclose(dx.numpy(), [1.0, -6.0])
    np.testing.assert_allclose(dw.numpy(), [1.0, 4.0])
    dx, dw = grads(tf.constant([-1.0, -2.0]))
    np.testing.assert_allclose(dx.numpy(), np.cos([-1.0, -2.0]), rtol=1e-6)
    np.testing.assert_allclose(dw.numpy(), [1.0, 1.0])


@pytest.mark.parametrize(
    "branches,error",
    [
        ((lambda x: (x,), lambda x: (x, x)), AssertionError),
        ((lambda x: [x, x], lambda x: (x, x)), TypeError),
        ((lambda x: {"a": x}, lambda x: {"b": x}), TypeError),
        ((lambda x: x, lambda x: None), ValueError),
        ((lambda x: x, lambda x: tf.cast(x, tf.int32)), TypeError),
    ],
)
def test_cond_branch_mismatch_errors(branches, error):
    yes, no = branches
    with pytest.raises(error):
        tf.function(lambda x: tf.cond(x > 0, lambda: yes(x), lambda: no(x)))(tf.constant(1.0))


def test_cond_argument_errors():
    with pytest.raises(TypeError, match="true_fn"):
        tf.cond(tf.constant(True), 1.0, lambda: 2.0)
    with pytest.raises(errors.InvalidArgumentError):
        tf.function(lambda x: tf.cond(x, lambda: x, lambda: x))(tf.constant(1.0))


def test_case_and_switch_case():
    def case_fn(x):
        return tf.case([(x > 5, lambda: x * 10.0), (x > 2, lambda: x * 2.0)], default=lambda: -x)

    def switch_fn(i):
        return tf.switch_case(i, [lambda: tf.constant(10.0), lambda: tf.constant(20.0), lambda: tf.constant(30.0)])

    traced_case, traced_switch = tf.function(case_fn), tf.function(switch_fn)
    for v in (1.0, 3.0, 9.0):
        assert float(case_fn(tf.constant(v))) == float(traced_case(tf.constant(v)))
    for i, want in [(-1, 30.0), (0, 10.0), (1, 20.0), (2, 30.0), (7, 30.0)]:  # out of range: the last branch
        assert float(switch_fn(tf.constant(i))) == want == float(traced_switch(tf.constant(i)))
    with_default = tf.function(lambda i: tf.switch_case(i, {1: lambda: 2.0, 0: lambda: 1.0}, default=lambda: 9.0))
    assert [float(with_default(tf.constant(i))) for i in (0, 1, 5)] == [1.0, 2.0, 9.0]
    with pytest.raises(errors.InvalidArgumentError):
        tf.case([(tf.constant(False), lambda: 1.0)])
    with pytest.raises(TypeError):
        tf.switch_case(1, [lambda: 1.0])
    with pytest.raises(ValueError, match="contiguous"):
        tf.switch_case(tf.constant(0), {0: lambda: 1.0, 2: lambda: 2.0})


# -- tf.while_loop -------------------------------------------------------------------------------


def _loop(n, x):
    return tf.while_loop(
        lambda i, acc: i < n,
        lambda i, acc: (i + 1, {"s": acc["s"] + x * tf.cast(i, tf.float32), "p": acc["p"] * x}),
        [0, {"s": tf.constant(0.0), "p": tf.constant(1.0)}],
    )


def test_while_loop_eager_equals_traced():
    eager, traced = _loop(tf.constant(4), tf.constant(1.5)), tf.function(_loop)(tf.constant(4), tf.constant(1.5))
    assert isinstance(traced, list) and traced[0].dtype == tf.int32
    for a, b in [(eager[0], traced[0]), (eager[1]["s"], traced[1]["s"]), (eager[1]["p"], traced[1]["p"])]:
        np.testing.assert_allclose(a.numpy(), b.numpy())
    np.testing.assert_allclose(traced[1]["p"].numpy(), 1.5**4)


def test_while_loop_maximum_iterations_and_single_variable():
    def capped(x):
        return tf.while_loop(lambda k, y: k < 100, lambda k, y: (k + 1, y * x), (0, x), maximum_iterations=5)

    for k, y in (capped(tf.constant(2.0)), tf.function(capped)(tf.constant(2.0))):
        assert int(k) == 5 and float(y) == 64.0
    single = tf.function(lambda: tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0]))()
    assert isinstance(single, list) and int(single[0]) == 3


def test_while_loop_assigns_variables_in_body():
    total = tf.Variable(0.0)

    @tf.function
    def accumulate(n):
        def body(i):
            total.assign_add(tf.cast(i, tf.float32) ** 2)
            return (i + 1,)

        tf.while_loop(lambda i: i < n, body, (tf.constant(0),))
        return total.read_value()

    assert float(accumulate(tf.constant(4))) == 14.0
    assert float(accumulate(tf.constant(2))) == 15.0 and float(total.numpy()) == 15.0


def test_while_loop_gradients_bounded_and_unbounded():
    @tf.function
    def grads(x, n):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            _, bounded = tf.while_loop(lambda k, y: k < n, lambda k, y: (k + 1, y * x), (0, x), maximum_iterations=8)
            _, unbounded = tf.while_loop(lambda k, y: k < n, lambda k, y: (k + 1, y * x), (0, x))
        return tape.gradient(bounded, x), tape.gradient(unbounded, x)

    for n in (0, 3, 5):
        d1, d2 = grads(tf.constant(1.3), tf.constant(n))
        want = (n + 1) * 1.3**n  # d/dx x^(n+1)
        np.testing.assert_allclose([d1.numpy(), d2.numpy()], [want, want], rtol=1e-5)


@pytest.mark.parametrize(
    "body,error",
    [
        (lambda i, x: (i + 1, tf.concat([x, x], 0)), ValueError),
        (lambda i, x: (i + 1, tf.cast(x, tf.int32)), TypeError),
        (lambda i, x: (i + 1,), ValueError),
    ],
)
def test_while_loop_errors(body, error):
    with pytest.raises(error):
        tf.function(lambda: tf.while_loop(lambda i, x: i < 3, body, [0, tf.constant([1.0])]))()


def test_while_loop_argument_errors():
    with pytest.raises(ValueError, match="loop_vars"):
        tf.while_loop(lambda: True, lambda: (), [])
    with pytest.raises(TypeError, match="cond"):
        tf.while_loop(1, lambda i: i, [0])


# -- tf.TensorArray ------------------------------------------------------------------------------


def test_tensor_array_eager():
    ta = tf.TensorArray(tf.float32, size=3)
    ta.write(0, [1.0, 2.0])  # eagerly a write is seen without re-assignment, as in TF
    ta = ta.write(2, [5.0, 6.0])
    np.testing.assert_allclose(ta.stack().numpy(), [[1.0, 2.0], [0.0, 0.0], [5.0, 6.0]])
    assert int(ta.size()) == 3
    np.testing.assert_allclose(ta.read(2).numpy(), [5.0, 6.0])
    with pytest.raises(errors.InvalidArgumentError):
        ta.read(2)  # cleared after the first read
    arr = tf.TensorArray(tf.float32, size=3).unstack([1.0, 2.0, 3.0])
    np.testing.assert_allclose(arr.gather([2, 0]).numpy(), [3.0, 1.0])
    np.testing.assert_allclose(
        tf.TensorArray(tf.float32, size=3).scatter([2, 0], [5.0, 6.0]).stack().numpy(), [6, 0, 5]
    )
    ragged = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, [1.0]).write(1, [2.0, 3.0])
    np.testing.assert_allclose(ragged.concat().numpy(), [1.0, 2.0, 3.0])
    grown = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(3, 1.0)
    np.testing.assert_allclose(grown.stack().numpy(), [0.0, 0.0, 0.0, 1.0])
    with pytest.raises(errors.OutOfRangeError):
        tf.TensorArray(tf.float32, size=2).write(5, 1.0)
    with pytest.raises(errors.InvalidArgumentError):
        tf.TensorArray(tf.float32, size=2).write(0, tf.constant(1))
    with pytest.raises(ValueError):
        tf.TensorArray(tf.float32, size=2).write(0, [1.0]).write(1, [1.0, 2.0])


def test_tensor_array_traced_loops_and_gradients():
    @tf.function
    def no_reassign():
        ta = tf.TensorArray(tf.float32, size=3)
        ta.write(0, 1.0)  # traced, a write must be re-assigned (TF's graph semantics)
        return ta.write(1, 2.0).stack()

    np.testing.assert_allclose(no_reassign().numpy(), [0.0, 2.0, 0.0])

    @tf.function
    def squares(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
            for i in tf.range(3):
                ta = ta.write(i, x * tf.cast(i + 1, tf.float32))
            y = tf.reduce_sum(ta.stack() ** 2)
        return ta.stack(), y, tape.gradient(y, x)

    stacked, y, dy = squares(tf.constant(2.0))
    np.testing.assert_allclose(stacked.numpy(), [2.0, 4.0, 6.0])
    assert float(y) == 56.0 and float(dy) == 56.0

    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        ta = tf.TensorArray(tf.float32, size=2).write(0, x * x).write(1, x * 3.0)
        total = tf.reduce_sum(ta.stack())
    assert float(tape.gradient(total, x)) == 7.0


# -- AutoGraph -----------------------------------------------------------------------------------


# The same plain-Python functions the TF parity case converts (one definition for both).
_collatz = cases_control_flow._collatz_steps
_clipped_sum = cases_control_flow._clipped_sum


def _first_above(xs, threshold):
    for i in tf.range(tf.size(xs)):
        if xs[i] > threshold:
            return i
    return tf.constant(-1)


def test_autograph_matches_eager():
    collatz = tf.function(_collatz)
    for n in (6, 7, 27):
        assert int(collatz(tf.constant(n))) == _collatz(n)
    clipped = tf.function(_clipped_sum)
    xs = tf.constant([1.0, -2.0, 3.0, 4.0, -1.0, 8.0])
    for limit in (2.0, 5.0, 100.0):
        got = [float(v) for v in clipped(xs, tf.constant(limit))]
        want = [float(v) for v in _clipped_sum(xs, tf.constant(limit))]
        assert got == want
    assert collatz.experimental_get_tracing_count() == 1


def test_autograph_return_inside_staged_loop_is_refused_as_in_tf():
    with pytest.raises(NotImplementedError, match="return statement"):
        tf.function(_first_above)(tf.constant([1.0, 5.0]), tf.constant(2.0))


def test_autograph_if_elif_logic_and_expressions():
    def piecewise(x):
        if x > 1.0 and x < 10.0:
            y = x * x
        elif not x > -1.0 or x == -3.0:
            y = -x
        else:
            y = x + 1.0
        return y if y < 4.0 else tf.constant(4.0)

    traced = tf.function(piecewise)
    for v in (-3.0, -2.0, 0.5, 1.5, 3.0, 20.0):
        assert float(traced(tf.constant(v))) == float(piecewise(tf.constant(v)))


def test_autograph_loops_variables_and_python_loops():
    counter = tf.Variable(0)
    log = []

    @tf.function
    def run(n, x):
        log.append("trace")
        while counter < n:
            counter.assign_add(2)
        s = tf.constant(0.0)
        for i in tf.range(n):
            for j in tf.range(3):
                s += x * tf.cast(i * j, tf.float32)
        for k in range(3):  # Python: unrolled
            log.append(f"python {k}")
            s += float(k)
        for i in tf.range(2, 11, 3):
            last = i
        return s, last, counter.read_value()

    s, last, c = run(tf.constant(4), tf.constant(0.5))
    assert float(s) == 0.5 * 18 + 3.0 and int(last) == 8 and int(c) == 4
    assert log[:4] == ["trace", "python 0", "python 1", "python 2"]  # (traced again to lift `counter`)


def test_autograph_gradients_through_converted_loops():
    @tf.function
    def grads(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = x
            for _ in tf.range(3):
                if y > 2.0:
                    y = y * 0.5
                else:
                    y = y * y + x
            z = x
            while z < 50.0:
                z = z * x
        return y, tape.gradient(y, x), tape.gradient(z, x)

    def reference(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = x
            for _ in range(3):
                y = y * 0.5 if y > 2.0 else y * y + x
            z = x
            while z < 50.0:
                z = z * x
        return y, tape.gradient(y, x), tape.gradient(z, x)

    for v in (1.2, 1.7):
        for a, b in zip(grads(tf.constant(v)), reference(tf.constant(v))):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5)


def test_autograph_errors_as_tf():
    def one_branch(x):
        if x > 0:
            y = x
        return y

    def dtype_changes(x):
        i = 0
        while x > 0:
            x = x - 1.0
            i = x
        return i

    def shape_changes(x):
        while tf.reduce_sum(x) < 10.0:
            x = tf.concat([x, x], 0)
        return x

    with pytest.raises(ValueError, match="else branch"):
        tf.function(one_branch)(tf.constant(1.0))
    with pytest.raises(TypeError, match="dtype"):
        tf.function(dtype_changes)(tf.constant(1.0))
    with pytest.raises(ValueError, match="shape"):
        tf.function(shape_changes)(tf.constant([1.0]))


def test_autograph_converts_called_functions_and_methods():
    def helper(x):
        if x > 0:
            return x * 2.0
        return -x

    class Model(tf.Module):
        @tf.function
        def __call__(self, x):
            total = tf.constant(0.0)
            for v in x:
                total += helper(v)
            return total

    assert float(Model()(tf.constant([1.0, -2.0, 3.0]))) == 10.0
    assert "ag__.if_stmt" in autograph.to_code(helper)


def test_autograph_false_leaves_python_control_flow():
    @tf.function(autograph=False)
    def f(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(Exception):  # noqa: B017 - jax's tracer bool error (TF: OperatorNotAllowedInGraphError)
        f(tf.constant(1.0))
    assert float(tf.function(f.python_function)(tf.constant(-2.0))) == 2.0
