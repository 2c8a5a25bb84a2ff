"""eventsourcing with nothing of ours: the floor beside which recording is measured (bench/run.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import get_topic
from sqlalchemy import text

from tracker.domain.ids import new_id
from tracker.persistence import create_database_engine, eventsourcing_env, is_sqlite


class Record(Aggregate):
    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        """The same kind of id the tracker gives its aggregates (time-ordered), so both saves insert alike."""
        return new_id()

    @event("Created")
    def __init__(self, payload: str) -> None:
        self.payload = payload

    @event("Added")
    def add(self, payload: str) -> None:
        self.payload = payload


class BareApplication(Application[UUID]):
    name = "Bare"

    def meeting_like(self, sizes: list[tuple[UUID, int]]) -> list[Record]:
        """Aggregates whose stored events match a recorded meeting's: as many, in as many aggregates, as large."""
        overhead = len(self.mapper.to_stored_event(Record("").collect_events()[0]).state)
        by_aggregate: dict[UUID, list[int]] = {}
        for originator_id, size in sizes:
            by_aggregate.setdefault(originator_id, []).append(max(0, size - overhead))
        records = []
        for payloads in by_aggregate.values():
            record = Record("x" * payloads[0])
            for payload in payloads[1:]:
                record.add("x" * payload)
            records.append(record)
        return records


class BareSQLiteRecorder(SQLiteApplicationRecorder):
    """eventsourcing's own SQLite recorder, writing to `bare_events` beside the tracker's log in the same file."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, events_table_name="bare_events")


@contextmanager
def bare_beside(database_url: str) -> Iterator[BareApplication]:
    """A bare application whose log sits in the same database as the tracker's and is as long: its table is first
    filled with a copy of every stored event, so both saves insert into indexes of the same size and depth. It is
    dropped afterwards. (On PostgreSQL eventsourcing names the table after the application: `bare_events`.)"""
    env = {**eventsourcing_env(database_url), "CREATE_TABLE": "y"}
    sqlite = is_sqlite(database_url)
    if sqlite:
        env["APPLICATION_RECORDER_TOPIC"] = get_topic(BareSQLiteRecorder)
    engine = create_database_engine(database_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS bare_events")
    bare = BareApplication(env=env)
    try:
        columns = "originator_id, originator_version, topic, state"
        log = "stored_events" if sqlite else "tracker_events"
        with engine.begin() as conn:
            conn.execute(text(f"INSERT INTO bare_events ({columns}) SELECT {columns} FROM {log}"))
        yield bare
    finally:
        bare.close()
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS bare_events")
        engine.dispose()
