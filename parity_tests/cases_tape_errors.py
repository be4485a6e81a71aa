"""Parity case `tape_errors`: the error contract of GradientTape and tf.custom_gradient.

Each misuse is recorded with `add_error_contract` (class, builtin bases, tf.errors classes,
key phrases of TF's message, and the tape's state after the error); TF 2.21 is the spec,
including where it is lenient (output_gradients padded or truncated, broadcast scalars).
Same contract as `parity_tests/cases.py`.
"""

from __future__ import annotations

from typing import Any

from parity_tests.cases import Reference, add_error_contract, to_numpy
from parity_tests.cases_tape import gradient_result


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
    out["gradient_inside_context"] = gradient_result(g)
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
    out["output_gradients_fewer"] = gradient_result(ptape.gradient([y, v], x, output_gradients=[tf.constant(2.0)]))
    out["output_gradients_more"] = gradient_result(
        ptape.gradient(y, x, output_gradients=[tf.constant(2.0), tf.constant(5.0)])
    )
    out["output_gradients_broadcast"] = gradient_result(ptape.gradient(v2, xv, output_gradients=tf.constant(2.0)))
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
        lambda: str(gradient_result(utape.gradient(u_idx, xv))),
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
    "tape_errors": Reference("tape_errors"),
}
