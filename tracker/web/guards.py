"""Who may do what in the web and the API, checked before any command runs so a refusal writes nothing; and the
team a page is about (404 when there is none)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort
from flask_login import current_user

from tracker.domain.errors import NotFound
from tracker.queries.teams import find_team
from tracker.web.services import services


def require_login() -> None:
    if not current_user.is_authenticated:
        abort(401)


def require_admin() -> None:
    require_login()
    if not current_user.is_admin:
        abort(403)


def require_secretary_of(team_id: UUID) -> None:
    require_login()
    if not current_user.may_record_for(team_id):
        abort(403)


def team_of_meeting(meeting_id: UUID) -> UUID:
    return services().app.meeting(meeting_id).team_id


def team_of_commitment(commitment_id: UUID) -> UUID:
    return services().app.commitment(commitment_id).team_id


def team_or_404(team_id: UUID) -> Any:
    """The team's directory row, or a 404 page."""
    with services().engine.connect() as conn:
        row = find_team(conn, team_id)
    if row is None:
        abort(404)
    return row


def team_of_item(team_of: Any, item_id: UUID) -> UUID:
    """The team of a meeting or commitment (`team_of` finds it), or a 404 page for an unknown one."""
    try:
        return team_of(item_id)
    except NotFound:
        abort(404)
