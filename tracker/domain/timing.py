"""The two clocks: a team's local business date, and when an entry counts as recorded late."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LATE_AFTER = timedelta(days=14)
"""An entry recorded more than this long after the date it is about is marked as a late entry."""


def local_date(moment: datetime, time_zone: str) -> date:
    """The date a recorded time falls on in a team's time zone: business dates are local dates."""
    return moment.astimezone(ZoneInfo(time_zone)).date()


def is_late_entry(business_date: date, recorded_at: datetime, time_zone: str, as_of: date | None = None) -> bool:
    """Recorded (on the team's local date) more than LATE_AFTER after the date it is about, or after `as_of`."""
    recorded_on = local_date(recorded_at, time_zone)
    return (as_of is not None and recorded_on > as_of) or recorded_on - business_date > LATE_AFTER
