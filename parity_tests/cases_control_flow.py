"""Parity cases: control flow and tf.function tracing (see parity_tests/cases.py for the contract).

`tf.cond` / `tf.case` / `tf.switch_case` / `tf.while_loop` / `tf.TensorArray` eagerly and
inside `tf.function` (values, Variables assigned in branches and bodies, gradients taken by a
GradientTape inside the function, TF's error types), AutoGraph (Python `if`/`while`/`for`
with `break`/`continue`/`return` on Tensors, compared with running the same Python eagerly),
and tracing facts (`experimental_get_tracing_count`, Python side effects at trace time).
An expected exception is recorded as its type name.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, capture_stdout, to_numpy
from parity_tests.cases import error_name as _error_name


def case_control_cond_switch(tf: Any) -> dict[str, Any]:
    """tf.cond, tf.case and tf.switch_case: eager, traced, Variables, gradients, errors."""
    out: dict[str, Any] = {}
    x_pos, x_neg = tf.constant(2.0), tf.constant(-3.0)
    out["eager_cond"] = [to_numpy(tf.cond(x > 0, lambda x=x: x * x, lambda x=x: -x)) for x in (x_pos, x_neg)]
    out["eager_cond_python_pred"] = to_numpy(tf.cond(False, lambda: tf.constant(1), lambda: tf.constant(2)))

    @tf.function
    def traced_cond(x):
        return tf.cond(x > 0, lambda: {"a": x * x, "b": (x, x + 1.0)}, lambda: {"a": -x, "b": (x * 0.0, x)})

    for label, x in (("pos", x_pos), ("neg", x_neg)):
        result = traced_cond(x)
        out[f"traced_cond_{label}"] = [to_numpy(result["a"]), to_numpy(result["b"][0]), to_numpy(result["b"][1])]

    v = tf.Variable(1.0)

    @tf.function
    def assign_in_branch(x):
        tf.cond(x > 0, lambda: v.assign_add(x), lambda: v.assign(x * 10.0))
        return v.read_value() * 2.0

    out["variable_branch"] = [to_numpy(assign_in_branch(x_pos)), to_numpy(v), to_numpy(assign_in_branch(x_neg))]
    out["variable_after"] = to_numpy(v)

    w = tf.Variable([0.5, -1.5])

    @tf.function
    def grad_cond(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(tf.reduce_sum(x) > 0, lambda: tf.reduce_sum(x * x * w), lambda: tf.reduce_sum(tf.sin(x) + w))
        dx, dw = tape.gradient(y, [x, w])
        return y, dx, dw

    for label, x in (("pos", tf.constant([1.0, 2.0])), ("neg", tf.constant([-1.0, -2.0]))):
        out[f"grad_cond_{label}"] = [to_numpy(t) for t in grad_cond(x)]

    def case_fn(x):
        return tf.case([(x > 5, lambda: x * 10.0), (x > 2, lambda: x * 2.0)], default=lambda: -x)

    traced_case = tf.function(case_fn)
    values = [1.0, 3.0, 9.0]
    out["eager_case"] = [to_numpy(case_fn(tf.constant(k))) for k in values]
    out["traced_case"] = [to_numpy(traced_case(tf.constant(k))) for k in values]
    out["case_no_true_eager"] = _error_name(lambda: tf.case([(tf.constant(False), lambda: 1.0)]))

    def switch_fn(i):
        return tf.switch_case(i, [lambda: tf.constant(10.0), lambda: tf.constant(20.0), lambda: tf.constant(30.0)])

    def switch_default(i):
        return tf.switch_case(i, {0: lambda: tf.constant(1.0), 1: lambda: tf.constant(2.0)}, default=lambda: 99.0)

    traced_switch, traced_default = tf.function(switch_fn), tf.function(switch_default)
    indices = [-1, 0, 1, 2, 7]
    out["eager_switch"] = [to_numpy(switch_fn(tf.constant(i))) for i in indices]
    out["traced_switch"] = [to_numpy(traced_switch(tf.constant(i))) for i in indices]
    out["traced_switch_default"] = [to_numpy(traced_default(tf.constant(i))) for i in indices]

    def traced_error(fn):
        return _error_name(lambda: tf.function(fn)(tf.constant(1.0)))

    out["error_structure_count"] = traced_error(lambda x: tf.cond(x > 0, lambda: (x,), lambda: (x, x)))
    out["error_structure_type"] = traced_error(lambda x: tf.cond(x > 0, lambda: [x, x], lambda: (x, x)))
    out["error_structure_keys"] = traced_error(lambda x: tf.cond(x > 0, lambda: {"a": x}, lambda: {"b": x}))
    out["error_tensor_vs_none"] = traced_error(lambda x: tf.cond(x > 0, lambda: x, lambda: None))
    out["error_dtype"] = traced_error(lambda x: tf.cond(x > 0, lambda: x, lambda: tf.cast(x, tf.int32)))
    out["error_float_pred"] = traced_error(lambda x: tf.cond(x, lambda: x, lambda: x))
    out["error_not_callable"] = _error_name(lambda: tf.cond(tf.constant(True), 1.0, lambda: 2.0))
    out["error_switch_python_index"] = _error_name(lambda: tf.switch_case(1, [lambda: 1.0, lambda: 2.0]))
    out["error_switch_float_index"] = _error_name(lambda: tf.switch_case(tf.constant(1.0), [lambda: 1.0]))
    out["error_switch_keys"] = _error_name(lambda: tf.switch_case(tf.constant(0), {0: lambda: 1.0, 2: lambda: 2.0}))
    out["error_switch_dtype"] = _error_name(
        lambda: tf.function(lambda i: tf.switch_case(i, [lambda: 1.0, lambda: 2]))(tf.constant(1))
    )
    return out


def case_control_while_loop(tf: Any) -> dict[str, Any]:
    """tf.while_loop: eager, traced, nested loop variables, Variables, gradients, errors."""
    out: dict[str, Any] = {}

    def run(n, x):
        return tf.while_loop(
            lambda i, acc: i < n,
            lambda i, acc: (i + 1, {"s": acc["s"] + x * tf.cast(i, tf.float32), "p": acc["p"] * x}),
            [0, {"s": tf.constant(0.0), "p": tf.constant(1.0)}],
        )

    for label, fn in (("eager", run), ("traced", tf.function(run))):
        i, acc = fn(tf.constant(4), tf.constant(1.5))
        out[f"{label}_loop"] = [to_numpy(i), to_numpy(acc["s"]), to_numpy(acc["p"])]
        out[f"{label}_counter_dtype"] = i.dtype.name

    def capped(x):
        return tf.while_loop(
            lambda k, y: k < 100, lambda k, y: (k + 1, y * x), (tf.constant(0), x), maximum_iterations=5
        )

    out["eager_maximum_iterations"] = [to_numpy(t) for t in capped(tf.constant(1.1))]
    out["traced_maximum_iterations"] = [to_numpy(t) for t in tf.function(capped)(tf.constant(1.1))]
    single = tf.function(lambda: tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0]))
    out["single_var_list"] = [to_numpy(t) for t in single()]

    total = tf.Variable(0.0)

    @tf.function
    def accumulate(n):
        def body(i):
            total.assign_add(tf.cast(i, tf.float32) ** 2)
            return (i + 1,)

        tf.while_loop(lambda i: i < n, body, (tf.constant(0),))
        return total.read_value()

    out["variable_body"] = [to_numpy(accumulate(tf.constant(4))), to_numpy(accumulate(tf.constant(2)))]

    w = tf.Variable(0.9)

    @tf.function
    def grads(x, n):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            _, bounded = tf.while_loop(
                lambda k, y: k < n, lambda k, y: (k + 1, tf.sin(y) * x + w), (0, x), maximum_iterations=10
            )
            _, unbounded = tf.while_loop(lambda k, y: k < n, lambda k, y: (k + 1, y * x * w), (0, x))
        return (
            bounded,
            unbounded,
            tape.gradient(bounded, x),
            tape.gradient(bounded, w),
            tape.gradient(unbounded, x),
            tape.gradient(unbounded, w),
        )

    out["gradients"] = [to_numpy(t) for t in grads(tf.constant(0.7), tf.constant(4))]

    def traced_error(cond, body, loop_vars):
        def loop():
            return tf.while_loop(cond, body, loop_vars)

        return _error_name(tf.function(loop))

    out["error_shape_change"] = traced_error(
        lambda i, x: i < 3, lambda i, x: (i + 1, tf.concat([x, x], 0)), [0, tf.constant([1.0])]
    )
    out["error_dtype_change"] = traced_error(
        lambda i, x: i < 3, lambda i, x: (i + 1, tf.cast(x, tf.int32)), [0, tf.constant([1.0])]
    )
    out["error_structure_change"] = traced_error(lambda i, x: i < 3, lambda i, x: (i + 1,), [0, tf.constant(1.0)])
    out["error_empty_loop_vars"] = _error_name(lambda: tf.while_loop(lambda: True, lambda: (), []))
    out["error_not_callable"] = _error_name(lambda: tf.while_loop(1, lambda i: i, [0]))
    return out


def case_control_tensor_array(tf: Any) -> dict[str, Any]:
    """tf.TensorArray eagerly and in tf.function (loops, gradients), and its errors."""
    out: dict[str, Any] = {}
    ta = tf.TensorArray(tf.float32, size=3)
    ta.write(0, [1.0, 2.0])  # eager: seen without re-assignment
    ta = ta.write(2, [5.0, 6.0])
    out["eager_stack"] = to_numpy(ta.stack())
    out["eager_size"] = to_numpy(ta.size())
    out["eager_read"] = to_numpy(ta.read(2))
    out["eager_gather"] = to_numpy(tf.TensorArray(tf.float32, size=3).unstack([1.0, 2.0, 3.0]).gather([2, 0]))
    out["eager_scatter"] = to_numpy(tf.TensorArray(tf.float32, size=3).scatter([2, 0], [5.0, 6.0]).stack())
    ragged = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, [1.0]).write(1, [2.0, 3.0])
    out["eager_concat"] = to_numpy(ragged.concat())
    out["eager_dynamic"] = to_numpy(tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(3, 1.0).stack())
    out["element_shape"] = str(tf.TensorArray(tf.float32, size=1, element_shape=[2]).element_shape.as_list())

    @tf.function
    def no_reassign():
        ta = tf.TensorArray(tf.float32, size=3)
        ta.write(0, 1.0)
        return ta.write(1, 2.0).stack()

    out["traced_no_reassign"] = to_numpy(no_reassign())

    @tf.function
    def squares(xs):
        ta = tf.TensorArray(tf.float32, size=xs.shape[0])

        def body(i, ta):
            return i + 1, ta.write(i, xs[i] * xs[i])

        _, ta = tf.while_loop(lambda i, ta: i < xs.shape[0], body, [0, ta])
        return ta.stack(), ta.read(1), ta.size()

    out["traced_while_write"] = [to_numpy(t) for t in squares(tf.constant([1.0, 2.0, 3.0]))]

    @tf.function
    def dynamic(x):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        for i in tf.range(4):
            ta = ta.write(i, x * tf.cast(i, tf.float32))
        return ta.stack()

    out["traced_dynamic_for"] = to_numpy(dynamic(tf.constant([1.0, -1.0])))

    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        ta = tf.TensorArray(tf.float32, size=2).write(0, x * x).write(1, x * 3.0)
        y = tf.reduce_sum(ta.stack() ** 2)
    out["eager_grad"] = to_numpy(tape.gradient(y, x))

    @tf.function
    def traced_grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            ta = tf.TensorArray(tf.float32, size=3)
            for i in tf.range(3):
                ta = ta.write(i, x * tf.cast(i + 1, tf.float32))
            y = tf.reduce_sum(ta.stack() ** 2) + ta.read(2)
        return y, tape.gradient(y, x)

    out["traced_grad"] = [to_numpy(t) for t in traced_grad(tf.constant(2.0))]
    out["error_write_out_of_range"] = _error_name(lambda: tf.TensorArray(tf.float32, size=2).write(5, 1.0))

    def read_twice():
        once = tf.TensorArray(tf.float32, size=1).write(0, 1.0)
        once.read(0)
        once.read(0)

    out["error_read_twice"] = _error_name(read_twice)
    out["error_dtype"] = _error_name(lambda: tf.TensorArray(tf.float32, size=2).write(0, tf.constant(1)))
    out["error_shape"] = _error_name(lambda: tf.TensorArray(tf.float32, size=2).write(0, [1.0]).write(1, [1.0, 2.0]))
    out["error_read_negative"] = _error_name(lambda: tf.TensorArray(tf.float32, size=2).write(0, 1.0).read(-1))
    return out


def _collatz_steps(n):
    steps = 0
    while n > 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def _clipped_sum(xs, limit):
    total = 0.0
    count = 0
    for x in xs:
        if x < 0:
            continue
        total += x
        count += 1
        if total > limit:
            break
    return total, count


def case_control_autograph(tf: Any) -> dict[str, Any]:
    """AutoGraph: Python control flow on Tensors inside tf.function equals running it eagerly."""
    out: dict[str, Any] = {}
    collatz = tf.function(_collatz_steps)
    out["collatz"] = [[to_numpy(collatz(tf.constant(n))), to_numpy(_collatz_steps(tf.constant(n)))] for n in (6, 7, 27)]
    clipped = tf.function(_clipped_sum)
    xs = tf.constant([1.0, -2.0, 3.0, 4.0, -1.0, 8.0])
    for limit in (2.0, 5.0, 100.0):
        out[f"clipped_{int(limit)}"] = [to_numpy(t) for t in clipped(xs, tf.constant(limit))] + [
            to_numpy(t) for t in _clipped_sum(xs, tf.constant(limit))
        ]

    def piecewise(x):
        if x > 1.0:
            y = x * x
        elif x > -1.0:
            y = x + 1.0
        else:
            y = -x
        return y if y < 4.0 else tf.constant(4.0)

    traced_piecewise = tf.function(piecewise)
    values = [-3.0, 0.5, 1.5, 3.0]
    out["piecewise"] = [to_numpy(traced_piecewise(tf.constant(k))) for k in values]
    out["piecewise_eager"] = [to_numpy(piecewise(tf.constant(k))) for k in values]

    def logic(x):
        if (x > 0 and x < 10) or not x > -5:
            return tf.constant(1)
        else:
            return tf.constant(2)

    traced_logic = tf.function(logic)
    out["logic"] = [to_numpy(traced_logic(tf.constant(k))) for k in (5.0, 20.0, -10.0, -3.0)]

    def range_loops(n, x):
        s = tf.constant(0.0)
        for i in tf.range(n):
            for j in tf.range(3):
                s += x * tf.cast(i * j, tf.float32)
        for k in range(3):  # a Python loop: unrolled
            s += float(k)
        last = tf.constant(0)
        for i in tf.range(2, 11, 3):
            last = i
        return s, last

    out["range_loops"] = [to_numpy(t) for t in tf.function(range_loops)(tf.constant(4), tf.constant(0.5))]
    out["range_loops_eager"] = [to_numpy(t) for t in range_loops(tf.constant(4), tf.constant(0.5))]

    @tf.function
    def loop_defined(x):
        for i in tf.range(3):
            y = x * tf.cast(i, tf.float32)
        return y

    out["defined_in_loop"] = to_numpy(loop_defined(tf.constant(2.0)))

    counter = tf.Variable(0)

    @tf.function
    def variable_loop(n):
        while counter < n:
            if counter % 3 == 0:
                counter.assign_add(2)
            else:
                counter.assign_add(1)
        return counter.read_value()

    out["variable_loop"] = [to_numpy(variable_loop(tf.constant(10))), to_numpy(variable_loop(tf.constant(12)))]

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
            z = y
            while z < 50.0:
                z = z * x
        return y, z, tape.gradient(y, x), tape.gradient(z, x)

    out["grad_loop"] = [to_numpy(t) for t in grads(tf.constant(1.2))]

    def one_branch_only(x):
        if x > 0:
            y = x
        return y

    def return_one_branch(x):
        if x > 0:
            return x
        x = x + 1.0

    def dtype_changes(x):
        i = 0
        while x > 0:
            x = x - 1.0
            i = x
        return i

    for name, fn in (
        ("error_one_branch", one_branch_only),
        ("error_return_one_branch", return_one_branch),
        ("error_loop_dtype", dtype_changes),
    ):
        out[name] = _error_name(lambda fn=fn: tf.function(fn)(tf.constant(1.0)))
    return out


def case_tracing_facts(tf: Any) -> dict[str, Any]:
    """When tf.function traces, and what Python side effects run at trace time."""
    out: dict[str, Any] = {}
    log: list[str] = []
    logs: dict[str, list[str]] = {}

    @tf.function
    def f(x):
        log.append(f"trace f {x.shape.as_list()} {x.dtype.name}")
        return x * 2.0

    calls = [tf.constant(1.0), tf.constant(2.0), tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0]), tf.constant(1.0)]
    counts = []
    for c in calls:
        f(c)
        counts.append(f.experimental_get_tracing_count())
    f(tf.constant(1.0, dtype=tf.float64))
    counts.append(f.experimental_get_tracing_count())
    out["tensor_arg_counts"] = np.asarray(counts)
    logs["f"], log[:] = list(log), []

    @tf.function
    def g(x, n):
        log.append(f"trace g n={n}")
        return x * n

    g_counts = []
    for n in (2, 2, 3, 2.0):
        g(tf.constant(1.0), n)
        g_counts.append(g.experimental_get_tracing_count())
    out["python_arg_counts"] = np.asarray(g_counts)
    logs["g"], log[:] = list(log), []

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def h(x):
        log.append("trace h")
        return tf.reduce_sum(x)

    for n in (1, 2, 5):
        h(tf.ones([n]))
    out["signature_count"] = np.asarray(h.experimental_get_tracing_count())
    logs["h"], log[:] = list(log), []

    @tf.function
    def loops(x, n):
        log.append("trace loops")
        for _ in tf.range(n):
            log.append("staged for body")
            x = x + 1.0
        for k in range(2):
            log.append(f"python for body {k}")
            x = x * 2.0
        if tf.reduce_sum(x) > 0:
            log.append("if branch")
            x = x - 1.0
        else:
            log.append("else branch")
        return x

    _, printed = capture_stdout(lambda: [print(to_numpy(loops(tf.constant(1.0), tf.constant(k)))) for k in (1, 3)])
    out["loops_printed"] = printed.split()
    logs["loops"] = list(log)
    for name, lines in logs.items():
        out[f"trace_log_{name}"] = lines
    return out


def case_tracing_signatures(tf: Any) -> dict[str, Any]:
    """`input_signature` with None dims: one trace serves every size (TF's unknown dims are
    jaxport's symbolic ones); the static shape seen while tracing, `tf.shape` at run time,
    Variables created in the function (TF traces that function twice), a Keras train step."""
    out: dict[str, Any] = {}
    log: list[str] = []
    logs: dict[str, list[str]] = {}

    @tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
    def collatz(x):
        log.append(f"trace collatz {x.shape}")
        return tf.where(x % 2 == 0, x // 2, 3 * x + 1)

    out["collatz"] = [to_numpy(collatz(tf.constant(list(range(1, n + 1)), tf.int32))) for n in (2, 3, 5)]
    out["collatz_count"] = np.asarray(collatz.experimental_get_tracing_count())
    logs["collatz"], log[:] = list(log), []

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    def shapes(x):
        log.append(f"trace shapes {x.shape.as_list()} rank={x.shape.rank}")
        batch = tf.shape(x)[0]
        flat = tf.reshape(x, [-1])
        again = tf.reshape(flat, [batch, -1])
        return batch, flat, again + tf.zeros(tf.shape(x)), tf.size(x), tf.reduce_mean(x, axis=0)

    for n in (2, 3, 1):
        x = tf.reshape(tf.range(n * 4, dtype=tf.float32), [n, 4])
        out[f"shapes_{n}"] = [to_numpy(t) for t in shapes(x)]
    out["shapes_count"] = np.asarray(shapes.experimental_get_tracing_count())
    logs["shapes"], log[:] = list(log), []

    layer = tf.keras.layers.Dense(3, kernel_initializer="ones", bias_initializer="zeros")

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    def dense(x):
        log.append(f"trace dense {x.shape}")
        return layer(x)

    out["dense"] = [to_numpy(dense(tf.ones([n, 4]))) for n in (2, 5)]
    out["dense_count"] = np.asarray(dense.experimental_get_tracing_count())
    logs["dense"], log[:] = list(log), []

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def empty(x):
        log.append(f"trace empty {x.shape}")
        return tf.reduce_sum(x, axis=1) + 1.0

    out["empty"] = [to_numpy(empty(tf.ones([n, 2]))) for n in (3, 0)]
    logs["empty"], log[:] = list(log), []

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([None], tf.float32)])
    def untied(a, b):
        log.append(f"trace untied {a.shape} {b.shape}")
        return tf.reduce_sum(a), tf.reduce_sum(b)

    out["untied"] = [[to_numpy(t) for t in untied(tf.ones([n]), tf.ones([m]))] for n, m in ((2, 2), (2, 3))]
    logs["untied"], log[:] = list(log), []

    model = tf.keras.Sequential(
        [
            tf.keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
            tf.keras.layers.BatchNormalization(),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10),
        ]
    )
    model.build((None, 8, 8, 1))
    rs = np.random.RandomState(0)
    model.set_weights([(rs.standard_normal(w.shape) * 0.3).astype("float32") for w in model.get_weights()])
    optimizer = tf.keras.optimizers.Adam(0.01)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function(input_signature=[tf.TensorSpec([None, 8, 8, 1], tf.float32), tf.TensorSpec([None], tf.int32)])
    def train_step(x, y):
        log.append(f"trace train_step {x.shape} {y.shape}")
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    losses = []
    for n in (4, 6, 4, 3):
        x = rs.standard_normal((n, 8, 8, 1)).astype("float32")
        y = rs.randint(0, 10, size=n).astype("int32")
        losses.append(to_numpy(train_step(x, y)))
    out["train_losses"] = np.asarray(losses)
    out["train_weights"] = [np.asarray(w) for w in model.get_weights()]
    out["train_count"] = np.asarray(train_step.experimental_get_tracing_count())
    logs["train_step"] = list(log)
    for name, lines in logs.items():
        out[f"trace_log_{name}"] = lines
    return out


def case_tracing_variable_values(tf: Any) -> dict[str, Any]:
    """A `tf.function` reads each Variable's value at call time, whatever op reads it (Python
    operators with constants, casts, comparisons, a returned Variable), and Python control
    flow on a Variable's value is staged, not decided at trace time."""
    out: dict[str, Any] = {}
    v = tf.Variable(1.0)

    @tf.function
    def reads():
        return [v * 2.0, v + 1.0, v**2, v + v, 1 / v, tf.cast(v > 0, tf.float32), tf.cast(v, tf.int32)]

    for value in (1.0, 7.0, -2.0):
        v.assign(value)
        out[f"reads_{value}"] = [to_numpy(t) for t in reads()]

    counter = tf.Variable(0)

    @tf.function
    def increment():
        counter.assign(counter + 1)

    for _ in range(3):
        increment()
    out["counter"] = to_numpy(counter)

    u = tf.Variable(1.0)

    @tf.function
    def assign_and_return():
        u.assign(u * 5.0)
        return u

    out["returned_variable"] = [to_numpy(assign_and_return()) for _ in range(2)]

    w = tf.Variable(1.0)
    opt = tf.keras.optimizers.SGD(0.1)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = w * w
        opt.apply_gradients([(tape.gradient(loss, w), w)])
        return loss

    out["sgd_losses"] = [to_numpy(step()) for _ in range(3)]
    x = tf.Variable([1.0, 2.0])

    @tf.function
    def branch_and_loop():
        total = tf.constant(0.0)
        for e in x:
            total += e
        if x[0] > 0:
            total = total * 2.0
        return total

    results = []
    for value in ([1.0, 2.0], [-1.0, 3.0], [4.0, 0.5]):
        x.assign(value)
        results.append(to_numpy(branch_and_loop()))
    out["branch_and_loop"] = np.asarray(results)
    out["traces"] = np.asarray(
        [f.experimental_get_tracing_count() for f in (reads, increment, assign_and_return, step, branch_and_loop)]
    )

    class FromInputs(tf.Module):  # a Variable initialised from the first call's inputs
        def __init__(self):
            self.v = None

        @tf.function
        def __call__(self, x):
            if self.v is None:
                self.v = tf.Variable(tf.ones_like(x) * x)
            self.v.assign_add(x)
            return self.v * x

    from_inputs = FromInputs()
    first = to_numpy(from_inputs(tf.constant([1.0, 2.0])))
    first_v = to_numpy(from_inputs.v)
    second = to_numpy(from_inputs(tf.constant([1.0, 1.0])))
    out["initialised_from_inputs"] = [first, first_v, second, to_numpy(from_inputs.v)]
    out["initialised_from_inputs_traces"] = np.asarray(from_inputs.__call__.experimental_get_tracing_count())

    class FromSignature(tf.Module):
        def __init__(self):
            self.v = None

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def __call__(self, x):
            if self.v is None:
                self.v = tf.Variable(tf.reduce_sum(x))
            return self.v * x

    from_signature = FromSignature()
    out["initialised_under_signature"] = [
        to_numpy(from_signature(tf.constant([1.0, 2.0]))),
        to_numpy(from_signature.v),
        to_numpy(from_signature(tf.constant([1.0, 1.0, 1.0]))),
    ]
    return out


def case_control_tf_print(tf: Any) -> dict[str, Any]:
    """`tf.print`'s text (TF's element formatting, summarising, nested structures, sep/end),
    eagerly and from inside a `tf.function`, written to a file (`output_stream="file://..."`)."""
    import os
    import tempfile

    x = tf.constant([1.5, 2.0])

    def show(stream):
        tf.print(x, x * 2, output_stream=stream)
        tf.print([x, x * 2], {"a": x, "k": 1}, output_stream=stream)
        tf.print(tf.constant(0.7615941762), tf.constant(3.14159274), tf.constant(123456792.0), output_stream=stream)
        tf.print(tf.constant([True, False]), tf.constant(5), tf.constant([1, 2, 3, 4, 5]), output_stream=stream)
        tf.print(tf.range(20), output_stream=stream)
        tf.print(tf.reshape(tf.range(12), [3, 4]), output_stream=stream)
        tf.print(tf.constant(1.0, tf.float64) / 3.0, output_stream=stream)
        tf.print("loss:", tf.constant(0.25), "step", 3, sep="|", end="!\n", output_stream=stream)
        tf.print(tf.reshape(tf.range(12), [2, 3, 2]), output_stream=stream)
        tf.print(tf.constant(-0.0), tf.constant(1e-10), tf.constant(float("inf")), output_stream=stream)
        tf.print(tf.ones([2, 20]), tf.reshape(tf.range(64), [8, 8]), output_stream=stream)
        tf.print(tf.range(10), summarize=2, output_stream=stream)

    out: dict[str, Any] = {}
    for label, run in (("eager", show), ("function", tf.function(show))):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "printed.txt")
            run("file://" + path)
            with open(path) as f:
                out[f"printed_{label}"] = f.read().splitlines()
    return out


def case_tracing_keras_custom_steps(tf: Any) -> dict[str, Any]:
    """Keras steps that `fit` traces: a custom `train_step` (Keras's "customize fit" guide:
    `data` as `(x, y)`, `compiled_loss`/`compiled_metrics`, the returned dict as the logs,
    trackers set as attributes), `training` passed positionally to a subclassed Model, and
    BatchNormalization over axis 1."""
    keras = tf.keras
    rs = np.random.RandomState(0)
    x = rs.random_sample((64, 4)).astype("float32")
    y = rs.random_sample((64, 1)).astype("float32")
    out: dict[str, Any] = {}

    class DenseModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1, kernel_initializer="ones")

        def call(self, inputs):
            return self.dense(inputs)

    class Compiled(DenseModel):
        def train_step(self, data):
            xb, yb = data
            with tf.GradientTape() as tape:
                pred = self(xb, training=True)
                loss = self.compiled_loss(yb, pred, regularization_losses=self.losses)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.compiled_metrics.update_state(yb, pred)
            return {m.name: m.result() for m in self.metrics}

    model = Compiled()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    out["compiled_history_keys"] = sorted(history.history)
    out["compiled_history_loss"] = np.asarray(history.history["loss"])
    out["compiled_history_mae"] = np.asarray(history.history["mae"])

    class Tracked(DenseModel):
        def __init__(self):
            super().__init__()
            self.loss_tracker = keras.metrics.Mean(name="loss")
            self.gap = keras.metrics.Mean(name="gap")

        def train_step(self, data):
            xb, yb = data
            with tf.GradientTape() as tape:
                pred = self(xb, training=True)
                loss = tf.reduce_mean(tf.square(yb - pred))
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.loss_tracker.update_state(loss)
            self.gap.update_state(tf.reduce_mean(tf.abs(yb - pred)))
            return {"loss": self.loss_tracker.result(), "gap": self.gap.result()}

        @property
        def metrics(self):
            return [self.loss_tracker, self.gap]

    tracked = Tracked()
    tracked.compile(optimizer=keras.optimizers.SGD(0.05))
    history = tracked.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    out["tracked_history_loss"] = np.asarray(history.history["loss"])
    out["tracked_history_gap"] = np.asarray(history.history["gap"])
    out["tracked_metric_names"] = [m.name for m in tracked.metrics]

    seen: list = []

    class Recorder(keras.layers.Layer):
        def call(self, inputs, training=None):
            seen.append(str(training))
            return inputs

    class Outer(keras.Model):
        def __init__(self):
            super().__init__()
            self.bn = keras.layers.BatchNormalization(momentum=0.5)
            self.rec = Recorder()

        def call(self, inputs, training=None):
            return self.rec(self.bn(inputs))

    outer = Outer()
    batch = np.array([[1.0, 2.0], [2.0, 2.0]], np.float32)
    outer(batch, True)
    out["positional_training_moving_mean"] = np.asarray(outer.bn.moving_mean)
    outer(batch, False)
    outer(batch, training=True)
    out["positional_training_seen"] = seen

    for rank in (3, 4):
        bn = keras.layers.BatchNormalization(axis=1)
        shape = (2, 3, 4) if rank == 3 else (2, 3, 2, 4)
        values = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
        out[f"bn_axis1_rank{rank}_output"] = to_numpy(bn(values, training=True))
        out[f"bn_axis1_rank{rank}_moving"] = [np.asarray(bn.moving_mean), np.asarray(bn.moving_variance)]
        out[f"bn_axis1_rank{rank}_inference"] = to_numpy(bn(values, training=False))

    bn = keras.layers.BatchNormalization(momentum=0.5)
    drop = keras.layers.Dropout(0.5)

    @tf.function
    def tensor_flag(inputs, flag):  # `training` as a bool Tensor: chosen when the program runs
        dropped = tf.reduce_sum(tf.cast(tf.equal(drop(tf.ones([100]), training=flag), 0.0), tf.float32))
        return bn(inputs, training=flag), tf.cast(dropped > 10.0, tf.float32)

    for step, flag in enumerate((True, False, True)):
        normalised, dropped = tensor_flag(batch * 2.0, tf.constant(flag))
        out[f"tensor_flag_{step}"] = [to_numpy(normalised), to_numpy(dropped), np.asarray(bn.moving_mean)]
    out["tensor_flag_traces"] = np.asarray(tensor_flag.experimental_get_tracing_count())

    xs = rs.randn(40, 3).astype("float32")
    ys = (xs[:, 0] > 0).astype("float32")
    weights = rs.rand(40).astype("float32")
    model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")])
    model.compile(
        optimizer=keras.optimizers.SGD(0.1),
        loss="binary_crossentropy",
        metrics=["accuracy"],  # sample weights weight the loss and `weighted_metrics` only
        weighted_metrics=["accuracy"],
    )
    history = model.fit(xs, ys, sample_weight=weights, epochs=2, batch_size=8, verbose=0, shuffle=False)
    out["weighted_history_keys"] = sorted(history.history)
    for key, values in history.history.items():
        out[f"weighted_history_{key}"] = np.asarray(values)

    xs = np.arange(12, dtype=np.float32).reshape(6, 2) / 10 - 0.3
    binary = keras.Sequential([keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")])
    binary.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    labels = np.array([0, 1, 0, 1, 1, 0], np.float32)
    history = binary.fit(xs, labels, class_weight={0: 1.0, 1: 3.0}, epochs=2, verbose=0, shuffle=False)
    out["class_weight_binary"] = [np.asarray(history.history["loss"]), np.asarray(history.history["accuracy"])]
    out["class_weight_missing_class"] = _error_name(lambda: binary.fit(xs, labels, class_weight={1: 3.0}, verbose=0))
    onehot = keras.Sequential([keras.layers.Dense(2, activation="softmax", kernel_initializer="ones")])
    onehot.compile("sgd", "categorical_crossentropy")
    history = onehot.fit(
        xs,
        np.eye(2, dtype=np.float32)[labels.astype(int)],
        class_weight={0: 1.0, 1: 3.0},
        epochs=2,
        verbose=0,
        shuffle=False,
    )
    out["class_weight_onehot"] = np.asarray(history.history["loss"])
    return out


def case_tracing_graph_errors(tf: Any) -> dict[str, Any]:
    """The same bad op eagerly (InvalidArgumentError) and while `tf.function` builds its graph
    (TF's static checks: TypeError for dtypes, ValueError for shapes; data errors such as an
    index out of range stay InvalidArgumentError); `bool` of a symbolic Tensor."""
    cases = {
        "add_dtype": lambda: tf.constant(1) + tf.constant(2.0),
        "add_shape": lambda: tf.ones([2]) + tf.ones([3]),
        "matmul_shape": lambda: tf.matmul(tf.ones([2, 3]), tf.ones([2, 3])),
        "matmul_dtype": lambda: tf.matmul(tf.ones([2, 2]), tf.ones([2, 2], tf.int32)),
        "reshape": lambda: tf.reshape(tf.ones([2, 3]), [5]),
        "concat": lambda: tf.concat([tf.ones([2, 3]), tf.ones([2, 4])], axis=0),
        "reduce_axis": lambda: tf.reduce_sum(tf.ones([2, 3]), axis=3),
        "gather_constant_index": lambda: tf.gather(tf.ones([2]), [5]),
        "transpose_perm": lambda: tf.transpose(tf.ones([2, 3]), [0, 2]),
        "squeeze": lambda: tf.squeeze(tf.ones([2, 3]), axis=0),
        "one_hot_dtype": lambda: tf.one_hot(tf.constant([1.5]), 3),
        "softmax_dtype": lambda: tf.nn.softmax(tf.constant([1, 2])),
        "stack": lambda: tf.stack([tf.ones([2]), tf.ones([3])]),
        "index_out_of_bounds": lambda: tf.ones([2, 3])[5],
    }
    out: dict[str, Any] = {}
    for name, fn in cases.items():
        out[f"eager_{name}"] = _error_name(fn)
        out[f"traced_{name}"] = _error_name(tf.function(fn))

    @tf.function(autograph=False)
    def python_bool(x):
        if x > 0:
            return x
        return -x

    spec = tf.TensorSpec([None], tf.float32)
    out["signature_not_a_list"] = _error_name(lambda: tf.function(lambda x: x, input_signature=spec))
    out["signature_missing_spec"] = _error_name(lambda: tf.function(lambda a, b: a, input_signature=[spec]))
    out["signature_extra_spec"] = _error_name(lambda: tf.function(lambda a: a, input_signature=[spec, spec]))
    out["symbolic_bool_raises"] = np.asarray(_error_name(lambda: python_bool(tf.constant(1.0))) != "no error")
    try:
        python_bool(tf.constant(1.0))
    except TypeError:
        out["symbolic_bool_caught_as_type_error"] = np.asarray(True)
    return out


def case_tracing_nested_functions(tf: Any) -> dict[str, Any]:
    """A `tf.function` called from another one is traced once into its own concrete function
    (called twice, its Python runs once), reads and writes the outer trace's Variables, and
    recursion on Python values traces once per value."""
    out: dict[str, Any] = {}
    log: list[str] = []
    v = tf.Variable(1.0)

    @tf.function
    def inner(x):
        log.append("trace inner")
        v.assign_add(1.0)
        return x * 2 + v

    @tf.function
    def outer(x):
        log.append("trace outer")
        return inner(x) + inner(x + 1)

    values = []
    for _ in range(2):
        values += [to_numpy(outer(tf.constant(1.0))), to_numpy(v)]
    values.append(to_numpy(inner(tf.constant(3.0))))
    out["values"] = np.asarray(values)
    out["trace_log"] = list(log)
    out["counts"] = np.asarray([inner.experimental_get_tracing_count(), outer.experimental_get_tracing_count()])

    @tf.function
    def recursive(n):
        if n > 0:
            return recursive(n - 1)
        return 1

    out["recursive"] = to_numpy(recursive(5))
    out["recursive_count"] = np.asarray(recursive.experimental_get_tracing_count())

    @tf.function
    def as_dict(x):
        return {"b": x, "a": x * 2}

    @tf.function
    def first_key(x):
        return tf.constant(list(as_dict(x))[0] == "b")

    out["nested_dict_order"] = to_numpy(first_key(tf.constant(1.0)))
    return out


REFERENCES: dict[str, Reference] = {
    "control_cond_switch": Reference("control_cond_switch"),
    "control_while_loop": Reference("control_while_loop"),
    "control_tensor_array": Reference("control_tensor_array"),
    "control_autograph": Reference("control_autograph"),
    "control_tf_print": Reference("control_tf_print"),
    "tracing_facts": Reference("tracing_facts"),
    "tracing_signatures": Reference("tracing_signatures"),
    "tracing_variable_values": Reference("tracing_variable_values"),
    "tracing_keras_custom_steps": Reference("tracing_keras_custom_steps"),
    "tracing_graph_errors": Reference("tracing_graph_errors"),
    "tracing_nested_functions": Reference("tracing_nested_functions"),
}
