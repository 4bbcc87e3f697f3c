"""Backup, restore and verify, as steps over files; the SQL is in ``monitor.archive.backup``
(the copy) and ``monitor.archive.verify`` (the checks).

backup   a verified snapshot copy of the archive (``copy_verified``) ─► compressed beside the
         other backups (``monitor-<UTC time>.db.zst``), read back ─► its manifest entry
         ─► rotation: the entries the policy does not keep are dropped from the manifest,
         then their files deleted
restore  refused while a daemon, a crawl or a delivery holds the archive ─► the backup's
         checksum against its manifest entry (when it has one) ─► decompressed to a temporary
         file beside the archive ─► every check of ``verify_file``, and its row counts against
         the manifest's ─► the current archive set aside (``<archive>.before-restore-<time>``)
         ─► the restored file renamed into place (``os.replace``: all or nothing)
verify   the archive: a snapshot copy beside it, checked (the live file is never written);
         a backup: checksum, decompressed beside it, checked, counts against the manifest
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from monitor.archive.backup import COMPANIONS, copy_verified, fsync_path, set_aside
from monitor.archive.verify import Verification, verify_file
from monitor.backup import compression, manifest, rotation
from monitor.backup.manifest import Entry
from monitor.clock import SYSTEM_CLOCK, Clock
from monitor.config import Config
from monitor.errors import BackupError, DamagedError, InputError
from monitor.growth import FreeSpace, free_space
from monitor.locks import held_alone

Progress = Callable[[int, int], None]
PREFIX = "monitor-"
SUFFIX = ".db.zst"


@dataclass(frozen=True)
class Steps:
    """Progress callbacks: the copy (pages) and the raw pages read back (pages)."""

    copy: Progress | None = None
    check: Progress | None = None


NO_PROGRESS = Steps()


@dataclass(frozen=True)
class Made:
    """A backup made: its file and entry, the files rotation removed, and how many are kept."""

    path: Path
    entry: Entry
    removed: tuple[str, ...]
    kept: int


@dataclass(frozen=True)
class Restored:
    archive: Path
    backup: Path
    verification: Verification
    aside: Path | None
    entry: Entry | None


@dataclass(frozen=True)
class Verified:
    """What ``verify`` found in ``target``; ``checksum`` says how the file's checksum went
    ("" for the archive itself)."""

    target: Path
    verification: Verification
    checksum: str = ""


def directory_of(config: Config, dest: Path | None = None) -> Path:
    """Where backups go: ``dest``, else ``backup.directory``, else ``backups/`` beside the
    archive."""
    if dest is not None:
        return dest
    if config.backup.directory:
        return Path(config.backup.directory)
    return Path(config.database.path).parent / "backups"


def policy_of(config: Config) -> rotation.Policy:
    keep = config.backup
    return rotation.Policy(keep.keep_daily, keep.keep_weekly, keep.keep_monthly)


def stamp(moment: datetime) -> str:
    """``20261203T114500Z``: a moment in UTC, as file names carry it."""
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


# --- backup ---------------------------------------------------------------------------------


def make_backup(
    database: Path,
    directory: Path,
    policy: rotation.Policy,
    *,
    clock: Clock = SYSTEM_CLOCK,
    progress: Progress | None = None,
) -> Made:
    """Back the archive at ``database`` up into ``directory``, then rotate."""
    _make_directory(directory)
    copy = directory / f".{PREFIX}{stamp(clock.now())}-{os.getpid()}.copy"
    try:
        info = copy_verified(database, copy, clock=clock, progress=progress)
        path = _free_name(directory, stamp(datetime.fromisoformat(info.created_at)))
        partial = directory / f".{path.name}.partial"
        try:
            file_sha, database_sha = compression.compress(copy, partial)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    finally:
        copy.unlink(missing_ok=True)
    entry = Entry(
        file=path.name, created_at=info.created_at, sha256=file_sha, size=path.stat().st_size,
        database_sha256=database_sha, database_size=info.size,
        schema_version=info.schema_version, counts=info.counts, source=str(database),
    )  # fmt: skip
    removed, kept = _rotate(directory, [*manifest.read(directory), entry], policy)
    return Made(path, entry, removed, kept)


def _make_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise BackupError(
            f"cannot create the backup folder {directory}: {error.strerror}", path=str(directory)
        ) from None


def _free_name(directory: Path, moment: str) -> Path:
    """``monitor-<moment>.db.zst``, or ``…-2.db.zst`` and on when taken in the same second."""
    path, number = directory / f"{PREFIX}{moment}{SUFFIX}", 1
    while path.exists():
        number += 1
        path = directory / f"{PREFIX}{moment}-{number}{SUFFIX}"
    return path


def _rotate(
    directory: Path, entries: list[Entry], policy: rotation.Policy
) -> tuple[tuple[str, ...], int]:
    """Keep what ``policy`` keeps: the manifest first, then the files it no longer lists."""
    keep = rotation.kept((entry.time for entry in entries), policy)
    kept = [entry for entry in entries if entry.time in keep]
    dropped = tuple(entry.file for entry in entries if entry.time not in keep)
    manifest.write(directory, kept)
    for name in dropped:
        (directory / name).unlink(missing_ok=True)
    return dropped, len(kept)


# --- restore --------------------------------------------------------------------------------

ROOM_MARGIN = 16 * 2**20  # bytes kept free beyond the restored file (its journal, the logs)


def restore_backup(
    database: Path,
    backup: Path,
    *,
    clock: Clock = SYSTEM_CLOCK,
    steps: Steps = NO_PROGRESS,
    free: FreeSpace = free_space,
) -> Restored:
    """Put the backup ``backup`` in place of the archive at ``database``, once it is verified
    whole; the archive there before is kept aside. Refused up front when the archive's file
    system has not the room for the restored file (``free``: bytes free there)."""
    _must_exist(backup)
    database.parent.mkdir(parents=True, exist_ok=True)
    with held_alone(database, "restore"):
        entry = _checked_against_manifest(backup)
        _must_have_room(database, backup, entry, free)
        moment = stamp(clock.now())
        temporary = database.with_name(f"{database.name}.restore-{moment}.tmp")
        try:
            verification = _materialised(backup, temporary, entry, steps)
            if not verification.ok:
                raise DamagedError(
                    f"backup {backup} is damaged, not restored: {verification.problems[0]}",
                    path=str(backup), problems=verification.problems,
                )  # fmt: skip
            aside = _set_aside(database, moment)
            os.chmod(temporary, 0o600)
            os.replace(temporary, database)
            fsync_path(database.parent)
        finally:
            _remove_with_companions(temporary)
    return Restored(database, backup, verification, aside, entry)


def _must_have_room(database: Path, backup: Path, entry: Entry | None, free: FreeSpace) -> None:
    """A ``BackupError`` when the restored archive cannot fit beside the current one (which is
    only renamed): its size from the manifest, else the backup file's (for a compressed backup
    without a manifest entry, less than it will take)."""
    needed = entry.database_size if entry is not None else backup.stat().st_size
    room = free(database.parent)
    if room < needed + ROOM_MARGIN:
        raise BackupError(
            f"not restored: {backup} needs {_mib(needed)} free in {database.parent},"
            f" {_mib(room)} free there; the archive is untouched",
            path=str(backup),
        )


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def _set_aside(database: Path, moment: str) -> Path | None:
    if not database.exists():
        return None
    aside = database.with_name(f"{database.name}.before-restore-{moment}")
    set_aside(database, aside)
    return aside


def _must_exist(backup: Path) -> None:
    if not backup.is_file():
        raise InputError(f"no backup file at {backup}", path=str(backup))


def _checked_against_manifest(backup: Path) -> Entry | None:
    """The backup's manifest entry (None without one); a ``DamagedError`` when the file's
    checksum is not the one recorded."""
    entry = manifest.entry_for(backup)
    if entry is not None and compression.sha256(backup) != entry.sha256:
        raise DamagedError(
            f"backup {backup} is damaged: its SHA-256 is not the one in"
            f" {manifest.path_in(backup.parent)}",
            path=str(backup), problems=["checksum differs from the manifest's"],
        )  # fmt: skip
    return entry


def _materialised(backup: Path, dest: Path, entry: Entry | None, steps: Steps) -> Verification:
    """``backup`` as a database at ``dest`` (decompressed, or copied when it is one already),
    and what the checks find in it; its counts compared with the manifest's."""
    if compression.is_compressed(backup):
        compression.decompress(backup, dest)
    else:
        try:
            copy_verified(backup, dest, progress=steps.copy)
        except DamagedError as error:
            return Verification(str(backup), problems=error.problems or (str(error),))
        except BackupError as error:
            return Verification(str(backup), problems=(str(error),))
    found = replace(verify_file(dest, progress=steps.check), path=str(backup))
    if entry is not None and found.ok and found.counts != entry.counts:
        differ = sorted(t for t in {*found.counts, *entry.counts}
                        if found.counts.get(t) != entry.counts.get(t))  # fmt: skip
        problem = f"row counts differ from the manifest's ({', '.join(differ[:3])})"
        return replace(found, problems=(problem,))
    return found


def _remove_with_companions(path: Path) -> None:
    for suffix in ("", *COMPANIONS):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


# --- verify ---------------------------------------------------------------------------------


def verify_archive(
    database: Path, *, clock: Clock = SYSTEM_CLOCK, steps: Steps = NO_PROGRESS
) -> Verified:
    """Check the archive at ``database`` (in use or not) through a snapshot copy beside it."""
    temporary = database.with_name(f"{database.name}.verify-{stamp(clock.now())}.tmp")
    try:
        try:
            copy_verified(database, temporary, clock=clock, progress=steps.copy)
        except DamagedError as error:
            damaged = Verification(str(database), problems=error.problems or (str(error),))
            return Verified(database, damaged)
        found = verify_file(temporary, progress=steps.check)
        return Verified(database, replace(found, path=str(database)))
    finally:
        _remove_with_companions(temporary)


def verify_backup(
    backup: Path, *, clock: Clock = SYSTEM_CLOCK, steps: Steps = NO_PROGRESS
) -> Verified:
    """Check a backup file (compressed or not): its checksum, then its content."""
    _must_exist(backup)
    try:
        entry = _checked_against_manifest(backup)
    except DamagedError as error:
        return Verified(backup, Verification(str(backup), problems=(str(error),)), "differs")
    checksum = "matches its manifest" if entry is not None else "no manifest entry"
    temporary = backup.with_name(f".{backup.name}.verify-{stamp(clock.now())}.tmp")
    try:
        try:
            found = _materialised(backup, temporary, entry, steps)
        except DamagedError as error:
            found = Verification(str(backup), problems=error.problems or (str(error),))
        return Verified(backup, found, checksum)
    finally:
        _remove_with_companions(temporary)


def newest_good_backup(directory: Path) -> Path | None:
    """The newest backup in ``directory``'s manifest whose file is there with its checksum."""
    try:
        entries = manifest.read(directory)
    except BackupError:
        return None
    for entry in reversed(entries):
        path = directory / entry.file
        if path.is_file() and compression.sha256(path) == entry.sha256:
            return path
    return None


def damage_line(verified: Verified, backups: Path) -> str:
    """One line: what is damaged, and how to recover."""
    problems = verified.verification.problems
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    what = f"{verified.target} is damaged: {problems[0]}{more}"
    newest = newest_good_backup(backups)
    if newest is not None and newest.resolve() != verified.target.resolve():
        return f"{what}; restore it with `monitor restore {newest}`"
    return f"{what}; no verified backup in {backups} to restore from"


def summary_line(verified: Verified) -> str:
    """The one line of a verification that found nothing wrong."""
    found = verified.verification
    checksum = f"checksum {verified.checksum}; " if verified.checksum else ""
    if not found.full:
        return (
            f"{verified.target}: {checksum}integrity and foreign keys ok (schema"
            f" {found.schema_version}, older than this program's: content checked after migrating)"
        )
    counts = found.counts
    return (
        f"{verified.target}: {checksum}integrity, foreign keys, search indexes ok;"
        f" {found.raw_pages:,} raw pages read back; {counts.get('articles', 0):,} articles,"
        f" {counts.get('article_versions', 0):,} earlier versions (schema {found.schema_version})"
    )
