"""The auth blueprint: log in and out; who the current user is and what they may do."""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.credentials import MIN_PASSWORD_LENGTH
from tracker.domain import User
from tracker.domain.access import Viewer
from tracker.domain.errors import DomainError
from tracker.domain.values import UserRole
from tracker.queries.teams import teams_among
from tracker.web.drafts import forget_drafts, keep_refused_form, refusal_page, take_back
from tracker.web.forms import Form
from tracker.web.limits import limiter
from tracker.web.redirects import local_path
from tracker.web.services import services

blueprint = Blueprint("auth", __name__)
login_manager = LoginManager()


class Account(UserMixin):
    """The logged-in person: their user aggregate and what their roles let them read and record."""

    def __init__(self, user: User, session_token: str = "") -> None:
        self.user = user
        self.session_token = session_token
        self.viewer: Viewer = services().app.viewer_for(user)

    def get_id(self) -> str:
        """What the cookie keeps: the user and the token of their login session, whose row on the server says
        whether it is still open (logout, a new password and "sign out everywhere" close it)."""
        return f"{self.user.id.hex}:{self.session_token}"

    @property
    def name(self) -> str:
        return self.user.display_name

    @property
    def recorder(self) -> str:
        return f"user:{self.user.username}"

    @property
    def is_admin(self) -> bool:
        return self.user.has_global(UserRole.ADMIN)

    @property
    def is_auditor(self) -> bool:
        return bool(self.viewer.auditor_of) or self.viewer.auditor_of_all_teams

    def may_record_for(self, team_id: UUID) -> bool:
        return team_id in self.viewer.secretary_of

    @property
    def secretary_teams(self) -> frozenset[UUID]:
        return self.viewer.secretary_of

    @property
    def member_teams(self) -> frozenset[UUID]:
        """The teams whose team-only text this account reads as a member (the member area)."""
        return self.viewer.member_of


@login_manager.user_loader
def load_account(session_id: str) -> Account | None:
    user_hex, _, token = session_id.partition(":")
    try:
        user_id = UUID(user_hex)
    except ValueError:
        return None
    if not token or not services().app.credentials.sessions.is_open(user_id, token):
        return None  # logged out, a new password, signed out everywhere, or older than a session lives
    try:
        return Account(services().app.user(user_id), token)
    except DomainError:
        return None


def open_session(user: User) -> None:
    """Log the user in with a new login session of their own on the server."""
    token = services().app.credentials.sessions.open(user.id, request.headers.get("User-Agent", ""))
    forget_drafts()  # nothing of an earlier user's forms carries over to this one
    login_user(Account(user, token))


class LoginForm(Form):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=512)])


def _failed(response: Response) -> bool:
    """Only failed attempts count against the limits: a secretary who logs in often is never stopped."""
    return response.status_code != 302


def _account_named() -> str:
    return "account:" + (request.form.get("username") or "").strip().lower()[:64]


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"], deduct_when=_failed)
@limiter.limit("20 per minute; 100 per hour", methods=["POST"], key_func=_account_named, deduct_when=_failed)
def login() -> Any:
    form = LoginForm()
    if form.validate_on_submit():
        user = services().app.authenticate(form.username.data or "", form.password.data or "")
        if user is not None:
            open_session(user)
            if kept := request.form.get("kept_form"):  # a form kept when the last session ended: show it again
                take_back(kept, _safe_next(request.args.get("next")))
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_l("Wrong username or password."))
    return render_template("auth/login.html", form=form)


class PasswordChangeForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=512)])
    new = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=512,
                message=_l("At least %(count)s characters.", count=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    again = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))],
    )


def bearer_user_id() -> UUID | None:
    """The user whose API token the request's `Authorization: Bearer <token>` header carries, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return services().app.credentials.user_for_token(token.strip()) if scheme.lower() == "bearer" else None


@login_manager.unauthorized_handler
def _unauthorized() -> Any:
    """Not logged in (any more): a form sent meanwhile is kept, and the page says so; else to the login page."""
    if "_user_id" in session and (kept := keep_refused_form()):  # was logged in: the session was closed meanwhile
        return refusal_page(*kept, status=401)
    if not g.get("in_the_background"):  # a message for a page the person sees, not for the phone's copying
        flash(_l("Please log in to continue."))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))


@blueprint.post("/account/kept-form")
@login_required
def take_back_form() -> Response:
    """Still logged in after a refused form (its token had expired): back to its page, filled in."""
    page = _safe_next(request.form.get("next"))
    take_back(request.form.get("kept_form", ""), page)
    return redirect(page)


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def change_password() -> Any:
    """Anyone logged in changes their own password, knowing the current one; the change is in the log, the hash
    only in the credentials store."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        app, user = services().app, current_user.user
        if not app.credentials.check_password(user.id, form.current.data or ""):
            form.current.errors.append(_l("Wrong password."))
        else:
            app.change_password(user.id, password=form.new.data or "", by=current_user.recorder)
            open_session(app.user(user.id))  # a new password closed every session: this one goes on in a new one
            flash(_l("Your password is changed."))
            return redirect(_safe_next(None))
    return render_template("auth/password.html", form=form, min_length=MIN_PASSWORD_LENGTH)


@blueprint.get("/account/sessions")
@login_required
def sessions() -> str:
    """Where the account is logged in now, and a way to sign out everywhere (a phone lost, a shared computer)."""
    current = hashlib.sha256(current_user.session_token.encode()).hexdigest()
    opened = services().app.credentials.sessions.of(current_user.user.id)
    viewer = current_user.viewer
    with services().engine.connect() as conn:  # times in the zone of one of the account's teams, else UTC
        teams = teams_among(conn, viewer.secretary_of | viewer.member_of | viewer.auditor_of)
    zone = teams[0].time_zone if teams else "UTC"
    return render_template("auth/sessions.html", sessions=opened, current=current, time_zone=zone)


@blueprint.post("/account/sessions/close")
@login_required
def sign_out_everywhere() -> Response:
    services().app.credentials.sessions.close_all(current_user.user.id)
    logout_user()
    flash(_l("You are signed out everywhere."))
    return redirect(url_for("auth.login"))


@blueprint.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        services().app.credentials.sessions.close(current_user.session_token)
    forget_drafts()
    logout_user()
    flash(_l("You are logged out."))
    return redirect(url_for("public.front_page"))


def _safe_next(target: str | None) -> str:
    """An explicit `next` on this site wins; otherwise the account's own landing page."""
    return local_path(target) or landing_page()


def landing_page() -> str:
    """Where each role starts: the admin's home, the audit log, the secretary's teams, the member's team."""
    if not current_user.is_authenticated:
        return url_for("public.front_page")
    if current_user.is_admin:
        return url_for("admin.home")
    if current_user.is_auditor:
        return url_for("audit.log")
    if current_user.secretary_teams:
        return url_for("secretary.home")
    if current_user.member_teams:
        return url_for("member.home")
    return url_for("public.front_page")
