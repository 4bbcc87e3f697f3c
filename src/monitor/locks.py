"""Advisory file locks beside the archive, released by the kernel when their process ends."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def companion(database: str | Path, purpose: str) -> Path:
    """``db/monitor.db`` → ``db/monitor.db.<purpose>.lock``."""
    path = Path(database)
    return path.with_name(f"{path.name}.{purpose}.lock")


@contextmanager
def exclusive(path: Path, *, wait: bool) -> Iterator[bool]:
    """Hold an exclusive lock on ``path`` for the block; yields False (without blocking) when
    ``wait`` is False and another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
