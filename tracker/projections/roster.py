"""Read model `roster`: a team's current and past members, with role, sector, gender, age band and dates.

Consumes Team.MemberJoined, MemberRoleChanged, MemberDisplayChanged and MemberLeft; owns `roster_members`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Date, MetaData, String, Table, select

from tracker.domain.team import Team

metadata = MetaData()
roster_members = Table(
    "roster_members",
    metadata,
    Column("member_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("sector", String(32), nullable=False),
    Column("gender", String(8), nullable=False),
    Column("age_band", String(8), nullable=False),
    Column("public_display", String(16), nullable=False),
    Column("joined_on", Date, nullable=False),
    Column("left_on", Date, nullable=True),
)


class Roster:
    name = "roster"
    version = 1
    metadata = metadata
    consumes = (Team.MemberJoined, Team.MemberRoleChanged, Team.MemberDisplayChanged, Team.MemberLeft)

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        if isinstance(event, Team.MemberJoined):
            conn.execute(
                roster_members.insert(),
                dict(
                    member_id=event.member_id.hex,
                    team_id=event.team_id.hex,
                    name=event.name,
                    role=event.role,
                    sector=event.sector,
                    gender=event.gender,
                    age_band=event.age_band,
                    public_display=event.public_display,
                    joined_on=event.business_date,
                ),
            )
            return
        row = roster_members.c.member_id == event.member_id.hex
        if isinstance(event, Team.MemberRoleChanged):
            conn.execute(roster_members.update().where(row).values(role=event.role, sector=event.sector))
        elif isinstance(event, Team.MemberDisplayChanged):
            conn.execute(roster_members.update().where(row).values(public_display=event.public_display))
        else:
            conn.execute(roster_members.update().where(row).values(left_on=event.business_date))


def members_of(conn: Connection, team_id: str) -> list[Any]:
    """Every member the team has had, current ones first, then by name."""
    query = (
        select(roster_members)
        .where(roster_members.c.team_id == team_id)
        .order_by(roster_members.c.left_on.is_not(None), roster_members.c.name)
    )
    return list(conn.execute(query))


def public_name(member: Any) -> str:
    """How public reports name a member: by full name, or (if they chose) by initials only."""
    if member.public_display == "initials":
        return " ".join(f"{part[0]}." for part in member.name.split() if part)
    return member.name
