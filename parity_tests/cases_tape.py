"""Parity cases: where GradientTape's answer depends on TF's gradient registry.

- `tape_unconnected_audit`: for every op TF registers as NotDifferentiable, or whose gradient
  function returns None (and their differentiable neighbours), whether `tape.gradient` gives
  None or a value, the value under `UnconnectedGradients.ZERO`, and the gradient with respect
  to the op's own output; eagerly, inside `tf.function`, with nested and persistent tapes.
- `tape_custom_gradient_ops`: `tf.custom_gradient` functions whose backward calls TF ops.
- `tape_errors` (in `cases_tape_errors.py`): the tape's error contract.

Same contract as `parity_tests/cases.py`; a gradient that is None is recorded as "None".
"""

from __future__ import annotations

from typing import Any

from parity_tests.cases import Reference, to_numpy


def gradient_result(value: Any) -> Any:
    """A gradient as a result: "None" when it is None, else its (dense) numpy value."""
    return "None" if value is None else to_numpy(_dense(value))


def _dense(value: Any) -> Any:
    """TF gives some gradients (tf.gather's) as IndexedSlices: densify them."""
    if type(value).__name__ == "IndexedSlices":
        import tensorflow as tf

        return tf.convert_to_tensor(value)
    return value


def _audited_ops(tf: Any) -> dict[str, Any]:
    """name -> f(x) for x a float32 vector of 4; TF's registry decides each gradient."""
    return {
        # NotDifferentiable, or a gradient function returning None
        "stop_gradient": tf.stop_gradient,
        "round": tf.round,
        "floor": tf.floor,
        "ceil": tf.math.ceil,
        "rint": tf.math.rint,
        "floordiv": lambda x: x // 2.0,
        "floordiv_divisor": lambda x: 7.0 // x,
        "zeros_like": tf.zeros_like,
        "ones_like": tf.ones_like,
        "one_hot_on_value": lambda x: tf.one_hot([0, 2], 3, on_value=x[0], off_value=x[1]),
        "one_hot_of_argmax": lambda x: tf.one_hot(tf.argmax(x), 4),
        "shuffle": tf.random.shuffle,
        "range": lambda x: tf.range(x[3]),
        "argmax": lambda x: tf.argmax(x),
        "argmin": lambda x: tf.argmin(x),
        "argsort": lambda x: tf.argsort(x),
        "greater": lambda x: x > 0.0,
        "less_equal": lambda x: x <= 1.0,
        "equal": lambda x: tf.equal(x, 2.5),
        "not_equal": lambda x: tf.not_equal(x, 2.5),
        "logical_not": lambda x: tf.logical_not(x > 0.0),
        "logical_and": lambda x: tf.logical_and(x > 0.0, x < 3.0),
        "is_nan": tf.math.is_nan,
        "is_finite": tf.math.is_finite,
        "cast_int": lambda x: tf.cast(x, tf.int32),
        "cast_bool": lambda x: tf.cast(x, tf.bool),
        "cast_int_and_back": lambda x: tf.cast(tf.cast(x, tf.int32), tf.float32),
        "shape": tf.shape,
        "size": tf.size,
        "rank": tf.rank,
        "count_nonzero": tf.math.count_nonzero,
        "reduce_any": lambda x: tf.reduce_any(x > 0.0),
        "top_k_indices": lambda x: tf.math.top_k(x, 2).indices,
        "random_categorical": lambda x: tf.random.categorical(x[None, :], 3),
        # a zero, or a value, flows back (connected)
        "sign": tf.sign,
        "cast_float64": lambda x: tf.cast(x, tf.float64),
        "identity": tf.identity,
        "abs": tf.abs,
        "relu": tf.nn.relu,
        "maximum": lambda x: tf.maximum(x, 0.4),
        "clip_by_value": lambda x: tf.clip_by_value(x, 0.0, 2.6),
        "floormod": lambda x: x % 2.0,
        "floormod_divisor": lambda x: 7.0 % x,
        "where_condition": lambda x: tf.where(x > 0.0, x, 0.0),
        "where_branches": lambda x: tf.where(x > 0.0, x * 2.0, x * x),
        "gather": lambda x: tf.gather(x, [1, 0, 1]),
        "fill": lambda x: tf.fill([2], x[0]),
        "linspace": lambda x: tf.linspace(x[0], x[2], 3),
        "top_k_values": lambda x: tf.math.top_k(x, 2).values,
        "sort": tf.sort,
        "reduce_max": tf.reduce_max,
        "random_normal_mean": lambda x: tf.random.normal([4], mean=x) * 0.0 + x,
        "is_inf": tf.math.is_inf,
        "scatter_update_tensor": lambda x: tf.tensor_scatter_nd_update(x, [[1]], [5.0]),
        "scatter_update_updates": lambda x: tf.tensor_scatter_nd_update(tf.zeros([4]), [[1]], x[:1]),
        "scatter_nd": lambda x: tf.scatter_nd([[1], [3]], x[:2], [5]),
        "segment_max": lambda x: tf.math.segment_max(x, [0, 0, 1, 1]),
        "unsorted_segment_sum": lambda x: tf.math.unsorted_segment_sum(x, [0, 1, 0, 1], 2),
        "cumsum": tf.math.cumsum,
        "uniform_minval": lambda x: tf.random.uniform([], minval=x[0], maxval=x[0] + 1.0) * 0.0 + x[0],
        "truncated_normal_mean": lambda x: tf.random.truncated_normal([2], mean=x[0]) * 0.0,
        "reverse": lambda x: tf.reverse(x, [0]),
        "reduce_prod": tf.reduce_prod,
        "clip_by_norm": lambda x: tf.clip_by_norm(x, 1.0),
        "l2_normalize": tf.math.l2_normalize,
        "reduce_logsumexp": tf.reduce_logsumexp,
        "divide_no_nan": lambda x: tf.math.divide_no_nan(1.0, x),
        "flip_left_right": lambda x: tf.image.flip_left_right(tf.reshape(x, [1, 4, 1])),
        "mixed_round": lambda x: x * 2.0 + tf.round(x),
        "mixed_stop_gradient": lambda x: x**2 + tf.stop_gradient(x**2),
        "one_hot_times_x": lambda x: tf.one_hot(tf.argmax(x), 4) * x,
    }


def _float_of(tf: Any, r: Any) -> Any:
    return r if r.dtype == tf.float32 else tf.cast(r, tf.float32)


def case_tape_unconnected_audit(tf: Any) -> dict[str, Any]:
    """None (disconnected) or a value (connected) for each audited op, as TF's registry says."""
    out: dict[str, Any] = {}
    zero = tf.UnconnectedGradients.ZERO
    x = tf.constant([0.4, -1.6, 2.5, 3.2])
    for name, op in _audited_ops(tf).items():
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            r = op(x)
            z = tf.reduce_sum(_float_of(tf, r) * 3.0)
        out[f"{name}/dx"] = gradient_result(tape.gradient(z, x))
        out[f"{name}/dx_zero"] = gradient_result(tape.gradient(z, x, unconnected_gradients=zero))
        out[f"{name}/dout"] = gradient_result(tape.gradient(z, r))
        del tape

    # The program: a stop_gradient term leaves y unconnected.
    a, b = tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        z = a**2 + tf.stop_gradient(b**2)
    out["issue/da"] = gradient_result(tape.gradient(z, a))
    out["issue/db"] = gradient_result(tape.gradient(z, b))
    out["issue/db_zero"] = gradient_result(tape.gradient(z, b, unconnected_gradients=zero))
    out["issue/jacobian_db"] = gradient_result(tape.jacobian(z, b))
    out["issue/jacobian_db_zero"] = gradient_result(tape.jacobian(z, b, unconnected_gradients=zero))
    del tape

    # Inside tf.function: the same ops, the tape in the function.
    picked = ("stop_gradient", "round", "floor", "one_hot_on_value", "zeros_like", "cast_int_and_back", "sign")
    ops = _audited_ops(tf)

    @tf.function
    def in_function(x):
        results = []
        for name in picked:
            with tf.GradientTape() as tape:
                tape.watch(x)
                z = tf.reduce_sum(_float_of(tf, ops[name](x)) * 3.0)
            g = tape.gradient(z, x)
            results.append(tf.constant([-999.0] * 4) if g is None else g)
        return results

    for name, g in zip(picked, in_function(x)):
        out[f"function/{name}"] = to_numpy(g)

    # A Keras layer's output through stop_gradient and round: its weights are unconnected.
    dense = tf.keras.layers.Dense(2, kernel_initializer="ones")
    xin = tf.constant([[0.4, 1.6]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.stop_gradient(dense(xin)) * 2.0 + tf.round(dense(xin)))
    out["keras_dense_unconnected"] = [str(gradient_result(g)) for g in tape.gradient(loss, dense.trainable_variables)]

    # jacobian without vectorization gives the same values
    xv = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        yv = xv * xv + tf.floor(xv)
    out["jacobian_no_pfor"] = gradient_result(tape.jacobian(yv, xv, experimental_use_pfor=False))
    out["jacobian_pfor"] = gradient_result(tape.jacobian(yv, xv, parallel_iterations=2))
    del tape

    # A tf.function called under a tape.
    a, b, c = tf.Variable(2.0), tf.Variable(3.0), tf.Variable(1.5)

    @tf.function
    def called_under_tape(p, q):
        return p**2 + tf.stop_gradient(q**2) + tf.round(p) + tf.cast(tf.cast(c, tf.int32), tf.float32)

    with tf.GradientTape(persistent=True) as tape:
        z = called_under_tape(a, b)
    out["function_under_tape"] = [str(gradient_result(g)) for g in tape.gradient(z, [a, b, c])]
    out["function_under_tape_zero"] = [to_numpy(g) for g in tape.gradient(z, [a, b, c], unconnected_gradients=zero)]
    del tape

    # Nested tapes: the second derivative through a disconnected op, and the outer tape's view.
    v = tf.Variable(1.5)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = v**3 + tf.floor(v) * v + tf.stop_gradient(v) * v
        dv = inner.gradient(y, v)
    out["nested/first"] = gradient_result(dv)
    out["nested/second"] = gradient_result(outer.gradient(dv, v))
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.round(v) * 2.0
        dv = inner.gradient(y, v)
    out["nested/round_first"] = gradient_result(dv)
    out["nested/round_second"] = "skipped" if dv is None else gradient_result(outer.gradient(dv, v))

    # Sources of other kinds: an integer Variable, a non-trainable Variable, an integer tensor.
    count = tf.Variable(3)
    frozen = tf.Variable(2.0, trainable=False)
    k = tf.constant([1, 2])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(k)
        y = tf.cast(count, tf.float32) * frozen * v + tf.reduce_sum(tf.cast(k, tf.float32))
    out["sources/int_variable"] = gradient_result(tape.gradient(y, count))
    out["sources/int_variable_zero"] = gradient_result(tape.gradient(y, count, unconnected_gradients=zero))
    out["sources/int_jacobian_zero"] = gradient_result(tape.jacobian(y, k, unconnected_gradients=zero))
    out["sources/frozen_variable"] = gradient_result(tape.gradient(y, frozen))
    out["sources/frozen_zero"] = gradient_result(tape.gradient(y, frozen, unconnected_gradients=zero))
    out["sources/int_tensor"] = gradient_result(tape.gradient(y, k))
    out["sources/int_tensor_zero"] = gradient_result(tape.gradient(y, k, unconnected_gradients=zero))
    out["sources/trainable"] = gradient_result(tape.gradient(y, v))
    out["sources/watched"] = [var.name for var in tape.watched_variables()]
    # Assign ops are NotDifferentiable in TF: a Variable's value is a source, not connected to what was assigned.
    xs = tf.constant([1.0, 2.0])
    target = tf.Variable([0.0, 0.0], name="assigned")
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xs)
        target.assign(xs * 2.0)
        y_assign = tf.reduce_sum(target * 3.0)
        made = tf.Variable(xs * 2.0, name="made")
        y_init = tf.reduce_sum(made * 1.0)
        target.assign_add(xs)
        y_add = tf.reduce_sum(target.read_value() * xs)
    for key, y, var in (("assign", y_assign, target), ("init", y_init, made), ("assign_add", y_add, target)):
        out[f"variables/{key}"] = [
            str(gradient_result(tape.gradient(y, xs))),
            str(gradient_result(tape.gradient(y, var))),
        ]
    del tape
    like = tf.Variable([1.0, 2.0], name="like_source")
    with tf.GradientTape() as tape:
        z = tf.zeros_like(like) + tf.ones_like(like)  # the reads auto-watch the Variable
    out["sources/zeros_like_variable"] = [var.name for var in tape.watched_variables()] + [str(tape.gradient(z, like))]
    return out


def case_tape_custom_gradient_ops(tf: Any) -> dict[str, Any]:
    """tf.custom_gradient whose backward calls TF ops: eagerly, in tf.function, nested tapes
    (second order), `variables=`, several inputs and outputs, None for an input."""
    out: dict[str, Any] = {}

    @tf.custom_gradient
    def clip_identity(x):
        return tf.identity(x), lambda dy: tf.clip_by_norm(dy, 0.5)

    @tf.custom_gradient
    def clip_passthrough(x):  # returns its input itself: TF still gives it a new identity
        return x, lambda dy: tf.clip_by_norm(dy, 0.5)

    v = tf.Variable(2.0)
    for name, fn in (("identity", clip_identity), ("passthrough", clip_passthrough)):
        with tf.GradientTape() as tape:
            loss = fn(v * v)
        out[f"clip/{name}"] = gradient_result(tape.gradient(loss, v))
        with tf.GradientTape() as tape:
            loss = fn(v * v) * 3.0 + v
        out[f"clip/{name}_scaled"] = gradient_result(tape.gradient(loss, v))
    c = tf.constant([3.0, 4.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(c)
        y = clip_identity(c * c)
        loss = tf.reduce_sum(y)
    out["clip/vector"] = gradient_result(tape.gradient(loss, c))
    out["clip/jacobian"] = gradient_result(tape.jacobian(y, c))
    del tape

    @tf.function
    def clip_in_function():
        with tf.GradientTape() as tape:
            loss = clip_passthrough(v * v)
        return tape.gradient(loss, v)

    out["clip/function"] = gradient_result(clip_in_function())

    @tf.custom_gradient
    def exp_saving_output(x):
        e = tf.exp(x)
        return e, lambda dy: dy * e

    @tf.custom_gradient
    def cube_with_custom(x):
        return x * x * x, lambda dy: dy * 3.0 * x * x

    x = tf.Variable(0.5)
    for name, fn in (("exp", exp_saving_output), ("cube", cube_with_custom)):
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                y = fn(x)
            g = inner.gradient(y, x)
        out[f"nested/{name}_first"] = gradient_result(g)
        out[f"nested/{name}_second"] = gradient_result(outer.gradient(g, x))

    @tf.function
    def nested_in_function(x):
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                y = exp_saving_output(x) + cube_with_custom(x)
            g = inner.gradient(y, x)
        return g, outer.gradient(g, x)

    out["nested/function"] = [to_numpy(t) for t in nested_in_function(x)]
    with tf.GradientTape(persistent=True) as tape:
        y = cube_with_custom(x)
        g = tape.gradient(y, x)  # inside its own context: recorded on itself
    out["nested/persistent_in_context"] = [to_numpy(g), to_numpy(tape.gradient(g, x))]
    del tape

    @tf.custom_gradient
    def product_and_sum(a, b):
        def grad(dp, ds):
            return dp * b + ds, None

        return (a * b, a + b), grad

    a, b = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        p, s = product_and_sum(a, b)
        z = p * 2.0
    out["multi/p_only"] = [str(gradient_result(t)) for t in tape.gradient(z, [a, b])]
    out["multi/s_only"] = [str(gradient_result(t)) for t in tape.gradient(s, [a, b])]
    out["multi/both"] = [str(gradient_result(t)) for t in tape.gradient([p, s], [a, b])]
    out["multi/b_zero"] = gradient_result(tape.gradient(p, b, unconnected_gradients=tf.UnconnectedGradients.ZERO))
    del tape

    w = tf.Variable(3.0, name="w")

    @tf.custom_gradient
    def scaled_by_w(x):
        y = x * w

        def grad(dy, variables=None):
            return dy * w * 10.0, [dy * x * 100.0 + tf.reduce_sum(tf.stack(variables))]

        return y, grad

    @tf.custom_gradient
    def takes_variables_but_none_used(x):
        def grad(dy, variables=None):
            return dy * 7.0

        return x * 2.0, grad

    k = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(k)
        y = scaled_by_w(k)
        y2 = takes_variables_but_none_used(k)
    out["variables/both"] = [to_numpy(t) for t in tape.gradient(y, [k, w])]
    out["variables/watched"] = [var.name for var in tape.watched_variables()]
    out["variables/unused"] = gradient_result(tape.gradient(y2, k))
    del tape

    @tf.function
    def variables_in_function(k):
        with tf.GradientTape() as tape:
            tape.watch(k)
            y = scaled_by_w(k)
        return tape.gradient(y, [k, w])

    out["variables/function"] = [to_numpy(t) for t in variables_in_function(k)]

    @tf.custom_gradient
    def times_number(x, factor):
        return x * factor, lambda dy: (dy * factor, None)

    with tf.GradientTape() as tape:
        y = times_number(x, 3.0)
    out["number_argument"] = gradient_result(tape.gradient(y, x))

    @tf.custom_gradient
    def square_on_host(x):  # the forward runs outside the tape's view (py_function)
        y = tf.py_function(lambda a: a.numpy() ** 2, [x], tf.float32)
        return y, lambda dy: dy * 2.0 * x

    with tf.GradientTape() as tape:
        y = square_on_host(x)
    out["py_function_forward"] = gradient_result(tape.gradient(y, x))

    @tf.custom_gradient
    def no_gradient_for_input(x):
        return x * 2.0, lambda dy: None

    with tf.GradientTape(persistent=True) as tape:
        y = no_gradient_for_input(x)
        y2 = y + x
    out["none_gradient"] = gradient_result(tape.gradient(y, x))
    out["none_gradient_zero"] = gradient_result(tape.gradient(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))
    out["none_gradient_plus_source"] = gradient_result(tape.gradient(y2, x))
    return out


REFERENCES: dict[str, Reference] = {
    "tape_unconnected_audit": Reference("tape_unconnected_audit"),
    "tape_custom_gradient_ops": Reference("tape_custom_gradient_ops"),
}
