"""A team as the public sees it: its current members as they chose to appear, and its public commitments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from tracker.domain.access import PUBLIC
from tracker.projections.roster import public_name
from tracker.queries.commitments import CommitmentLine, commitment_lines
from tracker.queries.problem_history import Served, problems_served
from tracker.queries.public_record import PublicCommitments, public_commitments
from tracker.queries.teams import current_members, member_names
from tracker.reading import Reader


@dataclass(frozen=True)
class PublicTeam:
    team: Any
    members: list[tuple[Any, str]]
    record: PublicCommitments
    lines: list[CommitmentLine]
    served: dict[str, list[Served]]  # commitment id -> the problems it serves


def public_team(conn: Connection, reader: Reader, team: Any, as_of: date, *, page: str) -> PublicTeam:
    """The team (its directory row, from `find_team`) as of a date, usually its local today."""
    team_id = UUID(team.team_id)
    record = public_commitments(conn, team_id.hex, as_of)
    names = member_names(conn, team_id, public=True)
    return PublicTeam(
        team=team,
        members=[(member, public_name(member)) for member in current_members(conn, team_id)],
        record=record,
        lines=commitment_lines(reader, PUBLIC, page, team_id, team.code, record.public, as_of, names),
        served=problems_served(conn, [row.commitment_id for row in record.public]),
    )
