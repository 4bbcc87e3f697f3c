"""What ``monitor serve`` runs: the archive, read-only, in Datasette.

    the web extra installed? ─► who may read it (access.py: a login, none on loopback, or
    refused; a warning for --no-auth) ─► the archive exists (pending migrations applied: the
    view) ─► the socket bound (a busy port is a one-line error) ─► Datasette built:
         the archive as database "archive", opened *mutable*: Datasette reads it through
         ``mode=ro`` connections, so rows the daemon writes show up at once (``--immutable``
         would not see them), with SQLite's locking kept (no ``--nolock``)
         + metadata.yaml + templates/ + the plugin (pages, feeds, read-only guard, query-only
           connections, vn_* functions) + the configured rules (the rules page, the feeds)
           and the site's URL (the feeds' author)
         + a login (datasette-auth-passwords) when one is required, else that plugin off
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
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from string import Template
from types import FrameType
from typing import Any

from monitor.archive import Archive
from monitor.archive.fts import EXACT_TABLE, FOLDED_TABLE, STANDARD_TABLE, WEIGHTS
from monitor.config.schema import Rule
from monitor.errors import MonitorError, StorageError
from monitor.web import DATABASE, INSTALL_HINT, PLUGIN
from monitor.web.access import ANALYST, PASSWORD_HASH_ENV, decide_access

HERE = Path(__file__).resolve().parent
METADATA = HERE / "metadata.yaml"
TEMPLATES = HERE / "templates"
AUTH_PLUGIN = "datasette-auth-passwords"
EXTRA_MODULES = ("datasette", "feedgen", "datasette_auth_passwords")


@dataclass(frozen=True)
class WebOptions:
    """Where to listen, whether arbitrary (read-only) SQL is allowed besides the canned, and
    whether a host other machines reach may be served without a login (``--no-auth``)."""

    host: str = "127.0.0.1"
    port: int = 8001
    allow_sql: bool = False
    no_auth: bool = False
    site_url: str | None = None  # the feeds' author; None: congan.com.vn


def serve(
    path: Path,
    options: WebOptions,
    *,
    rules: Sequence[Rule] = (),
    announce: Callable[[str], None] = print,
    warn: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> None:
    """Serve the archive at ``path`` until interrupted; ``rules`` are shown on the rules page.
    A login is required when ``MONITOR_WEB_PASSWORD_HASH`` holds a password hash (see
    ``access``); ``warn`` gets the warning of ``--no-auth``, ``announce`` the URL line."""
    require_extra()
    password_hash = os.environ.get(PASSWORD_HASH_ENV) or None
    access = decide_access(options.host, password_hash=password_hash, no_auth=options.no_auth)
    prepare_archive(path)
    sock = bind(options.host, options.port)
    if access.warning:
        warn(access.warning)
    datasette = build_datasette(
        path,
        allow_sql=options.allow_sql,
        login=access.login,
        rules=rules,
        site_url=options.site_url,
    )
    asyncio.run(datasette.invoke_startup())
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    announce(f"serving {path} read-only at http://{shown}:{port}/{DATABASE} (Ctrl-C to stop)")
    _run(datasette, sock)


def require_extra() -> None:
    """Raise a one-line ``MonitorError`` unless the web extra's modules import."""
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


def build_datasette(
    path: Path,
    *,
    allow_sql: bool,
    login: bool = False,
    rules: Sequence[Rule] = (),
    site_url: str | None = None,
) -> Any:
    """The Datasette instance serving the archive at ``path`` as database ``archive``; with
    ``login``, only the analyst logged in (password hash in ``MONITOR_WEB_PASSWORD_HASH``)
    may read it. ``rules`` are the configured rules (the rules page; each has a feed, matched
    or not), ``site_url`` the site's base URL (the feeds' author; ``None``: congan.com.vn)."""
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm
    from datasette.utils import parse_metadata

    from monitor.web import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name=PLUGIN)
    _use_auth_plugin(pm, login)
    metadata = parse_metadata(metadata_text())
    metadata["plugins"] = _plugin_settings(login, rules, site_url)
    if login:
        metadata["allow"] = {"id": ANALYST}  # view-instance: nobody else, anonymous included
    datasette = Datasette(
        files=[],
        metadata=metadata,
        settings={"default_allow_sql": allow_sql},
        template_dir=str(TEMPLATES),
    )
    datasette.remove_database("_memory")  # added when no file is given
    datasette.add_database(Database(datasette, path=str(path), is_mutable=True), name=DATABASE)
    return datasette


def metadata_text() -> str:
    """The shipped metadata with the archive's own definitions filled in."""
    template = Template(METADATA.read_text(encoding="utf-8"))
    return template.substitute(
        exact_table=EXACT_TABLE,
        folded_table=FOLDED_TABLE,
        standard_table=STANDARD_TABLE,
        weights=WEIGHTS,
    )


def _plugin_settings(login: bool, rules: Sequence[Rule], site_url: str | None) -> dict[str, Any]:
    """The plugins' settings: the rules for the rules page, whether a login is required, and
    where datasette-auth-passwords finds the hash (the environment: the hash never shows in
    ``/-/metadata``)."""
    settings: dict[str, Any] = {
        PLUGIN: {
            "login": login,
            "rules": [rule.model_dump(mode="json") for rule in rules],
            "site_url": site_url,
        }
    }
    if login:
        settings[AUTH_PLUGIN] = {f"{ANALYST}_password_hash": {"$env": PASSWORD_HASH_ENV}}
    return settings


def _use_auth_plugin(pm: Any, login: bool) -> None:
    """datasette-auth-passwords on only when a login is required. Datasette loads every
    installed plugin; left on without accounts, it would offer a "Log in" nobody can use."""
    import datasette_auth_passwords as auth

    if login and not pm.is_registered(auth):
        pm.register(auth, name="auth_passwords")
    elif not login and pm.is_registered(auth):
        pm.unregister(auth)


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
