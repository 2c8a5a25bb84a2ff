"""Bitemporal views of one team: what the record said as of a business date, as known at a log position.

The team's events recorded up to position P whose business date is on or before D, plus every correction,
annulment and erasure recorded by P whatever its date, plus every erasure recorded since (an erased name or
text is gone from every view of the past too), are folded by the very projections that build the live
read models, into a scratch in-memory database: the live tables are never touched, and the same queries
(tracker.queries.summaries) answer for both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.pool import StaticPool

from tracker.domain import Meeting, Team
from tracker.projections.batch import apply_events
from tracker.projections.event_index import team_log
from tracker.projections.runner import Projection


@dataclass(frozen=True)
class AsOf:
    """An open as-of view: query `conn` with the read models' own queries."""

    conn: Connection
    team_id: str
    as_of: date
    known_at: int
    time_zone: str

    def recorded_late(self, recorded_at: datetime) -> bool:
        """Recorded after the as-of day (in the team's time zone), about a date on or before it."""
        return recorded_at.astimezone(ZoneInfo(self.time_zone)).date() > self.as_of


ERASURES = (Team.MemberErased.__qualname__, Meeting.ItemErased.__qualname__)  # they reach back in time


@contextmanager
def team_as_of(
    app: Any,
    engine: Engine,
    projections: list[Projection],
    team_id: UUID,
    as_of: date,
    known_at: int | None = None,
    time_zone: str = "UTC",
) -> Iterator[AsOf]:
    with engine.connect() as live:
        notifications = team_log(live, team_id.hex, known_at, and_later=ERASURES)
    position = known_at if known_at is not None else (notifications[-1].id if notifications else 0)
    scratch = create_engine("sqlite://", poolclass=StaticPool)
    try:
        with scratch.begin() as conn:
            for projection in projections:
                projection.metadata.create_all(conn)
            events = [(app.mapper.to_domain_event(notification), notification.id) for notification in notifications]
            known = [(event, at) for event, at in events if event.business_date <= as_of or event.is_correction]
            for projection in projections:
                apply_events(projection, conn, [(e, at) for e, at in known if isinstance(e, projection.consumes)])
            yield AsOf(conn, team_id.hex, as_of, position, time_zone)
    finally:
        scratch.dispose()
