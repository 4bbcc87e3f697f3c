"""Telling a full disk from other storage failures, and saying so in one line.

SQLite reports a write that found no room as ``SQLITE_FULL``; but opening an archive on a full
disk fails earlier, creating or growing the ``-wal`` and ``-shm`` files, as an I/O error
(``SQLITE_IOERR_*``). Both are a full disk when the archive's file system has (almost) no room
left. Either way the failed write was rolled back: nothing stored before it is lost, and the
same command succeeds once space is freed — which is what the message says.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from monitor.errors import ArchiveFullError

NEARLY_FULL = 1024 * 1024  # bytes free: an I/O error with less room than this is a full disk


def free_bytes(path: Path) -> int | None:
    """Bytes free on the file system holding ``path`` (None when it cannot be asked)."""
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:
        return None


def is_disk_full(error: BaseException, path: Path) -> bool:
    """Whether ``error``, met writing the archive at ``path``, means its disk is full."""
    if isinstance(error, OSError):
        return error.errno == errno.ENOSPC
    if not isinstance(error, sqlite3.Error):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL:
        return True
    free = free_bytes(path)
    return code is not None and code & 0xFF == sqlite3.SQLITE_IOERR and (free or 0) < NEARLY_FULL


def full_error(what: str, path: Path) -> ArchiveFullError:
    """``cannot WHAT: the disk holding archive PATH is full (N KiB free): …``"""
    free = free_bytes(path)
    room = "unknown space" if free is None else f"{free // 1024:,} KiB"
    return ArchiveFullError(
        f"cannot {what}: the disk holding archive {path} is full ({room} free):"
        " free some space and run again — nothing already stored is lost",
        path=str(path),
    )
