"""Backups of the archive: made while the daemon runs, verified, compressed, rotated;
restored only once verified; and ``verify`` for the archive or any backup.

    operations.py   make_backup, restore_backup, verify_archive, verify_backup (the steps)
    compression.py  zstd streams, SHA-256, read-back
    manifest.py     manifest.json beside the backups: checksum, size, schema, counts, time
    rotation.py     which backups the daily/weekly/monthly policy keeps

The copy itself and the checks are SQL, in ``monitor.archive.backup`` (``copy_verified``) and
``monitor.archive.verify``.
"""
