"""Teams as readers find them: the one lookup of a team, the directory, and a team's members as shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from tracker.projections.roster import members_of, public_name
from tracker.projections.team_directory import list_teams, team_directory


def find_team(conn: Connection, team_id: UUID) -> Any | None:
    """A team's directory row (name, code, place, time zone), or None when there is no such team."""
    return conn.execute(select(team_directory).where(team_directory.c.team_id == team_id.hex)).first()


def all_teams(conn: Connection) -> list[Any]:
    return list_teams(conn)


def teams_among(conn: Connection, team_ids: Iterable[UUID]) -> list[Any]:
    wanted = {team_id.hex for team_id in team_ids}
    return [team for team in list_teams(conn) if team.team_id in wanted]


def current_members(conn: Connection, team_id: UUID) -> list[Any]:
    return [member for member in members_of(conn, team_id.hex) if member.left_on is None]


def public_members(conn: Connection, team_id: UUID) -> list[tuple[Any, str]]:
    """Every member the team has had, current ones first, each with the name they chose to appear by."""
    return [(member, public_name(member)) for member in members_of(conn, team_id.hex)]


def member_names(conn: Connection, team_id: UUID, *, public: bool) -> dict[str, str]:
    """Every member the team has had, by id: as they chose to appear publicly, or by full name for the team."""
    return {m.member_id: public_name(m) if public else m.name for m in members_of(conn, team_id.hex)}
