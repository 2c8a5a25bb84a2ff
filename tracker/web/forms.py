"""The recording forms (Flask-WTF: CSRF on each, server-side validation with field-level messages)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import wtforms
from babel.support import NullTranslations
from flask import current_app, has_app_context
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.domain import values as vocabularies
from tracker.vocabulary import N_, labelled
from tracker.web.errors import chosen_id

NO_CHOICE = SelectChoice("", "—")


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with plural forms for extraction (`pybabel extract -k Nn_:1,2`)."""
    return singular, plural


# WTForms' own messages, as our forms can show them. WTForms ships no Kyrgyz, Tajik or Uzbek catalogue, so these
# are ours: listed here for extraction, translated by `Translations` below in the reader's language.
WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Not a valid date value."),
    N_("Not a valid integer value."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Invalid input."),
    N_("Field must be equal to %(other_name)s."),
    N_("The CSRF token is missing."),
    N_("The CSRF token is invalid."),
    N_("The CSRF token has expired."),
    N_("The CSRF tokens do not match."),
    Nn_("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."),
    Nn_("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long."),
    Nn_("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field."),
)


class Translations:
    """WTForms' messages from our catalogues, in the reader's language (no formatting: WTForms fills them in)."""

    def gettext(self, string: str) -> str:
        return _catalogue().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _catalogue().ngettext(singular, plural, n)


def _catalogue() -> Any:
    """The reader's catalogue; none (the English messages) outside a request of an app with Babel."""
    if has_app_context() and "babel" in current_app.extensions:
        return get_translations()
    return NullTranslations()


TRANSLATIONS = Translations()


class Form(FlaskForm):
    """A form of ours: CSRF-protected, its messages (WTForms' own too) in the reader's language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Translations:
            return TRANSLATIONS


class Rows(wtforms.Form):
    """The rows of a form's list (a decision, a commitment): no CSRF of their own, messages translated."""

    class Meta:
        def get_translations(self, form: Any) -> Translations:
            return TRANSLATIONS


def choices(vocabulary: type[StrEnum], *, leave_out: tuple[StrEnum, ...] = ()) -> list[SelectChoice]:
    """A vocabulary of the domain as a form's choices, each labelled in the reader's language."""
    return [SelectChoice(value, _l(label)) for value, label in labelled(vocabulary) if value not in leave_out]


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class IdempotentForm(Form):
    """A form whose hidden key makes a double submit record once."""

    idempotency_key = HiddenField()

    def command_values(self) -> dict[str, Any]:
        """The fields as a command takes them: ids as UUIDs, blank choices and texts as None; NotAChoice (a
        DomainError, shown on the field) for an id that is not one."""
        values = {}
        for name, field in self._fields.items():
            if name in ("csrf_token", "idempotency_key") or isinstance(field, SubmitField):
                continue
            value = chosen_id(field.data, name) if name.endswith("_id") else field.data
            values[name] = None if value == "" else value
        return values


def region_choices(*countries: vocabularies.Country) -> dict[str, list[tuple[str, str]]]:
    """The regions of each country (all three unless named), grouped under the country's name."""
    labels = dict(labelled(vocabularies.Region))
    country_names = dict(labelled(vocabularies.Country))
    return {
        str(_l(country_names[country.value])): [
            (region.value, str(_l(labels[region.value]))) for region in vocabularies.regions_of(country)
        ]
        for country in countries or tuple(vocabularies.Country)
    }


class TeamForm(IdempotentForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    code = StringField(_l("Short code (optional)"), validators=[Optional(), Length(max=8)])
    kind = SelectField(_l("Kind"), choices=choices(vocabularies.TeamKind))
    country = SelectField(_l("Country"), choices=choices(vocabularies.Country))
    region = SelectField(_l("Region"), choices=[])
    district = StringField(_l("District"), validators=[DataRequired(), Length(max=200)])
    municipality = StringField(_l("Municipality"), validators=[DataRequired(), Length(max=200)])
    registered_on = DateField(_l("Registered on"), validators=[InputRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()


class RegionForm(IdempotentForm):
    """A region from the team's country's list, for a team registered before the list."""

    region = SelectField(_l("Region"), choices=[])


class MemberForm(IdempotentForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(vocabularies.Role))
    sector = SelectField(_l("Represents"), choices=choices(vocabularies.Sector))
    gender = SelectField(_l("Gender"), choices=choices(vocabularies.Gender))
    age_band = SelectField(_l("Age"), choices=choices(vocabularies.AgeBand))
    public_display = SelectField(_l("Shown on public reports by"), choices=choices(vocabularies.PublicDisplay))
    joined_on = DateField(_l("Joined on"), validators=[InputRequired()])


class CommitmentEntry(Rows):
    description = TextAreaField(_l("Who will do what"), validators=[Optional(), Length(max=2000)])
    owner_member_id = SelectField(_l("Owner (member)"), choices=[], validate_choice=False)
    owner_body = StringField(_l("…or a body the team names"), validators=[Optional(), Length(max=200)])
    due_on = DateField(_l("Due on"), validators=[Optional()])
    # Rows left blank are skipped, so their choices are checked only when used (by the domain).
    visibility = SelectField(
        _l("Visibility"), choices=choices(vocabularies.Visibility), default="team", validate_choice=False
    )
    problem_id = SelectField(_l("Serves the problem (optional)"), choices=[], validate_choice=False)


class DecisionEntry(Rows):
    text = TextAreaField(_l("Decision"), validators=[Optional(), Length(max=2000)])
    visibility = SelectField(
        _l("Visibility"), choices=choices(vocabularies.Visibility), default="team", validate_choice=False
    )
    commitments = FieldList(FormField(CommitmentEntry), min_entries=2)


class MeetingForm(IdempotentForm):
    held_on = DateField(_l("Held on"), validators=[InputRequired()])
    kind = SelectField(_l("Kind of meeting"), choices=choices(vocabularies.MeetingKind))
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=500)])
    attendee_ids = CheckboxList(_l("Members present"), choices=[], validate_choice=False)
    guests_female = IntegerField(_l("Guests: women"), default=0, validators=[Optional(), NumberRange(min=0, max=10000)])
    guests_male = IntegerField(_l("Guests: men"), default=0, validators=[Optional(), NumberRange(min=0, max=10000)])
    agenda = TextAreaField(_l("Agenda (one item a line)"), validators=[Optional(), Length(max=5000)])
    minutes = TextAreaField(_l("Minutes"), validators=[Optional(), Length(max=50000)])
    minutes_visibility = SelectField(_l("Minutes visible to"), choices=choices(vocabularies.Visibility), default="team")
    decisions = FieldList(FormField(DecisionEntry), min_entries=2)
    add_decision = SubmitField(_l("Add another decision"))
    save = SubmitField(_l("Record the meeting"))


class FollowUpForm(IdempotentForm):
    on = DateField(_l("Date"), validators=[InputRequired()])
    status = SelectField(
        _l("Status"), choices=choices(vocabularies.CommitmentStatus, leave_out=(vocabularies.CommitmentStatus.OPEN,))
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    meeting_id = SelectField(_l("Reported at the meeting of"), choices=[], validate_choice=False)


class DueDateForm(IdempotentForm):
    due_on = DateField(_l("New due date"), validators=[InputRequired()])
    on = DateField(_l("Decided on"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class HandOverForm(IdempotentForm):
    owner_member_id = SelectField(_l("New owner (member)"), choices=[], validate_choice=False)
    owner_body = StringField(_l("…or a body the team names"), validators=[Optional(), Length(max=200)])
    on = DateField(_l("Handed over on"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class ReasonForm(Form):
    """A correction: the corrected text (where there is one), the date and the reason."""

    on = DateField(_l("Date"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class MinutesForm(ReasonForm):
    minutes = TextAreaField(_l("Corrected minutes"), validators=[DataRequired(), Length(max=50000)])


class VisibilityForm(ReasonForm):
    visibility = SelectField(_l("New visibility"), choices=choices(vocabularies.Visibility))


class UserForm(Form):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Name shown"), validators=[Optional(), Length(max=200)])
    password = StringField(_l("First password (at least 10 characters)"), validators=[DataRequired(), Length(max=512)])


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=choices(vocabularies.UserRole))
    team_id = SelectField(_l("Team"), choices=[], validate_choice=False)


class ErasureForm(Form):
    item_id = StringField(
        _l(
            "A commitment's reference (e.g. NAR-2026-42), a meeting's, decision's, commitment's, problem's or "
            "member's id, or the address of a member's page"
        ),
        validators=[DataRequired(), Length(max=500)],
    )
    reason = SelectField(_l("Reason"), choices=choices(vocabularies.ErasureReason))
    confirmed = HiddenField()  # the id of the item the admin saw named on the confirmation step


# Problems (tracker/web/secretary_problems.py): each form's fields are named as its command takes them.


class ProblemForm(IdempotentForm):
    title = StringField(_l("Problem"), validators=[DataRequired(), Length(max=2000)])
    category = SelectField(_l("Category"), choices=choices(vocabularies.ProblemCategory))
    where = StringField(_l("Where (village or mahalla)"), validators=[Optional(), Length(max=2000)])
    raised_by_member_id = SelectField(_l("Raised by (member)"), choices=[], validate_choice=False)
    raised_by = StringField(_l("…or who raised it"), validators=[Optional(), Length(max=2000)])
    first_noticed_on = DateField(_l("First noticed on"), validators=[Optional()])
    on = DateField(_l("Reported on"), validators=[InputRequired()])
    visibility = SelectField(_l("Visible to"), choices=choices(vocabularies.Visibility), default="team")
    save = SubmitField(_l("Report the problem"))


class AnalysisForm(IdempotentForm):
    offender = TextAreaField(_l("Who causes it"), validators=[Optional(), Length(max=50000)])
    victim = TextAreaField(_l("Who suffers it"), validators=[Optional(), Length(max=50000)])
    location = TextAreaField(_l("Where and when"), validators=[Optional(), Length(max=50000)])
    sources = CheckboxList(_l("Sources"), choices=choices(vocabularies.AnalysisSource))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=50000)])
    on = DateField(_l("Date"), validators=[InputRequired()])
    save = SubmitField(_l("Record the analysis"))


class StageForm(IdempotentForm):
    stage = SelectField(_l("Stage"), choices=choices(vocabularies.SaraStage))
    on = DateField(_l("Date"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason (needed to go back)"), validators=[Optional(), Length(max=2000)])
    save = SubmitField(_l("Change the stage"))


class PlanItemForm(IdempotentForm):
    commitment_id = SelectField(_l("Commitment"), choices=[], validate_choice=False)
    weight = IntegerField(_l("Weight"), default=1, validators=[InputRequired(), NumberRange(min=1, max=100)])
    on = DateField(_l("Date"), validators=[InputRequired()])
    save = SubmitField(_l("Add to the plan"))


class ActivityForm(IdempotentForm):
    kind = SelectField(_l("Activity"), choices=choices(vocabularies.ActivityKind))
    description = TextAreaField(_l("What was done"), validators=[DataRequired(), Length(max=2000)])
    on = DateField(_l("Date"), validators=[InputRequired()])
    save = SubmitField(_l("Record the activity"))


class FundingForm(IdempotentForm):
    source = SelectField(_l("Source"), choices=choices(vocabularies.FundingSource))
    funder = StringField(_l("Funder"), validators=[Optional(), Length(max=2000)])
    amount = StringField(_l("Amount"), validators=[DataRequired(), Length(max=30)])
    currency = SelectField(_l("Currency"), choices=choices(vocabularies.Currency))
    state = SelectField(_l("Committed or received"), choices=choices(vocabularies.FundingState))
    on = DateField(_l("Date"), validators=[InputRequired()])
    save = SubmitField(_l("Add the funding line"))


class AssessmentForm(IdempotentForm):
    conclusion = SelectField(_l("Conclusion"), choices=choices(vocabularies.Conclusion))
    what = StringField(_l("What was measured"), validators=[Optional(), Length(max=2000)])
    before = StringField(_l("Before"), validators=[Optional(), Length(max=30)])
    before_period = StringField(_l("Before: when (e.g. 2014)"), validators=[Optional(), Length(max=40)])
    after = StringField(_l("After"), validators=[Optional(), Length(max=30)])
    after_period = StringField(_l("After: when (e.g. 2015)"), validators=[Optional(), Length(max=40)])
    source = SelectField(_l("Source of the numbers"), choices=choices(vocabularies.AnalysisSource))
    reason = TextAreaField(_l("Or why nothing could be measured"), validators=[Optional(), Length(max=2000)])
    review_on = DateField(_l("Review on"), validators=[Optional()])
    on = DateField(_l("Date"), validators=[InputRequired()])
    save = SubmitField(_l("Record the assessment"))


class ReopenProblemForm(IdempotentForm):
    stage = SelectField(_l("Work resumes at"), choices=choices(vocabularies.SaraStage), default="analysis")
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    on = DateField(_l("Date"), validators=[InputRequired()])
    save = SubmitField(_l("Reopen the problem"))
