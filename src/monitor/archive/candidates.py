"""The articles a rule set could match, through the FTS indexes; and the due articles it cannot
match, recorded as matching nothing without being read (``monitor.match.candidates`` says
why that is exact).

The *candidates* of a query (``FtsQuery``: the ``exact`` and ``folded`` MATCH expressions of
``monitor.match.candidates.candidate_query``) are the rowids of ``articles_fts_exact``
matching ``exact`` and those of ``articles_fts_folded`` matching ``folded``. An article is
*due* for matching while ``matched_hash`` is not its ``content_hash``; the partial index
``articles_unmatched`` holds exactly the due articles, so finding them reads none of the others.

``settle_unmatched`` writes, for each due non-candidate, what ``alerts.record_matches`` writes
for an article without hits: its matches deleted, ``on_topic`` 0, ``matched_hash`` set; no
alert. Rows that hold those values already are not rewritten. Every value reaches SQL as a
parameter; the SQL text is built from fixed fragments only.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from monitor.archive.fts import EXACT_TABLE, FOLDED_TABLE
from monitor.archive.search import FtsQuery

DUE = "(matched_hash IS NULL OR matched_hash != content_hash)"  # articles_unmatched's WHERE
UNMATCHED_INDEX = f"CREATE INDEX articles_unmatched ON articles (article_id) WHERE {DUE}"


def add_unmatched_index(db: Database) -> None:
    """Migration 12: ``articles_unmatched``, the due articles by id (see the module docstring)."""
    db.execute(UNMATCHED_INDEX)


def _candidates(query: FtsQuery, *, low: int | None = None) -> tuple[str, dict[str, Any]]:
    """A SELECT of the candidates' ids (fixed text; none when the query has no expression),
    from id ``low`` on (FTS5 seeks to it), and its parameters."""
    selects = []
    params: dict[str, Any] = {"low": low}
    above = " AND rowid >= :low" if low is not None else ""
    for table, name, expression in (
        (EXACT_TABLE, "exact", query.exact),
        (FOLDED_TABLE, "folded", query.folded),
    ):
        if expression:
            selects.append(f"SELECT rowid FROM {table} WHERE {table} MATCH :{name}{above}")
            params[name] = expression
    return " UNION ".join(selects) or "SELECT 0 WHERE 0", params


def candidate_ids(db: Database, query: FtsQuery, since: str | None) -> list[int]:
    """The candidates published at or after ``since`` (archive form; all when None), oldest
    published first (then by id), as ``articles.recent_article_ids`` reversed. Their dates
    come from the (article_id, published_at) index, not from the article rows."""
    candidates, params = _candidates(query)
    window = " AND published_at >= :since" if since else ""
    rows = db.execute(
        "SELECT article_id FROM articles INDEXED BY articles_id_published_at"
        f" WHERE article_id IN ({candidates}){window} ORDER BY published_at, article_id",
        {**params, "since": since},
    )
    return [article_id for (article_id,) in rows]


def settle_unmatched(db: Database, query: FtsQuery, *, rematch: bool, since: str | None) -> int:
    """Record the due articles that are not candidates as matching nothing; with ``rematch``,
    first count as due every article published at or after ``since`` (all when None), and
    leave its candidates due. Returns how many articles were recorded as matching nothing.
    Without ``rematch`` the index is searched from the lowest due id on (after a crawl, only
    the new articles' part of it). The caller holds the transaction."""
    scope, low = DUE, None
    if rematch:
        scope = f"({DUE} OR published_at >= :since)" if since else "1"
    else:
        low = db.execute(f"SELECT min(article_id) FROM articles WHERE {DUE}").fetchone()[0]
        if low is None:
            return 0  # nothing due
    candidates, params = _candidates(query, low=low)
    params["since"] = since
    outside = f"SELECT article_id FROM articles WHERE {scope} AND article_id NOT IN ({candidates})"
    settled: int = db.execute(f"SELECT count(*) FROM ({outside})", params).fetchone()[0]
    db.execute(f"DELETE FROM matches WHERE article_id IN ({outside})", params)
    db.execute(
        "UPDATE articles SET matched_hash = content_hash, on_topic = 0"
        f" WHERE article_id IN ({outside})"
        " AND (matched_hash IS NOT content_hash OR on_topic != 0)",
        params,
    )
    if rematch:
        window = " AND published_at >= :since" if since else ""
        db.execute(
            "UPDATE articles SET matched_hash = NULL"
            f" WHERE article_id IN ({candidates}) AND matched_hash IS NOT NULL{window}",
            params,
        )
    return settled
