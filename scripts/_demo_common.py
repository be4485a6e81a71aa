"""Shared helpers of the demos: bundled real data and running a seed snippet verbatim.

The data sets ship inside scikit-learn (no download): the Wisconsin breast-cancer table
(569 x 30, binary) for the seed MLP, and the 8x8 handwritten digits (1797 images, 10
classes) for the convolutional ResnetIdentityBlock demo.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
SNIPPETS = ROOT / "parity_tests" / "seed_snippets"
sys.path.insert(0, str(ROOT))


def breast_cancer(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Standardised breast-cancer features, float32: (X_train, y_train, X_valid, y_valid)."""
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    x = data.data.astype("float32")
    y = data.target.astype("float32")
    order = np.random.RandomState(seed).permutation(len(x))
    x, y = x[order], y[order]
    split = int(0.8 * len(x))
    mean, std = x[:split].mean(0), x[:split].std(0) + 1e-6
    x = (x - mean) / std
    return x[:split], y[:split], x[split:], y[split:]


def digits(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """8x8 digit images as (N, 8, 8, 1) float32 in [0, 1] and integer labels, train/valid."""
    from sklearn.datasets import load_digits

    data = load_digits()
    x = (data.images / 16.0).astype("float32")[..., None]
    y = data.target.astype("int32")
    order = np.random.RandomState(seed).permutation(len(x))
    x, y = x[order], y[order]
    split = int(0.8 * len(x))
    return x[:split], y[:split], x[split:], y[split:]


def run_snippet(name: str, namespace: dict) -> dict:
    """Execute `parity_tests/seed_snippets/<name>.py` (the seed's code, verbatim) in `namespace`."""
    path = SNIPPETS / f"{name}.py"
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace
