"""What an entry point said of each article it named, as ``DiscoveryHint``s for the parser."""

from __future__ import annotations

from monitor.discover.feed import FeedItem
from monitor.discover.listing import ListingItem
from monitor.discover.sitemap import SitemapUrl
from monitor.record import DiscoveryHint


def feed_hint(entry: str, item: FeedItem) -> DiscoveryHint:
    return DiscoveryHint("feed", entry, item.published, item.title, item.summary)


def sitemap_hint(entry: str, url: SitemapUrl) -> DiscoveryHint:
    """news:publication_date, else lastmod; news:title."""
    return DiscoveryHint("sitemap", entry, url.published or url.lastmod, url.title)


def listing_hint(entry: str, item: ListingItem) -> DiscoveryHint:
    return DiscoveryHint("listing", entry, item.date, item.title, item.summary)
