"""The member blueprint: a team's own members read its record, with the team-only text they may read."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.queries.team_for_members import team_for_members
from tracker.queries.teams import teams_among
from tracker.web.guards import require_login, team_or_404
from tracker.web.services import services

blueprint = Blueprint("member", __name__, url_prefix="/member")


@blueprint.before_request
@login_required
def _logged_in() -> None:
    """Every member page needs a login; each view then checks the team."""


@blueprint.get("/")
def home() -> Any:
    """The teams the account belongs to; straight to the team when there is one."""
    with services().engine.connect() as conn:
        teams = teams_among(conn, current_user.member_teams)
    if len(teams) == 1:
        return redirect(url_for(".team", team_id=UUID(teams[0].team_id)))
    return render_template("member/home.html", teams=teams)


@blueprint.get("/teams/<uuid:team_id>")
def team(team_id: UUID) -> str:
    """The team's meetings, decisions and commitments, through the Reader: it opens what the viewer may read."""
    require_login()
    if team_id not in current_user.member_teams | current_user.secretary_teams:
        abort(403)
    found = team_or_404(team_id)
    today = services().app.today_for(team_id)
    with services().engine.connect() as conn:
        shown = team_for_members(conn, services().reader, current_user.viewer, request.path, found, today)
    return render_template("member/team.html", shown=shown, team=found, today=today)
