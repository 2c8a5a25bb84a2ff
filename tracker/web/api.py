"""The JSON API under /api/v1 (flask-smorest): the same use cases as the forms, bearer tokens, problem details."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import marshmallow as ma
from flask import g, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from tracker.domain.access import PUBLIC
from tracker.domain.errors import (
    ConcurrentEditConflict,
    DomainError,
    IdempotencyKeyReused,
    NotFound,
    TeamCodeTaken,
)
from tracker.drafts import CommitmentDraft, DecisionDraft
from tracker.projections.commitments import commitment_reference, find_commitment
from tracker.projections.public_report import public_commitments
from tracker.projections.roster import members_of, public_name, roster_members
from tracker.projections.summaries import OUTCOMES, is_overdue, ledger_for_member, on_time_rate, summarise
from tracker.projections.team_directory import team_directory
from tracker.web.auth import Account
from tracker.web.problems import problem
from tracker.web.services import services

blueprint = Blueprint("api", __name__, url_prefix="/api/v1", description="Record and read partnership teams' work")
BEARER = [{"bearerAuth": []}]


# Schemas


class IdSchema(ma.Schema):
    id = ma.fields.UUID(required=True)


class TeamIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["CPPT", "LCPC"]))
    country = ma.fields.String(required=True, validate=ma.validate.OneOf(["KG", "TJ", "UZ"]))
    region = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    district = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    municipality = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    code = ma.fields.String(validate=ma.validate.Regexp(r"^[A-Za-z]{2,8}$"))
    registered_on = ma.fields.Date()


class TeamCreated(IdSchema):
    code = ma.fields.String(required=True)


class MemberIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    role = ma.fields.String(load_default="member", validate=ma.validate.OneOf(["chair", "secretary", "member"]))
    sector = ma.fields.String(required=True)
    gender = ma.fields.String(required=True, validate=ma.validate.OneOf(["female", "male"]))
    age_band = ma.fields.String(required=True)
    public_display = ma.fields.String(load_default="full_name", validate=ma.validate.OneOf(["full_name", "initials"]))
    joined_on = ma.fields.Date()


VISIBILITY = ma.validate.OneOf(["public", "team", "confidential"])


class CommitmentIn(ma.Schema):
    owner_member_id = ma.fields.UUID(allow_none=True)
    owner_body = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))
    description = ma.fields.String(required=True, validate=ma.validate.Length(max=2000))
    due_on = ma.fields.Date(required=True)
    visibility = ma.fields.String(required=True, validate=VISIBILITY)


class DecisionIn(ma.Schema):
    text = ma.fields.String(required=True, validate=ma.validate.Length(max=2000))
    visibility = ma.fields.String(required=True, validate=VISIBILITY)
    commitments = ma.fields.List(
        ma.fields.Nested(CommitmentIn), load_default=list, validate=ma.validate.Length(max=100)
    )


class GuestsIn(ma.Schema):
    female = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=100_000))
    male = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=100_000))


class MeetingIn(ma.Schema):
    held_on = ma.fields.Date(required=True)
    kind = ma.fields.String(
        required=True, validate=ma.validate.OneOf(["regular", "extraordinary", "town_meeting", "exchange"])
    )
    place = ma.fields.String(required=True, validate=ma.validate.Length(max=500))
    attendees = ma.fields.List(ma.fields.UUID(), load_default=list, validate=ma.validate.Length(max=1000))
    guests = ma.fields.Nested(GuestsIn, load_default=lambda: {"female": 0, "male": 0})
    visiting_team_ids = ma.fields.List(ma.fields.UUID(), load_default=list, validate=ma.validate.Length(max=50))
    agenda = ma.fields.Raw(load_default=list, metadata={"description": "a list of items, or one text, a line an item"})
    minutes = ma.fields.String(load_default="", validate=ma.validate.Length(max=50_000))
    minutes_visibility = ma.fields.String(load_default="team", validate=VISIBILITY)
    decisions = ma.fields.List(ma.fields.Nested(DecisionIn), load_default=list, validate=ma.validate.Length(max=100))


class MeetingCreated(IdSchema):
    decision_ids = ma.fields.List(ma.fields.UUID(), required=True)
    commitment_ids = ma.fields.List(ma.fields.UUID(), required=True)


class FollowUpIn(ma.Schema):
    on = ma.fields.Date(required=True)
    status = ma.fields.String(
        required=True, validate=ma.validate.OneOf(["in_progress", "kept", "partly_kept", "not_kept", "withdrawn"])
    )
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
    meeting_id = ma.fields.UUID(allow_none=True, load_default=None)


class DueDateIn(ma.Schema):
    due_on = ma.fields.Date(required=True)
    on = ma.fields.Date(required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))


class HandOverIn(ma.Schema):
    owner_member_id = ma.fields.UUID(allow_none=True)
    owner_body = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))
    on = ma.fields.Date(required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))


class MemberOut(ma.Schema):
    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True, metadata={"description": "as the member chose to appear publicly"})
    role = ma.fields.String(required=True)
    sector = ma.fields.String(required=True)
    joined_on = ma.fields.Date(required=True)
    left_on = ma.fields.Date(allow_none=True)


class TeamOut(ma.Schema):
    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    code = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    country = ma.fields.String(required=True)
    region = ma.fields.String(required=True)
    district = ma.fields.String(required=True)
    municipality = ma.fields.String(required=True)
    time_zone = ma.fields.String(required=True)
    members = ma.fields.List(ma.fields.Nested(MemberOut), required=True)


Summary = ma.Schema.from_dict({name: ma.fields.Integer(required=True) for name in (*OUTCOMES, "made")}, name="Summary")


class CommitmentOut(ma.Schema):
    id = ma.fields.UUID(required=True)
    reference = ma.fields.String(required=True)
    description = ma.fields.String(allow_none=True, metadata={"description": "null when erased"})
    owner_member_id = ma.fields.UUID(allow_none=True)
    owner_body = ma.fields.String(allow_none=True)
    made_on = ma.fields.Date(required=True)
    due_on = ma.fields.Date(required=True)
    status = ma.fields.String(required=True)
    overdue = ma.fields.Boolean(required=True)
    erased = ma.fields.Boolean(required=True)


class NonPublicOut(ma.Schema):
    count = ma.fields.Integer(required=True)
    summary = ma.fields.Nested(Summary, required=True)


class ReportOut(ma.Schema):
    team_id = ma.fields.UUID(required=True)
    as_of = ma.fields.Date(required=True)
    known_at = ma.fields.Integer(
        required=True, metadata={"description": "how many events of the log (leaves of its tree) it was built from"}
    )
    summary = ma.fields.Nested(Summary, required=True, metadata={"description": "public commitments"})
    non_public = ma.fields.Nested(NonPublicOut, required=True)
    commitments = ma.fields.List(ma.fields.Nested(CommitmentOut), required=True)


class LedgerOut(ma.Schema):
    member_id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    as_of = ma.fields.Date(required=True)
    summary = ma.fields.Nested(Summary, required=True, metadata={"description": "public commitments they own"})
    non_public = ma.fields.Nested(NonPublicOut, required=True)
    on_time_rate = ma.fields.Float(allow_none=True)
    commitments = ma.fields.List(ma.fields.Nested(CommitmentOut), required=True)


class AsOfQuery(ma.Schema):
    as_of = ma.fields.Date(metadata={"description": "business date (team's time zone); default today"})


# Authentication and errors


@blueprint.before_request
def _bearer_token() -> Any:
    g.api_account = None
    header = request.headers.get("Authorization", "")
    if not header:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return problem(
                401, detail="send a bearer token: Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"}
            )
        return None
    scheme, _, token = header.partition(" ")
    user_id = services().app.credentials.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user_id is None:
        return problem(401, detail="the bearer token is not valid", headers={"WWW-Authenticate": "Bearer"})
    g.api_account = Account(services().app.user(user_id))
    return None


@blueprint.errorhandler(DomainError)
def _domain_error(error: DomainError) -> Any:
    status = 422
    if isinstance(error, NotFound):
        status = 404
    elif isinstance(error, IdempotencyKeyReused | ConcurrentEditConflict | TeamCodeTaken):
        status = 409
    kind = "".join(f"-{c.lower()}" if c.isupper() else c for c in type(error).__name__).strip("-")
    return problem(status, detail=error.message, field=error.field, kind=kind)


def _account() -> Account:
    if g.api_account is None:
        abort(401, message="send a bearer token: Authorization: Bearer <token>")
    return g.api_account


def _secretary_of(team_id: UUID) -> Account:
    account = _account()
    if not account.may_record_for(team_id):
        abort(403, message="only the team's secretaries record for it")
    return account


def _key() -> str | None:
    return request.headers.get("Idempotency-Key") or None


# Writing


@blueprint.route("/teams")
class Teams(MethodView):
    @blueprint.arguments(TeamIn)
    @blueprint.response(201, TeamCreated)
    @blueprint.doc(security=BEARER)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Register a team (admins)."""
        account = _account()
        if not account.is_admin:
            abort(403, message="only an admin registers teams")
        app = services().app
        team_id = app.register_team(
            name=body["name"],
            kind=body["kind"],
            country=body["country"],
            region=body["region"],
            district=body["district"],
            municipality=body["municipality"],
            code=body.get("code"),
            registered_on=body.get("registered_on") or app.clock().date(),
            by=account.recorder,
            idempotency_key=_key(),
        )
        return {"id": team_id, "code": app.team(team_id).code}


@blueprint.route("/teams/<uuid:team_id>/members")
class Members(MethodView):
    @blueprint.arguments(MemberIn)
    @blueprint.response(201, IdSchema)
    @blueprint.doc(security=BEARER)
    def post(self, body: dict[str, Any], team_id: UUID) -> dict[str, Any]:
        """Add a member to the team (its secretaries)."""
        account = _secretary_of(_existing_team(team_id))
        app = services().app
        member_id = app.add_member(
            team_id,
            name=body["name"],
            role=body["role"],
            sector=body["sector"],
            gender=body["gender"],
            age_band=body["age_band"],
            public_display=body["public_display"],
            joined_on=body.get("joined_on") or app.today_for(team_id),
            by=account.recorder,
            idempotency_key=_key(),
        )
        return {"id": member_id}


@blueprint.route("/teams/<uuid:team_id>/meetings")
class Meetings(MethodView):
    @blueprint.arguments(MeetingIn)
    @blueprint.response(201, MeetingCreated)
    @blueprint.doc(security=BEARER)
    def post(self, body: dict[str, Any], team_id: UUID) -> dict[str, Any]:
        """Record a held meeting with its decisions and commitments, in one write; ids come back in order."""
        account = _secretary_of(_existing_team(team_id))
        agenda = body["agenda"]
        if isinstance(agenda, str):
            agenda = agenda.splitlines()
        if not isinstance(agenda, list) or not all(isinstance(item, str) for item in agenda):
            abort(422, message="agenda is a list of texts", field="agenda")
        recorded = services().app.record_meeting(
            team_id,
            held_on=body["held_on"],
            kind=body["kind"],
            place=body["place"],
            attendee_ids=body["attendees"],
            guests_female=body["guests"]["female"],
            guests_male=body["guests"]["male"],
            visiting_team_ids=body["visiting_team_ids"],
            agenda=agenda,
            minutes=body["minutes"],
            minutes_visibility=body["minutes_visibility"],
            decisions=[
                DecisionDraft(
                    decision["text"],
                    decision["visibility"],
                    [CommitmentDraft(**commitment) for commitment in decision["commitments"]],
                )
                for decision in body["decisions"]
            ],
            by=account.recorder,
            idempotency_key=_key(),
        )
        return {"id": recorded.id, "decision_ids": recorded.decision_ids, "commitment_ids": recorded.commitment_ids}


@blueprint.route("/commitments/<commitment>/follow-ups")
class FollowUps(MethodView):
    @blueprint.arguments(FollowUpIn)
    @blueprint.response(201, IdSchema)
    @blueprint.doc(security=BEARER)
    def post(self, body: dict[str, Any], commitment: str) -> dict[str, Any]:
        """Report a follow-up on a commitment (by id, or by reference such as MIR-2015-07)."""
        commitment_id, team_id = _commitment(commitment)
        account = _secretary_of(team_id)
        services().app.report_follow_up(commitment_id, by=account.recorder, idempotency_key=_key(), **body)
        return {"id": commitment_id}


@blueprint.route("/commitments/<commitment>/due-date")
class DueDate(MethodView):
    @blueprint.arguments(DueDateIn)
    @blueprint.response(200, IdSchema)
    @blueprint.doc(security=BEARER)
    def post(self, body: dict[str, Any], commitment: str) -> dict[str, Any]:
        """Revise a commitment's due date, for a reason."""
        commitment_id, team_id = _commitment(commitment)
        account = _secretary_of(team_id)
        services().app.revise_due_date(commitment_id, by=account.recorder, idempotency_key=_key(), **body)
        return {"id": commitment_id}


@blueprint.route("/commitments/<commitment>/hand-over")
class HandOver(MethodView):
    @blueprint.arguments(HandOverIn)
    @blueprint.response(200, IdSchema)
    @blueprint.doc(security=BEARER)
    def post(self, body: dict[str, Any], commitment: str) -> dict[str, Any]:
        """Hand a commitment over to another member or a named body, for a reason."""
        commitment_id, team_id = _commitment(commitment)
        account = _secretary_of(team_id)
        services().app.hand_over(commitment_id, by=account.recorder, idempotency_key=_key(), **body)
        return {"id": commitment_id}


# Reading (public: text of public items only)


@blueprint.route("/teams/<uuid:team_id>")
class TeamResource(MethodView):
    @blueprint.response(200, TeamOut)
    def get(self, team_id: UUID) -> dict[str, Any]:
        """A team and its members, as they chose to appear publicly."""
        with services().engine.connect() as conn:
            team = _team_row(conn, team_id)
            members = members_of(conn, team_id.hex)
        return {
            "id": team_id,
            "name": team.name,
            "code": team.code,
            "kind": team.kind,
            "country": team.country,
            "region": team.region,
            "district": team.district,
            "municipality": team.municipality,
            "time_zone": team.time_zone,
            "members": [
                {
                    "id": UUID(m.member_id),
                    "name": public_name(m),
                    "role": m.role,
                    "sector": m.sector,
                    "joined_on": m.joined_on,
                    "left_on": m.left_on,
                }
                for m in members
            ],
        }


@blueprint.route("/teams/<uuid:team_id>/report")
class TeamReport(MethodView):
    @blueprint.arguments(AsOfQuery, location="query")
    @blueprint.response(200, ReportOut)
    def get(self, query: dict[str, Any], team_id: UUID) -> dict[str, Any]:
        """What the team promised and did, as of a date: public commitments in full, the others counted."""
        team = _existing_team(team_id)
        as_of = query.get("as_of") or services().app.today_for(team)
        with services().record_as_of(team_id, query.get("as_of")) as (conn, known_at):
            record = public_commitments(conn, team_id.hex, as_of)
            code = _team_row(conn, team_id).code
        return {
            "team_id": team_id,
            "as_of": as_of,
            "known_at": _leaves_up_to(known_at),
            "summary": record.public_summary,
            "non_public": {"count": record.non_public_summary["made"], "summary": record.non_public_summary},
            "commitments": _public_commitments(team_id, code, record.public, as_of),
        }


@blueprint.route("/members/<uuid:member_id>/ledger")
class MemberLedger(MethodView):
    @blueprint.arguments(AsOfQuery, location="query")
    @blueprint.response(200, LedgerOut)
    def get(self, query: dict[str, Any], member_id: UUID) -> dict[str, Any]:
        """A member's commitment ledger as of a date: the public ones in full, the others counted."""
        with services().engine.connect() as conn:
            member = conn.execute(select(roster_members).where(roster_members.c.member_id == member_id.hex)).first()
        if member is None:
            abort(404, message=f"no member {member_id}")
        team_id = UUID(member.team_id)
        as_of = query.get("as_of") or services().app.today_for(team_id)
        with services().record_as_of(team_id, query.get("as_of")) as (conn, _known_at):
            ledger = ledger_for_member(conn, member_id.hex, as_of)
            code = _team_row(conn, team_id).code
        if ledger is None:
            abort(404, message=f"member {member_id} had not joined by {as_of}")
        public = [row for row in ledger.current if row.visibility == "public"]
        others = [row for row in ledger.current if row.visibility != "public"]
        return {
            "member_id": member_id,
            "name": public_name(member),
            "as_of": as_of,
            "summary": summarise(public, as_of),
            "non_public": {"count": len(others), "summary": summarise(others, as_of)},
            "on_time_rate": on_time_rate(ledger.current),
            "commitments": _public_commitments(team_id, code, public, as_of),
        }


def _public_commitments(team_id: UUID, code: str, rows: list[Any], as_of: date) -> list[dict[str, Any]]:
    app = services().app
    texts = app.read_texts(
        team_id,
        [("commitment", UUID(row.commitment_id), "public", row.erased, row.description) for row in rows]
        + [("commitment", UUID(row.commitment_id), "public", row.erased, row.owner_body) for row in rows],
        viewer=PUBLIC,
        page=request.path,
    )
    descriptions, bodies = texts[: len(rows)], texts[len(rows) :]
    return [
        {
            "id": UUID(row.commitment_id),
            "reference": commitment_reference(code, row),
            "description": description.value if description else None,
            "owner_member_id": UUID(row.owner_member_id) if row.owner_member_id else None,
            "owner_body": body.value if body else None,
            "made_on": row.made_on,
            "due_on": row.due_on,
            "status": "withdrawn" if row.withdrawn_by_annulment else row.status,
            "overdue": is_overdue(row, as_of),
            "erased": row.erased,
        }
        for row, description, body in zip(rows, descriptions, bodies, strict=True)
    ]


def _leaves_up_to(position: int) -> int:
    """A log position as people see it: the number of leaves of the tree up to it (database ids stay inside)."""
    from tracker.audit.errors import AuditError

    try:
        return services().signed_log.leaf_index_of(position) + 1 if position else 0
    except AuditError:
        return 0


def _existing_team(team_id: UUID) -> UUID:
    with services().engine.connect() as conn:
        _team_row(conn, team_id)
    return team_id


def _team_row(conn: Any, team_id: UUID) -> Any:
    row = conn.execute(select(team_directory).where(team_directory.c.team_id == team_id.hex)).first()
    if row is None:
        abort(404, message=f"no team {team_id}")
    return row


def _commitment(reference: str) -> tuple[UUID, UUID]:
    """A commitment named by id or by its reference (MIR-2015-07): its id and its team's."""
    with services().engine.connect() as conn:
        found = find_commitment(conn, reference)
    if found is None:
        abort(404, message=f"no commitment {reference}")
    return found
