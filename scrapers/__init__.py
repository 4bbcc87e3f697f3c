"""The Scrapy project: discovery and fetching only.

Spiders decide which URLs to visit and hand the fetched bytes to ``monitor`` (which never
imports Scrapy). Run one crawl in its own process with ``python -m scrapers.run``.
"""
