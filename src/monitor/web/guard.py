"""The web view reads only: an ASGI wrapper that answers every request but a read with 405.

Datasette answers a POST to some pages with 405 and to others (a table, a canned query) with a
500 and a traceback on the console. Wrapped by ``refuse_writes``, the application sees only
``GET`` and ``HEAD``; anything else is answered here, ``405 Method Not Allowed`` with
``Allow: GET, HEAD`` and a one-line text body, before Datasette routes it. The one exception is
the login form (``/-/login``, and Datasette's ``/-/logout``) when a login is required: it must
be posted to, and writes nothing but a cookie.

Plain ASGI, no Datasette import: it wraps whatever application it is given.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

READS = frozenset({"GET", "HEAD"})
LOGIN_PATHS = frozenset({"/-/login", "/-/logout"})
REFUSAL = b"405 Method Not Allowed: the archive is read-only here (GET and HEAD only)\n"


def refuse_writes(app: App, *, postable: Collection[str] = ()) -> App:
    """``app`` behind a guard answering 405 to any method but GET and HEAD, except a POST to
    one of the paths in ``postable``."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not _allowed(scope, postable):
            await _refuse(send)
            return
        await app(scope, receive, send)

    return guarded


def _allowed(scope: Scope, postable: Collection[str]) -> bool:
    method = str(scope.get("method", "GET")).upper()
    return method in READS or (method == "POST" and scope.get("path") in postable)


async def _refuse(send: Send) -> None:
    """The 405 answer, whole, without reading the request's body."""
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(REFUSAL)).encode()),
        (b"allow", b"GET, HEAD"),
    ]
    await send({"type": "http.response.start", "status": 405, "headers": headers})
    await send({"type": "http.response.body", "body": REFUSAL})
