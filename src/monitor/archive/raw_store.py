"""The raw pages' upkeep, part of the weekly maintenance (and ``monitor maintain``):

1. **Train** a zstd dictionary on the newest pages, when due: the archive has no dictionary
   and holds ``MIN_PAGES`` pages, or ``MIN_PAGES`` pages have come in since the current one
   was trained. The newest ``SAMPLE_PAGES`` pages are read; the newest tenth of them is held
   out, the rest trained on. The new dictionary is kept — and becomes the one every page is
   written with — only when it packs the held-out pages, which neither dictionary has seen,
   at least ``MIN_SAVING`` smaller than what is used now (plain zstd, or the current
   dictionary), both at ``raw_codec.PACK_LEVEL``, the level the pages end up at: a site that
   did not change keeps its dictionary; a redesign gets a new one.
2. **Pack** the pages not yet at ``raw_codec.PACK_LEVEL`` (level 19; the crawl writes level
   3, fast): those with a dictionary with it, those without (zlib rows from before migration
   11, plain zstd rows written before the first dictionary) with the current one, ``BATCH``
   pages a transaction. Each page is read back from its new blob and compared with the
   original before the row is changed; the blob and the row's ``codec``/``dictionary_id``/
   ``level`` change in one UPDATE. A run that stops (killed, or asked to stop) leaves every
   row readable, and the next run carries on: the rows say what they are. Nothing is packed
   before the archive has a dictionary (a page packed without one would never get one).
3. **Drop** the dictionaries no page uses any more (not the current one).

Pages compressed with an older dictionary keep it: a page compresses best with a dictionary of
its own time (pages of an old template would grow with the new template's dictionary), and
rewriting every row on each retraining would cost a full rewrite of the table for little or
nothing. A dictionary is at most 1 MiB; it goes when its last page does (an article
fetched again is written with the current dictionary).

The functions here run inside the caller's transaction, except ``propose``, which only reads
(training and testing the dictionary take a few seconds, and must not hold the write lock).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlite_utils import Database

from monitor.archive import raw, raw_codec, raw_dictionaries
from monitor.archive.raw import RawPage
from monitor.errors import StorageError

MIN_PAGES = 100
SAMPLE_PAGES = 500  # ~60 MB of pages in memory while training; quality is flat above ~300
HELD_OUT_SHARE = 10  # the newest tenth of the sample tests the dictionaries
MIN_SAVING = 0.10
BATCH = 100

TrainingOutcome = Literal["trained", "not due", "no gain", "too little data", "stopped"]


@dataclass(frozen=True)
class Proposal:
    """A dictionary trained on the newest pages, and how it compared with what is used now
    on the held-out pages (``before`` and ``after`` bytes)."""

    data: bytes
    pages: int
    newest_article_id: int
    replaces: int | None  # the current dictionary when it was trained (None: none)
    tested: int
    before: int
    after: int

    @property
    def pays(self) -> bool:
        return self.after <= self.before * (1 - MIN_SAVING)


@dataclass(frozen=True)
class Training:
    """What the training step did: ``trained`` (``dictionary_id`` is the new one), ``not
    due``, ``no gain`` (not kept), ``too little data``, or ``stopped`` (not tried: asked to
    stop first); with the held-out figures."""

    outcome: TrainingOutcome
    dictionary_id: int | None = None
    pages: int = 0
    tested: int = 0
    before: int = 0
    after: int = 0


@dataclass(frozen=True)
class Recompressed:
    """Pages packed (recompressed at ``PACK_LEVEL`` with a dictionary), and their compressed
    bytes before and after."""

    pages: int = 0
    before: int = 0
    after: int = 0

    def __add__(self, other: Recompressed) -> Recompressed:
        return Recompressed(
            self.pages + other.pages, self.before + other.before, self.after + other.after
        )


def propose(db: Database) -> Proposal | TrainingOutcome:
    """Train a dictionary when one is due (see the module docstring), without writing."""
    current = raw_dictionaries.current(db, raw_codec.PACK_LEVEL)
    if current is not None:
        trained_to = raw_dictionaries.newest_trained_on(db) or 0
        if raw.count_above(db, trained_to, up_to=MIN_PAGES) < MIN_PAGES:
            return "not due"
    sample = raw.latest_raw_pages(db, SAMPLE_PAGES)  # newest first
    if len(sample) < MIN_PAGES:
        return "not due"
    held_out, train_on = _split(sample)
    data = raw_codec.train([page.html for page in train_on])
    if data is None:
        return "too little data"
    tested = [page.html for page in held_out]
    return Proposal(
        data=data,
        pages=len(train_on),
        newest_article_id=max(page.article_id for page in train_on),
        replaces=None if current is None else current.dictionary_id,
        tested=len(tested),
        before=raw_codec.compressed_size(tested, current),
        after=raw_codec.compressed_size(tested, raw_codec.load(0, data, raw_codec.PACK_LEVEL)),
    )


def _split(sample: Sequence[RawPage]) -> tuple[Sequence[RawPage], Sequence[RawPage]]:
    """The newest tenth of ``sample`` (newest first), held out; and the rest."""
    held = max(1, len(sample) // HELD_OUT_SHARE)
    return sample[:held], sample[held:]


def adopt(db: Database, proposal: Proposal, *, created_at: str) -> Training:
    """Keep the proposed dictionary when it pays and the current one is still the one it was
    compared with (another process may have trained meanwhile)."""
    figures = {"pages": proposal.pages, "tested": proposal.tested,
               "before": proposal.before, "after": proposal.after}  # fmt: skip
    if not proposal.pays:
        return Training("no gain", **figures)
    current = raw_dictionaries.current(db)
    if (None if current is None else current.dictionary_id) != proposal.replaces:
        return Training("not due")
    dictionary_id = raw_dictionaries.add(
        db,
        proposal.data,
        pages=proposal.pages,
        newest_article_id=proposal.newest_article_id,
        created_at=created_at,
    )
    return Training("trained", dictionary_id, **figures)


def recompress_batch(db: Database, limit: int = BATCH) -> Recompressed:
    """Pack up to ``limit`` pages not yet at ``PACK_LEVEL`` (none when the archive has no
    dictionary yet): each with its dictionary, or the current one when it has none; each page
    is checked to read back identical first."""
    current = raw_dictionaries.current_id(db)
    if current is None:
        return Recompressed()
    rows = raw.blobs_below(db, raw_codec.PACK_LEVEL, limit)
    wanted = {current, *(row.dictionary_id for row in rows if row.dictionary_id is not None)}
    # loaded once a batch (some 0.3 s for a 1 MiB dictionary), not kept: see raw_codec
    loaded = raw_dictionaries.by_id(db, wanted, raw_codec.PACK_LEVEL) if rows else {}
    done = Recompressed()
    for row in rows:
        used = None if row.dictionary_id is None else loaded.get(row.dictionary_id)
        html = raw.decompressed(row.article_id, row.html, row.codec, row.dictionary_id, used)
        dictionary = used or loaded[current]  # decompressed() refused a missing dictionary
        blob = raw_codec.compress(html, dictionary)
        if raw_codec.decompress(blob, "zstd", dictionary) != html:
            raise StorageError(
                f"raw page of article {row.article_id} does not read back identical once"
                f" recompressed with dictionary {dictionary.dictionary_id}: left as it was",
                article_id=row.article_id,
            )
        raw.replace_blob(db, row.article_id, blob, dictionary)
        done += Recompressed(1, len(row.html), len(blob))
    return done
