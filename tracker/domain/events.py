"""What every event of the record carries: its team, its business date and who recorded it."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate

Sealed = str
"""A free-text field as stored: ciphertext under its item's data key (see tracker.confidentiality)."""

SEALED_FORM = re.compile(r"v1:[0-9a-f]{32}:[A-Za-z0-9+/]+={0,2}")
"""The whole of a sealed text, `v1:<key id>:<base64(nonce + ciphertext)>`: a name or place recorded in the clear
before they were sealed may start with "v1:" and still be clear text."""


class TrackedEvent(Aggregate.Event):
    """Base of every event: the event's timestamp is the recorded time; business_date is when it happened."""

    team_id: UUID
    business_date: date
    recorded_by: str

    #: Events that change what was recorded earlier rather than report something new.
    is_correction = False


class Stamp:
    """Who records, and the business date a command refers to: passed into every command method."""

    __slots__ = ("business_date", "recorded_by")

    def __init__(self, business_date: date, recorded_by: str) -> None:
        self.business_date = business_date
        self.recorded_by = recorded_by

    def fields(self, team_id: UUID) -> dict[str, object]:
        return {"team_id": team_id, "business_date": self.business_date, "recorded_by": self.recorded_by}
