"""A team's current members as the secretary's forms offer them: choices for an owner or who raised a problem, and
full names by id."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wtforms.fields.choices import SelectChoice

from tracker.queries.problems import open_problems
from tracker.queries.teams import current_members, member_names
from tracker.web.forms import NO_CHOICE
from tracker.web.meeting_form import Offer, member_choice
from tracker.web.services import services


def current_members_of(team_id: UUID) -> list[Any]:
    with services().engine.connect() as conn:
        return current_members(conn, team_id)


def meeting_offer(team_id: UUID) -> Offer:
    """The current members and the open problems a meeting form offers."""
    with services().engine.connect() as conn:
        return Offer(current_members(conn, team_id), open_problems(conn, team_id))


def member_choices(team_id: UUID) -> list[SelectChoice]:
    return [NO_CHOICE] + [member_choice(m) for m in current_members_of(team_id)]


def member_names_of(team_id: UUID) -> dict[str, str]:
    with services().engine.connect() as conn:
        return member_names(conn, team_id, public=False)
