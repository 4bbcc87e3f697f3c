"""``monitor serve``: the archive in a web browser, read-only (Datasette, the ``web`` extra)."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.cli.context import AppContext
from monitor.web.access import PASSWORD_HASH_ENV
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
    help=(
        "Address to listen on. Any but 127.0.0.1, ::1 or localhost needs a login"
        f" ({PASSWORD_HASH_ENV}) or --no-auth."
    ),
)
@click.option(
    "--sql",
    "allow_sql",
    is_flag=True,
    help="Also allow arbitrary read-only SQL (default: the canned queries only).",
)
@click.option(
    "--no-auth",
    is_flag=True,
    help="Serve a --host other machines reach without a login: anyone there reads the archive.",
)
@click.pass_obj
def serve_command(app: AppContext, port: int, host: str, allow_sql: bool, no_auth: bool) -> None:
    """Read, search and browse the archive in a web browser, read-only, until Ctrl-C.

    Datasette serves the archive as /archive: a search page (dan van finds Dân vận, đang
    never finds Đảng; ranked as monitor search), each article as a page, articles by section,
    month and rule, the rules with an Atom feed each (/archive/rule_feed.atom?rule=NAME).
    Rows the daemon adds appear without a restart. Nothing can be written: any request but
    GET gets 405. With MONITOR_WEB_PASSWORD_HASH set (a hash from 'datasette hash-password'),
    pages need a login as analyst. Needs the web extra: pip install '.[web]'.

    \b
    Examples:
      monitor serve                  # then open http://127.0.0.1:8001/archive/search
      monitor serve --port 9000 --sql
      datasette hash-password        # type a password twice: it prints its hash
      MONITOR_WEB_PASSWORD_HASH='pbkdf2_sha256$…' monitor serve --host 0.0.0.0
    """
    options = WebOptions(host, port, allow_sql, no_auth, site_url=app.config.site.base_url)
    serve(
        Path(app.archive_path()),
        options,
        rules=app.config.rules,
        announce=click.echo,
        warn=lambda line: click.echo(f"monitor: {line}", err=True),
    )
