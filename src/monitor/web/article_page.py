"""The article page's work: one archived article laid out to be read, its matches marked.

The article is ``monitor show``'s (``monitor.article_view.article_view``): the current record
with its images, and its matches. Shown: the title, the time in Vietnam time, section and
author, the lead, the body paragraph by paragraph, the images with their captions, the tags,
the rules that matched (each keyword marked where it was found: title, lead or body, by the
offsets the archive recorded), and the link to the original. Opened from a search
(``?q=…``), the search terms are marked too, exactly as on the results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from monitor.archive.rows import StoredMatch
from monitor.article_view import ArticleView
from monitor.search.query import CompiledQuery
from monitor.web import DATABASE
from monitor.web.labels import FIELDS, vietnam_time
from monitor.web.marks import Mark, clipped, marked, paragraphs, query_marks


def page_context(view: ArticleView, query: CompiledQuery | None, typed: str) -> dict[str, Any]:
    """What ``monitor-article.html`` shows of ``view``; ``query``: the search to mark, if any
    (``typed`` as the user typed it, for the link back to the results)."""
    article = view.article
    rules = _rule_marks(view.matches)
    lead = article.lead or ""
    return {
        "article_id": article.article_id,
        "title_text": article.title,
        "title": _marked(article.title, rules["title"], query),
        "published": vietnam_time(article.published_at, article.published_precision),
        "updated": vietnam_time(article.updated_at) if article.updated_at else "",
        "section": article.section,
        "author": article.author,
        "lead": _marked(lead, rules["lead"], query) if lead else None,
        "paragraphs": _body(article.body, rules["body"], query),
        "images": [{"url": image.url, "caption": image.caption} for image in article.images],
        "tags": list(article.tags),
        "matched": _matched(view.matches),
        "url": article.canonical_url,
        "query": typed,
        "back": f"/{DATABASE}/search?{urlencode({'q': typed})}" if typed else None,
        "version": article.version,
    }


def _rule_marks(matches: Iterable[StoredMatch]) -> dict[str, list[Mark]]:
    """Each field's rule marks, from the offsets the archive recorded."""
    marks: dict[str, list[Mark]] = defaultdict(list)
    for match in matches:
        title = f"quy tắc {match.rule}: {match.keyword}"
        marks[match.field].append(Mark(match.start, match.end, "rule", title))
    return marks


def _marked(text: str, rules: list[Mark], query: CompiledQuery | None) -> Markup:
    return marked(text, [*rules, *query_marks(text, query)])


def _body(body: str, rules: list[Mark], query: CompiledQuery | None) -> list[Markup]:
    """The body's paragraphs, each with the marks that fall in it."""
    marks = [*rules, *query_marks(body, query)]
    return [marked(text, clipped(marks, offset, len(text))) for offset, text in paragraphs(body)]


def _matched(matches: Iterable[StoredMatch]) -> list[dict[str, Any]]:
    """Per rule: the keywords it found, and where (``tiêu đề``, ``sapo``, ``nội dung``)."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for match in matches:
        found[match.rule][match.keyword].add(FIELDS.get(match.field, match.field))
    return [
        {
            "rule": rule,
            "feed": f"/{DATABASE}/rule_feed.atom?{urlencode({'rule': rule})}",
            "keywords": [
                {"keyword": keyword, "where": ", ".join(sorted(places))}
                for keyword, places in sorted(keywords.items())
            ],
        }
        for rule, keywords in sorted(found.items())
    ]
