"""Options several commands share: the day type, and the article filter's five options.

``DATE`` reads ``YYYY-MM-DD`` into a ``datetime.date``; anything else is an ``InputError``, so
it ends as one line on stderr and exit 2 like every other bad input (click's own usage errors
print the usage first). ``filter_options`` adds ``--since/--until/--section/--rule/--on-topic``
to a command and hands it one ``ArticleFilter`` as ``filters``; a ``--rule`` no rule is named,
or a ``--section`` the archive has no article in, is an ``InputError`` naming the known ones
(never a silent 0 results):

    @click.command("export")
    @filter_options
    def export_command(app: AppContext, /, filters: ArticleFilter) -> None: ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from monitor.archive import Archive, ArticleFilter
from monitor.cli.context import AppContext
from monitor.errors import InputError

Result = TypeVar("Result")


class DayType(click.ParamType[date, Any]):
    """A day written ``YYYY-MM-DD``."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            option = param.opts[0] if param is not None and param.opts else "date"
            raise InputError(f"{option}: not a date in the form YYYY-MM-DD: {value!r}") from None


DATE = DayType()

_FILTER_OPTIONS = (
    click.option(
        "--since", type=DATE, metavar="DATE", help="Published on or after DATE (YYYY-MM-DD)."
    ),
    click.option(
        "--until", type=DATE, metavar="DATE", help="Published on or before DATE (the whole day)."
    ),
    click.option("--section", metavar="S", help="Section S and its subsections (vu-an: vu-an/…)."),
    click.option("--rule", metavar="NAME", help="Only articles that rule NAME matched."),
    click.option("--on-topic", is_flag=True, help="Only articles marked on topic."),
)


def filter_options(command: Callable[..., Result]) -> Callable[..., Result]:
    """``command`` with the five filter options, called with ``filters=ArticleFilter(…)``
    (an ``InputError`` when ``--until`` is before ``--since``)."""

    @functools.wraps(command)
    def with_filter(
        *args: Any,
        since: date | None,
        until: date | None,
        section: str | None,
        rule: str | None,
        on_topic: bool,
        **kwargs: Any,
    ) -> Result:
        if rule is not None:
            _check_rule(rule)
        filters = ArticleFilter(since, until, section, rule, on_topic)
        if filters.section is not None:
            _check_section(filters.section)
        return command(*args, filters=filters, **kwargs)

    decorated: Callable[..., Result] = with_filter
    for option in reversed(_FILTER_OPTIONS):
        decorated = option(decorated)
    return decorated


def _check_rule(rule: str) -> None:
    """An unknown rule name is an error naming the configured ones (never 0 results)."""
    app = click.get_current_context().find_object(AppContext)
    if app is None:
        return
    known = [configured.name for configured in app.config.rules]
    if rule not in known:
        names = ", ".join(known) or "none"
        raise InputError(f"--rule: no rule named {rule!r} (configured: {names})")


SECTIONS_SHOWN = 30  # an unknown --section's message names at most this many known ones


def _check_section(section: str) -> None:
    """A section no archived article is in (nor below) is an error naming the archive's
    sections. An archive without articles (or none yet) has nothing to compare with."""
    app = click.get_current_context().find_object(AppContext)
    if app is None or not Path(app.config.database.path).exists():
        return
    with Archive.open(app.config.database.path, readonly=True) as archive:
        archived = archive.articles.sections()
    known = sorted({*archived, *(parent for name in archived for parent in _parents(name))})
    if known and section not in known:
        names = ", ".join(known[:SECTIONS_SHOWN])
        more = f", … ({len(known)} in all)" if len(known) > SECTIONS_SHOWN else ""
        raise InputError(f"--section: no section named {section!r} (known: {names}{more})")


def _parents(section: str) -> list[str]:
    """``vu-an/canh-giac/x`` → ``vu-an``, ``vu-an/canh-giac``: the filter selects those too."""
    parts = section.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]
