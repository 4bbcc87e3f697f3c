"""``monitor serve``: the archive in a web browser, read-only (Datasette, the ``web`` extra)."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.cli.context import AppContext
from monitor.web.serve import WebOptions, serve


@click.command("serve")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8001,
    show_default=True,
    help="Port to listen on (0: any free port, printed at start).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The view has no login: anyone who reaches it reads the archive.",
)
@click.option(
    "--sql",
    "allow_sql",
    is_flag=True,
    help="Also allow arbitrary read-only SQL (default: the canned queries only).",
)
@click.pass_obj
def serve_command(app: AppContext, port: int, host: str, allow_sql: bool) -> None:
    """Browse, facet and search the archive in a web browser, read-only, until Ctrl-C.

    Datasette serves the archive as /archive: articles by section, month and rule; the
    latest on-topic articles; matches per rule; Vietnamese search (dan van finds dân vận,
    đang never finds Đảng); an Atom feed per rule at /archive/rule_feed.atom?rule=NAME.
    Rows the daemon adds appear without a restart. Needs the web extra: pip install '.[web]'.

    \b
    Example:
      monitor serve                  # then open http://127.0.0.1:8001/archive
      monitor serve --port 9000 --sql
    """
    options = WebOptions(host, port, allow_sql)
    serve(Path(app.archive_path()), options, announce=click.echo)
