"""Checkpoints of the bulk jobs (``monitor reparse``, ``monitor match --all`` / ``--since``), so
that a job over years of articles, killed or interrupted, continues where it stopped.

A job walks the articles in id order and stores its results a batch at a time; with each
batch, in the same transaction (``Archive.batch``), it writes its checkpoint under
``checkpoint:JOB`` in the archive's ``crawl_state``: the last article id done, how many are
done of how many, the job's running tallies, its scope (``all``, ``since 2025-01-01``) and a
fingerprint of what decides its output (the site profile; the rules). A kill therefore loses
at most the batch being worked on, never a stored record. A finished job removes its
checkpoint.

How a job starts (``start``)::

    checkpoint?  --resume   what happens
    none         no         the whole job
    none         yes        the whole job, saying there was nothing to resume
    left over    no         the whole job, saying where the interrupted one stopped: a job
                            started over gives the same archive as one resumed (reparsing
                            and matching are idempotent; an alert is never queued twice),
                            and a user who ran the command without --resume asked for all
    left over    yes        from the checkpoint, if its scope and fingerprint are this run's;
                            else refused (InputError), saying what differs: continuing with
                            another profile or other rules would leave an archive that
                            neither would produce
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from pydantic import BaseModel

from monitor.archive import Archive
from monitor.errors import InputError

KEY_PREFIX = "checkpoint:"

Note = Callable[[str], None]  # how a job says something to its user (the CLI: one stderr line)


@dataclass(frozen=True)
class Checkpoint:
    """How far a job got: everything up to article ``after`` is done and stored."""

    job: str  # "reparse", "match"
    scope: str  # what the job covers, as its user asked: "all", "since 2025-01-01"
    fingerprint: str  # of what decides its output (see ``fingerprint``)
    after: int = -1  # the last article id done (-1: none yet)
    done: int = 0  # articles done
    total: int = 0  # articles the job covers (those done, and those above ``after``)
    tallies: dict[str, int] = field(default_factory=dict)  # its counts so far
    run_id: int | None = None  # the crawl run that wrote it, when the job keeps one

    @property
    def key(self) -> str:
        return KEY_PREFIX + self.job

    def advanced(self, after: int, done: int, tallies: Mapping[str, int]) -> Checkpoint:
        """The checkpoint after a batch: ``done`` more articles, up to id ``after``."""
        added = {name: self.tallies.get(name, 0) + tallies.get(name, 0) for name in tallies}
        return replace(self, after=after, done=self.done + done, tallies={**self.tallies, **added})

    def where(self) -> str:
        """Where it stopped, for people: "article 179591, 1,200 of 200,000 done"."""
        if self.after < 0:
            return f"before its first article, 0 of {self.total:,} done"
        return f"article {self.after}, {self.done:,} of {self.total:,} done"


def fingerprint(*models: BaseModel | tuple[BaseModel, ...] | float | None) -> str:
    """sha256 (hex) of the models' JSON: equal exactly when they would produce equal results."""
    parts = [_json_of(model) for model in models]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def _json_of(value: BaseModel | tuple[BaseModel, ...] | float | None) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, tuple):
        return [item.model_dump(mode="json") for item in value]
    return value


def load(archive: Archive, job: str) -> Checkpoint | None:
    """The job's checkpoint left in the archive, or None."""
    stored = archive.state.get_state(KEY_PREFIX + job)
    return None if stored is None else Checkpoint(**stored)


def save(archive: Archive, checkpoint: Checkpoint) -> None:
    """Write the checkpoint (inside the batch's transaction, when called in one)."""
    archive.state.put_state(checkpoint.key, asdict(checkpoint))


def clear(archive: Archive, job: str) -> None:
    """The job finished: nothing is left to resume."""
    archive.state.delete_state(KEY_PREFIX + job)


def start(
    archive: Archive,
    fresh: Checkpoint,
    *,
    resume: bool,
    changed: str,
    note: Note,
) -> Checkpoint:
    """Where the job whose new checkpoint is ``fresh`` begins (see the module's table).

    ``changed`` names what the fingerprint covers, for the refusal ("the site profile").
    Returns the checkpoint to continue from, or ``fresh``; says what it decided by ``note``.
    """
    left = load(archive, fresh.job)
    label = _label(fresh.job, left.scope if left else fresh.scope)
    if left is None:
        if resume:
            note(f"no interrupted {label} to resume: starting from the beginning")
        return fresh
    if not resume:
        note(
            f"an interrupted {label} stopped at {left.where()}: starting over"
            " (run with --resume to continue it instead)"
        )
        return fresh
    if left.scope != fresh.scope:
        raise InputError(
            f"cannot resume: the interrupted job was {label}, stopped at {left.where()}; "
            f"give the same options with --resume, or run without --resume to start over",
            job=fresh.job,
        )
    if left.fingerprint != fresh.fingerprint:
        raise InputError(
            f"cannot resume the interrupted {label}: {changed} changed since it started"
            f" (it stopped at {left.where()}); run without --resume to start over",
            job=fresh.job,
        )
    note(f"resuming the interrupted {label} after {left.where()}")
    return left


def _label(job: str, scope: str) -> str:
    """How the user typed the job: "reparse", "match --all", "match --since 2025-01-01"."""
    return job if scope == "all" and job == "reparse" else f"{job} --{scope}"
