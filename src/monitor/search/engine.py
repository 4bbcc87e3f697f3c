"""Searching the archive: compile the query, run it, and show each hit's sentence, highlighted.

    recent = ArticleFilter(since=date(2025, 3, 1))
    hits = search_archive(archive, '"Thủ Đức" OR "thu duc" -"giao thông"', recent)
    hits[0].snippet          # '… Công an «Thủ Đức» ra quân …' (for a terminal, CSV, JSON)
    hits[0].highlight        # the same snippet unmarked, with the match's offsets (for <mark>)

The snippet is the sentence (cut to about ``SNIPPET_CHARS`` characters around the match)
holding the first occurrence of a positive term, looking in the title, then the lead, then
the body. The occurrence is found in ``matching_form`` (terms with marks) or ``fold`` (terms
without) of the *stored* text: both keep its length, so the highlight falls on the original
characters, marks and capitals as published. A term that is not found the way it was searched
(a marked term inside an OR group searched without marks) is looked for folded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.archive import Archive, ArticleFilter
from monitor.archive.rows import RankedArticle
from monitor.match.sentences import around, sentence_spans, window_bounds
from monitor.search.query import compile_query, is_folded, term_pattern
from monitor.text import fold, matching_form

__all__ = ["SNIPPET_CHARS", "Highlight", "SearchHit", "highlight", "search_archive"]

SNIPPET_CHARS = 200
FIELDS = ("title", "lead", "body")
MARKS = ("«", "»")


@dataclass(frozen=True)
class Highlight:
    """A snippet without marks, and where the match lies: in it, and in the stored field."""

    text: str  # the sentence around the match, "…" where it was cut
    start: int | None  # the match in ``text`` (None: no term found, ``text`` is the opening)
    end: int | None
    field: str | None  # title, lead or body
    field_start: int | None  # the match in the stored field
    field_end: int | None

    def marked(self, before: str = MARKS[0], after: str = MARKS[1]) -> str:
        """``text`` with the match wrapped in ``before`` … ``after``."""
        if self.start is None or self.end is None:
            return self.text
        head, match, tail = (
            self.text[: self.start],
            self.text[self.start : self.end],
            self.text[self.end :],
        )
        return f"{head}{before}{match}{after}{tail}"


@dataclass(frozen=True)
class SearchHit:
    """One article found: what a result list shows, best first."""

    article_id: int
    title: str
    section: str
    published_at: str
    url: str
    snippet: str  # the highlighted sentence: «match»
    score: float  # relevance: minus the BM25 (sum), higher is better
    highlight: Highlight
    published_precision: str = "minute"  # "day": the page gave no time of day


def search_archive(
    archive: Archive,
    text: str,
    filters: ArticleFilter | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    """Search ``archive`` for what the user typed among the articles ``filters`` select (all
    by default); ``InputError`` for an unusable query."""
    compiled = compile_query(text)
    rows = archive.index.search(compiled, limit=limit, offset=offset, filters=filters)
    return [_hit(row, compiled.terms) for row in rows]


def _hit(row: RankedArticle, terms: tuple[str, ...]) -> SearchHit:
    """A result row of ``Archive.search`` as a hit, with its highlighted snippet."""
    shown = highlight({name: getattr(row, name) or "" for name in FIELDS}, terms)
    return SearchHit(
        article_id=row.article_id,
        title=row.title,
        section=row.section,
        published_at=row.published_at or "",
        url=row.url,
        snippet=shown.marked(),
        score=round(row.score, 4),
        highlight=shown,
        published_precision=row.published_precision or "minute",
    )


def highlight(fields: dict[str, str], terms: tuple[str, ...]) -> Highlight:
    """The snippet around the first occurrence of a term in title, lead, body (in order)."""
    # Each term as it was searched, paragraph by paragraph (the hit is usually early); else
    # every term folded over whole fields (an OR group searched folded, a phrase across a
    # paragraph break: FTS5 ignores the break).
    for any_way in (False, True):
        for name in FIELDS:
            text = fields.get(name) or ""
            for origin, part in [(0, text)] if any_way else _paragraphs(text):
                found = _first(part, terms, fold_all=any_way)
                if found is not None:
                    return _snippet(text, name, origin + found[0], origin + found[1])
    opening = fields.get("lead") or fields.get("body") or fields.get("title") or ""
    return Highlight(_cut(opening), None, None, None, None, None)


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """``(offset, paragraph)`` of each paragraph (the archive separates them by a blank line)."""
    found, origin = [], 0
    for paragraph in text.split("\n\n"):
        found.append((origin, paragraph))
        origin += len(paragraph) + 2
    return found


def _first(text: str, terms: tuple[str, ...], *, fold_all: bool) -> tuple[int, int] | None:
    """The earliest ``(start, end)`` of any term in ``text``, or ``None``."""
    forms: dict[bool, str] = {}
    best: tuple[int, int] | None = None
    for term in terms:
        compiled = _pattern(term, fold_all=fold_all)
        if compiled is None:
            continue
        pattern, folded = compiled
        if folded not in forms:
            forms[folded] = fold(text) if folded else matching_form(text)
        found = pattern.search(forms[folded])
        if found and (best is None or found.start() < best[0]):
            best = found.span()
    return best


def _pattern(term: str, *, fold_all: bool) -> tuple[re.Pattern[str], bool] | None:
    """The term's pattern in its searched form (folded when ``fold_all``); and whether folded."""
    folded = fold_all or is_folded(term)
    pattern = term_pattern(term, folded=folded)
    return (pattern, folded) if pattern is not None else None


def _snippet(text: str, field: str, start: int, end: int) -> Highlight:
    """The sentence of ``text`` around ``[start, end)``, cut to about ``SNIPPET_CHARS``."""
    first = text.rfind("\n\n", 0, start)
    first = 0 if first < 0 else first + 2
    last = text.find("\n\n", end)
    last = len(text) if last < 0 else last
    paragraph = text[first:last]
    left, right = around(sentence_spans(paragraph), start - first, end - first, len(paragraph))
    left, right = left + first, right + first
    if right - left > SNIPPET_CHARS:
        left, right = window_bounds(text, start, end, left, right, SNIPPET_CHARS)
    prefix = "… " if left > first else ""
    suffix = " …" if right < last else ""
    shown = text[left:right].replace("\n", " ")  # same length: the offsets hold
    offset = len(prefix) - left
    return Highlight(f"{prefix}{shown}{suffix}", start + offset, end + offset, field, start, end)


def _cut(text: str) -> str:
    """The opening of ``text``: its first paragraph, at most about ``SNIPPET_CHARS``."""
    paragraph = text.split("\n\n", 1)[0]
    if len(paragraph) <= SNIPPET_CHARS:
        return paragraph
    space = paragraph.rfind(" ", 0, SNIPPET_CHARS)
    return paragraph[: space if space > 0 else SNIPPET_CHARS] + " …"
