"""The archive's schema, as numbered migrations; ``PRAGMA user_version`` is the number applied.

Migration *n* takes a version *n − 1* database to version *n*. Each runs in its own
transaction together with the ``user_version`` bump, so a crash leaves the database at the
last fully applied version. Migrations are append-only: a shipped one is never edited, a
change is a new one at the end.

The schema after the last migration (→ foreign key, ⇢ same id without a key)::

    articles ───────────────── one row per complete article, its current content
      article_id INTEGER PK      (the number in the URL: …_141005.html)
      url, canonical_url, fetched_url, section
      title, lead, body          display form (monitor.text)
      published_at, published_precision ('minute'|'day'), updated_at, author
      first_seen_at, last_seen_at, content_hash (sha256), version (1 = first seen)
      extraction JSON {field: layer}, problems JSON [..], on_topic 0|1
      matched_hash               content_hash when last matched (NULL: not yet)
    ├── article_tags     (article_id → articles, position) tag         index on tag
    ├── article_images   (article_id → articles, position) url, caption
    ├── article_versions id PK, article_id → articles, version, captured_at, content_hash,
    │                    title, lead, body, published_at, updated_at, author,
    │                    tags JSON, images JSON            the content each version had
    ├── matches          id PK, article_id → articles, rule, keyword, field, start, end,
    │                    snippet, content_hash, matched_at   (one per hit of the current content)
    ├── alerts           id PK, article_id → articles, rule, channel, status
    │                    ('pending'|'sent'|'failed'), attempts, created_at, next_attempt_at,
    │                    sent_at, last_error, sending_since (set while with its channel);
    │                    UNIQUE (article_id, rule, channel): the outbox
    ├── articles_fts_exact    FTS5 contentless, rowid = article_id: matching_form of
    │                         title, lead, body, then their syllable pairs (6 columns)
    ├── articles_fts_folded   the same in fold() form
    └── articles_fts          FTS5 external content (content="articles"), rowid = article_id:
                              title, lead, body as stored, kept by triggers articles_ai,
                              articles_ad, articles_au (sqlite-utils' convention)

    raw_pages   article_id PK ⇢ articles|quarantine, url, fetched_at, content_type,
                http_status, html BLOB, raw_size, codec ('zlib'|'zstd'),
                dictionary_id → raw_dictionaries (NULL: none),
                level (zstd level: 3 written, 19 packed; NULL: not known)
                                                          every fetched article page
    └── raw_dictionaries  dictionary_id PK autoincrement, created_at, pages,
                          newest_article_id, size, sha256, data BLOB   zstd dictionaries
    quarantine  article_id PK, url, first_seen_at, last_seen_at, reasons JSON, record JSON
                incomplete records (title, body or published_at missing)

    crawl_runs  run_id PK autoincrement, mode, started_at, finished_at, outcome, reason,
                requests, bytes, listing_articles, new, updated, unchanged, quarantined,
                http_errors, fetch_errors, entry_pages, not_modified, fallbacks
    └── entry_yields  (run_id → crawl_runs, entry) kind ('feed'|'listing'|'sitemap'),
                      status (first page's; NULL: no answer), links, new   index (entry, run_id)
    discovery_hints  article_id PK ⇢ articles|quarantine, source, entry, published, title,
                     summary, seen_at        the first hint an entry point gave of the article
    http_cache  url PK, etag, last_modified, checked_at, status
    crawl_state key PK, value JSON, updated_at

    articles_view  VIEW: one row per article for browsing (the web view's facets):
                   article_id, published_at, month 'YYYY-MM', section, title, lead, author,
                   url, on_topic, rules JSON ["rule", ...] (distinct rules matching it)

Indexes on articles besides the key: published_at; (section, published_at); published_at of
the on-topic articles (partial) — these two answer a search's section and on-topic filters;
(article_id, published_at), which checks that a date range's ids are one id range; the ids of
the articles due for matching (partial: matched_hash is not content_hash).

The monitor's two FTS5 tables use ``unicode61 remove_diacritics 0``: the text is already in the
form searched (see ``fts``), and no SQLite tokenizer folds ``đ`` or two-mark letters correctly.
``articles_fts`` is for other tools (sqlite-utils, Datasette): ``unicode61 remove_diacritics 2``.
Every table and column is described in docs/schema.md.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from monitor.archive import alerts, candidates, discovery, fts, raw, raw_dictionaries, runs
from monitor.archive.transaction import write_transaction
from monitor.text import fold, matching_form

Migration = Callable[[Database], None]

_ARCHIVE_TABLES = (
    """
    CREATE TABLE articles (
        article_id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        canonical_url TEXT NOT NULL,
        section TEXT NOT NULL,
        title TEXT NOT NULL,
        lead TEXT,
        body TEXT NOT NULL,
        published_at TEXT NOT NULL,
        published_precision TEXT,
        updated_at TEXT,
        author TEXT,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        extraction TEXT NOT NULL DEFAULT '{}',
        problems TEXT NOT NULL DEFAULT '[]',
        on_topic INTEGER NOT NULL DEFAULT 0,
        fetched_url TEXT
    )
    """,
    "CREATE INDEX articles_published_at ON articles (published_at)",
    """
    CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles (article_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        tag TEXT NOT NULL,
        PRIMARY KEY (article_id, position)
    )
    """,
    "CREATE INDEX article_tags_tag ON article_tags (tag)",
    """
    CREATE TABLE article_images (
        article_id INTEGER NOT NULL REFERENCES articles (article_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        url TEXT NOT NULL,
        caption TEXT,
        PRIMARY KEY (article_id, position)
    )
    """,
    """
    CREATE TABLE article_versions (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles (article_id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        captured_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        title TEXT,
        lead TEXT,
        body TEXT,
        published_at TEXT,
        updated_at TEXT,
        author TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        images TEXT NOT NULL DEFAULT '[]',
        UNIQUE (article_id, version)
    )
    """,
    """
    CREATE TABLE raw_pages (
        article_id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        content_type TEXT,
        http_status INTEGER NOT NULL,
        html BLOB NOT NULL,
        raw_size INTEGER NOT NULL
    )
    """,
    """
    CREATE TABLE quarantine (
        article_id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        reasons TEXT NOT NULL DEFAULT '[]',
        record TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE crawl_runs (
        run_id INTEGER PRIMARY KEY AUTOINCREMENT,
        mode TEXT NOT NULL CHECK (mode IN ('normal', 'backfill', 'reparse')),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT NOT NULL DEFAULT 'running'
            CHECK (outcome IN ('running', 'ok', 'failed', 'interrupted', 'timeout')),
        reason TEXT,
        requests INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        listing_articles INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        quarantined INTEGER NOT NULL DEFAULT 0,
        http_errors INTEGER NOT NULL DEFAULT 0,
        fetch_errors INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE http_cache (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        checked_at TEXT NOT NULL,
        status INTEGER
    )
    """,
    """
    CREATE TABLE crawl_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
)


def _v1_archive_tables(db: Database) -> None:
    """Articles with their tags, images and history; raw pages; quarantine; crawl bookkeeping."""
    for statement in _ARCHIVE_TABLES:
        db.execute(statement)


def _v2_full_text(db: Database) -> None:
    """The two FTS5 tables (3 columns, keeping their text), filled from the articles archived.

    As shipped; migration 7 replaces both tables."""
    for table, form in (("articles_fts", matching_form), ("articles_fts_folded", fold)):
        db.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5(title, lead, body,"
            " tokenize = 'unicode61 remove_diacritics 0')"
        )
        for article_id, *fields in db.execute("SELECT article_id, title, lead, body FROM articles"):
            db.execute(
                f"INSERT INTO {table} (rowid, title, lead, body) VALUES (?, ?, ?, ?)",
                (article_id, *(form(field or "") for field in fields)),
            )


def _v3_matches_and_alerts(db: Database) -> None:
    """Matches, the alert outbox, and articles.matched_hash (content matched last)."""
    alerts.create_tables(db)


def _v4_entry_figures(db: Database) -> None:
    """crawl_runs.entry_pages and not_modified."""
    runs.add_entry_figures(db)


def _v5_alert_sending(db: Database) -> None:
    """alerts.sending_since: a message handed to its channel, outcome not yet recorded."""
    alerts.add_sending_column(db)


_ARTICLES_VIEW = """
    CREATE VIEW articles_view AS
    SELECT
        a.article_id,
        a.published_at,
        substr(a.published_at, 1, 7) AS month,
        a.section,
        a.title,
        a.lead,
        a.author,
        a.canonical_url AS url,
        a.on_topic,
        (SELECT json_group_array(DISTINCT m.rule) FROM matches AS m
         WHERE m.article_id = a.article_id) AS rules
    FROM articles AS a
"""


def _v6_articles_view(db: Database) -> None:
    """articles_view: articles with their month and matching rules, for faceted browsing."""
    db.execute(_ARTICLES_VIEW)


_SEARCH_FILTER_INDEXES = (
    "CREATE INDEX articles_section_published_at ON articles (section, published_at)",
    "CREATE INDEX articles_on_topic_published_at ON articles (published_at) WHERE on_topic = 1",
)


def _v7_syllable_pairs(db: Database) -> None:
    """Both FTS5 tables rebuilt contentless with syllable-pair columns (a phrase is searched as
    pair tokens, see ``fts``), and the indexes a search's section and on-topic filters use.

    As shipped, under the names they had then; migration 10 renames articles_fts."""
    fts.rebuild(db, ("articles_fts", "articles_fts_folded"), fts.SHIPPED_LAYOUT)
    for statement in _SEARCH_FILTER_INDEXES:
        db.execute(statement)


def _v8_id_dates(db: Database) -> None:
    """articles (article_id, published_at): a search checks in it, without reading article
    rows, that the articles of a date range are exactly those of an id range."""
    db.execute("CREATE INDEX articles_id_published_at ON articles (article_id, published_at)")


def _v9_discovery(db: Database) -> None:
    """discovery_hints and entry_yields (see ``discovery``); crawl_runs.fallbacks: records
    whose title, body or date came from the generic layer or were not found."""
    discovery.create_tables(db)
    runs.add_fallbacks_figure(db)


def _v10_standard_full_text(db: Database) -> None:
    """articles_fts renamed articles_fts_exact; articles_fts is now the conventional FTS5 table
    over articles (``content="articles"``, sqlite-utils' triggers), which sqlite-utils' search
    and Datasette's ``?_search=`` find (see ``fts.enable_standard``)."""
    db.execute("ALTER TABLE articles_fts RENAME TO articles_fts_exact")
    fts.enable_standard(db, fts.FIELDS)


def _v11_raw_dictionaries(db: Database) -> None:
    """raw_dictionaries (zstd dictionaries trained on the archive's pages); raw_pages.codec
    ('zlib' for the rows already there, which stay readable as they are) and dictionary_id.
    Columns added in place: no row is rewritten (``raw_store`` recompresses them later)."""
    raw_dictionaries.create_table(db)
    raw.add_codec_columns(db)


def _v12_unmatched_index(db: Database) -> None:
    """articles_unmatched: the articles due for matching (matched_hash not their content_hash),
    by id, so that matching finds them without reading every article (``candidates``)."""
    candidates.add_unmatched_index(db)


def _v13_raw_levels(db: Database) -> None:
    """raw_pages.level: the zstd level of each page (the crawl writes level 3, maintenance
    packs at level 19, see ``raw_store``), NULL for the rows already there, which maintenance
    packs; and raw_pages_level, through which it finds them. No row is rewritten here."""
    raw.add_level_column(db)


def _v14_column_layout(db: Database) -> None:
    """The three FTS5 tables made anew with their columns in a smaller order: ``body_pairs``
    first in articles_fts_exact and articles_fts_folded, ``body`` first in articles_fts
    (``fts.LAYOUT``, ``fts.STANDARD_LAYOUT``); the same tokens, columns and rankings."""
    fts.rebuild(db)
    db.table("articles").disable_fts()  # articles_fts and its triggers
    fts.enable_standard(db)


MIGRATIONS: tuple[Migration, ...] = (
    _v1_archive_tables,
    _v2_full_text,
    _v3_matches_and_alerts,
    _v4_entry_figures,
    _v5_alert_sending,
    _v6_articles_view,
    _v7_syllable_pairs,
    _v8_id_dates,
    _v9_discovery,
    _v10_standard_full_text,
    _v11_raw_dictionaries,
    _v12_unmatched_index,
    _v13_raw_levels,
    _v14_column_layout,
)
SCHEMA_VERSION = len(MIGRATIONS)
# the last migration that rebuilds the search indexes (the slow part), for the log
SEARCH_INDEX_REBUILT = MIGRATIONS.index(_v14_column_layout) + 1


def schema_version(db: Database) -> int:
    """The number of migrations applied to ``db`` (0 for a new, empty database)."""
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(db: Database, *, target: int = SCHEMA_VERSION) -> list[int]:
    """Apply the pending migrations up to ``target``, each in its own transaction.

    The version is re-read inside each transaction, so two processes opening the same new
    database apply each migration once. Returns the versions this call applied (empty when
    the database was already at ``target``). The caller checks first that the database is
    not newer than this code (see ``connection``).
    """
    applied: list[int] = []
    while True:
        with write_transaction(db):
            version = schema_version(db) + 1
            if version > target:
                return applied
            MIGRATIONS[version - 1](db)
            # PRAGMA takes no parameters; ``version`` is an int computed above.
            db.execute(f"PRAGMA user_version = {version:d}")
        applied.append(version)
