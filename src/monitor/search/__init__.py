"""Searching the archive as a Vietnamese reader types: phrases, OR, exclusion, diacritics.

    query.py    the query language, pure: ``compile_query(text)`` → ``CompiledQuery`` (two FTS5
                MATCH expressions, for the exact and the folded table, and the typed terms)
    engine.py   ``search_archive(archive, text, filters)`` → ranked ``SearchHit``s, each with
                the sentence around its first match, highlighted on the original characters

The SQL (ranking, filters) lives in ``monitor.archive.search``, like every SQL string. Import
from the modules: ``query`` is pure and light (the web view uses it without the archive).
"""
