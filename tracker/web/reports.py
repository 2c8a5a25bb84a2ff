"""The public report blueprint: a team's report as a page, a PDF, CSV and JSON; member ledgers; open data."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from tracker.projections.public_report import build_public_report
from tracker.projections.roster import roster_members
from tracker.projections.summaries import ledger_for_member
from tracker.projections.team_directory import list_teams, team_directory
from tracker.reports import ReportCache, csv_of, json_of, member_names, open_report, render_pdf, team_position
from tracker.web.services import services

blueprint = Blueprint("reports", __name__)
STATIC = Path(__file__).resolve().parents[2] / "static"


@blueprint.get("/teams/<uuid:team_id>/report")
def report_page(team_id: UUID) -> str:
    """The report's body is rendered once per change of the team's record (and period, date and language):
    a ten-year team's body is hundreds of commitments, and readers far outnumber secretaries."""
    team, (as_of, period) = _team(team_id), _dates(team_id)
    key = ("html", *_depends_on(team_id, period, as_of))

    def render() -> bytes:
        return render_template("public/report_body.html", opened=_opened(team_id), printing=False).encode()

    body = ReportCache(services().settings.report_cache_dir).get_or_render(key, render)
    return render_template("public/report.html", team=team, body=Markup(body.decode()))


@blueprint.get("/teams/<uuid:team_id>/report.pdf")
def report_pdf(team_id: UUID) -> Response:
    variant = request.args.get("variant") or None
    if variant not in (None, "a", "ua"):
        abort(400, "variant is `a` (PDF/A-3b) or `ua` (PDF/UA-1)")
    as_of, period = _dates(team_id)
    key = ("pdf", *_depends_on(team_id, period, as_of), variant)

    def render() -> bytes:
        opened = _opened(team_id)
        html = render_template("public/report_pdf.html", opened=opened, printing=True)
        return render_pdf(html, base_url=str(STATIC) + "/", variant=variant)

    pdf = ReportCache(services().settings.report_cache_dir).get_or_render(key, render)
    filename = f"{_team(team_id).code}-report-{as_of.isoformat()}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})


@blueprint.get("/teams/<uuid:team_id>/report.csv")
def report_csv(team_id: UUID) -> Response:
    opened = _opened(team_id)
    filename = f"{opened.report.team.code}-commitments-{opened.report.as_of.isoformat()}.csv"
    return Response(
        csv_of(opened),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blueprint.get("/teams/<uuid:team_id>/report.json")
def report_json(team_id: UUID) -> Response:
    return Response(json.dumps(json_of(_opened(team_id)), ensure_ascii=False), mimetype="application/json")


@blueprint.get("/teams/<uuid:team_id>/members/<uuid:member_id>")
def member_ledger(team_id: UUID, member_id: UUID) -> str:
    opened = _opened(team_id)
    with services().record_as_of(team_id, _date(request.args.get("as_of"), "as_of")) as (conn, _known_at):
        ledger = ledger_for_member(conn, member_id.hex, opened.report.as_of)
    if ledger is None or ledger.member.team_id != team_id.hex:
        abort(404)
    public = [row for row in ledger.current if row.visibility == "public"]
    return render_template(
        "public/ledger.html", opened=opened, ledger=ledger, public=public, hidden=len(ledger.current) - len(public)
    )


@blueprint.get("/open-data/download")
def open_data() -> Response:
    """Every team's public commitments and report, as CSV and JSON files in one zip."""
    with services().engine.connect() as conn:
        teams = list_teams(conn)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for team in teams:
            opened = _opened(UUID(team.team_id), use_query=False)
            archive.writestr(f"{team.code}/commitments.csv", csv_of(opened))
            archive.writestr(f"{team.code}/report.json", json.dumps(json_of(opened), ensure_ascii=False, indent=1))
    return Response(
        buffer.getvalue(),
        mimetype="application/zip",
        headers={"Content-Disposition": 'attachment; filename="partnership-tracker-open-data.zip"'},
    )


def _opened(team_id: UUID, use_query: bool = True) -> Any:
    as_of, period = _dates(team_id) if use_query else (services().app.today_for(team_id), None)
    as_of_query = _date(request.args.get("as_of"), "as_of") if use_query else None
    with services().record_as_of(team_id, as_of_query) as (conn, known_at):
        report = build_public_report(conn, team_id.hex, as_of, known_at, period)
        if report is None:
            abort(404)
        members = list(conn.execute(roster_members.select().where(roster_members.c.team_id == team_id.hex)))
    return open_report(services().app, report, member_names(report, members), request.path, _provenance(known_at))


def _depends_on(team_id: UUID, period: tuple[date, date], as_of: date) -> tuple[Any, ...]:
    """What a rendered report depends on: a change in any of it is a new render (tracker.reports.ReportCache)."""
    with services().engine.connect() as conn:
        position = team_position(conn, team_id.hex, services().projections.position("event_index"))
    latest = services().signed_log.latest()
    folded = bool(request.args.get("as_of"))  # an as-of view, with its own provenance, even for today
    return team_id.hex, period, as_of, folded, str(get_locale()), position, latest.size if latest else None


def _provenance(known_at: int) -> dict[str, Any]:
    """What a report was built from: how many events of the log, the latest signed checkpoint, the log's key."""
    from tracker.audit.errors import AuditError

    ledger = services().signed_log
    try:
        events = ledger.leaf_index_of(known_at) + 1 if known_at else 0
    except AuditError:
        events = None
    latest = ledger.latest()
    try:
        fingerprint = ledger.key.fingerprint
    except AuditError:
        fingerprint = None
    return {
        "events": events,
        "checkpoint_size": latest.size if latest else None,
        "checkpoint_root": base64.b64encode(latest.root).decode() if latest else None,
        "key_fingerprint": fingerprint,
    }


def _dates(team_id: UUID) -> tuple[date, tuple[date, date]]:
    team = _team(team_id)
    as_of = _date(request.args.get("as_of"), "as_of") or services().app.today_for(team_id)
    start = _date(request.args.get("from"), "from") or team.registered_on
    end = min(_date(request.args.get("to"), "to") or as_of, as_of)
    if start > end:
        abort(400, "`from` is after `to`")
    return as_of, (start, end)


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400, f"`{name}` is a date, YYYY-MM-DD")


def _team(team_id: UUID) -> Any:
    with services().engine.connect() as conn:
        row = conn.execute(team_directory.select().where(team_directory.c.team_id == team_id.hex)).first()
    if row is None:
        abort(404)
    return row
