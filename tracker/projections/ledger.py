"""Read model `ledger`: which commitments each member owns or has owned, for per-member commitment ledgers.

Consumes Commitment.Made and Commitment.HandedOver; owns `ledger_entries`. Totals (including overdue, which is
derived as of a date, never stored) are computed from `commitments` by `tracker.queries.summaries`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, Connection, Date, MetaData, String, Table, select

from tracker.domain.commitment import Commitment
from tracker.projections.batch import Batch, Rows

metadata = MetaData()
ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("member_id", String(32), primary_key=True),
    Column("commitment_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("since", Date, nullable=False),
    Column("until", Date, nullable=True),
    Column("is_owner", Boolean, nullable=False),
)


class Ledger:
    name = "ledger"
    version = 1
    metadata = metadata
    consumes = (Commitment.Made, Commitment.HandedOver)

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        self.apply_batch(conn, [(event, position)])

    def apply_batch(self, conn: Connection, batch: Batch) -> None:
        rows = Rows(conn)
        for event, _ in batch:
            if isinstance(event, Commitment.Made):
                if event.owner_member_id is not None:  # a commitment's first event: its first entry
                    rows.insert(ledger_entries, self._entry(event.owner_member_id.hex, event))
            else:
                rows.flush()
                self._handed_over(conn, event)
        rows.flush()

    def _handed_over(self, conn: Connection, event: Commitment.HandedOver) -> None:
        commitment_id = event.originator_id.hex
        current = (ledger_entries.c.commitment_id == commitment_id) & ledger_entries.c.is_owner
        conn.execute(ledger_entries.update().where(current).values(until=event.business_date, is_owner=False))
        if event.owner_member_id is None:
            return
        member_id = event.owner_member_id.hex
        existing = (ledger_entries.c.member_id == member_id) & (ledger_entries.c.commitment_id == commitment_id)
        if conn.execute(select(ledger_entries.c.member_id).where(existing)).first():
            conn.execute(ledger_entries.update().where(existing).values(until=None, is_owner=True))
            return
        conn.execute(ledger_entries.insert(), self._entry(member_id, event))

    def _entry(self, member_id: str, event: Any) -> dict[str, Any]:
        return dict(
            member_id=member_id,
            commitment_id=event.originator_id.hex,
            team_id=event.team_id.hex,
            since=event.business_date,
            until=None,
            is_owner=True,
        )
