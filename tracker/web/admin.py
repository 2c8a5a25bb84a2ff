"""The admin blueprint: register teams, manage users and their roles, erase an item's text."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from tracker.domain.errors import DomainError
from tracker.domain.values import Country, Region
from tracker.queries.accounts import all_accounts
from tracker.queries.erasable import ErasableItem, erasable_item
from tracker.queries.teams import all_teams
from tracker.web.errors import attach, chosen_id, message_for
from tracker.web.forms import ErasureForm, RegionForm, RoleForm, TeamForm, UserForm, region_choices
from tracker.web.guards import require_admin
from tracker.web.services import services

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.before_request
@login_required
def _admins_only() -> None:
    require_admin()


@blueprint.get("/")
def home() -> str:
    """The admin's home: teams, users, erasure and the audit pages, one link each."""
    with services().engine.connect() as conn:
        team_count, account_count = len(all_teams(conn)), len(all_accounts(conn))
    return render_template("admin/home.html", team_count=team_count, account_count=account_count)


@blueprint.route("/teams", methods=["GET", "POST"])
def teams() -> Any:
    form = TeamForm()
    if request.method == "GET":
        form.idempotency_key.data = uuid4().hex
    if form.validate_on_submit():
        try:
            team_id = services().app.register_team(
                **form.command_values(),
                by=current_user.recorder,
                idempotency_key=form.idempotency_key.data or None,
            )
        except DomainError as error:
            attach(form, error)
        else:
            flash(_("The team %(code)s was registered.", code=services().app.team(team_id).code))
            return redirect(url_for(".teams"))
    with services().engine.connect() as conn:
        registered = all_teams(conn)
    status = 422 if request.method == "POST" else 200
    region_codes = {region.value for region in Region}
    return render_template("admin/teams.html", form=form, teams=registered, region_codes=region_codes), status


@blueprint.route("/teams/<uuid:team_id>/region", methods=["GET", "POST"])
def team_region(team_id: UUID) -> Any:
    """Choose a team's region from its country's list (teams registered before the list wrote it by hand)."""
    team = services().app.team(team_id)
    form = RegionForm()
    form.region.choices = region_choices(Country(team.country_code))
    if request.method == "GET":
        form.idempotency_key.data = uuid4().hex
        form.region.data = team.region
    if form.validate_on_submit():
        try:
            services().app.choose_team_region(
                team_id,
                region=form.region.data,
                by=current_user.recorder,
                idempotency_key=form.idempotency_key.data or None,
            )
        except DomainError as error:
            attach(form, error)
        else:
            flash(_("The team %(code)s's region was recorded.", code=team.code))
            return redirect(url_for(".teams"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/team_region.html", form=form, team=team), status


@blueprint.route("/users", methods=["GET", "POST"])
def users() -> Any:
    form = UserForm()
    if form.validate_on_submit():
        try:
            services().app.register_user(
                username=form.username.data,
                display_name=form.display_name.data or "",
                password=form.password.data,
                by=current_user.recorder,
            )
        except DomainError as error:
            attach(form, error)
        else:
            flash(_("The account %(name)s was created; grant it a role.", name=form.username.data))
            return redirect(url_for(".users"))
    return render_template("admin/users.html", form=form, **_users_page()), 422 if request.method == "POST" else 200


@blueprint.post("/users/<uuid:user_id>/roles")
def grant_role(user_id: UUID) -> Any:
    return _role_change(user_id, grant=True)


@blueprint.post("/users/<uuid:user_id>/roles/revoke")
def revoke_role(user_id: UUID) -> Any:
    return _role_change(user_id, grant=False)


@blueprint.route("/erase", methods=["GET", "POST"])
def erase() -> Any:
    """Two steps: the item named (by reference or id) is shown for the admin to confirm; only then is it erased."""
    form = ErasureForm()
    if not form.validate_on_submit():
        form.confirmed.data = ""  # a form shown again always asks for confirmation again
        return render_template("admin/erase.html", form=form), 422 if request.method == "POST" else 200
    named = (form.item_id.data or "").strip()
    with services().engine.connect() as conn:
        item = erasable_item(conn, services().reader, current_user.viewer, request.path, named)
    if item is None:
        form.item_id.errors = [_("No meeting, decision, commitment, problem or member %(item)s was found.", item=named)]
        form.confirmed.data = ""
        return render_template("admin/erase.html", form=form), 422
    if form.confirmed.data != item.item_id.hex:  # the first step, or the name now points elsewhere: ask again
        form.confirmed.data = item.item_id.hex
        return render_template("admin/erase_confirm.html", form=form, item=item, named=named)
    try:
        services().erase_item(item.item_id, reason=form.reason.data, by=current_user.recorder)
    except DomainError as error:
        attach(form, error)
        form.confirmed.data = ""
        return render_template("admin/erase.html", form=form), 422
    flash(_erased_message(item))
    return redirect(url_for(".erase"))


def _erased_message(item: ErasableItem) -> str:
    if item.kind == "commitment":
        return _(
            "The text of commitment %(reference)s (id %(id)s) was destroyed for good, with its decision's text.",
            reference=item.reference,
            id=item.item_id,
        )
    if item.kind == "decision":
        return _("The text of the decision %(id)s was destroyed for good, with its commitments' text.", id=item.item_id)
    if item.kind == "problem":
        return _(
            "The text of the problem %(id)s was destroyed for good: its category, stage, dates and counts stay.",
            id=item.item_id,
        )
    if item.kind == "member":
        return _(
            "The name of the member %(id)s was destroyed for good: reports show an erased member, with their sector, "
            "dates and commitments.",
            id=item.item_id,
        )
    return _("The minutes, agenda and place of the meeting %(id)s were destroyed for good.", id=item.item_id)


def _role_change(user_id: UUID, *, grant: bool) -> Any:
    form = RoleForm()
    form.team_id.choices = _team_choices()
    if form.validate_on_submit():
        command = services().app.grant_role if grant else services().app.revoke_role
        try:
            team_id = chosen_id(form.team_id.data, "team_id")
            command(user_id, role=form.role.data, team_id=team_id, by=current_user.recorder)
        except DomainError as error:
            flash(message_for(error), "error")
        else:
            flash(_("The role was granted.") if grant else _("The role was revoked."))
    return redirect(url_for(".users"))


def _users_page() -> dict[str, Any]:
    with services().engine.connect() as conn:
        accounts = all_accounts(conn)
        team_codes = {team.team_id: team.code for team in all_teams(conn)}
    role_form = RoleForm()
    role_form.team_id.choices = _team_choices()
    return {"accounts": accounts, "team_codes": team_codes, "role_form": role_form}


def _team_choices() -> list[SelectChoice]:
    with services().engine.connect() as conn:
        return [SelectChoice("", _("Every team"))] + [
            SelectChoice(t.team_id, f"{t.code} · {t.name}") for t in all_teams(conn)
        ]
