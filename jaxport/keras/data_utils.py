"""`tf.keras.utils.get_file` for a machine without network: local paths and `file://` URLs are
copied into Keras's cache (`~/.keras/<cache_subdir>`) and optionally extracted; any other URL
raises instead of downloading."""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import zipfile
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = ["get_file", "validate_file"]


def _hash_file(path: str, algorithm: str) -> str:
    digest = hashlib.sha256() if algorithm == "sha256" else hashlib.md5()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(65535), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _algorithm(file_hash: str, algorithm: str) -> str:
    if algorithm == "auto":
        return "sha256" if len(file_hash) == 64 else "md5"
    return algorithm


def validate_file(fpath: str, file_hash: str, algorithm: str = "auto") -> bool:
    """Whether the file's sha256/md5 ('auto': sha256 for a 64-character hash) is `file_hash`."""
    return _hash_file(fpath, _algorithm(file_hash, algorithm)) == str(file_hash)


def _local_source(origin: str) -> str:
    """The local path an origin names.

    Raises:
      ValueError: a network URL (http, https, ftp, ...): this machine has no network.
    """
    parts = urlsplit(origin)
    if parts.scheme == "file":
        return unquote(parts.path)
    if parts.scheme and len(parts.scheme) > 1:  # 'C:' style drive letters are paths
        raise ValueError(
            f"Cannot download {origin!r}: jaxport's `get_file` has no network access on this machine; "
            "it accepts only local file paths and `file://` URLs. Download the file elsewhere and pass "
            "its local path as `origin`."
        )
    return origin


def _extract_archive(path: str, into: str, archive_format: Any = "auto") -> bool:
    """Extract a tar or zip archive into `into` ('auto' tries both); whether it was one."""
    if archive_format is None:
        return False
    formats = (
        ["tar", "zip"]
        if archive_format == "auto"
        else [archive_format]
        if isinstance(archive_format, str)
        else list(archive_format)
    )
    for kind in formats:
        if kind == "tar" and tarfile.is_tarfile(path):
            with tarfile.open(path) as archive:
                archive.extractall(into, filter="data")
            return True
        if kind == "zip" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                archive.extractall(into)
            return True
    return False


def get_file(
    fname: str | None = None,
    origin: str | None = None,
    untar: bool = False,
    md5_hash: str | None = None,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: Any = "auto",
    cache_dir: str | None = None,
) -> str:
    """Copy `origin` (a local path or `file://` URL) into `<cache_dir>/<cache_subdir>/<fname>`
    unless a copy is there (with the right hash), and return the copy's path, as Keras 2's
    `get_file` does after a download.

    Args:
      fname: the cached file's name (the origin's base name when None).
      origin: a local file path or `file://` URL.
      untar: the origin is a .tar.gz: extract it and return the extracted folder's path.
      md5_hash, file_hash, hash_algorithm: the expected hash ('auto': sha256 for 64 digits).
      cache_subdir: the folder under `cache_dir` (an absolute path is used as is).
      extract: extract a tar/zip archive next to the cached file.
      archive_format: 'auto', 'tar', 'zip', a list of them, or None.
      cache_dir: the cache's root (`~/.keras`; `/tmp/.keras` if that is not writable).

    Returns:
      The path of the cached file (or of the extracted folder with `untar`).

    Raises:
      ValueError: no `origin`, no file name to take from it, a network URL (no network here),
        or a hash that does not match.
      FileNotFoundError: the local origin does not exist.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    source = _local_source(str(origin))
    if cache_dir is None:
        cache_dir = os.path.join(os.path.expanduser("~"), ".keras")
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    root = os.path.expanduser(cache_dir)
    if not os.access(root, os.W_OK):
        root = os.path.join("/tmp", ".keras")
    datadir = os.path.join(root, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    fname = os.fspath(fname) if fname else os.path.basename(urlsplit(str(origin)).path)
    if not fname:
        raise ValueError(
            f"Can't parse the file name from the origin provided: '{origin}'."
            "Please specify the `fname` as the input param."
        )
    if untar:
        if fname.endswith(".tar.gz"):
            fname = fname[: -len(".tar.gz")]
        untar_path = os.path.join(datadir, fname)
        fpath = untar_path + ".tar.gz"
    else:
        fpath = os.path.join(datadir, fname)
    fresh = not os.path.exists(fpath) or (file_hash is not None and not validate_file(fpath, file_hash, hash_algorithm))
    if fresh:
        if not os.path.isfile(source):
            raise FileNotFoundError(f"`origin` {origin!r} is not an existing local file.")
        if os.path.abspath(source) != os.path.abspath(fpath):
            shutil.copyfile(source, fpath)
        if file_hash is not None and not validate_file(fpath, file_hash, hash_algorithm):
            os.remove(fpath)
            raise ValueError(
                f"Incomplete or corrupted file detected. The {_algorithm(file_hash, hash_algorithm)} file hash "
                f"does not match the provided value of {file_hash}."
            )
    if untar:
        if not os.path.exists(untar_path):
            _extract_archive(fpath, datadir, archive_format="tar")
        return untar_path
    if extract:
        _extract_archive(fpath, datadir, archive_format)
    return fpath
