"""A bulk job's progress on stderr (``reparse``, ``match --all``/``--since``, ``rules test
--since``): how far, how fast, how long still.

On a terminal, one line rewritten in place at most five times a second::

    reparse [#########                     ]  61,200 of 200,000 pages  850/s  about 3 min left

Elsewhere (a log file, a pipe, a service manager), a line when the job starts, then every
``interval`` seconds, then when it ends — never a carriage return::

    reparse: 12,000 of 200,000 pages, 850/s, about 3 min left

The rate counts what this run did (a resumed job starts with some done), from its first call.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

import click

from monitor.clock import span

REFRESH = 0.2  # seconds between two redraws of the bar on a terminal
INTERVAL = 10.0  # seconds between two progress lines elsewhere
WIDTH = 30


class JobProgress:
    """Called with (done, total) as the job advances; ``close`` when it ends."""

    def __init__(
        self,
        label: str,
        unit: str = "articles",
        *,
        stream: TextIO | None = None,
        tty: bool | None = None,
        interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.every = REFRESH if self.tty else interval
        self.clock = clock
        self.started: tuple[float, int] | None = None  # when, and how many were done then
        self.shown_at: float | None = None
        self.last = (0, 0)
        self.width = 0  # of the bar's last line, to blank what a shorter one leaves

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if self.started is None:
            self.started = (now, done)
        self.last = (done, total)
        if self.shown_at is None or now - self.shown_at >= self.every:
            self._show(now, final=False)

    def close(self) -> None:
        """Show where the job ended (the whole of it, or where it was interrupted)."""
        if self.started is None:
            return
        self._show(self.clock(), final=True)
        if self.tty:
            click.echo("", file=self.stream)

    def _show(self, now: float, *, final: bool) -> None:
        self.shown_at = now
        done, total = self.last
        figures = f"{done:,} of {total:,} {self.unit}"
        speed = self._speed(now, done, total, final=final)
        if not self.tty:
            click.echo(f"{self.label}: {', '.join((figures, *speed))}", file=self.stream)
            return
        share = done / total if total else 1.0
        bar = "#" * int(share * WIDTH)
        line = "  ".join((f"{self.label} [{bar:<{WIDTH}}]", figures, *speed))
        padding = " " * max(self.width - len(line), 0)
        self.width = len(line)
        click.echo(f"\r{line}{padding}", file=self.stream, nl=False)

    def _speed(self, now: float, done: int, total: int, *, final: bool) -> list[str]:
        """The rate and the time left (or taken, at the end), once there is a rate."""
        assert self.started is not None
        began, done_then = self.started
        seconds = now - began
        if seconds <= 0 or done <= done_then:
            return []
        rate = (done - done_then) / seconds
        if final:
            return [
                f"{rate:,.0f}/s",
                f"{'done' if done >= total else 'stopped'} in {span(seconds)}",
            ]
        return [f"{rate:,.0f}/s", f"about {span((total - done) / rate)} left"]


def say(text: str) -> None:
    """A bulk job's note to its user (where an interrupted job stopped...): one stderr line."""
    click.echo(f"monitor: {text}", err=True)
