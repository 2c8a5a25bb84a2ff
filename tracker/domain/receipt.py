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
        """A command sent with an idempotency key was recorded; repeats of the key with the same content get this
        result. `digest` is an HMAC of the command's input under a server secret (never a bare hash: receipts are
        in the log, and a bare hash of confidential text could be guessed and would outlive erasure)."""

        class_version = 2
        command: str
        result: dict[str, object]
        digest: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            """Version 1 kept no digest: its key answers any content of the same command, as it did then."""
            state["digest"] = None

        def apply(self, receipt: Receipt) -> None:
            receipt.command = self.command
            receipt.result = dict(self.result)
            receipt.digest = self.digest

    @staticmethod
    def id_for(recorded_by: str, idempotency_key: str) -> UUID:
        return uuid5(RECEIPT_NAMESPACE, f"{recorded_by}\x00{idempotency_key}")

    @classmethod
    def issue(
        cls,
        *,
        idempotency_key: str,
        command: str,
        result: dict[str, object],
        team_id: UUID,
        stamp: Stamp,
        digest: str | None = None,
    ) -> Receipt:
        return cls._create(
            cls.Issued,
            id=cls.id_for(stamp.recorded_by, idempotency_key),
            command=command,
            result=result,
            digest=digest,
            **stamp.fields(team_id),
        )

    def answers(self, command: str, digest: str | None) -> bool:
        """Whether a repeat of the key (this command, input with this digest) is the command this receipt answers."""
        return self.command == command and (self.digest is None or digest is None or self.digest == digest)
