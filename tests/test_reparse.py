"""monitor.reparse: records are rebuilt from raw pages with the current profile, offline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from monitor.archive import Archive
from monitor.config import SiteProfile
from monitor.errors import InputError
from monitor.ingest import FetchedPage, ingest_page
from monitor.reparse import reparse_archive

from bulk_support import (
    FIRST_ID,
    RECORD_TABLES,
    broken,
    build_archive,
    checkpoint_of,
    contents,
    copy_archive,
)
from golden_pages import golden_pages

PAGE = golden_pages()[0]


def test_profile_fix_rescues_quarantined_pages(tmp_path: Path, profile: SiteProfile) -> None:
    # a profile whose footer marker ends the body at its first paragraph (the generic layer
    # cuts there too): no body, so quarantined
    broken = profile.model_copy(update={"footer_markers": ("",)})
    page = FetchedPage(
        PAGE.expected["url"], PAGE.html, "text/html", 200, "2025-06-23T12:00:00+07:00"
    )
    with Archive.open(tmp_path / "a.db") as archive:
        ingest_page(archive, broken, page)
        before = archive.counts()
        outcomes = reparse_archive(archive, profile)
        after = archive.counts()
    assert outcomes["new"] == 1
    assert (before["articles"], after["articles"]) == (before["articles"], before["articles"] + 1)
    assert after["quarantined"] == 0


def test_reparse_of_an_unchanged_archive_changes_nothing(
    tmp_path: Path, profile: SiteProfile
) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        distinct = {g.expected["article_id"]: g for g in golden_pages()}
        for golden in list(distinct.values())[:5]:
            page = FetchedPage(
                golden.expected["url"], golden.html, None, 200, "2025-06-23T12:00:00+07:00"
            )
            ingest_page(archive, profile, page)
        outcomes = reparse_archive(archive, profile)
        assert dict(outcomes) == {"unchanged": 5}
        assert archive.runs.last_runs(1)[0].mode == "reparse"


PAGES = 150  # raw pages in the bulk archives below: the golden pages, renumbered
BATCH = 20


class Stop(Exception):
    """Raised from a progress callback: the job is interrupted after a stored batch."""


def stop_after(batches: int) -> Callable[[int, int], None]:
    """A progress callback that interrupts the job once ``batches`` batches are stored."""

    def progress(done: int, total: int) -> None:
        if done >= batches * BATCH:
            raise Stop

    return progress


@pytest.fixture(scope="module")
def quarantined(tmp_path_factory: pytest.TempPathFactory, profile: SiteProfile) -> Path:
    """An archive of PAGES raw pages, every one quarantined by a broken profile."""
    path = tmp_path_factory.mktemp("bulk") / "quarantined.db"
    build_archive(path, broken(profile), PAGES)
    return path


def reparsed(source: Path, target: Path, profile: SiteProfile, **options: Any) -> Counter[str]:
    with Archive.open(copy_archive(source, target)) as archive:
        return reparse_archive(archive, profile, batch=BATCH, **options)


def test_two_jobs_store_what_one_job_stores(
    quarantined: Path, tmp_path: Path, profile: SiteProfile
) -> None:
    one = reparsed(quarantined, tmp_path / "one.db", profile, jobs=1)
    two = reparsed(quarantined, tmp_path / "two.db", profile, jobs=2)
    assert one == two == Counter(new=PAGES)
    assert contents(tmp_path / "one.db", RECORD_TABLES) == contents(
        tmp_path / "two.db", RECORD_TABLES
    )


def test_an_interrupted_reparse_resumed_equals_an_uninterrupted_one(
    quarantined: Path, tmp_path: Path, profile: SiteProfile
) -> None:
    whole = reparsed(quarantined, tmp_path / "whole.db", profile)
    with pytest.raises(Stop):
        reparsed(quarantined, tmp_path / "resumed.db", profile, on_progress=stop_after(2))
    left = checkpoint_of(tmp_path / "resumed.db", "reparse")
    assert left is not None and left["done"] == 2 * BATCH
    with Archive.open(tmp_path / "resumed.db") as archive:
        resumed = reparse_archive(archive, profile, batch=BATCH, resume=True)
        assert archive.integrity_problems() == []
        runs = [run.outcome for run in archive.runs.last_runs(2)]
    assert resumed == whole  # the outcomes of the whole job, both parts
    assert runs == ["ok", "interrupted"]
    assert checkpoint_of(tmp_path / "resumed.db", "reparse") is None
    assert contents(tmp_path / "whole.db", RECORD_TABLES) == contents(
        tmp_path / "resumed.db", RECORD_TABLES
    )


def test_a_resume_with_another_profile_is_refused_and_keeps_the_checkpoint(
    quarantined: Path, tmp_path: Path, profile: SiteProfile
) -> None:
    with pytest.raises(Stop):
        reparsed(quarantined, tmp_path / "a.db", profile, on_progress=stop_after(1))
    other = profile.model_copy(update={"footer_markers": ("Thông tin liên hệ", "Xem thêm")})
    with Archive.open(tmp_path / "a.db") as archive, pytest.raises(InputError) as refused:
        reparse_archive(archive, other, batch=BATCH, resume=True)
    assert str(refused.value) == (
        "cannot resume the interrupted reparse: the site profile changed since it started"
        f" (it stopped at article {FIRST_ID + BATCH - 1}, {BATCH} of {PAGES} done);"
        " run without --resume to start over"
    )
    assert checkpoint_of(tmp_path / "a.db", "reparse") is not None


def test_without_resume_a_leftover_checkpoint_is_reported_and_the_job_starts_over(
    quarantined: Path, tmp_path: Path, profile: SiteProfile
) -> None:
    with pytest.raises(Stop):
        reparsed(quarantined, tmp_path / "a.db", profile, on_progress=stop_after(1))
    notes: list[str] = []
    with Archive.open(tmp_path / "a.db") as archive:
        outcomes = reparse_archive(archive, profile, batch=BATCH, note=notes.append)
    assert notes == [
        f"an interrupted reparse stopped at article {FIRST_ID + BATCH - 1}, {BATCH} of"
        f" {PAGES} done: starting over (run with --resume to continue it instead)"
    ]
    assert outcomes == Counter(new=PAGES - BATCH, unchanged=BATCH)
