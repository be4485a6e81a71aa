"""Keras on Flax NNX: layers, models, losses, metrics, optimizers, callbacks, training loop."""
