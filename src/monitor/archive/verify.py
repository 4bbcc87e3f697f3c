"""Is a copy of the archive whole? Every check ``monitor verify`` and ``monitor restore`` make.

They run on a copy (a backup decompressed, or a snapshot of the live archive taken with
``backup.copy_verified``), never on the live file: FTS5's integrity check is an INSERT, which
would hold the archive's write lock — and stall the daemon's crawls — for as long as it takes.

    integrity     ``PRAGMA integrity_check`` (every page, index and constraint)
    schema        the version: newer than this program's is refused; an older one gets the
                  structural checks only (its tables are not yet this program's)
    foreign keys  ``PRAGMA foreign_key_check``: no row points at a row that is not there
    search        each FTS5 index's own ``integrity-check`` (``fts.integrity_problems``), and
                  each of them holds one row per article
    versions      every article's ``version`` − 1 earlier versions are kept, in all
    raw pages     every page decompresses (with its zstd dictionary) to its recorded size

Each problem is one line; the first is what a user is told.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from monitor.archive import fts, raw, raw_dictionaries
from monitor.archive.backup import connect, integrity_lines, snapshot
from monitor.archive.migrations import SCHEMA_VERSION
from monitor.errors import StorageError

Progress = Callable[[int, int], None]  # (raw pages read, raw pages in all)
BATCH = 200  # raw pages read per query
SHOWN = 5  # problems of one kind listed; the rest are counted


@dataclass(frozen=True)
class Verification:
    """What the checks found in one database file: its schema version, row counts, the raw
    pages read, and the problems (empty when it is whole)."""

    path: str
    schema_version: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    raw_pages: int = 0
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def full(self) -> bool:
        """Whether the content checks ran (the schema is this program's)."""
        return self.schema_version == SCHEMA_VERSION


def verify_file(path: Path, *, progress: Progress | None = None) -> Verification:
    """Run every check on the database at ``path`` (a copy: FTS5's check writes a
    transaction). Never raises for damage: that is what the problems say."""
    try:
        connection = connect(path)
    except Exception as error:
        return Verification(str(path), problems=(str(error),))
    with closing(connection):
        return _verify(path, Database(connection, execute_plugins=False), progress)


def _verify(path: Path, db: Database, progress: Progress | None) -> Verification:
    problems = _guarded("integrity", lambda: integrity_check(db))
    try:
        version, counts = snapshot(db.conn)
    except sqlite3.DatabaseError as error:
        return Verification(str(path), problems=(*problems, f"tables unreadable: {error}"))
    if version > SCHEMA_VERSION:
        newer = f"schema version {version} is newer than this program's ({SCHEMA_VERSION})"
        return Verification(str(path), version, counts, problems=(*problems, newer))
    problems += _guarded("foreign keys", lambda: foreign_key_problems(db))
    pages = 0
    if version == SCHEMA_VERSION:
        problems += _guarded("search indexes", lambda: fts.integrity_problems(db))
        problems += _guarded("search indexes", lambda: index_coverage_problems(db))
        problems += _guarded("versions", lambda: version_problems(db))
        found, pages = raw_page_problems(db, progress)
        problems += found
    return Verification(str(path), version, counts, pages, tuple(problems))


def _guarded(what: str, check: Callable[[], list[str]]) -> list[str]:
    """A check's problems; a check that cannot even run is one problem itself."""
    try:
        return check()
    except sqlite3.DatabaseError as error:
        return [f"{what}: cannot be checked: {error}"]


def integrity_check(db: Database) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong (empty: nothing)."""
    return [f"integrity: {line}" for line in integrity_lines(db.conn)]


def foreign_key_problems(db: Database) -> list[str]:
    """One line per table holding rows whose parent row is missing."""
    missing: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _key in db.execute("PRAGMA foreign_key_check"):
        missing[(table, parent)] = missing.get((table, parent), 0) + 1
    return [
        f"foreign keys: {rows} rows of {table} point at missing rows of {parent}"
        for (table, parent), rows in missing.items()
    ]


def index_coverage_problems(db: Database) -> list[str]:
    """Each search index holds exactly the archived articles."""
    problems = []
    for table in fts.TABLES:
        missing = db.execute(
            f"SELECT COUNT(*) FROM articles WHERE article_id NOT IN (SELECT rowid FROM {table})"
        ).fetchone()[0]
        extra = db.execute(
            f"SELECT COUNT(*) FROM {table} WHERE rowid NOT IN (SELECT article_id FROM articles)"
        ).fetchone()[0]
        if missing or extra:
            problems.append(
                f"search index {table}: {missing} articles missing from it,"
                f" {extra} rows of no article"
            )
    return problems


def version_problems(db: Database) -> list[str]:
    """Articles at version *v* keep *v* − 1 earlier versions: the totals agree."""
    expected = db.execute("SELECT COALESCE(SUM(version - 1), 0) FROM articles").fetchone()[0]
    kept = db.execute("SELECT COUNT(*) FROM article_versions").fetchone()[0]
    if expected == kept:
        return []
    return [
        f"versions: the articles' version numbers call for {expected} earlier versions, {kept} kept"
    ]


def raw_page_problems(db: Database, progress: Progress | None) -> tuple[list[str], int]:
    """Every raw page read back; the problems (``SHOWN`` listed, the rest counted) and the
    pages read."""
    total = int(db.execute("SELECT COUNT(*) FROM raw_pages").fetchone()[0])
    problems: list[str] = []
    bad, done, after = 0, 0, -1
    while True:
        rows = db.execute(
            "SELECT article_id, html, codec, dictionary_id, raw_size FROM raw_pages"
            " WHERE article_id > ? ORDER BY article_id LIMIT ?",
            (after, BATCH),
        ).fetchall()
        if not rows:
            break
        for problem in _batch_problems(db, rows):
            bad += 1
            if len(problems) < SHOWN:
                problems.append(problem)
        done += len(rows)
        after = rows[-1][0]
        if progress is not None:
            progress(done, total)
    if bad > len(problems):
        problems.append(f"raw pages: {bad - len(problems)} more do not read back")
    return problems, done


def _batch_problems(db: Database, rows: list[tuple[int, bytes, str, int | None, int]]) -> list[str]:
    try:
        dictionaries = raw_dictionaries.by_id(db, (row[3] for row in rows if row[3] is not None))
    except StorageError as error:
        return [f"raw pages: {error}"] * len(rows)
    problems = []
    for article_id, blob, codec, dictionary_id, size in rows:
        dictionary = None if dictionary_id is None else dictionaries.get(dictionary_id)
        try:
            html = raw.decompressed(article_id, blob, codec, dictionary_id, dictionary)
        except StorageError as error:
            problems.append(str(error))
            continue
        if len(html) != size:
            problems.append(f"raw page of article {article_id}: {len(html)} bytes, {size} recorded")
    return problems
