"""Read model `event_index`: every event's team, business date, recorder and kind, so a team's history is one query.

Consumes every event of the record; owns the table `event_index`.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    text,
)

from tracker.domain.events import TrackedEvent
from tracker.projections.batch import Batch, insert_many
from tracker.projections.types import UTCDateTime

metadata = MetaData()
event_index = Table(
    "event_index",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("team_id", String(32), nullable=False),
    Column("originator_id", String(32), nullable=False),
    Column("originator_version", Integer, nullable=False),
    Column("event_type", String(80), nullable=False),
    Column("business_date", Date, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("is_correction", Boolean, nullable=False),
    Index("ix_event_index_team_position", "team_id", "position"),
)


def event_type(event: Any) -> str:
    """An event's name for people: `Commitment.FollowUpReported`."""
    return type(event).__qualname__


class EventIndex:
    name = "event_index"
    version = 1
    metadata = metadata
    consumes = (TrackedEvent,)

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        self.apply_batch(conn, [(event, position)])

    def apply_batch(self, conn: Connection, batch: Batch) -> None:
        insert_many(
            conn,
            event_index,
            [
                dict(
                    position=position,
                    team_id=event.team_id.hex,
                    originator_id=event.originator_id.hex,
                    originator_version=event.originator_version,
                    event_type=event_type(event),
                    business_date=event.business_date,
                    recorded_at=event.timestamp,
                    recorded_by=event.recorded_by,
                    is_correction=event.is_correction,
                )
                for event, position in batch
            ],
        )


def stored_events_table(dialect: str) -> tuple[str, str]:
    """eventsourcing's own table of stored events, and the column holding the log position, per database."""
    return ("stored_events", "rowid") if dialect == "sqlite" else ("tracker_events", "notification_id")


def team_log(
    conn: Connection, team_id: str, known_at: int | None = None, and_later: tuple[str, ...] = ()
) -> list[Notification]:
    """One team's stored events in log order, up to a log position, and those of the types `and_later` (e.g.
    "Team.MemberErased") recorded since: one indexed query, no replay of others."""
    table, position = stored_events_table(conn.dialect.name)
    sql = text(
        f"SELECT e.position, s.originator_id, s.originator_version, s.topic, s.state "
        f"FROM event_index e JOIN {table} s ON s.{position} = e.position "
        "WHERE e.team_id = :team_id AND (e.position <= :known_at OR e.event_type IN :later) ORDER BY e.position"
    ).bindparams(bindparam("later", expanding=True))
    later = list(and_later) or [""]  # an empty IN list is not SQL everywhere
    rows = conn.execute(sql, {"team_id": team_id, "known_at": known_at or 2**62, "later": later})
    return [
        Notification(
            id=row[0],
            originator_id=UUID(str(row[1])),
            originator_version=row[2],
            topic=row[3],
            state=bytes(row[4]),
        )
        for row in rows
    ]
