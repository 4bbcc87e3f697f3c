"""Benchmark: ranked FTS5 search (``monitor.search``) against a LIKE scan, on a large archive.

    .venv/bin/python bench/bench_search.py [--articles 200000] [--rebuild]

Archive: ``--articles`` synthetic articles (default 200,000) built from the 59 real congan.com.vn
articles of the replica's data: each takes a source article's paragraphs in order from a random
point, swaps some for paragraphs of other articles, shuffles or drops sentences inside some, and
gets a title (its source's, or the opening of one of its sentences), a lead, a section of the
site (weighted, with subsections) and a publish time spread over five years, ids rising with
time. It is loaded through ``Archive.bulk_load`` (the FTS tables kept in step) and cached as
``.bench/search-N.db``; later runs reuse it (``--rebuild`` makes a new one). Every phrase of the
59 articles recurs across thousands of synthetic ones, so match counts run far higher than in a
real archive of that size: the table shows them.

Queries, end to end through ``search_archive`` (compile, SQL, snippets; 20 results), 50 terms
of each kind, each term timed ``RUNS`` times and its best kept (the machine is shared); the
same run measures the LIKE scan (``Archive.like_search``: every article read, title hits first,
then newest) on the first terms with the same filters. LIKE does no accent folding: its folded
row is a cost comparison only.

- phrase: ``dân vận``, then two-syllable phrases of the source text with marks;
- folded: ``dan van kheo``, then folded three-syllable phrases (folded table);
- filtered: ``công an`` and other very common phrases, ``--section tin-chinh --since 2024-01-01``;
- window: the phrase terms within three months, ``--since 2024-03-01 --until 2024-05-31`` (the
  date range alone: its id bounds are checked exact, then FTS5 seeks to them).

Phrases are those seen 3+ times in the sources with no digit and no function word at either end
(``bench_matcher.FUNCTION_WORDS``). Target: p95 under 50 ms for each kind.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # runs without an installed package
from bench.bench_matcher import FUNCTION_WORDS  # noqa: E402
from monitor.archive import VN_TZ, Archive  # noqa: E402
from monitor.archive.filters import ArticleFilter  # noqa: E402
from monitor.match.sentences import sentence_spans  # noqa: E402
from monitor.record import ArticleRecord  # noqa: E402
from monitor.search.engine import search_archive  # noqa: E402
from monitor.search.query import compile_query, syllables  # noqa: E402
from monitor.text import fold, normalize_inline  # noqa: E402
from replica.shell import SECTIONS  # noqa: E402

ARTICLES = ROOT / "replica" / "data" / "articles.jsonl"
CACHE = ROOT / ".bench"
FIRST_DAY = datetime(2020, 7, 1, 6, 0, tzinfo=VN_TZ)
YEARS = 5
REPEATS = 50  # terms per query kind
RUNS = 3  # timed calls per term, the best kept
LIKE_TERMS = 5  # the LIKE scan takes seconds: the first 5 terms, one call each
TARGET_MS = 50
COMMON = ("công an", "an ninh", "trật tự", "nhân dân", "lực lượng", "phòng chống", "cán bộ")
FILTERS = ArticleFilter(section="tin-chinh", since=date(2024, 1, 1))
WINDOW = ArticleFilter(since=date(2024, 3, 1), until=date(2024, 5, 31))


@dataclass(frozen=True)
class Source:
    title: str
    lead: str | None
    paragraphs: tuple[tuple[str, ...], ...]  # sentences of each paragraph


def load_sources() -> list[Source]:
    """The replica's 59 articles in display form, paragraphs cut into sentences."""
    sources = []
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        lead = normalize_inline(article["lead_raw"] or "").removeprefix("(CAO)").strip()
        paragraphs = []
        for raw in article["paragraphs_raw"]:
            text = normalize_inline(raw)
            if text:
                paragraphs.append(tuple(text[s:e] for s, e in sentence_spans(text)))
        sources.append(Source(normalize_inline(article["title"]), lead or None, tuple(paragraphs)))
    return sources


def section_weights() -> tuple[list[str], list[float]]:
    """Every section and subsection of the site; tin-chinh most often, subsections less."""
    names, weights = [], []
    for slug, _, subsections in SECTIONS:
        names.append(slug)
        weights.append(8.0 if slug == "tin-chinh" else 2.0)
        for sub, _ in subsections:
            names.append(f"{slug}/{sub}")
            weights.append(0.7)
    return names, weights


def records(count: int, sources: list[Source], seed: int = 7) -> Iterator[ArticleRecord]:
    """``count`` synthetic records, oldest first (see the module docstring)."""
    rng = random.Random(seed)
    names, weights = section_weights()
    step = timedelta(days=365 * YEARS) / count
    article_id = 100_000
    for index in range(count):
        article_id += rng.randint(1, 3)
        when = FIRST_DAY + step * index + timedelta(minutes=rng.randint(0, 30))
        section = rng.choices(names, weights)[0]
        yield synthetic(rng, sources, article_id, when.isoformat(timespec="seconds"), section)


def synthetic(
    rng: random.Random, sources: list[Source], article_id: int, published: str, section: str
) -> ArticleRecord:
    """One article recombined from the sources."""
    source = rng.choice(sources)
    start = rng.randrange(len(source.paragraphs))
    paragraphs = []
    for offset in range(rng.randint(3, 8)):
        own = source.paragraphs[(start + offset) % len(source.paragraphs)]
        other = rng.choice(rng.choice(sources).paragraphs)
        paragraphs.append(vary(rng, other if rng.random() < 0.25 else own))
    body = "\n\n".join(paragraphs)
    url = f"https://congan.com.vn/{section}/bai-viet-{article_id}_{article_id}.html"
    return ArticleRecord(
        url=url,
        canonical_url=url,
        article_id=article_id,
        section=section,
        title=source.title if rng.random() < 0.5 else title_from(rng, paragraphs),
        lead=source.lead if rng.random() < 0.9 else None,
        body=body,
        published_at=published,
        published_precision="minute",
        updated_at=None,
        author=None,
    )


def vary(rng: random.Random, sentences: tuple[str, ...]) -> str:
    """A paragraph: its sentences, sometimes shuffled, sometimes one fewer."""
    chosen = list(sentences)
    if len(chosen) > 1 and rng.random() < 0.3:
        rng.shuffle(chosen)
    if len(chosen) > 2 and rng.random() < 0.2:
        chosen.pop(rng.randrange(len(chosen)))
    return " ".join(chosen)


def title_from(rng: random.Random, paragraphs: list[str]) -> str:
    """The opening words of one of the article's sentences."""
    words = rng.choice(paragraphs).split(" ")[: rng.randint(8, 16)]
    title = " ".join(words).rstrip(".,;:")
    return title[:1].upper() + title[1:]


def build(path: Path, count: int) -> float:
    """Create the archive at ``path`` (via a temporary file); returns the seconds taken."""
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    with Archive.open(partial) as archive:
        loaded = archive.articles.bulk_load(
            records(count, load_sources()), seen_at=FIRST_DAY.isoformat(), chunk=5000
        )
    assert loaded == count
    os.replace(partial, path)
    return time.perf_counter() - started


def phrase_terms(sources: list[Source], rng: random.Random, size: int) -> list[str]:
    """Distinct ``size``-syllable phrases seen 3+ times in the sources, with no digit and no
    function word at either end (what an analyst would type), in random order."""
    counts: Counter[str] = Counter()
    for source in sources:
        for paragraph in source.paragraphs:
            for sentence in paragraph:
                words = syllables(sentence.lower())
                for i in range(len(words) - size + 1):
                    counts[" ".join(words[i : i + size])] += 1
    phrases = sorted(p for p, n in counts.items() if n >= 3 and _content_phrase(p))
    rng.shuffle(phrases)
    return phrases


def _content_phrase(phrase: str) -> bool:
    words = phrase.split(" ")
    return not any(c.isdigit() for c in phrase) and not {words[0], words[-1]} & FUNCTION_WORDS


def workloads(sources: list[Source]) -> dict[str, tuple[list[str], ArticleFilter]]:
    """Each query kind: its terms (``REPEATS`` of them) and filters."""
    rng = random.Random(11)
    marked = ["dân vận", *[p for p in phrase_terms(sources, rng, 2) if fold(p) != p]]
    folded = [fold(p) for p in phrase_terms(sources, rng, 3)]
    return {
        "phrase": (marked[:REPEATS], ArticleFilter()),
        "folded": (["dan van kheo", *folded[: REPEATS - 1]], ArticleFilter()),
        "filtered": ([COMMON[i % len(COMMON)] for i in range(REPEATS)], FILTERS),
        "window": (marked[:REPEATS], WINDOW),
    }


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0.95: p95)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(run: Callable[[str], object], terms: list[str], runs: int) -> list[float]:
    """Milliseconds each term took: the best of ``runs`` calls (the machine is shared)."""
    samples = []
    for term in terms:
        best = float("inf")
        for _ in range(runs):
            started = time.perf_counter()
            run(term)
            best = min(best, time.perf_counter() - started)
        samples.append(best * 1000)
    return samples


def matches(archive: Archive, term: str) -> int:
    """How many articles of the whole archive the term matches (unfiltered, uncapped)."""
    compiled = compile_query(term)
    expression = compiled.exact or compiled.folded or ""
    return len(archive.index.search_ids(expression, folded=compiled.exact is None, limit=10**9))


def measure(archive: Archive, sources: list[Source]) -> None:
    """Time each query kind, FTS and LIKE, and print the table and the ratios."""
    print(
        f"{'query':<9} {'engine':<6} {'terms':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
        f" {'found':>6} {'matches p50 / max':>18}"
    )
    summary = []
    for kind, (terms, filters) in workloads(sources).items():
        fts, like = measure_kind(archive, kind, terms, filters)
        fts95, like95 = percentile(fts, 0.95), percentile(like, 0.95)
        summary.append(
            f"{kind} p95 {fts95:.1f} ms vs LIKE p95 {like95:.0f} ms ({ratio(like95, fts95)})"
            f"{'' if fts95 < TARGET_MS else f'  (above the {TARGET_MS} ms target)'}"
        )
    print("\n".join(["", *summary]))


def ratio(slow: float, fast: float) -> str:
    """``23x``, or ``1.3x`` below 10."""
    times = slow / fast
    return f"{times:.0f}x" if times >= 10 else f"{times:.1f}x"


def measure_kind(
    archive: Archive, kind: str, terms: list[str], filters: ArticleFilter
) -> tuple[list[float], list[float]]:
    """Time one query kind's terms, FTS and LIKE; print its two rows; return the samples."""

    def fts(term: str) -> object:
        return search_archive(archive, term, filters)

    def like(term: str) -> object:
        return archive.index.like_search([term], filters=filters)

    fts(terms[0])  # warm the page cache
    fts_ms, like_ms = timed(fts, terms, RUNS), timed(like, terms[:LIKE_TERMS], 1)
    found = sum(len(search_archive(archive, t, filters)) > 0 for t in terms)
    counts = [matches(archive, t) for t in terms]
    for engine, samples in (("fts", fts_ms), ("like", like_ms)):
        extra = f" {found:>3}/{len(terms):<2} {statistics.median(counts):>8,.0f} / {max(counts):,}"
        print(
            f"{kind:<9} {engine:<6} {len(samples):>5} {percentile(samples, 0.5):>8.1f}"
            f" {percentile(samples, 0.95):>8.1f} {max(samples):>8.1f}"
            + (extra if engine == "fts" else "")
        )
    return fts_ms, like_ms


def main() -> None:
    """Build (or reuse) the archive, then measure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached archive")
    options = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"search-{options.articles}.db"
    if options.rebuild or not path.exists():
        seconds = build(path, options.articles)
        print(f"built {options.articles:,} articles in {seconds:.0f} s: {path}")
    size = path.stat().st_size / 2**20
    print(f"archive: {path.relative_to(ROOT)}, {options.articles:,} articles, {size:,.0f} MiB\n")
    with Archive.open(path, readonly=True) as archive:
        measure(archive, load_sources())


if __name__ == "__main__":
    main()
