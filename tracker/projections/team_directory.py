"""Read model `team_directory`: every registered team with its place and its current number of members.

Consumes Team.Registered, Team.Renamed, Team.RegionChosen, Team.MemberJoined and Team.MemberLeft; owns the table
`team_directory`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Date, Integer, MetaData, String, Table, select

from tracker.domain.team import Team

metadata = MetaData()
team_directory = Table(
    "team_directory",
    metadata,
    Column("team_id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("code", String(8), nullable=False, unique=True),
    Column("kind", String(8), nullable=False),
    Column("country", String(2), nullable=False),
    Column("region", String(200), nullable=False),
    Column("district", String(200), nullable=False),
    Column("municipality", String(200), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("member_count", Integer, nullable=False),
)


class TeamDirectory:
    name = "team_directory"
    version = 1
    metadata = metadata
    consumes = (
        Team.Registered,
        Team.Renamed,
        Team.RegionChosen,
        Team.RegistrationDateCorrected,
        Team.MemberJoined,
        Team.MemberLeft,
    )

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        row = team_directory.c.team_id == event.team_id.hex
        if isinstance(event, Team.Registered):
            conn.execute(
                team_directory.insert(),
                dict(
                    team_id=event.team_id.hex,
                    name=event.name,
                    code=event.code,
                    kind=event.kind,
                    country=event.country,
                    region=event.region,
                    district=event.district,
                    municipality=event.municipality,
                    time_zone=event.time_zone,
                    registered_on=event.business_date,
                    member_count=0,
                ),
            )
        elif isinstance(event, Team.Renamed):
            conn.execute(team_directory.update().where(row).values(name=event.name))
        elif isinstance(event, Team.RegionChosen):
            conn.execute(team_directory.update().where(row).values(region=event.region))
        elif isinstance(event, Team.RegistrationDateCorrected):
            conn.execute(team_directory.update().where(row).values(registered_on=event.registered_on))
        else:
            step = 1 if isinstance(event, Team.MemberJoined) else -1
            conn.execute(team_directory.update().where(row).values(member_count=team_directory.c.member_count + step))


def list_teams(conn: Connection) -> list[Any]:
    return list(conn.execute(select(team_directory).order_by(team_directory.c.country, team_directory.c.name)))
