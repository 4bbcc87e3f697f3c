"""The ``monitor`` command: a thin shell over the library.

Exit codes: 0 success; 1 the work failed (site unreachable, archive unwritable...);
2 bad usage, configuration or input. Errors are one line on stderr, never a traceback; a
configuration with several problems is one header line and then one line per problem, so that
all of them are fixed in one go.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from monitor import __version__
from monitor.cli.alert_commands import alerts_group
from monitor.cli.backup_commands import backup_command, restore_command, verify_command
from monitor.cli.check_command import check_command
from monitor.cli.context import AppContext
from monitor.cli.crawl_commands import crawl_command, reparse_command
from monitor.cli.daemon_commands import demo_command, run_command, status_command
from monitor.cli.export_command import export_command
from monitor.cli.init_command import init_command
from monitor.cli.maintain_command import maintain_command
from monitor.cli.match_commands import match_command, rules_group
from monitor.cli.migrate_command import migrate_command
from monitor.cli.parse_command import parse_command
from monitor.cli.profile_commands import profile_group
from monitor.cli.search_command import search_command
from monitor.cli.serve_command import serve_command
from monitor.cli.show_command import show_command
from monitor.cli.stats_command import stats_command
from monitor.errors import ConfigError, InputError, MonitorError

EXIT_FAILURE = 1
EXIT_USAGE = 2


GLOBAL_OPTIONS = ("--config",)  # options of the group that take a value


class MonitorGroup(click.Group):
    """The command group: its options are accepted before or after the subcommand
    (``monitor crawl --config c.toml`` as well as ``monitor --config c.toml crawl``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(args))


def hoist_global_options(args: list[str]) -> list[str]:
    """``args`` with every group option (and its value) moved to the front; nothing after a
    ``--`` separator is touched."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS and "=" in arg:
            front.append(arg)
        elif arg in GLOBAL_OPTIONS and index + 1 < len(args):
            front += [arg, args[index + 1]]
            index += 1
        else:
            rest.append(arg)
        index += 1
    return front + rest


@click.group(
    cls=MonitorGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="MONITOR_CONFIG",
    help="Config file overlaid on the shipped defaults (env: MONITOR_CONFIG).",
)
@click.version_option(__version__, prog_name="monitor")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """Monitor congan.com.vn for dân vận articles: crawl, archive, match, alert.

    \b
    Examples:
      monitor crawl                         # one incremental crawl now
      monitor crawl --since 2024-01-01      # backfill
      monitor parse page.html --url https://congan.com.vn/tin-chinh/x_179591.html
    """
    ctx.obj = AppContext(config_path)


cli.add_command(init_command)
cli.add_command(run_command)
cli.add_command(status_command)
cli.add_command(demo_command)
cli.add_command(parse_command)
cli.add_command(check_command)
cli.add_command(profile_group)
cli.add_command(crawl_command)
cli.add_command(reparse_command)
cli.add_command(match_command)
cli.add_command(rules_group)
cli.add_command(alerts_group)
cli.add_command(show_command)
cli.add_command(export_command)
cli.add_command(stats_command)
cli.add_command(serve_command)
cli.add_command(search_command)
cli.add_command(maintain_command)
cli.add_command(backup_command)
cli.add_command(restore_command)
cli.add_command(verify_command)
cli.add_command(migrate_command)


def main() -> None:
    """Entry point: runs the command group and turns our errors into one-line messages."""
    sys.exit(run())


def run(args: list[str] | None = None) -> int:
    """The command line ``args`` (default: the process's) run in this process; its exit code.

    Errors become one-line messages on stderr here, so tests can run commands in-process."""
    try:
        result = cli.main(args, prog_name="monitor", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("monitor: aborted", err=True)
        return 130
    except click.ClickException as error:  # usage errors too: one line, never the usage text
        message = " ".join(error.format_message().split())
        click.echo(f"monitor: {message}", err=True)
        return error.exit_code
    except (ConfigError, InputError) as error:
        click.echo(f"monitor: {error}", err=True)
        return EXIT_USAGE
    except MonitorError as error:
        click.echo(f"monitor: {error}", err=True)
        return EXIT_FAILURE
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_FAILURE
    return result if isinstance(result, int) else 0
