"""Memory over 10,000 eager GradientTape training steps of the seed MLP (batch 64).

Prints the process's resident set size every 1,000 steps: it stays flat because a
non-persistent tape drops its recorded ops (and their residuals) as soon as `gradient`
returns, as TF's does. Usage: python benchmarks/eager_memory.py [--steps 10000]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    args = parser.parse_args()
    import jaxport as tf

    rs = np.random.RandomState(0)
    x = rs.randn(4096, 30).astype("float32")
    y = (x.sum(1) > 0).astype("float32")
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dropout(rate=0.2, input_shape=(30,)),
            tf.keras.layers.Dense(units=64, activation="relu"),
            tf.keras.layers.Dropout(rate=0.2),
            tf.keras.layers.Dense(units=1, activation="sigmoid"),
        ]
    )
    loss_func = tf.keras.losses.BinaryCrossentropy()
    optimizer = tf.keras.optimizers.Adam()
    batches = [(tf.constant(x[i : i + 64]), tf.constant(y[i : i + 64])) for i in range(0, 4096, 64)]

    def train_loop(features, labels):
        with tf.GradientTape() as tape:
            predictions = model(features, training=True)
            loss = loss_func(labels, predictions)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    start = time.time()
    readings = []
    for step in range(1, args.steps + 1):
        loss = train_loop(*batches[step % len(batches)])
        if step % 1000 == 0:
            gc.collect()
            readings.append(rss_mib())
            print(f"step {step:6d}  loss {float(loss):.4f}  rss {readings[-1]:8.1f} MiB  {time.time() - start:6.1f} s")
    if len(readings) > 2:
        print(f"RSS growth from step 2000 to {args.steps}: {readings[-1] - readings[1]:+.1f} MiB")


if __name__ == "__main__":
    main()
