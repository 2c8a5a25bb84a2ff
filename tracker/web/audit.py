"""The audit blueprint (auditors and admins): every event in order, each record's history, and replay of a team's
record as it stood at a past point of the log, beside today's. Positions shown are leaf indexes of the tree."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from tracker.domain.values import (
    AgeBand,
    CommitmentStatus,
    Country,
    ErasureReason,
    Gender,
    MeetingKind,
    PublicDisplay,
    Role,
    Sector,
    TeamKind,
    UserRole,
    Visibility,
)
from tracker.queries.audit_trail import Filters, audit_log, record_history, record_name
from tracker.queries.replay import position_of_leaf, position_recorded_by, replay
from tracker.queries.teams import all_teams
from tracker.vocabulary import label_of
from tracker.web.guards import team_or_404
from tracker.web.params import a_moment, a_number, an_id
from tracker.web.services import services

blueprint = Blueprint("audit", __name__, url_prefix="/audit")

DASHBOARD_LABELS = {
    "meetings_per_quarter": _l("Meetings per quarter"),
    "attendance_rate": _l("Members attending"),
    "women_share": _l("Women among those attending"),
    "young_share": _l("Young people among members attending"),
    "made": _l("Commitments made"),
    "open": _l("Commitments open"),
    "in_progress": _l("Commitments in progress"),
    "kept": _l("Commitments kept"),
    "partly_kept": _l("Commitments partly kept"),
    "not_kept": _l("Commitments not kept"),
    "withdrawn": _l("Commitments withdrawn"),
    "overdue": _l("Commitments overdue"),
}

FIELD_LABELS = {
    "name": _l("Name"),
    "registered_on": _l("Registered on"),
    "code": _l("Code"),
    "kind": _l("Kind"),
    "country": _l("Country"),
    "region": _l("Region"),
    "district": _l("District"),
    "municipality": _l("Municipality"),
    "time_zone": _l("Time zone"),
    "member_id": _l("Member"),
    "role": _l("Role"),
    "sector": _l("Represents"),
    "gender": _l("Gender"),
    "age_band": _l("Age"),
    "public_display": _l("Shown publicly as"),
    "reason": _l("Reason"),
    "place": _l("Place"),
    "attendee_ids": _l("Members present"),
    "guests_female": _l("Women guests"),
    "guests_male": _l("Men guests"),
    "visiting_team_ids": _l("Visiting teams"),
    "agenda": _l("Agenda"),
    "minutes": _l("Minutes"),
    "minutes_visibility": _l("Minutes visible to"),
    "decision_id": _l("Decision"),
    "text": _l("Text"),
    "visibility": _l("Visibility"),
    "meeting_id": _l("Meeting"),
    "owner_member_id": _l("Owner"),
    "owner_body": _l("Owning body"),
    "description": _l("Commitment"),
    "due_on": _l("Due"),
    "status": _l("Status"),
    "note": _l("Note"),
    "item_id": _l("Item"),
    "reason_code": _l("Reason"),
    "username": _l("User name"),
    "display_name": _l("Display name"),
}
"""Each event field's name for people; a field not named here (an id, a digest) is technical and shown as is."""

_VOCABULARIES = {
    "kind": (MeetingKind, TeamKind),
    "country": (Country,),
    "role": (Role, UserRole),
    "sector": (Sector,),
    "gender": (Gender,),
    "age_band": (AgeBand,),
    "public_display": (PublicDisplay,),
    "minutes_visibility": (Visibility,),
    "visibility": (Visibility,),
    "status": (CommitmentStatus,),
    "reason_code": (ErasureReason,),
}


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
        "audit/log.html", entries=_for_people(trail.entries), teams=trail.teams, page=page, more=trail.more, args=args
    )


@blueprint.get("/records/<uuid:record_id>")
def record(record_id: UUID) -> str:
    """One record's full history: every event of the aggregate, in order."""
    with services().engine.connect() as conn:
        entries = record_history(conn, services().reader, current_user.viewer, request.path, _decode, record_id)
        if not entries:
            abort(404)
        name = record_name(conn, record_id)
    return render_template("audit/record.html", record_id=record_id, name=name, entries=_for_people(entries))


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
        dashboard_labels=DASHBOARD_LABELS,
        ledgers=shown.ledgers,
        public_counts=shown.public_counts,
    )


def _for_people(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry's fields under their names for people, with vocabulary values in the reader's language."""
    return [{**entry, "fields": [_field(name, value) for name, value in entry["fields"].items()]} for entry in entries]


def _field(name: str, value: Any) -> tuple[str, Any]:
    if name in _VOCABULARIES and isinstance(value, str):
        value = gettext(label_of(value, *_VOCABULARIES[name]))
    elif isinstance(value, date):
        value = format_date(value)
    return str(FIELD_LABELS.get(name, name)), value


def _replay_chooser() -> str:
    """Replay asked with nothing chosen: the form that asks for a team and a past point of the log."""
    with services().engine.connect() as conn:
        teams = all_teams(conn)
    return render_template("audit/replay_choose.html", teams=teams)


def _decode(notification: object) -> object:
    return services().app.mapper.to_domain_event(notification)
