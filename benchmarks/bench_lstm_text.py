"""Benchmark W3, the Embedding + LSTM text classifier's train step (batch 64), in one run.

Workload: Embedding(10000, 64) -> LSTM(64) -> Dense(1, sigmoid), BinaryCrossentropy, Keras
Adam(1e-3), token sequences of length 80 (int32, from `np.random.RandomState(0)`), batch 64.

Variants:
  jax_jit    hand-written JAX twin: embedding lookup, one `lax.scan` LSTM (the kernel applied to
             every step at once), Dense, Keras Adam as an optax transform, one `jax.jit` (1.0)
  function   jaxport `tf.function` around a GradientTape + `apply_gradients` step
  fit_step   jaxport `model.fit` (one epoch of 8 batches per call, timed per batch)
  tf_*       TensorFlow's tf.function and fit, when TF is installed

Usage: python benchmarks/bench_lstm_text.py [--rounds 5] [--steps 16] [--no-tf]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from _timing import (  # noqa: E402
    import_tensorflow,
    interleaved_rounds,
    keras_step_variant,
    print_step_table,
    warm_up,
)

BATCH = 64
N = 512
LENGTH = 80
VOCAB = 10000
UNITS = 64
FIT_STEPS = 8


def make_data():
    rs = np.random.RandomState(0)
    x = rs.randint(1, VOCAB, size=(N, LENGTH)).astype("int32")
    y = rs.randint(0, 2, size=N).astype("float32")
    return x, y


def build_model(tf):
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Embedding(VOCAB, 64),
            tf.keras.layers.LSTM(UNITS),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model(np.zeros((1, LENGTH), "int32"))
    rs = np.random.RandomState(1)
    model.set_weights([rs.uniform(-0.1, 0.1, w.shape).astype("float32") for w in model.get_weights()])
    return model


def build_framework(tf, kind: str):
    x, y = make_data()
    fit_data = (x[: FIT_STEPS * BATCH], y[: FIT_STEPS * BATCH])
    return keras_step_variant(tf, build_model(tf), tf.keras.losses.BinaryCrossentropy(), kind, fit_data, BATCH)


def build_jax_jit():
    """The hand-written twin, initialised from the same arrays (Keras weight order)."""
    import jax
    import jax.numpy as jnp
    import optax

    import jaxport as tf
    from jaxport.modules.optimizers import keras_adam

    tf.keras.backend.clear_session()
    params = [jnp.asarray(w) for w in build_model(tf).get_weights()]
    tx = keras_adam(1e-3)
    opt_state = tx.init(params)

    def forward(params, tokens):
        table, kernel, recurrent_kernel, bias, dense_kernel, dense_bias = params
        x = jnp.take(table, tokens, axis=0)
        xs = jnp.swapaxes(x @ kernel, 0, 1)

        def step(carry, xk):
            h, c = carry
            z = xk + h @ recurrent_kernel + bias
            i, f, g, o = jnp.split(z, 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), None

        zeros = jnp.zeros((tokens.shape[0], UNITS), x.dtype)
        (h, _), _ = jax.lax.scan(step, (zeros, zeros), xs)
        return (h @ dense_kernel + dense_bias)[:, 0]

    def loss_fn(params, x, y):
        logits = forward(params, x)
        return jnp.mean(optax.sigmoid_binary_cross_entropy(logits, y))

    @jax.jit
    def step(params, opt_state, x, y):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        updates, opt_state = tx.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    box = {"p": params, "o": opt_state}

    def run(x, y):
        box["p"], box["o"], loss = step(box["p"], box["o"], x, y)
        return loss

    return run, lambda: jax.block_until_ready(box["p"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=16)
    parser.add_argument("--no-tf", action="store_true")
    args = parser.parse_args()
    x, y = make_data()
    batches = [(x[i : i + BATCH], y[i : i + BATCH]) for i in range(0, N, BATCH)]
    import jaxport

    variants = {"jax_jit": build_jax_jit()}
    jaxport.keras.backend.clear_session()
    variants["function"] = build_framework(jaxport, "function")
    variants["fit_step"] = build_framework(jaxport, "fit")
    if not args.no_tf:
        try:
            tensorflow = import_tensorflow()
            variants["tf_function"] = build_framework(tensorflow, "function")
            variants["tf_fit_step"] = build_framework(tensorflow, "fit")
        except ImportError:
            print("TensorFlow not installed: skipping the tf_* variants")
    first_call = warm_up(variants, batches)
    times = interleaved_rounds(variants, batches, args.rounds, lambda name: args.steps)
    print_step_table(
        f"W3 Embedding + LSTM text classifier train step, batch {BATCH}, length {LENGTH}, {args.rounds} rounds",
        times,
        first_call,
        1e3,
        "ms",
    )
    if "tf_function" in times:
        ratio = statistics.median(times["function"]) / statistics.median(times["tf_function"])
        print(f"jaxport function / TF tf.function: {ratio:.2f}")


if __name__ == "__main__":
    main()
