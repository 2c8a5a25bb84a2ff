"""The secretary blueprint: record meetings, members, follow-ups and corrections for one's own teams."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from tracker.domain.errors import DomainError, IdempotencyKeyReused
from tracker.queries import team_record
from tracker.queries.team_record import commitment_at_a_glance, meeting_commitments, members_and_meetings
from tracker.queries.teams import teams_among
from tracker.web.drafts import (
    ALREADY,
    ALREADY_OTHER,
    KEPT,
    earlier_record,
    fingerprint,
    forget_key,
    kept_form,
    kept_or,
    note_recorded,
    recorded_before,
)
from tracker.web.errors import NotAChoice, attach, chosen_id, message_for
from tracker.web.forms import (
    NO_CHOICE,
    DueDateForm,
    FollowUpForm,
    HandOverForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    ReasonForm,
    VisibilityForm,
)
from tracker.web.guards import require_secretary_of, team_of_commitment, team_of_item, team_of_meeting, team_or_404
from tracker.web.meeting_form import decision_drafts, has_errors, offer_members
from tracker.web.members import meeting_offer, member_choices, member_names_of
from tracker.web.offline import reading_viewer
from tracker.web.services import services

blueprint = Blueprint("secretary", __name__, url_prefix="/secretary")


@blueprint.before_request
@login_required
def _logged_in() -> None:
    """Every secretary page needs a login; each view then checks the team."""


@blueprint.get("/")
def home() -> str:
    with services().engine.connect() as conn:
        teams = teams_among(conn, current_user.secretary_teams)
    return render_template("secretary/home.html", teams=teams)


@blueprint.get("/outbox")
def outbox() -> str:
    """What waits on this phone to be sent (filled in by static/offline.js from IndexedDB; see docs/offline.md)."""
    return render_template("secretary/outbox.html")


@blueprint.get("/teams/<uuid:team_id>")
def team(team_id: UUID) -> str:
    require_secretary_of(team_id)
    with services().engine.connect() as conn:
        members, meetings = members_and_meetings(conn, team_id)
    return render_template("secretary/team.html", team=team_or_404(team_id), members=members, meetings=meetings)


@blueprint.route("/teams/<uuid:team_id>/members/new", methods=["GET", "POST"])
def add_member(team_id: UUID) -> Any:
    require_secretary_of(team_id)
    form = MemberForm()
    if request.method == "GET":
        if (kept := kept_form(request.path)) is not None:
            form = MemberForm(formdata=kept)
            flash(KEPT)
        else:
            form.idempotency_key.data = uuid4().hex
            form.joined_on.data = services().app.today_for(team_id)
    if form.validate_on_submit():
        earlier = earlier_record(form)
        if earlier is None and (link := recorded_before()):
            return _sent_before("secretary/member_form.html", team_id, form, link, again=fingerprint())
        try:
            services().app.add_member(
                team_id,
                **form.command_values(),
                by=current_user.recorder,
                idempotency_key=form.idempotency_key.data or None,
            )
        except IdempotencyKeyReused:
            return _sent_before("secretary/member_form.html", team_id, form, url_for(".team", team_id=team_id))
        except DomainError as error:
            attach(form, error, {"on": "joined_on"})
        else:
            flash(ALREADY if earlier else _("%(name)s joined the team.", name=form.name.data))
            note_recorded(url_for(".team", team_id=team_id))
            return redirect(url_for(".team", team_id=team_id))
    return render_template("secretary/member_form.html", team=team_or_404(team_id), form=form), _status(form)


@blueprint.route("/teams/<uuid:team_id>/meetings/new", methods=["GET", "POST"])
def record_meeting(team_id: UUID) -> Any:
    require_secretary_of(team_id)
    form = MeetingForm()
    members = meeting_offer(team_id)
    offer_members(form, members)
    if request.method == "GET":
        if (kept := kept_form(request.path)) is not None:
            form = MeetingForm(formdata=kept)
            offer_members(form, members)
            flash(KEPT)
        else:
            form.idempotency_key.data = uuid4().hex
            form.held_on.data = services().app.today_for(team_id)
    elif form.add_decision.data:
        form.decisions.append_entry()
        offer_members(form, members)
        return render_template("secretary/meeting_form.html", team=team_or_404(team_id), form=form)
    if request.method == "POST" and (answer := _send_meeting(team_id, form)) is not None:
        return answer
    return render_template("secretary/meeting_form.html", team=team_or_404(team_id), form=form), _status(form)


@blueprint.get("/meetings/<uuid:meeting_id>")
def meeting(meeting_id: UUID) -> str:
    team_id = team_of_item(team_of_meeting, meeting_id)
    require_secretary_of(team_id)
    view = services().reader.meeting(meeting_id, reading_viewer(), request.path)
    team, on = team_or_404(team_id), services().app.today_for(team_id)
    with services().engine.connect() as conn:
        commitments = meeting_commitments(conn, services().reader, reading_viewer(), request.path, team, meeting_id, on)
    return render_template(
        "secretary/meeting.html",
        team=team_or_404(team_id),
        meeting=view,
        commitments=commitments,
        members=member_names_of(team_id),
        minutes_form=kept_or(MinutesForm, url_for(".correct_minutes", meeting_id=meeting_id), on=on),
        visibility_form=kept_or(VisibilityForm, url_for(".change_minutes_visibility", meeting_id=meeting_id), on=on),
        decision_visibility_forms={
            decision.id: kept_or(
                VisibilityForm,
                url_for(".change_decision_visibility", meeting_id=meeting_id, decision_id=decision.id),
                on=on,
            )
            for decision in view.decisions
        },
        annul_form=kept_or(ReasonForm, url_for(".annul_meeting", meeting_id=meeting_id), on=on),
    )


@blueprint.post("/meetings/<uuid:meeting_id>/minutes")
def correct_minutes(meeting_id: UUID) -> Any:
    return _correction(MinutesForm(), "correct_minutes", ".meeting", meeting_id, fields=("minutes",))


@blueprint.post("/meetings/<uuid:meeting_id>/visibility")
def change_minutes_visibility(meeting_id: UUID) -> Any:
    return _correction(VisibilityForm(), "change_minutes_visibility", ".meeting", meeting_id, fields=("visibility",))


@blueprint.post("/meetings/<uuid:meeting_id>/decisions/<uuid:decision_id>/visibility")
def change_decision_visibility(meeting_id: UUID, decision_id: UUID) -> Any:
    form = VisibilityForm()
    return _correction(form, "change_decision_visibility", ".meeting", meeting_id, decision_id, fields=("visibility",))


@blueprint.post("/meetings/<uuid:meeting_id>/annul")
def annul_meeting(meeting_id: UUID) -> Any:
    return _correction(ReasonForm(), "annul_meeting", ".meeting", meeting_id)


@blueprint.get("/teams/<uuid:team_id>/follow-ups")
def follow_ups(team_id: UUID) -> str:
    """Commitments still open, the overdue ones first, each with its reference."""
    require_secretary_of(team_id)
    team, today = team_or_404(team_id), services().app.today_for(team_id)
    with services().engine.connect() as conn:
        commitments = team_record.follow_ups(conn, services().reader, reading_viewer(), request.path, team, today)
    return render_template(
        "secretary/follow_ups.html", team=team, commitments=commitments, members=member_names_of(team_id), today=today
    )


@blueprint.get("/commitments/<uuid:commitment_id>")
def commitment(commitment_id: UUID) -> str:
    team_id = team_of_item(team_of_commitment, commitment_id)
    require_secretary_of(team_id)
    return _commitment_page(commitment_id, team_id)


@blueprint.post("/commitments/<uuid:commitment_id>/follow-up")
def report_follow_up(commitment_id: UUID) -> Any:
    done = _("The follow-up was recorded.")
    return _commitment_action(commitment_id, FollowUpForm(), "follow_up_form", "report_follow_up", done)


@blueprint.post("/commitments/<uuid:commitment_id>/due-date")
def revise_due_date(commitment_id: UUID) -> Any:
    done = _("The due date was revised.")
    return _commitment_action(commitment_id, DueDateForm(), "due_date_form", "revise_due_date", done)


@blueprint.post("/commitments/<uuid:commitment_id>/hand-over")
def hand_over(commitment_id: UUID) -> Any:
    done = _("The commitment was handed over.")
    return _commitment_action(
        commitment_id, HandOverForm(), "hand_over_form", "hand_over", done, aliases={"owner": "owner_member_id"}
    )


@blueprint.post("/commitments/<uuid:commitment_id>/visibility")
def change_commitment_visibility(commitment_id: UUID) -> Any:
    form = VisibilityForm()
    return _correction(form, "change_commitment_visibility", ".commitment", commitment_id, fields=("visibility",))


@blueprint.post("/commitments/<uuid:commitment_id>/reopen")
def reopen_commitment(commitment_id: UUID) -> Any:
    return _correction(ReasonForm(), "reopen_commitment", ".commitment", commitment_id)


# What the views share


def _commitment_action(
    commitment_id: UUID,
    form: Any,
    form_name: str,
    command: str,
    done: str,
    aliases: dict[str, str] | None = None,
) -> Any:
    """A form posted from a commitment's page: run the command of that name with the form's values, then go back;
    or show the page again with its messages."""
    team_id = team_of_item(team_of_commitment, commitment_id)
    require_secretary_of(team_id)
    if hasattr(form, "owner_member_id"):
        form.owner_member_id.choices = member_choices(team_id)
    if form.validate_on_submit():
        earlier = earlier_record(form)
        if earlier is None and recorded_before():  # the same report sent again under a new key (Back, send)
            flash(ALREADY)
            return redirect(url_for(".commitment", commitment_id=commitment_id))
        try:
            getattr(services().app, command)(
                commitment_id,
                **form.command_values(),
                by=current_user.recorder,
                idempotency_key=form.idempotency_key.data or None,
            )
        except IdempotencyKeyReused:  # sent before with other content: the commitment's page shows what was
            forget_key(form)
            flash(ALREADY_OTHER)
            return redirect(url_for(".commitment", commitment_id=commitment_id))
        except DomainError as error:
            attach(form, error, aliases)
        else:
            flash(ALREADY if earlier else done)
            note_recorded(url_for(".commitment", commitment_id=commitment_id))
            return redirect(url_for(".commitment", commitment_id=commitment_id))
    return _commitment_page(commitment_id, team_id, **{form_name: form}), 422


def _correction(
    form: Any, command: str, page: str, item_id: UUID, *ids: UUID, fields: tuple[str, ...] = ()
) -> Response:
    """A correction posted from a meeting's or a commitment's page (`page`): record it with its date, reason and
    `fields`, or go back with the reason it was refused."""
    team_of = team_of_meeting if page == ".meeting" else team_of_commitment
    back = url_for(page, **{"meeting_id" if page == ".meeting" else "commitment_id": item_id})
    require_secretary_of(team_of_item(team_of, item_id))
    if not form.validate_on_submit():
        for field, messages in form.errors.items():
            flash(f"{getattr(form, field).label.text}: {' '.join(map(str, messages))}", "error")
        return redirect(back)
    values = {name: getattr(form, name).data for name in fields}
    try:
        getattr(services().app, command)(
            item_id, *ids, reason=form.reason.data, on=form.on.data, by=current_user.recorder, **values
        )
    except DomainError as error:
        flash(message_for(error), "error")
    else:
        flash(_("The correction was recorded."))
    return redirect(back)


def _commitment_page(commitment_id: UUID, team_id: UUID, **forms: Any) -> str:
    view = services().reader.commitment(commitment_id, reading_viewer(), request.path)
    team, today = team_or_404(team_id), services().app.today_for(team_id)
    with services().engine.connect() as conn:
        glance = commitment_at_a_glance(conn, team, commitment_id, view.made_on, today)
    if glance is None:  # recorded, not yet in the read models: say so, and look again in a moment
        return render_template("secretary/processing.html", team=team, commitment=view)
    reference, overdue, meetings = glance
    names = ("report_follow_up", "revise_due_date", "hand_over", "reopen_commitment", "change_commitment_visibility")
    actions = {name: url_for(f".{name}", commitment_id=commitment_id) for name in names}
    follow_up = forms.get("follow_up_form") or kept_or(
        FollowUpForm, actions["report_follow_up"], on=today, idempotency_key=uuid4().hex
    )
    follow_up.meeting_id.choices = [NO_CHOICE] + [SelectChoice(m.meeting_id, m.held_on.isoformat()) for m in meetings]
    hand_over_form = forms.get("hand_over_form") or kept_or(
        HandOverForm, actions["hand_over"], on=today, idempotency_key=uuid4().hex
    )
    hand_over_form.owner_member_id.choices = member_choices(team_id)
    return render_template(
        "secretary/commitment.html",
        team=team,
        commitment=view,
        reference=reference,
        members=member_names_of(team_id),
        overdue=overdue,
        follow_up_form=follow_up,
        due_date_form=forms.get("due_date_form")
        or kept_or(DueDateForm, actions["revise_due_date"], on=today, due_on=view.due_on, idempotency_key=uuid4().hex),
        hand_over_form=hand_over_form,
        visibility_form=kept_or(VisibilityForm, actions["change_commitment_visibility"], on=today),
        reopen_form=kept_or(ReasonForm, actions["reopen_commitment"], on=today),
    )


def _send_meeting(team_id: UUID, form: MeetingForm) -> Any:
    """Record the meeting sent, and answer where to go; or put every error on its field at once (the form's own
    checks, the rows', and the domain's, run as a check only when the form has errors already) and answer None."""
    valid = form.validate_on_submit()
    drafts, rows = decision_drafts(form)
    attendee_ids = []
    for member_id in form.attendee_ids.data or []:
        try:
            attendee_ids.append(chosen_id(member_id, "attendee_ids"))
        except NotAChoice as error:
            attach(form, error)
    values = dict(
        held_on=form.held_on.data,
        kind=form.kind.data,
        place=form.place.data or "",
        attendee_ids=attendee_ids,
        guests_female=form.guests_female.data or 0,
        guests_male=form.guests_male.data or 0,
        agenda=(form.agenda.data or "").splitlines(),
        minutes=form.minutes.data or "",
        minutes_visibility=form.minutes_visibility.data,
        decisions=drafts,
        by=current_user.recorder,
    )
    complete = valid and not has_errors(form)
    earlier = earlier_record(form) if complete else None
    if complete and earlier is None and (link := recorded_before()):
        return _sent_before("secretary/meeting_form.html", team_id, form, link, again=fingerprint())
    try:
        if complete:
            recorded = services().app.record_meeting(
                team_id, **values, idempotency_key=form.idempotency_key.data or None
            )
        elif form.held_on.data is not None:
            services().app.record_meeting(team_id, **values, check_only=True)
    except IdempotencyKeyReused:
        earlier = earlier_record(form) or {}
        link = url_for(".meeting", meeting_id=earlier["id"]) if "id" in earlier else None
        return _sent_before("secretary/meeting_form.html", team_id, form, link)
    except DomainError as error:
        attach(form, error, {"on": "held_on", "attendees": "attendee_ids", "owner": "owner_member_id"}, rows=rows)
    else:
        if complete:
            flash(ALREADY if earlier else _("The meeting was recorded."))
            note_recorded(url_for(".meeting", meeting_id=recorded.id))
            return redirect(url_for(".meeting", meeting_id=recorded.id))
    return None


def _sent_before(
    template: str, team_id: UUID, form: Any, link: str | None, again: str | None = None
) -> tuple[str, int]:
    """The form was recorded before: its key with other content (Back, an edit, send), or its very content under
    a new key (Back where the browser restored the fields, not the key). Say it is recorded, link to it, and keep
    the form with a new key, so that sending it once more is a deliberate second record (`again`)."""
    form.idempotency_key.data = uuid4().hex
    page = render_template(template, team=team_or_404(team_id), form=form, recorded=link or True, again=again)
    return page, 409


def _status(form: Any) -> int:
    """A form shown again after a POST was refused: 422, with its messages on the fields."""
    return 422 if request.method == "POST" else 200
