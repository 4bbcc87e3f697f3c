"""A faithful local replica of congan.com.vn pages, built from real article texts.

``pages`` renders article pages (and the reusable page shell: header, menu, sidebar, footer) as
HTML strings, deterministically: the same article, variant and arguments give the same bytes.
``textforms`` produces the text forms the live site serves (decomposed Vietnamese, invisible
characters, the publish-date line). ``site`` is the whole site as a content model (published
articles with their variants and tags, section and tag listings, RSS feeds, robots.txt, a clock,
articles published on demand); ``server`` serves it on 127.0.0.1 with a request log, failure
injection (``faults``) and control over HTTP (``python -m replica.server``). The
"redesign" layout (``redesign_site``, ``redesign``, ``redesign_plan``, ``sitemaps``) serves the
same articles in a template the site profile has never seen, with sitemaps instead of feeds;
``content`` holds what every layout serves from (``Entry``, ``Page``). ``data/``
holds the article texts: ``articles.jsonl`` (59 real 2025 articles), ``seed-article.json`` (a
2022 dân vận article) and ``extra-articles.json`` (invented articles to publish during a test:
dân vận, cross-word look-alikes such as "người dân vận chuyển", an ordinary one, and a
"hostile" one quoting ``<script>`` and other markup in its title and text).

It is test infrastructure, not the product: a package of its own beside ``scrapers/``, used by
the tests, the benchmarks and ``monitor demo`` (which imports it only when it runs). It writes
the site's URLs itself (``shell.tag_href``) rather than with the code it tests, and takes from
the product only a public name: ``monitor.dates.VN_TZ``, the site's timezone.
"""
