"""Backups taken while the server writes hold every acknowledged command and verify; a damaged one is refused."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from contextlib import closing
from datetime import date

import pytest

from tests.story import BY, tell_story
from tracker.audit.errors import AuditError
from tracker.backup import BackupRefused, backup, restore
from tracker.config import Settings


def test_a_backup_while_a_secretary_records_holds_every_command_acknowledged_before_it_began(
    services, master_key, tmp_path
):
    if services.engine.dialect.name != "sqlite":
        with pytest.raises(BackupRefused, match="pg_dump"):
            backup(services.settings, tmp_path / "copy.sqlite3")
        return
    # given a secretary recording meetings, one after another, on a server whose master key is in its file
    master_key.write(services.settings.master_key_file)
    story = tell_story(services.app)
    acknowledged, stop = [], threading.Event()

    def secretary():
        while not stop.is_set():
            recorded = services.app.record_meeting(
                story.team_id, held_on=date(2015, 12, 1), kind="regular", place="Зал", by=BY
            )
            acknowledged.append(recorded.id)

    thread = threading.Thread(target=secretary)
    thread.start()
    try:
        while len(acknowledged) < 3:
            pass
        # when a backup is taken meanwhile
        before = list(acknowledged)
        backup(services.settings, tmp_path / "copy.sqlite3")
    finally:
        stop.set()
        thread.join()
    # then it holds every meeting acknowledged before it began
    with closing(sqlite3.connect(tmp_path / "copy.sqlite3")) as copy:
        ids = {row[0] for row in copy.execute("SELECT originator_id FROM stored_events")}
    assert {meeting_id.hex for meeting_id in before} <= {str(i).replace("-", "") for i in ids}
    # and it restores, verified, into a database of its own
    elsewhere = Settings(f"sqlite:///{tmp_path / 'restored.sqlite3'}", services.settings.instance_dir)
    (tmp_path / "restored.sqlite3").touch()
    assert restore(elsewhere, tmp_path / "copy.sqlite3") >= len(before)


def test_restoring_a_damaged_backup_is_refused_and_changes_nothing(services, master_key, tmp_path):
    if services.engine.dialect.name != "sqlite":
        with pytest.raises(BackupRefused, match="pg_restore"):
            restore(services.settings, tmp_path / "any.sqlite3")
        return
    master_key.write(services.settings.master_key_file)
    tell_story(services.app)
    backup(services.settings, tmp_path / "copy.sqlite3")
    with closing(sqlite3.connect(tmp_path / "copy.sqlite3")) as copy, copy:
        copy.execute("UPDATE stored_events SET state = X'7B7D' WHERE rowid = 3")  # one event rewritten
    database = tmp_path / "tracker.sqlite3"
    fingerprint = hashlib.sha256(database.read_bytes()).hexdigest()
    with pytest.raises(AuditError, match="leaf 2"):
        restore(services.settings, tmp_path / "copy.sqlite3")
    with pytest.raises(BackupRefused, match="holds no log"):
        (tmp_path / "empty.sqlite3").touch()
        restore(services.settings, tmp_path / "empty.sqlite3")
    assert hashlib.sha256(database.read_bytes()).hexdigest() == fingerprint
    assert not list(tmp_path.glob("*.restoring*"))
