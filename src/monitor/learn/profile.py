"""The learning run: evidence from the samples, every key induced, the result verified."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from monitor.config.schema import SiteProfile
from monitor.errors import ExtractionError
from monitor.learn.evidence import SamplePage, gather
from monitor.learn.induce import Learned, learn_article_keys
from monitor.learn.listing import ListingSample, learn_listing_keys
from monitor.learn.overlay import Verified, learned_profile, overlay_toml, verify


@dataclass(frozen=True)
class LearnResult:
    verified: tuple[Verified, ...]
    overlay: str  # the TOML overlay's text
    profile: SiteProfile  # the profile with the learned selectors
    skipped: tuple[str, ...]  # samples that were no usable page, with the reason

    @property
    def reads_articles(self) -> bool:
        """Whether the learned profile reads the title, body and date of the samples."""
        needed = {"article.title", "article.body", "article.date"}
        return all(v.selectors and v.confirmed for v in self.verified if v.key in needed)


def learn_profile(
    articles: Sequence[SamplePage],
    listings: Sequence[ListingSample],
    profile: SiteProfile,
    hosts: tuple[str, ...],
    *,
    sources: str,
    now: datetime | None = None,
) -> LearnResult:
    """Learn from article pages (and listing pages, for the listing keys)."""
    evidence = []
    skipped = []
    for sample in articles:
        try:
            evidence.append(gather(sample, profile, now))
        except ExtractionError as error:
            skipped.append(f"{sample.url}: {error.message}")
    learned = learn_article_keys(evidence, profile) if evidence else []
    if listings:
        learned += learn_listing_keys(listings, profile, hosts)
    verified = verify(learned_profile(profile, learned), learned, evidence)
    # a key whose selectors, read as the parser reads them, miss the evidence is dropped
    learned = [
        item if _confirmed(v) else _dropped(item) for item, v in zip(learned, verified, strict=True)
    ]
    new_profile = learned_profile(profile, learned)
    verified = verify(new_profile, learned, evidence)  # the pages are read, never changed
    overlay = overlay_toml(profile, verified, sources)
    return LearnResult(tuple(verified), overlay, new_profile, tuple(skipped))


def _confirmed(item: Verified) -> bool:
    return item.evidence_pages == 0 or 2 * item.confirmed >= item.evidence_pages


def _dropped(item: Learned) -> Learned:
    return Learned(item.key, (), 0, item.evidence_pages)
