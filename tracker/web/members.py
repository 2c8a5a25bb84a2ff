"""A team's current members as the secretary's forms offer them: choices for an owner or who raised a problem, and
full names by id."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wtforms.fields.choices import SelectChoice

from tracker.queries.teams import current_members, member_names
from tracker.web.forms import NO_CHOICE
from tracker.web.services import services


def current_members_of(team_id: UUID) -> list[Any]:
    with services().engine.connect() as conn:
        return current_members(conn, team_id)


def member_choices(team_id: UUID) -> list[SelectChoice]:
    return [NO_CHOICE] + [SelectChoice(m.member_id, m.name) for m in current_members_of(team_id)]


def member_names_of(team_id: UUID) -> dict[str, str]:
    with services().engine.connect() as conn:
        return member_names(conn, team_id, public=False)
