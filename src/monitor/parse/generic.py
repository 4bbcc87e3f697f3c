"""The generic layer: trafilatura, used only when the site profile finds no body.

trafilatura is imported lazily: it is slow to import and most pages never need it.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.text import normalize_inline


@dataclass(frozen=True)
class GenericFields:
    title: str | None
    paragraphs: tuple[str, ...]
    date_text: str | None


def read_generic_fields(html: str, url: str) -> GenericFields:
    """Title, body paragraphs and date as trafilatura sees them (all may be empty)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    if document is None:
        return GenericFields(None, (), None)
    found = document if isinstance(document, dict) else document.as_dict()
    title = normalize_inline(found.get("title") or "") or None
    lines = (normalize_inline(line) for line in (found.get("text") or "").split("\n"))
    paragraphs = tuple(line for line in lines if line and line != title)
    return GenericFields(title, paragraphs, found.get("date") or None)
