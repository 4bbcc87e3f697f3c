"""How some of the archive's cells read in Datasette's tables (the ``render_cell`` hook).

- ``rules`` (``articles_view``, ``latest_on_topic``): a JSON array of rule names in the data,
  shown as the names, comma-separated, each a link to the articles that rule matched (an
  empty array: an empty cell). The JSON API and the ``rules`` facet still get the array.
- ``title`` in a row that has an ``article_id``: a link to the article page.

``None`` leaves a cell to Datasette.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from monitor.web import DATABASE
from monitor.web.rules_page import articles_url


def render(row: Any, value: Any, column: str) -> Markup | None:
    """The cell's HTML, or ``None`` to let Datasette show it."""
    if column == "rules":
        return rules_cell(value)
    if column == "title" and isinstance(value, str):
        article_id = _article_id(row)
        if article_id is not None:
            return Markup('<a href="{}">{}</a>').format(article_url(article_id), value)
    return None


def article_url(article_id: int) -> str:
    """The article page of ``article_id``, relative to the server."""
    return f"/{DATABASE}/article/{article_id}"


def rules_cell(value: Any) -> Markup | None:
    """A JSON array of rule names as linked names; ``None`` for anything else."""
    try:
        names = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        return None
    links = [Markup('<a href="{}">{}</a>').format(articles_url(name), name) for name in names]
    return Markup(", ").join(links) or Markup("&nbsp;")  # "" would give the cell back as JSON


def _article_id(row: Any) -> int | None:
    """The row's ``article_id``, when it has one (sqlite3.Row raises IndexError otherwise)."""
    try:
        value = row["article_id"]
    except (IndexError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) else None
