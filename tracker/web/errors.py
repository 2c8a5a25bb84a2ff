"""Domain errors in the reader's language, and placed on the form field at fault."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

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
    errors.LeftBeforeJoined: _l("A member cannot leave before joining."),
    errors.VisibilityUnchanged: _l("The item already has this visibility."),
    errors.ReasonRequired: _l("Say why: every correction carries its reason."),
    errors.TeamCodeTaken: _l("This team code is taken; choose another."),
    errors.IdempotencyKeyReused: _l(
        "This form was already sent with other content: reload the page and send it again."
    ),
    errors.ConcurrentEditConflict: _l("Someone else changed this record at the same time; please send it again."),
    KeyErased: _l("The text of this item was erased; new text cannot be added to it."),
}


def message_for(error: errors.DomainError) -> str:
    return str(MESSAGES.get(type(error), error.message))


def form_field_name(field: str | None) -> str | None:
    """`decisions[0].commitments[1].due_on` is the form field `decisions-0-commitments-1-due_on`."""
    if not field:
        return None
    return re.sub(r"\[(\d+)\]\.?", r"-\1-", field).replace(".", "-").strip("-")


def attach(form: FlaskForm, error: errors.DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put the error on its field when the form has it, else on the form as a whole."""
    name = form_field_name(error.field)
    name = (aliases or {}).get(name or "", name)
    field = _find(form, name) if name else None
    if field is not None:
        field.errors = [*field.errors, message_for(error)]
    else:
        form.form_errors.append(message_for(error))


def _find(form: Any, name: str) -> Any:
    for field in form:
        if field.name == name:
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
