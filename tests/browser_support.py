"""Headless Chromium driven over the Chrome DevTools Protocol (for tests/test_web_browser.py and
scripts/screenshots.py).

Chromium is Debian's (``apt-get install chromium``; ``.ci/run`` installs it). It is started here
with the flags this machine's closed network needs, and ``--remote-debugging-port=0``: the port
it picked is read from ``DevToolsActivePort`` in its profile directory.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-port=0", "--window-size=1280,1000",
)  # fmt: skip
TIMEOUT = 30.0


class Page:
    """One browser tab over CDP: commands answered by id, events kept until waited for."""

    def __init__(self, websocket: ClientConnection) -> None:
        self._ws = websocket
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self._ids)
        self._ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = self._receive()
            if message.get("id") == ident:
                assert "error" not in message, (method, message["error"])
                result: dict[str, Any] = message["result"]
                return result

    def wait_for(self, event: str) -> dict[str, Any]:
        """The first ``event`` received since the last ``expect()``."""
        while True:
            for index, message in enumerate(self.events):
                if message["method"] == event:
                    del self.events[: index + 1]
                    return message
            self._receive()

    def expect(self) -> None:
        """Forget the events so far: the next ``wait_for`` sees only what happens now."""
        self.events.clear()

    def _receive(self) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(self._ws.recv(timeout=TIMEOUT))
        if "method" in message:
            self.events.append(message)
        return message

    def evaluate(self, expression: str) -> Any:
        reply = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        assert "exceptionDetails" not in reply, reply["exceptionDetails"]
        return reply["result"].get("value")

    def goto(self, url: str) -> None:
        self.expect()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def click(self, selector: str) -> None:
        """A real mouse click (pressed, released) in the middle of the element (of its first
        line, for a link that wraps)."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getClientRects()[0];"
            " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, button="left", clickCount=1, **box)

    def press_enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                windowsVirtualKeyCode=13, text="\r" if kind == "keyDown" else "",
            )  # fmt: skip

    def texts(self, selector: str) -> list[str]:
        """The text of every element ``selector`` finds, trimmed."""
        found = f"document.querySelectorAll({json.dumps(selector)})"
        values: list[str] = self.evaluate(f"[...{found}].map(e => e.textContent.trim())")
        return values

    def screenshot(self, path: Path) -> bytes:
        """A PNG of the viewport (``Page.captureScreenshot``), written to ``path``."""
        shot = self.send("Page.captureScreenshot", format="png")
        png = base64.b64decode(shot["data"])
        path.write_bytes(png)
        return png

    def column(self, name: str) -> list[str]:
        """The text of every cell of column ``name`` in the page's result table."""
        cells = f"document.querySelectorAll('table.rows-and-columns td.col-{name}')"
        values: list[str] = self.evaluate(f"[...{cells}].map(td => td.textContent.trim())")
        return values


def start_chromium(profile: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Chromium with an empty profile; returns the process and its DevTools HTTP address."""
    profile.mkdir()
    log = profile.parent / "chromium.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    active = profile / "DevToolsActivePort"
    deadline = time.monotonic() + TIMEOUT
    while not (active.exists() and active.read_text().strip()):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"chromium did not start:\n{log.read_text()}")
        time.sleep(0.05)
    port = active.read_text().split()[0]
    return process, f"http://127.0.0.1:{port}"


def page_websocket(devtools: str) -> str:
    with urllib.request.urlopen(f"{devtools}/json/list", timeout=TIMEOUT) as response:
        targets = json.load(response)
    [page] = [target for target in targets if target["type"] == "page"]
    url: str = page["webSocketDebuggerUrl"]
    return url


@contextmanager
def browser_page(profile: Path) -> Iterator[Page]:
    """A tab of a Chromium started for the block (profile in ``profile``), stopped after it."""
    process, devtools = start_chromium(profile)
    try:
        with connect(page_websocket(devtools), max_size=None, open_timeout=TIMEOUT) as websocket:
            yield Page(websocket)
    finally:
        process.terminate()
        process.wait(timeout=TIMEOUT)
        shutil.rmtree(profile, ignore_errors=True)
