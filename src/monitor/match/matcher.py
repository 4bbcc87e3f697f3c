"""The matcher: every rule's keywords found in one pass per field, each hit checked for words.

``Matcher(rules)`` compiles every keyword, ``all`` and ``exclude`` term of every rule into one
automaton per accent mode (``terms.Scanner``); ``match`` scans each field once per mode in use
(whole, when it is in the archive's stored form: ``fieldtext.Field``), asks the
``BoundaryJudge`` about each candidate (segmenting a window around the hit only where its word
boundary is in doubt), and applies each rule's ``all``, ``exclude``, ``fields`` and
``sections``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from monitor.config.schema import Rule
from monitor.match.boundary import BoundaryJudge
from monitor.match.fieldtext import Field, Paragraph
from monitor.match.segment import Segmenter, UndertheseaSegmenter
from monitor.match.sentences import snippet
from monitor.match.terms import KINDS, Scanner, Term, make_term

__all__ = ["FIELDS", "Hit", "Matcher"]

FIELDS = ("title", "lead", "body")


@dataclass(frozen=True)
class Hit:
    """One keyword of one matching rule, found in one field.

    ``start``/``end`` are offsets into the field text exactly as passed to ``Matcher.match``
    (for the archive's normalised text, offsets into the stored text). ``snippet`` is the
    sentence around the hit in display form, cut to about 300 characters around it.
    """

    rule: str
    keyword: str  # as written in the rule
    field: str  # "title" | "lead" | "body"
    start: int
    end: int
    snippet: str


@dataclass(frozen=True)
class _Use:
    """Where a term comes from: rule ``rule``'s list ``role``, item ``index``."""

    rule: int
    role: str  # "keywords" | "all" | "exclude"
    index: int
    keyword: str


class _Candidate(NamedTuple):  # made for every find: a tuple is the cheapest to make
    field: str
    number: int  # the paragraph's position in its field
    paragraph: Paragraph
    term_id: int
    first: int  # syllable
    use: _Use


class Matcher:
    """Keyword rules compiled once; ``match`` says which rules an article matches, and where."""

    def __init__(self, rules: Sequence[Rule], *, segmenter: Segmenter | None = None) -> None:
        self._rules = tuple(rules)
        self._terms: list[Term] = []
        self._uses: list[list[_Use]] = []
        term_ids: dict[tuple[str, str], int] = {}
        for index, rule in enumerate(self._rules):
            for role in ("keywords", "all", "exclude"):
                for position, keyword in enumerate(getattr(rule, role)):
                    use = _Use(index, role, position, keyword)
                    self._add(make_term(keyword, rule.accents), use, term_ids)
        self._scanners = _scanners(self._terms)
        self._fields = [frozenset(rule.fields) for rule in self._rules]
        self._active: dict[str | None, frozenset[int]] = {}
        self._lookers: dict[tuple[frozenset[int], str], frozenset[int]] = {}
        self._judge = BoundaryJudge(segmenter or UndertheseaSegmenter())

    def _add(self, term: Term, use: _Use, term_ids: dict[tuple[str, str], int]) -> None:
        key = (term.kind, term.text)
        if key not in term_ids:
            term_ids[key] = len(self._terms)
            self._terms.append(term)
            self._uses.append([])
        self._uses[term_ids[key]].append(use)

    def prepare(self) -> None:
        """Do now the part of compiling that otherwise waits for the first hit of each
        keyword: segmenting the keywords (loading underthesea's model on first use). The
        results are the same either way; a benchmark calls this so as to time matching alone.
        """
        exact = [term.text for term in self._terms if term.kind == "exact" and term.length > 1]
        self._judge.prepare(exact)

    def match(self, fields: Mapping[str, str | None], *, section: str | None = None) -> list[Hit]:
        """Every hit of every rule the article matches, ordered by field, then offset.

        ``fields`` maps "title", "lead" and "body" to their text (other keys are ignored);
        raw text is normalised here, paragraph by paragraph. A rule with ``sections`` applies
        only when ``section`` is one of them. A hit inside a longer hit of the same rule (
        "dân vận" inside "Ban Dân vận") is left out.
        """
        active = self._active.get(section)
        if active is None:
            active = frozenset(i for i, rule in enumerate(self._rules) if _applies(rule, section))
            self._active[section] = active
        if not active:
            return []
        verdicts: dict[tuple[str, int, int, int], bool] = {}
        hits = []
        for index, candidates in self._candidates(fields, active).items():
            hits += self._rule_hits(self._rules[index], candidates, verdicts)
        return sorted(hits, key=lambda hit: (FIELDS.index(hit.field), hit.start, hit.end, hit.rule))

    def matching_rules(
        self, fields: Mapping[str, str | None], *, section: str | None = None
    ) -> set[str]:
        """The names of the rules the article matches."""
        return {hit.rule for hit in self.match(fields, section=section)}

    def _candidates(
        self, fields: Mapping[str, str | None], active: frozenset[int]
    ) -> dict[int, list[_Candidate]]:
        """Syllable-level occurrences of every active rule's terms, by rule."""
        found: dict[int, list[_Candidate]] = defaultdict(list)
        for field in FIELDS:
            text = fields.get(field)
            if not text:
                continue
            looking, whole = self._looking(active, field), Field(text)
            for scanner in self._scanners:
                for number, paragraph, term_id, first in scanner.find_in(whole):
                    for use in self._uses[term_id]:
                        if use.rule in looking:
                            candidate = _Candidate(field, number, paragraph, term_id, first, use)
                            found[use.rule].append(candidate)
        return found

    def _looking(self, active: frozenset[int], field: str) -> frozenset[int]:
        """The active rules that look in ``field``."""
        key = (active, field)
        looking = self._lookers.get(key)
        if looking is None:
            looking = frozenset(i for i in active if field in self._fields[i])
            self._lookers[key] = looking
        return looking

    def _rule_hits(
        self,
        rule: Rule,
        candidates: list[_Candidate],
        verdicts: dict[tuple[str, int, int, int], bool],
    ) -> list[Hit]:
        """The rule's hits if it matches: a keyword, every ``all`` term, no ``exclude`` term."""

        def real(candidate: _Candidate) -> bool:
            key = (candidate.field, candidate.number, candidate.term_id, candidate.first)
            verdict = verdicts.get(key)
            if verdict is None:
                term = self._terms[candidate.term_id]
                verdict = self._judge.accepts(candidate.paragraph, term, candidate.first)
                verdicts[key] = verdict
            return verdict

        if not rule.all and not rule.exclude:  # every candidate is of a keyword
            keywords = [candidate for candidate in candidates if real(candidate)]
            return [self._hit(rule, candidate) for candidate in self._outermost(keywords)]
        by_role: dict[str, list[_Candidate]] = defaultdict(list)
        for candidate in candidates:
            by_role[candidate.use.role].append(candidate)
        keywords = [candidate for candidate in by_role["keywords"] if real(candidate)]
        if not keywords:
            return []
        for index in range(len(rule.all)):
            if not any(c.use.index == index and real(c) for c in by_role["all"]):
                return []
        if any(real(candidate) for candidate in by_role["exclude"]):
            return []
        return [self._hit(rule, candidate) for candidate in self._outermost(keywords)]

    def _outermost(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """The candidates not inside a longer (or the same) one of the same paragraph."""
        if len(candidates) < 2:
            return candidates

        def order(c: _Candidate) -> tuple[int, int, int, int]:
            return FIELDS.index(c.field), c.number, c.first, -self._terms[c.term_id].length

        kept: list[_Candidate] = []
        reach: dict[tuple[str, int], int] = {}  # furthest syllable end so far, per paragraph
        for c in sorted(candidates, key=order):
            end = c.first + self._terms[c.term_id].length
            if end > reach.get((c.field, c.number), -1):
                kept.append(c)
                reach[(c.field, c.number)] = end
        return kept

    def _hit(self, rule: Rule, candidate: _Candidate) -> Hit:
        paragraph = candidate.paragraph
        last = candidate.first + self._terms[candidate.term_id].length - 1
        start, end = paragraph.starts[candidate.first], paragraph.ends[last]
        source_start, source_end = paragraph.source_span(start, end)
        text = snippet(paragraph.text, start, end, paragraph.sentences)
        field = candidate.field
        return Hit(rule.name, candidate.use.keyword, field, source_start, source_end, text)


def _scanners(terms: list[Term]) -> list[Scanner]:
    """One scanner per accent mode in use, each holding that mode's terms."""
    scanners = [
        Scanner(kind, [(i, t) for i, t in enumerate(terms) if t.kind == kind]) for kind in KINDS
    ]
    return [scanner for scanner in scanners if scanner.size]


def _applies(rule: Rule, section: str | None) -> bool:
    return not rule.sections or section in rule.sections
