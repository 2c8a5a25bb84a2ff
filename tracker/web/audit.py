"""The audit blueprint (auditors and admins): every event in order, each record's history, and replay of a team's
record as it stood at a past point of the log, beside today's. Positions shown are leaf indexes of the tree."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from tracker.queries.audit_trail import Filters, audit_log, record_history
from tracker.queries.replay import position_of_leaf, position_recorded_by, replay
from tracker.web.services import services

blueprint = Blueprint("audit", __name__, url_prefix="/audit")


@blueprint.before_request
@login_required
def _auditors_and_admins() -> None:
    if not (current_user.is_auditor or current_user.is_admin):
        abort(403)


@blueprint.get("/")
def log() -> str:
    """Every event in log order, filtered by team, record, type, recorder and recorded time."""
    args = request.args
    filters = Filters(
        team_id=_id(args.get("team")),
        record_id=_id(args.get("record")),
        event_type=args.get("type") or None,
        recorder=args.get("recorder") or None,
        recorded_from=_moment(args.get("from")),
        recorded_to=_moment(args.get("to")),
    )
    page = max(int(args.get("page", "1") or 1), 1)
    with services().engine.connect() as conn:
        trail = audit_log(conn, services().reader, current_user.viewer, request.path, _decode, filters, page)
    return render_template(
        "audit/log.html", entries=trail.entries, teams=trail.teams, page=page, more=trail.more, args=args
    )


@blueprint.get("/records/<uuid:record_id>")
def record(record_id: UUID) -> str:
    """One record's full history: every event of the aggregate, in order."""
    with services().engine.connect() as conn:
        entries = record_history(conn, services().reader, current_user.viewer, request.path, _decode, record_id)
    if not entries:
        abort(404)
    return render_template("audit/record.html", record_id=record_id, entries=entries)


@blueprint.get("/replay", endpoint="replay")
def replay_team() -> str:
    """A team's public record as recorded by a past leaf index (or time), from the log alone, beside today's."""
    team_id = UUID(request.args.get("team") or abort(400))
    today = services().app.today_for(team_id)
    with services().engine.connect() as conn:
        if request.args.get("time"):
            position = position_recorded_by(conn, _moment(request.args["time"]))
        else:
            position = position_of_leaf(conn, int(request.args.get("leaf") or abort(400))) or abort(404)
    now_known_at = services().projections.position("commitments")
    with services().engine.connect() as now_conn, services().team_as_of(team_id, today, known_at=position) as view:
        shown = replay(now_conn, now_known_at, view.conn, position, team_id.hex, today)
    if shown is None:
        abort(404)
    return render_template(
        "audit/replay.html",
        now=shown.now,
        then=shown.then,
        comparison=shown.comparison,
        leaf=shown.leaf,
        dashboard=shown.dashboard,
        ledgers=shown.ledgers,
    )


def _decode(notification: object) -> object:
    return services().app.mapper.to_domain_event(notification)


def _id(value: str | None) -> UUID | None:
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError:
        abort(400, "an id")


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        abort(400, "a time, YYYY-MM-DDTHH:MM")
    return moment if moment.tzinfo else moment.astimezone()
