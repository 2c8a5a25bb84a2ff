"""Domain errors in the reader's language, and placed on the form field at fault."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from tracker.confidentiality import KeyErased
from tracker.domain import errors


class NotAChoice(errors.InvalidValue):
    """A posted value that none of the form's choices has (a tampered or stale form)."""


def chosen_id(value: str | None, field: str) -> UUID | None:
    """An id chosen in a form, or None when none was chosen; NotAChoice, shown on the field, for anything else."""
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError:
        raise NotAChoice(field, f"{value!r} is not one of the choices") from None


MESSAGES = {
    NotAChoice: _l("This is not one of the choices."),
    errors.AttendeeNotAMember: _l("Only members of the team on the meeting's date can be marked present."),
    errors.DateInFuture: _l("This date is in the future."),
    errors.DateTooEarly: _l("This date is before 1990, when records begin."),
    errors.DueDateTooFar: _l("A commitment is due within ten years."),
    errors.WeakPassword: _l("This password is too easy to guess: avoid common passwords, names and patterns."),
    errors.DueDateBeforeMeeting: _l("The due date cannot be before the meeting."),
    errors.DateBeforeMeeting: _l("This date is before the meeting."),
    errors.FollowUpOutOfOrder: _l("This date is before the last follow-up."),
    errors.OwnerNotAMember: _l("The owner must be a member of the team."),
    errors.OwnerRequired: _l("Choose one member, or name one body, as the owner."),
    errors.SameOwner: _l("The commitment is already theirs."),
    errors.CommitmentAlreadyClosed: _l("This commitment is closed; reopen it first."),
    errors.CommitmentNotClosed: _l("Only a closed commitment can be reopened."),
    errors.MeetingAnnulled: _l("The meeting was annulled."),
    errors.MemberAlreadyLeft: _l("This member has already left the team."),
    errors.MemberAlreadyErased: _l("This member was already erased."),
    errors.LeftBeforeJoined: _l("A member cannot leave before joining."),
    errors.VisibilityUnchanged: _l("The item already has this visibility."),
    errors.ReasonRequired: _l("Say why: every correction carries its reason."),
    errors.TeamCodeTaken: _l("This team code is taken; choose another."),
    errors.RegionOfAnotherCountry: _l("This region is not in the team's country."),
    errors.RegionUnchanged: _l("The team is already in this region."),
    errors.IdempotencyKeyReused: _l(
        "This form was already sent with other content: reload the page and send it again."
    ),
    errors.ConcurrentEditConflict: _l("Someone else changed this record at the same time; please send it again."),
    KeyErased: _l("The text of this item was erased; new text cannot be added to it."),
    errors.TextRequired: _l("This cannot be empty."),
    errors.NotFound: _l("This item was not found: it may never have been recorded."),
    errors.UnknownMember: _l("This is not a member of the team."),
    errors.UnknownDecision: _l("The meeting has no such decision."),
    errors.MeetingOfAnotherTeam: _l("This meeting is another team's."),
    errors.ItemAlreadyErased: _l("The text of this item was already erased."),
    errors.ProblemClosed: _l("This problem was assessed and is closed; reopen it first."),
    errors.ProblemNotClosed: _l("Only a closed problem can be reopened."),
    errors.StageUnchanged: _l("The problem is already at this stage."),
    errors.StageOutOfOrder: _l("This date is before the problem's current stage began."),
    errors.DateBeforeReported: _l("This date is before the problem was reported."),
    errors.PlanItemAlreadyThere: _l("This commitment is already in the plan."),
    errors.NotInPlan: _l("This commitment is not in the plan."),
    errors.CommitmentOfAnotherTeam: _l("This commitment is another team's."),
    errors.AssessmentWithoutMeasure: _l("Give at least one measure, or say why nothing could be measured."),
    errors.InvalidInputs: _l("Some values cannot be recorded; check the form."),
    errors.InvalidValue: _l("This value cannot be recorded; check it."),
}
# An empty text in a decision or a commitment that was otherwise filled in: the form's hint says an empty row is
# skipped, so the message says what else to empty.
TEXT_REQUIRED = {
    "text": _l("A decision with commitments needs its text; or empty the whole decision to skip it."),
    "description": _l("Say who will do what; or empty the whole commitment (owner and due date too) to skip it."),
}
# The rows of a form's lists, named as the form shows them: "Decision 2 · Commitment 1 · Due on".
ROWS = {"decisions": _l("Decision %(number)d"), "commitments": _l("Commitment %(number)d")}


def message_for(error: errors.DomainError) -> str:
    """The error in the reader's language: ours for every kind we know, a general one for the rest (never the
    domain's English)."""
    if isinstance(error, errors.TextRequired) and (field := (error.field or "").rsplit(".", 1)[-1]) in TEXT_REQUIRED:
        return str(TEXT_REQUIRED[field])
    for kind in type(error).__mro__:
        if kind in MESSAGES:
            return str(MESSAGES[kind])
    return _("This cannot be recorded as it is; check the form and send it again.")


@dataclass(frozen=True)
class ErrorLine:
    """One line of a form's error summary: where (a link to the field) and what is wrong."""

    anchor: str | None
    where: str
    message: str


def error_summary(form: Any) -> list[ErrorLine]:
    """Every error of the form, top to bottom, each naming its field and the decision or commitment it is in."""
    lines = [ErrorLine(None, "", str(message)) for message in getattr(form, "form_errors", [])]
    return lines + list(_field_errors(form, ()))


def _field_errors(form: Any, rows: tuple[str, ...]) -> Any:
    for field in form:
        if field.type == "CSRFTokenField" or field.type == "HiddenField":
            continue
        if hasattr(field, "entries"):
            label = ROWS.get(field.short_name)
            for number, entry in enumerate(field.entries, start=1):
                row = (*rows, str(label) % {"number": number}) if label else rows
                if hasattr(entry, "form"):
                    yield from _field_errors(entry.form, row)
                else:
                    yield from _messages(entry, row, entry.id)
            if not label:
                yield from _messages(field, rows, field.id)
        elif hasattr(field, "form"):
            yield from _field_errors(field.form, rows)
        else:
            yield from _messages(field, rows, field.id)


def _messages(field: Any, rows: tuple[str, ...], anchor: str) -> Any:
    for message in field.errors if isinstance(field.errors, list) else []:
        if not isinstance(message, list | dict):  # a list's own messages, not those of its entries
            yield ErrorLine(anchor, " · ".join((*rows, str(field.label.text))), str(message))


def form_field_name(field: str | None) -> str | None:
    """`decisions[0].commitments[1].due_on` is the form field `decisions-0-commitments-1-due_on`."""
    if not field:
        return None
    return re.sub(r"\[(\d+)\]\.?", r"-\1-", field).replace(".", "-").strip("-")


def attach(
    form: FlaskForm,
    error: errors.DomainError,
    aliases: dict[str, str] | None = None,
    rows: dict[str, str] | None = None,
) -> None:
    """Put the error (each of several) on its field when the form has it, else on the form as a whole. `rows` maps
    the command's list positions to the form's rows, where blank rows were skipped."""
    if isinstance(error, errors.InvalidInputs):
        for each in error.errors:
            attach(form, each, aliases, rows)
        return
    name = form_field_name(_in_rows(error.field, rows or {}))
    if name:  # an alias names the field itself, in whichever row it is: decisions-0-commitments-1-owner
        row, _, own = name.rpartition("-")
        own = (aliases or {}).get(own, own)
        name = f"{row}-{own}" if row else own
    field = _find(form, name) if name else None
    if field is not None:
        if not field.errors:  # the form's own message comes first; the domain's on the same field adds nothing
            field.errors = [*field.errors, message_for(error)]
    else:
        form.form_errors.append(message_for(error))


def _in_rows(field: str | None, rows: dict[str, str]) -> str | None:
    """`decisions[0].commitments[1].due_on` as the form's row of that decision and commitment."""
    found = re.match(r"(decisions\[\d+\](?:\.commitments\[\d+\])?)(.*)", field or "")
    if not found or found.group(1) not in rows:
        return field
    return rows[found.group(1)] + found.group(2)


def _find(form: Any, name: str) -> Any:
    prefix = getattr(form, "_prefix", "")  # a form among several on a page: its fields' names carry its prefix
    for field in form:
        if field.name in (name, f"{prefix}{name}"):
            return field
        if hasattr(field, "entries"):
            for entry in field.entries:
                if entry.name == name:
                    return entry
                if hasattr(entry, "form") and (found := _find(entry.form, name)) is not None:
                    return found
        if hasattr(field, "form") and (found := _find(field.form, name)) is not None:
            return found
    return None
