"""The web view: the archive served read-only by Datasette (``monitor serve``, the ``web`` extra).

    serve.py        checks the extra and the archive, builds the Datasette instance, runs it
    plugin.py       the Datasette plugin: the archive's connections made query-only, and the
                    Vietnamese search functions vn_exact(q), vn_folded(q), vn_snippet(text, q)
    metadata.yaml   titles, column descriptions, facets, hidden tables, canned queries
                    (latest on-topic articles, matches per rule, search, the Atom feed per rule)

Nothing outside this package imports Datasette, and this package imports it only when the web
view starts, so the monitor runs without the extra installed.
"""

from __future__ import annotations

DATABASE = "archive"  # the archive's name in Datasette: every URL starts /archive
INSTALL_HINT = "pip install '.[web]'"
