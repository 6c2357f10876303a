"""Atomic, durable file writes: a reader sees the old file or the new one, never half.

One writer for every part (the lake's manifest, SSIM and table exports, the agenda's
exchange files, the claims' history): the data goes to a temporary file in the target's
folder, is synced, replaces the target by rename, and the folder is synced so the rename
survives a power loss. A failure removes the temporary file and leaves the old one whole.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["fsync_path", "write_atomic", "write_atomic_with"]


def fsync_path(path: Path) -> None:
    """Flush a file's data, or a folder's list of names, to the disk (survives a power loss).

    A rename is durable only once the folder holding the new name is synced.
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, never half."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)

    write_atomic_with(path, write)


def write_atomic_with(path: Path, writer: Callable[[Path], None]) -> None:
    """Replace ``path`` with what ``writer`` writes to the temporary path it is given (a
    library that writes to a path itself: Arrow's CSV and Parquet writers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        # mkstemp makes the file private (0600); a written document gets the mode any new
        # file of this user gets (0644 under the usual umask), or the mode of the file it replaces
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode())
        writer(tmp)
        fsync_path(tmp)
        os.replace(tmp, path)
        fsync_path(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _new_file_mode() -> int:
    """``0o666`` less this process's umask (read without changing it where Linux allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask
