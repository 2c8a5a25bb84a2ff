"""The public blueprint: what anyone may read without logging in."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from tracker.projections.team_directory import list_teams

blueprint = Blueprint("public", __name__)


@blueprint.get("/")
def front_page() -> str:
    with current_app.extensions["tracker"].engine.connect() as conn:
        teams = list_teams(conn)
    return render_template("public/index.html", teams=teams)
