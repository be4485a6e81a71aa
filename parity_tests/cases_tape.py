"""Parity cases: where GradientTape's answer depends on TF's gradient registry.

- `tape_unconnected_audit`: for every op TF registers as NotDifferentiable, or whose gradient
  function returns None (and their differentiable neighbours), whether `tape.gradient` gives
  None or a value, the value under `UnconnectedGradients.ZERO`, and the gradient with respect
  to the op's own output; eagerly, inside `tf.function`, with nested and persistent tapes.
- `tape_custom_gradient_ops`: `tf.custom_gradient` functions whose backward calls TF ops.
- `tape_errors`: the tape's error contract (class, builtin bases, tf.errors class, phrases,
  state after the error).

Same contract as `parity_tests/cases.py`; a gradient that is None is recorded as "None".
"""

from __future__ import annotations

from typing import Any

from parity_tests.cases import Reference, add_error_contract, to_numpy


def _g(value: Any) -> Any:
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
        out[f"{name}/dx"] = _g(tape.gradient(z, x))
        out[f"{name}/dx_zero"] = _g(tape.gradient(z, x, unconnected_gradients=zero))
        out[f"{name}/dout"] = _g(tape.gradient(z, r))
        del tape

    # The program: a stop_gradient term leaves y unconnected.
    a, b = tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        z = a**2 + tf.stop_gradient(b**2)
    out["issue/da"] = _g(tape.gradient(z, a))
    out["issue/db"] = _g(tape.gradient(z, b))
    out["issue/db_zero"] = _g(tape.gradient(z, b, unconnected_gradients=zero))
    out["issue/jacobian_db"] = _g(tape.jacobian(z, b))
    out["issue/jacobian_db_zero"] = _g(tape.jacobian(z, b, unconnected_gradients=zero))
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
    out["keras_dense_unconnected"] = [str(_g(g)) for g in tape.gradient(loss, dense.trainable_variables)]

    # jacobian without vectorization gives the same values
    xv = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        yv = xv * xv + tf.floor(xv)
    out["jacobian_no_pfor"] = _g(tape.jacobian(yv, xv, experimental_use_pfor=False))
    out["jacobian_pfor"] = _g(tape.jacobian(yv, xv, parallel_iterations=2))
    del tape

    # A tf.function called under a tape.
    a, b, c = tf.Variable(2.0), tf.Variable(3.0), tf.Variable(1.5)

    @tf.function
    def called_under_tape(p, q):
        return p**2 + tf.stop_gradient(q**2) + tf.round(p) + tf.cast(tf.cast(c, tf.int32), tf.float32)

    with tf.GradientTape(persistent=True) as tape:
        z = called_under_tape(a, b)
    out["function_under_tape"] = [str(_g(g)) for g in tape.gradient(z, [a, b, c])]
    out["function_under_tape_zero"] = [to_numpy(g) for g in tape.gradient(z, [a, b, c], unconnected_gradients=zero)]
    del tape

    # Nested tapes: the second derivative through a disconnected op, and the outer tape's view.
    v = tf.Variable(1.5)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = v**3 + tf.floor(v) * v + tf.stop_gradient(v) * v
        dv = inner.gradient(y, v)
    out["nested/first"] = _g(dv)
    out["nested/second"] = _g(outer.gradient(dv, v))
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.round(v) * 2.0
        dv = inner.gradient(y, v)
    out["nested/round_first"] = _g(dv)
    out["nested/round_second"] = "skipped" if dv is None else _g(outer.gradient(dv, v))

    # Sources of other kinds: an integer Variable, a non-trainable Variable, an integer tensor.
    count = tf.Variable(3)
    frozen = tf.Variable(2.0, trainable=False)
    k = tf.constant([1, 2])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(k)
        y = tf.cast(count, tf.float32) * frozen * v + tf.reduce_sum(tf.cast(k, tf.float32))
    out["sources/int_variable"] = _g(tape.gradient(y, count))
    out["sources/int_variable_zero"] = _g(tape.gradient(y, count, unconnected_gradients=zero))
    out["sources/int_jacobian_zero"] = _g(tape.jacobian(y, k, unconnected_gradients=zero))
    out["sources/frozen_variable"] = _g(tape.gradient(y, frozen))
    out["sources/frozen_zero"] = _g(tape.gradient(y, frozen, unconnected_gradients=zero))
    out["sources/int_tensor"] = _g(tape.gradient(y, k))
    out["sources/int_tensor_zero"] = _g(tape.gradient(y, k, unconnected_gradients=zero))
    out["sources/trainable"] = _g(tape.gradient(y, v))
    out["sources/watched"] = [var.name for var in tape.watched_variables()]
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
        out[f"clip/{name}"] = _g(tape.gradient(loss, v))
        with tf.GradientTape() as tape:
            loss = fn(v * v) * 3.0 + v
        out[f"clip/{name}_scaled"] = _g(tape.gradient(loss, v))
    c = tf.constant([3.0, 4.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(c)
        y = clip_identity(c * c)
        loss = tf.reduce_sum(y)
    out["clip/vector"] = _g(tape.gradient(loss, c))
    out["clip/jacobian"] = _g(tape.jacobian(y, c))
    del tape

    @tf.function
    def clip_in_function():
        with tf.GradientTape() as tape:
            loss = clip_passthrough(v * v)
        return tape.gradient(loss, v)

    out["clip/function"] = _g(clip_in_function())

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
        out[f"nested/{name}_first"] = _g(g)
        out[f"nested/{name}_second"] = _g(outer.gradient(g, x))

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
    out["multi/p_only"] = [str(_g(t)) for t in tape.gradient(z, [a, b])]
    out["multi/s_only"] = [str(_g(t)) for t in tape.gradient(s, [a, b])]
    out["multi/both"] = [str(_g(t)) for t in tape.gradient([p, s], [a, b])]
    out["multi/b_zero"] = _g(tape.gradient(p, b, unconnected_gradients=tf.UnconnectedGradients.ZERO))
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
    out["variables/unused"] = _g(tape.gradient(y2, k))
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
    out["number_argument"] = _g(tape.gradient(y, x))

    @tf.custom_gradient
    def square_on_host(x):  # the forward runs outside the tape's view (py_function)
        y = tf.py_function(lambda a: a.numpy() ** 2, [x], tf.float32)
        return y, lambda dy: dy * 2.0 * x

    with tf.GradientTape() as tape:
        y = square_on_host(x)
    out["py_function_forward"] = _g(tape.gradient(y, x))

    @tf.custom_gradient
    def no_gradient_for_input(x):
        return x * 2.0, lambda dy: None

    with tf.GradientTape(persistent=True) as tape:
        y = no_gradient_for_input(x)
        y2 = y + x
    out["none_gradient"] = _g(tape.gradient(y, x))
    out["none_gradient_zero"] = _g(tape.gradient(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))
    out["none_gradient_plus_source"] = _g(tape.gradient(y2, x))
    return out


def case_tape_errors(tf: Any) -> dict[str, Any]:
    """The tape's error contract: what misuse raises, and that the tape still works after it."""
    out: dict[str, Any] = {}
    x = tf.Variable(2.0, name="x")

    def used_tape() -> Any:
        with tf.GradientTape() as tape:
            y = x * x
        tape.gradient(y, x)
        return tape, y

    tape, y = used_tape()
    phrases = ("non-persistent", "one set of gradients")
    add_error_contract(out, tf, "second_gradient", lambda: tape.gradient(y, x), phrases)
    add_error_contract(out, tf, "jacobian_after_gradient", lambda: tape.jacobian(y, x), phrases)
    add_error_contract(out, tf, "batch_jacobian_after_gradient", lambda: tape.batch_jacobian(y, x), phrases)

    def stop_recording_outside():
        with tf.GradientTape() as t:
            _ = x * x
        with t.stop_recording():
            pass

    add_error_contract(out, tf, "stop_recording_not_recording", stop_recording_outside, ("not recording",))

    def reenter():
        with tf.GradientTape() as t:
            with t:
                pass

    add_error_contract(out, tf, "reenter_recording_tape", reenter, ("still recording", "re-enter"))

    with tf.GradientTape() as inside:
        y = x * x
        g = inside.gradient(y, x)  # stops the tape: later ops are not recorded
        z = x * 3.0
    out["gradient_inside_context"] = _g(g)
    add_error_contract(out, tf, "gradient_after_inside_context", lambda: inside.gradient(z, x), phrases)

    xv = tf.Variable([1.0, 2.0], name="xv")
    with tf.GradientTape(persistent=True) as ptape:
        ptape.watch(x)
        y = x * x
        v = tf.stack([x, x * 3.0])
        v2 = xv * xv

    def still_works() -> Any:
        return to_numpy(ptape.gradient(y, x))

    target_phrases = ("target", "should be a list or nested structure of tensors")
    add_error_contract(out, tf, "target_none", lambda: ptape.gradient(None, x), target_phrases, still_works)
    add_error_contract(out, tf, "target_string", lambda: ptape.gradient("y", x), ("'y'",), still_works)
    add_error_contract(out, tf, "source_none", lambda: ptape.gradient(y, None), ("none",), still_works)
    add_error_contract(out, tf, "source_string", lambda: ptape.gradient(y, "x"), ("'x'",), still_works)
    add_error_contract(out, tf, "source_in_list_none", lambda: ptape.gradient(y, [x, None]), ("none",), still_works)
    add_error_contract(
        out,
        tf,
        "unconnected_gradients_unknown",
        lambda: ptape.gradient(y, x, unconnected_gradients="bad"),
        ("unknown value for unconnected_gradients", "'bad'"),
        still_works,
    )
    add_error_contract(
        out,
        tf,
        "output_gradients_shape",
        lambda: ptape.gradient(v, x, output_gradients=tf.constant([1.0, 2.0, 3.0])),
        ("shape",),
        still_works,
    )
    add_error_contract(
        out,
        tf,
        "output_gradients_elementwise_shape",
        lambda: ptape.gradient(v2, xv, output_gradients=tf.constant([1.0, 2.0, 3.0])),
        ("incompatible shapes", "[3]", "[2]"),
        still_works,
    )
    add_error_contract(
        out,
        tf,
        "output_gradients_dtype",
        lambda: ptape.gradient(y, x, output_gradients=tf.constant(1.0, tf.float64)),
        ("double", "float"),
        still_works,
    )
    add_error_contract(
        out,
        tf,
        "output_gradients_python_int",
        lambda: ptape.gradient(y, x, output_gradients=3),
        ("int32", "float"),
        still_works,
    )
    # TF pads missing output_gradients with None (ones) and ignores extra ones
    out["output_gradients_fewer"] = _g(ptape.gradient([y, v], x, output_gradients=[tf.constant(2.0)]))
    out["output_gradients_more"] = _g(ptape.gradient(y, x, output_gradients=[tf.constant(2.0), tf.constant(5.0)]))
    out["output_gradients_broadcast"] = _g(ptape.gradient(v2, xv, output_gradients=tf.constant(2.0)))
    add_error_contract(
        out,
        tf,
        "jacobian_unconnected_unknown",
        lambda: ptape.jacobian(v, x, unconnected_gradients="sometimes"),
        ("experimental_use_pfor",),
        still_works,
    )
    add_error_contract(
        out,
        tf,
        "jacobian_no_pfor_unconnected_unknown",
        lambda: ptape.jacobian(v, x, unconnected_gradients="sometimes", experimental_use_pfor=False),
        ("unknown value for unconnected_gradients", "'sometimes'"),
        still_works,
    )
    add_error_contract(
        out,
        tf,
        "batch_jacobian_unconnected_unknown",
        lambda: ptape.batch_jacobian(v2[:, None], xv[:, None], unconnected_gradients="sometimes"),
        ("batch_jacobian", "experimental_use_pfor"),
        still_works,
    )
    add_error_contract(out, tf, "watch_string", lambda: tf.GradientTape().watch("a"), ("passed in object", "str"))
    add_error_contract(
        out, tf, "watch_none", lambda: tf.GradientTape().watch(None), ("passed in object none", "nonetype")
    )

    with tf.GradientTape(persistent=True) as btape:
        a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        s = tf.constant(2.0)
        btape.watch([a, s])
        b = tf.reduce_sum(a, axis=0, keepdims=True) * tf.ones([3, 2])
        c = a * 2.0
        d = tf.reduce_sum(a)
        e = s * a
    add_error_contract(
        out, tf, "batch_jacobian_batch_mismatch", lambda: btape.batch_jacobian(b, a), ("first dimension",)
    )
    add_error_contract(out, tf, "batch_jacobian_scalar_target", lambda: btape.batch_jacobian(d, a))
    add_error_contract(out, tf, "batch_jacobian_scalar_source", lambda: btape.batch_jacobian(e, s), ("rank at least",))
    out["batch_jacobian_after_errors"] = to_numpy(btape.batch_jacobian(c, a))

    with tf.GradientTape(persistent=True) as utape:
        utape.watch(xv)
        u = tf.unique(tf.concat([xv, xv], 0)).y * 2.0
        u_idx = tf.cast(tf.unique(xv).idx, tf.float32)
    add_error_contract(
        out,
        tf,
        "gradient_through_unique",
        lambda: utape.gradient(u, xv),
        ("gradient registry has no entry for", "unique"),
        lambda: str(_g(utape.gradient(u_idx, xv))),
    )

    w = tf.Variable(3.0, name="w")

    @tf.custom_gradient
    def too_many_grads(t):
        return t * 2.0, lambda dy: (dy, dy)

    @tf.custom_gradient
    def missing_variable_grads(t):
        return t * w, lambda dy, variables=None: (dy, [])

    @tf.custom_gradient
    def no_variables_parameter(t):
        return t * w, lambda dy: dy

    def gradient_of(fn: Any) -> Any:
        def run():
            with tf.GradientTape() as t:
                loss = fn(x)
            return t.gradient(loss, [x, w])

        return run

    add_error_contract(
        out, tf, "custom_gradient_count", gradient_of(too_many_grads), ("expected to return 1 gradients", "returned 2")
    )
    add_error_contract(
        out,
        tf,
        "custom_gradient_variable_count",
        gradient_of(missing_variable_grads),
        ("must return gradient for each variable",),
    )

    @tf.custom_gradient
    def scaled(t, scale=1.0):
        return t * scale, lambda dy: dy * scale

    @tf.function
    def keyword_in_function():
        return scaled(x, scale=tf.constant(2.0))

    add_error_contract(
        out,
        tf,
        "custom_gradient_keyword_in_function",
        keyword_in_function,
        ("keywords arguments only when eager execution is enabled",),
    )
    add_error_contract(
        out,
        tf,
        "custom_gradient_no_variables_parameter",
        lambda: no_variables_parameter(tf.constant(1.0)),
        ("grad_fn must accept keyword argument 'variables'", "since function uses variables"),
    )
    return out


REFERENCES: dict[str, Reference] = {
    "tape_unconnected_audit": Reference("tape_unconnected_audit"),
    "tape_custom_gradient_ops": Reference("tape_custom_gradient_ops"),
    "tape_errors": Reference("tape_errors"),
}
