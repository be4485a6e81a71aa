"""Seed feature 2, GradientTape: the seed's custom training loop, verbatim, on breast cancer.

The snippet builds the seed MLP, a BinaryCrossentropy loss and Adam, and trains 10 epochs
with `tf.GradientTape` over `dataset` (batches of 64), printing each batch's loss.
"""

import time

import _demo_common as common

import jaxport as tf

X, y, X_valid, y_valid = common.breast_cancer()
tf.random.set_seed(0)
dataset = tf.data.Dataset.from_tensor_slices((X, y)).batch(64)
namespace = common.run_snippet("gradient_tape", {"tf": tf, "X": X, "dataset": dataset, "time": time})
model = namespace["model"]
accuracy = ((model(X_valid).numpy()[:, 0] > 0.5) == (y_valid > 0.5)).mean()
print(f"validation accuracy {accuracy:.4f}")
