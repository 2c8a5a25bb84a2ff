"""A team's record for its own secretaries: members, meetings, and commitments with the texts they may read."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from tracker.domain.access import Viewer
from tracker.projections.commitments import commitment_reference, commitments_of
from tracker.projections.meetings import meetings_of
from tracker.projections.roster import members_of
from tracker.queries.commitments import CommitmentLine, commitment_lines, still_open
from tracker.queries.summaries import is_overdue
from tracker.queries.teams import member_names
from tracker.reading import Reader


def members_and_meetings(conn: Connection, team_id: UUID) -> tuple[list[Any], list[Any]]:
    """Every member the team has had (current ones first) and its meetings, the latest first."""
    return members_of(conn, team_id.hex), list(reversed(meetings_of(conn, team_id.hex)))


def meeting_commitments(
    conn: Connection, reader: Reader, viewer: Viewer, page: str, team: Any, meeting_id: UUID, as_of: date
) -> list[CommitmentLine]:
    rows = [row for row in commitments_of(conn, team.team_id) if row.meeting_id == meeting_id.hex]
    return _lines(conn, reader, viewer, page, team, rows, as_of)


def follow_ups(
    conn: Connection, reader: Reader, viewer: Viewer, page: str, team: Any, as_of: date
) -> list[CommitmentLine]:
    """Commitments still open or in progress, the overdue ones first."""
    return _lines(conn, reader, viewer, page, team, still_open(conn, UUID(team.team_id), as_of), as_of)


def commitment_at_a_glance(
    conn: Connection, team: Any, commitment_id: UUID, made_on: date, as_of: date
) -> tuple[str, bool, list[Any]] | None:
    """A commitment's reference, whether it is overdue, and the meetings since it was made (for follow-ups); None
    while the read models have not caught up with it (a projector running behind)."""
    row = next((r for r in commitments_of(conn, team.team_id) if r.commitment_id == commitment_id.hex), None)
    if row is None:
        return None
    meetings = [m for m in meetings_of(conn, team.team_id) if not m.annulled and m.held_on >= made_on]
    return commitment_reference(team.code, row), is_overdue(row, as_of), list(reversed(meetings))


def _lines(
    conn: Connection, reader: Reader, viewer: Viewer, page: str, team: Any, rows: list[Any], as_of: date
) -> list[CommitmentLine]:
    team_id = UUID(team.team_id)
    names = member_names(conn, team_id, public=False)
    return commitment_lines(reader, viewer, page, team_id, team.code, rows, as_of, names)
