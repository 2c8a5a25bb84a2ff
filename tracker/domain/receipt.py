"""The receipt aggregate: the first answer to a command sent with an idempotency key, kept to answer repeats."""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from tracker.domain.events import Stamp, TrackedEvent

RECEIPT_NAMESPACE = UUID("0f4e2a8c-3b6d-4e1f-8a2b-9c7d5e3f1a60")


class Receipt(Aggregate):
    class Event(TrackedEvent):
        pass

    class Issued(Event, Aggregate.Created):
        """A command sent with an idempotency key was recorded; repeats of the key get this result."""

        command: str
        result: dict[str, object]

        def apply(self, receipt: Receipt) -> None:
            receipt.command = self.command
            receipt.result = dict(self.result)

    @staticmethod
    def id_for(recorded_by: str, idempotency_key: str) -> UUID:
        return uuid5(RECEIPT_NAMESPACE, f"{recorded_by}\x00{idempotency_key}")

    @classmethod
    def issue(
        cls, *, idempotency_key: str, command: str, result: dict[str, object], team_id: UUID, stamp: Stamp
    ) -> Receipt:
        return cls._create(
            cls.Issued,
            id=cls.id_for(stamp.recorded_by, idempotency_key),
            command=command,
            result=result,
            **stamp.fields(team_id),
        )
