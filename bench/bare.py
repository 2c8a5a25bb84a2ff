"""eventsourcing with nothing of ours: the floor beside which recording is measured (bench/run.py)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event


class Record(Aggregate):
    @event("Created")
    def __init__(self, payload: str) -> None:
        self.payload = payload

    @event("Added")
    def add(self, payload: str) -> None:
        self.payload = payload


class BareApplication(Application[UUID]):
    name = "Bare"

    def meeting_like(self, sizes: list[tuple[UUID, int]]) -> list[Record]:
        """Aggregates whose stored events match a recorded meeting's: as many, in as many aggregates, as large."""
        overhead = len(self.mapper.to_stored_event(Record("").collect_events()[0]).state)
        by_aggregate: dict[UUID, list[int]] = {}
        for originator_id, size in sizes:
            by_aggregate.setdefault(originator_id, []).append(max(0, size - overhead))
        records = []
        for payloads in by_aggregate.values():
            record = Record("x" * payloads[0])
            for payload in payloads[1:]:
                record.add("x" * payload)
            records.append(record)
        return records
