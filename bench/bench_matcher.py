"""Benchmark: monitor.match.Matcher against a naive regex matcher, in the same run.

    .venv/bin/python bench/bench_matcher.py [--rounds N]

Articles: the 59 real congan.com.vn articles of the replica's data, title + lead + body in the
archive's display form. Rule sets: the shipped rules plus eight realistic ones (10 rules, one
with ``accents = "fold"``, some with ``all``/``exclude``), and 1,000 rules whose keywords are
the articles' own two- and three-syllable phrases (seen 2 to 20 times, no function word at
either end; a fixed-seed sample). The naive matcher is what a first attempt would be: one
case-insensitive ``re`` alternation of every keyword, ``\\b``-bounded, over the NFC text — no
tone-mark or space normalisation, no word segmentation, no folding.

Timing: passes over all 59 articles, ours and the naive matcher taking turns pass by pass (so
both see the same load on a shared machine) until each has run for about a second, best of
several rounds; also in the process's CPU time, which leaves out what other processes on a
shared machine take from it. Each pass uses a fresh ``Matcher``, compiled beforehand with its
keywords segmented (``Matcher.prepare``: what a long-lived matcher — the daemon's, a
back-test's — has done once), so its cache of segmented windows starts empty, as for articles
the monitor has not seen; underthesea's model and dictionary are loaded before timing starts.
Segmenter use: calls to underthesea for windows around hits in one pass over the articles with
the lexicon gate (a hit's window is segmented only where a known word reaches into the hit and
cuts a word of the keyword) and without it (every candidate's, as before issue 15), and how
many hits differ.
Quality: precision and recall per (sentence, rule) on tests/data/match_labelled.tsv with the
shipped rules, and the share of tests/data/match_tricky.tsv each matcher gets right.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # runs without an installed package
from monitor.config import load_config  # noqa: E402
from monitor.config.schema import Rule  # noqa: E402
from monitor.match import Matcher  # noqa: E402
from monitor.match.fieldtext import split_field  # noqa: E402
from monitor.match.segment import Lexicon, UndertheseaSegmenter  # noqa: E402
from monitor.text import normalize_inline, normalize_paragraphs  # noqa: E402

ARTICLES = ROOT / "replica" / "data" / "articles.jsonl"
LABELLED = ROOT / "tests" / "data" / "match_labelled.tsv"
TRICKY = ROOT / "tests" / "data" / "match_tricky.tsv"
ROUND_SECONDS = 1.0
GENERATED_RULES = 1000
_FUNCTION_WORDS = (
    "của và các những là có được cho với trong đã để này đó từ một khi theo về tại thì mà nhưng"
    " cũng sẽ đang vào ra lên như không rất nhiều hơn đến bị do nên hay hoặc cùng trên dưới"
)
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split(" "))
EXTRA_RULES: list[dict[str, object]] = [
    {"name": "cong-an-tphcm", "keywords": ("Công an TPHCM", "CATP", "Công an Thành phố")},
    {"name": "ma-tuy", "keywords": ("ma túy", "chất ma túy", "Học đường không ma túy")},
    {"name": "an-ninh-mang", "keywords": ("an ninh mạng", "tội phạm công nghệ cao")},
    {"name": "chuyen-doi-so", "keywords": ("chuyển đổi số", "Đề án 06", "VNeID")},
    {"name": "bo-may", "keywords": ("sắp xếp", "tinh gọn bộ máy"), "all": ("chính quyền",)},
    {"name": "bao-chi", "keywords": ("báo chí cách mạng",), "exclude": ("quảng cáo",)},
    {"name": "cong-an-xa", "keywords": ("Công an xã",), "fields": ("title", "lead")},
    {"name": "dan-van-fold", "keywords": ("dan van", "van dong quan chung"), "accents": "fold"},
]

Fields = Mapping[str, str | None]


class NaiveMatcher:
    """One ``\\b``-bounded, case-insensitive alternation of every keyword over the NFC text."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = rules
        terms = {_key(t) for r in rules for t in (*r.keywords, *r.all, *r.exclude)}
        alternation = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        # a lookahead finds a match at every position, so overlapping keywords are all seen
        self._pattern = re.compile(rf"(?=\b({alternation})\b)", re.IGNORECASE)

    def matching_rules(self, fields: Fields) -> set[str]:
        text = unicodedata.normalize("NFC", "\n".join(t for t in fields.values() if t))
        found = {_key(match[1]) for match in self._pattern.finditer(text)}
        return {rule.name for rule in self._rules if _rule_holds(rule, found)}


class CountingSegmenter:
    """underthesea through the matcher's seam, counting its calls; with ``knows_words=False``
    it names no lexicon, so the matcher segments every candidate's sentence."""

    def __init__(self, knows_words: bool) -> None:
        self._inner = UndertheseaSegmenter()
        self._knows_words = knows_words
        self.calls = 0
        self.syllables = 0

    def words(self, sentence: str) -> list[tuple[int, int]]:
        self.calls += 1
        self.syllables += len(sentence.split())
        return self._inner.words(sentence)

    def lexicon(self) -> Lexicon | None:
        return self._inner.lexicon() if self._knows_words else None


def _key(term: str) -> str:
    return unicodedata.normalize("NFC", term).lower()


def _rule_holds(rule: Rule, found: set[str]) -> bool:
    return (
        any(_key(k) in found for k in rule.keywords)
        and all(_key(t) in found for t in rule.all)
        and not any(_key(t) in found for t in rule.exclude)
    )


def load_articles() -> list[dict[str, str | None]]:
    articles = []
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        articles.append(
            {
                "title": normalize_inline(record["title"]),
                "lead": normalize_inline(record["lead_raw"] or "") or None,
                "body": normalize_paragraphs(record["paragraphs_raw"]),
            }
        )
    return articles


def ten_rules(defaults: Sequence[Rule]) -> list[Rule]:
    return [*defaults, *(Rule.model_validate(extra) for extra in EXTRA_RULES)]


def generated_rules(articles: list[dict[str, str | None]], count: int) -> list[Rule]:
    """``count`` one-keyword rules from the articles' frequent two- and three-syllable phrases."""
    counts, shown = _phrases(articles)
    pool = sorted(key for key, seen in counts.items() if 2 <= seen <= 20)
    sample = random.Random(20250101).sample(pool, min(count, len(pool)))
    return [
        Rule.model_validate({"name": f"gen-{i:04d}", "keywords": (shown[key],)})
        for i, key in enumerate(sample)
    ]


def _phrases(articles: list[dict[str, str | None]]) -> tuple[Counter[str], dict[str, str]]:
    """Plausible phrases by matching form: how often each occurs, and how it was written."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for article in articles:
        for paragraph in split_field("\n\n".join(t for t in article.values() if t)):
            keys = paragraph.syllables("exact")
            spans = list(zip(paragraph.starts, paragraph.ends, strict=True))
            for size in (2, 3):
                for i in range(len(keys) - size + 1):
                    if _plausible(keys[i : i + size]):
                        key = " ".join(keys[i : i + size])
                        counts[key] += 1
                        words = (paragraph.text[a:b] for a, b in spans[i : i + size])
                        shown.setdefault(key, " ".join(words))
    return counts, shown


def _plausible(words: list[str]) -> bool:
    return all(w.isalpha() for w in words) and not FUNCTION_WORDS & {words[0], words[-1]}


def articles_per_second(
    makers: Mapping[str, Callable[[], Callable[[Fields], object]]],
    articles: list[dict[str, str | None]],
    rounds: int,
) -> dict[str, tuple[float, float]]:
    """Best of ``rounds`` for each matcher, in wall-clock and in CPU time (the process's: what
    other processes on a shared machine take from it is left out). In a round, the matchers
    take turns, one pass over every article each, until each has run for about
    ``ROUND_SECONDS`` — so that both sides of a ratio see the same load."""
    best = dict.fromkeys(makers, (0.0, 0.0))
    for _ in range(rounds):
        passes = dict.fromkeys(makers, 0)
        elapsed, cpu = dict.fromkeys(makers, 0.0), dict.fromkeys(makers, 0.0)
        while min(elapsed.values()) < ROUND_SECONDS:
            for name, make in makers.items():
                match = make()  # compiled outside the timed part
                start, start_cpu = time.perf_counter(), time.process_time()
                for article in articles:
                    match(article)
                elapsed[name] += time.perf_counter() - start
                cpu[name] += time.process_time() - start_cpu
                passes[name] += 1
        for name in makers:
            done = passes[name] * len(articles)
            wall, used = best[name]
            best[name] = (max(wall, done / elapsed[name]), max(used, done / max(cpu[name], 1e-9)))
    return best


def segmenter_use(rules: Sequence[Rule], articles: list[dict[str, str | None]]) -> str:
    """Segmenter calls and syllables in one pass with the lexicon gate and without, and how
    many hits differ."""
    gated, always = CountingSegmenter(knows_words=True), CountingSegmenter(knows_words=False)
    fast, slow = Matcher(rules, segmenter=gated), Matcher(rules, segmenter=always)
    fast.prepare()
    slow.prepare()
    gated.calls = gated.syllables = always.calls = always.syllables = 0  # windows only
    hits = differing = 0
    for article in articles:
        ours, reference = set(fast.match(article)), set(slow.match(article))
        hits += len(reference)
        differing += len(ours ^ reference)
    return (
        f"windows segmented {gated.calls} ({gated.syllables:,} syllables) with the lexicon gate"
        f" vs {always.calls} ({always.syllables:,}) without; {differing} of {hits} hits differ"
    )


def _ours(rules: Sequence[Rule]) -> Callable[[], Callable[[Fields], object]]:
    def make() -> Callable[[Fields], object]:
        matcher = Matcher(rules)
        matcher.prepare()  # compiling: the keywords segmented, as a long-lived matcher has them
        return matcher.match

    return make


def _naive(rules: Sequence[Rule]) -> Callable[[], Callable[[Fields], object]]:
    return lambda: NaiveMatcher(rules).matching_rules


def _decode(cell: str) -> str:
    escapes = {"n": "\n", "r": "\r"}
    return re.sub(
        r"\\(u[0-9a-fA-F]{4}|n|r)", lambda m: escapes.get(m[1]) or chr(int(m[1][1:], 16)), cell
    )


def _rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def precision_recall(matching_rules: Callable[[Fields], set[str]]) -> tuple[float, float]:
    """Per (sentence, rule) precision and recall on the labelled sentences."""
    hits = false_hits = misses = 0
    for sentence, labels, _note in _rows(LABELLED):
        expected = set(filter(None, labels.split(",")))
        found = matching_rules({"body": sentence})
        hits += len(found & expected)
        false_hits += len(found - expected)
        misses += len(expected - found)
    return hits / max(hits + false_hits, 1), hits / max(hits + misses, 1)


def tricky_correct(naive: bool) -> tuple[int, int]:
    """How many tricky cases come out right (a match where one is expected, none otherwise)."""
    correct = 0
    rows = _rows(TRICKY)
    for text, keyword, accents, expected, _note in rows:
        rule = Rule.model_validate(
            {"name": "t", "keywords": (_decode(keyword),), "accents": accents}
        )
        matcher = NaiveMatcher([rule]) if naive else Matcher([rule])
        matched = bool(matcher.matching_rules({"body": _decode(text)}))
        correct += matched == (expected != "-")
    return correct, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    articles = load_articles()
    defaults = load_config(None).rules
    sets = {"10 rules": ten_rules(defaults)}
    sets["1000 rules"] = generated_rules(articles, GENERATED_RULES)
    warm = UndertheseaSegmenter()
    warm.words("bàn về dân vận.")  # loads underthesea's model (once per process)
    warm.lexicon()  # and its dictionary
    size = sum(len(t or "") for a in articles for t in a.values()) / len(articles)
    print(f"{len(articles)} articles, mean {size:.0f} characters; best of {args.rounds} rounds")
    speeds = {}
    for label, rules in sets.items():
        started = time.perf_counter()
        Matcher(rules).prepare()
        compiled = time.perf_counter() - started
        speed = articles_per_second(
            {"ours": _ours(rules), "naive": _naive(rules)}, articles, args.rounds
        )
        (ours, ours_cpu), (naive, naive_cpu) = speed["ours"], speed["naive"]
        speeds[label] = (ours, naive)
        print(
            f"{label}: compile (keywords segmented) {compiled * 1000:.0f} ms;"
            f" {ours:.0f} vs naive {naive:.0f} art/s;"
            f" in CPU time {ours_cpu:.0f} vs {naive_cpu:.0f} ({ours_cpu / naive_cpu:.2f}x)"
        )
        print(f"{label}: {segmenter_use(rules, articles)}")
    ours_pr = precision_recall(Matcher(defaults).matching_rules)
    naive_pr = precision_recall(NaiveMatcher(defaults).matching_rules)
    (ours_ok, total), (naive_ok, _) = tricky_correct(naive=False), tricky_correct(naive=True)
    ratios = "; ".join(
        f"{label} {ours:.0f} art/s vs naive {naive:.0f} art/s ({ours / naive:.2f}x)"
        for label, (ours, naive) in speeds.items()
    )
    print(
        f"matcher: {ratios}; precision/recall ours {ours_pr[0]:.3f}/{ours_pr[1]:.3f} vs naive"
        f" {naive_pr[0]:.3f}/{naive_pr[1]:.3f} ({len(_rows(LABELLED))} labelled sentences);"
        f" tricky cases ours {ours_ok}/{total} vs naive {naive_ok}/{total}"
    )


if __name__ == "__main__":
    main()
