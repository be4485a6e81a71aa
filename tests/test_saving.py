"""jaxport's own behaviour of HDF5 weight files: atomic writes, all-or-nothing loads, attribute
chunking, the formats it refuses, and tf_keras's smaller paths (overwrite prompt, whole-model
files, suffix-less HDF5 files). Agreement with TF is in parity_tests/test_weights_interchange.py
and parity_tests/test_parity_weights_files.py."""

from __future__ import annotations

import logging
import os
import zipfile

import h5py
import numpy as np
import pytest

import jaxport as tf
from jaxport.modules.saving import hdf5_format


def _mlp(b_units: int = 1) -> tf.keras.Sequential:
    model = tf.keras.Sequential(
        [tf.keras.Input((2,)), tf.keras.layers.Dense(3, name="a"), tf.keras.layers.Dense(b_units, name="b")]
    )
    model.set_weights([np.full(w.shape, i + 1.0, np.float32) for i, w in enumerate(model.get_weights())])
    return model


@pytest.fixture
def saved(tmp_path):
    path = str(tmp_path / "w.h5")
    model = _mlp()
    model.save_weights(path)
    return path, model


def test_failed_save_keeps_the_old_file_and_leaves_no_temporary(saved, monkeypatch):
    path, model = saved
    before = open(path, "rb").read()

    def half_write(f, model):
        f.attrs["layer_names"] = [b"a"]
        raise RuntimeError("disk full")

    monkeypatch.setattr(hdf5_format, "save_weights_to_hdf5_group", half_write)
    with pytest.raises(RuntimeError, match="disk full"):
        model.save_weights(path)
    assert open(path, "rb").read() == before
    assert os.listdir(os.path.dirname(path)) == ["w.h5"]


def test_file_modes(tmp_path):
    model = _mlp()
    new = tmp_path / "new.h5"
    model.save_weights(str(new))
    umask = os.umask(0)
    os.umask(umask)
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask
    os.chmod(new, 0o640)
    model.save_weights(str(new))  # an existing file keeps its mode
    assert new.stat().st_mode & 0o777 == 0o640


def test_save_through_a_symlink_replaces_its_target(saved, tmp_path):
    path, model = saved
    link = tmp_path / "link.h5"
    os.symlink(path, link)
    model.layers[0].kernel.assign(np.zeros((2, 3), np.float32))
    model.save_weights(str(link))
    assert link.is_symlink()
    with h5py.File(path, "r") as f:
        assert not np.asarray(f["a/a/kernel:0"]).any()


def test_topological_load_changes_nothing_when_a_later_layer_fails(saved):
    # Stricter than TF, which has assigned layer 'a' by the time 'b' fails.
    path, _ = saved
    model = _mlp(b_units=2)
    model.set_weights([np.zeros(w.shape, np.float32) for w in model.get_weights()])
    with pytest.raises(ValueError, match=r"Cannot assign value to variable ' b/kernel:0': Shape mismatch"):
        model.load_weights(path)
    assert all(not w.any() for w in model.get_weights())


def test_skip_mismatch_warns_on_the_jaxport_logger(saved, caplog):
    path, source = saved
    model = _mlp(b_units=2)
    with caplog.at_level(logging.WARNING, logger="jaxport"):
        model.load_weights(path, by_name=True, skip_mismatch=True)
    assert "Skipping loading weights for layer #1 (named b) due to mismatch in shape" in caplog.text
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), source.layers[0].kernel.numpy())


def test_long_attribute_lists_are_chunked(tmp_path):
    names = [f"layer_with_a_rather_long_name_{i:05d}".encode() for i in range(3000)]  # > 64512 bytes
    with h5py.File(tmp_path / "a.h5", "w") as f:
        hdf5_format.save_attributes_to_hdf5_group(f, "layer_names", names)
        assert "layer_names" not in f.attrs and "layer_names0" in f.attrs and "layer_names1" in f.attrs
        assert hdf5_format.load_attributes_from_hdf5_group(f, "layer_names") == [n.decode() for n in names]
        with pytest.raises(RuntimeError, match="larger than 64512 bytes"):
            hdf5_format.save_attributes_to_hdf5_group(f, "huge", [b"x" * 70000])


def test_values_are_cast_to_the_variables_dtype(saved):
    path, source = saved
    with h5py.File(path, "r+") as f:
        kernel = np.asarray(f["a/a/kernel:0"])
        del f["a/a/kernel:0"]
        f["a/a/kernel:0"] = kernel.astype(np.float64) + 0.5
    model = _mlp()
    model.load_weights(path)
    assert model.layers[0].kernel.dtype == tf.float32
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), kernel + 0.5)


def test_whole_model_file_and_suffixless_hdf5(saved, tmp_path):
    path, source = saved
    whole = tmp_path / "model.h5"
    with h5py.File(path, "r") as src, h5py.File(whole, "w") as dst:
        src.copy(src["/"], dst, name="model_weights")
        for key, value in src.attrs.items():
            dst["model_weights"].attrs[key] = value
    model = _mlp()
    model.set_weights([np.zeros(w.shape, np.float32) for w in model.get_weights()])
    model.load_weights(str(whole))  # tf_keras reads a whole-model file's `model_weights`
    for got, want in zip(model.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(got, want)
    bare = tmp_path / "weights"
    os.rename(path, bare)
    other = _mlp(b_units=1)
    other.set_weights([np.zeros(w.shape, np.float32) for w in other.get_weights()])
    other.load_weights(str(bare))  # not a checkpoint: read as HDF5, as tf_keras does
    np.testing.assert_array_equal(other.layers[1].kernel.numpy(), source.layers[1].kernel.numpy())
    explicit = tmp_path / "explicit_weights"
    source.save_weights(str(explicit), save_format="h5")  # HDF5 at a suffix-less path, as tf_keras
    assert h5py.is_hdf5(explicit)


def test_unsupported_formats_are_refused(saved, tmp_path):
    path, model = saved
    with pytest.raises(NotImplementedError, match=r"HDF5 format only.*'\.h5'.*TensorBundle"):
        model.save_weights(str(tmp_path / "ckpt"))
    with pytest.raises(NotImplementedError, match="TensorBundle"):
        model.save_weights(str(tmp_path / "ckpt.h5x"), save_format="tf")
    with pytest.raises(NotImplementedError, match="TensorBundle"):
        model.load_weights(str(tmp_path / "ckpt"))
    with pytest.raises(NotImplementedError, match="Keras v3 weights layout"):
        model.save_weights(str(tmp_path / "m.weights.h5"))
    keras_zip = tmp_path / "m.keras"
    with zipfile.ZipFile(keras_zip, "w") as z:
        z.writestr("config.json", "{}")
    with pytest.raises(NotImplementedError, match="zipped Keras v3"):
        model.load_weights(str(keras_zip))
    assert sorted(os.listdir(tmp_path)) == ["m.keras", "w.h5"]


def test_overwrite_false_asks(saved, monkeypatch, capsys):
    path, model = saved
    before = open(path, "rb").read()
    model.layers[0].kernel.assign(np.zeros((2, 3), np.float32))
    answers = iter(["maybe", "n"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    model.save_weights(path, overwrite=False)
    assert open(path, "rb").read() == before
    monkeypatch.setattr("builtins.input", lambda prompt="": "y")
    model.save_weights(path, overwrite=False)
    assert "[TIP] Next time specify overwrite=True!" in capsys.readouterr().out
    with h5py.File(path, "r") as f:
        assert not np.asarray(f["a/a/kernel:0"]).any()


def test_unbuilt_subclassed_model_saves_its_layer_names(tmp_path):
    class Two(tf.keras.Model):
        def __init__(self):
            super().__init__(name="two")
            self.first = tf.keras.layers.Dense(2, name="first")

        def call(self, x):
            return self.first(x)

    path = tmp_path / "two.h5"
    Two().save_weights(str(path))  # tf_keras saves an unbuilt subclassed model's (empty) layers
    with h5py.File(path, "r") as f:
        assert list(f.attrs["layer_names"]) == ["first"]
        assert list(f["first"].attrs["weight_names"]) == []
