"""Raw pages' storage upkeep: dictionaries and recompression (see ``raw_store``).

One of the archive's repositories (see ``monitor.archive.archive``). Training reads without
the write lock; adopting a dictionary, each batch of recompressed pages and dropping unused
dictionaries are one transaction each, so crawls interleave with a long recompression.
"""

from __future__ import annotations

from collections.abc import Callable

from monitor.archive import raw_dictionaries, raw_store
from monitor.archive.raw_store import Recompressed, Training
from monitor.archive.session import Repository


class RawStoreRepository(Repository):
    """The zstd dictionaries raw pages are compressed with, and recompressing pages."""

    def train_dictionary(self) -> Training:
        """Train a dictionary on the newest pages when one is due, keep it when it pays."""
        with self._reading("train a dictionary for raw pages"):
            proposal = raw_store.propose(self._db)
        if isinstance(proposal, str):
            return Training(proposal)
        with self._writing("keep a dictionary for raw pages"):
            return raw_store.adopt(self._db, proposal, created_at=self._now())

    def recompress(
        self, *, stop: Callable[[], bool] = lambda: False, batch: int = raw_store.BATCH
    ) -> Recompressed:
        """Pack every page not yet packed (see ``raw_store``), ``batch`` pages a transaction,
        until none is left or ``stop()`` says so (checked between batches)."""
        total = Recompressed()
        while not stop():
            with self._writing("recompress raw pages"):
                done = raw_store.recompress_batch(self._db, batch)
            if not done.pages:
                break
            total += done
        return total

    def drop_unused_dictionaries(self) -> list[int]:
        """Delete the dictionaries no page uses (never the current one); their ids."""
        with self._writing("drop unused dictionaries"):
            return raw_dictionaries.drop_unused(self._db)

    def dictionary_pages(self) -> dict[int | None, int]:
        """Pages per dictionary id (``None``: pages compressed without one)."""
        with self._reading("count pages per dictionary"):
            return raw_dictionaries.pages_per_dictionary(self._db)
