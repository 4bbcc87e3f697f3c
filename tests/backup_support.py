"""Archives to back up, their content as rows, and damage done to copies on purpose."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import zstandard
from test_archive_support import LATER, record, store

from monitor.archive import Archive


def small_archive(path: Path, articles: int = 20) -> Path:
    """An archive of ``articles`` articles (one edited once: an earlier version), each with
    its raw page."""
    with Archive.open(path) as archive:
        for number in range(articles):
            store(archive, record(100 + number), html=b"<html>%d</html>" % number * 40)
        store(archive, record(100, title="Sửa lại"), fetched_at=LATER)
    return path


def tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every ordinary table's rows (FTS5's shadow tables included), in rowid order."""
    with closing(sqlite3.connect(path)) as db:
        return rows_of(db)


def rows_of(connection: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """``tables`` read through an open connection (inside its transaction, if any)."""
    names = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
    ]
    return {name: rows_in_order(connection, name) for name in names}


def rows_in_order(db: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    """A table's rows ordered by every column (some tables have no rowid)."""
    columns = len(db.execute(f'PRAGMA table_info("{table}")').fetchall())
    order = ", ".join(str(number) for number in range(1, columns + 1))
    return db.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()


def damage_page(path: Path, table: str = "articles") -> None:
    """Overwrite the header of ``table``'s root page with garbage (the file stays its size)."""
    with closing(sqlite3.connect(path)) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[
            0
        ]
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xa5" * 32)


def decompress(source: Path, dest: Path) -> Path:
    dest.write_bytes(zstandard.ZstdDecompressor().decompressobj().decompress(source.read_bytes()))
    return dest


def compress(source: Path, dest: Path) -> Path:
    dest.write_bytes(zstandard.ZstdCompressor().compress(source.read_bytes()))
    return dest


def flip_byte(path: Path, offset: int) -> None:
    """One byte of ``path`` changed (its checksum no longer matches)."""
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
