"""Export throughput and peak memory: streaming against loading every article first.

    .venv/bin/python bench/bench_export.py [--articles 200000]

The archive: ``.bench/search-N.db`` when another benchmark has built one of that size, else
``.bench/archive-N.db``, built once (kept for later runs) with ``Archive.bulk_load`` from the 72
golden pages' records, renumbered and dated back one every 30 minutes; one article in 100 has a
match and is on-topic, so the ``rules`` column is exercised.

For each format (CSV, JSONL), both ways in the same run, each in a fresh process (peak RSS is
per process): **streamed** is what ``monitor export`` does (``Archive.iter_articles`` reads a
batch of 1,000 at a time, the writer holds one row); **load-all** is ``list(...)`` of every row,
then the same writer. Each way runs twice: once timed, with its peak RSS; once under
``tracemalloc`` for the peak of Python allocations (tracing slows it, so it is not timed). The
output goes to a real file, written as ``monitor export --output`` writes it, then deleted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # runs without an installed package
from monitor.archive import VN_TZ, Archive, MatchRow  # noqa: E402
from monitor.export import WRITERS, ExportFormat  # noqa: E402
from monitor.record import ArticleRecord, Image  # noqa: E402

BENCH_DIR = ROOT / ".bench"
GOLDEN = ROOT / "tests" / "golden" / "pages"
NEWEST = datetime(2025, 6, 30, 8, 0, tzinfo=VN_TZ)
SPACING = timedelta(minutes=30)
MODES = ("streamed", "load-all")
FORMATS: tuple[ExportFormat, ...] = ("csv", "jsonl")


# --- the archive ----------------------------------------------------------------------------


def archive_path(articles: int) -> Path:
    """An archive of ``articles`` articles under .bench/, another benchmark's or our own."""
    shared = BENCH_DIR / f"search-{articles}.db"
    if shared.exists():
        return shared
    own = BENCH_DIR / f"archive-{articles}.db"
    if not own.exists():
        build(own, articles)
    return own


def build(path: Path, articles: int) -> None:
    """Build the archive under a temporary name, renamed when complete."""
    partial = path.with_name(path.name + ".building")
    partial.unlink(missing_ok=True)
    start = time.perf_counter()
    with Archive.open(partial) as archive:
        archive.articles.bulk_load(synthetic(articles), seen_at=NEWEST.isoformat())
        for article_id in range(1, articles + 1, 100):
            hit = MatchRow("dan-van", "dân vận", "body", 0, 7, "dân vận")
            archive.alerts.record_matches(
                article_id, _hash(archive, article_id), [hit], [], on_topic=True
            )
    partial.replace(path)
    size = path.stat().st_size / 2**20
    print(f"built {path.name}: {articles:,} articles, {size:,.0f} MiB, "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip


def _hash(archive: Archive, article_id: int) -> str:
    article = archive.articles.get_article(article_id)
    assert article is not None
    return article.content_hash


def golden_records() -> list[ArticleRecord]:
    records = []
    for page in sorted(GOLDEN.glob("*.json")):
        data = json.loads(page.read_text(encoding="utf-8"))
        if not data["complete"]:
            continue
        data["tags"] = tuple(data["tags"])
        data["images"] = tuple(Image(**image) for image in data["images"])
        data["problems"] = tuple(data["problems"])
        del data["complete"]
        records.append(ArticleRecord(**data))
    return records


def synthetic(articles: int) -> Iterator[ArticleRecord]:
    """Golden records renumbered 1…N, the newest last, one every ``SPACING``."""
    goldens = golden_records()
    for n in range(1, articles + 1):
        base = goldens[n % len(goldens)]
        url = base.url.rsplit("_", 1)[0] + f"_{n}.html"
        published = NEWEST - (articles - n) * SPACING
        yield replace(
            base, article_id=n, url=url, canonical_url=url, title=f"{base.title} ({n})",
            published_at=published.isoformat(), published_precision="minute",
        )  # fmt: skip


# --- one measurement, in its own process ----------------------------------------------------


def measure(path: Path, fmt: ExportFormat, mode: str, traced: bool) -> dict[str, Any]:
    """Export the whole archive once; seconds, articles, bytes, peak RSS or tracemalloc peak."""
    output = Path(tempfile.mkdtemp()) / f"export.{fmt}"
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with Archive.open(path, readonly=True) as archive:
        before = _status_bytes("VmRSS")
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        with output.open("w", encoding=encoding, newline="") as out:
            rows = archive.articles.iter_articles()
            count = WRITERS[fmt](list(rows) if mode == "load-all" else rows, out)
        seconds = time.perf_counter() - start
        traced_peak = tracemalloc.get_traced_memory()[1] if traced else None
    size = output.stat().st_size
    output.unlink()
    output.parent.rmdir()
    rss = _status_bytes("VmHWM")  # not ru_maxrss: that one keeps the parent's across exec
    return {"articles": count, "seconds": seconds, "bytes": size, "rss": rss,
            "rss_before": before, "traced": traced_peak}  # fmt: skip


def _status_bytes(name: str) -> int:
    """A memory figure of this process from /proc/self/status (Linux), in bytes: VmRSS is
    the resident set size now, VmHWM its peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {name} in /proc/self/status")


def in_child(path: Path, fmt: ExportFormat, mode: str, traced: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", str(path), fmt, mode]
    command += ["--traced"] if traced else []
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# --- the report -----------------------------------------------------------------------------


def compare(path: Path, fmt: ExportFormat) -> None:
    results = {}
    for mode in MODES:
        timed = in_child(path, fmt, mode, traced=False)
        timed["traced"] = in_child(path, fmt, mode, traced=True)["traced"]
        results[mode] = timed
        mib = timed["bytes"] / 2**20
        print(
            f"{fmt:5} {mode:8}: {timed['articles'] / timed['seconds']:>8,.0f} articles/s "
            f"({mib / timed['seconds']:,.0f} MiB/s of {mib:,.0f} MiB), "
            f"tracemalloc peak {timed['traced'] / 2**20:>8,.1f} MiB, "
            f"peak RSS {timed['rss'] / 2**20:>7,.0f} MiB "
            f"({timed['rss_before'] / 2**20:,.0f} MiB before the export)"
        )
    streamed, loaded = results["streamed"], results["load-all"]
    print(
        f"{fmt:5} load-all / streamed: tracemalloc peak "
        f"{loaded['traced'] / streamed['traced']:,.0f}x, peak RSS "
        f"{loaded['rss'] / streamed['rss']:.1f}x, time "
        f"{loaded['seconds'] / streamed['seconds']:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--measure", nargs=3, metavar=("ARCHIVE", "FORMAT", "MODE"))
    parser.add_argument("--traced", action="store_true")
    args = parser.parse_args()
    if args.measure:
        path, fmt, mode = args.measure
        known = {name: name for name in FORMATS}  # the typed format of its name
        print(json.dumps(measure(Path(path), known[fmt], mode, args.traced)))
        return
    BENCH_DIR.mkdir(exist_ok=True)
    path = archive_path(args.articles)
    on_disk = path.stat().st_size / 2**20
    print(f"archive {path.relative_to(ROOT)}: {args.articles:,} articles, {on_disk:,.0f} MiB")
    for fmt in FORMATS:
        compare(path, fmt)


if __name__ == "__main__":
    main()
