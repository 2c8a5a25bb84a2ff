"""Read model `user_directory`: every account and the roles it holds now (for the admin's list).

Consumes User.Registered, User.RoleGranted and User.RoleRevoked; owns `user_directory` and `user_roles`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Date, MetaData, String, Table

from tracker.domain.user import NO_TEAM, User

metadata = MetaData()
user_directory = Table(
    "user_directory",
    metadata,
    Column("user_id", String(32), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("registered_on", Date, nullable=False),
)
user_roles = Table(
    "user_roles",
    metadata,
    Column("user_id", String(32), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("team_id", String(32), primary_key=True),  # "" for every team
)


class UserDirectory:
    name = "user_directory"
    version = 1
    metadata = metadata
    consumes = (User.Registered, User.RoleGranted, User.RoleRevoked)

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        user_id = event.originator_id.hex
        if isinstance(event, User.Registered):
            conn.execute(
                user_directory.insert(),
                {
                    "user_id": user_id,
                    "username": event.username,
                    "display_name": event.display_name,
                    "registered_on": event.business_date,
                },
            )
            return
        team = "" if event.team_id == NO_TEAM else event.team_id.hex
        if isinstance(event, User.RoleGranted):
            conn.execute(user_roles.insert(), {"user_id": user_id, "role": event.role, "team_id": team})
        else:
            conn.execute(
                user_roles.delete().where(
                    user_roles.c.user_id == user_id, user_roles.c.role == event.role, user_roles.c.team_id == team
                )
            )
