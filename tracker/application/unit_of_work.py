"""The unit of work: a command's aggregates saved in one write with its new data keys, retried on a concurrent
edit, and answered once per idempotency key."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from tracker.domain import Receipt, Stamp
from tracker.domain.errors import ConcurrentEditConflict, DomainError, IdempotencyKeyReused, InvalidValue

MAX_ATTEMPTS = 8

P = ParamSpec("P")
R = TypeVar("R")


class Save:
    """What a command's body hands to the unit of work: the aggregates to save together, the team and stamp the
    write belongs to, and the answer (kept in the receipt when the command came with an idempotency key)."""

    def __init__(self, *aggregates: Aggregate, stamp: Stamp, team_id: UUID | None = None, **answer: Any) -> None:
        self.aggregates = list(aggregates)
        self.stamp = stamp
        self.team_id = team_id if team_id is not None else aggregates[0].team_id
        self.answer = answer or {"id": aggregates[0].id}


def _the_id(answer: dict[str, Any]) -> Any:
    return answer["id"]


def command(
    answer: Callable[[dict[str, Any]], Any] = _the_id, *, name: str | None = None
) -> Callable[[Callable[..., Save]], Callable[..., Any]]:
    """Make a method whose body loads, acts and returns a `Save` into a use case run as one unit of work.

    The body runs again when a concurrent edit refused the save, so it must only load, act and return. The method
    takes `by` (who records) and `idempotency_key` as keywords; it answers `answer(save.answer)`. Receipts and
    errors name the command by `name` (default: the method's name).
    """

    def decorate(body: Callable[..., Save]) -> Callable[..., Any]:
        command_name = name or body.__name__

        @functools.wraps(body)
        def use_case(self: UnitOfWork, *args: Any, by: str, idempotency_key: str | None = None, **kwargs: Any) -> Any:
            return answer(self._run(command_name, by, idempotency_key, lambda: body(self, *args, by=by, **kwargs)))

        return use_case

    return decorate


class UnitOfWork:
    """The machinery every command shares (mixed into the Tracker application)."""

    def _run(self: Any, command: str, by: str, idempotency_key: str | None, work: Callable[[], Save]) -> dict[str, Any]:
        """Do a command's work and save it in one write; retry on a concurrent edit; answer repeats of a key once."""
        if not by.strip():
            raise InvalidValue("recorded_by", "every record says who made it")
        receipt_id = Receipt.id_for(by, idempotency_key) if idempotency_key else None
        for attempt in range(MAX_ATTEMPTS):
            if receipt_id is not None and (earlier := self._earlier_answer(receipt_id, command)) is not None:
                return earlier
            try:
                with self.sealer.command() as new_keys:
                    save = work()
            except DomainError:
                # A repeat of the key may have been refused only because its first sending just landed.
                if receipt_id is not None and (earlier := self._earlier_answer(receipt_id, command)) is not None:
                    return earlier
                raise
            aggregates = list(save.aggregates)
            if idempotency_key:
                aggregates.append(
                    Receipt.issue(
                        idempotency_key=idempotency_key,
                        command=command,
                        result=save.answer,
                        team_id=save.team_id,
                        stamp=save.stamp,
                    )
                )
            try:
                self.save(*aggregates, data_keys=self.sealer.key_store.rows(new_keys))
            except IntegrityError:
                time.sleep(random.uniform(0, 0.005 * 2**attempt))
                continue
            for listener in self.after_save:
                listener()
            return save.answer
        raise ConcurrentEditConflict(f"{command}: the record kept changing under us; nothing was saved, try again")

    def _earlier_answer(self: Any, receipt_id: UUID, command: str) -> dict[str, Any] | None:
        try:
            receipt = self.repository.get(receipt_id)
        except AggregateNotFoundError:
            return None
        if receipt.command != command:
            raise IdempotencyKeyReused(f"this idempotency key was used for {receipt.command}, not {command}")
        return receipt.result
