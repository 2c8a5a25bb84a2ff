"""Read model `meetings`: meetings with attendance, decisions, and every correction shown as such.

Consumes Meeting.Held, DecisionRecorded, MinutesCorrected, MinutesVisibilityChanged, DecisionVisibilityChanged,
Annulled and ItemErased; owns `meetings`, `meeting_attendance`, `decisions` and `meeting_corrections`.
"""

from __future__ import annotations

from typing import Any

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
    Text,
    select,
)

from tracker.domain.meeting import Meeting
from tracker.projections.batch import Batch, Rows, stored_ids
from tracker.projections.types import ERASED_PLACE, ErasableText, OpensTexts, UTCDateTime

metadata = MetaData()
meetings = Table(
    "meetings",
    metadata,
    Column("meeting_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("held_on", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("place", ErasableText(500, ERASED_PLACE), nullable=True),  # opened; NULL once the meeting is erased
    Column("guests_female", Integer, nullable=False),
    Column("guests_male", Integer, nullable=False),
    Column("visiting_team_ids", Text, nullable=False),
    Column("minutes", Text, nullable=False),
    Column("minutes_visibility", String(16), nullable=False),
    Column("minutes_erased", Boolean, nullable=False),
    Column("annulled", Boolean, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("position", BigInteger, nullable=False),
)
meeting_attendance = Table(
    "meeting_attendance",
    metadata,
    Column("meeting_id", String(32), primary_key=True),
    Column("member_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False, index=True),
)
decisions = Table(
    "decisions",
    metadata,
    Column("decision_id", String(32), primary_key=True),
    Column("meeting_id", String(32), nullable=False, index=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("visibility", String(16), nullable=False),
    Column("erased", Boolean, nullable=False),
    Column("business_date", Date, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("position", BigInteger, nullable=False),
)
meeting_corrections = Table(
    "meeting_corrections",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("meeting_id", String(32), nullable=False, index=True),
    Column("team_id", String(32), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("item_id", String(32), nullable=True),
    Column("business_date", Date, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("reason", Text, nullable=True),
    Column("reason_code", String(32), nullable=True),
    Column("visibility", String(16), nullable=True),
    Index("ix_meeting_corrections_team", "team_id"),
)


class Meetings(OpensTexts):
    name = "meetings"
    version = 3  # 2: meeting_corrections indexed by team; 3: places sealed from Meeting.Held version 2, erasable
    metadata = metadata
    consumes = (
        Meeting.Held,
        Meeting.DecisionRecorded,
        Meeting.MinutesCorrected,
        Meeting.MinutesVisibilityChanged,
        Meeting.DecisionVisibilityChanged,
        Meeting.Annulled,
        Meeting.ItemErased,
    )

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        self.apply_batch(conn, [(event, position)])

    def apply_batch(self, conn: Connection, batch: Batch) -> None:
        rows = Rows(conn)
        later = [e.originator_id.hex for e, _ in batch if not isinstance(e, Meeting.Held)]
        known = stored_ids(conn, meetings.c.meeting_id, later)
        places = self.opened([event for event, _ in batch if isinstance(event, Meeting.Held)], "place")
        for event, position in batch:
            if isinstance(event, Meeting.Held):
                self._held(rows, event, places[id(event)], position)
                known.add(event.originator_id.hex)
            elif event.originator_id.hex not in known:
                continue  # an as-of view may hold a correction of a meeting it does not include
            elif isinstance(event, Meeting.DecisionRecorded):
                rows.insert(
                    decisions,
                    dict(
                        decision_id=event.decision_id.hex,
                        meeting_id=event.originator_id.hex,
                        team_id=event.team_id.hex,
                        text=event.text,
                        visibility=event.visibility,
                        erased=False,
                        business_date=event.business_date,
                        recorded_at=event.timestamp,
                        position=position,
                    ),
                )
            else:
                rows.flush()
                self._corrected(conn, event, position)
        rows.flush()

    def _corrected(self, conn: Connection, event: Any, position: int) -> None:
        meeting_row = meetings.c.meeting_id == event.originator_id.hex
        item_id = getattr(event, "decision_id", None) or getattr(event, "item_id", None)
        if isinstance(event, Meeting.MinutesCorrected):
            conn.execute(meetings.update().where(meeting_row).values(minutes=event.minutes))
        elif isinstance(event, Meeting.MinutesVisibilityChanged):
            conn.execute(meetings.update().where(meeting_row).values(minutes_visibility=event.visibility))
        elif isinstance(event, Meeting.DecisionVisibilityChanged):
            conn.execute(
                decisions.update().where(decisions.c.decision_id == item_id.hex).values(visibility=event.visibility)
            )
        elif isinstance(event, Meeting.Annulled):
            conn.execute(meetings.update().where(meeting_row).values(annulled=True))
        elif isinstance(event, Meeting.ItemErased):
            if item_id == event.originator_id:
                conn.execute(meetings.update().where(meeting_row).values(minutes_erased=True, place=None))
            else:
                conn.execute(decisions.update().where(decisions.c.decision_id == item_id.hex).values(erased=True))
        conn.execute(
            meeting_corrections.insert(),
            dict(
                position=position,
                meeting_id=event.originator_id.hex,
                team_id=event.team_id.hex,
                event_type=type(event).__qualname__,
                item_id=item_id.hex if item_id else None,
                business_date=event.business_date,
                recorded_at=event.timestamp,
                recorded_by=event.recorded_by,
                reason=getattr(event, "reason", None),
                reason_code=getattr(event, "reason_code", None),
                visibility=getattr(event, "visibility", None),
            ),
        )

    def _held(self, rows: Rows, event: Meeting.Held, place: str | None, position: int) -> None:
        rows.insert(
            meetings,
            dict(
                meeting_id=event.originator_id.hex,
                team_id=event.team_id.hex,
                held_on=event.business_date,
                kind=event.kind,
                place=place,
                guests_female=event.guests_female,
                guests_male=event.guests_male,
                visiting_team_ids=" ".join(team_id.hex for team_id in event.visiting_team_ids),
                minutes=event.minutes,
                minutes_visibility=event.minutes_visibility,
                minutes_erased=False,
                annulled=False,
                recorded_at=event.timestamp,
                position=position,
            ),
        )
        for member_id in event.attendee_ids:
            rows.insert(
                meeting_attendance,
                {"meeting_id": event.originator_id.hex, "member_id": member_id.hex, "team_id": event.team_id.hex},
            )


def meetings_of(conn: Connection, team_id: str) -> list[Any]:
    query = select(meetings).where(meetings.c.team_id == team_id).order_by(meetings.c.held_on, meetings.c.position)
    return list(conn.execute(query))
