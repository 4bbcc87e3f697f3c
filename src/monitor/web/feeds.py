"""The Atom feed (RFC 4287) of each keyword rule: ``/archive/rule_feed.atom?rule=NAME``.

    GET ─► allowed to view the archive's matches and articles? (Datasette's permissions)
        ─► ``rule`` missing, empty, or holding a control character? 400
        ─► a rule neither configured nor ever matched? 404
        ─► the ``ENTRIES`` articles it matched most recently, newest match first
        ─► feedgen ─► 200 ``application/atom+xml; charset=utf-8``

Every answer is the feed or a one-line plain-text error; no value read from the URL or the
archive can make it fail (text XML cannot hold is dropped).

The feed: ``id`` and ``link rel=self`` = its own URL; ``link rel=alternate`` = the rule's
articles in the web view; ``title`` names the rule; ``author`` = the site (so every entry has
one, bylined or not); ``updated`` = the newest match (a rule with no match yet: the last
crawl's end, else the epoch). Each entry: ``id`` = the article's canonical URL (stable, the same
in every rule's feed; the URL it was found at if it has none), ``title``, ``link`` to the
article on the site, ``summary`` = the lead (else the opening of the body), ``published``,
``updated`` (the site's, else published), and ``author`` when the page names one.

feedgen writes an entry's ``link`` without ``rel`` and ``type`` (it drops them): RFC 4287 reads
a link without ``rel`` as ``alternate``.

The rules known besides those matched are the configured ones, handed over by ``serve`` as
this plugin's configuration (``FEED_RULES``, ``FEED_SITE``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator

from monitor.web import DATABASE, PLUGIN

PATH = rf"^/{DATABASE}/rule_feed\.atom$"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
FEED_RULES = "rules"  # configuration: the configured rules (each a Rule's JSON form)
FEED_SITE = "site_url"  # configuration: the site's base URL, the feed's author
DEFAULT_SITE = "https://congan.com.vn"
ENTRIES = 50
SUMMARY_LENGTH = 300  # characters of the body standing for a missing lead
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# XML 1.0 cannot hold these (C0 controls but tab and newlines, surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_ENTRIES_SQL = """
    SELECT a.canonical_url, a.url, a.title, a.lead, a.body, a.author, a.published_at,
           a.updated_at, MAX(m.matched_at) AS matched_at
    FROM matches AS m JOIN articles AS a ON a.article_id = m.article_id
    WHERE m.rule = :rule
    GROUP BY a.article_id
    ORDER BY matched_at DESC, a.published_at DESC, a.article_id DESC
    LIMIT :limit
"""
_LAST_CRAWL_SQL = "SELECT MAX(finished_at) FROM crawl_runs"


async def rule_feed(datasette: Any, request: Any) -> Any:
    """The route's view: the rule's feed, or a 400 or 404 saying why not."""
    await datasette.ensure_permissions(
        request.actor,
        [("view-table", (DATABASE, "matches")), ("view-database", DATABASE), "view-instance"],
    )
    rule = request.args.get("rule", "")
    problem = rule_problem(rule)
    if problem:
        return Response.text(problem + "\n", status=400)
    settings = datasette.plugin_config(PLUGIN) or {}
    database = datasette.get_database(DATABASE)
    rows = (await database.execute(_ENTRIES_SQL, {"rule": rule, "limit": ENTRIES})).rows
    configured = {str(entry.get("name")) for entry in settings.get(FEED_RULES) or ()}
    if not rows and rule not in configured:
        return Response.text(f"no rule named {rule!r} is configured or has matched\n", status=404)
    if rows:
        updated = max(_moment(row["matched_at"]) or EPOCH for row in rows)
    else:
        updated = _moment((await database.execute(_LAST_CRAWL_SQL)).first()[0]) or EPOCH
    links = FeedLinks(
        datasette.absolute_url(request, feed_path(datasette, rule)),
        datasette.absolute_url(request, articles_of_rule(datasette, rule)),
    )
    body = atom_feed(rule, rows, links, updated, settings.get(FEED_SITE) or DEFAULT_SITE)
    return Response(body, content_type=CONTENT_TYPE)


def rule_problem(rule: str) -> str | None:
    """Why ``rule`` cannot name a rule (missing, empty, a control character), or ``None``."""
    if not rule.strip():
        return "the feed needs a rule: rule_feed.atom?rule=NAME"
    if any(unicodedata.category(character) == "Cc" for character in rule):
        return "a rule name holds no control character"
    return None


def feed_path(datasette: Any, rule: str) -> str:
    """The path of the rule's feed, whatever else the request's URL held: its ``id``."""
    return f"{datasette.urls.database(DATABASE)}/rule_feed.atom?{urlencode({'rule': rule})}"


def articles_of_rule(datasette: Any, rule: str) -> str:
    """The path of the rule's articles in the web view (articles_view, faceted by rule)."""
    query = urlencode({"rules__arraycontains": rule})
    return f"{datasette.urls.table(DATABASE, 'articles_view')}?{query}"


@dataclass(frozen=True)
class FeedLinks:
    """The feed's own URL (also its ``id``) and the web page it stands for."""

    self_url: str
    alternate: str


def atom_feed(
    rule: str, rows: Sequence[Any], links: FeedLinks, updated: datetime, site: str
) -> bytes:
    """The Atom document of ``rule``'s entries (``_ENTRIES_SQL`` rows, newest first)."""
    generator = FeedGenerator()
    generator.id(links.self_url)
    generator.title(f"Rule {_xml(rule)}: matching articles (congan-monitor)")
    generator.subtitle(f"Up to {ENTRIES} articles rule {_xml(rule)} matched, newest match first.")
    generator.updated(updated)
    generator.author({"name": urlsplit(site).hostname or site, "uri": site})
    generator.link(href=links.self_url, rel="self", type="application/atom+xml")
    generator.link(href=links.alternate, rel="alternate", type="text/html")
    generator.language("vi")
    generator.generator("congan-monitor")
    for row in rows:
        add_entry(generator, row)
    body: bytes = generator.atom_str(pretty=True, encoding="UTF-8")
    return body


def add_entry(generator: FeedGenerator, row: Any) -> None:
    """One article as an entry, appended (the rows come newest first)."""
    published = _moment(row["published_at"]) or _moment(row["matched_at"]) or EPOCH
    url = _xml(row["canonical_url"]) or _xml(row["url"])
    entry = generator.add_entry(order="append")
    entry.id(url)
    entry.title(_xml(row["title"]) or url)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.published(published)
    entry.updated(_moment(row["updated_at"]) or published)
    entry.summary(_xml(row["lead"]) or _opening(_xml(row["body"])))
    if author := _xml(row["author"]).strip():
        entry.author({"name": author})


def _moment(text: str | None) -> datetime | None:
    """An archive time as an aware datetime; ``None`` for none, or one without an offset."""
    try:
        moment = datetime.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None
    return moment if moment and moment.utcoffset() is not None else None


def _xml(text: str | None) -> str:
    """``text`` without the characters XML 1.0 cannot hold (``''`` for ``None``)."""
    return _NOT_XML.sub("", text or "")


def _opening(body: str) -> str:
    """About ``SUMMARY_LENGTH`` characters of ``body``, cut at a space, marked with '…'."""
    text = " ".join(body.split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text.rfind(" ", 0, SUMMARY_LENGTH)
    return text[: cut if cut > 0 else SUMMARY_LENGTH] + "…"
