"""The search page's work: the form read from the URL, the search run, the results shown.

The search is ``monitor search``'s (``monitor.search.engine.search_archive``): the same query
language, filters (``ArticleFilter``), ranking (BM25, title > lead > body, then newest) and
sentence around the first hit. A query the search cannot use is the same ``InputError``, and
its message is what the page shows. One more result than shown is asked for, to say when the
list was cut. The terms are marked wherever they occur in the title and the sentence
(``monitor.search.query.occurrences``: only what the search matched).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from monitor.archive import Archive, ArticleFilter
from monitor.errors import InputError
from monitor.search.engine import SearchHit, search_archive
from monitor.search.query import CompiledQuery, compile_query
from monitor.web import DATABASE
from monitor.web.labels import vietnam_time
from monitor.web.marks import marked, query_marks

LIMIT = 20  # results shown at first, as the CLI's --limit
MAX_LIMIT = 1000


@dataclass(frozen=True)
class SearchForm:
    """What the search form sent (every field as typed; ``limit`` within 1..MAX_LIMIT)."""

    q: str = ""
    since: str = ""
    until: str = ""
    section: str = ""
    rule: str = ""
    limit: int = LIMIT

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchForm:
        """The form from a request's arguments; a limit that is not a number is the default."""
        texts = {f.name: (args.get(f.name) or "").strip() for f in fields(cls) if f.name != "limit"}
        limit = args.get("limit") or ""
        number = int(limit) if limit.isdigit() else LIMIT
        return cls(**texts, limit=min(max(number, 1), MAX_LIMIT))

    def filters(self) -> ArticleFilter:
        """The article filter, as ``monitor search --since --until --section --rule`` builds it."""
        return ArticleFilter.of(
            since=self.since, until=self.until, section=self.section, rule=self.rule
        )

    def url(self, **changes: Any) -> str:
        """This search's URL, with ``changes``; empty fields and the default limit left out."""
        values = asdict(replace(self, **changes))
        shown = {k: v for k, v in values.items() if v and not (k == "limit" and v == LIMIT)}
        return f"/{DATABASE}/search" + (f"?{urlencode(shown)}" if shown else "")


@dataclass(frozen=True)
class SearchResult:
    """The hits (at most ``limit``), whether more matched, or why nothing could be searched."""

    hits: tuple[SearchHit, ...] = ()
    more: bool = False
    error: str | None = None
    query: CompiledQuery | None = None


def run_search(archive: Archive, form: SearchForm) -> SearchResult:
    """Search as ``monitor search`` does; an unusable query or filter is the result's error."""
    try:
        query = compile_query(form.q)
        hits = search_archive(archive, form.q, form.filters(), limit=form.limit + 1)
    except InputError as error:
        return SearchResult(error=str(error))
    return SearchResult(tuple(hits[: form.limit]), len(hits) > form.limit, query=query)


def as_json(form: SearchForm, result: SearchResult) -> dict[str, Any]:
    """The JSON answer: each hit as ``monitor search --json`` prints it, and whether cut."""
    return {
        "q": form.q,
        "results": [asdict(hit) for hit in result.hits],
        "limit": form.limit,
        "more": result.more,
    }


def page_context(form: SearchForm, result: SearchResult) -> dict[str, Any]:
    """What ``monitor-search.html`` shows: the form, the results marked, the count."""
    shown_error = result.error if form.q else None  # a blank form is not an error
    return {
        "form": form,
        "error": shown_error,
        "searched": bool(form.q) and result.error is None,
        "results": [_result(hit, form, result.query) for hit in result.hits],
        "more": result.more,
        "more_url": form.url(limit=min(form.limit * 2, MAX_LIMIT)) if result.more else None,
        "can_show_more": form.limit < MAX_LIMIT,
    }


def _result(hit: SearchHit, form: SearchForm, query: CompiledQuery | None) -> dict[str, Any]:
    """One hit as the page lists it: title and sentence with the terms marked."""
    snippet = hit.highlight.text
    return {
        "article_id": hit.article_id,
        "href": f"/{DATABASE}/article/{hit.article_id}?{urlencode({'q': form.q})}",
        "title": marked(hit.title, query_marks(hit.title, query)),
        "snippet": marked(snippet, query_marks(snippet, query)) if snippet else Markup(""),
        "when": vietnam_time(hit.published_at, hit.published_precision, weekday=False),
        "section": hit.section,
        "url": hit.url,
    }
