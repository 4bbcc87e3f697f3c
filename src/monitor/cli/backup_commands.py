"""``monitor backup``, ``monitor restore`` and ``monitor verify``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from monitor.backup import operations
from monitor.backup.operations import Steps
from monitor.cli.context import AppContext
from monitor.cli.progress import JobProgress
from monitor.errors import DamagedError

FILE = click.Path(path_type=Path, dir_okay=False)


@contextmanager
def progress_bars(label: str) -> Iterator[Steps]:
    """Progress bars on a terminal (the copy, then the raw pages read back); none elsewhere,
    where the command's one summary line is its whole output."""
    if not sys.stderr.isatty():
        yield Steps()
        return
    bars = (JobProgress(f"{label}: copy", "pages"), JobProgress(f"{label}: raw pages", "pages"))
    try:
        yield Steps(copy=bars[0], check=bars[1])
    finally:
        for bar in bars:
            bar.close()


@click.command("backup")
@click.argument("dest", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.pass_obj
def backup_command(app: AppContext, dest: Path | None) -> None:
    """Back the archive up while it is in use (the daemon may be crawling): a consistent copy
    (SQLite's backup API), verified against the archive at that moment, compressed with zstd,
    named by its UTC time (monitor-20261203T114500Z.db.zst) in DEST — default backup.directory,
    or backups/ beside the archive — and listed in DEST/manifest.json with its SHA-256, size,
    schema version and row counts. Then the older backups the [backup] policy does not keep
    are deleted.

    \b
    Examples:
      monitor backup
      monitor backup /mnt/usb/congan-backups
    """
    config = app.config
    directory = operations.directory_of(config, dest)
    with progress_bars("backup") as steps:
        made = operations.make_backup(
            Path(app.archive_path()), directory, operations.policy_of(config), progress=steps.copy
        )
    entry = made.entry
    removed = f", {len(made.removed)} removed by rotation" if made.removed else ""
    click.echo(
        f"backup {made.path}: {_mib(entry.size)} ({_mib(entry.database_size)} archive),"
        f" schema {entry.schema_version}, {entry.counts.get('articles', 0):,} articles,"
        f" verified; {made.kept} backups kept{removed}"
    )


@click.command("restore")
@click.argument("backup", type=FILE)
@click.pass_obj
def restore_command(app: AppContext, backup: Path) -> None:
    """Replace the archive with BACKUP (a .db.zst from `monitor backup`, or an uncompressed
    .db), once BACKUP is verified: its checksum against the manifest beside it, then every
    check of `monitor verify`. Refused while the daemon, a crawl or a delivery runs on the
    archive. The archive there before is kept as <archive>.before-restore-<time>, never
    deleted. The next crawl carries on from the restored state.

    \b
    Examples:
      systemctl stop congan-monitor
      monitor restore db/backups/monitor-20261203T114500Z.db.zst
      systemctl start congan-monitor
    """
    database = Path(app.config.database.path)
    with progress_bars("restore") as steps:
        restored = operations.restore_backup(database, backup, steps=steps)
    counts = restored.verification.counts
    aside = f"; the archive before is kept as {restored.aside}" if restored.aside else ""
    checked = "checksum and content verified" if restored.entry else "content verified"
    click.echo(
        f"restored {database} from {backup} ({checked}; schema"
        f" {restored.verification.schema_version}, {counts.get('articles', 0):,} articles){aside}"
    )


@click.command("verify")
@click.argument("backup", required=False, type=FILE)
@click.pass_obj
def verify_command(app: AppContext, backup: Path | None) -> None:
    """Check the archive — or BACKUP, compressed or not — whole: SQLite's integrity and
    foreign keys, the search indexes' own checks and one row per article in each, the
    versions kept, every raw page decompressed. The archive is checked through a snapshot
    copy beside it (as much free space as it takes), so the daemon may run meanwhile.
    Exit 0 and one line when all is well; exit 1 and one line naming what is damaged and the
    `monitor restore` to run.

    \b
    Examples:
      monitor verify
      monitor verify db/backups/monitor-20261203T114500Z.db.zst
    """
    config = app.config
    with progress_bars("verify") as steps:
        if backup is None:
            verified = operations.verify_archive(Path(app.archive_path()), steps=steps)
        else:
            verified = operations.verify_backup(backup, steps=steps)
    if not verified.verification.ok:
        line = operations.damage_line(verified, operations.directory_of(config))
        raise DamagedError(line, path=str(verified.target), problems=verified.verification.problems)
    click.echo(operations.summary_line(verified))


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"
