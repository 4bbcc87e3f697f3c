"""What ``monitor serve`` runs: the archive, read-only, in Datasette.

    the web extra installed? ─► the archive exists (pending migrations applied: the view)
    ─► the socket bound (a busy port is a one-line error) ─► Datasette built:
         the archive as database "archive", opened *mutable*: Datasette reads it through
         ``mode=ro`` connections, so rows the daemon writes show up at once (``--immutable``
         would not see them), with SQLite's locking kept (no ``--nolock``)
         + metadata.yaml + the plugin (connections query-only, vn_* functions, the feeds,
           configured with the rules' names and the site)
         + arbitrary SQL off unless asked (canned queries only)
    ─► startup hooks ─► uvicorn until Ctrl-C / SIGTERM (a graceful stop, exit 0)

Datasette is imported here only inside functions, when the view starts.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import signal
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from string import Template
from types import FrameType
from typing import Any

from monitor.archive import Archive
from monitor.archive.fts import EXACT_TABLE, FOLDED_TABLE, STANDARD_TABLE, WEIGHTS
from monitor.errors import MonitorError, StorageError
from monitor.web import DATABASE, INSTALL_HINT, PLUGIN

METADATA = Path(__file__).resolve().with_name("metadata.yaml")
EXTRA_MODULES = ("datasette", "feedgen")


@dataclass(frozen=True)
class WebOptions:
    """Where to listen, whether arbitrary (read-only) SQL is allowed besides the canned, and
    what the feeds need: the configured rules' names (each has a feed, matched or not) and the
    site's base URL (their author; ``None``: congan.com.vn)."""

    host: str = "127.0.0.1"
    port: int = 8001
    allow_sql: bool = False
    rules: tuple[str, ...] = ()
    site_url: str | None = None


def serve(path: Path, options: WebOptions, announce: Callable[[str], None] = print) -> None:
    """Serve the archive at ``path`` until interrupted; ``announce`` gets the URL line."""
    require_extra()
    prepare_archive(path)
    sock = bind(options.host, options.port)
    datasette = build_datasette(
        path, allow_sql=options.allow_sql, rules=options.rules, site_url=options.site_url
    )
    asyncio.run(datasette.invoke_startup())
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    announce(f"serving {path} read-only at http://{shown}:{port}/{DATABASE} (Ctrl-C to stop)")
    _run(datasette, sock)


def require_extra() -> None:
    """Raise a one-line ``MonitorError`` unless Datasette and feedgen import."""
    for name in EXTRA_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            raise MonitorError(
                f"monitor serve needs the web extra ({name} is missing): {INSTALL_HINT}"
            ) from None


def prepare_archive(path: Path) -> None:
    """Check that the archive exists and bring its schema up to date (the only write)."""
    if not path.is_file():
        raise StorageError(
            f"no archive at {path}: run 'monitor crawl' first to create one", path=str(path)
        )
    with Archive.open(path):
        pass


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free one), or a one-line error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise MonitorError(f"cannot listen on {host}:{port}: {reason}") from None


def metadata_text() -> str:
    """The shipped metadata with the archive's own definitions filled in."""
    template = Template(METADATA.read_text(encoding="utf-8"))
    return template.substitute(
        exact_table=EXACT_TABLE,
        folded_table=FOLDED_TABLE,
        standard_table=STANDARD_TABLE,
        weights=WEIGHTS,
    )


def build_datasette(
    path: Path, *, allow_sql: bool, rules: Sequence[str] = (), site_url: str | None = None
) -> Any:
    """The Datasette instance serving the archive at ``path`` as database ``archive``; the
    feeds know ``rules`` (configured rule names) and ``site_url`` (see ``WebOptions``)."""
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm
    from datasette.utils import parse_metadata

    from monitor.web import feeds, plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name=PLUGIN)
    metadata = parse_metadata(metadata_text())
    settings = {feeds.FEED_RULES: list(rules), feeds.FEED_SITE: site_url or feeds.DEFAULT_SITE}
    metadata.setdefault("plugins", {})[PLUGIN] = settings
    datasette = Datasette(files=[], metadata=metadata, settings={"default_allow_sql": allow_sql})
    datasette.remove_database("_memory")  # added when no file is given
    datasette.add_database(Database(datasette, path=str(path), is_mutable=True), name=DATABASE)
    return datasette


def _run(datasette: Any, sock: socket.socket) -> None:
    import uvicorn

    config = uvicorn.Config(datasette.app(), log_level="info", lifespan="on")
    with _stopping_is_success():
        uvicorn.Server(config).run(sockets=[sock])


@contextmanager
def _stopping_is_success() -> Iterator[None]:
    """Make Ctrl-C and SIGTERM end ``serve`` normally (exit 0), as they end ``monitor run``.

    uvicorn shuts down gracefully on either, then raises the signal again with the handlers
    it found installed: these, which do nothing, instead of a KeyboardInterrupt or death.
    """
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, _stopped) for number in stops}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _stopped(number: int, frame: FrameType | None) -> None:
    """The signal that stopped uvicorn, raised again once it has shut down: nothing to do."""
