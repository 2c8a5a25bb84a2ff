"""How a recording is shown on a page: who recorded it by name, and when in the team's local time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_gmt
from flask import Flask, g
from flask_babel import get_locale, gettext

from tracker.queries.accounts import display_names
from tracker.web.services import services


def init_recordings(app: Flask) -> None:
    app.jinja_env.globals.update(recorder_name=recorder_name, local_time=local_time)


def recorder_name(recorded_by: str) -> str:
    """`user:aigul` as the account's display name; `cli:root` as a command run on the server."""
    kind, _, name = recorded_by.partition(":")
    if kind == "user":
        if "display_names" not in g:
            with services().engine.connect() as conn:
                g.display_names = display_names(conn)
        return g.display_names.get(name) or name
    if kind == "cli":
        return gettext("%(name)s (command line)", name=name)
    return recorded_by


def local_time(moment: datetime, time_zone: str) -> str:
    """A recorded time (UTC) in the team's time zone, with its offset, in the reader's language."""
    local, locale = moment.astimezone(ZoneInfo(time_zone)), get_locale()
    shown = f"{format_date(local, 'medium', locale=locale)}, {format_time(local, 'short', locale=locale)}"
    return f"{shown} ({get_timezone_gmt(local, 'long', locale=locale)})"
