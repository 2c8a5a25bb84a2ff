"""The public record of a team, redacted by construction: the query for non-public commitments selects only their
dates and outcomes, never their text, owner or notes, so no page or export built on it can show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from tracker.projections.commitments import commitments
from tracker.projections.summaries import summarise

PUBLIC_COMMITMENT_COLUMNS = (
    commitments.c.commitment_id,
    commitments.c.reference_year,
    commitments.c.reference_number,
    commitments.c.meeting_id,
    commitments.c.decision_id,
    commitments.c.owner_member_id,
    commitments.c.owner_body,
    commitments.c.description,
    commitments.c.made_on,
    commitments.c.due_on,
    commitments.c.original_due_on,
    commitments.c.status,
    commitments.c.closed_on,
    commitments.c.erased,
    commitments.c.withdrawn_by_annulment,
    commitments.c.recorded_at,
)
OUTCOME_COLUMNS = (
    commitments.c.made_on,
    commitments.c.due_on,
    commitments.c.status,
    commitments.c.closed_on,
    commitments.c.withdrawn_by_annulment,
)


@dataclass(frozen=True)
class PublicCommitments:
    public: list[Any]
    public_summary: dict[str, int]
    non_public_summary: dict[str, int]


def public_commitments(
    conn: Connection, team_id: str, as_of: date, period: tuple[date, date] | None = None
) -> PublicCommitments:
    """Public commitments with their text (still sealed); of the others, only how many and their outcomes."""
    where = [commitments.c.team_id == team_id]
    if period:
        where += [commitments.c.made_on >= period[0], commitments.c.made_on <= period[1]]
    order = (commitments.c.reference_year, commitments.c.reference_number)
    public = list(
        conn.execute(
            select(*PUBLIC_COMMITMENT_COLUMNS).where(*where, commitments.c.visibility == "public").order_by(*order)
        )
    )
    others = list(conn.execute(select(*OUTCOME_COLUMNS).where(*where, commitments.c.visibility != "public")))
    return PublicCommitments(public, summarise(public, as_of), summarise(others, as_of))
