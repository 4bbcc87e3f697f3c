"""Who may read the web view: decided once, before anything listens.

    a password hash in MONITOR_WEB_PASSWORD_HASH ─► a login is required (datasette-auth-passwords,
                                                    user ANALYST), on any host
    --no-auth                                    ─► no login, even on a public address
                                                    (a warning line says so when not loopback)
    neither, on loopback (127.0.0.1, ::1, localhost) ─► no login: only this machine can connect
    neither, on any other host                   ─► refused: an InputError naming both ways

The hash is made with datasette-auth-passwords' documented tool (``datasette hash-password``)
and read from the environment only, never from a file or the command line (where ``ps`` shows
it). Pure: no Datasette here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.errors import ConfigError, InputError

PASSWORD_HASH_ENV = "MONITOR_WEB_PASSWORD_HASH"
ANALYST = "analyst"  # the user name to log in with
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
# what ``datasette hash-password`` prints: pbkdf2_sha256$ITERATIONS$SALT$BASE64
_HASH = re.compile(r"^pbkdf2_sha256\$[1-9][0-9]*\$[^$\s]+\$[A-Za-z0-9+/]+={0,2}$")


@dataclass(frozen=True)
class Access:
    """Whether a login is required, and the warning to print before serving, if any."""

    login: bool
    warning: str | None = None


def decide_access(host: str, *, password_hash: str | None, no_auth: bool) -> Access:
    """The access for ``host`` (see the module docstring); ``InputError`` when a host others
    can reach would be served without a login nobody asked to drop, ``ConfigError`` for a
    password hash that is not one."""
    if no_auth:
        if host in LOOPBACK:
            return Access(login=False)
        return Access(
            login=False,
            warning=f"warning: --no-auth: anyone who can reach {host} reads the archive,"
            " without a login",
        )
    if password_hash:
        check_password_hash(password_hash)
        return Access(login=True)
    if host in LOOPBACK:
        return Access(login=False)
    raise InputError(
        f"--host {host} lets other machines connect, and the web view has no login unless"
        f" one is set: set {PASSWORD_HASH_ENV} to a hash from 'datasette hash-password'"
        f" (then log in as {ANALYST}), or pass --no-auth to serve it without a login"
    )


def check_password_hash(password_hash: str) -> None:
    """``ConfigError`` unless ``password_hash`` is what ``datasette hash-password`` prints."""
    if not _HASH.match(password_hash.strip()):
        raise ConfigError(
            "not a password hash: run 'datasette hash-password' and set its output"
            " (pbkdf2_sha256$…)",
            key=PASSWORD_HASH_ENV,
        )
