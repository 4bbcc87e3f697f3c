"""monitor.reparse: records are rebuilt from raw pages with the current profile, offline."""

from __future__ import annotations

from pathlib import Path

from monitor.archive import Archive
from monitor.config import SiteProfile
from monitor.ingest import FetchedPage, ingest_page
from monitor.reparse import reparse_archive

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
