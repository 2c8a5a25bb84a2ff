"""Values read from a request's query string and forms: each parsed once, and a bad one answered with a 400 that
says what was expected, never a 500."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from flask import abort
from flask_babel import gettext

EARLIEST = date(1990, 1, 1)
LATEST = date(2200, 12, 31)
MAX_PAGE = 1_000_000


def a_date(value: str | None, name: str) -> date | None:
    """A date (YYYY-MM-DD) within the years a record can be about, or None when not given."""
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        abort(400, gettext("%(name)s is a date, YYYY-MM-DD.", name=name))
    if not EARLIEST <= parsed <= LATEST:
        abort(400, gettext("%(name)s is a date from %(first)s to %(last)s.", name=name, first=EARLIEST, last=LATEST))
    return parsed


def a_moment(value: str | None, name: str) -> datetime | None:
    """A time (YYYY-MM-DDTHH:MM, the server's zone unless one is given), or None when not given."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
        if not EARLIEST <= moment.date() <= LATEST:
            raise ValueError(value)
        return moment if moment.tzinfo else moment.astimezone()
    except (ValueError, OverflowError):
        abort(400, gettext("%(name)s is a time, YYYY-MM-DDTHH:MM, from %(first)s.", name=name, first=EARLIEST))


def an_id(value: str | None, name: str) -> UUID | None:
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError:
        abort(400, gettext("%(name)s is an id.", name=name))


def a_number(value: str | None, name: str, *, default: int, least: int = 0, most: int = MAX_PAGE) -> int:
    if not value:
        return default
    if not (value.isascii() and value.isdigit() and len(value) <= 19) or not least <= int(value) <= most:
        abort(400, gettext("%(name)s is a whole number from %(least)d to %(most)d.", name=name, least=least, most=most))
    return int(value)
