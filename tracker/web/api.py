"""The JSON API under /api/v1 (flask-smorest): the same use cases as the forms, bearer tokens, problem details."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import g, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from wtforms import ValidationError

from tracker.application.drafts import CommitmentDraft, DecisionDraft
from tracker.documents.report import public_commitment
from tracker.domain.errors import (
    ConcurrentEditConflict,
    DomainError,
    IdempotencyKeyReused,
    InvalidInputs,
    NotFound,
    TeamCodeTaken,
)
from tracker.queries.commitments import CommitmentLine, find_commitment
from tracker.queries.member_ledger import member_team, public_ledger
from tracker.queries.public_report import provenance, public_report
from tracker.queries.teams import find_team, public_members
from tracker.web.api_schemas import (
    AsOfQuery,
    DueDateIn,
    FollowUpIn,
    HandOverIn,
    IdSchema,
    LedgerOut,
    MeetingCreated,
    MeetingIn,
    MemberIn,
    ReportOut,
    SessionOut,
    TeamCreated,
    TeamIn,
    TeamOut,
)
from tracker.web.auth import Account, bearer_user_id
from tracker.web.problems import problem
from tracker.web.services import services

blueprint = Blueprint("api", __name__, url_prefix="/api/v1", description="Record and read partnership teams' work")
BEARER = [{"bearerAuth": []}]


# Authentication and errors


@blueprint.before_request
def _bearer_token() -> Any:
    g.api_account = None
    g.api_session = False
    header = request.headers.get("Authorization", "")
    if not header and current_user.is_authenticated:
        return _signed_in_session()
    if not header:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return problem(
                401, detail="send a bearer token: Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"}
            )
        return None
    user_id = bearer_user_id()
    if user_id is None:
        return problem(401, detail="the bearer token is not valid", headers={"WWW-Authenticate": "Bearer"})
    g.api_account = Account(services().app.user(user_id))
    return None


def _signed_in_session() -> Any:
    """The page's own session (the phone's outbox sends so): its cookie, and for a write its CSRF token in the
    X-CSRFToken header, which a cross-site form cannot send. Answers are in the reader's language."""
    g.api_session = True
    g.in_the_background = True  # the outbox sends while the person does something else: no cookie set back
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except (ValidationError, CSRFError):
            detail = _("The page's security token is missing or has expired: log in again to send.")
            return problem(401, detail=detail, kind="csrf-token")
    g.api_account = current_user._get_current_object()
    return None


@blueprint.errorhandler(DomainError)
def _domain_error(error: DomainError) -> Any:
    status = 422
    if isinstance(error, NotFound):
        status = 404
    elif isinstance(error, IdempotencyKeyReused | ConcurrentEditConflict | TeamCodeTaken):
        status = 409
    kind = "".join(f"-{c.lower()}" if c.isupper() else c for c in type(error).__name__).strip("-")
    if g.get("api_session"):  # a person's page sent it: the message in their language
        from tracker.web.errors import message_for

        each = error.errors if isinstance(error, InvalidInputs) else [error]
        detail = " ".join(dict.fromkeys(message_for(one) for one in each))
        return problem(status, detail=detail, field=each[0].field, kind=kind)
    if isinstance(error, InvalidInputs):  # every error of the input at once, each naming its field
        found = [{"name": each.field or "body", "reason": each.message} for each in error.errors]
        return problem(status, detail=error.message, field=found[0]["name"], invalid_params=found, kind=kind)
    return problem(status, detail=error.message, field=error.field, kind=kind)


@blueprint.route("/session")
class SignedInSession(MethodView):
    @blueprint.response(200, SessionOut)
    def get(self) -> dict[str, Any]:
        """Who the page's session is signed in as, and the CSRF token its writes send in X-CSRFToken (the
        phone's outbox asks before sending); 401 when the session has ended."""
        if not g.api_session:
            abort(401, message=_("Log in to send what waits on this phone."))
        return {"user_id": current_user.user.id, "csrf_token": generate_csrf()}


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
        return _on_commitment("report_follow_up", commitment, body)


@blueprint.route("/commitments/<commitment>/due-date")
class DueDate(MethodView):
    @blueprint.arguments(DueDateIn)
    @blueprint.response(200, IdSchema)
    @blueprint.doc(security=BEARER)
    def post(self, body: dict[str, Any], commitment: str) -> dict[str, Any]:
        """Revise a commitment's due date, for a reason."""
        return _on_commitment("revise_due_date", commitment, body)


@blueprint.route("/commitments/<commitment>/hand-over")
class HandOver(MethodView):
    @blueprint.arguments(HandOverIn)
    @blueprint.response(200, IdSchema)
    @blueprint.doc(security=BEARER)
    def post(self, body: dict[str, Any], commitment: str) -> dict[str, Any]:
        """Hand a commitment over to another member or a named body, for a reason."""
        return _on_commitment("hand_over", commitment, body)


# Reading (public: text of public items only)


@blueprint.route("/teams/<uuid:team_id>")
class TeamResource(MethodView):
    @blueprint.response(200, TeamOut)
    def get(self, team_id: UUID) -> dict[str, Any]:
        """A team and its members, as they chose to appear publicly."""
        with services().engine.connect() as conn:
            team = _team_row(conn, team_id)
            members = public_members(conn, team_id)
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
                    "name": name,
                    "role": m.role,
                    "sector": m.sector,
                    "joined_on": m.joined_on,
                    "left_on": m.left_on,
                }
                for m, name in members
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
            opened = public_report(
                conn, services().reader, team_id, as_of, known_at, None, page=request.path, provenance={}
            )
        if opened is None:
            abort(404, message=f"team {team_id} had not been registered by {as_of}")
        record = opened.report.record
        return {
            "team_id": team_id,
            "as_of": as_of,
            "known_at": provenance(services().signed_log, known_at)["events"] or 0,
            "summary": record.public_summary,
            "non_public": {"count": record.non_public_summary["made"], "summary": record.non_public_summary},
            "commitments": [public_commitment(opened, line) | _commitment_out(line) for line in opened.lines],
        }


@blueprint.route("/members/<uuid:member_id>/ledger")
class MemberLedger(MethodView):
    @blueprint.arguments(AsOfQuery, location="query")
    @blueprint.response(200, LedgerOut)
    def get(self, query: dict[str, Any], member_id: UUID) -> dict[str, Any]:
        """A member's commitment ledger as of a date: the public ones in full, the others counted."""
        with services().engine.connect() as conn:
            team_id = member_team(conn, member_id)
        if team_id is None:
            abort(404, message=f"no member {member_id}")
        as_of = query.get("as_of") or services().app.today_for(team_id)
        with services().record_as_of(team_id, query.get("as_of")) as (conn, _known_at):
            ledger = public_ledger(conn, services().reader, member_id, as_of, page=request.path)
        if ledger is None:
            abort(404, message=f"member {member_id} had not joined by {as_of}")
        return {
            "member_id": member_id,
            "name": ledger.name,
            "as_of": as_of,
            "summary": ledger.summary,
            "non_public": {"count": ledger.hidden, "summary": ledger.non_public},
            "on_time_rate": ledger.on_time_rate,
            "commitments": [_commitment_out(line) for line in ledger.lines],
        }


def _commitment_out(line: CommitmentLine) -> dict[str, Any]:
    row = line.row
    return {
        "id": line.id,
        "reference": line.reference,
        "description": line.description.value,
        "owner_member_id": UUID(row.owner_member_id) if row.owner_member_id else None,
        "owner_body": line.owner_body.value if line.owner_body else None,
        "made_on": row.made_on,
        "due_on": row.due_on,
        "status": line.status,
        "overdue": line.overdue,
        "erased": row.erased,
    }


def _on_commitment(command: str, commitment: str, body: dict[str, Any]) -> dict[str, Any]:
    """A command on one commitment (by id or reference) by one of its team's secretaries."""
    commitment_id, team_id = _commitment(commitment)
    account = _secretary_of(team_id)
    getattr(services().app, command)(commitment_id, by=account.recorder, idempotency_key=_key(), **body)
    return {"id": commitment_id}


def _existing_team(team_id: UUID) -> UUID:
    with services().engine.connect() as conn:
        _team_row(conn, team_id)
    return team_id


def _team_row(conn: Any, team_id: UUID) -> Any:
    row = find_team(conn, team_id)
    if row is None:
        abort(404, message=f"no team {team_id}")
    return row


def _commitment(reference: str) -> tuple[UUID, UUID]:
    """A commitment named by id or by its reference (MIR-2015-07): its id and its team's."""
    with services().engine.connect() as conn:
        found = find_commitment(conn, reference)
    if found is None:  # by id, a commitment the projector has not applied yet is still found, in the log
        try:
            commitment = services().app.commitment(UUID(reference))
        except (ValueError, NotFound):
            abort(404, message=f"no commitment {reference}")
        return commitment.id, commitment.team_id
    return found
