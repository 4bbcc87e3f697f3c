"""Which archived articles the matcher has to read: those holding a keyword of some rule, found
through the archive's FTS5 indexes (``monitor.archive.fts``) in one query per accent mode.

A rule matches an article only when one of its ``keywords`` is in one of its ``fields``;
``all``, ``exclude`` and ``sections`` only take matches away. So an article the index finds no
keyword of any rule in matches nothing, and need not be read: back-tests (``rules test
--since/--all``, ``rules diff``) read the candidates only (``articles_to_read``), and matching
records every other due article as matching nothing in one statement (``select_for_matching``):
what matching it would have recorded.

How a keyword is looked up, and why the index finds every article the matcher would match:

- **In the form the matcher compares.** The keyword is compiled by ``make_term``, as the
  matcher compiles it, in its rule's accent mode: an ``exact`` keyword is looked up in
  ``articles_fts_exact`` (the text's ``matching_form``: lower case, one tone-mark style, ``đ``
  kept), a ``fold`` keyword in ``articles_fts_folded`` (``fold``: no marks, ``đ`` → ``d``).
- **As syllables, whatever separates them.** A keyword of two or more syllables is the phrase
  of its syllable pairs (``"dân\\ue000vận"``). The tables' pair columns hold every two
  adjacent syllables of a field, cut by the matcher's own syllable pattern
  (``monitor.text.SYLLABLE``) whatever lies between them (a space, a hyphen, a comma), so the
  index finds ``covid 19`` for ``covid-19`` and the matcher decides. A one-syllable keyword is
  the token itself, in the syllable columns.
- **In the rule's fields**: a rule that looks in some fields only is looked up in their
  columns (an FTS5 column filter).
- **Or not at all.** A keyword holding a character that was not already a letter or a digit in
  Unicode 3.2 (``unicodedata.ucd_3_2_0``) might be cut differently by SQLite's ``unicode61``
  tokenizer and Python's ``re``: such a query is ``searchable=False``, and every article is
  read, as without the index.

This relies on the archive's text being in display form (NFC, no format characters), as
ingestion stores it (``monitor.text``): the index is built from the stored text, while the
matcher normalises what it reads. One case escapes the index: a one-syllable keyword written
against a private-use character (U+E000–U+F8FF, icon fonts) with no space between, as
``unicode61`` takes private-use characters for letters and indexes the two as one token.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from monitor.archive import Archive
from monitor.archive.fts import FIELDS, columns_of
from monitor.archive.rows import StoredArticle
from monitor.config.schema import Rule
from monitor.match.terms import Term, make_term
from monitor.text import SYLLABLE, syllable_pairs

__all__ = [
    "CandidateQuery",
    "Rematch",
    "articles_to_read",
    "candidate_query",
    "select_for_matching",
]


@dataclass(frozen=True)
class CandidateQuery:
    """The FTS5 MATCH expressions that find every article a rule set could match: an article
    is a candidate when it matches ``exact`` (in ``articles_fts_exact``) or ``folded`` (in
    ``articles_fts_folded``); ``None`` where no keyword is of that accent mode."""

    exact: str | None
    folded: str | None
    searchable: bool = True  # False: a keyword the index cannot look up; read every article


@dataclass(frozen=True)
class Rematch:
    """Matched articles to match again: those published since ``since_iso``, or all (None)."""

    since_iso: str | None = None


def candidate_query(rules: Sequence[Rule]) -> CandidateQuery:
    """The query finding every article that holds a keyword of one of ``rules``."""
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for rule in rules:
        for keyword in rule.keywords:
            phrase = fts_phrase(make_term(keyword, rule.accents))
            if phrase is None:
                return CandidateQuery(None, None, searchable=False)
            groups.setdefault((rule.accents, columns_of(rule.fields)), []).append(phrase)
    return CandidateQuery(
        exact=_expression(groups, "exact"), folded=_expression(groups, "fold"), searchable=True
    )


def fts_phrase(term: Term) -> str | None:
    """The FTS5 phrase finding ``term`` in its table: its syllable pairs, or its one syllable;
    ``None`` when the index cannot be trusted to cut it as the matcher does."""
    syllables = SYLLABLE.findall(term.text)
    if not syllables or not all(_indexable(syllable) for syllable in syllables):
        return None
    tokens = " ".join(syllable_pairs(term.text)) or syllables[0]
    return f'"{tokens}"'  # syllables hold letters and digits only: nothing to escape


def _indexable(syllable: str) -> bool:
    """Whether every character was a letter or a digit in Unicode 3.2 already, so that
    ``unicode61`` keeps it inside a token whatever Unicode version its tables follow."""
    return all(unicodedata.ucd_3_2_0.category(char)[0] in "LN" for char in syllable)


def _expression(groups: dict[tuple[str, tuple[str, ...]], list[str]], kind: str) -> str | None:
    """``{title title_pairs} : ("a" OR "b") OR ("c")``: each group's phrases, in its columns."""
    parts = []
    for (accents, columns), phrases in groups.items():
        if accents != kind:
            continue
        alternatives = "(" + " OR ".join(dict.fromkeys(phrases)) + ")"
        every_field = len(columns) == 2 * len(FIELDS)
        parts.append(alternatives if every_field else f"{{{' '.join(columns)}}} : {alternatives}")
    return " OR ".join(parts) or None


def select_for_matching(
    archive: Archive,
    rules: Sequence[Rule],
    rematch: Rematch | None = None,
    *,
    through_index: bool = True,
) -> int:
    """Make due for matching exactly the articles the matcher must read; returns how many due
    articles were recorded as matching nothing without being read.

    Due are the articles not matched in their current form and, with ``rematch``, those it
    names. Through the index, the due articles holding no keyword of ``rules`` are recorded
    as matching nothing (old matches removed, ``on_topic`` cleared, matched) in one
    transaction, and only the others are left due. Without it (``through_index=False``, or a
    keyword the index cannot look up), ``rematch``'s articles are all made due, as before.
    """
    query = candidate_query(rules)
    if through_index and query.searchable:
        since = rematch.since_iso if rematch else None
        return archive.alerts.settle_unmatched(query, rematch=rematch is not None, since_iso=since)
    if rematch is not None:
        archive.alerts.forget_matched(rematch.since_iso)
    return 0


def articles_to_read(
    archive: Archive,
    rules: Sequence[Rule],
    since_iso: str | None = None,
    *,
    through_index: bool = True,
) -> Iterator[StoredArticle]:
    """The articles published since ``since_iso`` (all when None) that ``rules`` could match,
    oldest published first: through the index, those holding a keyword of a rule; without it
    (``through_index=False``, or a keyword the index cannot look up), every one of them."""
    query = candidate_query(rules)
    if through_index and query.searchable:
        return archive.articles.articles_by_id(archive.index.candidate_ids(query, since_iso))
    return archive.articles.articles_since(since_iso)


def ids_to_read(
    archive: Archive,
    rules: Sequence[Rule],
    since_iso: str | None = None,
    *,
    through_index: bool = True,
) -> list[int]:
    """The ids of ``articles_to_read``, in its order (a back-test's progress counts them)."""
    query = candidate_query(rules)
    if through_index and query.searchable:
        return archive.index.candidate_ids(query, since_iso)
    return archive.articles.recent_article_ids(since_iso)[::-1]
