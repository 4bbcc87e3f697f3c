"""Listing walks of a normal run, and the per-entry high-water mark that bounds them.

Listings are newest first and ids rise over time. An entry's *high-water mark* is the newest id
up to which a clean run has seen everything on that listing. A walk goes on to the next page
while the page's oldest id is above the mark; so a run with k new articles reads about one page
per entry, and a run after a crash (which never advances the mark) walks back as far as needed.
A walk stopped by ``max_listing_pages`` before reaching the mark leaves a resume point, and the
next run continues from it; the mark advances once the gap is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Ending = Literal["reached", "end", "cap", "failed"]


@dataclass
class EntryWalk:
    entry: str
    mark: int | None = None  # high-water mark from earlier clean runs
    pending_mark: int | None = None  # the mark to take once the resumed gap is closed
    resume: tuple[str, ...] = ()  # where capped walks stopped (each resumed as its own chain)
    newest: int | None = None  # newest id seen on the entry this run
    endings: dict[str, tuple[Ending, str | None]] = field(default_factory=dict)  # chain → end

    @classmethod
    def from_state(cls, entry: str, state: Any) -> EntryWalk:
        state = state if isinstance(state, dict) else {}
        resume = state.get("resume") or []
        return cls(entry, state.get("mark"), state.get("pending_mark"), tuple(resume))

    def observe(self, ids: Sequence[int]) -> None:
        if ids:
            self.newest = max(self.newest or 0, *ids)

    def walk_on(self, oldest_id: int | None) -> bool:
        """Is there more to see behind a page whose oldest article has ``oldest_id``?"""
        return oldest_id is not None and (self.mark is None or oldest_id > self.mark)

    def after_page(
        self, chain: str, number: int, ids: Sequence[int], next_page: str | None, cap: int
    ) -> str | None:
        """The page ``chain`` reads after its page ``number``, which listed ``ids`` (oldest
        last) and led to ``next_page``; None when the chain ends there (the ending is noted).
        At most ``cap`` pages a chain: a chain stopped by it resumes at ``next_page``."""
        self.observe(ids)
        if not self.walk_on(ids[-1] if ids else None):
            self.end(chain, "reached")
        elif next_page is None:
            self.end(chain, "end")
        elif number >= cap:
            self.end(chain, "cap", next_page)
        else:
            return next_page
        return None

    def end(self, chain: str, ending: Ending, next_page: str | None = None) -> None:
        self.endings[chain] = (ending, next_page)

    def state_after_clean_run(self) -> dict[str, Any]:
        """The entry's state once the run ended cleanly with every article stored."""
        if any(ending == "failed" for ending, _ in self.endings.values()):
            return self._unchanged()
        capped = [page for ending, page in self.endings.values() if ending == "cap"]
        target = max(filter(None, (self.mark, self.pending_mark, self.newest)), default=None)
        if capped:  # gaps remain behind the resume points: the mark waits
            return {"mark": self.mark, "pending_mark": target, "resume": capped}
        return {"mark": target, "pending_mark": None, "resume": []}

    def _unchanged(self) -> dict[str, Any]:
        return {"mark": self.mark, "pending_mark": self.pending_mark, "resume": list(self.resume)}


def walk_key(entry: str) -> str:
    """The crawl state of entry ``entry``'s walk: its mark and resume points."""
    return f"walk:{entry}"
