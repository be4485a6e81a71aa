"""Parity cases: dynamic_size TensorArrays grown by loops whose trip count is known only at
run time, inside `tf.function` (AutoGraph `while` on a Tensor and `tf.while_loop`).

XLA needs static shapes; jaxport compiles such a program for a capacity per loop, learns the
real count from the run and, when it differs, traces and runs again (`ConcreteEntry.call`).
These cases check that the results, the Variables written and the trace counts are TF's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, to_numpy


def case_autograph_dynamic_tensor_array(tf: Any) -> dict[str, Any]:
    """Python `while` on a Tensor writing a dynamic TensorArray; tf.while_loop with one; a
    Variable updated in the loop; two run-time-bounded loops growing one array; trace counts."""
    out: dict[str, Any] = {}
    steps = tf.Variable(0)

    @tf.function
    def collatz(n):
        ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
        i = 0
        while n > 1:
            ta = ta.write(i, n)
            n = tf.where(n % 2 == 0, n // 2, 3 * n + 1)
            steps.assign_add(1)
            i += 1
        return ta.stack(), ta.size()

    for start in (6, 27, 1, 6, 7):
        values, size = collatz(tf.constant(start))
        out[f"collatz/{start}"] = to_numpy(values)
        out[f"collatz/{start}/size"] = to_numpy(size)
        out[f"collatz/{start}/steps"] = to_numpy(steps)
    out["collatz/tracing_count"] = np.asarray(collatz.experimental_get_tracing_count())

    @tf.function
    def doubling(x, limit):
        ta = tf.TensorArray(tf.float32, size=1, dynamic_size=True, clear_after_read=False)
        ta = ta.write(0, x)
        total = x
        i = tf.constant(1)
        while total < limit:
            total = total * 2.0
            ta = ta.write(i, tf.maximum(total, ta.read(i - 1)))
            i += 1
        return ta.stack(), tf.reduce_mean(ta.stack())

    for x, limit in ((1.5, 100.0), (1.5, 1e6), (200.0, 100.0)):
        values, mean = doubling(tf.constant(x), tf.constant(limit))
        out[f"doubling/{x}/{limit}"] = to_numpy(values)
        out[f"doubling/{x}/{limit}/mean"] = to_numpy(mean)

    @tf.function
    def two_loops(n, m):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        i = tf.constant(0)
        while i < n:
            ta = ta.write(ta.size(), tf.cast(i, tf.float32))
            i += 1
        j = tf.constant(0)
        while j < m:
            ta = ta.write(ta.size(), -tf.cast(j, tf.float32) - 0.5)
            j += 1
        return ta.stack()

    for n, m in ((3, 2), (0, 4), (5, 0), (3, 2)):
        out[f"two_loops/{n}/{m}"] = to_numpy(two_loops(tf.constant(n), tf.constant(m)))

    @tf.function
    def squares_while_loop(n):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)

        def body(i, ta):
            return i + 1, ta.write(i, tf.cast(i * i, tf.float32))

        _, ta = tf.while_loop(lambda i, ta: i < n, body, [tf.constant(0), ta])
        return ta.stack()

    for n in (4, 9):
        out[f"while_loop/{n}"] = to_numpy(squares_while_loop(tf.constant(n)))
    out["while_loop/tracing_count"] = np.asarray(squares_while_loop.experimental_get_tracing_count())
    return out


REFERENCES: dict[str, Reference] = {
    "autograph_dynamic_tensor_array": Reference("autograph_dynamic_tensor_array"),
}
