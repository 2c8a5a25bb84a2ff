"""The JSON API's problems, read by anyone: a team's problems and one problem, as of a date, with structural
redaction (a non-public problem: category, stage, dates and counts, no text)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import request
from flask.views import MethodView
from flask_smorest import abort

from tracker.documents.problems import problem_json
from tracker.domain.access import PUBLIC
from tracker.projections.problems import team_of_problem
from tracker.queries.problems import problem_views
from tracker.web.api import _existing_team, blueprint
from tracker.web.api_schemas import AsOfQuery, ProblemOut, TeamProblemsOut
from tracker.web.services import services


@blueprint.route("/teams/<uuid:team_id>/problems")
class TeamProblems(MethodView):
    @blueprint.arguments(AsOfQuery, location="query")
    @blueprint.response(200, TeamProblemsOut)
    def get(self, query: dict[str, Any], team_id: UUID) -> dict[str, Any]:
        """The team's local safety problems as of a date, each with its stage, plan progress and funding."""
        _existing_team(team_id)
        as_of = query.get("as_of") or services().app.today_for(team_id)
        with services().record_as_of(team_id, query.get("as_of")) as (conn, _known_at):
            views = problem_views(conn, services().reader, PUBLIC, request.path, team_id, as_of=as_of)
        return {"team_id": team_id, "as_of": as_of, "problems": [problem_json(view) for view in views]}


@blueprint.route("/problems/<uuid:problem_id>")
class OneProblem(MethodView):
    @blueprint.arguments(AsOfQuery, location="query")
    @blueprint.response(200, ProblemOut)
    def get(self, query: dict[str, Any], problem_id: UUID) -> dict[str, Any]:
        """One problem as of a date: its SARA story, plan, activities, funding and assessment."""
        with services().engine.connect() as conn:
            team = team_of_problem(conn, problem_id.hex)
        if team is None:
            abort(404, message=f"no problem {problem_id}")
        team_id = UUID(team)
        as_of = query.get("as_of") or services().app.today_for(team_id)
        with services().record_as_of(team_id, query.get("as_of")) as (conn, _known_at):
            views = problem_views(conn, services().reader, PUBLIC, request.path, team_id, problem_id.hex, as_of)
        if not views:
            abort(404, message=f"problem {problem_id} had not been reported by {query.get('as_of')}")
        return problem_json(views[0])
