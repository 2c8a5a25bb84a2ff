"""Read model `event_index`: every event's team, business date, recorder and kind, so a team's history is one query.

Consumes every event of the record; owns the table `event_index`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Connection, Date, DateTime, Index, Integer, MetaData, String, Table

from tracker.domain.events import TrackedEvent

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
    Column("recorded_at", DateTime(timezone=True), nullable=False),
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
        conn.execute(
            event_index.insert().values(
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
        )
