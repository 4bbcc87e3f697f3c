"""A template the profile has never seen: field accuracy before learning, after learning, and
trafilatura's, on the redesign's golden pages, in one run.

    .venv/bin/python bench/bench_unknown_template.py [--learn-from 10]

"before": the shipped profile (congan.com.vn's template), so every field comes from metadata or
the generic layer; "after": the profile with the overlay `monitor profile learn` induces from the
first N pages (no hand-written selector); "trafilatura": bare_extraction with metadata. Exact
match per field; "wrong" counts values that are present but not the expected ones (absent is
not wrong: a field is right, or absent with a reason); "from fallbacks" is the share of the
content fields found that came from the generic layer (or the discovery source), not from the
profile or the page's metadata (trafilatura: all of them).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from bench.bench_parser import theirs  # noqa: E402
from monitor.config import SiteProfile, load_config  # noqa: E402
from monitor.learn.evidence import SamplePage  # noqa: E402
from monitor.learn.profile import learn_profile  # noqa: E402
from monitor.parse.article import diagnose_article  # noqa: E402

from golden_pages import GoldenPage, redesign_pages  # noqa: E402

FIELDS = ("title", "lead", "body", "published_at", "published_date", "author", "tags", "images")
CONTENT = ("title", "lead", "body", "published_at", "author", "tags", "images")
Record = dict[str, Any]


def ours(profile: SiteProfile) -> Callable[[GoldenPage], Record]:
    def extract(page: GoldenPage) -> Record:
        diagnosis = diagnose_article(page.html, page.expected["url"], profile)
        record = diagnosis.record.to_dict()
        record["published_date"] = (record["published_at"] or "")[:10] or None
        record["_layers"] = record["extraction"]
        return record

    return extract


def trafilatura_record(page: GoldenPage) -> Record:
    record: Record = dict(theirs(page))
    record["published_at"] = None  # trafilatura gives a day, never the time
    return record


def expected_of(page: GoldenPage) -> Record:
    expected = dict(page.expected)
    expected["published_date"] = (expected["published_at"] or "")[:10] or None
    return expected


def score(extract: Callable[[GoldenPage], Record], pages: list[GoldenPage]) -> dict[str, Any]:
    pairs = [(extract(page), expected_of(page)) for page in pages]
    exact = {f: sum(got.get(f) == want[f] for got, want in pairs) / len(pairs) for f in FIELDS}
    wrong = sum(
        1
        for got, want in pairs
        for f in FIELDS
        if got.get(f) not in (None, [], ()) and got.get(f) != want[f]
    )
    layers = [
        layer
        for got, _ in pairs
        for name, layer in got.get("_layers", {}).items()
        if name in CONTENT
    ]
    fallbacks = sum(layer in ("generic", "discovery") for layer in layers)
    return {"exact": exact, "wrong": wrong, "fallback": fallbacks / len(layers) if layers else 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learn-from", type=int, default=10, help="pages to learn from")
    args = parser.parse_args()
    pages = redesign_pages()
    shipped = load_config(None).profile
    samples = [SamplePage(p.expected["url"], p.html) for p in pages[: args.learn_from]]
    start = time.perf_counter()
    learned = learn_profile(samples, [], shipped, ("congan.com.vn",), sources="bench").profile
    learning = time.perf_counter() - start
    runs = {
        "before": score(ours(shipped), pages),
        "after": score(ours(learned), pages),
        "trafilatura": score(trafilatura_record, pages),
    }
    print(f"{len(pages)} redesign golden pages; learned from the first {len(samples)} "
          f"in {learning:.2f} s")  # fmt: skip
    print(f"{'field':<16}" + "".join(f"{name:>14}" for name in runs))
    for field in FIELDS:
        print(f"{field:<16}" + "".join(f"{run['exact'][field]:>14.3f}" for run in runs.values()))
    print(f"{'wrong values':<16}" + "".join(f"{run['wrong']:>14}" for run in runs.values()))
    print(f"{'from fallbacks':<16}" + "".join(f"{run['fallback']:>14.3f}" for run in runs.values()))
    mean = {name: sum(run["exact"].values()) / len(FIELDS) for name, run in runs.items()}
    print(
        f"mean exact: before {mean['before']:.3f}, after {mean['after']:.3f}, trafilatura "
        f"{mean['trafilatura']:.3f} (after/trafilatura {mean['after'] / mean['trafilatura']:.2f}x)"
    )


if __name__ == "__main__":
    main()
