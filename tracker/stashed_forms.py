"""Forms kept for a moment when they could not be taken: a secretary whose session ended while she typed the
minutes sends them, the server cannot accept them (no session, no CSRF token), and keeps them here, sealed, for
STASH_LIFETIME. The refusal page holds the only copy of a random token; after logging in again she gets the form
back filled, to check and send herself. A stashed form is never run by itself, for her or for anyone.

Each row is sealed (AES-GCM) under a key derived from the master key, bound to the digest of its token; only the
digest is stored, so a copy of the database alone opens nothing.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Column, Engine, LargeBinary, MetaData, String, Table, delete, insert, select

from tracker.projections.types import UTCDateTime

STASH_LIFETIME = timedelta(hours=2)
MAX_FIELDS = 2_000  # a meeting form has a few hundred fields at most

metadata = MetaData()
stashed_forms = Table(
    "stashed_forms",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("expires_at", UTCDateTime(), nullable=False, index=True),
    Column("sealed", LargeBinary(), nullable=False),
)


@dataclass(frozen=True)
class StashedForm:
    """A form as it was sent: where to (`action`), from which page (`page`), and its fields in order."""

    action: str
    page: str
    fields: list[tuple[str, str]]


class StashedForms:
    def __init__(self, engine: Engine, key: bytes, clock: Callable[[], datetime] | None = None) -> None:
        self.engine = engine
        self.key = key
        self.clock = clock or (lambda: datetime.now(UTC))
        metadata.create_all(engine)

    def keep(self, form: StashedForm) -> str:
        """Seal and keep the form; answer the token that takes it back (shown once, in the refusal page)."""
        token = secrets.token_urlsafe(32)
        digest = _digest(token)
        plain = json.dumps({"action": form.action, "page": form.page, "fields": form.fields[:MAX_FIELDS]})
        nonce = secrets.token_bytes(12)
        sealed = nonce + AESGCM(self.key).encrypt(nonce, plain.encode(), digest.encode())
        now = self.clock()
        with self.engine.begin() as conn:
            conn.execute(delete(stashed_forms).where(stashed_forms.c.expires_at < now))
            row = {"token_hash": digest, "expires_at": now + STASH_LIFETIME, "sealed": sealed}
            conn.execute(insert(stashed_forms), row)
        return token

    def take(self, token: str, page: str) -> StashedForm | None:
        """The form kept under the token when it belongs on `page`, once: it is deleted as it is given back. None
        when the token is unknown, expired, used, or the form's page is another."""
        digest, now = _digest(token), self.clock()
        with self.engine.begin() as conn:
            conn.execute(delete(stashed_forms).where(stashed_forms.c.expires_at < now))  # none outlives its time
            row = conn.execute(
                select(stashed_forms.c.sealed, stashed_forms.c.expires_at).where(stashed_forms.c.token_hash == digest)
            ).first()
            if row is None:
                return None
            try:
                plain = AESGCM(self.key).decrypt(row.sealed[:12], row.sealed[12:], digest.encode())
            except InvalidTag:
                return None
            kept = json.loads(plain)
            if kept["page"] != page:
                return None
            taken = conn.execute(delete(stashed_forms).where(stashed_forms.c.token_hash == digest))
            if taken.rowcount != 1:  # two requests at once: only the one that deleted it gets it
                return None
        return StashedForm(kept["action"], kept["page"], [(name, value) for name, value in kept["fields"]])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
