"""A team as its members read it: meetings, minutes, decisions and commitments with the texts they may open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from tracker.domain.access import Viewer
from tracker.projections.commitments import commitments_of
from tracker.projections.meetings import decisions, meetings_of
from tracker.queries.commitments import CommitmentLine, commitment_lines, still_open
from tracker.queries.teams import current_members, member_names
from tracker.reading import Reader, Text


@dataclass(frozen=True)
class DecisionForMembers:
    row: Any
    text: Text
    commitments: list[CommitmentLine]


@dataclass(frozen=True)
class MeetingForMembers:
    row: Any
    minutes: Text | None
    decisions: list[DecisionForMembers]


@dataclass(frozen=True)
class TeamForMembers:
    team: Any
    members: list[Any]
    open_commitments: list[CommitmentLine]
    meetings: list[MeetingForMembers]  # the latest first


def team_for_members(
    conn: Connection, reader: Reader, viewer: Viewer, page: str, team: Any, as_of: date
) -> TeamForMembers:
    """Every text opened through the Reader by its own visibility: a member reads public and team-only text,
    never confidential text (it stays withheld unless the viewer may read it, and then it is logged)."""
    team_id = UUID(team.team_id)
    names = member_names(conn, team_id, public=False)
    rows = commitments_of(conn, team.team_id)
    lines = {
        line.row.commitment_id: line
        for line in commitment_lines(reader, viewer, page, team_id, team.code, rows, as_of, names)
    }
    meeting_rows = list(reversed(meetings_of(conn, team.team_id)))
    decision_rows = list(
        conn.execute(select(decisions).where(decisions.c.team_id == team.team_id).order_by(decisions.c.position))
    )
    items = [
        ("minutes", UUID(row.meeting_id), row.minutes_visibility, row.minutes_erased, row.minutes or None)
        for row in meeting_rows
    ] + [("decision", UUID(row.decision_id), row.visibility, row.erased, row.text) for row in decision_rows]
    texts = reader.texts(viewer, page, team_id, items) if items else []
    minutes = dict(zip((row.meeting_id for row in meeting_rows), texts[: len(meeting_rows)], strict=True))
    made: dict[str, list[CommitmentLine]] = {}
    for line in lines.values():
        made.setdefault(line.row.decision_id, []).append(line)
    by_meeting: dict[str, list[DecisionForMembers]] = {}
    for row, text in zip(decision_rows, texts[len(meeting_rows) :], strict=True):
        decision = DecisionForMembers(row, text or Text("erased"), made.get(row.decision_id, []))
        by_meeting.setdefault(row.meeting_id, []).append(decision)
    open_ids = [row.commitment_id for row in still_open(conn, team_id, as_of)]
    return TeamForMembers(
        team=team,
        members=current_members(conn, team_id),
        open_commitments=[lines[commitment_id] for commitment_id in open_ids if commitment_id in lines],
        meetings=[
            MeetingForMembers(row, minutes[row.meeting_id], by_meeting.get(row.meeting_id, [])) for row in meeting_rows
        ],
    )
