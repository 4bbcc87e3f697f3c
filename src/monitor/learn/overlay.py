"""The learned selectors as a profile overlay: a new profile to verify them with, and the TOML
file a configuration ``include``s (learned selectors first, the profile's own after them, so
the old template still reads if the site goes back to it)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from monitor.config.schema import SiteProfile
from monitor.dates import parse_date_detail
from monitor.learn.evidence import DateEvidence, Evidence
from monitor.learn.induce import Learned
from monitor.parse.byline import person
from monitor.parse.profile import ProfileFields, read_profile_fields

# a key's check: (what the new profile read, what the evidence says; None: no evidence)
Check = Callable[[ProfileFields, Evidence], tuple[object, object | None]]


@dataclass(frozen=True)
class Verified:
    """A learned key checked end to end: the new profile's reading against the evidence."""

    key: str
    selectors: tuple[str, ...]
    confirmed: int  # pages where the new profile read the evidence's value
    evidence_pages: int  # pages with evidence for the key


SECTIONS = ("article", "listing")


def learned_profile(profile: SiteProfile, learned: Sequence[Learned]) -> SiteProfile:
    """``profile`` with each learned key's selectors tried first."""
    changed = {}
    for section in SECTIONS:
        selectors = getattr(profile, section)
        updates = {}
        for item in learned:
            prefix, _, name = item.key.partition(".")
            if prefix == section and item.selectors:
                current: tuple[str, ...] = getattr(selectors, name)
                updates[name] = tuple(dict.fromkeys((*item.selectors, *current)))
        changed[section] = selectors.model_copy(update=updates)
    return profile.model_copy(update=changed)


def verify(
    profile: SiteProfile, learned: Sequence[Learned], pages: Sequence[Evidence]
) -> list[Verified]:
    """How the profile with the learned selectors reads each sample against its evidence."""
    readings = [read_profile_fields(page.root, page.url, profile) for page in pages]
    checks: dict[str, Check] = {
        "article.title": lambda f, e: (f.title, e.title),
        "article.date": lambda f, e: (_same_date(f, e.published), True if e.published else None),
        "article.lead": lambda f, e: (f.lead, e.lead),
        "article.body": lambda f, e: (f.paragraphs, e.body or None),
        "article.author": lambda f, e: (person(f.author, (profile.name,)), e.author),
        "article.images": lambda f, e: (
            tuple(i.url for i in f.images),
            tuple(i.url for i in e.images) or None,
        ),
        "article.image_caption": lambda f, e: (tuple(i.caption for i in f.images), _captions(e)),
        "article.tags": lambda f, e: (f.tags, e.tags or None),
    }
    results = []
    for item in learned:
        check = checks.get(item.key)
        if check is None:  # boxes to strip (judged through the body) and listing keys
            results.append(Verified(item.key, item.selectors, item.confirmed, item.evidence_pages))
            continue
        pairs = [check(f, e) for f, e in zip(readings, pages, strict=True)]
        confirmed = sum(got == want for got, want in pairs if want is not None)
        evidence = sum(want is not None for _, want in pairs)
        results.append(Verified(item.key, item.selectors, confirmed, evidence))
    return results


def _same_date(fields: ProfileFields, evidence: DateEvidence | None) -> bool | None:
    if evidence is None or not fields.date_text:
        return None if evidence is None else False
    parsed = parse_date_detail(fields.date_text)
    if parsed is None:
        return False
    if not evidence.exact:
        return abs((parsed.value - evidence.value.value).total_seconds()) <= 86_400
    return parsed.value == evidence.value.value or (
        "day" in (parsed.precision, evidence.value.precision)
        and parsed.value.date() == evidence.value.value.date()
    )


def _captions(evidence: Evidence) -> tuple[str | None, ...] | None:
    captions = tuple(image.caption for image in evidence.images)
    return captions if any(captions) else None


def overlay_toml(profile: SiteProfile, verified: Sequence[Verified], sources: str) -> str:
    """The overlay file: a header saying how it was learned, then ``[profile.article]``."""
    learned = learned_profile(profile, [Learned(v.key, v.selectors, 0, 0) for v in verified])
    lines = [
        "# Site-profile overlay written by `monitor profile learn`; include it from your config:",
        '#   include = ["<this file>"]',
        f"# Learned from {sources}. Per key: pages where the learned selectors read the value",
        "# that other evidence (metadata, the feed/sitemap/listing, the generic extractor) gives.",
    ]
    lines += [f"#   {report_line(v)}" for v in verified]
    for section in SECTIONS:
        keys = [v for v in verified if v.key.startswith(f"{section}.") and v.selectors]
        if keys:
            lines += ["", f"[profile.{section}]"]
        for item in keys:
            name = item.key.partition(".")[2]
            values = getattr(getattr(learned, section), name)
            lines.append(f"{name} = [{', '.join(_toml_string(s) for s in values)}]")
    return "\n".join(lines) + "\n"


def report_line(item: Verified) -> str:
    """One line of the learning report for a key."""
    if not item.selectors:
        return f"{item.key}: nothing held on the samples (kept as it was)"
    if item.key == "article.strip":
        return f"{item.key}: {len(item.selectors)} boxes that never hold body text"
    return (
        f"{item.key}: {item.selectors[0]} — confirmed on {item.confirmed} of {item.evidence_pages}"
    )


def _toml_string(value: str) -> str:
    """A TOML literal string where possible (selectors are full of double quotes)."""
    if "'" not in value and "\n" not in value:
        return f"'{value}'"
    return json.dumps(value, ensure_ascii=False)
