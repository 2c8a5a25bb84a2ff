"""What is stored: snapshots of long-lived teams, old event versions upcast on reading, no plaintext at rest."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from tests.story import BY, add_member, register_team, tell_story
from tracker.application.drafts import DecisionDraft
from tracker.bootstrap import build_services
from tracker.confidentiality import MasterKey, MasterKeyError
from tracker.domain.errors import ConcurrentEditConflict
from tracker.persistence import RELAXED_CHECKPOINT_PAGES, create_database_engine, write_transaction


def test_a_long_lived_team_is_snapshotted_and_reloads_the_same(services):
    # given a team with more than fifty events
    app = services.app
    team_id = register_team(app)
    members = [add_member(app, team_id, f"Member {n}", "activist", "female", "18_29") for n in range(30)]
    for member in members[:25]:
        app.remove_member(team_id, member, reason="moved away", on=date(2015, 6, 1), by=BY)
    # then a snapshot was taken, and the team reloads from it with every member
    assert list(app.snapshots.get(team_id))
    team = app.team(team_id)
    assert team.version == 56
    assert len(team.members) == 30
    assert len(team.members_on(date(2015, 7, 1))) == 5


def test_a_version_1_member_joined_event_is_upcast_on_reading(services):
    # given a stored MemberJoined of version 1, which had no public display
    app = services.app
    team_id = register_team(app)
    team = app.team(team_id)
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2015-01-11T08:00:00+00:00"},
        "team_id": {"_type_": "uuid_hex", "_data_": team_id.hex},
        "business_date": {"_type_": "date_iso", "_data_": "2015-01-11"},
        "recorded_by": "cli:2015",
        "member_id": {"_type_": "uuid_hex", "_data_": "0" * 31 + "1"},
        "name": "Эрмек Сыдыков",
        "role": "member",
        "sector": "elders",
        "gender": "male",
        "age_band": "60_plus",
    }
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=team_id,
                originator_version=team.version + 1,
                topic="tracker.domain.team:Team.MemberJoined",
                state=json.dumps(state).encode(),
            )
        ]
    )
    # when the team is read back
    member = next(iter(app.team(team_id).members.values()))
    # then the member appears by full name, as every member did before version 2
    assert (member.name, member.public_display) == ("Эрмек Сыдыков", "full_name")


def test_no_free_text_is_stored_in_plaintext(services, settings):
    # given a story whose free text is public, team-only and confidential
    tell_story(services.app)
    # when the raw database is read byte for byte (the SQLite file and its WAL, or a PostgreSQL dump)
    raw = raw_database_bytes(settings.database_url)
    # then no free text is in it; only names and places, which are not free text, are readable
    for text in ("Протокол", "Көчө жарыгы", "12 чырак", "Ата-энелер", "Мектепте акча", "Борбордук көчөгө"):
        assert text.encode() not in raw
    assert "Айгүл Осмонова".encode() in raw


def test_a_wrong_master_key_is_refused(services, settings):
    with pytest.raises(MasterKeyError):
        build_services(settings, master_key=MasterKey.generate())


def raw_database_bytes(database_url: str) -> bytes:
    """Every byte at rest: the SQLite file with its WAL, or a PostgreSQL dump with bytea decoded from hex."""
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))
    dump = subprocess.run(["pg_dump", "--data-only", database_url], check=True, capture_output=True).stdout
    decoded = [bytes.fromhex(match.decode()) for match in re.findall(rb"\\\\x([0-9a-f]+)", dump)]
    return dump + b"".join(decoded)


def test_a_read_model_transaction_does_not_wait_for_the_disk_and_leaves_other_writes_durable(services):
    # given the database that holds both the log and the read models
    engine = services.engine
    sqlite = engine.dialect.name == "sqlite"
    setting = "PRAGMA synchronous" if sqlite else "SHOW synchronous_commit"
    with engine.connect() as conn:
        durable = conn.exec_driver_sql(setting).scalar()
    # when a read model's transaction runs, it commits without waiting for the disk
    with write_transaction(engine, wait_for_disk=False) as conn:
        assert conn.exec_driver_sql(setting).scalar() == (1 if sqlite else "off")
    # then every later transaction on the pooled connections waits for the disk again
    with write_transaction(engine) as conn:
        assert conn.exec_driver_sql(setting).scalar() == durable
    assert durable == (2 if sqlite else "on")


def test_a_read_model_transaction_on_sqlite_checkpoints_rarely_and_only_inside_it(tmp_path):
    # (checkpoints of a write-ahead log file are SQLite's: PostgreSQL has no such setting per transaction)
    engine = create_database_engine(f"sqlite:///{tmp_path / 'tracker.sqlite3'}")
    # given SQLite's default: copy the write-ahead log into the database every 1,000 pages
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    # when a read model's transaction runs, it leaves the copy until the log holds 80 MB
    with write_transaction(engine, wait_for_disk=False) as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == RELAXED_CHECKPOINT_PAGES
    # then saves of the event log, on the pooled connections, checkpoint as often as before
    with write_transaction(engine) as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    engine.dispose()


STARTER = """
import sys, time
from tracker.bootstrap import build_services
start_at = float(sys.argv[1])
time.sleep(max(0.0, start_at - time.time()))
services = build_services(project_synchronously=False)
print(services.projections.positions()["commitments"])
services.close()
"""


def test_processes_starting_together_on_a_fresh_database_all_start(settings, master_key):
    # given a fresh database and four processes (web workers and a projector) due to start at the same moment
    master_key.write(settings.master_key_file)
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": settings.database_url,
        "TRACKER_INSTANCE_DIR": str(settings.instance_dir),
    }
    start_at = time.time() + 3.0
    # when they all create their tables at once
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, str(start_at)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = [(starter.wait(timeout=120), *starter.communicate()) for starter in starters]
    # then every one of them started, with the read models at the start of the log
    assert [(code, out.strip()) for code, out, _ in outcomes] == [(0, "0")] * 4, [err for _, _, err in outcomes]


def _counts(services):
    from sqlalchemy import func, select

    from tracker.confidentiality import data_keys

    with services.engine.connect() as conn:
        keys = conn.execute(select(func.count()).select_from(data_keys)).scalar_one()
    return keys, services.app.recorder.max_notification_id()


def test_a_command_s_data_keys_are_saved_with_its_events_or_not_at_all(services, monkeypatch):
    # given a team, and a store that refuses every save of the log (another writer always got there first)
    team_id = register_team(services.app)
    chair = add_member(services.app, team_id, "Айгүл Осмонова", "womens_committee", "female", "45_59")
    before = _counts(services)
    recorder = services.app.recorder

    def refused(*args, **kwargs):
        raise IntegrityError("another writer saved first")

    meeting = dict(
        held_on=date(2015, 3, 12),
        kind="regular",
        place="Айыл өкмөтү",
        attendee_ids=[chair],
        guests_female=0,
        guests_male=0,
        agenda=["Көчө жарыгы"],
        minutes="Протокол",
        decisions=[DecisionDraft("Жарык орнотуу", "confidential", [])],
        by=BY,
    )
    with monkeypatch.context() as patch:
        eventsourcing_s_own = type(recorder).__bases__[0]  # ours adds the keys, then calls it for the events
        patch.setattr(eventsourcing_s_own, "_insert_events", refused)
        # when a meeting with sealed minutes and a decision is recorded, it is refused
        with pytest.raises(ConcurrentEditConflict):
            services.app.record_meeting(team_id, **meeting)
    # then neither its events nor the keys made for its text were stored
    assert _counts(services) == before
    # and once the log takes saves again, events and keys (the meeting's and the decision's) are stored together
    recorded = services.app.record_meeting(team_id, **meeting)
    keys, head = _counts(services)
    assert keys == before[0] + 2 and head > before[1]
    assert services.app.sealer.open(services.app.meeting(recorded.id).minutes) == "Протокол"
