"""``monitor init``: create the archive where the configuration says, on purpose."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.archive import Archive
from monitor.cli.context import AppContext


@click.command("init")
@click.pass_obj
def init_command(app: AppContext) -> None:
    """Create the archive at database.path (with its directory), bring its schema up to date,
    and print where it is. Run again, it keeps the archive and says so.

    Every other command needs the archive to exist, so that a typo in database.path is an
    error rather than a new, empty archive (crawl and run also take --create).

    \b
    Examples:
      monitor init
      monitor --config /etc/congan-monitor/monitor.toml init
    """
    path = app.archive_path(create=True)
    existed = Path(path).exists()
    with Archive.open(path) as archive:
        version = archive.settings().schema_version
    where = f"{path} ({Path(path).resolve()})" if not Path(path).is_absolute() else path
    if existed:
        click.echo(f"archive already exists at {where}, schema version {version}: kept as it is")
    else:
        click.echo(f"created the archive at {where}, schema version {version}")
