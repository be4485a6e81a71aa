"""Parity cases: the error contract of `tf.function` — what a TF user sees for bad calls and
bad functions: the exception's class, its builtin bases and `tf.errors` classes, key phrases of
the message, and that nothing was half-changed (`parity_tests.cases.add_error_contract`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy


def case_function_errors(tf: Any) -> dict[str, Any]:
    """Bad input signatures and calls, Variables created on retrace, Python control flow on
    symbolic tensors, graph-construction errors, and state after each."""
    out: dict[str, Any] = {}

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def double(x):
        return x * 2.0

    add_error_contract(
        out,
        tf,
        "signature_dtype",
        lambda: double(tf.constant([1, 2])),
        phrases=("binding inputs to tf.function failed", "can not cast", "dtype=tf.int32"),
    )
    add_error_contract(
        out,
        tf,
        "signature_rank",
        lambda: double(tf.constant([[1.0]])),
        phrases=("binding inputs to tf.function failed", "shape=(1, 1)", "for signature"),
    )
    add_error_contract(out, tf, "signature_extra_argument", lambda: double(tf.constant([1.0]), tf.constant([2.0])))
    add_error_contract(out, tf, "signature_missing_argument", lambda: double())
    add_error_contract(
        out, tf, "signature_not_a_list", lambda: tf.function(lambda x: x, input_signature=tf.TensorSpec([1]))
    )

    def two(a, b):
        return a + b

    add_error_contract(
        out,
        tf,
        "signature_too_many_specs",
        lambda: tf.function(two, input_signature=[tf.TensorSpec([]), tf.TensorSpec([]), tf.TensorSpec([])])(1.0, 2.0),
    )
    add_error_contract(out, tf, "not_callable", lambda: tf.function(3)(), phrases=())

    @tf.function
    def make_variable(x):
        v = tf.Variable(1.0)
        return v + x

    add_error_contract(
        out, tf, "variable_created_each_trace", lambda: make_variable(tf.constant(1.0)), phrases=("tf.variable",)
    )

    @tf.function
    def branch_on_tensor(x):
        if bool(x > 0):
            return x
        return -x

    add_error_contract(
        out,
        tf,
        "bool_of_symbolic_tensor",
        lambda: branch_on_tensor(tf.constant(1.0)),
        phrases=("symbolic `tf.tensor`", "as a python `bool` is not allowed"),
    )

    @tf.function
    def returns_object(x):
        return object()

    add_error_contract(out, tf, "returns_python_object", lambda: returns_object(tf.constant(1.0)))

    @tf.function
    def bad_matmul(x):
        return tf.matmul(x, x)

    add_error_contract(
        out,
        tf,
        "graph_matmul_shapes",
        lambda: bad_matmul(tf.ones([2, 3])),
        phrases=("dimensions must be equal, but are 3 and 2", "with input shapes: [2,3], [2,3]"),
    )

    @tf.function
    def bad_add(x):
        return x + tf.constant(1, tf.int32)

    add_error_contract(out, tf, "graph_dtype_mismatch", lambda: bad_add(tf.ones([2])), phrases=("int32", "float"))

    @tf.function
    def bad_broadcast(x, y):
        return x * y

    add_error_contract(
        out,
        tf,
        "graph_broadcast_shapes",
        lambda: bad_broadcast(tf.ones([2, 4]), tf.ones([3, 1])),
        phrases=("dimensions must be equal, but are 2 and 3", "with input shapes: [2,4], [3,1]"),
    )

    counter = tf.Variable(0.0)

    @tf.function
    def step_then_fail(x):
        counter.assign_add(1.0)
        return tf.reshape(x, [5])

    add_error_contract(
        out,
        tf,
        "graph_reshape_state",
        lambda: step_then_fail(tf.ones([2, 3])),
        phrases=("reshape",),
        state=lambda: to_numpy(counter),
    )

    @tf.function
    def loop_changes_dtype(n):
        x = tf.constant(0)
        i = tf.constant(0)
        while i < n:
            x = tf.cast(x, tf.float32) + 1.0
            i += 1
        return x

    add_error_contract(
        out, tf, "loop_variable_dtype_changes", lambda: loop_changes_dtype(tf.constant(3)), phrases=("x",)
    )

    @tf.function
    def loop_changes_shape(n):
        x = tf.zeros([1])
        i = tf.constant(0)
        while i < n:
            x = tf.concat([x, x], 0)
            i += 1
        return x

    add_error_contract(
        out, tf, "loop_variable_shape_changes", lambda: loop_changes_shape(tf.constant(3)), phrases=("x", "shape")
    )

    @tf.function
    def branch_only_one_side(x):
        if x > 0:
            y = x
        return y

    add_error_contract(
        out, tf, "undefined_in_one_branch", lambda: branch_only_one_side(tf.constant(1.0)), phrases=("y",)
    )
    out["counter_after"] = to_numpy(counter)
    out["double_still_works"] = to_numpy(double(tf.constant([1.0, 2.0])))
    out["tracing_count"] = np.asarray(double.experimental_get_tracing_count())
    return out


REFERENCES: dict[str, Reference] = {
    "function_errors": Reference("function_errors"),
}
