"""Benchmark W2, the ResNet-block CNN's train step (batch 64), in one run; medians and ratios.

Workload (DESIGN.md, W2): Conv2D(32, 3, padding='same') -> 2 x the seed's ResnetIdentityBlock
(kernel 3, filters [16, 16, 32]) -> GlobalAveragePooling2D -> Dense(10, softmax),
SparseCategoricalCrossentropy, Keras Adam(1e-3), X (1024, 16, 16, 3) float32, batch 64.

Variants:
  jax_jit    hand-written JAX twin: pure conv/BN/relu functions, one `jax.jit` step, Keras
             Adam as an optax transform, BN moving statistics carried as state (1.0 baseline)
  function   jaxport `tf.function` around a GradientTape + `apply_gradients` step
  fit_step   jaxport `model.fit` (one epoch of 16 batches per call, timed per batch)
  tf_*       TensorFlow's tf.function and fit, when TF is installed

Usage: python benchmarks/bench_resnet_cnn.py [--rounds 5] [--steps 16] [--no-tf]
"""

from __future__ import annotations

import argparse
import os
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
N = 1024
FIT_STEPS = 16


def make_data():
    rs = np.random.RandomState(0)
    x = rs.randn(N, 16, 16, 3).astype("float32")
    y = rs.randint(0, 10, size=N).astype("int32")
    return x, y


def build_model(tf):
    class ResnetIdentityBlock(tf.keras.Model):
        def __init__(self, kernel_size, filters):
            super().__init__(name="")
            filters1, filters2, filters3 = filters
            self.conv2a = tf.keras.layers.Conv2D(filters1, (1, 1))
            self.bn2a = tf.keras.layers.BatchNormalization()
            self.conv2b = tf.keras.layers.Conv2D(filters2, kernel_size, padding="same")
            self.bn2b = tf.keras.layers.BatchNormalization()
            self.conv2c = tf.keras.layers.Conv2D(filters3, (1, 1))
            self.bn2c = tf.keras.layers.BatchNormalization()

        def call(self, input_tensor, training=False):
            x = self.conv2a(input_tensor)
            x = self.bn2a(x, training=training)
            x = tf.nn.relu(x)
            x = self.conv2b(x)
            x = self.bn2b(x, training=training)
            x = tf.nn.relu(x)
            x = self.conv2c(x)
            x = self.bn2c(x, training=training)
            x += input_tensor
            return tf.nn.relu(x)

    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.stem = tf.keras.layers.Conv2D(32, 3, padding="same")
            self.block1 = ResnetIdentityBlock(3, [16, 16, 32])
            self.block2 = ResnetIdentityBlock(3, [16, 16, 32])
            self.pool = tf.keras.layers.GlobalAveragePooling2D()
            self.head = tf.keras.layers.Dense(10, activation="softmax")

        def call(self, x, training=False):
            x = self.stem(x)
            x = self.block1(x, training=training)
            x = self.block2(x, training=training)
            return self.head(self.pool(x))

    model = Net()
    model(tf.zeros([1, 16, 16, 3]))
    rs = np.random.RandomState(1)
    weights = []
    for w in model.weights:
        leaf = w.name.split("/")[-1].split(":")[0]
        shape = tuple(w.shape)
        if leaf == "kernel":
            weights.append(rs.uniform(-0.2, 0.2, shape).astype("float32"))
        elif leaf in ("gamma", "moving_variance"):
            weights.append(np.ones(shape, "float32"))
        else:
            weights.append(np.zeros(shape, "float32"))
    model.set_weights(weights)
    return model


def build_framework(tf, kind: str):
    x, y = make_data()
    fit_data = (x[: FIT_STEPS * BATCH], y[: FIT_STEPS * BATCH])
    return keras_step_variant(
        tf, build_model(tf), tf.keras.losses.SparseCategoricalCrossentropy(), kind, fit_data, BATCH
    )


def build_jax_jit():
    """The hand-written twin: the same layers as pure functions, BN written as x*inv + shift."""
    import jax
    import jax.numpy as jnp
    import optax

    import jaxport as tf
    from jaxport.modules.optimizers import keras_adam

    tf.keras.backend.clear_session()
    model = build_model(tf)  # only to get identically initialised arrays in Keras order
    values = [jnp.asarray(w) for w in model.get_weights()]
    names = [w.name.split("/")[-1].split(":")[0] for w in model.weights]
    trainable_index = [i for i, n in enumerate(names) if n not in ("moving_mean", "moving_variance")]
    stat_index = [i for i, n in enumerate(names) if n in ("moving_mean", "moving_variance")]
    params = [values[i] for i in trainable_index]
    stats = [values[i] for i in stat_index]
    tx = keras_adam(1e-3)
    opt_state = tx.init(params)

    def conv(x, k, b, same):
        z = jax.lax.conv_general_dilated(
            x, k, (1, 1), "SAME" if same else "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC")
        )
        return z + b

    def bn(x, gamma, beta, mean, var):
        m = jnp.mean(x, axis=(0, 1, 2))
        v = jnp.mean(jnp.square(x - m), axis=(0, 1, 2))
        inv = jax.lax.rsqrt(v + 1e-3) * gamma
        n = x.shape[0] * x.shape[1] * x.shape[2]
        new_mean = mean - (mean - m) * 0.01
        new_var = var - (var - v * n / (n - 1)) * 0.01
        return x * inv + (beta - m * inv), new_mean, new_var

    def forward(params, stats, x):
        p = iter(params)
        s = iter(stats)
        new_stats = []

        def conv_bn(x, same):
            x = conv(x, next(p), next(p), same)
            x, m, v = bn(x, next(p), next(p), next(s), next(s))
            new_stats.extend([m, v])
            return x

        x = conv(x, next(p), next(p), True)
        for _ in range(2):  # the seed's ResnetIdentityBlock, twice
            shortcut = x
            x = jax.nn.relu(conv_bn(x, False))
            x = jax.nn.relu(conv_bn(x, True))
            x = jax.nn.relu(conv_bn(x, False) + shortcut)
        x = jnp.mean(x, axis=(1, 2))
        logits = x @ next(p) + next(p)
        return logits, new_stats

    def loss_fn(params, stats, x, y):
        logits, new_stats = forward(params, stats, x)
        logp = jax.nn.log_softmax(logits)
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1)), new_stats

    @jax.jit
    def step(params, stats, opt_state, x, y):
        (loss, new_stats), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, stats, x, y)
        updates, opt_state = tx.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), new_stats, opt_state, loss

    box = {"p": params, "s": stats, "o": opt_state}

    def run(x, y):
        box["p"], box["s"], box["o"], loss = step(box["p"], box["s"], box["o"], x, y)
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
        f"W2 ResNet-block CNN train step, batch {BATCH}, {args.rounds} interleaved rounds (median per step)",
        times,
        first_call,
        1e3,
        "ms",
    )


if __name__ == "__main__":
    main()
