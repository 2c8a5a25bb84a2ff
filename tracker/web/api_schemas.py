"""The JSON API's schemas (marshmallow, documented by flask-smorest): the vocabularies come from the domain."""

from __future__ import annotations

from enum import StrEnum

import marshmallow as ma

from tracker.domain import values as vocabularies
from tracker.projections.types import is_erased
from tracker.queries.summaries import OUTCOMES
from tracker.vocabulary import values


def one_of(vocabulary: type[StrEnum], *, leave_out: tuple[StrEnum, ...] = ()) -> ma.validate.OneOf:
    """A domain vocabulary as a validator: the OpenAPI document lists its values as an enum."""
    return ma.validate.OneOf([value for value in values(vocabulary) if value not in leave_out])


class ErasableName(ma.fields.String):
    """A member's name as publicly shown: null once the member was erased."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(allow_none=True, **kwargs)  # type: ignore[arg-type]

    def _serialize(self, value: object, attr: str | None, obj: object, **kwargs: object) -> str | None:
        return None if is_erased(value) else super()._serialize(value, attr, obj, **kwargs)


class IdSchema(ma.Schema):
    id = ma.fields.UUID(required=True)


class SessionOut(ma.Schema):
    user_id = ma.fields.UUID(required=True)
    csrf_token = ma.fields.String(required=True)


class TeamIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=one_of(vocabularies.TeamKind))
    country = ma.fields.String(required=True, validate=one_of(vocabularies.Country))
    region = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    district = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    municipality = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    code = ma.fields.String(validate=ma.validate.Regexp(r"^[A-Za-z]{2,8}$"))
    registered_on = ma.fields.Date()


class TeamCreated(IdSchema):
    code = ma.fields.String(required=True)


class MemberIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    role = ma.fields.String(load_default="member", validate=one_of(vocabularies.Role))
    sector = ma.fields.String(required=True, validate=one_of(vocabularies.Sector))
    gender = ma.fields.String(required=True, validate=one_of(vocabularies.Gender))
    age_band = ma.fields.String(required=True, validate=one_of(vocabularies.AgeBand))
    public_display = ma.fields.String(load_default="full_name", validate=one_of(vocabularies.PublicDisplay))
    joined_on = ma.fields.Date()


VISIBILITY = one_of(vocabularies.Visibility)


class CommitmentIn(ma.Schema):
    owner_member_id = ma.fields.UUID(allow_none=True)
    owner_body = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    due_on = ma.fields.Date(required=True)
    visibility = ma.fields.String(required=True, validate=VISIBILITY)


class DecisionIn(ma.Schema):
    text = ma.fields.String(required=True, validate=ma.validate.Length(max=2000))
    visibility = ma.fields.String(required=True, validate=VISIBILITY)
    commitments = ma.fields.List(
        ma.fields.Nested(CommitmentIn), load_default=list, validate=ma.validate.Length(max=100)
    )


class GuestsIn(ma.Schema):
    female = ma.fields.Integer(strict=True, load_default=0, validate=ma.validate.Range(min=0, max=100_000))
    male = ma.fields.Integer(strict=True, load_default=0, validate=ma.validate.Range(min=0, max=100_000))


class MeetingIn(ma.Schema):
    held_on = ma.fields.Date(required=True)
    kind = ma.fields.String(required=True, validate=one_of(vocabularies.MeetingKind))
    place = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
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
        required=True, validate=one_of(vocabularies.CommitmentStatus, leave_out=(vocabularies.CommitmentStatus.OPEN,))
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
    name = ErasableName(
        required=True, metadata={"description": "as the member chose to appear publicly; null once erased"}
    )
    role = ma.fields.String(required=True)
    sector = ma.fields.String(required=True, validate=one_of(vocabularies.Sector))
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


class EntryOut(ma.Schema):
    on = ma.fields.Date(required=True, metadata={"description": "business date: when it happened"})
    recorded_on = ma.fields.Date(required=True, metadata={"description": "when it was recorded (team's local date)"})
    late = ma.fields.Boolean(required=True, metadata={"description": "a late entry, as the report's page marks it"})
    correction = ma.fields.Boolean(required=True)
    event = ma.fields.String(required=True, metadata={"description": "follow_up_reported, due_date_revised, ..."})
    status = ma.fields.String(allow_none=True)
    due_on = ma.fields.Date(allow_none=True)
    owner = ErasableName(metadata={"description": "handed over to: as publicly shown; null for an erased member"})


class CommitmentOut(ma.Schema):
    id = ma.fields.UUID(required=True)
    reference = ma.fields.String(required=True)
    description = ma.fields.String(allow_none=True, metadata={"description": "null when erased"})
    owner = ErasableName(
        metadata={"description": "as publicly shown: name, initials or the body (reports); null for an erased member"}
    )
    owner_member_id = ma.fields.UUID(allow_none=True)
    owner_body = ma.fields.String(allow_none=True)
    made_on = ma.fields.Date(required=True)
    recorded_on = ma.fields.Date(metadata={"description": "when it was recorded (reports)"})
    late = ma.fields.Boolean(metadata={"description": "recorded late (reports)"})
    due_on = ma.fields.Date(required=True)
    original_due_on = ma.fields.Date(metadata={"description": "before any revision (reports)"})
    status = ma.fields.String(required=True)
    overdue = ma.fields.Boolean(required=True)
    erased = ma.fields.Boolean(required=True)
    history = ma.fields.List(ma.fields.Nested(EntryOut), metadata={"description": "later entries (reports)"})


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
    name = ErasableName(required=True, metadata={"description": "as publicly shown; null once erased"})
    as_of = ma.fields.Date(required=True)
    summary = ma.fields.Nested(Summary, required=True, metadata={"description": "public commitments they own"})
    non_public = ma.fields.Nested(NonPublicOut, required=True)
    on_time_rate = ma.fields.Float(allow_none=True)
    commitments = ma.fields.List(ma.fields.Nested(CommitmentOut), required=True)


class AsOfQuery(ma.Schema):
    as_of = ma.fields.Date(metadata={"description": "business date (team's time zone); default today"})


class ProblemPlanItemOut(ma.Schema):
    commitment_id = ma.fields.String(required=True)
    weight = ma.fields.Integer(required=True)
    status = ma.fields.String(allow_none=True)
    recorded_late_on = ma.fields.Date(
        allow_none=True, metadata={"description": "a late entry: the day it was recorded (else null)"}
    )


class ProblemActivityOut(ma.Schema):
    kind = ma.fields.String(required=True)
    on = ma.fields.Date(required=True)
    description = ma.fields.String(allow_none=True)
    recorded_late_on = ma.fields.Date(
        allow_none=True, metadata={"description": "a late entry: the day it was recorded (else null)"}
    )


class ProblemFundingOut(ma.Schema):
    source = ma.fields.String(required=True)
    funder = ma.fields.String(allow_none=True)
    amount = ma.fields.String(required=True, metadata={"description": "a decimal string, never converted"})
    currency = ma.fields.String(required=True)
    state = ma.fields.String(required=True)
    on = ma.fields.Date(required=True)
    recorded_late_on = ma.fields.Date(
        allow_none=True, metadata={"description": "a late entry: the day it was recorded (else null)"}
    )


class ProblemTotalOut(ma.Schema):
    currency = ma.fields.String(required=True)
    state = ma.fields.String(required=True)
    amount = ma.fields.String(required=True)


class ProblemMeasureOut(ma.Schema):
    what = ma.fields.String(allow_none=True)
    before = ma.fields.String(required=True)
    after = ma.fields.String(required=True)
    before_period = ma.fields.String(required=True)
    after_period = ma.fields.String(required=True)
    source = ma.fields.String(required=True)


class ProblemOut(ma.Schema):
    """A problem as the public may see it: a non-public one shows its category, stage, dates and counts only."""

    id = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    visibility = ma.fields.String(required=True)
    text_shown = ma.fields.Boolean(required=True, metadata={"description": "false: a non-public problem"})
    erased = ma.fields.Boolean(required=True)
    title = ma.fields.String(allow_none=True)
    place = ma.fields.String(allow_none=True)
    reported_on = ma.fields.Date(required=True)
    recorded_late_on = ma.fields.Date(
        allow_none=True, metadata={"description": "a late entry: the day it was recorded (else null)"}
    )
    stage = ma.fields.String(required=True)
    stage_since = ma.fields.Date(required=True)
    closed = ma.fields.Boolean(required=True)
    conclusion = ma.fields.String(allow_none=True)
    review_on = ma.fields.Date(allow_none=True)
    analysis = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(allow_none=True), allow_none=True)
    sources = ma.fields.List(ma.fields.String())
    progress = ma.fields.Float(allow_none=True, metadata={"description": "0 to 1 from the plan's commitments"})
    overdue_commitments = ma.fields.Integer(required=True)
    plan = ma.fields.List(ma.fields.Nested(ProblemPlanItemOut))
    activity_count = ma.fields.Integer(required=True)
    activities = ma.fields.List(ma.fields.Nested(ProblemActivityOut))
    funding_line_count = ma.fields.Integer(required=True)
    funding_totals = ma.fields.List(ma.fields.Nested(ProblemTotalOut))
    funding = ma.fields.List(ma.fields.Nested(ProblemFundingOut))
    measures = ma.fields.List(ma.fields.Nested(ProblemMeasureOut))


class TeamProblemsOut(ma.Schema):
    team_id = ma.fields.UUID(required=True)
    as_of = ma.fields.Date(required=True)
    problems = ma.fields.List(ma.fields.Nested(ProblemOut))
