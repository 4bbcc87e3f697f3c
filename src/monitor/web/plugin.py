"""The Datasette plugin of the web view: its pages, a read-only archive, Vietnamese search.

Its hooks, each handing the work to a module of this package:

- ``register_routes``: the search, article and rules pages (``pages``) and each rule's Atom
  feed, ``/archive/rule_feed.atom?rule=NAME`` (``feeds``); matched before Datasette's own.
- ``render_cell``: rules as linked names, titles as links to the article page (``cells``).
- ``register_facet_classes``: the ``newest`` facet, months newest first (``facets``).
- ``asgi_wrapper``: every method but GET and HEAD answered 405 (``guard``), but the login
  form's POST when a login is required.
- ``forbidden``: a visitor who is not logged in, where a login is required, is sent to the
  login form (datasette-auth-passwords' ``/-/login``) instead of a bare 403.
- ``prepare_connection``, on every connection Datasette opens to the archive:

  - ``PRAGMA query_only = ON``. Datasette already opens its read connections with
    ``mode=ro``; this also covers the one connection it opens read-write for canned write
    queries and write-capable plugins, so no statement that writes can run, whatever the
    metadata says.
  - ``vn_exact(q)`` and ``vn_folded(q)``: the FTS5 MATCH expressions that
    ``monitor.search.query.compile_query`` makes of what the user typed, for ``articles_fts_exact``
    (matching form) and ``articles_fts_folded`` (folded form); ``''`` when that table is not
    needed or the query cannot be searched (empty, only excluded terms...). For ``--sql``.
  - ``vn_snippet(text, q)``: about 200 characters of ``text`` around the first place one of
    the query's terms occurs (the start of ``text`` when none does).

  The functions are deterministic and pure; compiled queries are cached.

Imported only when the view starts (``serve.build_datasette``), so Datasette is imported here
freely.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from typing import Any

import pluggy

from monitor.errors import InputError
from monitor.search.query import CompiledQuery, compile_query, is_folded, term_pattern
from monitor.text import fold, matching_form
from monitor.web import DATABASE, PLUGIN, cells, feeds, pages
from monitor.web.facets import NewestFirstFacet
from monitor.web.guard import LOGIN_PATHS, App, refuse_writes

hookimpl = pluggy.HookimplMarker("datasette")  # what ``datasette.hookimpl`` is, with types

SNIPPET_BEFORE = 60  # characters of context kept before the first hit
SNIPPET_LENGTH = 200


@hookimpl
def prepare_connection(conn: sqlite3.Connection, database: str) -> None:
    """Make the archive's connections query-only and give every connection the functions."""
    if database == DATABASE:
        conn.execute("PRAGMA query_only = ON")
    conn.create_function("vn_exact", 1, vn_exact, deterministic=True)
    conn.create_function("vn_folded", 1, vn_folded, deterministic=True)
    conn.create_function("vn_snippet", 2, vn_snippet, deterministic=True)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    """The search, article and rules pages, and the rules' feeds."""
    return [*pages.routes(), (feeds.PATH, feeds.rule_feed)]


@hookimpl
def render_cell(row: Any, value: Any, column: str, database: str) -> Any:
    """Rules as linked names, titles linked to their article page; the rest as Datasette has
    them."""
    return cells.render(row, value, column) if database == DATABASE else None


@hookimpl
def register_facet_classes() -> list[type]:
    """The ``newest`` facet (months newest first)."""
    return [NewestFirstFacet]


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    """Refuse every method but GET and HEAD (the login form may be posted to when needed)."""
    postable = LOGIN_PATHS if _login_required(datasette) else ()

    def wrap(app: App) -> App:
        return refuse_writes(app, postable=postable)

    return wrap


@hookimpl
def forbidden(datasette: Any, request: Any) -> Any:
    """Where a login is required, send whoever is not logged in to the login form."""
    if _login_required(datasette) and not request.actor:
        from datasette.utils.asgi import Response

        return Response.redirect(datasette.urls.path("/-/login"))
    return None


def _login_required(datasette: Any) -> bool:
    return bool((datasette.plugin_config(PLUGIN) or {}).get("login"))


@lru_cache(maxsize=256)
def _compiled(text: str) -> CompiledQuery | None:
    try:
        return compile_query(text)
    except InputError:
        return None


def vn_exact(query: object) -> str:
    """The MATCH expression for ``articles_fts``, or ``''``."""
    compiled = _compiled("" if query is None else str(query))
    return (compiled.exact or "") if compiled else ""


def vn_folded(query: object) -> str:
    """The MATCH expression for ``articles_fts_folded``, or ``''``."""
    compiled = _compiled("" if query is None else str(query))
    return (compiled.folded or "") if compiled else ""


def vn_snippet(text: object, query: object) -> str:
    """A window of ``text`` around the first hit of a term of ``query`` (or its start)."""
    if text is None:
        return ""
    text = " ".join(str(text).split())  # paragraphs on one line
    compiled = _compiled("" if query is None else str(query))
    terms = compiled.terms if compiled else ()
    hits = [start for term in terms if (start := _first_hit(text, term)) is not None]
    return _window(text, min(hits, default=0))


def _first_hit(text: str, term: str) -> int | None:
    """Where ``term`` first occurs in ``text``, searched as typed (see ``term_pattern``)."""
    folded = is_folded(term)
    pattern = term_pattern(term, folded=folded)
    if pattern is None:
        return None
    found = pattern.search(fold(text) if folded else matching_form(text))
    return found.start() if found else None


def _window(text: str, hit: int) -> str:
    """About ``SNIPPET_LENGTH`` characters around ``hit``, cut at spaces, marked with '…'."""
    start = max(0, hit - SNIPPET_BEFORE)
    if start:
        space = text.find(" ", start, hit)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", hit, end)
        end = space if space != -1 else end
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return prefix + text[start:end] + suffix
