"""The archive: the one package that touches the monitor's SQLite database.

Everything else reads and writes through ``Archive`` and its repositories; every SQL string
lives in this package.

    archive.py      Archive: open/close, settings, counts, maintenance; its repositories
    session.py      the one connection and its transaction helpers (errors → StorageError)
    repo_articles.py  archive.articles: store fetched pages, records, raw pages, selections
    repo_alerts.py  archive.alerts: matches and the alert outbox
    repo_runs.py    archive.runs: crawl runs, figures, entry-point yields, stats
    repo_state.py   archive.state: HTTP validators and crawl state
    repo_index.py   archive.index: ranked search and the LIKE baseline
    repo_raw.py     archive.raw: the raw pages' zstd dictionaries and recompression
    rows.py         the typed rows the repositories return
    connection.py   opening: file mode 0600, WAL, foreign keys, busy timeout, migrations
    migrations.py   the numbered migrations and the schema drawing (PRAGMA user_version)
    articles.py     articles, tags, images, history (article_versions), reads by id/date
    quarantine.py   incomplete records, kept out of articles
    raw.py          raw pages (zstd, with a dictionary; zlib before), for reparse offline
    raw_codec.py    compressing a page: zstd, its dictionaries' training; reading zlib rows
    raw_dictionaries.py  the zstd dictionaries kept in the archive
    raw_store.py    the raw pages' upkeep: train a dictionary when due, recompress, drop
    fts.py          the FTS5 tables: the monitor's two (matching form, folded form), search_ids,
                    and articles_fts, the conventional one sqlite-utils and Datasette find
    alerts.py       matches and the alert outbox
    runs.py         crawl runs and their figures
    state.py        HTTP validators and crawl state
    discovery.py    discovery hints, what each entry point yielded per run, id coverage
    filters.py      ArticleFilter: the one selection by date, section, rule, on-topic
    selection.py    the selected articles read in batches (export)
    stats.py        articles per period, section and rule; crawl runs per period (stats)
    bulk.py         many new records at once (benchmark archives, imports)
    backup.py       copy_verified: an online, consistent, verified copy (SQLite's backup API);
                    setting the archive aside before a restore
    verify.py       every check of a copy: integrity, foreign keys, FTS, versions, raw pages
    search.py       ranked full-text search (BM25, filters) and the LIKE scan it is compared with
    timestamps.py   the one timestamp form: ISO 8601 at +07:00, to the second
    transaction.py  BEGIN IMMEDIATE … COMMIT / ROLLBACK, and savepoints inside a batch

Decisions a caller relies on:

- **Timestamps** written by the archive are ISO 8601 at Vietnam time, ``+07:00``, to the
  second; times handed in (``fetched_at``, ``since_iso``) may use any offset but must have one.
- **Known** ids are those archived *or* quarantined: a quarantined page is kept as a raw page
  and reparsed, not refetched.
- **Transactions**: one per method call. ``store_article`` writes the raw page, the article
  (or quarantine) row, tags, images, history, the FTS rows and the run's outcome figure
  together, or nothing. ``Archive.batch`` makes many calls one transaction (each call a
  savepoint in it): a bulk job's batch and its checkpoint are committed together.
"""

from monitor.archive.alerts import AlertStatus
from monitor.archive.archive import Archive
from monitor.archive.articles import Prepared, StoreOutcome, content_hash, prepare
from monitor.archive.discovery import EntryKind, EntryYield
from monitor.archive.filters import ArticleFilter
from monitor.archive.migrations import MIGRATIONS, SCHEMA_VERSION
from monitor.archive.raw import RawPage
from monitor.archive.rows import RUN_FIGURES, MatchRow, Run, RunFigures
from monitor.archive.runs import RunMode, RunOutcome
from monitor.archive.selection import SELECTED_KEYS
from monitor.archive.stats import Period
from monitor.clock import VN_TZ  # re-exported: callers' day bounds are Vietnam days

__all__ = [
    "MIGRATIONS",
    "RUN_FIGURES",
    "SCHEMA_VERSION",
    "SELECTED_KEYS",
    "VN_TZ",
    "AlertStatus",
    "Archive",
    "ArticleFilter",
    "EntryKind",
    "EntryYield",
    "MatchRow",
    "Period",
    "Prepared",
    "RawPage",
    "Run",
    "RunFigures",
    "RunMode",
    "RunOutcome",
    "StoreOutcome",
    "content_hash",
    "prepare",
]
