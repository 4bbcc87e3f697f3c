"""monitor.backup.operations: restoring refuses up front what the disk cannot hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.backup import operations
from monitor.backup.rotation import Policy
from monitor.errors import BackupError

from backup_support import small_archive, tables


def _backed_up(database: Path) -> tuple[Path, int]:
    """A backup of a small archive at ``database``, and the archive's size as recorded."""
    small_archive(database)
    made = operations.make_backup(database, database.parent / "backups", Policy(7, 4, 12))
    return made.path, made.entry.database_size


def test_restore_without_room_for_the_archive_is_refused_before_writing(tmp_path: Path) -> None:
    database = tmp_path / "monitor.db"
    backup, size = _backed_up(database)
    before = tables(database)
    short = size + operations.ROOM_MARGIN - 1
    with pytest.raises(BackupError, match=r"not restored: .* needs .* free in .*untouched"):
        operations.restore_backup(database, backup, free=lambda path: short)
    assert tables(database) == before
    assert not [path for path in tmp_path.iterdir() if "restore" in path.name]  # no copy begun


def test_restore_with_just_the_room_it_needs_goes_ahead(tmp_path: Path) -> None:
    database = tmp_path / "monitor.db"
    backup, size = _backed_up(database)
    before = tables(database)
    restored = operations.restore_backup(
        database, backup, free=lambda path: size + operations.ROOM_MARGIN
    )
    assert restored.verification.ok and tables(database) == before
