"""Read model `commitments`: each commitment's current state, reference, owner, due dates and full history.

Consumes every Commitment event, and Meeting.Annulled and Meeting.ItemErased (which withdraw or erase a
meeting's commitments); owns `commitments` and `commitment_history`.
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
    func,
    select,
)

from tracker.domain.commitment import Commitment
from tracker.domain.meeting import Meeting
from tracker.domain.values import CommitmentStatus
from tracker.projections.batch import Batch, Rows, stored_ids
from tracker.projections.types import UTCDateTime

metadata = MetaData()
commitments = Table(
    "commitments",
    metadata,
    Column("commitment_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False),
    Column("reference_year", Integer, nullable=False),
    Column("reference_number", Integer, nullable=False),
    Column("meeting_id", String(32), nullable=False, index=True),
    Column("decision_id", String(32), nullable=False, index=True),
    Column("owner_member_id", String(32), nullable=True, index=True),
    Column("owner_body", Text, nullable=True),
    Column("description", Text, nullable=False),
    Column("made_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("original_due_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("closed_on", Date, nullable=True),
    Column("visibility", String(16), nullable=False),
    Column("erased", Boolean, nullable=False),
    Column("withdrawn_by_annulment", Boolean, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_commitments_team_made_on", "team_id", "made_on"),
    Index("ix_commitments_reference", "team_id", "reference_year", "reference_number", unique=True),
)
commitment_history = Table(
    "commitment_history",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("commitment_id", String(32), nullable=False, index=True),
    Column("team_id", String(32), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("business_date", Date, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("is_correction", Boolean, nullable=False),
    Column("status", String(16), nullable=True),
    Column("due_on", Date, nullable=True),
    Column("owner_member_id", String(32), nullable=True),
    Column("owner_body", Text, nullable=True),
    Column("text", Text, nullable=True),
    Column("visibility", String(16), nullable=True),
    Column("meeting_id", String(32), nullable=True),
    Index("ix_commitment_history_team_position", "team_id", "position"),  # a team's report, without the others'
)


class Commitments:
    name = "commitments"
    version = 2  # 2: commitment_history indexed by team
    metadata = metadata
    consumes = (Commitment.Event, Meeting.Annulled, Meeting.ItemErased)

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        self.apply_batch(conn, [(event, position)])

    def apply_batch(self, conn: Connection, batch: Batch) -> None:
        rows = Rows(conn)
        made: dict[str, dict[str, Any]] = {}  # rows of this batch, not yet written: changes go straight into them
        taken: dict[tuple[str, int], int] = {}  # references used so far, per team and business year
        changed = [
            e.originator_id.hex
            for e, _ in batch
            if isinstance(e, Commitment.Event) and not isinstance(e, Commitment.Made)
        ]
        stored = stored_ids(conn, commitments.c.commitment_id, changed)
        for event, position in batch:
            if isinstance(event, Meeting.Annulled | Meeting.ItemErased):
                rows.flush()
                stored.update(made)
                made.clear()
                self._withdraw_or_erase(conn, event)
            elif isinstance(event, Commitment.Made):
                made[event.originator_id.hex] = row = self._made(conn, event, position, taken)
                rows.insert(commitments, row)
            else:
                commitment_id, changes = event.originator_id.hex, self._changes(event)
                if commitment_id in made:
                    made[commitment_id].update(changes)
                elif commitment_id in stored:
                    rows.update(commitments, commitments.c.commitment_id, commitment_id, changes)
                else:
                    continue  # an as-of view may hold a correction of a commitment it does not include
                rows.insert(commitment_history, self._history(event, position))
        rows.flush()

    def _withdraw_or_erase(self, conn: Connection, event: Meeting.Annulled | Meeting.ItemErased) -> None:
        if isinstance(event, Meeting.Annulled):
            meeting = commitments.c.meeting_id == event.originator_id.hex
            conn.execute(commitments.update().where(meeting).values(withdrawn_by_annulment=True))
        else:
            decision = commitments.c.decision_id == event.item_id.hex
            conn.execute(commitments.update().where(decision).values(erased=True))

    def _made(
        self, conn: Connection, event: Commitment.Made, position: int, taken: dict[tuple[str, int], int]
    ) -> dict[str, Any]:
        team_year = (event.team_id.hex, event.business_date.year)
        if team_year not in taken:
            taken[team_year] = conn.execute(
                select(func.count())
                .select_from(commitments)
                .where(commitments.c.team_id == team_year[0], commitments.c.reference_year == team_year[1])
            ).scalar_one()
        taken[team_year] += 1
        return dict(
            commitment_id=event.originator_id.hex,
            team_id=event.team_id.hex,
            reference_year=team_year[1],
            reference_number=taken[team_year],
            meeting_id=event.meeting_id.hex,
            decision_id=event.decision_id.hex,
            owner_member_id=event.owner_member_id.hex if event.owner_member_id else None,
            owner_body=event.owner_body,
            description=event.description,
            made_on=event.business_date,
            due_on=event.due_on,
            original_due_on=event.due_on,
            status=CommitmentStatus.OPEN.value,
            closed_on=None,
            visibility=event.visibility,
            erased=False,
            withdrawn_by_annulment=False,
            recorded_at=event.timestamp,
            position=position,
        )

    def _changes(self, event: Any) -> dict[str, Any]:
        if isinstance(event, Commitment.FollowUpReported):
            closed = CommitmentStatus(event.status).is_closed
            return {"status": event.status, "closed_on": event.business_date if closed else None}
        if isinstance(event, Commitment.DueDateRevised):
            return {"due_on": event.due_on}
        if isinstance(event, Commitment.HandedOver):
            owner = event.owner_member_id.hex if event.owner_member_id else None
            return {"owner_member_id": owner, "owner_body": event.owner_body}
        if isinstance(event, Commitment.Reopened):
            return {"status": CommitmentStatus.IN_PROGRESS.value, "closed_on": None}
        if isinstance(event, Commitment.VisibilityChanged):
            return {"visibility": event.visibility}
        return {}

    def _history(self, event: Any, position: int) -> dict[str, Any]:
        owner_member_id = getattr(event, "owner_member_id", None)
        follow_up_meeting = getattr(event, "meeting_id", None)
        return dict(
            position=position,
            commitment_id=event.originator_id.hex,
            team_id=event.team_id.hex,
            event_type=type(event).__qualname__,
            business_date=event.business_date,
            recorded_at=event.timestamp,
            recorded_by=event.recorded_by,
            is_correction=event.is_correction,
            status=getattr(event, "status", None),
            due_on=getattr(event, "due_on", None),
            owner_member_id=owner_member_id.hex if owner_member_id else None,
            owner_body=getattr(event, "owner_body", None),
            text=getattr(event, "note", None) or getattr(event, "reason", None),
            visibility=getattr(event, "visibility", None),
            meeting_id=follow_up_meeting.hex if follow_up_meeting else None,
        )


def commitment_reference(code: str, row: Any) -> str:
    """The reference people say aloud: team code, business year, number in log order (MIR-2015-07)."""
    return f"{code}-{row.reference_year}-{row.reference_number:02d}"


def commitments_of(conn: Connection, team_id: str) -> list[Any]:
    query = (
        select(commitments)
        .where(commitments.c.team_id == team_id)
        .order_by(commitments.c.reference_year, commitments.c.reference_number)
    )
    return list(conn.execute(query))
