"""Ledgers and dashboards over the read models, as of a date: outcomes, overdue, on-time rate, attendance.

Owns no table: it queries `roster_members`, `meetings`, `meeting_attendance`, `commitments` and `ledger_entries`,
live or in an as-of scratch database (tracker.projections.as_of), with the same code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from tracker.domain.values import AgeBand, CommitmentStatus
from tracker.projections.commitments import commitments, commitments_of
from tracker.projections.ledger import ledger_entries
from tracker.projections.meetings import meeting_attendance, meetings_of
from tracker.projections.roster import members_of, roster_members

OUTCOMES = ("open", "in_progress", "kept", "partly_kept", "not_kept", "withdrawn", "overdue")


def effective_status(row: Any) -> str:
    """A commitment of an annulled meeting counts as withdrawn, whatever was reported on it."""
    return CommitmentStatus.WITHDRAWN.value if row.withdrawn_by_annulment else row.status


def is_overdue(row: Any, as_of: date) -> bool:
    return not CommitmentStatus(effective_status(row)).is_closed and row.due_on < as_of


def summarise(rows: list[Any], as_of: date) -> dict[str, int]:
    """Counts per outcome; `overdue` counts open or in-progress commitments past their due date."""
    counts = Counter(effective_status(row) for row in rows)
    summary = {outcome: counts.get(outcome, 0) for outcome in OUTCOMES}
    summary["overdue"] = sum(1 for row in rows if is_overdue(row, as_of))
    summary["made"] = len(rows)
    return summary


_WITH_OUTCOME = ("kept", "partly_kept", "not_kept")


def with_outcome(rows: list[Any]) -> int:
    """Commitments closed with an outcome (kept, partly kept or not kept): the on-time rate's denominator."""
    return sum(1 for row in rows if effective_status(row) in _WITH_OUTCOME)


def kept_on_time(rows: list[Any]) -> int:
    """Commitments reported kept on or before their (last) due date: the on-time rate's numerator."""
    return sum(1 for row in rows if effective_status(row) == "kept" and row.closed_on <= row.due_on)


def on_time_rate(rows: list[Any]) -> float | None:
    """Kept by the (last) due date, among commitments with a known outcome; None when none has one yet."""
    decided = with_outcome(rows)
    return kept_on_time(rows) / decided if decided else None


@dataclass(frozen=True)
class MemberLedger:
    member: Any
    current: list[Any]
    handed_on: list[Any]
    summary: dict[str, int]
    on_time_rate: float | None


def ledger_for_member(conn: Connection, member_id: str, as_of: date) -> MemberLedger | None:
    """A member's commitments (those they own now, and those they handed on), with totals as of a date."""
    member = conn.execute(select(roster_members).where(roster_members.c.member_id == member_id)).first()
    if member is None:
        return None
    rows = list(
        conn.execute(
            select(commitments, ledger_entries.c.is_owner, ledger_entries.c.since, ledger_entries.c.until)
            .join(ledger_entries, ledger_entries.c.commitment_id == commitments.c.commitment_id)
            .where(ledger_entries.c.member_id == member_id)
            .order_by(commitments.c.made_on, commitments.c.reference_number)
        )
    )
    current = [row for row in rows if row.is_owner]
    return MemberLedger(
        member, current, [row for row in rows if not row.is_owner], summarise(current, as_of), on_time_rate(current)
    )


@dataclass(frozen=True)
class Dashboard:
    meetings_per_quarter: dict[str, int]
    attendance_rate: float | None
    women_share: float | None
    young_share: float | None
    outcomes: dict[str, int]
    overdue: list[Any] = field(default_factory=list)


def team_dashboard(conn: Connection, team_id: str, as_of: date) -> Dashboard:
    members = members_of(conn, team_id)
    held = [meeting for meeting in meetings_of(conn, team_id) if not meeting.annulled]
    present: dict[str, set[str]] = {}
    for row in conn.execute(select(meeting_attendance).where(meeting_attendance.c.team_id == team_id)):
        present.setdefault(row.meeting_id, set()).add(row.member_id)
    by_id = {member.member_id: member for member in members}
    rates, attendees, women, young_members, member_attendees = [], 0, 0, 0, 0
    for meeting in held:
        on_roll = [
            m for m in members if m.joined_on <= meeting.held_on and (m.left_on is None or meeting.held_on < m.left_on)
        ]
        here = [by_id[member_id] for member_id in present.get(meeting.meeting_id, ()) if member_id in by_id]
        if on_roll:
            rates.append(len(here) / len(on_roll))
        attendees += len(here) + meeting.guests_female + meeting.guests_male
        women += sum(1 for m in here if m.gender == "female") + meeting.guests_female
        member_attendees += len(here)
        young_members += sum(1 for m in here if AgeBand(m.age_band).is_young)
    rows = commitments_of(conn, team_id)
    return Dashboard(
        meetings_per_quarter=dict(Counter(f"{m.held_on.year}-Q{(m.held_on.month - 1) // 3 + 1}" for m in held)),
        attendance_rate=sum(rates) / len(rates) if rates else None,
        women_share=women / attendees if attendees else None,
        young_share=young_members / member_attendees if member_attendees else None,
        outcomes=summarise(rows, as_of),
        overdue=sorted((row for row in rows if is_overdue(row, as_of)), key=lambda row: row.due_on),
    )
