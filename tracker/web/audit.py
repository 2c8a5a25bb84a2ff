"""The audit blueprint (auditors and admins): every event in order, each record's history, and replay of a team's
record as it stood at a past point of the log, beside today's. Positions shown are leaf indexes of the tree."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select, text

from tracker.domain import TrackedEvent
from tracker.domain.access import Viewer
from tracker.projections.commitments import commitment_reference
from tracker.projections.event_index import event_index, stored_events_table
from tracker.projections.merkle_tree import merkle_leaves
from tracker.projections.public_report import build_public_report
from tracker.projections.team_directory import list_teams
from tracker.reading import ERASED, SHOWN, WITHHELD, Text
from tracker.web.services import services

blueprint = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 100
LATE_AFTER = timedelta(days=14)
_LIBRARY_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic"}


@blueprint.before_request
@login_required
def _auditors_and_admins() -> None:
    if not (current_user.is_auditor or current_user.is_admin):
        abort(403)


@blueprint.get("/")
def log() -> str:
    """Every event in log order, filtered by team, record, type, recorder and recorded time."""
    args = request.args
    query = select(event_index, merkle_leaves.c.leaf_index).join(
        merkle_leaves, merkle_leaves.c.position == event_index.c.position, isouter=True
    )
    if args.get("team"):
        query = query.where(event_index.c.team_id == _hex(args["team"]))
    if args.get("record"):
        query = query.where(event_index.c.originator_id == _hex(args["record"]))
    if args.get("type"):
        query = query.where(event_index.c.event_type.contains(args["type"]))
    if args.get("recorder"):
        query = query.where(event_index.c.recorded_by == args["recorder"])
    for name, operator in (("from", "__ge__"), ("to", "__le__")):
        if args.get(name):
            moment = _moment(args[name])
            query = query.where(getattr(event_index.c.recorded_at, operator)(moment))
    page = max(int(args.get("page", "1") or 1), 1)
    with services().engine.connect() as conn:
        rows = list(
            conn.execute(query.order_by(event_index.c.position).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
        )
        events = _events(conn, rows)
        teams = {team.team_id: team for team in list_teams(conn)}
    return render_template(
        "audit/log.html",
        entries=_entries(rows, events, teams),
        teams=teams.values(),
        page=page,
        more=len(rows) == PAGE_SIZE,
        args=args,
    )


@blueprint.get("/records/<uuid:record_id>")
def record(record_id: UUID) -> str:
    """One record's full history: every event of the aggregate, in order."""
    with services().engine.connect() as conn:
        rows = list(
            conn.execute(
                select(event_index, merkle_leaves.c.leaf_index)
                .join(merkle_leaves, merkle_leaves.c.position == event_index.c.position, isouter=True)
                .where(event_index.c.originator_id == record_id.hex)
                .order_by(event_index.c.position)
            )
        )
        if not rows:
            abort(404)
        events = _events(conn, rows)
        teams = {team.team_id: team for team in list_teams(conn)}
    return render_template("audit/record.html", record_id=record_id, entries=_entries(rows, events, teams))


@blueprint.get("/replay")
def replay() -> str:
    """A team's public record as recorded by a past leaf index (or time), from the log alone, beside today's."""
    team_id = UUID(request.args.get("team") or abort(400))
    app = services().app
    today = app.today_for(team_id)
    with services().engine.connect() as conn:
        if request.args.get("time"):
            position = (
                conn.execute(
                    select(event_index.c.position)
                    .where(event_index.c.recorded_at <= _moment(request.args["time"]))
                    .order_by(event_index.c.position.desc())
                    .limit(1)
                ).scalar()
                or 0
            )
        else:
            leaf = int(request.args.get("leaf") or abort(400))
            position = conn.execute(
                select(merkle_leaves.c.position).where(merkle_leaves.c.leaf_index == leaf)
            ).scalar() or abort(404)
        leaf_index = conn.execute(
            select(merkle_leaves.c.leaf_index)
            .where(merkle_leaves.c.position <= position)
            .order_by(merkle_leaves.c.leaf_index.desc())
            .limit(1)
        ).scalar()
        now = build_public_report(conn, team_id.hex, today, services().projections.position("commitments"))
        now_board, now_ledgers = _dashboard_and_ledgers(conn, team_id.hex, today)
    with services().team_as_of(team_id, today, known_at=position) as view:
        then = build_public_report(view.conn, view.team_id, today, position)
        then_board, then_ledgers = _dashboard_and_ledgers(view.conn, view.team_id, today)
    if now is None:
        abort(404)
    then_rows = {row.commitment_id: row for row in (then.record.public if then else [])}
    comparison = [
        {
            "now": row,
            "then": then_rows.get(row.commitment_id),
            "reference": commitment_reference(now.team.code, row),
            "changed": then_rows.get(row.commitment_id) is None
            or _outcome(then_rows[row.commitment_id]) != _outcome(row),
        }
        for row in now.record.public
    ]
    dashboard = [
        (name, then_value, now_value, then_value != now_value)
        for name, then_value, now_value in (
            ("meetings per quarter", then_board.meetings_per_quarter, now_board.meetings_per_quarter),
            ("attendance rate", _share(then_board.attendance_rate), _share(now_board.attendance_rate)),
            ("women attending", _share(then_board.women_share), _share(now_board.women_share)),
            ("young people attending", _share(then_board.young_share), _share(now_board.young_share)),
            *(
                (f"commitments {outcome}", then_board.outcomes[outcome], now_board.outcomes[outcome])
                for outcome in now_board.outcomes
            ),
        )
    ]
    ledgers = [
        (name, then_ledgers.get(name), summary, then_ledgers.get(name) != summary)
        for name, summary in now_ledgers.items()
    ]
    return render_template(
        "audit/replay.html",
        now=now,
        then=then,
        comparison=comparison,
        leaf=leaf_index,
        dashboard=dashboard,
        ledgers=ledgers,
    )


def _dashboard_and_ledgers(conn: Any, team_id: str, today: Any) -> tuple[Any, dict[str, dict[str, int]]]:
    """The team dashboard and every member's ledger totals, from live tables or an as-of view alike."""
    from tracker.projections.roster import members_of, public_name
    from tracker.projections.summaries import ledger_for_member, team_dashboard

    ledgers = {}
    for member in members_of(conn, team_id):
        ledger = ledger_for_member(conn, member.member_id, today)
        if ledger is not None:
            ledgers[public_name(member)] = ledger.summary
    return team_dashboard(conn, team_id, today), ledgers


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _outcome(row: Any) -> tuple[Any, ...]:
    return ("withdrawn" if row.withdrawn_by_annulment else row.status, row.due_on, row.erased)


def _events(conn: Any, rows: list[Any]) -> dict[int, Any]:
    """The stored events behind index rows, decoded, in one query."""
    if not rows:
        return {}
    table, position = stored_events_table(conn.dialect.name)
    positions = ",".join(str(int(row.position)) for row in rows)
    stored = conn.execute(
        text(
            f"SELECT {position}, originator_id, originator_version, topic, state FROM {table} "
            f"WHERE {position} IN ({positions})"
        )
    )
    from eventsourcing.persistence import Notification

    mapper = services().app.mapper
    return {
        row[0]: mapper.to_domain_event(
            Notification(
                id=row[0], originator_id=UUID(str(row[1])), originator_version=row[2], topic=row[3], state=bytes(row[4])
            )
        )
        for row in stored
    }


def _entries(rows: list[Any], events: dict[int, Any], teams: dict[str, Any]) -> list[dict[str, Any]]:
    viewer: Viewer = current_user.viewer
    entries, opened = [], []
    for row in rows:
        event = events.get(row.position)
        fields = _fields(event, viewer, UUID(row.team_id), opened) if event is not None else {}
        late = row.recorded_at.date() - row.business_date > LATE_AFTER
        team = teams.get(row.team_id)
        entries.append({"row": row, "fields": fields, "late": late, "team": team.code if team else "—"})
    if opened:
        services().app.access_log.record(opened)
    return entries


def _fields(event: TrackedEvent, viewer: Viewer, team_id: UUID, opened: list[Any]) -> dict[str, Any]:
    """The event's own fields, readable: sealed text opened only for an auditor of the team (and logged)."""
    from tracker.access_log import AccessEntry
    from tracker.confidentiality import KeyErased, parse_sealed

    fields = {}
    for field in dataclasses.fields(event):
        if field.name in _LIBRARY_FIELDS or field.name in ("team_id", "business_date", "recorded_by"):
            continue
        value = getattr(event, field.name)
        if isinstance(value, str) and value.startswith("v1:"):
            value = _open(value, viewer, team_id, opened, AccessEntry, KeyErased, parse_sealed)
        elif isinstance(value, list) and value and all(isinstance(v, str) and v.startswith("v1:") for v in value):
            value = [_open(v, viewer, team_id, opened, AccessEntry, KeyErased, parse_sealed) for v in value]
        fields[field.name] = value
    return fields


def _open(sealed: str, viewer: Viewer, team_id: UUID, opened: list[Any], entry: Any, erased: Any, parse: Any) -> Text:
    if not viewer.audits(team_id):
        return Text(WITHHELD)
    try:
        value = services().app.sealer.open(sealed)
    except erased:
        return Text(ERASED)
    key_id, _ = parse(sealed)
    opened.append(entry(datetime.now().astimezone(), viewer.name, team_id, "audit", key_id, request.path))
    return Text(SHOWN, value)


def _hex(value: str) -> str:
    try:
        return UUID(value).hex
    except ValueError:
        abort(400, "an id")


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        abort(400, "a time, YYYY-MM-DDTHH:MM")
    return moment if moment.tzinfo else moment.astimezone()
