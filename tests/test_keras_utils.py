"""jaxport's `tf.keras.utils.get_file` on a machine without network: local paths and `file://`
URLs are cached (and extracted) as Keras 2 caches downloads; other URLs raise before any
network access."""

from __future__ import annotations

import hashlib
import os
import tarfile
import zipfile

import numpy as np
import pytest

import jaxport as tf


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "src" / "data.csv"
    path.parent.mkdir()
    path.write_text("a,b\n1,2\n")
    return path


def test_local_path_is_copied_into_the_cache(source, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    got = tf.keras.utils.get_file(origin=str(source), cache_dir=str(cache))
    assert got == os.path.join(str(cache), "datasets", "data.csv")
    assert open(got).read() == "a,b\n1,2\n"


def test_file_url_with_fname_and_subdir(source, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    got = tf.keras.utils.get_file("renamed.csv", origin=source.as_uri(), cache_dir=str(cache), cache_subdir="mine")
    assert got == os.path.join(str(cache), "mine", "renamed.csv")
    assert open(got).read() == "a,b\n1,2\n"


def test_cached_copy_is_reused_and_refreshed_on_a_hash_mismatch(source, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    got = tf.keras.utils.get_file(origin=str(source), cache_dir=str(cache))
    source.write_text("changed\n")
    assert open(tf.keras.utils.get_file(origin=str(source), cache_dir=str(cache))).read() == "a,b\n1,2\n"
    digest = hashlib.sha256(b"changed\n").hexdigest()
    tf.keras.utils.get_file(origin=str(source), cache_dir=str(cache), file_hash=digest)
    assert open(got).read() == "changed\n"
    assert tf.keras.utils.validate_file(got, digest)


def test_wrong_hash_raises_and_leaves_no_copy(source, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(ValueError, match="file hash does not match the provided value of 0123"):
        tf.keras.utils.get_file(origin=str(source), cache_dir=str(cache), md5_hash="0123")
    assert not os.path.exists(os.path.join(str(cache), "datasets", "data.csv"))


@pytest.mark.parametrize("url", ["https://storage.googleapis.com/x/mnist.npz", "http://example.com/a.txt", "ftp://h/f"])
def test_network_url_raises_no_network(url, tmp_path):
    with pytest.raises(ValueError, match="no network access") as info:
        tf.keras.utils.get_file(origin=url, cache_dir=str(tmp_path))
    assert url in str(info.value)
    assert not os.listdir(tmp_path)  # nothing created before refusing


def test_missing_origin_and_missing_file(tmp_path):
    with pytest.raises(ValueError, match='specify the "origin" argument'):
        tf.keras.utils.get_file("x")
    with pytest.raises(FileNotFoundError, match="not an existing local file"):
        tf.keras.utils.get_file(origin=str(tmp_path / "nope.txt"), cache_dir=str(tmp_path))


def test_untar_and_extract(tmp_path):
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "f.txt").write_text("hi")
    tar_path = tmp_path / "pack.tar.gz"
    with tarfile.open(tar_path, "w:gz") as archive:
        archive.add(inner, arcname="pack")
    cache = tmp_path / "cache"
    cache.mkdir()
    folder = tf.keras.utils.get_file(origin=str(tar_path), untar=True, cache_dir=str(cache))
    assert folder == os.path.join(str(cache), "datasets", "pack")
    assert open(os.path.join(folder, "f.txt")).read() == "hi"
    zip_path = tmp_path / "z.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr("z/g.txt", "zz")
    got = tf.keras.utils.get_file(origin=zip_path.as_uri(), extract=True, cache_dir=str(cache))
    assert got.endswith("z.zip") and open(os.path.join(str(cache), "datasets", "z", "g.txt")).read() == "zz"


def test_timeseries_shuffle_keeps_the_windows():
    data = np.arange(12.0)
    plain = tf.keras.utils.timeseries_dataset_from_array(data, np.arange(12), 3, batch_size=None)
    mixed = tf.keras.utils.timeseries_dataset_from_array(data, np.arange(12), 3, batch_size=None, shuffle=True, seed=1)
    key = lambda ds: sorted((tuple(x.numpy()), int(y.numpy())) for x, y in ds)  # noqa: E731
    assert key(plain) == key(mixed)
    assert [int(y.numpy()) for _, y in mixed] != [int(y.numpy()) for _, y in plain]


def test_floatx_setting_restored_after_a_bad_value():
    with pytest.raises(ValueError, match="Unknown `floatx` value"):
        tf.keras.backend.set_floatx("bfloat8")
    assert tf.keras.backend.floatx() == "float32"
