"""Checks of free input that the domain cannot make: text present and within its length, reasons, time zones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from zoneinfo import ZoneInfo

from tracker.domain import Stamp
from tracker.domain.errors import (
    DateInFuture,
    DateTooEarly,
    DomainError,
    DueDateTooFar,
    InvalidInputs,
    InvalidValue,
    ReasonRequired,
    TextRequired,
)

SHORT_TEXT = 2_000
LONG_TEXT = 50_000
EARLIEST = date(1990, 1, 1)
DUE_WITHIN_YEARS = 10


def text(value: str | None, field: str, limit: int = SHORT_TEXT, *, required: bool = True) -> str:
    stripped = (value or "").strip()
    if required and not stripped:
        raise TextRequired(field, "this text cannot be empty")
    if len(stripped) > limit:
        raise InvalidValue(field, f"at most {limit} characters")
    return stripped


def reason(value: str) -> str:
    if not (value or "").strip():
        raise ReasonRequired("say why: every correction carries its reason")
    return text(value, "reason")


def time_zone(zone: str) -> str:
    try:
        ZoneInfo(zone)
    except (KeyError, ValueError):
        raise InvalidValue("time_zone", f"unknown time zone {zone!r}") from None
    return zone


def business_date(value: date, field: str, *, today: date | None = None) -> date:
    """A date a record is about: not before 1990, and (when `today` is given) not after the team's today."""
    if value < EARLIEST:
        raise DateTooEarly(field, f"{value.isoformat()} is before {EARLIEST.isoformat()}, when records begin")
    if today is not None and value > today:
        raise DateInFuture(f"{value.isoformat()} is after today ({today.isoformat()})", field)
    return value


def due_date(value: date, today: date) -> date:
    """A due date at most DUE_WITHIN_YEARS after the team's today."""
    business_date(value, "due_on")
    if value.year - today.year > DUE_WITHIN_YEARS or (
        value.year - today.year == DUE_WITHIN_YEARS and (value.month, value.day) > (today.month, today.day)
    ):
        raise DueDateTooFar("due_on", f"a commitment is due within {DUE_WITHIN_YEARS} years of today")
    return value


def stamp(day: date, by: str, field: str = "on") -> Stamp:
    """Who records, and the business date the command is about (checked: not before records begin)."""
    return Stamp(business_date(day, field), by)


class Problems:
    """The errors of one command's input, gathered so that all of them are reported at once."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    @contextmanager
    def check(self, prefix: str = "") -> Iterator[None]:
        """Run a check; a DomainError it raises is kept (its field under `prefix`) instead of stopping the rest."""
        try:
            yield
        except InvalidInputs as errors:
            for error in errors.errors:
                self._keep(error, prefix)
        except DomainError as error:
            self._keep(error, prefix)

    def raise_any(self) -> None:
        """Raise the one error found as itself, several as InvalidInputs; nothing when all was well."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise InvalidInputs(self.errors)

    def _keep(self, error: DomainError, prefix: str) -> None:
        if prefix and error.field:
            error.field = f"{prefix}.{error.field}"
        self.errors.append(error)
