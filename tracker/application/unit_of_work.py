"""The unit of work: a command's aggregates saved in one write with its new data keys, retried on a concurrent
edit, and answered once per idempotency key."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import inspect
import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from enum import Enum
from typing import Any, ParamSpec, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from tracker.domain import Receipt, Stamp
from tracker.domain.errors import ConcurrentEditConflict, DomainError, IdempotencyKeyReused, InvalidValue

MAX_ATTEMPTS = 8
logger = logging.getLogger("tracker.commands")

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
    errors name the command by `name` (default: the method's name). With `check_only=True` the body runs and
    raises what it finds, but nothing is saved and nothing is answered (a form shows every error at once).
    """

    def decorate(body: Callable[..., Save]) -> Callable[..., Any]:
        command_name = name or body.__name__
        signature = inspect.signature(body)

        @functools.wraps(body)
        def use_case(
            self: UnitOfWork,
            *args: Any,
            by: str,
            idempotency_key: str | None = None,
            check_only: bool = False,
            **kwargs: Any,
        ) -> Any:
            args, kwargs = _settled(args), _settled(kwargs)
            if check_only:
                with self.sealer.command():  # type: ignore[attr-defined]
                    body(self, *args, by=by, **kwargs)
                return None
            digest = None
            if idempotency_key:  # the input as the command reads it: one spelling, whoever sent it (form or API)
                bound = signature.bind(self, *args, by=by, **kwargs)
                bound.apply_defaults()
                digest = self._digest(command_name, (), {k: v for k, v in bound.arguments.items() if k != "self"})
            work = lambda: body(self, *args, by=by, **kwargs)  # noqa: E731 - run again on a concurrent edit
            return answer(self._run(command_name, by, idempotency_key, work, digest))

        return use_case

    return decorate


class UnitOfWork:
    """The machinery every command shares (mixed into the Tracker application)."""

    def _run(
        self: Any,
        command: str,
        by: str,
        idempotency_key: str | None,
        work: Callable[[], Save],
        digest: str | None = None,
    ) -> dict[str, Any]:
        """Do a command's work and save it in one write; retry on a concurrent edit; answer repeats of a key (with
        the same content, by `digest`) once."""
        if not by.strip():
            raise InvalidValue("recorded_by", "every record says who made it")
        receipt_id = Receipt.id_for(by, idempotency_key) if idempotency_key else None
        for attempt in range(MAX_ATTEMPTS):
            if receipt_id and (earlier := self._earlier_answer(receipt_id, idempotency_key, command, digest)):
                return earlier
            try:
                with self.sealer.command() as new_keys:
                    save = work()
            except DomainError:
                # A repeat of the key may have been refused only because its first sending just landed.
                if receipt_id and (earlier := self._earlier_answer(receipt_id, idempotency_key, command, digest)):
                    return earlier
                raise
            aggregates = list(save.aggregates)
            if idempotency_key:
                aggregates.append(
                    Receipt.issue(
                        idempotency_key=idempotency_key,
                        command=command,
                        result=save.answer,
                        digest=digest,
                        team_id=save.team_id,
                        stamp=save.stamp,
                    )
                )
            try:
                self.save(*aggregates, data_keys=self.sealer.key_store.rows(new_keys))
            except IntegrityError:
                time.sleep(random.uniform(0, 0.005 * 2**attempt))
                continue
            self._after_saving(command, save.team_id)
            return save.answer
        raise ConcurrentEditConflict(f"{command}: the record kept changing under us; nothing was saved, try again")

    def recorded_with(self: Any, by: str, idempotency_key: str) -> dict[str, Any] | None:
        """The answer of what `by` already recorded with this idempotency key (its command named under
        "command"), or None when the key is new."""
        try:
            receipt = self.repository.get(Receipt.id_for(by, idempotency_key))
        except AggregateNotFoundError:
            return None
        return {**receipt.result, "command": receipt.command}

    def _after_saving(self: Any, command: str, team_id: UUID) -> None:
        """Once the events are saved the command is done: a read model that fails to follow now (a full disk, a
        read-only file) is logged, and caught up by the next command or the projector, never an error for a write
        that happened."""
        try:
            for listener in self.after_save:
                listener()
            for forget in self.after_team_change:
                forget(team_id)
        except Exception:
            logger.exception("%s was saved; the read models will catch up later", command)

    def _earlier_answer(
        self: Any, receipt_id: UUID, key: str | None, command: str, digest: str | None
    ) -> dict[str, Any] | None:
        try:
            receipt = self.repository.get(receipt_id)
        except AggregateNotFoundError:
            return None
        if not receipt.answers(command, digest):
            raise IdempotencyKeyReused(f"the idempotency key {key!r} was already used for other content; use a new key")
        return receipt.result

    def _digest(self: Any, command: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        """An HMAC of the command and its input under a key derived from the master key: equal for equal input."""
        if (key := getattr(self, "_receipts_key", None)) is None:
            key = self._receipts_key = self.sealer.key_store.master_key.derive(b"tracker idempotency receipts")
        canonical = json.dumps([command, _plain(args), _plain(kwargs)], sort_keys=True, ensure_ascii=False)
        return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _settled(values: Any) -> Any:
    """Arguments with one-shot iterables (generators) made into lists, so the digest and the work see the same."""
    if isinstance(values, dict):
        return {name: _settled(value) for name, value in values.items()}
    if isinstance(values, tuple):
        return tuple(_settled(value) for value in values)
    if isinstance(values, Iterator):
        return list(values)
    return values


def _plain(value: Any) -> Any:
    """A command's input as plain JSON values, in one spelling (a blank text is no text: a form sends "" where
    the API sends null)."""
    if value == "":
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(name): _plain(item) for name, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_plain(item) for item in value), key=json.dumps)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, UUID):
        return value.hex
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
