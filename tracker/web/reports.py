"""The public report blueprint: a team's report as a page, a PDF, CSV and JSON; member ledgers; open data."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, g, render_template, request, url_for
from flask_babel import get_locale, gettext
from markupsafe import Markup

from tracker.documents.open_data import open_data_zip
from tracker.documents.problems import problem_pdf as problem_pdf_of
from tracker.documents.report import ReportCache, csv_of, json_of, render_body, render_pdf
from tracker.domain.access import PUBLIC
from tracker.projections.problems import team_of_problem
from tracker.queries.member_ledger import member_team, public_ledger
from tracker.queries.problems import ProblemView, problem_page, problem_views
from tracker.queries.public_report import OpenedReport, provenance, public_report, report_period, team_position
from tracker.queries.teams import all_teams, find_team
from tracker.web.guards import team_or_404
from tracker.web.limits import limiter
from tracker.web.params import a_date
from tracker.web.services import services

blueprint = Blueprint("reports", __name__)
RENDERS = "30 per minute; 300 per hour"  # renders per client address; reads from the cache are not counted


def _rendered(response: Response) -> bool:
    return bool(g.get("rendered"))


@blueprint.get("/teams/<uuid:team_id>/report")
@limiter.limit(RENDERS, deduct_when=_rendered)
def report_page(team_id: UUID) -> str:
    """The report's body is rendered once per change of the team's record (and period, date and language):
    a ten-year team's body is hundreds of commitments, and readers far outnumber secretaries."""
    team, (as_of, period) = team_or_404(team_id), _dates(team_id)
    key = ("html", *_depends_on(team_id, period, as_of))
    body, g.rendered = _cache().get_or_render(
        key, lambda: render_body(_opened(team_id), _language(), member_url=_member_url).encode()
    )
    filters = {name: request.args[name] for name in ("from", "to", "as_of") if request.args.get(name)}
    return render_template("public/report.html", team=team, body=Markup(body.decode()), filters=filters)


@blueprint.get("/teams/<uuid:team_id>/report.pdf")
@limiter.limit(RENDERS, deduct_when=_rendered)
def report_pdf(team_id: UUID) -> Response:
    variant = request.args.get("variant") or None
    if variant not in (None, "a", "ua"):
        abort(400, gettext("variant is a (PDF/A-3b) or ua (PDF/UA-1)."))
    as_of, period = _dates(team_id)
    key = ("pdf", *_depends_on(team_id, period, as_of), variant)
    pdf, g.rendered = _cache().get_or_render(key, lambda: render_pdf(_opened(team_id), _language(), variant))
    filename = f"{team_or_404(team_id).code}-report-{as_of.isoformat()}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})


@blueprint.get("/problems/<uuid:problem_id>.pdf")
@limiter.limit(RENDERS)
def problem_pdf(problem_id: UUID) -> Response:
    """One problem on A4 for a funder, as of today or `?as_of=`: what the public page shows (a non-public problem:
    its category, stage, dates and counts)."""
    with services().engine.connect() as conn:
        team_id = team_of_problem(conn, problem_id.hex)
        team = find_team(conn, UUID(team_id)) if team_id else None
    if team is None:
        abort(404)
    asked = a_date(request.args.get("as_of"), "as_of")
    as_of = asked or services().app.today_for(UUID(team_id))
    with services().record_as_of(UUID(team_id), asked) as (conn, _known_at):
        shown = problem_page(conn, services().reader, PUBLIC, request.path, team, problem_id.hex, as_of)
    if shown is None:
        abort(404)
    pdf = problem_pdf_of(shown, team, _language())
    filename = f"{team.code}-problem-{as_of.isoformat()}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})


@blueprint.get("/teams/<uuid:team_id>/report.csv")
def report_csv(team_id: UUID) -> Response:
    opened = _opened(team_id)
    filename = f"{opened.report.team.code}-commitments-{opened.report.as_of.isoformat()}.csv"
    return Response(
        csv_of(opened), mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@blueprint.get("/teams/<uuid:team_id>/report.json")
def report_json(team_id: UUID) -> Response:
    return Response(json.dumps(json_of(_opened(team_id)), ensure_ascii=False), mimetype="application/json")


@blueprint.get("/teams/<uuid:team_id>/members/<uuid:member_id>")
def member_ledger(team_id: UUID, member_id: UUID) -> str:
    as_of, _period = _dates(team_id)
    with services().engine.connect() as conn:
        if member_team(conn, member_id) != team_id:
            abort(404)
    with services().record_as_of(team_id, a_date(request.args.get("as_of"), "as_of")) as (conn, _known_at):
        ledger = public_ledger(conn, services().reader, member_id, as_of, page=request.path)
    if ledger is None:
        abort(404)
    return render_template("public/ledger.html", ledger=ledger)


@blueprint.get("/open-data/download")
def open_data() -> Response:
    """Every team's public commitments, report and problems, as CSV and JSON files in one zip."""
    with services().engine.connect() as conn:
        teams = all_teams(conn)
    return Response(
        open_data_zip((_opened(UUID(team.team_id), use_query=False), _public_problems(team)) for team in teams),
        mimetype="application/zip",
        headers={"Content-Disposition": 'attachment; filename="partnership-tracker-open-data.zip"'},
    )


def _public_problems(team: Any) -> list[ProblemView]:
    team_id = UUID(team.team_id)
    with services().engine.connect() as conn:
        return problem_views(
            conn, services().reader, PUBLIC, request.path, team_id, as_of=services().app.today_for(team_id)
        )


def _opened(team_id: UUID, use_query: bool = True) -> OpenedReport:
    as_of, period = _dates(team_id) if use_query else (services().app.today_for(team_id), None)
    as_of_query = a_date(request.args.get("as_of"), "as_of") if use_query else None
    with services().record_as_of(team_id, as_of_query) as (conn, known_at):
        opened = public_report(
            conn,
            services().reader,
            team_id,
            as_of,
            known_at,
            period,
            page=request.path,
            provenance=provenance(services().signed_log, _team_position(team_id, known_at)),
        )
    if opened is None:
        abort(404)
    return opened


def _depends_on(team_id: UUID, period: tuple[date, date], as_of: date) -> tuple[Any, ...]:
    """What a rendered report depends on: a change in any of it is a new render (ReportCache)."""
    position = _team_position(team_id, services().projections.position("event_index"))
    covered = provenance(services().signed_log, position)["checkpoint_size"]  # changes once: when first covered
    folded = bool(request.args.get("as_of"))  # an as-of view, with its own provenance, even for today
    return team_id.hex, period, as_of, folded, _language(), position, covered


def _team_position(team_id: UUID, known_at: int) -> int:
    """The log position of the team's latest event known at `known_at`: the report is built from the log up to it."""
    with services().engine.connect() as conn:
        return team_position(conn, team_id, known_at)


def _cache() -> ReportCache:
    return ReportCache(services().settings.report_cache_dir)


def _language() -> str:
    return str(get_locale())


def _member_url(team_id: str, member_id: str) -> str:
    return url_for("reports.member_ledger", team_id=UUID(team_id), member_id=UUID(member_id))


def _dates(team_id: UUID) -> tuple[date, tuple[date, date]]:
    team = team_or_404(team_id)
    as_of = a_date(request.args.get("as_of"), "as_of") or services().app.today_for(team_id)
    period = report_period(
        team.registered_on, as_of, a_date(request.args.get("from"), "from"), a_date(request.args.get("to"), "to")
    )
    if period is None:
        abort(400, gettext("The period starts after it ends: choose a start before its end."))
    return as_of, period
