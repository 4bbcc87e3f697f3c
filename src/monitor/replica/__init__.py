"""A faithful local replica of congan.com.vn pages, built from real article texts.

``pages`` renders article pages (and the reusable page shell: header, menu, sidebar, footer) as
HTML strings, deterministically: the same article, variant and arguments give the same bytes.
``textforms`` produces the text forms the live site serves (decomposed Vietnamese, invisible
characters, the publish-date line). ``data/`` holds the article texts the pages are built from:
``articles.jsonl`` (59 real 2025 articles) and ``seed-article.json`` (a 2022 dân vận article).
"""
