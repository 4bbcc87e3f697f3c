"""monitor.checkpoint: where a bulk job starts — afresh, from its checkpoint, or refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor import checkpoint
from monitor.archive import Archive
from monitor.checkpoint import Checkpoint
from monitor.errors import InputError

FRESH = Checkpoint("match", "all", "rules-1")
LEFT = Checkpoint("match", "all", "rules-1", after=179591, done=1200, total=5000, tallies={"a": 1})


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "a.db") as opened:
        yield opened


def start(archive: Archive, fresh: Checkpoint, *, resume: bool) -> tuple[Checkpoint, list[str]]:
    notes: list[str] = []
    begin = checkpoint.start(archive, fresh, resume=resume, changed="the rules", note=notes.append)
    return begin, notes


def test_a_resume_continues_from_the_checkpoint_left(archive: Archive) -> None:
    checkpoint.save(archive, LEFT)
    assert start(archive, FRESH, resume=True) == (
        LEFT,
        ["resuming the interrupted match --all after article 179591, 1,200 of 5,000 done"],
    )


def test_a_resume_with_nothing_to_resume_runs_the_whole_job(archive: Archive) -> None:
    assert start(archive, FRESH, resume=True) == (
        FRESH,
        ["no interrupted match --all to resume: starting from the beginning"],
    )


def test_a_resume_of_another_scope_is_refused(archive: Archive) -> None:
    checkpoint.save(archive, LEFT)
    since = Checkpoint("match", "since 2025-01-01", "rules-1")
    with pytest.raises(InputError, match="the interrupted job was match --all, stopped at"):
        start(archive, since, resume=True)


def test_a_finished_job_leaves_nothing_to_resume(archive: Archive) -> None:
    checkpoint.save(archive, LEFT)
    checkpoint.clear(archive, "match")
    assert checkpoint.load(archive, "match") is None
