"""The web view: the archive served read-only by Datasette (``monitor serve``, the ``web`` extra).

    serve.py        checks the extra and the archive, builds the Datasette instance, runs it
    plugin.py       the Datasette plugin: the archive's connections made query-only, the
                    Vietnamese search functions vn_exact(q), vn_folded(q), vn_snippet(text, q),
                    and the feeds' route
    feeds.py        the Atom feed of each rule, /archive/rule_feed.atom?rule=NAME (feedgen)
    metadata.yaml   titles, column descriptions, facets, hidden tables, full-text search
                    settings, canned queries (latest on-topic articles, matches per rule, search)

Nothing outside this package imports Datasette, and this package imports it only when the web
view starts, so the monitor runs without the extra installed.
"""

from __future__ import annotations

DATABASE = "archive"  # the archive's name in Datasette: every URL starts /archive
PLUGIN = "monitor-web"  # the plugin's name in Datasette, and its configuration's key
INSTALL_HINT = "pip install '.[web]'"
