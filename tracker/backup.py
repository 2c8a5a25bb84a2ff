"""Backups of the SQLite database that are safe while the server writes, and restores that verify before they
replace anything. PostgreSQL has pg_dump for the same (docs/deploy.md)."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from tracker.audit.verify import verify_log
from tracker.bootstrap import build_services
from tracker.config import Settings
from tracker.documents.report import forget_rendered_reports
from tracker.domain.errors import DomainError
from tracker.persistence import holds_a_log, is_sqlite


class BackupRefused(DomainError):
    field = "file"


def backup(settings: Settings, target: Path) -> None:
    """A consistent copy of the whole database (log, keys, read models), taken in one step by SQLite's online
    backup, while writers carry on; a copy of the file alone can miss acknowledged commands still in the WAL."""
    if not is_sqlite(settings.database_url):
        raise BackupRefused(
            "this database is PostgreSQL: use pg_dump --format=custom (docs/deploy.md), and keep the instance "
            "folder's keys apart from the dump"
        )
    if target.exists():
        raise BackupRefused(f"{target} exists: name a new file")
    if not holds_a_log(settings.database_url):
        raise BackupRefused(f"no log at {settings.database_url}: is TRACKER_DATABASE_URL right?")
    partial = target.with_name(target.name + ".part")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))  # the owner's only from the start
    with closing(sqlite3.connect(_path(settings))) as source, closing(sqlite3.connect(partial)) as copy:
        source.backup(copy)  # all pages in one step: a snapshot of one moment
    os.replace(partial, target)


def restore(settings: Settings, backup_file: Path) -> int:
    """Put a backup in the database's place once it verifies (every leaf, the tree, every checkpoint), under this
    instance's master key; a damaged or foreign file changes nothing. Every login session is closed and rendered
    reports are forgotten. Stop the server first. Returns its size."""
    if not is_sqlite(settings.database_url):
        raise BackupRefused("this database is PostgreSQL: restore with pg_restore (docs/deploy.md)")
    if not holds_a_log(f"sqlite:///{backup_file.resolve()}"):
        raise BackupRefused(f"{backup_file} holds no log: it is not a backup of a Partnership Tracker database")
    target = _path(settings)
    trial = target.with_name(target.name + ".restoring")
    with closing(sqlite3.connect(backup_file)) as source, closing(sqlite3.connect(trial)) as copy:
        source.backup(copy)
    try:
        services = build_services(Settings(f"sqlite:///{trial}", settings.instance_dir), project_synchronously=False)
        try:
            services.projections.catch_up(["merkle_tree"])
            size, _root = verify_log(services.engine, services.app, [], services.signed_log.key)
        finally:
            services.close()
    except Exception:
        for leftover in trial.parent.glob(trial.name + "*"):
            leftover.unlink(missing_ok=True)
        raise
    for journal in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        journal.unlink(missing_ok=True)
    with closing(sqlite3.connect(trial)) as restored, restored:  # sessions closed since the backup stay closed
        now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
        restored.execute("UPDATE login_sessions SET revoked_at = ? WHERE revoked_at IS NULL", (now,))
    os.replace(trial, target)
    for leftover in trial.parent.glob(trial.name + "-*"):
        leftover.unlink(missing_ok=True)
    forget_rendered_reports(settings.report_cache_dir)  # log positions are reused after a restore
    return size


def _path(settings: Settings) -> Path:
    return Path(make_url(settings.database_url).database or "")
