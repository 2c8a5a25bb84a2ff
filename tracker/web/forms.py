"""The recording forms (Flask-WTF: CSRF on each, server-side validation with field-level messages)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

VISIBILITY = [("public", _l("Public")), ("team", _l("Team only")), ("confidential", _l("Confidential"))]
STATUSES = [
    ("in_progress", _l("In progress")),
    ("kept", _l("Kept")),
    ("partly_kept", _l("Partly kept")),
    ("not_kept", _l("Not kept")),
    ("withdrawn", _l("Withdrawn")),
]
MEETING_KINDS = [
    ("regular", _l("Regular")),
    ("extraordinary", _l("Extraordinary")),
    ("town_meeting", _l("Town meeting")),
    ("exchange", _l("Experience exchange")),
]
ROLES = [("member", _l("Member")), ("chair", _l("Chair")), ("secretary", _l("Secretary"))]
SECTORS = [
    ("police", _l("Police")),
    ("local_government", _l("Local government")),
    ("elders", _l("Elders' court")),
    ("womens_committee", _l("Women's committee")),
    ("youth_committee", _l("Youth committee")),
    ("religious_leader", _l("Religious leader")),
    ("school", _l("School")),
    ("civil_society", _l("Civil society")),
    ("activist", _l("Community activist")),
]
GENDERS = [("female", _l("Woman")), ("male", _l("Man"))]
AGE_BANDS = [
    ("under_18", _l("Under 18")),
    ("18_29", "18–29"),
    ("30_44", "30–44"),
    ("45_59", "45–59"),
    ("60_plus", _l("60 and over")),
]
DISPLAYS = [("full_name", _l("Full name")), ("initials", _l("Role and initials only"))]
COUNTRIES = [("KG", _l("Kyrgyzstan")), ("TJ", _l("Tajikistan")), ("UZ", _l("Uzbekistan"))]
TEAM_KINDS = [("CPPT", "CPPT"), ("LCPC", "LCPC")]


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class IdempotentForm(FlaskForm):
    """A form whose hidden key makes a double submit record once."""

    idempotency_key = HiddenField()


class TeamForm(IdempotentForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    code = StringField(_l("Short code (optional)"), validators=[Optional(), Length(max=8)])
    kind = SelectField(_l("Kind"), choices=TEAM_KINDS)
    country = SelectField(_l("Country"), choices=COUNTRIES)
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=200)])
    district = StringField(_l("District"), validators=[DataRequired(), Length(max=200)])
    municipality = StringField(_l("Municipality"), validators=[DataRequired(), Length(max=200)])
    registered_on = DateField(_l("Registered on"), validators=[InputRequired()])


class MemberForm(IdempotentForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLES)
    sector = SelectField(_l("Represents"), choices=SECTORS)
    gender = SelectField(_l("Gender"), choices=GENDERS)
    age_band = SelectField(_l("Age"), choices=AGE_BANDS)
    public_display = SelectField(_l("Shown on public reports by"), choices=DISPLAYS)
    joined_on = DateField(_l("Joined on"), validators=[InputRequired()])


class CommitmentEntry(Form):
    description = TextAreaField(_l("Who will do what"), validators=[Optional(), Length(max=2000)])
    owner_member_id = SelectField(_l("Owner (member)"), choices=[], validate_choice=False)
    owner_body = StringField(_l("…or a body the team names"), validators=[Optional(), Length(max=200)])
    due_on = DateField(_l("Due on"), validators=[Optional()])
    # Rows left blank are skipped, so their choices are checked only when used (by the domain).
    visibility = SelectField(_l("Visibility"), choices=VISIBILITY, default="team", validate_choice=False)


class DecisionEntry(Form):
    text = TextAreaField(_l("Decision"), validators=[Optional(), Length(max=2000)])
    visibility = SelectField(_l("Visibility"), choices=VISIBILITY, default="team", validate_choice=False)
    commitments = FieldList(FormField(CommitmentEntry), min_entries=2)


class MeetingForm(IdempotentForm):
    held_on = DateField(_l("Held on"), validators=[InputRequired()])
    kind = SelectField(_l("Kind of meeting"), choices=MEETING_KINDS)
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=500)])
    attendee_ids = CheckboxList(_l("Members present"), choices=[], validate_choice=False)
    guests_female = IntegerField(_l("Guests: women"), default=0, validators=[Optional(), NumberRange(min=0, max=10000)])
    guests_male = IntegerField(_l("Guests: men"), default=0, validators=[Optional(), NumberRange(min=0, max=10000)])
    agenda = TextAreaField(_l("Agenda (one item a line)"), validators=[Optional(), Length(max=5000)])
    minutes = TextAreaField(_l("Minutes"), validators=[Optional(), Length(max=50000)])
    minutes_visibility = SelectField(_l("Minutes visible to"), choices=VISIBILITY, default="team")
    decisions = FieldList(FormField(DecisionEntry), min_entries=2)
    add_decision = SubmitField(_l("Add another decision"))
    save = SubmitField(_l("Record the meeting"))


class FollowUpForm(IdempotentForm):
    on = DateField(_l("Date"), validators=[InputRequired()])
    status = SelectField(_l("Status"), choices=STATUSES)
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


class ReasonForm(FlaskForm):
    """A correction: the corrected text (where there is one), the date and the reason."""

    on = DateField(_l("Date"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class MinutesForm(ReasonForm):
    minutes = TextAreaField(_l("Corrected minutes"), validators=[DataRequired(), Length(max=50000)])


class VisibilityForm(ReasonForm):
    visibility = SelectField(_l("New visibility"), choices=VISIBILITY)


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Name shown"), validators=[Optional(), Length(max=200)])
    password = StringField(_l("First password (at least 10 characters)"), validators=[DataRequired(), Length(max=512)])


ACCOUNT_ROLES = [
    ("secretary", _l("Secretary")),
    ("member", _l("Member")),
    ("auditor", _l("Auditor")),
    ("admin", _l("Administrator")),
]


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ACCOUNT_ROLES)
    team_id = SelectField(_l("Team"), choices=[], validate_choice=False)


ERASURE_REASONS = [
    ("person_request", _l("A person named in it asked")),
    ("published_by_mistake", _l("Published by mistake")),
    ("court_order", _l("Court order")),
]


class ErasureForm(FlaskForm):
    item_id = StringField(_l("Meeting, decision or commitment id"), validators=[DataRequired(), Length(max=64)])
    reason = SelectField(_l("Reason"), choices=ERASURE_REASONS)
