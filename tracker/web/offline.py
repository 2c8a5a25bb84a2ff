"""The secretary's pages as an installable web app that keeps working offline (docs/offline.md).

- `/secretary/sw.js`, the service worker (its scope is `/secretary/`): it keeps device copies of the pages for
  recording, serves them when there is no connection, and keeps a form sent without a connection in the outbox
  (IndexedDB) until the JSON API has acknowledged it. Its version is a digest of the files it keeps, so any change
  to them installs a new worker; the outbox is never touched by an update.
- `/secretary/offline.json`, the pages to keep for the secretary's own teams: the meeting form, the follow-ups with
  each open commitment's page (follow-up, due date, hand-over), the roster; and the outbox page.
- A page asked for with `X-Device-Copy: 1` is rendered for the phone: confidential text is left out (shown as
  confidential, by its reference), and the page says when it was copied, in the team's time.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from tracker.domain.access import Viewer
from tracker.queries.commitments import still_open
from tracker.queries.teams import teams_among
from tracker.web.services import services

blueprint = Blueprint("offline", __name__, url_prefix="/secretary")
DEVICE_COPY_HEADER = "X-Device-Copy"
# What a page or the service worker fetches while the person does something else: never sets the session cookie.
BACKGROUND = {"static", "offline.service_worker", "offline.manifest", "offline.pages_to_keep", "api.SignedInSession"}
STATIC = Path(__file__).resolve().parents[2] / "static"
KEPT_FILES = (
    "tracker.css",
    "drafts.js",
    "outbox.js",
    "offline.js",
    "sw.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
)


def init_offline(app: Any) -> None:
    app.before_request(_note_device_copy)
    app.session_interface = QuietInTheBackground()
    app.jinja_env.globals.update(device_copy=is_device_copy, outbox_words=outbox_words, copied_when=copied_when)


def _note_device_copy() -> None:
    g.device_copy = request.method == "GET" and request.headers.get(DEVICE_COPY_HEADER) == "1"
    g.in_the_background = g.device_copy or request.endpoint in BACKGROUND or request.endpoint is None  # or a 404


class QuietInTheBackground(SecureCookieSessionInterface):
    """The session is a signed cookie: a request answered while the person does something else (the phone copying
    pages, the outbox asking for its token) must not set it, or an answer arriving late would put back the cookie
    as it was before (a language just chosen, a message to show, a kept form). Such a request writes the cookie
    only when it changed the session itself."""

    def should_set_cookie(self, app: Any, session: Any) -> bool:
        if g.get("in_the_background"):
            return bool(session.modified) and not g.get("device_copy")
        return super().should_set_cookie(app, session)


def is_device_copy() -> bool:
    """This page is being copied to the secretary's phone: no confidential text in it."""
    return bool(getattr(g, "device_copy", False))


def reading_viewer() -> Viewer:
    """Who a secretary's page is read as: the secretary; or, for a copy kept on the phone, someone who reads what
    the team reads (public and team text) and nothing confidential."""
    viewer: Viewer = current_user.viewer
    if not is_device_copy():
        return viewer
    return Viewer(name=viewer.name, member_of=viewer.member_of | viewer.secretary_of)


def copied_when(team: Any = None) -> dict[str, str]:
    """When a device copy is made, in the team's time zone (the app's clock): its date, for the script that puts
    the phone's own date into the forms, and the time shown on the page ("as of ...")."""
    from tracker.web.recordings import local_time

    zone = getattr(team, "time_zone", None) or "UTC"
    now = services().app.clock()
    return {"on": now.astimezone(ZoneInfo(zone)).date().isoformat(), "zone": zone, "shown": local_time(now, zone)}


@blueprint.get("/sw.js")
def service_worker() -> Response:
    """The service worker, served from /secretary/ so that its scope is the secretary's pages; never cached by
    the browser's HTTP cache, so a new version is seen at the next visit."""
    script = (STATIC / "sw.js").read_text(encoding="utf-8").replace("__VERSION__", offline_version())
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.get("/manifest.webmanifest")
def manifest() -> Response:
    """What makes the secretary's pages installable: name, start page, scope and icons."""
    body = {
        "name": _("Partnership Tracker"),
        "short_name": _("Tracker"),
        "description": _("Record meetings and follow-ups, with or without a connection."),
        "start_url": url_for("secretary.home"),
        "scope": url_for("secretary.home"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4e89",
        "icons": [
            {
                "src": url_for("static", filename=f"icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@blueprint.get("/offline.json")
@login_required
def pages_to_keep() -> Response:
    """The pages to keep on the phone for the secretary's own teams, and whose they are."""
    teams = current_user.secretary_teams
    pages = [url_for("secretary.home"), url_for("secretary.outbox")]
    with services().engine.connect() as conn:
        for team in teams_among(conn, teams):
            team_id = _uuid(team.team_id)
            today = services().app.today_for(team_id)
            pages += [
                url_for("secretary.team", team_id=team_id),
                url_for("secretary.record_meeting", team_id=team_id),
                url_for("secretary.follow_ups", team_id=team_id),
            ]
            pages += [
                url_for("secretary.commitment", commitment_id=row.commitment_id)
                for row in still_open(conn, team_id, today)
            ]
    body = {"user": current_user.user.id.hex, "pages": pages}
    response = Response(json.dumps(body), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


def offline_version() -> str:
    """The service worker's version: set in the config (tests), else a digest of the files it keeps."""
    return current_app.config.get("OFFLINE_VERSION") or _files_digest()


@cache
def _files_digest() -> str:
    digest = hashlib.sha256()
    for name in KEPT_FILES:
        digest.update((STATIC / name).read_bytes())
    return digest.hexdigest()[:16]


def outbox_words() -> str:
    """The words static/outbox.js shows, in the reader's language, as JSON for a data block on the page. A count
    has its forms by CLDR plural category (the script picks one with Intl.PluralRules)."""
    from babel import Locale
    from flask_babel import get_locale

    locale: Locale = get_locale() or Locale("en")

    def counted(render: Any) -> dict[str, str]:
        forms: dict[str, str] = {}
        for number in range(0, 200):
            category = locale.plural_form(number)
            if category not in forms:
                forms[category] = render(number)
        forms.setdefault("other", render(5))
        return forms

    words = {
        "unsent": counted(lambda n: ngettext("%(count)s unsent", "%(count)s unsent", n, count="{n}")),
        "login": counted(
            lambda n: ngettext("Log in to send %(count)s item", "Log in to send %(count)s items", n, count="{n}")
        ),
        "logout": counted(
            lambda n: ngettext(
                "%(count)s item not sent: send it first, or discard it?",
                "%(count)s items not sent: send them first, or discard them?",
                n,
                count="{n}",
            )
        ),
        "sent": counted(lambda n: ngettext("%(count)s item sent.", "%(count)s items sent.", n, count="{n}")),
        "send_first": _("Send first"),
        "discard_all": _("Discard and log out"),
        "cancel": _("Cancel"),
        "send_now": _("Send now"),
        "edit": _("Edit"),
        "discard": _("Discard"),
        "waiting": _("Waiting for a connection"),
        "refused": _("Refused: %(reason)s", reason="{reason}"),
        "other_content": _(
            "This item's key was used before for other content. Edit it to send it as a new record, or discard it."
        ),
        "other_account": _("Kept for another account: log in as that account to send it."),
        "empty": _("Nothing waits to be sent from this phone."),
        "kept": _("No connection: this was kept on this phone and will be sent when the connection returns."),
        "not_kept": _("This page is not kept on this phone. Without a connection, the pages for recording are."),
        "needs_connection": _("This needs a connection and was not sent. Send it again when the connection returns."),
        "no_storage": _("This browser keeps nothing on the phone (private browsing?): record with a connection."),
        "still_waiting": _("Still no connection: the items wait on this phone."),
        "recorded_on": _("held or done on %(date)s", date="{date}"),
    }
    return json.dumps(words, ensure_ascii=False)


def _uuid(value: Any) -> Any:
    from uuid import UUID

    return value if isinstance(value, UUID) else UUID(str(value))
