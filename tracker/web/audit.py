"""The audit blueprint (auditors and admins): every event in order, each record's history, and replay of a team's
record as it stood at a past point of the log, beside today's. Positions shown are leaf indexes of the tree."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext
from flask_login import current_user, login_required

from tracker.queries.audit_trail import Filters, audit_log, record_history
from tracker.queries.replay import position_of_leaf, position_recorded_by, replay
from tracker.queries.teams import all_teams
from tracker.web.guards import team_or_404
from tracker.web.params import a_moment, a_number, an_id
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
        team_id=an_id(args.get("team"), "team"),
        record_id=an_id(args.get("record"), "record"),
        event_type=args.get("type") or None,
        recorder=args.get("recorder") or None,
        recorded_from=a_moment(args.get("from"), "from"),
        recorded_to=a_moment(args.get("to"), "to"),
    )
    page = a_number(args.get("page"), "page", default=1, least=1)
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
    if not request.args:
        return _replay_chooser()
    team_id = an_id(request.args.get("team"), "team") or abort(400, gettext("Choose the team to replay."))
    team_or_404(team_id)
    today = services().app.today_for(team_id)
    with services().engine.connect() as conn:
        if moment := a_moment(request.args.get("time"), "time"):
            position = position_recorded_by(conn, moment)
        else:
            leaf = a_number(request.args.get("leaf"), "leaf", default=-1, most=2**62)
            if leaf < 0:
                abort(400, gettext("Say which past to replay: a number in the log, or a time."))
            position = position_of_leaf(conn, leaf) or abort(404)
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


def _replay_chooser() -> str:
    """Replay asked with nothing chosen: the form that asks for a team and a past point of the log."""
    with services().engine.connect() as conn:
        teams = all_teams(conn)
    return render_template("audit/replay_choose.html", teams=teams)


def _decode(notification: object) -> object:
    return services().app.mapper.to_domain_event(notification)
