"""Accounts as an admin sees them: every user with the roles they hold."""

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


def display_names(conn: Connection) -> dict[str, str]:
    """Every account's display name by username: who recorded an event, as people know them."""
    return {row.username: row.display_name for row in conn.execute(select(user_directory))}
