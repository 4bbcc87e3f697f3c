"""``monitor profile learn``: the site profile's selectors induced from sample pages.

For each sample page, other evidence says what a field's value is (``evidence``): structured
metadata, what the feed, sitemap or listing said of the article (``DiscoveryHint``), the generic
extractor's body. Every element holding that value proposes selectors (``candidates``); a
selector is kept only when it holds on the samples — it finds the evidence's value on every
page where it finds anything, and on at least half of the pages with evidence (``induce``).
The result is a TOML overlay of the profile (``overlay``) that a configuration ``include``s.
"""
