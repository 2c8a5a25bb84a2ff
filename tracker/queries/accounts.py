"""Accounts as people see them: every user with the roles they hold (the admin's list), and the names of those
who recorded (`user:<username>` to its display name)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from tracker.projections.user_directory import user_directory, user_roles


def all_accounts(conn: Connection) -> list[tuple[Any, list[Any]]]:
    roles: dict[str, list[Any]] = {}
    for row in conn.execute(select(user_roles).order_by(user_roles.c.role)):
        roles.setdefault(row.user_id, []).append(row)
    users = conn.execute(select(user_directory).order_by(user_directory.c.username))
    return [(user, roles.get(user.user_id, [])) for user in users]


def recorder_names(conn: Connection, recorded_by: set[str]) -> dict[str, str]:
    """The display names of the accounts that recorded, by their `recorded_by` value ("user:secretary-nar")."""
    usernames = {value.removeprefix("user:"): value for value in recorded_by if value.startswith("user:")}
    if not usernames:
        return {}
    query = select(user_directory.c.username, user_directory.c.display_name).where(
        user_directory.c.username.in_(usernames)
    )
    return {usernames[row.username]: row.display_name for row in conn.execute(query)}
