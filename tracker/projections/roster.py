"""Read model `roster`: a team's current and past members, with role, sector, gender, age band and dates.

Consumes Team.MemberJoined, MemberRoleChanged, MemberDisplayChanged, MemberLeft and MemberErased; owns
`roster_members`. Names are kept opened (they are sealed only so that they can be erased); an erased member's
name is NULL and reads back as ERASED_MEMBER.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Date, MetaData, String, Table, select

from tracker.domain.team import Team
from tracker.projections.batch import Batch
from tracker.projections.types import ERASED_MEMBER, ErasableText, OpensTexts, is_erased

metadata = MetaData()
roster_members = Table(
    "roster_members",
    metadata,
    Column("member_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("name", ErasableText(200, ERASED_MEMBER), nullable=True),  # NULL once erased
    Column("role", String(16), nullable=False),
    Column("sector", String(32), nullable=False),
    Column("gender", String(8), nullable=False),
    Column("age_band", String(8), nullable=False),
    Column("public_display", String(16), nullable=False),
    Column("joined_on", Date, nullable=False),
    Column("left_on", Date, nullable=True),
)


class Roster(OpensTexts):
    name = "roster"
    version = 2  # 2: names sealed from MemberJoined version 3, and erasable
    metadata = metadata
    consumes = (
        Team.MemberJoined,
        Team.MemberRoleChanged,
        Team.MemberDisplayChanged,
        Team.MemberLeft,
        Team.MemberErased,
    )

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        self.apply_batch(conn, [(event, position)])

    def apply_batch(self, conn: Connection, batch: Batch) -> None:
        """The batch's names opened at once (one key query), then applied in order."""
        names = self.opened([event for event, _ in batch if isinstance(event, Team.MemberJoined)], "name")
        for event, _position in batch:
            self._apply(conn, event, names.get(id(event)))

    def _apply(self, conn: Connection, event: Any, name: str | None) -> None:
        if isinstance(event, Team.MemberJoined):
            conn.execute(
                roster_members.insert(),
                dict(
                    member_id=event.member_id.hex,
                    team_id=event.team_id.hex,
                    name=name,
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
        elif isinstance(event, Team.MemberErased):
            conn.execute(roster_members.update().where(row).values(name=None))
        else:
            conn.execute(roster_members.update().where(row).values(left_on=event.business_date))


def members_of(conn: Connection, team_id: str) -> list[Any]:
    """Every member the team has had, current ones first, then by name."""
    query = (
        select(roster_members)
        .where(roster_members.c.team_id == team_id)
        .order_by(
            roster_members.c.left_on.is_not(None),
            roster_members.c.name.is_(None),  # erased members last, on every database
            roster_members.c.name,
            roster_members.c.member_id,
        )
    )
    return list(conn.execute(query))


def public_name(member: Any) -> str:
    """How public reports name a member: by full name, or (if they chose) by initials only; ERASED_MEMBER once
    erased."""
    if is_erased(member.name):
        return member.name
    if member.public_display == "initials":
        return " ".join(f"{part[0]}." for part in member.name.split() if part)
    return member.name
