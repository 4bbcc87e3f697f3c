"""A facet listing its values newest first: months in date order, not by count.

Datasette's column facet lists the most frequent values first, which puts March before May
and 2023 among 2025. ``NewestFirstFacet`` (metadata: ``- newest: month``) counts every value
the same way, then lists them in descending order of value (``YYYY-MM`` sorts by date) and
keeps the facet size's newest, saying the list was cut when it was. Filtering by a value is
the column facet's (``?month=2025-03``).
"""

from __future__ import annotations

from typing import Any

from datasette.facets import ColumnFacet


class NewestFirstFacet(ColumnFacet):  # type: ignore[misc]  # Datasette ships no types
    """A column facet whose values come in descending order of value."""

    type = "newest"

    def get_facet_size(self) -> int:
        """Count every value (up to Datasette's row limit), to sort them all."""
        return int(self.ds.setting("max_returned_rows"))

    async def suggest(self) -> list[Any]:
        """Never suggested: configured in the metadata only."""
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        """The column facet's results, each list sorted newest first and cut to size."""
        results, timed_out = await super().facet_results()
        size = super().get_facet_size()
        for facet in results:
            values = sorted(facet["results"], key=lambda item: str(item["value"]), reverse=True)
            facet["truncated"] = facet["truncated"] or len(values) > size
            facet["results"] = values[:size]
        return results, timed_out
