"""monitor.daemon.status: per entry point yields and the id-coverage estimate, in text and data."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from test_archive_support import record, store

from monitor.archive import VN_TZ, Archive, EntryYield
from monitor.daemon import status


def test_status_shows_entry_yields_and_id_coverage(tmp_path: Path) -> None:
    now = datetime.now(VN_TZ).replace(microsecond=0)
    day = (now - timedelta(days=1)).date().isoformat()
    with Archive.open(tmp_path / "a.db") as archive:
        for article_id in (200, 203):
            store(archive, record(article_id, published_at=f"{day}T09:00:00+07:00"))
        run = archive.runs.start_run("normal")
        archive.runs.record_entry_yields(run, [EntryYield("/sitemap.xml", "sitemap", 200, 12, 2)])
        found = status.discovery(archive, now)
    (entry,) = found["entries"]
    assert (entry["entry"], entry["links"], entry["new"]) == ("/sitemap.xml", 12, 2)
    (coverage,) = found["coverage"]
    assert (coverage["day"], coverage["ids"], coverage["span"], coverage["estimate"]) == (
        day,
        2,
        4,
        0.5,
    )
    lines = status._entry_lines(found["entries"]) + status._coverage_lines(found["coverage"])
    assert "  sitemap  /sitemap.xml: 1 runs, 12 links, 2 new, last 200" in lines
    assert f"  {day}: 2 / 4 ids (200..203) ≈ 50%" in lines
