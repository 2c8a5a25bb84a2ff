"""The meeting form read as the command takes it: its decisions and commitments as drafts (blank rows skipped,
each domain error mapped back to its row), and the members it offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from tracker.application.drafts import CommitmentDraft, DecisionDraft
from tracker.domain.values import ProblemCategory, Sector
from tracker.projections.types import is_erased
from tracker.vocabulary import label_of, shown_erased
from tracker.web.errors import NotAChoice, chosen_id, error_summary, message_for
from tracker.web.forms import NO_CHOICE, MeetingForm


def decision_drafts(form: MeetingForm) -> tuple[list[DecisionDraft], dict[str, str]]:
    """The decisions and commitments filled in (blank rows are skipped; a row with only an owner or a due date is
    not blank), and how the drafts' positions map to the form's rows (`decisions[0]` -> `decisions[2]`) for the
    domain's errors. A commitment without a due date, or with an owner not among the choices, gets its message
    here and is left out of the drafts."""
    drafts: list[DecisionDraft] = []
    rows: dict[str, str] = {}
    for decision in form.decisions.entries:
        row = decision.name.rsplit("-", 1)[1]  # as posted: a list's rows keep the numbers they were sent with
        commitments, commitment_rows = [], {}
        for entry in decision.form.commitments.entries:
            position = entry.name.rsplit("-", 1)[1]
            fields = entry.form
            filled = [fields.description.data, fields.owner_member_id.data, fields.owner_body.data, fields.due_on.data]
            if not any(value.strip() if isinstance(value, str) else value for value in filled):
                continue
            usable = True
            if fields.due_on.data is None and not fields.due_on.errors:
                fields.due_on.errors = [*fields.due_on.errors, _("A commitment needs a due date.")]
            if fields.due_on.data is None:
                usable = False
            try:
                owner = chosen_id(fields.owner_member_id.data, "owner_member_id")
            except NotAChoice as error:
                fields.owner_member_id.errors = [*fields.owner_member_id.errors, message_for(error)]
                usable = False
            try:
                problem = chosen_id(fields.problem_id.data, "problem_id")
            except NotAChoice as error:
                fields.problem_id.errors = [*fields.problem_id.errors, message_for(error)]
                usable = False
            if usable:
                commitment_rows[len(commitments)] = position
                commitments.append(
                    CommitmentDraft(
                        description=fields.description.data or "",
                        due_on=fields.due_on.data,
                        visibility=fields.visibility.data,
                        owner_member_id=owner,
                        owner_body=fields.owner_body.data or None,
                        problem_id=problem,
                    )
                )
        if (
            (decision.form.text.data or "").strip()
            or commitments
            or any(entry.form.description.data for entry in decision.form.commitments.entries)
        ):
            index = len(drafts)
            rows[f"decisions[{index}]"] = f"decisions[{row}]"
            for draft_position, position in commitment_rows.items():
                rows[f"decisions[{index}].commitments[{draft_position}]"] = f"decisions[{row}].commitments[{position}]"
            drafts.append(DecisionDraft(decision.form.text.data or "", decision.form.visibility.data, commitments))
    return drafts, rows


def has_errors(form: Any) -> bool:
    return any(line for line in error_summary(form))


@dataclass(frozen=True)
class Offer:
    """What the meeting form offers to choose: the team's current members, and its open problems (named by
    category and the date reported: no text of a problem is opened for a list of choices)."""

    members: list[Any]
    problems: list[Any]


def member_choice(member: Any) -> SelectChoice:
    """A member to choose, by full name; an erased member as "erased member" with their sector, to tell two apart
    (WTForms prints labels itself, past Jinja's finalize)."""
    if is_erased(member.name):
        return SelectChoice(member.member_id, f"{shown_erased(member.name, _)} · {_(label_of(member.sector, Sector))}")
    return SelectChoice(member.member_id, member.name)


def offer_members(form: MeetingForm, offer: Offer) -> None:
    members = [member_choice(m) for m in offer.members]
    problems = [
        SelectChoice(p.problem_id, f"{_(label_of(p.category, ProblemCategory))} · {format_date(p.reported_on)}")
        for p in offer.problems
    ]
    form.attendee_ids.choices = members
    for decision in form.decisions.entries:
        for entry in decision.form.commitments.entries:
            entry.form.owner_member_id.choices = [NO_CHOICE, *members]
            entry.form.problem_id.choices = [NO_CHOICE, *problems]
