"""Check: segmenting a window of N syllables either side of a doubtful hit decides it as
segmenting its whole sentence does — on every candidate of the bench's articles and the tests'
labelled and tricky sentences.

    .venv/bin/python bench/check_window.py [--contexts 1,2,2:3,3,4,6,8] [--ungated]

For each corpus, every candidate the matcher's scanners find (keywords, ``all`` and ``exclude``
terms alike) is judged by a ``BoundaryJudge`` segmenting whole sentences and by one segmenting
windows of N syllables either side of the hit, or B before and A after it (``B:A``;
``boundary.CONTEXT`` is the one the matcher uses); the script prints,
for each N, how many verdicts differ, how many windows were segmented and their syllables
against the whole sentences'. Corpora: the 59 articles with bench_matcher's ten rules and with
its 1,000 generated rules; tests/data/match_labelled.tsv with the shipped rules; each row of
tests/data/match_tricky.tsv with its own keyword (the bar: no difference there).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tests")]  # no installed package
from bench.bench_matcher import (  # noqa: E402
    CountingSegmenter,
    generated_rules,
    load_articles,
    ten_rules,
)
from monitor.config import load_config  # noqa: E402
from monitor.config.schema import Rule  # noqa: E402
from monitor.match.boundary import CONTEXT, BoundaryJudge, Context  # noqa: E402
from monitor.match.fieldtext import Paragraph, split_field  # noqa: E402
from monitor.match.terms import KINDS, Scanner, Term, make_term  # noqa: E402

from match_support import data_rows, decode_cell  # noqa: E402

Candidate = tuple[Paragraph, Term, int]


@dataclass(frozen=True)
class Corpus:
    """Texts and the rules whose terms are looked for in them."""

    name: str
    texts: list[str]
    rules: list[Rule]


def candidates(corpus: Corpus) -> Iterator[Candidate]:
    """Every candidate of every term of the corpus's rules, as the matcher finds them."""
    terms = {
        (term.kind, term.text): term
        for rule in corpus.rules
        for keyword in (*rule.keywords, *rule.all, *rule.exclude)
        for term in [make_term(keyword, rule.accents)]
    }
    listed = list(enumerate(terms.values()))
    scanners = [Scanner(kind, [(i, t) for i, t in listed if t.kind == kind]) for kind in KINDS]
    for text in corpus.texts:
        for paragraph in split_field(text):
            for scanner in scanners:
                for term_id, first in scanner.find(paragraph):
                    yield paragraph, listed[term_id][1], first


def compare(
    found: Sequence[Candidate], context: Context | None, gated: bool
) -> tuple[list[bool], str]:
    """The verdicts with ``context``, and what was segmented for them; ``gated=False``
    segments every candidate's window (the lexicon gate off: many more windows tried)."""
    segmenter = CountingSegmenter(knows_words=gated)
    judge = BoundaryJudge(segmenter, context=context)
    verdicts = [judge.accepts(paragraph, term, first) for paragraph, term, first in found]
    return verdicts, f"{segmenter.calls} calls, {segmenter.syllables:,} syllables"


def corpora() -> list[Corpus]:
    articles = load_articles()
    texts = ["\n\n".join(text for text in article.values() if text) for article in articles]
    shipped = list(load_config(None).rules)
    labelled = [sentence for sentence, _labels, _note in data_rows("match_labelled.tsv")]
    found = [
        Corpus("articles, ten rules", texts, ten_rules(shipped)),
        Corpus("articles, 1,000 rules", texts, generated_rules(articles, 1000)),
        Corpus("labelled sentences, shipped rules", labelled, shipped),
    ]
    for number, (text, keyword, accents, _expected, _note) in enumerate(
        data_rows("match_tricky.tsv")
    ):
        rule = Rule.model_validate(
            {"name": "t", "keywords": (decode_cell(keyword),), "accents": accents}
        )
        found.append(Corpus(f"tricky #{number}", [decode_cell(text)], [rule]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sizes = sorted({(1, 1), (2, 2), (3, 3), CONTEXT, (4, 4), (6, 6), (8, 8)})
    default = ",".join(map(_name, sizes))
    parser.add_argument("--contexts", default=default, help="windows to compare: N or B:A")
    parser.add_argument("--ungated", action="store_true", help="segment every candidate")
    options = parser.parse_args()
    contexts = [_context(text) for text in options.contexts.split(",")]
    gated = not options.ungated
    tricky = {n: 0 for n in contexts}
    tricky_candidates = 0
    for corpus in corpora():
        found = list(candidates(corpus))
        reference, whole = compare(found, None, gated)
        lines = []
        for context in contexts:
            verdicts, used = compare(found, context, gated)
            differ = sum(a != b for a, b in zip(verdicts, reference, strict=True))
            if corpus.name.startswith("tricky"):
                tricky[context] += differ
            lines.append(f"  {_name(context)}: {differ} differ; {used}")
        if corpus.name.startswith("tricky"):
            tricky_candidates += len(found)
            continue
        print(f"{corpus.name}: {len(found):,} candidates; whole sentences: {whole}")
        print("\n".join(lines))
    print(f"tricky cases: {tricky_candidates} candidates")
    print("\n".join(f"  {_name(n)}: {differ} differ" for n, differ in tricky.items()))


def _context(text: str) -> Context:
    """``"N"`` (N syllables either side) or ``"B:A"`` (B before the hit, A after it)."""
    before, _, after = text.partition(":")
    return int(before), int(after or before)


def _name(context: Context) -> str:
    before, after = context
    return f"N={before}" if before == after else f"{before} before, {after} after"


if __name__ == "__main__":
    main()
