"""The discover stage: which article URLs an entry point names, and what it says of each.

Pure functions over fetched bytes; the spider decides what to fetch with their answers. Only
article URLs of the profile's id pattern on first-party hosts are ever returned.

    listing.py       section and tag listing pages: items (title, summary, date) and next page
    feed.py          RSS 2.0 / Atom feeds: items (pubDate, title, description)
    sitemap.py       sitemaps.org urlsets and indexes, gzip, Google news sitemaps
    sitemap_walk.py  which child sitemaps a run reads, and what a clean run remembers
    hints.py         ``DiscoveryHint`` of a feed, sitemap or listing item
"""

from monitor.discover.feed import FeedItem, parse_feed
from monitor.discover.hints import feed_hint, listing_hint, sitemap_hint
from monitor.discover.listing import Listing, ListingItem, parse_listing
from monitor.discover.sitemap import ChildSitemap, Sitemap, SitemapUrl, parse_sitemap
from monitor.discover.sitemap_walk import SitemapWalk

__all__ = [
    "ChildSitemap",
    "FeedItem",
    "Listing",
    "ListingItem",
    "Sitemap",
    "SitemapUrl",
    "SitemapWalk",
    "feed_hint",
    "listing_hint",
    "parse_feed",
    "parse_listing",
    "parse_sitemap",
    "sitemap_hint",
]
