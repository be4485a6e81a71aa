"""Benchmark W1, the seed MLP's train step (batch 64), in one run; prints medians and ratios.

Variants, all the same math (Dropout 0.2 / Dense 64 relu / Dropout 0.2 / Dense 1 sigmoid,
BinaryCrossentropy, Keras Adam 1e-3, float32):
  jax_jit    hand-written `jax.jit` + optax step on a pytree of arrays (the 1.0 baseline)
  function   jaxport: `tf.function` around a GradientTape + `apply_gradients` step
  fit_step   jaxport: `model.fit`'s compiled train step (per batch, measured through fit)
  eager      jaxport: the same tape step run eagerly, op by op
  tf_*       real TensorFlow (tf_keras) eager / tf.function / fit, when TF is installed

Rounds are interleaved (each round times every variant once, over `--steps` steps) and the
median per-step time is reported, so machine noise hits all variants alike.

Usage: python benchmarks/bench_seed_mlp.py [--rounds 7] [--steps 50] [--no-tf]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from _timing import import_tensorflow, time_variant  # noqa: E402

BATCH = 64
N = 4096


def make_data():
    rs = np.random.RandomState(0)
    x = rs.randn(N, 30).astype("float32")
    y = (x @ rs.randn(30) > 0).astype("float32")
    return x, y


def initial_weights():
    rs = np.random.RandomState(1)
    return [
        rs.uniform(-0.3, 0.3, (30, 64)).astype("float32"),
        np.zeros(64, "float32"),
        rs.uniform(-0.3, 0.3, (64, 1)).astype("float32"),
        np.zeros(1, "float32"),
    ]


def build_jax_jit():
    """The hand-written twin: pure functions, optax state, one jitted step."""
    import jax
    import jax.numpy as jnp
    import optax

    from jaxport.modules.optimizers import keras_adam

    tx = keras_adam(1e-3)
    params = [jnp.asarray(w) for w in initial_weights()]
    state = tx.init(params)
    key = jax.random.PRNGKey(0)

    def loss_fn(params, x, y, key):
        k1, k2 = jax.random.split(key)
        w1, b1, w2, b2 = params
        keep = 0.8
        x = jnp.where(jax.random.uniform(k1, x.shape) >= 0.2, x / keep, 0.0)
        h = jax.nn.relu(x @ w1 + b1)
        h = jnp.where(jax.random.uniform(k2, h.shape) >= 0.2, h / keep, 0.0)
        z = (h @ w2 + b2)[:, 0]
        per = jnp.maximum(z, 0) - z * y + jnp.log1p(jnp.exp(-jnp.abs(z)))
        return jnp.mean(per)

    @jax.jit
    def step(params, state, key, x, y):
        key, sub = jax.random.split(key)
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y, sub)
        updates, state = tx.update(grads, state, params)
        return optax.apply_updates(params, updates), state, key, loss

    box = {"p": params, "s": state, "k": key}

    def run(x, y):
        box["p"], box["s"], box["k"], loss = step(box["p"], box["s"], box["k"], x, y)
        return loss

    def sync():
        jax.block_until_ready(box["p"])

    return run, sync


def build_framework(tf, kind: str):
    """The seed MLP step in `tf` (jaxport or TensorFlow): "eager", "function" or "fit"."""
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
    optimizer = tf.keras.optimizers.Adam()

    def train_step(x, y):
        with tf.GradientTape() as tape:
            predictions = model(x, training=True)
            loss = loss_func(y, predictions)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    def sync():
        model.trainable_variables[0].numpy()  # waits for the step, in both frameworks

    if kind == "eager":
        return lambda x, y: train_step(tf.constant(x), tf.constant(y)), sync
    if kind == "function":
        return tf.function(train_step), sync  # numpy batches go straight in, as with the jax.jit twin
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return _fit_epoch(model), sync


FIT_STEPS = 16


def _fit_epoch(model):
    """One call = one `fit` epoch of FIT_STEPS batches (timed per batch by the caller)."""
    x, y = make_data()
    x, y = x[: FIT_STEPS * BATCH], y[: FIT_STEPS * BATCH]

    def run(_x, _y):
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0, shuffle=False)

    run.steps_per_call = FIT_STEPS
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--eager-steps", type=int, default=10)
    parser.add_argument("--no-tf", action="store_true")
    args = parser.parse_args()
    x, y = make_data()
    batches = [(x[i : i + BATCH], y[i : i + BATCH]) for i in range(0, N, BATCH)]
    variants = {"jax_jit": build_jax_jit()}
    import jaxport

    for kind in ("function", "fit_step", "eager"):
        variants[kind] = build_framework(jaxport, kind)
    if not args.no_tf:
        try:
            tensorflow = import_tensorflow()
            for kind in ("function", "fit_step", "eager"):
                variants[f"tf_{kind}"] = build_framework(tensorflow, kind)
        except ImportError:
            print("TensorFlow not installed: skipping the tf_* variants")
    compile_times = {}
    for name, (run, sync) in variants.items():  # warm up: trace + compile
        start = time.perf_counter()
        run(*batches[0])
        sync()
        compile_times[name] = time.perf_counter() - start
        for b in batches[1:4]:
            run(*b)
        sync()
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.rounds):
        for name, (run, sync) in variants.items():
            steps = args.eager_steps if "eager" in name else args.steps
            times[name].append(time_variant(run, sync, batches, steps))
    base = statistics.median(times["jax_jit"])
    tf_eager = statistics.median(times["tf_eager"]) if "tf_eager" in times else None
    print(f"W1 seed MLP train step, batch {BATCH}, {args.rounds} interleaved rounds (median per step)")
    print(f"{'variant':<14}{'median us':>12}{'x jax_jit':>12}{'x tf_eager':>12}{'first call s':>14}")
    for name, values in times.items():
        med = statistics.median(values)
        vs_tf = f"{med / tf_eager:12.3f}" if tf_eager else f"{'-':>12}"
        print(f"{name:<14}{med * 1e6:12.1f}{med / base:12.2f}{vs_tf}{compile_times[name]:14.3f}")


if __name__ == "__main__":
    main()
