"""Export writers: articles as CSV or JSON Lines, streamed from any iterator of rows.

The writers hold one row at a time, so an export runs in constant memory when its rows come
from ``Archive.iter_articles`` (which reads the archive a batch at a time). They take an open
text stream and know nothing of files, terminals or the command line:

- **CSV** (RFC 4180): a header row, then one row per article in ``COLUMNS`` order; fields
  quoted when they hold a comma, a quote or a line break (the body keeps its paragraphs),
  ``\\r\\n`` line ends; ``tags`` and ``rules`` joined by ``"; "``, ``on_topic`` as 1 or 0,
  missing values empty. Open the stream with ``newline=""``; for a file that Excel on
  Windows should read as UTF-8, with ``encoding="utf-8-sig"`` (a BOM first).
- **JSONL**: one JSON object per line with the same keys, ``tags`` and ``rules`` as lists,
  ``on_topic`` as a boolean, text as UTF-8 (``ensure_ascii=False``), no BOM.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import Any, Literal, TextIO

from monitor.archive.rows import SelectedArticle

ExportFormat = Literal["csv", "jsonl"]

COLUMNS = (
    "article_id", "url", "section", "title", "lead", "body", "published_at", "author", "tags",
    "on_topic", "rules", "first_seen_at",
)  # fmt: skip
LIST_SEPARATOR = "; "

Row = SelectedArticle  # what Archive.iter_articles yields


def csv_cells(article: Row) -> list[Any]:
    """One article as CSV cells, in ``COLUMNS`` order."""
    cells: list[Any] = []
    for name in COLUMNS:
        value = getattr(article, name)
        if name in ("tags", "rules"):
            value = LIST_SEPARATOR.join(value or ())
        elif name == "on_topic":
            value = int(bool(value))
        cells.append("" if value is None else value)
    return cells


def write_csv(articles: Iterable[Row], out: TextIO) -> int:
    """Write the header and one row per article; returns how many articles."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for article in articles:
        writer.writerow(csv_cells(article))
        count += 1
    return count


def jsonl_object(article: Row) -> dict[str, Any]:
    """One article as a JSON object with exactly the ``COLUMNS`` keys."""
    data = article.to_dict()
    return {name: data[name] for name in COLUMNS}


def write_jsonl(articles: Iterable[Row], out: TextIO) -> int:
    """Write one JSON object per line; returns how many articles."""
    count = 0
    for article in articles:
        out.write(json.dumps(jsonl_object(article), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


WRITERS: dict[ExportFormat, Callable[[Iterable[Row], TextIO], int]] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
}
