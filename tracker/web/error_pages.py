"""Error pages for people (not the API): in the site's layout and the reader's language, with what to do next;
a storage fault is a 503 that says what happened ("the server's disk is full: nothing was recorded")."""

from __future__ import annotations

import logging
import sqlite3

from eventsourcing.persistence import OperationalError as LogUnavailable
from flask import Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError as DatabaseUnavailable
from werkzeug.exceptions import HTTPException, SecurityError

from tracker.web.drafts import keep_refused_form, refusal_page
from tracker.web.problems import problem

logger = logging.getLogger("tracker.storage")

TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Please log in to continue."),
    403: _l("This page is not yours to open"),
    404: _l("There is no such page"),
    405: _l("This page cannot be used this way"),
    409: _l("This conflicts with what was already recorded"),
    413: _l("What was sent is too large"),
    422: _l("What was sent cannot be recorded"),
    429: _l("Too many tries: wait a minute, then try again"),
    503: _l("The service cannot record now"),
}
ADVICE = {
    400: _l("Check the address or the form, then try again."),
    403: _l("Log in with an account that may open it, or ask your team's secretary."),
    404: _l("The address may be mistyped, or the item was never recorded."),
    429: _l("To protect the accounts, attempts are counted for a while."),
}
CSRF = _l(
    "The form could not be sent: the page was open too long, or you were logged out meanwhile. Go back, "
    "reload the page and send it again."
)
STORAGE_CAUSES = {
    "full": _l("The server's disk is full: nothing was recorded."),
    "readonly": _l("The database cannot be written to: nothing was recorded."),
    "locked": _l("The database is busy: nothing was recorded; please send it again."),
}
UNREACHABLE = _l("The database cannot be reached: nothing was recorded.")
UNREACHABLE_CAUSES = ("connect", "connection", "server closed", "timeout", "unable to open")


def init_error_pages(app: object) -> None:
    app.register_error_handler(DatabaseUnavailable, storage_fault)  # type: ignore[attr-defined]
    app.register_error_handler(LogUnavailable, storage_fault)  # type: ignore[attr-defined]
    app.register_error_handler(sqlite3.OperationalError, storage_fault)  # type: ignore[attr-defined]


def page_for(error: HTTPException) -> tuple[str, int]:
    """An HTTP error as a page: the message our code gave (always in the reader's language), else advice."""
    status = error.code or 500
    if isinstance(error, SecurityError):  # a Host not ours: no link can be built for it, so no layout either
        return str(TITLES[400]), 400
    if isinstance(error, CSRFError):
        if kept := keep_refused_form():  # the session ended while the form was typed: keep it, say so
            return refusal_page(*kept, status=400)
        message = CSRF
    elif error.description != type(error).description:
        message = error.description
    else:
        message = ADVICE.get(status, "")
    title = TITLES.get(status, TITLES[400] if status < 500 else TITLES[503])
    return render_template("error.html", status=status, title=title, message=message), status


def storage_fault(error: Exception) -> Response | tuple[str, int]:
    """A full disk, a read-only database, a database out of reach: logged once with its cause, answered 503."""
    cause = str(error).lower()
    key = next((key for key in STORAGE_CAUSES if key in cause.replace("read-only", "readonly")), None)
    message = STORAGE_CAUSES[key] if key else UNREACHABLE
    if key is None and not any(word in cause for word in UNREACHABLE_CAUSES):
        raise error  # not a storage fault ("no such table" is a bug): a 500 with its traceback in the log
    logger.error("storage fault on %s %s: %s", request.method, request.path, cause.splitlines()[0] if cause else "")
    if request.path.startswith("/api/"):
        return problem(503, detail=str(message), kind="storage-fault", headers={"Retry-After": "60"})
    # Without the site's layout: it reads the logged-in user, which needs the database that just failed.
    return render_template("error_bare.html", status=503, title=TITLES[503], message=message), 503
