"""Advisory file locks beside the archive, released by the kernel when their process ends.

One implementation (``flock`` on ``<archive>.<purpose>.lock``) for every lock the monitor takes:

    crawl    one crawl per archive (``python -m scrapers.run``; exits ``EXIT_LOCKED`` if held)
    deliver  one delivery at a time (a daemon and a command never send the same alert twice)
    daemon   one daemon per archive; the file holds who has it (pid, start time), which is
             only for messages and status

``held_alone`` takes all three for a command that replaces the archive (``monitor restore``).

However a process dies, the kernel releases its locks, so a crash never blocks the next one.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from monitor.clock import SYSTEM_CLOCK, Clock, now_iso
from monitor.errors import CrawlLockedError, DaemonRunningError, LockedError

EXIT_LOCKED = 3  # the exit code of a process that found its lock held by another


def companion(database: str | Path, purpose: str) -> Path:
    """``db/monitor.db`` → ``db/monitor.db.<purpose>.lock``."""
    path = Path(database)
    return path.with_name(f"{path.name}.{purpose}.lock")


def try_lock(path: Path) -> IO[str] | None:
    """Open ``path`` and take an exclusive lock without waiting: the open handle (closing it
    releases the lock), or None when another holder has it."""
    handle = _open(path)
    if _take(handle, wait=False):
        return handle
    handle.close()
    return None


@contextmanager
def exclusive(path: Path, *, wait: bool) -> Iterator[bool]:
    """Hold an exclusive lock on ``path`` for the block; yields False (without blocking) when
    ``wait`` is False and another process holds it."""
    with _open(path) as handle:
        if not _take(handle, wait=wait):
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _open(path: Path) -> IO[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("a+", encoding="utf-8")


def _take(handle: IO[str], *, wait: bool) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def is_held(path: Path) -> bool:
    """Whether some process holds the lock on ``path`` (a leftover file says nothing)."""
    if not path.exists():
        return False
    with path.open("r", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


# --- the daemon's lock, which says who holds it ---------------------------------------------


def daemon_lock_path(database: str | Path) -> Path:
    return companion(database, "daemon")


@dataclass
class DaemonLock:
    path: Path
    handle: IO[str] | None = None

    @classmethod
    def acquire(cls, database: str | Path, *, clock: Clock = SYSTEM_CLOCK) -> DaemonLock:
        """Take the lock, or raise DaemonRunningError naming the daemon that has it."""
        path = daemon_lock_path(database)
        handle = try_lock(path)
        if handle is None:
            holder = read_holder(database) or {}
            raise DaemonRunningError(
                f"another monitor daemon (pid {holder.get('pid', '?')}, since "
                f"{holder.get('started_at', '?')}) is running on {database}"
            )
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "started_at": now_iso(clock)}))
        handle.flush()
        return cls(path, handle)

    def release(self) -> None:
        if self.handle is not None:
            self.handle.seek(0)
            self.handle.truncate()
            self.handle.close()
            self.handle = None


@contextmanager
def held_alone(database: str | Path, doing: str) -> Iterator[None]:
    """Hold the daemon's, the crawl's and the delivery's locks for the block: no daemon, crawl
    or delivery starts on the archive meanwhile. A ``LockedError`` (``DaemonRunningError``:
    a daemon) naming who holds one, when one is held."""
    handles: list[IO[str]] = []
    try:
        for purpose in ("daemon", "crawl", "deliver"):
            handle = try_lock(companion(database, purpose))
            if handle is None:
                raise _held_by(database, purpose, doing)
            handles.append(handle)
        yield
    finally:
        for handle in handles:
            handle.close()


def _held_by(database: str | Path, purpose: str, doing: str) -> LockedError:
    if purpose == "daemon":
        holder = read_holder(database) or {}
        return DaemonRunningError(
            f"cannot {doing}: the monitor daemon (pid {holder.get('pid', '?')}) is running on"
            f" {database}: stop it first (systemctl stop congan-monitor)"
        )
    if purpose == "crawl":
        return CrawlLockedError(f"cannot {doing}: a crawl is running on {database}")
    return LockedError(f"cannot {doing}: alerts are being delivered from {database}")


def read_holder(database: str | Path) -> dict[str, Any] | None:
    """Who holds the daemon lock — only if someone does (a stale file says nothing)."""
    path = daemon_lock_path(database)
    if not is_held(path):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
