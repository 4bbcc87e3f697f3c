"""monitor.cli.progress: a bulk job's progress — a bar on a terminal, log lines elsewhere."""

from __future__ import annotations

import io

from monitor.cli.progress import JobProgress


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_elsewhere_a_line_at_the_start_every_interval_and_at_the_end() -> None:
    out, clock = io.StringIO(), Clock()
    progress = JobProgress("reparse", "pages", stream=out, tty=False, interval=10, clock=clock)
    progress(0, 200_000)
    clock.now += 5
    progress(4_000, 200_000)  # within the interval: nothing
    clock.now += 10
    progress(12_000, 200_000)
    clock.now += 1
    progress(12_850, 200_000)
    progress.close()
    assert out.getvalue().splitlines() == [
        "reparse: 0 of 200,000 pages",
        "reparse: 12,000 of 200,000 pages, 800/s, about 4 min left",
        "reparse: 12,850 of 200,000 pages, 803/s, stopped in 16 s",
    ]


def test_a_resumed_job_counts_its_rate_from_where_it_resumed() -> None:
    out, clock = io.StringIO(), Clock()
    progress = JobProgress("match --all", stream=out, tty=False, interval=0, clock=clock)
    progress(150_000, 200_000)
    clock.now += 100
    progress(200_000, 200_000)
    progress.close()
    assert out.getvalue().splitlines()[-1] == (
        "match --all: 200,000 of 200,000 articles, 500/s, done in 2 min"
    )


def test_on_a_terminal_one_line_is_redrawn_in_place() -> None:
    out, clock = io.StringIO(), Clock()
    progress = JobProgress("reparse", "pages", stream=out, tty=True, clock=clock)
    progress(0, 100)
    clock.now += 1
    progress(50, 100)
    progress.close()
    shown = out.getvalue()
    assert "\n" not in shown.rstrip("\n") and shown.endswith("\n")
    assert shown.split("\r")[2].startswith(
        "reparse [###############               ]  50 of 100 pages  50/s  about 1 s left"
    )
