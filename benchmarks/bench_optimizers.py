"""Benchmark the W1 step (the seed MLP, batch 64) with every Keras optimizer; prints ratios.

For each optimizer, two variants of the same math (Dropout 0.2 / Dense 64 relu / Dropout 0.2 /
Dense 1 sigmoid, BinaryCrossentropy, float32):
  jax_jit    hand-written `jax.jit` + optax step with jaxport's Keras-numerics transform
             (`keras_adam`, `keras_sgd`, ...; AdamW chains `keras_weight_decay`)
  function   jaxport: `tf.function` around a GradientTape + `optimizer.apply_gradients` step
Rounds are interleaved (each round times every variant of every optimizer once, over `--steps`
steps); it prints the median per-step times and the median per-round ratio
`function / jax_jit` (target <= 1.15).

Usage: python benchmarks/bench_optimizers.py [--rounds 5] [--steps 50] [--only adam sgd ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from _timing import time_variant  # noqa: E402
from bench_seed_mlp import BATCH, N, initial_weights, make_data  # noqa: E402


def optimizer_pairs() -> dict:
    """name -> (jaxport optimizer factory, optax transform factory) with the same numerics."""
    import optax

    import jaxport as tf
    from jaxport.modules import optax_transforms as T

    K = tf.keras.optimizers
    return {
        "sgd": (lambda: K.SGD(0.01), lambda: T.keras_sgd(0.01)),
        "sgd_nesterov": (lambda: K.SGD(0.01, momentum=0.9, nesterov=True), lambda: T.keras_sgd(0.01, 0.9, True)),
        "adam": (lambda: K.Adam(1e-3), lambda: T.keras_adam(1e-3)),
        "adamw": (
            lambda: K.AdamW(1e-3),
            lambda: optax.chain(T.keras_adam(1e-3), T.keras_weight_decay(1e-3, 0.004)),
        ),
        "adamax": (lambda: K.Adamax(1e-3), lambda: T.keras_adamax(1e-3)),
        "nadam": (lambda: K.Nadam(1e-3), lambda: T.keras_nadam(1e-3)),
        "rmsprop": (lambda: K.RMSprop(1e-3), lambda: T.keras_rmsprop(1e-3)),
        "adagrad": (lambda: K.Adagrad(1e-3), lambda: T.keras_adagrad(1e-3)),
        "adadelta": (lambda: K.Adadelta(1.0), lambda: T.keras_adadelta(1.0)),
        "adafactor": (lambda: K.Adafactor(1e-3), lambda: T.keras_adafactor(1e-3)),
        "ftrl": (lambda: K.Ftrl(1e-3), lambda: T.keras_ftrl(1e-3)),
        "lion": (lambda: K.Lion(1e-4), lambda: T.keras_lion(1e-4)),
    }


def build_jax_jit(tx):
    """The hand-written twin of the step: pure functions, optax state, one jitted step."""
    import jax
    import jax.numpy as jnp
    import optax

    params = [jnp.asarray(w) for w in initial_weights()]
    state = tx.init(params)

    def loss_fn(params, x, y, key):
        k1, k2 = jax.random.split(key)
        w1, b1, w2, b2 = params
        keep = 0.8
        x = jnp.where(jax.random.uniform(k1, x.shape) >= 0.2, x / keep, 0.0)
        h = jax.nn.relu(x @ w1 + b1)
        h = jnp.where(jax.random.uniform(k2, h.shape) >= 0.2, h / keep, 0.0)
        z = (h @ w2 + b2)[:, 0]
        return jnp.mean(jnp.maximum(z, 0) - z * y + jnp.log1p(jnp.exp(-jnp.abs(z))))

    @jax.jit
    def step(params, state, key, x, y):
        key, sub = jax.random.split(key)
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y, sub)
        updates, state = tx.update(grads, state, params)
        return optax.apply_updates(params, updates), state, key, loss

    box = {"p": params, "s": state, "k": jax.random.PRNGKey(0)}

    def run(x, y):
        box["p"], box["s"], box["k"], loss = step(box["p"], box["s"], box["k"], x, y)
        return loss

    return run, lambda: jax.block_until_ready(box["p"])


def build_function(optimizer):
    """jaxport's `tf.function` step of the seed MLP with `optimizer`."""
    import jaxport as tf

    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dropout(rate=0.2, input_shape=(30,)),
            tf.keras.layers.Dense(units=64, activation="relu"),
            tf.keras.layers.Dropout(rate=0.2),
            tf.keras.layers.Dense(units=1, activation="sigmoid"),
        ]
    )
    model.set_weights(initial_weights())
    loss_func = tf.keras.losses.BinaryCrossentropy()

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_func(y, model(x, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    return train_step, lambda: model.trainable_variables[0].numpy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--only", nargs="*", default=None, help="optimizer names (default: all)")
    args = parser.parse_args()
    x, y = make_data()
    batches = [(x[i : i + BATCH], y[i : i + BATCH]) for i in range(0, N, BATCH)]
    pairs = optimizer_pairs()
    names = args.only or list(pairs)
    variants = {}
    for name in names:
        make_optimizer, make_tx = pairs[name]
        variants[(name, "jax_jit")] = build_jax_jit(make_tx())
        variants[(name, "function")] = build_function(make_optimizer())
    first_call = {}
    for key, (run, sync) in variants.items():  # warm up: trace + compile
        start = time.perf_counter()
        run(*batches[0])
        sync()
        first_call[key] = time.perf_counter() - start
        for batch in batches[1:4]:
            run(*batch)
        sync()
    times: dict = {key: [] for key in variants}
    for _ in range(args.rounds):
        for key, (run, sync) in variants.items():
            times[key].append(time_variant(run, sync, batches, args.steps))
    print(f"W1 seed MLP train step per optimizer, batch {BATCH}, {args.rounds} interleaved rounds (median per step)")
    print(f"{'optimizer':<14}{'jax_jit us':>12}{'function us':>13}{'ratio':>8}{'first call s':>14}")
    for name in names:
        base = statistics.median(times[(name, "jax_jit")])
        ours = statistics.median(times[(name, "function")])
        # the median of the per-round ratios: the two variants run back to back in each round,
        # so a load change on this shared machine moves both
        ratio = statistics.median(f / j for f, j in zip(times[(name, "function")], times[(name, "jax_jit")]))
        print(f"{name:<14}{base * 1e6:12.1f}{ours * 1e6:13.1f}{ratio:8.2f}{first_call[(name, 'function')]:14.3f}")


if __name__ == "__main__":
    main()
