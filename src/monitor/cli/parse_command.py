"""``monitor parse``: one saved page in, its record out as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from monitor.cli.context import AppContext
from monitor.errors import ExtractionError, InputError
from monitor.parse import parse_article


@click.command("parse")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=False))
@click.option("--url", required=True, help="The article's URL (gives its id and section).")
@click.pass_obj
def parse_command(app: AppContext, file: Path, url: str) -> None:
    """Parse a saved article page and print its record as JSON.

    \b
    Example:
      monitor parse saved.html \\
        --url https://congan.com.vn/tin-chinh/cong-an-tphcm-tang-cuong_179591.html
    """
    data = read_page_file(file)
    try:
        record = parse_article(data, url, app.config.profile)
    except ExtractionError as error:
        raise InputError(f"{file}: {error.message}") from None
    click.echo(json.dumps(record.to_dict(), ensure_ascii=False, indent=2))


def read_page_file(file: Path) -> bytes:
    """A saved page's bytes; InputError naming the file when it cannot be read."""
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{file}: is a directory") from None
    except PermissionError:
        raise InputError(f"{file}: permission denied") from None
