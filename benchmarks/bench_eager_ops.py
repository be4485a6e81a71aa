"""Per-op eager dispatch overhead: jaxport ops vs the same plain `jax.numpy` calls, eagerly.

For a few ops on small float32 arrays, times (interleaved rounds, median per call)
`tf.<op>(...)` through jaxport's dispatch, the plain jnp call, and — with a tape watching
the input — jaxport's recorded path (forward + vjp residuals). Prints ratios to plain jnp.
Usage: python benchmarks/bench_eager_ops.py [--rounds 7] [--calls 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    import jax
    import jax.numpy as jnp

    import jaxport as tf

    a_np = np.random.RandomState(0).randn(64, 64).astype("float32")
    a_t, b_t = tf.constant(a_np), tf.constant(a_np.T.copy())
    a_j, b_j = jnp.asarray(a_np), jnp.asarray(a_np.T.copy())
    watched = tf.Variable(a_np)
    cases = {
        "add": (lambda: a_t + b_t, lambda: a_j + b_j),
        "matmul": (lambda: tf.matmul(a_t, b_t), lambda: jnp.matmul(a_j, b_j)),
        "relu": (lambda: tf.nn.relu(a_t), lambda: jax.nn.relu(a_j)),
        "reduce_sum": (lambda: tf.reduce_sum(a_t, axis=1), lambda: jnp.sum(a_j, axis=1)),
        "sigmoid": (lambda: tf.sigmoid(a_t), lambda: jax.nn.sigmoid(a_j)),
    }

    def timed(fn) -> float:
        out = fn()
        jax.block_until_ready(out._value if hasattr(out, "_value") else out)
        start = time.perf_counter()
        for _ in range(args.calls):
            out = fn()
        jax.block_until_ready(out._value if hasattr(out, "_value") else out)
        return (time.perf_counter() - start) / args.calls

    def recorded(op):
        def run():
            with tf.GradientTape() as tape:
                out = op()
            del tape
            return out

        return run

    taped = {
        "add": lambda: watched + b_t,
        "matmul": lambda: tf.matmul(watched, b_t),
        "relu": lambda: tf.nn.relu(watched),
        "reduce_sum": lambda: tf.reduce_sum(watched, axis=1),
        "sigmoid": lambda: tf.sigmoid(watched),
    }
    results: dict[str, dict[str, list[float]]] = {k: {"jnp": [], "jaxport": [], "taped": []} for k in cases}
    for _ in range(args.rounds):
        for name, (port, plain) in cases.items():
            results[name]["jnp"].append(timed(plain))
            results[name]["jaxport"].append(timed(port))
            results[name]["taped"].append(timed(recorded(taped[name])))
    print(f"eager op dispatch, float32 64x64, {args.rounds} interleaved rounds x {args.calls} calls (median us)")
    print(f"{'op':<12}{'plain jnp':>11}{'jaxport':>10}{'ratio':>8}{'recorded':>10}{'ratio':>8}")
    for name, r in results.items():
        jn, jp, tp = (statistics.median(r[k]) * 1e6 for k in ("jnp", "jaxport", "taped"))
        print(f"{name:<12}{jn:11.1f}{jp:10.1f}{jp / jn:8.2f}{tp:10.1f}{tp / jn:8.2f}")


if __name__ == "__main__":
    main()
