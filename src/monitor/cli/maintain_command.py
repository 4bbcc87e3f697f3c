"""``monitor maintain``: the daemon's weekly archive maintenance, now."""

from __future__ import annotations

import click

from monitor.archive import Archive
from monitor.archive.archive import MaintenanceReport
from monitor.archive.raw_codec import PACK_LEVEL
from monitor.archive.raw_store import Training
from monitor.cli.context import AppContext


@click.command("maintain")
@click.pass_obj
def maintain_command(app: AppContext) -> None:
    """Run the weekly archive maintenance now: train a compression dictionary for raw pages
    when due and pack the pages (recompress them at zstd level 19 with a dictionary; a crawl
    writes level 3), then optimize the search indexes and VACUUM.

    A dictionary is trained once the archive holds 100 pages (and again when 100 new pages
    pack at least 10 % smaller with a new one). Packing takes some 50 ms a page and goes 100
    pages a transaction: stopped midway (Ctrl-C, a crash), every page stays readable and the
    next run carries on.
    VACUUM rewrites the file and needs as much free disk space as the archive takes.

    \b
    Examples:
      monitor maintain                # after upgrading: every page is packed once
      monitor --config /etc/congan-monitor/monitor.toml maintain
    """
    with Archive.open(app.archive_path()) as archive:
        report = archive.maintain()
    for line in describe(report):
        click.echo(line)


def describe(report: MaintenanceReport) -> list[str]:
    """What maintenance did, one line per step."""
    lines = [_training(report.training)]
    done = report.recompressed
    if done.pages:
        lines.append(
            f"raw pages: {done.pages} packed (zstd level {PACK_LEVEL} with a dictionary),"
            f" {_kb(done.before / done.pages)} → {_kb(done.after / done.pages)} a page"
        )
    if report.dropped:
        lines.append(f"dictionaries dropped (no page uses them): {_ids(report.dropped)}")
    if report.finished:
        lines.append(
            "search indexes optimized; archive vacuumed:"
            f" {_mib(report.before)} → {_mib(report.after)}"
        )
    else:
        lines.append("stopped before the search indexes and VACUUM: the next run carries on")
    return lines


def _training(training: Training) -> str:
    if training.outcome == "trained":
        saving = 1 - training.after / training.before
        return (
            f"raw pages: dictionary {training.dictionary_id} trained on {training.pages} pages;"
            f" the {training.tested} newest, held out, take {saving:.0%} less"
        )
    if training.outcome == "no gain":
        return (
            f"raw pages: a new dictionary would save {1 - training.after / training.before:.0%}"
            " on the newest pages: not kept"
        )
    if training.outcome == "too little data":
        return "raw pages: too little data to train a dictionary on"
    if training.outcome == "stopped":
        return "raw pages: stopped before training"
    return "raw pages: no new dictionary due"


def _kb(size: float) -> str:
    return f"{size / 1000:.1f} KB"


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _ids(ids: tuple[int, ...]) -> str:
    return ", ".join(str(dictionary_id) for dictionary_id in ids)
