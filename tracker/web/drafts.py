"""Typed work is never lost or doubled.

- A form refused because the session ended (no CSRF session, or a login session closed meanwhile) is kept on the
  server, sealed, for two hours (tracker.stashed_forms); the refusal page says so and offers to log in again.
  Afterwards the form's page shows it filled in, with its idempotency key, for the user to check and send: it is
  never sent by itself.
- A form whose idempotency key was already recorded (sent twice, or Back and send again) is not an error: the page
  says it was recorded and links to the record; the form comes back with a new key, so a second record is always a
  deliberate one.
- With JavaScript, static/drafts.js also keeps each form's draft in the browser (see there).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, g, render_template, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from tracker.stashed_forms import StashedForm
from tracker.web.services import services

KEPT_FOR = ("secretary",)  # where work is typed (never the admin's forms with passwords, tokens or the API)
KEEPING_LIMIT = "20 per hour"  # forms kept for one address: the table cannot be filled by a stranger
MAX_KEPT_CHARACTERS = 200_000  # a meeting's minutes are 50,000 at most
SESSION_KEY = "kept_form"
RECENT = "recent_records"  # the last few forms recorded in this session: their fingerprints and records
RECENT_KEPT = 5
RECORDED_KEYS = "recorded_keys"
NOT_CONTENT = ("csrf_token", "idempotency_key", "again", "save", "add_decision")
ALREADY = _l("This form was already sent: it is recorded once, here.")
ALREADY_OTHER = _l("This form was already sent, and it is recorded; what was sent again differs and was not recorded.")
KEPT = _l("This is what you typed before your session ended. Nothing was recorded yet: check it, then send it.")


def keep_refused_form() -> tuple[str, str] | None:
    """Keep the form of a POST that cannot be taken now; its token and the page to come back to, or None when
    nothing was typed (or it is a form that is never kept)."""
    if request.method != "POST" or request.blueprint not in KEPT_FOR:
        return None
    fields = [(name, value) for name, value in request.form.items(multi=True) if name != "csrf_token"]
    if not any(value.strip() for name, value in fields if name != "idempotency_key"):
        return None
    if sum(len(name) + len(value) for name, value in fields) > MAX_KEPT_CHARACTERS or not _may_keep():
        return None
    page = _page_showing(_same_site_path(request.referrer) or request.path)
    token = services().stashed_forms.keep(StashedForm(request.path, page, fields))
    return token, page


def _may_keep() -> bool:
    """At most KEEPING_LIMIT kept forms an hour from one address (the rate limits' own storage)."""
    from limits import parse

    from tracker.web.limits import limiter

    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    return bool(limiter.limiter.hit(parse(KEEPING_LIMIT), "kept-forms", request.remote_addr or "-"))


def _page_showing(path: str) -> str:
    """The page a form is on: the path itself when it can be opened, else the nearest one above it (a form
    refused with a 422 is shown at its POST-only address, /commitments/<id>/follow-up: its page is the commitment)."""
    adapter = current_app.url_map.bind("localhost")
    while path.count("/") > 1:
        try:
            adapter.match(path, method="GET")
            return path
        except Exception:
            path = path.rsplit("/", 1)[0]
    return path


def refusal_page(token: str, page: str, status: int) -> tuple[str, int]:
    """Nothing was recorded, nothing is lost: log in again (or, still logged in, come back) to get the form."""
    from tracker.web.auth import LoginForm

    form = None if current_user.is_authenticated else LoginForm(formdata=None)
    return render_template("drafts/kept.html", token=token, page=page, form=form), status


def take_back(token: str, page: str) -> None:
    """Remember, in the session of whoever logged in with it, which kept form to show on `page`."""
    session[SESSION_KEY] = {"token": token, "page": page}


def kept_form(action: str) -> MultiDict[str, str] | None:
    """The form kept for `action`, when this page is the one it came from and its user came back for it: its
    fields as a form's data, once."""
    if "kept_form" not in g:
        g.kept_form = None
        wanted = None if g.get("device_copy") else session.get(SESSION_KEY)  # the phone's copy takes nothing
        if isinstance(wanted, dict) and wanted.get("page") == request.path and request.method == "GET":
            session.pop(SESSION_KEY)
            g.kept_form = services().stashed_forms.take(str(wanted.get("token")), request.path)
    kept: StashedForm | None = g.kept_form
    if kept is None or kept.action != action:
        return None
    return MultiDict(kept.fields)


def forget_key(form: Any) -> None:
    """Tell the browser (static/drafts.js) to drop its draft of this form: its key is used up."""
    if key := getattr(getattr(form, "idempotency_key", None), "data", None):
        session[RECORDED_KEYS] = [*session.get(RECORDED_KEYS, []), key][-RECENT_KEPT:]


def forget_drafts() -> None:
    """At login and logout: nothing of the last user's drafts stays in the session for the next one."""
    for name in (SESSION_KEY, RECENT, RECORDED_KEYS):
        session.pop(name, None)


def earlier_record(form: Any) -> dict[str, Any] | None:
    """What the form's idempotency key already recorded (its answer), or None when it is new."""
    key = getattr(form, "idempotency_key", None)
    if key is None or not key.data:
        return None
    return services().app.recorded_with(current_user.recorder, key.data)


def fingerprint() -> str:
    """A keyed digest of the posted form's content (not its key or token), as sent to this path."""
    fields = sorted((name, value) for name, value in request.form.items(multi=True) if name not in NOT_CONTENT)
    message = repr((request.path, fields)).encode()
    return hmac.new(current_app.secret_key.encode(), message, hashlib.sha256).hexdigest()[:32]  # type: ignore[union-attr]


def note_recorded(link: str) -> None:
    """Remember that the posted form was recorded, and where its record is; the next page tells the browser its
    key, so that the browser's draft of it is dropped."""
    recent = [entry for entry in session.get(RECENT, []) if isinstance(entry, dict)]
    session[RECENT] = [{"fingerprint": fingerprint(), "link": link}, *recent][:RECENT_KEPT]
    if key := request.form.get("idempotency_key"):
        session[RECORDED_KEYS] = [*session.get(RECORDED_KEYS, []), key][-RECENT_KEPT:]


def recorded_keys() -> list[str]:
    """The keys recorded since the last page was shown (for static/drafts.js), once."""
    return [str(key) for key in session.pop(RECORDED_KEYS, [])] if RECORDED_KEYS in session else []


def recorded_before() -> str | None:
    """The record of a form with the very same content sent from this session under another key - Back, then send
    again, where the browser restored the fields but not the form's key - unless the user confirmed they want a
    second record (`again`). None when there is none."""
    sent = fingerprint()
    if request.form.get("again") == sent:
        return None
    for entry in session.get(RECENT, []):
        if isinstance(entry, dict) and entry.get("fingerprint") == sent:
            return str(entry.get("link") or "") or None
    return None


def _same_site_path(referrer: str | None) -> str | None:
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc != request.host or not parts.path.startswith("/"):
        return None
    return parts.path


def kept_or(form_class: Any, action: str, **defaults: Any) -> Any:
    """The form posting to `action`: as it was typed when it was kept for its user (see tracker.web.drafts), else
    fresh with its defaults."""
    if (kept := kept_form(action)) is not None:
        flash(KEPT)
        return form_class(formdata=kept)
    return form_class(formdata=None, **defaults)
