"""URL converters: ids as the read models store them (32 hex digits) or in the usual hyphenated form."""

from __future__ import annotations

from uuid import UUID

from werkzeug.routing import BaseConverter


class UUIDConverter(BaseConverter):
    """`<uuid:...>` accepting both `5b0a3c1e7f4d...` and `5b0a3c1e-7f4d-...`; URLs are built hyphenated."""

    regex = r"[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}"

    def to_python(self, value: str) -> UUID:
        return UUID(value)

    def to_url(self, value: UUID | str) -> str:
        return str(value if isinstance(value, UUID) else UUID(value))
