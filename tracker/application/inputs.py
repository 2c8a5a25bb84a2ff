"""Checks of free input that the domain cannot make: text present and within its length, reasons, time zones."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from tracker.domain.errors import InvalidValue, ReasonRequired

SHORT_TEXT = 2_000
LONG_TEXT = 50_000


def text(value: str | None, field: str, limit: int = SHORT_TEXT, *, required: bool = True) -> str:
    stripped = (value or "").strip()
    if required and not stripped:
        raise InvalidValue(field, "this cannot be empty")
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
