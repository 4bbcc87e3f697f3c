"""Benchmark: monitor.dates.parse_date against dateparser on the date corpus, in the same run.

    .venv/bin/python bench/bench_dates.py [--misses]

Both parsers read every line of tests/data/dates.tsv (the site's real date nodes, every form of
LANGUAGE.md, machine forms and non-dates), relative forms resolved against the corpus's fixed
now. A result is correct when it is the expected instant to the minute (minute precision), the
expected date (day precision), or None when the line is not a date. Timing: passes over the whole
corpus repeated for about a second, best of several rounds. Exits 1 when parse_date misses a
target of the issue: 100 % correct on the corpus and at least 20x faster than dateparser.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import dateparser

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from monitor.dates import VN_TZ, parse_date  # runs without an installed package

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "dates.tsv"
TARGET_SPEEDUP = 20.0
ROUND_SECONDS = 1.0
ROUNDS = 3
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\\trn])")
_SIMPLE_ESCAPES = {"\\": "\\", "t": "\t", "r": "\r", "n": "\n"}

Parser = Callable[[str], datetime | None]


@dataclass(frozen=True)
class Case:
    text: str
    expected: datetime | None
    precision: str


def load_corpus(path: Path = CORPUS) -> tuple[datetime, list[Case]]:
    """The corpus's fixed now and its cases (input escaping as described in its header)."""
    now: datetime | None = None
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# now:"):
            now = datetime.fromisoformat(line.removeprefix("# now:").strip())
        if line.startswith("#") or not line:
            continue
        raw, expected, precision = line.split("\t")
        text = _ESCAPE.sub(lambda m: _SIMPLE_ESCAPES.get(m[1]) or chr(int(m[1][1:], 16)), raw)
        value = None if expected == "NONE" else datetime.fromisoformat(expected)
        cases.append(Case(text, value, precision))
    if now is None:
        raise SystemExit(f"{path}: no '# now:' header line")
    return now, cases


def is_correct(case: Case, got: datetime | None) -> bool:
    if case.expected is None or got is None:
        return case.expected is None and got is None
    if got.tzinfo is None:
        got = got.replace(tzinfo=VN_TZ)
    local = got.astimezone(VN_TZ)
    if case.precision == "day":
        return local.date() == case.expected.date()
    return local.replace(second=0, microsecond=0) == case.expected


def misses(parser: Parser, cases: list[Case]) -> list[tuple[Case, datetime | None]]:
    wrong = []
    for case in cases:
        got = parser(case.text)
        if not is_correct(case, got):
            wrong.append((case, got))
    return wrong


def seconds_per_call(parser: Parser, texts: list[str]) -> float:
    """Best of ROUNDS rounds, each about ROUND_SECONDS of whole passes over ``texts``."""
    started = time.perf_counter()
    for text in texts:
        parser(text)
    one_pass = time.perf_counter() - started
    passes = max(1, round(ROUND_SECONDS / max(one_pass, 1e-9)))
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(passes):
            for text in texts:
                parser(text)
        best = min(best, time.perf_counter() - started)
    return best / (passes * len(texts))


def dateparser_for(now: datetime) -> Parser:
    settings = {
        "DATE_ORDER": "DMY",
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "TIMEZONE": "Asia/Ho_Chi_Minh",
        "RETURN_AS_TIMEZONE_AWARE": True,
    }

    def parse(text: str) -> datetime | None:
        try:
            result: datetime | None = dateparser.parse(text, languages=["vi"], settings=settings)
        except Exception:  # a crash counts as a wrong answer, not as a failed benchmark
            return None
        return result

    return parse


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--misses", action="store_true", help="list each parser's wrong lines")
    show_misses = arguments.parse_args().misses
    now, cases = load_corpus()
    texts = [case.text for case in cases]
    parsers: dict[str, Parser] = {
        "parse_date": lambda text: parse_date(text, now=now),
        "dateparser": dateparser_for(now),
    }
    print(f"corpus: {CORPUS.name}, {len(cases)} lines, now = {now.isoformat()}")
    accuracy, per_call = {}, {}
    for name, parser in parsers.items():
        wrong = misses(parser, cases)  # also warms dateparser's caches up before timing
        accuracy[name] = 100.0 * (len(cases) - len(wrong)) / len(cases)
        per_call[name] = seconds_per_call(parser, texts)
        correct = len(cases) - len(wrong)
        print(
            f"{name:<11} {correct}/{len(cases)} correct ({accuracy[name]:.1f}%), "
            f"{per_call[name] * 1e6:.1f} µs per call"
        )
        for case, got in wrong if show_misses else []:
            expected = case.expected.isoformat() if case.expected else None
            print(f"    miss: {case.text!r}: got {got}, expected {expected} ({case.precision})")
    speedup = per_call["dateparser"] / per_call["parse_date"]
    print(
        f"parse_date is {speedup:.1f}x faster than dateparser; "
        f"accuracy {accuracy['parse_date']:.1f}% vs {accuracy['dateparser']:.1f}%"
    )
    if accuracy["parse_date"] < 100.0 or speedup < TARGET_SPEEDUP:
        print(f"TARGET MISSED: need 100.0% correct and >= {TARGET_SPEEDUP:.0f}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
