"""Parity cases: HDF5 weight files (`save_weights('x.h5')` / `load_weights`) — round trips,
loading by topology and by name, skip_mismatch, and the error contract of bad loads.

Each case writes its files into a fresh temporary folder; weights are set to fixed values
(initializers differ between the frameworks), so every result is comparable.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract

_X = np.linspace(-1.0, 1.0, 8, dtype=np.float32).reshape(4, 2)


def _mlp(tf: Any, units: int = 3, extra: bool = False, use_bias: bool = True, b_units: int = 1) -> Any:
    """Sequential Dense(units, name='a') -> Dense(b_units, name='b') [-> Dense(1, name='c')], fixed weights."""
    layers = [
        tf.keras.Input((2,), name="x"),
        tf.keras.layers.Dense(units, use_bias=use_bias, activation="tanh", name="a"),
        tf.keras.layers.Dense(b_units, name="b"),
    ]
    if extra:
        layers.append(tf.keras.layers.Dense(1, name="c"))
    model = tf.keras.Sequential(layers, name="mlp")
    weights = model.get_weights()
    model.set_weights([np.full(w.shape, -0.25 + 0.1 * i, np.float32) for i, w in enumerate(weights)])
    return model


def _numbered(model: Any) -> None:
    """Give every weight distinct values (0.01, 0.02, ... in `weights` order)."""
    start = 1
    values = []
    for w in model.get_weights():
        values.append((np.arange(start, start + w.size, dtype=np.float32) / 100).reshape(w.shape))
        start += w.size
    model.set_weights(values)


def _unchanged(model: Any) -> Any:
    before = [w.copy() for w in model.get_weights()]
    return lambda: np.asarray([np.array_equal(a, b) for a, b in zip(model.get_weights(), before)])


def case_weights_h5_roundtrip(tf: Any) -> dict[str, Any]:
    """Save / load round trips: Sequential -> Functional by topology, by_name into another layer
    order, skip_mismatch, a whole BatchNormalization's statistics, and `.hdf5`/overwrite."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "mlp.h5")
        source = _mlp(tf)
        _numbered(source)
        source.save_weights(path)
        out["source_predictions"] = source(_X)

        inputs = tf.keras.Input((2,))
        hidden = tf.keras.layers.Dense(3, activation="tanh", name="first")(inputs)
        functional = tf.keras.Model(inputs, tf.keras.layers.Dense(1, name="second")(hidden))
        functional.load_weights(path)  # by topology: the names do not matter
        out["topology_predictions"] = functional(_X)

        extra = _mlp(tf, extra=True)
        extra.load_weights(path, by_name=True)  # 'c' is not in the file: kept
        out["by_name_weights"] = extra.get_weights()

        wider = _mlp(tf, units=4)
        wider.load_weights(path, by_name=True, skip_mismatch=True)  # a and b mismatch: both kept
        out["skip_mismatch_weights"] = wider.get_weights()
        no_bias = _mlp(tf, use_bias=False)
        no_bias.load_weights(path, by_name=True, skip_mismatch=True)  # a's count differs; b loads
        out["skip_count_weights"] = no_bias.get_weights()

        norm = tf.keras.Sequential(
            [tf.keras.Input((3,)), tf.keras.layers.BatchNormalization(name="bn"), tf.keras.layers.Dropout(0.5)]
        )
        _numbered(norm)
        norm_path = os.path.join(folder, "norm.hdf5")
        norm.save_weights(norm_path)
        norm.save_weights(norm_path, overwrite=True)
        restored = tf.keras.Sequential(
            [tf.keras.Input((3,)), tf.keras.layers.BatchNormalization(name="bn"), tf.keras.layers.Dropout(0.5)]
        )
        restored.load_weights(norm_path)
        out["norm_weights"] = restored.get_weights()
        out["norm_predictions"] = restored(np.ones((2, 3), np.float32))
        out["files"] = sorted(os.listdir(folder))  # no temporary file is left behind
    return out


def case_weights_h5_errors(tf: Any) -> dict[str, Any]:
    """The error contract of bad saves and loads; nothing changes in the model on any error."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "mlp.h5")
        saved = _mlp(tf)
        _numbered(saved)
        saved.save_weights(path)

        extra = _mlp(tf, extra=True)
        add_error_contract(
            out,
            tf,
            "layer_count",
            lambda: extra.load_weights(path),
            phrases=("Layer count mismatch", "Model expected 3 layers", "found 2 saved layers"),
            state=_unchanged(extra),
        )
        wider = _mlp(tf, units=4)
        add_error_contract(
            out,
            tf,
            "topology_shape",
            lambda: wider.load_weights(path),
            phrases=("Shape mismatch", "a/kernel:0", "(2, 4)", "(2, 3)"),
            state=_unchanged(wider),
        )
        add_error_contract(
            out,
            tf,
            "by_name_shape",
            lambda: wider.load_weights(path, by_name=True),
            phrases=("Shape mismatch in layer #0", "named a", "a/kernel:0", "expects shape (2, 4)", "shape (2, 3)"),
            state=_unchanged(wider),
        )
        # 'a' matches and is read first, then 'b' fails. By name, TF changes nothing; by
        # topology TF has assigned 'a' already (jaxport assigns nothing: tests/test_saving.py)
        later = _mlp(tf, b_units=2)
        phrases = ("Shape mismatch", "b/kernel:0", "(3, 2)", "(3, 1)")
        add_error_contract(
            out,
            tf,
            "by_name_later_layer",
            lambda: later.load_weights(path, by_name=True),
            phrases=phrases,
            state=_unchanged(later),
        )
        add_error_contract(out, tf, "topology_later_layer", lambda: later.load_weights(path), phrases=phrases)
        no_bias = _mlp(tf, use_bias=False)
        add_error_contract(
            out,
            tf,
            "topology_weight_count",
            lambda: no_bias.load_weights(path),
            phrases=("Weight count mismatch for layer #0", "named a", "expects 1 weight(s)", "Received 2 saved"),
            state=_unchanged(no_bias),
        )
        add_error_contract(
            out,
            tf,
            "by_name_weight_count",
            lambda: no_bias.load_weights(path, by_name=True),
            phrases=("Weight count mismatch for layer #0", "named a", "expects 1 weight(s)", "Received 2 saved"),
            state=_unchanged(no_bias),
        )
        plain = _mlp(tf)
        add_error_contract(
            out,
            tf,
            "skip_without_by_name",
            lambda: plain.load_weights(path, skip_mismatch=True),
            phrases=("skip_mismatch can only be set to True when by_name is True",),
            state=_unchanged(plain),
        )
        add_error_contract(
            out,
            tf,
            "missing_file",
            lambda: plain.load_weights(os.path.join(folder, "missing.h5")),
            phrases=("No such file or directory", "missing.h5"),
            state=_unchanged(plain),
        )
        junk = os.path.join(folder, "junk.h5")
        with open(junk, "w") as f:
            f.write("not an HDF5 file")
        add_error_contract(
            out,
            tf,
            "not_hdf5",
            lambda: plain.load_weights(junk),
            phrases=("file signature not found",),
            state=_unchanged(plain),
        )
        add_error_contract(
            out,
            tf,
            "missing_folder",
            lambda: plain.save_weights(os.path.join(folder, "nowhere", "w.h5")),
            phrases=("No such file or directory", "nowhere/w.h5"),
        )
        add_error_contract(
            out,
            tf,
            "unknown_save_format",
            lambda: plain.save_weights(os.path.join(folder, "w.h5"), save_format="xml"),
            phrases=("Unknown format", "`save_format`=xml", '{"tf", "h5"}'),
        )
        add_error_contract(
            out,
            tf,
            "tf_format_h5_path",
            lambda: plain.save_weights(os.path.join(folder, "w.h5"), save_format="tf"),
            phrases=('save_weights got save_format="tf"', "looks like an HDF5 file", 'Omit the ".h5"'),
        )
        import h5py

        corrupt = os.path.join(folder, "corrupt.h5")
        with open(path, "rb") as src, open(corrupt, "wb") as dst:
            dst.write(src.read())
        with h5py.File(corrupt, "r+") as f:
            del f["b/b/kernel:0"]  # listed in weight_names, but gone
        add_error_contract(
            out,
            tf,
            "missing_dataset",
            lambda: plain.load_weights(corrupt),
            phrases=("Unable to", "doesn't exist"),
            state=_unchanged(plain),
        )
        add_error_contract(
            out,
            tf,
            "missing_dataset_by_name",
            lambda: plain.load_weights(corrupt, by_name=True),
            phrases=("Unable to", "doesn't exist"),
            state=_unchanged(plain),
        )
        os.remove(corrupt)
        unbuilt = tf.keras.Sequential([tf.keras.layers.Dense(2)], name="unbuilt")
        add_error_contract(
            out,
            tf,
            "save_unbuilt",
            lambda: unbuilt.save_weights(os.path.join(folder, "u.h5")),
            phrases=("Weights for model 'unbuilt' have not yet been created", "`build()`"),
        )
        add_error_contract(
            out,
            tf,
            "load_unbuilt",
            lambda: unbuilt.load_weights(path),
            phrases=("has not created its variables yet", "Call the Model first"),
        )
        out["files"] = sorted(os.listdir(folder))  # failed saves leave nothing behind
    return out


def _layout(path: str) -> list[str]:
    """The file as lines: each group / dataset with its attributes and HDF5 types, each value."""
    from parity_tests.fixtures.hdf5_layout import describe

    entries, values = describe(path)
    lines = [repr(entry) for entry in entries]
    lines += [f"{key} = {np.asarray(value).tolist()!r}" for key, value in sorted(values.items())]
    return lines


def case_weights_h5_layouts(tf: Any) -> dict[str, Any]:
    """The exact file layout of more structures: a nested Functional model, a shared layer, a
    frozen layer and a frozen model (weight order), TimeDistributed, a subclassed model with
    layers in a list and a model-level non-trainable weight."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        inner_in = tf.keras.Input((3,), name="inner_in")
        inner = tf.keras.Model(inner_in, tf.keras.layers.Dense(2, name="inner_dense")(inner_in), name="inner")
        x = tf.keras.Input((3,), name="outer_in")
        shared = tf.keras.layers.Dense(3, name="shared")
        frozen = tf.keras.layers.BatchNormalization(name="frozen_bn")
        frozen.trainable = False
        y = inner(frozen(shared(shared(x))))
        nested = tf.keras.Model(x, tf.keras.layers.Dense(1, name="top")(y), name="nested")

        seq = tf.keras.Sequential(
            [
                tf.keras.Input((2, 3), name="steps"),
                tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(2, name="td_dense"), name="td"),
                tf.keras.layers.Flatten(name="flat"),
                tf.keras.layers.Dense(1, name="head"),
            ],
            name="timed",
        )
        seq.trainable = False

        class Stack(tf.keras.Model):
            def __init__(self) -> None:
                super().__init__(name="stack")
                self.blocks = [tf.keras.layers.Dense(2, name=f"block_{i}") for i in range(2)]
                self.count = self.add_weight(name="count", shape=(), initializer="zeros", trainable=False)
                self.gain = self.add_weight(name="gain", shape=(2,), initializer="ones")

            def call(self, inputs: Any) -> Any:
                for block in self.blocks:
                    inputs = block(inputs)
                return inputs * self.gain + self.count

        stack = Stack()
        stack(np.ones((1, 2), np.float32))
        for name, model in (("nested", nested), ("timed", seq), ("stack", stack)):
            _numbered(model)
            path = os.path.join(folder, f"{name}.h5")
            model.save_weights(path)
            out[f"{name}/layout"] = _layout(path)
            out[f"{name}/weight_names"] = [w.name for w in model.weights]
    return out


REFERENCES: dict[str, Reference] = {
    "weights_h5_roundtrip": Reference("weights_h5_roundtrip"),
    "weights_h5_errors": Reference("weights_h5_errors"),
    "weights_h5_layouts": Reference("weights_h5_layouts"),
}
