"""Keras weight files that interchange with tf_keras 2.21: the HDF5 layout (h5py), written atomically."""

from jaxport.modules.saving.weights import load_weights, save_weights

__all__ = ["load_weights", "save_weights"]
