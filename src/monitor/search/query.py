"""The search query language: what an analyst types, compiled to two FTS5 MATCH expressions.

Pure: no SQL is run here. The rules, with examples:

- **A run of words is one phrase.** Everything typed between two operators (a comma, a
  quote, ``OR``, a leading ``-``) is one phrase, as Vietnamese is typed: ``dân vận khéo``
  finds the three syllables side by side, never ``dân`` here and ``vận`` there.
- **Commas and quotes separate terms; every term is required.** ``dân vận, Thủ Đức`` and
  ``"dân vận" "Thủ Đức"`` both want the two phrases in the same article, anywhere.
- **OR** (upper case, a word by itself) between terms: either will do.
  ``"Thủ Đức" OR "thu duc" -"giao thông"``; ``dân vận OR dân quân, Thủ Đức``. OR binds
  tighter than the implicit AND: ``a OR b, c`` means (a or b) and c.
- **-term** / **-"phrase"** at the start of a term excludes articles holding it:
  ``công an -giao thông`` (the minus covers the run up to the next operator). A ``-`` inside
  or after a word (``covid-19``, ``Bà Rịa - Vũng Tàu``) is just a separator. An excluded term
  cannot be a side of OR, and a query needs at least one term that is not excluded.
- **Marks decide the table.** A term typed without any diacritic and without ``đ`` is
  accent-insensitive (the folded table): ``thu duc`` finds ``Thủ Đức``, ``dang uy`` finds
  ``Đảng ủy``. A term with marks is exact in matching form (lower case, one tone-mark style):
  ``đang`` does not find ``Đảng``, ``hoà`` finds ``hòa``. A query may mix both; then both
  expressions are produced and the caller keeps the articles matching both. Case never matters.
- An OR group that mixes both kinds is searched accent-insensitively as a whole (its marked
  terms folded). An excluded term with marks is exact when the query also has a positive term
  with marks; otherwise (``thu duc -"giao thông"``) it is folded too, and so also excludes
  ``giao thong`` written without marks.
- **Tokens are syllables**: after NFC and the display normalisation, anything that is not a
  letter or a digit separates syllables, so FTS5 syntax typed by the user (``NEAR``, ``*``,
  ``^``, ``:``, parentheses, column names) is searched as plain words, never obeyed. An
  unclosed quote runs to the end of the query. Typographic quotes ``“ ” „`` work as ``"``.

Every FTS5 string is built from syllables produced here, each phrase double-quoted (quotes
doubled, though a syllable never holds one): user text is never pasted into a query. A phrase
of two or more syllables is written as its syllable pairs, which the tables index as tokens
(``monitor.text.syllable_pairs``): the same articles as the phrase of syllables, found fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from monitor.errors import InputError
from monitor.text import SYLLABLE, fold, matching_form, normalize_inline, syllable_pairs

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "CompiledQuery",
    "compile_query",
    "is_folded",
    "occurrences",
    "syllables",
    "term_pattern",
]

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32

_QUOTES = '"“”„'
_LEXEME = re.compile(
    rf"""
      (?P<quote>[{_QUOTES}](?P<inner>[^{_QUOTES}]*)[{_QUOTES}]?)
    | (?P<sep>[,;])
    | (?P<minus>(?<![^\s,;{_QUOTES}])-(?=[{_QUOTES}]|[^\W_]))
    | (?P<word>[^\s,;{_QUOTES}]+)
    | (?P<space>\s+)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class CompiledQuery:
    """Two FTS5 MATCH expressions (``None`` when no term needs that table) and the terms."""

    exact: str | None  # for articles_fts_exact (matching form)
    folded: str | None  # for articles_fts_folded (folded form)
    terms: tuple[str, ...]  # the positive terms as typed, each a phrase (for highlighting)
    # those of them searched accent-insensitively: typed without marks, or in an OR group
    # with a term typed without marks
    folded_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Phrase:
    text: str  # as typed
    negated: bool

    @property
    def folded(self) -> bool:
        """Whether the phrase is searched accent-insensitively (typed without marks)."""
        return is_folded(self.text)


def syllables(text: str) -> list[str]:
    """The syllables of ``text``: maximal runs of letters and digits after normalisation."""
    return SYLLABLE.findall(normalize_inline(text))


def is_folded(term: str) -> bool:
    """Whether ``term`` is searched accent-insensitively: it has no mark and no ``đ``."""
    text = normalize_inline(term)
    return fold(text) == matching_form(text)


def compile_query(text: str) -> CompiledQuery:
    """Compile what the user typed; ``InputError`` (one line) when it cannot be searched."""
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(f"query too long: {len(text)} characters (at most {MAX_QUERY_CHARS})")
    groups, excluded = _structure(_phrases(normalize_inline(text)))
    if not groups:
        raise InputError(
            "nothing to search for: every term is excluded"
            if excluded
            else "empty query: type a word or a phrase"
        )
    if len(excluded) + sum(len(group) for group in groups) > MAX_TERMS:
        raise InputError(f"too many terms (at most {MAX_TERMS})")
    exact, folded = _expressions(groups, excluded)
    terms = tuple(phrase.text for group in groups for phrase in group)
    folded_terms = tuple(
        phrase.text for group in groups if any(p.folded for p in group) for phrase in group
    )
    return CompiledQuery(exact=exact, folded=folded, terms=terms, folded_terms=folded_terms)


@lru_cache(maxsize=256)
def term_pattern(term: str, *, folded: bool) -> re.Pattern[str] | None:
    """Where ``term`` occurs in a text put in the form it is searched in: ``fold(text)`` when
    ``folded``, else ``matching_form(text)``. Both forms keep the text's length, so a match's
    offsets are the original text's. The term's syllables in that form, as whole syllables,
    with anything but letters and digits between them (as the tables' tokens ignore it);
    ``None`` for a term without syllables."""
    words = syllables(term)
    if not words:
        return None
    form = fold if folded else matching_form
    body = r"[\W_]+".join(re.escape(form(word)) for word in words)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")


def occurrences(text: str, query: CompiledQuery) -> list[tuple[int, int]]:
    """Every ``(start, end)`` in ``text`` where a positive term of ``query`` occurs the way it
    was searched (folded or exact), in order, overlapping ones merged: what to highlight.
    Excluded terms are never among them, and nothing the search would not match is."""
    forms = {True: fold(text), False: matching_form(text)}
    spans = []
    for term in query.terms:
        folded = term in query.folded_terms
        pattern = term_pattern(term, folded=folded)
        if pattern is not None:
            spans += [found.span() for found in pattern.finditer(forms[folded])]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _phrases(text: str) -> list[_Phrase | None]:
    """The phrases typed, in order, with ``None`` standing for each ``OR``."""
    items: list[_Phrase | None] = []
    run: list[str] = []
    negate = False

    def flush() -> None:
        nonlocal negate
        if run:
            items.append(_Phrase(" ".join(run), negate))
            run.clear()
            negate = False

    for lexeme in _LEXEME.finditer(text):
        kind = lexeme.lastgroup
        if kind == "space":
            continue
        if kind == "word" and lexeme[0] != "OR":
            run.append(lexeme[0])
            continue
        flush()
        if kind == "word":
            items.append(None)  # OR
        elif kind == "minus":
            negate = True
        elif kind == "quote":
            run.append(lexeme["inner"])
            flush()
    flush()
    return [item for item in items if item is None or syllables(item.text)]


def _structure(items: list[_Phrase | None]) -> tuple[list[list[_Phrase]], list[_Phrase]]:
    """Group the phrases: OR groups of positive phrases, and the excluded phrases."""
    groups: list[list[_Phrase]] = []
    excluded: list[_Phrase] = []
    for index, item in enumerate(items):
        if item is None:
            before = items[index - 1] if index else None
            after = items[index + 1] if index + 1 < len(items) else None
            if before is None or after is None:
                raise InputError("OR needs a term on each side")
            if before.negated or after.negated:
                raise InputError("an excluded term (-term) cannot be a side of OR")
        elif item.negated:
            excluded.append(item)
        elif index and items[index - 1] is None:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups, excluded


def _expressions(
    groups: list[list[_Phrase]], excluded: list[_Phrase]
) -> tuple[str | None, str | None]:
    """The exact and folded MATCH expressions (see the module docstring for who goes where)."""
    exact_groups = [group for group in groups if not any(p.folded for p in group)]
    folded_groups = [group for group in groups if any(p.folded for p in group)]
    exact_out = [p for p in excluded if not p.folded]
    folded_out = [p for p in excluded if p.folded]
    if exact_out and not exact_groups:
        folded_out += exact_out  # no exact positive to subtract from: exclude it folded
        exact_out = []
    exact = _expression(exact_groups, exact_out, fold_all=False)
    if folded_out and not folded_groups:
        folded_groups = exact_groups  # the same articles, seen folded, to subtract from
    folded = _expression(folded_groups, folded_out, fold_all=True)
    return exact, folded


def _expression(
    groups: list[list[_Phrase]], excluded: list[_Phrase], *, fold_all: bool
) -> str | None:
    """``(g1) AND (g2) NOT "x" NOT "y"``, every phrase quoted; ``None`` without a group."""
    if not groups:
        return None
    positive = " AND ".join(_group(group, fold_all=fold_all) for group in groups)
    if not excluded:
        return positive
    if len(groups) > 1:
        positive = f"({positive})"
    negative = dict.fromkeys(f" NOT {_quoted(p.text, fold_all=fold_all)}" for p in excluded)
    return positive + "".join(negative)


def _group(group: list[_Phrase], *, fold_all: bool) -> str:
    """One phrase, or ``("a" OR "b")``; a phrase typed twice (or folding alike) counts once."""
    phrases = list(dict.fromkeys(_quoted(phrase.text, fold_all=fold_all) for phrase in group))
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


def _quoted(text: str, *, fold_all: bool) -> str:
    """One FTS5 phrase: the syllables of ``text`` in the table's form, double-quoted; a phrase
    of two or more syllables as its syllable pairs (``"công\ue000an an\ue000ninh"``: the
    tables index both, see ``monitor.archive.fts``)."""
    joined = " ".join(syllables(text))
    form = fold(joined) if fold_all else matching_form(joined)
    tokens = " ".join(syllable_pairs(form)) or form
    return '"' + tokens.replace('"', '""') + '"'
