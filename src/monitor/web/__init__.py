"""The web view: the archive served read-only by Datasette (``monitor serve``, the ``web`` extra).

    serve.py        checks the extra, who may read (access.py) and the archive, builds the
                    Datasette instance, runs it
    access.py       loopback, a login (MONITOR_WEB_PASSWORD_HASH), --no-auth, or refused
    plugin.py       the Datasette plugin's hooks: pages, cells, facets, the read-only guard,
                    the login redirect, query-only connections, vn_* SQL functions
    pages.py        the plugin's pages: /archive/search, /archive/article/ID, /archive/rules,
                    each gathering its data in search_page.py, article_page.py, rules_page.py
    feeds.py        the Atom feed of each rule, /archive/rule_feed.atom?rule=NAME (feedgen)
    guard.py        the ASGI wrapper answering 405 to anything but GET and HEAD
    marks.py        text as HTML with <mark>s; labels.py: times, fields and rules in Vietnamese
    cells.py        rules as linked names, titles as links (Datasette's tables)
    facets.py       the "newest" facet: months newest first
    templates/      the pages' templates, and the articles tables' (rows before descriptions)
    metadata.yaml   titles, column descriptions, facets, hidden tables, full-text search
                    settings, canned queries (latest on-topic articles, matches per rule)

Nothing outside this package imports Datasette, and this package imports it only when the web
view starts, so the monitor runs without the extra installed.
"""

from __future__ import annotations

DATABASE = "archive"  # the archive's name in Datasette: every URL starts /archive
PLUGIN = "monitor-web"  # the plugin's name in Datasette, and its configuration's key
INSTALL_HINT = "pip install '.[web]'"
