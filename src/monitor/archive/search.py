"""Ranked full-text search over the two FTS5 tables, with filters; and a LIKE scan to compare.

The MATCH expressions come from ``monitor.search.query.compile_query`` (anything with
``exact`` and ``folded`` attributes will do): ``exact`` is run against ``articles_fts_exact``,
``folded`` against ``articles_fts_folded``; when both are given an article must match both.

Ranking is BM25 with the title weighted above the lead above the body (``fts.WEIGHTS``:
10, 3, 1 for both a field's syllables and its pairs; with two expressions, the sum of both),
best first; ties go to the newest article (``published_at DESC``, then the higher id).
Filters: one ``monitor.archive.filters.ArticleFilter`` (date or time bounds, section, rule,
on-topic), rendered here in the index-friendly form.

Every filter is a condition on the FTS table's rowid, so BM25 is computed for the matches
that pass them only: the date range bounds the rowids (FTS5 seeks to it), the section,
on-topic and rule filters are sets of ids read from an index (``IN (SELECT …)``, built once).

Every value reaches SQL as a parameter; the SQL text is built only from fixed fragments.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlite_utils import Database

from monitor.archive.filters import ArticleFilter
from monitor.archive.fts import _QUERY_ERRORS, EXACT_TABLE, FOLDED_TABLE, WEIGHTS
from monitor.archive.rows import RankedArticle
from monitor.errors import InputError


class FtsQuery(Protocol):
    """What ``search`` needs of a compiled query: its two MATCH expressions."""

    @property
    def exact(self) -> str | None: ...

    @property
    def folded(self) -> str | None: ...


def search(
    db: Database, query: FtsQuery, filters: ArticleFilter, limit: int, offset: int
) -> list[RankedArticle]:
    """The matching articles, best first (see the module docstring); ``score`` is -BM25."""
    if limit < 1 or offset < 0:
        raise InputError(f"limit must be at least 1 and offset at least 0 ({limit}, {offset})")
    ids = _id_range(db, filters, verify=not (filters.section or filters.on_topic))
    if ids is None:
        return []  # no article at all in the date range
    tables = _tables(query)
    clauses, params = _article_clauses(filters, dates=not ids.exact)
    params.update(
        {name: expression for _, name, expression in tables},
        low=ids.low, high=ids.high, rule=filters.rule,
        limit=limit, offset=offset, last=limit + offset - 1,
    )  # fmt: skip
    conditions = _conditions(ids, filters.rule, clauses)
    try:
        if len(tables) == 1:
            ranked = _top_ranked(db, tables[0], conditions, params)
            if ranked is not None:
                return _articles(db, ranked, params)
        rows = db.execute(_statement(tables, conditions), params)
        return [RankedArticle(*row) for row in rows]
    except sqlite3.OperationalError as error:
        if not str(error).startswith(_QUERY_ERRORS):
            raise
        raise InputError(f"bad search query: {error}", query=str(query)) from None


def _top_ranked(
    db: Database, table: tuple[str, str, str], conditions: str, params: dict[str, Any]
) -> list[tuple[int, float]] | None:
    """The (offset + limit) best (id, rank) of one table's matches and any tied with the last
    of them, or ``None`` when more than ``_TIES`` are (``_statement`` then sorts them all).

    The quickest plan: FTS5 ranks every match, SQLite keeps the best few, nothing else is read.
    """
    t, name, _ = table
    wanted = params["offset"] + params["limit"]
    rows = db.execute(
        f"SELECT {t}.rowid, bm25({t}, {WEIGHTS}) AS rank FROM {t}"
        f" WHERE {t} MATCH :{name}{conditions.format(t=t)} ORDER BY rank LIMIT :fetch",
        {**params, "fetch": wanted + _TIES},
    ).fetchall()
    if len(rows) <= wanted:
        return rows
    last = rows[wanted - 1][1]
    if rows[-1][1] == last and len(rows) == wanted + _TIES:
        return None
    return [(article_id, rank) for article_id, rank in rows if rank <= last]


_TIES = 100  # matches beyond the page read to find those tied with its last one


def _articles(
    db: Database, ranked: list[tuple[int, float]], params: dict[str, Any]
) -> list[RankedArticle]:
    """The articles of ``ranked`` (id, rank), in order, ties to the newest, one page."""
    rows = db.execute(
        "SELECT a.article_id, a.title, a.lead, a.body, a.section, a.published_at,"
        " a.canonical_url, -(r.value ->> 1) AS score, a.published_precision"
        " FROM json_each(:ranked) AS r JOIN articles AS a ON a.article_id = r.value ->> 0"
        " ORDER BY score DESC, a.published_at DESC, a.article_id DESC"
        " LIMIT :limit OFFSET :offset",
        {"ranked": json.dumps(ranked), "limit": params["limit"], "offset": params["offset"]},
    )
    return [RankedArticle(*row) for row in rows]


def _tables(query: FtsQuery) -> list[tuple[str, str, str]]:
    """(table, parameter name, MATCH expression) for each expression the query has."""
    tables = [
        (table, name, expression)
        for table, name, expression in (
            (EXACT_TABLE, "exact", query.exact),
            (FOLDED_TABLE, "folded", query.folded),
        )
        if expression
    ]
    if not tables:
        raise InputError("nothing to search for")
    return tables


def _conditions(ids: _IdRange, rule: str | None, clauses: list[str]) -> str:
    """Conditions on an FTS table ``{t}``'s rows besides MATCH: id range, rule, the article
    filters (``clauses`` on ``articles AS a``). "+": an id set is checked on each match, not
    handed to FTS5 as one lookup per id."""
    subset = " AND ".join(clauses)  # fixed text, no braces
    return "".join(
        condition
        for condition, wanted in (
            (" AND {t}.rowid >= :low", ids.low is not None),
            (" AND {t}.rowid <= :high", ids.high is not None),
            (" AND +{t}.rowid IN (SELECT article_id FROM matches WHERE rule = :rule)", rule),
            (
                f" AND +{{t}}.rowid IN (SELECT a.article_id FROM articles AS a WHERE {subset})",
                subset,
            ),
        )
        if wanted
    )


def _statement(tables: list[tuple[str, str, str]], conditions: str) -> str:
    """The SQL of a search: ranked matches (``hits``), then the page of their articles.

    BM25 is computed for every match that passes the filters (FTS5 cannot stop early), which
    is the bulk of the cost; reading every match's article row would cost as much again, so
    only the matches ranked at or above the (offset + limit)-th best are read, for the
    tie-break on published_at.
    """
    selects = [
        f"SELECT {t}.rowid AS id, bm25({t}, {WEIGHTS}) AS rank FROM {t}"
        f" WHERE {t} MATCH :{name}{conditions.format(t=t)}"
        for t, name, _ in tables
    ]
    if len(selects) == 1:
        hits = selects[0]
    else:
        hits = (
            f"WITH e AS MATERIALIZED ({selects[0]}), f AS MATERIALIZED ({selects[1]})"
            " SELECT e.id, e.rank + f.rank AS rank FROM e JOIN f ON f.id = e.id"
        )
    return _SEARCH.format(hits=hits)


_SEARCH = """
    WITH hits AS MATERIALIZED ({hits}),
    top AS (
        SELECT hits.id, hits.rank, a.published_at
        FROM hits JOIN articles AS a ON a.article_id = hits.id
        WHERE hits.rank
              <= coalesce((SELECT rank FROM hits ORDER BY rank LIMIT 1 OFFSET :last), 1e308)
        ORDER BY hits.rank, a.published_at DESC, hits.id DESC LIMIT :limit OFFSET :offset
    )
    SELECT a.article_id, a.title, a.lead, a.body, a.section, a.published_at, a.canonical_url,
           -top.rank, a.published_precision
    FROM top JOIN articles AS a ON a.article_id = top.id
    ORDER BY top.rank, top.published_at DESC, top.id DESC
"""


@dataclass(frozen=True)
class _IdRange:
    low: int | None
    high: int | None
    exact: bool  # no article outside the date range has an id between low and high


def _id_range(db: Database, filters: ArticleFilter, *, verify: bool) -> _IdRange | None:
    """The lowest and highest id of the articles published in the date range, read from the
    date index (one scan of the range); ``None`` when no article is in it.

    FTS5 seeks to a rowid range cheaply, so a date filter shrinks the set of matches ranked.
    Article ids grow with time on the site, which makes the bounds exact, but that is checked
    (when ``verify``, one scan of the id range in ``articles_id_published_at``), not assumed:
    bounds not known exact leave each match's date to be checked with the other article
    filters. With a section or on-topic filter the dates join that id set anyway, so
    ``verify`` is off there.
    """
    if filters.window() == (None, None):
        return _IdRange(None, None, exact=True)
    window, params = _date_window(filters)
    low, high = db.execute(
        f"SELECT min(article_id), max(article_id) FROM articles INDEXED BY articles_published_at"
        f" WHERE {window}",
        params,
    ).fetchone()
    if low is None:
        return None
    if not verify:
        return _IdRange(low, high, exact=False)
    strays = db.execute(  # an article outside the date range with an id inside the bounds
        "SELECT EXISTS (SELECT 1 FROM articles INDEXED BY articles_id_published_at"
        f" WHERE article_id BETWEEN :low AND :high AND NOT ({window}))",
        {**params, "low": low, "high": high},
    ).fetchone()[0]
    return _IdRange(low, high, exact=not strays)


def _date_window(filters: ArticleFilter) -> tuple[str, dict[str, str]]:
    """The date range as a condition on ``published_at`` (fixed text) and its parameters."""
    bounds = dict(zip(("since", "before"), filters.window(), strict=True))
    clauses = {"since": "published_at >= :since", "before": "published_at < :before"}
    given = {name: value for name, value in bounds.items() if value}
    return " AND ".join(clauses[name] for name in given), given


def _article_clauses(filters: ArticleFilter, *, dates: bool) -> tuple[list[str], dict[str, Any]]:
    """The filters on the article row: conditions on ``articles AS a`` (fixed text) and their
    parameters; ``dates``: the date range is among them. The section is a range of the
    (section, published_at) index: the section itself, or ``section/…`` up to ``section0``
    (``0`` follows ``/``)."""
    clauses = []
    params: dict[str, Any] = {}
    start, before = filters.window()
    if filters.section:
        clauses.append(
            "(a.section = :section OR (a.section >= :prefix AND a.section < :prefix_end))"
        )
        params.update(
            section=filters.section, prefix=filters.section + "/", prefix_end=filters.section + "0"
        )
    if filters.on_topic:
        clauses.append("a.on_topic = 1")
    if dates and start:
        clauses.append("a.published_at >= :since")
        params["since"] = start
    if dates and before:
        clauses.append("a.published_at < :before")
        params["before"] = before
    return clauses, params


def like_search(
    db: Database, phrases: Sequence[str], filters: ArticleFilter, limit: int
) -> list[RankedArticle]:
    """A plain LIKE scan, the baseline the benchmark compares FTS with: articles holding every
    phrase in title, lead or body (LIKE folds ASCII case only, and no accents), those with
    more phrases in the title first, then newest first (so, like ranking, it reads every
    article), with the same filters; ``score`` is 0."""
    clauses, params = _article_clauses(filters, dates=True)
    if filters.rule:
        clauses.append("a.article_id IN (SELECT article_id FROM matches WHERE rule = :rule)")
        params["rule"] = filters.rule
    where = " AND ".join(clauses) or "1"
    for index, phrase in enumerate(phrases):
        name = f"p{index}"
        escaped = phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params[name] = f"%{escaped}%"
        where += (
            " AND ("
            + " OR ".join(
                f"a.{column} LIKE :{name} ESCAPE '\\'" for column in ("title", "lead", "body")
            )
            + ")"
        )
    in_title = " + ".join(f"(a.title LIKE :p{i} ESCAPE '\\')" for i in range(len(phrases)))
    sql = (
        "SELECT a.article_id, a.title, a.lead, a.body, a.section, a.published_at,"
        f" a.canonical_url, 0, a.published_precision FROM articles AS a WHERE {where}"
        f" ORDER BY {in_title or 0} DESC, a.published_at DESC, a.article_id DESC LIMIT :limit"
    )
    rows = db.execute(sql, {**params, "limit": limit}).fetchall()
    return [RankedArticle(*row) for row in rows]
