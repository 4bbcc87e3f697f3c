"""Benchmark: back-tests and ``match --all`` through the FTS index against reading every
article, in the same run, on large archives.

    .venv/bin/python bench/bench_backtest.py [--sizes 20000,200000] [--rules shipped,ten]

Archives: bench_search's generator (``bench_search.build``): N synthetic articles recombined
from the replica's 59 real ones, cached as ``.bench/search-N.db`` and shared with
bench_search (built once; 200,000 takes several minutes). ``match --all`` runs on a copy,
``.bench/backtest-N.db``, made afresh each run.

Rules: ``shipped`` (config/rules-danvan.toml) and ``ten`` (bench_matcher's ten rules: the
shipped ones and eight more, one folded, some with ``all``/``exclude`` or fields).

For each size and rule set, after every article has been read once (the page cache warm):

- **back-test**: ``rules test --since 2000-01-01`` as the command runs it (``backtest``, a new
  ``Matcher``), through the index and then reading every article; the results must be equal.
- **match --all**: the copy is matched once, then ``match --all`` runs through the index
  and then reading every article, each from that matched state; the archive's matches,
  on-topic flags and matched hashes must be the same after each.
- **match, nothing due**: what going through the index costs the ``monitor match`` that
  follows every crawl (the candidate query) when there is nothing new.

underthesea's model is loaded before timing. Targets (issue 15): back-test over 200,000
articles under 5 s, ``match --all`` over 200,000 under 30 s.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # runs without an installed package
from bench.bench_matcher import ten_rules  # noqa: E402
from bench.bench_search import CACHE, build  # noqa: E402
from monitor.archive import Archive  # noqa: E402
from monitor.config import load_config  # noqa: E402
from monitor.config.schema import Rule  # noqa: E402
from monitor.match import Matcher  # noqa: E402
from monitor.match.apply import MatchSummary, backtest, match_new_articles  # noqa: E402
from monitor.match.candidates import Rematch, candidate_query  # noqa: E402

SINCE = "2000-01-01T00:00:00+07:00"  # rules test --since 2000-01-01: every article
Result = TypeVar("Result")


def timed(run: Callable[[], Result]) -> tuple[float, Result]:
    """Seconds ``run`` took, and what it returned."""
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def archive_of(size: int, rebuild: bool) -> Path:
    """bench_search's archive of ``size`` articles, built if missing, migrated."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"search-{size}.db"
    if rebuild or not path.exists():
        seconds = build(path, size)
        print(f"built {size:,} articles in {seconds:.0f} s: {path}")
    Archive.open(path).close()  # migrations (articles_unmatched) before a read-only open
    return path


def warm(path: Path) -> float:
    """Read every article once (the page cache warm for both paths); seconds taken."""
    with Archive.open(path, readonly=True) as archive:
        seconds, _ = timed(lambda: sum(1 for _ in archive.articles.iter_articles()))
    return seconds


def candidates(path: Path, rules: Sequence[Rule]) -> tuple[int, float]:
    """How many articles the index gives the matcher, and the query's milliseconds."""
    query = candidate_query(rules)
    with Archive.open(path, readonly=True) as archive:
        seconds, ids = timed(lambda: archive.index.candidate_ids(query))
    return len(ids), seconds * 1000


def measure_backtest(path: Path, rules: Sequence[Rule]) -> tuple[float, float, int, bool]:
    """Back-test seconds through the index and reading everything, the articles found, and
    whether both found the same."""

    def run(through: bool) -> list[tuple[int, list[Any]]]:
        matcher = Matcher(rules)
        found = backtest(archive, rules, matcher, SINCE, through_index=through)
        return [(article.article_id, hits) for article, hits in found]

    with Archive.open(path, readonly=True) as archive:
        index_s, through = timed(lambda: run(True))
        full_s, every = timed(lambda: run(False))
    return index_s, full_s, len(through), through == every


def state(path: Path) -> tuple[list[Any], ...]:
    """What matching writes, without row ids and times (read straight from the file)."""
    queries = (
        "SELECT article_id, matched_hash, on_topic FROM articles ORDER BY 1",
        'SELECT article_id, rule, keyword, field, start, "end", snippet, content_hash'
        " FROM matches ORDER BY 1, 2, 4, 5",
        "SELECT article_id, rule, channel, status FROM alerts ORDER BY 1, 2, 3",
    )
    with closing(sqlite3.connect(path)) as db:
        return tuple(db.execute(query).fetchall() for query in queries)


def match(
    path: Path, rules: Sequence[Rule], rematch: Rematch | None, through: bool
) -> tuple[float, MatchSummary]:
    with Archive.open(path) as archive:
        matcher = Matcher(rules)
        return timed(
            lambda: match_new_articles(
                archive, rules, matcher, rematch=rematch, through_index=through
            )
        )


def measure_match_all(source: Path, rules: Sequence[Rule]) -> dict[str, Any]:
    """``match --all`` both ways from the same matched state, on a fresh copy of ``source``."""
    path = source.with_name(source.name.replace("search-", "backtest-"))
    shutil.copy(source, path)
    first_s, first = match(path, rules, None, True)
    matched = state(path)
    index_s, summary = match(path, rules, Rematch(None), True)
    after_index = state(path)
    full_s, _ = match(path, rules, Rematch(None), False)
    same = after_index == state(path) == matched
    idle_index, _ = match(path, rules, None, True)
    idle_full, _ = match(path, rules, None, False)
    path.unlink()
    return {
        "first": first_s, "matched": first.matched, "index": index_s, "full": full_s,
        "same": same, "articles": summary.articles, "idle": (idle_index, idle_full),
    }  # fmt: skip


def ratio(slow: float, fast: float) -> str:
    return f"{slow / fast:.1f}x"


def run_size(size: int, rule_sets: dict[str, Sequence[Rule]], rebuild: bool) -> list[str]:
    """Measure one archive size with each rule set; returns the summary lines."""
    path = archive_of(size, rebuild)
    mib = path.stat().st_size / 2**20
    print(f"\narchive {path.relative_to(ROOT)}: {size:,} articles, {mib:,.0f} MiB")
    print(f"every article read once in {warm(path):.1f} s")
    return [run_rules(path, size, name, rules) for name, rules in rule_sets.items()]


def run_rules(path: Path, size: int, name: str, rules: Sequence[Rule]) -> str:
    """Measure one rule set on one archive, print the details; returns the summary line."""
    count, query_ms = candidates(path, rules)
    print(f"{name} rules: {count:,} candidates ({count / size:.1%}), query {query_ms:.0f} ms")
    index_s, full_s, found, same = measure_backtest(path, rules)
    print(
        f"  back-test: index {index_s:.2f} s, full scan {full_s:.2f} s"
        f" ({ratio(full_s, index_s)}); {found:,} articles match; same result: {same}"
    )
    m = measure_match_all(path, rules)
    print(
        f"  match --all: index {m['index']:.2f} s, full scan {m['full']:.2f} s"
        f" ({ratio(m['full'], m['index'])}); same archive: {m['same']}"
        f" (the first match, through the index: {m['first']:.2f} s, {m['matched']:,} matched)"
    )
    idle_index, idle_full = m["idle"]
    print(
        f"  match with nothing due: index {idle_index * 1000:.0f} ms,"
        f" full scan {idle_full * 1000:.0f} ms"
    )
    return (
        f"{size:,} articles, {name} rules ({count / size:.1%} candidates):"
        f" back-test {index_s:.2f} s vs {full_s:.2f} s ({ratio(full_s, index_s)}),"
        f" match --all {m['index']:.2f} s vs {m['full']:.2f} s ({ratio(m['full'], m['index'])});"
        f" identical: {same and m['same']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20000,200000", help="comma-separated archive sizes")
    parser.add_argument("--rules", default="shipped,ten", help="shipped, ten or both")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached archives")
    options = parser.parse_args()
    shipped = load_config(None).rules
    known = {"shipped": shipped, "ten": ten_rules(shipped)}
    rule_sets = {name: known[name] for name in options.rules.split(",")}
    Matcher(shipped).match({"body": "Bàn về dân vận."})  # loads underthesea's model
    summary = []
    for size in (int(size) for size in options.sizes.split(",")):
        summary += run_size(size, rule_sets, options.rebuild)
    print("\n" + "\n".join(summary))


if __name__ == "__main__":
    main()
