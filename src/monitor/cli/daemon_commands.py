"""``monitor run`` and ``monitor status``."""

from __future__ import annotations

import json
import sys

import click

from monitor.cli.context import AppContext
from monitor.daemon import status as daemon_status
from monitor.daemon.service import Daemon
from monitor.demo import run_demo
from monitor.errors import DaemonRunningError
from monitor.logs import LogFormat, setup_logging


@click.command("run")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Human-readable lines, or JSON lines for log collectors.",
)
@click.option(
    "--create",
    is_flag=True,
    help="Create the archive if database.path names none yet (as `monitor init` does).",
)
@click.pass_obj
def run_command(app: AppContext, log_format: LogFormat, create: bool) -> None:
    """Run the monitor daemon in the foreground: scheduled crawls, matching, alerts, health.

    Stops cleanly on SIGTERM or Ctrl-C (a second one exits at once). Only one daemon may run
    on an archive. See `monitor status` for what it is doing.

    \b
    Examples:
      monitor run
      monitor --config /etc/congan-monitor/monitor.toml run --log-format json
      monitor run --create     # the first run on a new archive at database.path
    """
    app.archive_to_fill(create=create)  # before anything starts: a missing archive is one line
    setup_logging(log_format)
    config = app.config
    try:
        code = Daemon(config, app.config_path, log_format).run()
    except DaemonRunningError as error:
        click.echo(f"monitor: {error}", err=True)
        sys.exit(1)
    sys.exit(code)


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_obj
def status_command(app: AppContext, as_json: bool) -> None:
    """Is the daemon running; last and next run of each job; the last run's figures; archive
    counts; pending and failed alerts; health.

    \b
    Examples:
      monitor status
      monitor status --json | jq .alerts
    """
    status = daemon_status.gather(app.config)
    if as_json:
        click.echo(json.dumps(status, ensure_ascii=False, indent=2, default=str))
        return
    for line in daemon_status.render(status):
        click.echo(line)


@click.command("demo")
@click.option(
    "--publish-after", default=20.0, show_default=True, help="Seconds before the new article."
)
@click.option("--duration", default=50.0, show_default=True, help="Seconds before the demo stops.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between crawls.")
def demo_command(publish_after: float, duration: float, interval: float) -> None:
    """See the whole flow offline in under a minute: a local replica of congan.com.vn, the
    daemon crawling it, a new dân vận article published, its alert on the console.

    \b
    Example:
      monitor demo
    """
    setup_logging("text")
    say = lambda text: click.secho(f">>> {text}", fg="cyan", err=True)  # noqa: E731
    sys.exit(run_demo(publish_after=publish_after, duration=duration, interval=interval, say=say))
