"""The archive's one way to write: ``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any error.

``IMMEDIATE`` takes the write lock when the transaction starts, so a writer that must wait
for another process waits in the busy handler (the connection's ``busy_timeout``) instead of
failing with ``SQLITE_BUSY`` when a read turns into a write half-way through. Every helper in
this package writes inside a transaction opened here and never commits on its own.

A write inside another (a batch of stores: ``Archive.batch``) joins it: no savepoint, because
FTS5 flushes its pending index data to a new segment at every savepoint, which made a batch of
new articles cost as much as one transaction each. The batch is kept or undone as a whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Run the block as one transaction: all of its writes are kept, or none."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
