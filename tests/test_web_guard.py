"""The read-only guard (monitor.web.guard): a real ASGI application behind it, called as a
server calls it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from monitor.web.guard import LOGIN_PATHS, Message, Receive, Scope, Send, refuse_writes


class Recorder:
    """An ASGI application that answers 200 and remembers the methods it was called with."""

    def __init__(self) -> None:
        self.methods: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.methods.append(scope["method"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def call(app: Any, method: str, path: str = "/archive") -> list[Message]:
    """What ``app`` sends for one HTTP request."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"a=b", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app({"type": "http", "method": method, "path": path}, receive, send))
    return sent


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_anything_but_a_read_is_answered_405_without_reaching_the_app(method: str) -> None:
    app = Recorder()
    start, body = call(refuse_writes(app), method)
    assert start["status"] == 405
    assert (b"allow", b"GET, HEAD") in start["headers"]
    assert body["body"].startswith(b"405 Method Not Allowed")
    assert app.methods == []


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_reads_reach_the_app(method: str) -> None:
    app = Recorder()
    assert call(refuse_writes(app), method)[0]["status"] == 200
    assert app.methods == [method]


def test_the_login_form_may_be_posted_to_when_allowed() -> None:
    app = Recorder()
    assert call(refuse_writes(app, postable=LOGIN_PATHS), "POST", "/-/login")[0]["status"] == 200
    assert call(refuse_writes(app, postable=LOGIN_PATHS), "POST", "/archive")[0]["status"] == 405
    assert call(refuse_writes(app), "POST", "/-/login")[0]["status"] == 405
