"""Identifiers of new teams, members, meetings, decisions and commitments.

UUID version 7 (RFC 9562): the first 48 bits are the time of creation in milliseconds, the rest random. An id made
later sorts later, so every index keyed by these ids (the log's own, and the read models') grows at its end instead
of at random places: a rebuild or a save dirties a few pages at the end of each index, not one page per row.
Ids made before this change are version 4 (random) and stay valid: nothing relies on the order of ids.

An id tells when it was recorded, to the millisecond. Public pages already show each item's recorded date, and
the ids of items that are not public never reach a public page, PDF or export.
"""

from __future__ import annotations

from uuid import UUID

from uuid6 import uuid7


def new_id() -> UUID:
    """A fresh id, as the standard library's UUID (the event store's transcoder knows that type, not subclasses)."""
    return UUID(int=uuid7().int)
