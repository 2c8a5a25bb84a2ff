"""Column types shared by the read models: timestamps that come back in UTC on every database, and texts that
can be erased (a member's name, a meeting's place) coming back as `Erased` once they are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator

from tracker.domain.events import SEALED_FORM


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out: SQLite keeps no time zone, PostgreSQL keeps one; both read back as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a recorded time must carry its time zone")
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Erased(str):
    """Stands for a text that was erased. As a string it is empty, so it never carries what it replaced (a CSV
    cell, a sort key); it is still true, and templates show it in the reader's language by its kind
    ("erased member", "erased")."""

    kind: str

    def __new__(cls, kind: str) -> Erased:
        erased = super().__new__(cls, "")
        erased.kind = kind
        return erased

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"Erased({self.kind!r})"


ERASED_MEMBER = Erased("member")
ERASED_PLACE = Erased("place")


def is_erased(value: object) -> bool:
    return isinstance(value, Erased)


class ErasableText(TypeDecorator[str]):
    """A text kept in the clear for reading but erasable: stored NULL once erased, read back as `Erased`."""

    impl = String
    cache_ok = True

    def __init__(self, length: int, erased: Erased) -> None:
        super().__init__(length)
        self.erased = erased

    def process_result_value(self, value: str | None, dialect: Any) -> str:
        return self.erased if value is None else value


OpenTexts = Callable[[list[str]], list[str | None]]
"""Opens erasable texts (names, places) as stored events hold them, many at once: sealed ones with their keys,
None where the key was destroyed; ones recorded in the clear, before they were sealed, as they are. Names and
places are sealed so that they can be erased, not to keep them secret: read models keep them opened."""


def clear_texts_only(texts: list[str]) -> list[str | None]:
    """For a read model built with no key store: texts recorded in the clear only."""
    if any(SEALED_FORM.fullmatch(text) for text in texts):
        raise ValueError("a sealed name or place needs the key store to be read")
    return list(texts)


class OpensTexts:
    """A read model that keeps erasable texts (names, places) opened, by the `OpenTexts` it is given."""

    def __init__(self, open_texts: OpenTexts = clear_texts_only) -> None:
        self.open_texts = open_texts

    def opened(self, events: list[Any], field: str) -> dict[int, str | None]:
        """Each event's `field` opened, all in one call (one key query), by the event's identity."""
        texts = self.open_texts([getattr(event, field) for event in events])
        return dict(zip((id(event) for event in events), texts, strict=True))
