"""The JSON API's problems, read by anyone: a team's problems and one problem, as of a date, with structural
redaction (a non-public problem: category, stage, dates and counts, no text)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import request
from flask.views import MethodView
from flask_smorest import abort

from tracker.domain.access import PUBLIC
from tracker.projections.problems import team_of_problem
from tracker.queries.problems import ProblemView, problem_views
from tracker.reading import Text
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
        return {"team_id": team_id, "as_of": as_of, "problems": [problem_out(view) for view in views]}


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
        with services().record_as_of(team_id, query.get("as_of")) as (conn, _known_at):
            views = problem_views(conn, services().reader, PUBLIC, request.path, team_id, problem_id.hex)
        if not views:
            abort(404, message=f"problem {problem_id} had not been reported by {query.get('as_of')}")
        return problem_out(views[0])


def problem_out(view: ProblemView) -> dict[str, Any]:
    line = view.line
    return {
        "id": line.problem_id,
        "category": line.category,
        "visibility": line.visibility,
        "text_shown": view.readable,
        "erased": line.erased,
        "title": _shown(view.title),
        "place": _shown(view.place),
        "reported_on": view.reported_on,
        "stage": line.stage,
        "stage_since": line.stage_since,
        "closed": line.closed,
        "conclusion": line.conclusion,
        "review_on": view.review_on,
        "analysis": {name: _shown(text) for name, text in view.analysis.items()} if view.analysis else None,
        "sources": view.sources,
        "progress": float(line.progress) if line.progress is not None else None,
        "plan": [{"commitment_id": i.commitment_id, "weight": i.weight, "status": i.status} for i in view.plan],
        "activity_count": view.activity_count,
        "activities": [
            {"kind": a.kind, "on": a.done_on, "description": _shown(a.description)} for a in view.activities
        ],
        "funding_line_count": view.funding_line_count,
        "funding_totals": [
            {"currency": currency, "state": state, "amount": str(amount)}
            for (currency, state), amount in sorted(line.funding.items())
        ]
        if view.readable
        else [],
        "funding": [
            {
                "source": f.source,
                "funder": _shown(f.funder),
                "amount": str(f.amount),
                "currency": f.currency,
                "state": f.state,
                "on": f.on,
            }
            for f in view.funding_lines
        ],
        "measures": [
            {
                "what": _shown(m.what),
                "before": str(m.before),
                "after": str(m.after),
                "before_period": m.before_period,
                "after_period": m.after_period,
                "source": m.source,
            }
            for m in view.measures
        ],
    }


def _shown(text: Text | None) -> str | None:
    return text.value if text is not None and text.shown else None
