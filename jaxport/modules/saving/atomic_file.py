"""Atomic file writing: a write lands whole or not at all.

The new content goes to a temporary file in the target's folder (same file system, so the
final `os.replace` is an atomic rename), is flushed and fsynced, then renamed over the target;
the folder is fsynced so the rename itself survives a crash. On any error the temporary file
is removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator


def _default_file_mode() -> int:
    """The mode a plain `open(path, 'w')` would give a new file (0o666 less the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_path(path: str, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:  # some platforms cannot open a folder; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write_path(filepath: str) -> Iterator[str]:
    """Yield a temporary path beside `filepath`; on success it replaces `filepath` atomically.

    Args:
      filepath: the file to (over)write.

    Yields:
      The temporary path to write the complete new content to (it exists, empty).

    Raises:
      FileNotFoundError: the folder of `filepath` does not exist.
    """
    target = os.path.realpath(filepath)  # a symlink keeps pointing at the (new) file, as with open(path, 'w')
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            errno.ENOENT,
            f"Unable to create file (unable to open file: name = '{filepath}', errno = 2, "
            "error message = 'No such file or directory')",
        )
    mode = os.stat(target).st_mode & 0o7777 if os.path.isfile(target) else _default_file_mode()
    fd, tmp_path = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        yield tmp_path
        os.chmod(tmp_path, mode)
        _fsync_path(tmp_path)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp_path)
        raise
    _fsync_path(folder, directory=True)
