"""The web view's own pages, registered by the plugin (``register_routes``):

    /archive/search        search form and ranked results (search_page); .json: the hits
    /archive/article/ID    one article, to be read (article_page)
    /archive/rules         the keyword rules in words, with their feeds (rules_page)

Each checks that the visitor may see the archive (a login, when one is required), reads the
archive through Datasette's own read-only connections (``monitor.archive.Archive`` over the
connection: the library's code, not SQL of its own), and renders a template from
``templates/`` on Datasette's base page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from datasette.utils.asgi import Response
from sqlite_utils import Database

from monitor.archive import Archive
from monitor.article_view import ArticleView, article_view
from monitor.errors import InputError
from monitor.search.query import CompiledQuery, compile_query
from monitor.web import DATABASE, PLUGIN, article_page, rules_page, search_page
from monitor.web.search_page import SearchForm, run_search

Result = TypeVar("Result")


def routes() -> list[tuple[str, Callable[..., Any]]]:
    """The pages' URL patterns and views, for ``register_routes``."""
    return [
        (rf"^/{DATABASE}/search(\.(?P<format>json))?$", search_view),
        (rf"^/{DATABASE}/article/(?P<article_id>[0-9]{{1,18}})$", article_view_page),
        (rf"^/{DATABASE}/rules$", rules_view),
    ]


async def search_view(request: Any, datasette: Any) -> Any:
    """The search page, or its results as JSON (``_shape=array``: the list of hits alone)."""
    await _may_view(request, datasette)
    form = SearchForm.from_args(request.args)
    result = await _on_archive(datasette, lambda archive: run_search(archive, form))
    if request.url_vars.get("format") == "json":
        return _search_json(request, form, result)
    context = {**search_page.page_context(form, result), **await _choices(datasette)}
    return await _page(datasette, request, "monitor-search.html", context)


def _search_json(request: Any, form: SearchForm, result: search_page.SearchResult) -> Any:
    """The hits as ``monitor search --json`` gives them; an unusable query is a 400 saying
    why, in Datasette's error shape."""
    if result.error is not None:
        error = {"ok": False, "error": result.error, "status": 400, "title": None}
        return Response.json(error, status=400)
    data = search_page.as_json(form, result)
    return Response.json(data["results"] if request.args.get("_shape") == "array" else data)


async def article_view_page(request: Any, datasette: Any) -> Any:
    """One article; ``?q=`` marks that search's terms too. 404 when it is not archived."""
    await _may_view(request, datasette)
    article_id = int(request.url_vars["article_id"])
    try:
        view: ArticleView = await _on_archive(
            datasette, lambda archive: article_view(archive, article_id)
        )
    except InputError as error:
        context = {"title": "Không có bài này", "error": str(error)}
        return await _page(datasette, request, "error.html", context, status=404)
    typed = (request.args.get("q") or "").strip()
    context = article_page.page_context(view, _query(typed), typed)
    return await _page(datasette, request, "monitor-article.html", context)


async def rules_view(request: Any, datasette: Any) -> Any:
    """The rules, their figures and feeds."""
    await _may_view(request, datasette)
    configured = (datasette.plugin_config(PLUGIN) or {}).get("rules") or []
    canned = await datasette.get_canned_query(DATABASE, "matches_per_rule", request.actor)
    figures = [dict(row) for row in await datasette.get_database(DATABASE).execute(canned["sql"])]
    context = rules_page.page_context(configured, figures)
    return await _page(datasette, request, "monitor-rules.html", context)


async def _may_view(request: Any, datasette: Any) -> None:
    """Raise Datasette's Forbidden unless the visitor may see the archive (the plugin's
    ``forbidden`` hook then sends them to the login form)."""
    await datasette.ensure_permissions(
        request.actor, [("view-database", DATABASE), "view-instance"]
    )


async def _on_archive(datasette: Any, work: Callable[[Archive], Result]) -> Result:
    """``work(archive)`` on one of Datasette's read connections to the archive, in its thread."""
    database = datasette.get_database(DATABASE)
    path = Path(database.path)

    def call(connection: Any) -> Result:
        # Datasette's rows are sqlite3.Row; the archive's code reads plain tuples. The
        # connection is this thread's alone, so it is lent as the archive wants it, then
        # handed back as it was (and never closed: it is Datasette's).
        row_factory = connection.row_factory
        connection.row_factory = None
        try:
            db = Database(connection, recursive_triggers=False, execute_plugins=False)
            return work(Archive(db, path, readonly=True))
        finally:
            connection.row_factory = row_factory

    result: Result = await database.execute_fn(call)
    return result


async def _choices(datasette: Any) -> dict[str, list[str]]:
    """The sections and rules the archive holds, for the search form's lists."""
    database = datasette.get_database(DATABASE)
    sections = await database.execute("SELECT DISTINCT section FROM articles ORDER BY section")
    rules = await database.execute("SELECT DISTINCT rule FROM matches ORDER BY rule")
    return {"sections": [row[0] for row in sections], "rules": [row[0] for row in rules]}


def _query(typed: str) -> CompiledQuery | None:
    """The search to mark on an article page; none when blank or unusable."""
    try:
        return compile_query(typed) if typed else None
    except InputError:
        return None


async def _page(
    datasette: Any, request: Any, template: str, context: dict[str, Any], status: int = 200
) -> Any:
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)
