"""The public blueprint: what anyone may read without logging in."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from flask import Blueprint, Response, abort, render_template, request

from tracker.documents import problems as documents
from tracker.domain.access import PUBLIC
from tracker.domain.timing import local_date
from tracker.domain.values import SaraStage
from tracker.projections.problems import team_of_problem
from tracker.queries.problems import problem_page, problem_views
from tracker.queries.team_page import public_team
from tracker.queries.teams import all_teams, find_team
from tracker.web.redirects import local_path
from tracker.web.services import services

blueprint = Blueprint("public", __name__)


@blueprint.get("/")
def front_page() -> str:
    with services().engine.connect() as conn:
        teams = all_teams(conn)
    return render_template("public/index.html", teams=teams)


@blueprint.get("/teams/<uuid:team_id>")
def team(team_id: UUID) -> str:
    """A team's members and its public commitments; of the others, only their number and outcomes."""
    with services().engine.connect() as conn:
        if (found := find_team(conn, team_id)) is None:
            abort(404)
        today = local_date(services().app.clock(), found.time_zone)
        shown = public_team(conn, services().reader, found, today, page=request.path)
    return render_template(
        "public/team.html",
        team=shown.team,
        members=shown.members,
        record=shown.record,
        commitments=shown.lines,
        served=shown.served,
    )


@blueprint.get("/teams/<uuid:team_id>/problems")
def problems(team_id: UUID) -> str:
    """The local safety problems a team works on, by SARA stage: a public one in full, the others as structure."""
    with services().engine.connect() as conn:
        if (found := find_team(conn, team_id)) is None:
            abort(404)
        today = local_date(services().app.clock(), found.time_zone)
        views = problem_views(conn, services().reader, PUBLIC, request.path, team_id, as_of=today)
    return render_template("public/problems.html", team=found, views=views, stages=[stage.value for stage in SaraStage])


@blueprint.get("/teams/<uuid:team_id>/problems.csv")
def problems_csv(team_id: UUID) -> Response:
    team, views = _problems_today(team_id)
    filename = f"{team.code}-problems.csv"
    return Response(
        documents.problems_csv(views),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blueprint.get("/teams/<uuid:team_id>/problems.json")
def problems_json(team_id: UUID) -> Response:
    _team, views = _problems_today(team_id)
    body = {"team_id": str(team_id), "problems": [documents.problem_json(view) for view in views]}
    return Response(json.dumps(body, ensure_ascii=False, default=str), mimetype="application/json")


def _problems_today(team_id: UUID) -> tuple[Any, list[Any]]:
    with services().engine.connect() as conn:
        if (found := find_team(conn, team_id)) is None:
            abort(404)
        today = local_date(services().app.clock(), found.time_zone)
        return found, problem_views(conn, services().reader, PUBLIC, request.path, team_id, as_of=today)


@blueprint.get("/problems/<uuid:problem_id>")
def problem(problem_id: UUID) -> str:
    """One problem's SARA story, action plan, funding and assessment (a non-public one: its structure only)."""
    with services().engine.connect() as conn:
        team_id = team_of_problem(conn, problem_id.hex)
        found = find_team(conn, UUID(team_id)) if team_id else None
        if found is None:
            abort(404)
        today = local_date(services().app.clock(), found.time_zone)
        shown = problem_page(conn, services().reader, PUBLIC, request.path, found, problem_id.hex, today)
    if shown is None:
        abort(404)
    return render_template(
        "public/problem.html", team=found, page=shown, view=shown.view, commitments=shown.commitments
    )


@blueprint.get("/search")
def search() -> Any:
    """A commitment said aloud (MIR-2015-07) or an id: to its page for its team's secretaries, else its report."""
    from flask import flash, redirect, url_for
    from flask_babel import gettext as _
    from flask_login import current_user

    from tracker.queries.commitments import find_commitment

    query = request.args.get("q", "").strip()
    with services().engine.connect() as conn:
        found = find_commitment(conn, query) if query else None
    if found is None:
        flash(_("No commitment %(reference)s was found.", reference=query), "error")
        return redirect(_back_to(request.referrer) or url_for("public.front_page"))
    commitment_id, team_id = found
    if current_user.is_authenticated and current_user.may_record_for(team_id):
        return redirect(url_for("secretary.commitment", commitment_id=commitment_id))
    if current_user.is_authenticated and team_id in current_user.member_teams:
        return redirect(url_for("member.team", team_id=team_id) + f"#c-{commitment_id.hex}")
    return redirect(url_for("reports.report_page", team_id=team_id) + f"#c-{commitment_id.hex}")


def _back_to(referrer: str | None) -> str | None:
    """The page the search came from, when it is on this site."""
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc not in ("", request.host):
        return None
    return local_path(parts.path + (f"?{parts.query}" if parts.query else ""))
