"""docs/schema.md describes the archive exactly: every table, view and column of a freshly
migrated archive, every index and trigger, and nothing that does not exist (sqlite-utils' rule:
a test fails when something is undocumented).

Skipped by rule, as the page says: tables named ``sqlite_*`` (SQLite's own) and the FTS5 shadow
tables (``PRAGMA table_list`` type ``shadow``: ``<fts table>_data``, ``_idx``, ``_docsize``,
``_config``).
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

from monitor.archive import Archive

SCHEMA_DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"
_HEADING = re.compile(r"^#{2,4} `(\w+)`")
_COLUMN_ROW = re.compile(r"^\| `(\w+)` \|")


def fresh_schema() -> tuple[dict[str, list[str]], list[str]]:
    """A new archive's tables and views with their columns, and its index and trigger names."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "archive.db"
        Archive.open(path).close()
        with closing(sqlite3.connect(path)) as db:
            names = [
                name
                for name, kind in db.execute("SELECT name, type FROM pragma_table_list")
                if kind in ("table", "view", "virtual") and not name.startswith("sqlite_")
            ]
            objects = {
                name: [row[1] for row in db.execute("SELECT * FROM pragma_table_info(?)", (name,))]
                for name in names
            }
            others = db.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')"
                " AND name NOT LIKE 'sqlite_autoindex_%'"
            )
            return objects, [name for (name,) in others]


def documented() -> dict[str, list[str]]:
    """The page's objects (``### `name``` headings) with the columns their tables list."""
    objects: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in SCHEMA_DOC.read_text(encoding="utf-8").splitlines():
        if heading := _HEADING.match(line):
            current = objects.setdefault(heading[1], [])
        elif (row := _COLUMN_ROW.match(line)) and current is not None:
            current.append(row[1])
    return objects


ACTUAL, INDEXES_AND_TRIGGERS = fresh_schema()
DOCUMENTED = documented()


@pytest.mark.parametrize("name", sorted(ACTUAL))
def test_every_table_and_view_is_documented(name: str) -> None:
    assert name in DOCUMENTED, f"{name} is not described in docs/schema.md"


@pytest.mark.parametrize(
    ("name", "column"), [(name, column) for name in sorted(ACTUAL) for column in ACTUAL[name]]
)
def test_every_column_is_documented(name: str, column: str) -> None:
    assert column in DOCUMENTED.get(name, []), f"{name}.{column} is not in docs/schema.md"


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_every_documented_table_exists(name: str) -> None:
    assert name in ACTUAL, f"docs/schema.md describes {name}, which a new archive lacks"


@pytest.mark.parametrize(
    ("name", "column"),
    [(name, column) for name in sorted(DOCUMENTED) for column in DOCUMENTED[name]],
)
def test_every_documented_column_exists(name: str, column: str) -> None:
    assert column in ACTUAL.get(name, []), f"docs/schema.md describes {name}.{column}"


def test_each_column_is_listed_once() -> None:
    for name, columns in DOCUMENTED.items():
        assert len(columns) == len(set(columns)), name


@pytest.mark.parametrize("name", sorted(INDEXES_AND_TRIGGERS))
def test_every_index_and_trigger_is_named(name: str) -> None:
    assert f"`{name}`" in SCHEMA_DOC.read_text(encoding="utf-8"), name
