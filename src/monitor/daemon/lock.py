"""One daemon per archive: an exclusive lock on ``<archive>.daemon.lock`` holding who has it.

The kernel releases the lock when the process dies, however it dies, so a crashed daemon never
blocks the next one; the file's content (pid, start time) is only for messages and status.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from monitor.archive.timestamps import now_iso
from monitor.errors import MonitorError


class DaemonRunningError(MonitorError):
    """Another daemon holds this archive."""


def lock_path(database: str | Path) -> Path:
    path = Path(database)
    return path.with_name(path.name + ".daemon.lock")


@dataclass
class DaemonLock:
    path: Path
    handle: IO[str] | None = None

    @classmethod
    def acquire(cls, database: str | Path) -> DaemonLock:
        """Take the lock, or raise DaemonRunningError naming the daemon that has it."""
        path = lock_path(database)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            holder = read_holder(database) or {}
            raise DaemonRunningError(
                f"another monitor daemon (pid {holder.get('pid', '?')}, since "
                f"{holder.get('started_at', '?')}) is running on {database}"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "started_at": now_iso()}))
        handle.flush()
        return cls(path, handle)

    def release(self) -> None:
        if self.handle is not None:
            self.handle.seek(0)
            self.handle.truncate()
            self.handle.close()
            self.handle = None


def read_holder(database: str | Path) -> dict[str, Any] | None:
    """Who holds the lock — only if someone does (a stale file says nothing)."""
    path = lock_path(database)
    if not path.exists() or not is_held(database):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def is_held(database: str | Path) -> bool:
    path = lock_path(database)
    if not path.exists():
        return False
    with path.open("r", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
