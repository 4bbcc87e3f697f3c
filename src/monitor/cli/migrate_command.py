"""``monitor migrate``: bring the archive's schema up to date, on purpose, keeping a copy."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.archive import MIGRATIONS, SCHEMA_VERSION, Archive
from monitor.archive.connection import Upgrade, schema_version_of
from monitor.cli.context import AppContext


@click.command("migrate")
@click.option("--dry-run", is_flag=True, help="Say which migrations are pending; change nothing.")
@click.pass_obj
def migrate_command(app: AppContext, dry_run: bool) -> None:
    """Apply the archive's pending schema migrations, after keeping a verified copy of it as it
    was beside it (<archive>.pre-v<N>-<UTC time>.db, N the version migrated to).

    Any command that writes (crawl, run, match, reparse, maintain...) does the same on first
    use after an upgrade; read-only commands (search, show, export, stats, status...) refuse an
    older archive and name this command. An archive written by a newer program is refused.

    \b
    Examples:
      monitor migrate --dry-run
      monitor --config /etc/congan-monitor/monitor.toml migrate
    """
    path = Path(app.archive_path())
    if dry_run:
        click.echo(pending(path, schema_version_of(path)))
        return
    with Archive.open(path) as archive:
        upgrade = archive.upgrade
    for line in describe(path, upgrade):
        click.echo(line)


def pending(path: Path, version: int) -> str:
    """What ``monitor migrate`` would do to the archive at schema ``version``."""
    if version == SCHEMA_VERSION:
        return f"archive {path} is at schema version {version}: nothing to migrate"
    steps = "; ".join(
        f"{number}: {_summary(number)}" for number in range(version + 1, SCHEMA_VERSION + 1)
    )
    return f"archive {path}: schema version {version} → {SCHEMA_VERSION} would apply {steps}"


def _summary(number: int) -> str:
    """The first paragraph of the migration's docstring, in plain words (no code quotes)."""
    doc = MIGRATIONS[number - 1].__doc__ or ""
    return " ".join(doc.split("\n\n")[0].replace("``", "").split())


def describe(path: Path, upgrade: Upgrade | None) -> list[str]:
    """What migrating did, for the operator: from → to, the copy and where it is."""
    if upgrade is None:
        return [f"archive {path} is at schema version {SCHEMA_VERSION}: nothing to migrate"]
    applied = ", ".join(str(n) for n in upgrade.applied) or "none (another process did)"
    lines = [
        f"archive {path}: schema version {upgrade.before} → {upgrade.after}"
        f" (migrations applied: {applied}) in {upgrade.seconds:.2f} s"
    ]
    if upgrade.copy is not None:
        copy = upgrade.copy
        lines.append(
            f"its copy as it was (schema version {copy.version}, {copy.rows:,} rows in"
            f" {copy.tables} tables, integrity checked) is kept at {copy.path}"
        )
    return lines
