"""A member's public ledger: the public commitments they own in full, the others only counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from tracker.domain.access import PUBLIC
from tracker.projections.roster import public_name, roster_members
from tracker.queries.commitments import CommitmentLine, commitment_lines
from tracker.queries.summaries import kept_on_time, ledger_for_member, on_time_rate, summarise, with_outcome
from tracker.queries.teams import find_team, member_names
from tracker.reading import Reader


@dataclass(frozen=True)
class PublicLedger:
    member: Any
    team: Any
    name: str
    as_of: date
    lines: list[CommitmentLine]
    summary: dict[str, int]  # public commitments they own
    non_public: dict[str, int]
    every_commitment: dict[str, int]
    on_time_rate: float | None
    kept_on_time: int  # reported kept by the due date: the rate's numerator
    with_outcome: int  # kept, partly kept or not kept: its denominator

    @property
    def hidden(self) -> int:
        return self.non_public["made"]


def member_team(conn: Connection, member_id: UUID) -> UUID | None:
    """The team a member belongs to, or None when there is no such member."""
    row = conn.execute(select(roster_members.c.team_id).where(roster_members.c.member_id == member_id.hex)).first()
    return UUID(row.team_id) if row else None


def public_ledger(conn: Connection, reader: Reader, member_id: UUID, as_of: date, *, page: str) -> PublicLedger | None:
    """The ledger as of a date, from live read models or an as-of view; None when they had not joined by then."""
    ledger = ledger_for_member(conn, member_id.hex, as_of)
    if ledger is None:
        return None
    team_id = UUID(ledger.member.team_id)
    team = find_team(conn, team_id)
    public = [row for row in ledger.current if row.visibility == "public"]
    others = [row for row in ledger.current if row.visibility != "public"]
    names = member_names(conn, team_id, public=True)
    return PublicLedger(
        member=ledger.member,
        team=team,
        name=public_name(ledger.member),
        as_of=as_of,
        lines=commitment_lines(reader, PUBLIC, page, team_id, team.code, public, as_of, names),
        summary=summarise(public, as_of),
        non_public=summarise(others, as_of),
        every_commitment=ledger.summary,
        on_time_rate=on_time_rate(ledger.current),
        kept_on_time=kept_on_time(ledger.current),
        with_outcome=with_outcome(ledger.current),
    )
