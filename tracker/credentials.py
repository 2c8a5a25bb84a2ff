"""Secrets kept out of the accountability log: password hashes, API tokens and login sessions, each in its own
table."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Column, Engine, MetaData, String, Table, delete, insert, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.domain.errors import InvalidValue
from tracker.login_sessions import LoginSessions
from tracker.projections.types import UTCDateTime

MIN_PASSWORD_LENGTH = 10

metadata = MetaData()
user_credentials = Table(
    "user_credentials",
    metadata,
    Column("user_id", String(32), primary_key=True),
    Column("password_hash", String(255), nullable=False),
    Column("changed_at", UTCDateTime(), nullable=False),
)
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(32), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
)
_UNKNOWN_USER_HASH = generate_password_hash("an unknown user never matches this")


class Credentials:
    """Password hashes (scrypt, via Werkzeug) and API tokens (only their SHA-256 is stored)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)
        self.sessions = LoginSessions(engine)

    def set_password(self, user_id: UUID, password: str) -> None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidValue("password", f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
        row = {
            "user_id": user_id.hex,
            "password_hash": generate_password_hash(password),
            "changed_at": datetime.now(UTC),
        }
        with self.engine.begin() as conn:
            conn.execute(delete(user_credentials).where(user_credentials.c.user_id == user_id.hex))
            conn.execute(insert(user_credentials), row)
        self.sessions.close_all(user_id)  # a new password ends every login session opened with the old one

    def check_password(self, user_id: UUID, password: str) -> bool:
        stored = self._password_hash(user_id)
        # An unknown user costs as much time as a known one, so timing does not tell which usernames exist.
        return check_password_hash(stored or _UNKNOWN_USER_HASH, password) and stored is not None

    def _password_hash(self, user_id: UUID) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(user_credentials.c.password_hash).where(user_credentials.c.user_id == user_id.hex)
            ).scalar()

    def create_token(self, user_id: UUID) -> str:
        token = "pt_" + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                insert(api_tokens),
                {"token_hash": _digest(token), "user_id": user_id.hex, "created_at": datetime.now(UTC)},
            )
        return token

    def user_for_token(self, token: str) -> UUID | None:
        with self.engine.connect() as conn:
            user_id = conn.execute(
                select(api_tokens.c.user_id).where(
                    api_tokens.c.token_hash == _digest(token), api_tokens.c.revoked_at.is_(None)
                )
            ).scalar()
        return UUID(user_id) if user_id else None

    def revoke_tokens(self, user_id: UUID) -> int:
        """Revoke every token of the user still in force; returns how many were."""
        with self.engine.begin() as conn:
            return conn.execute(
                update(api_tokens)
                .where(api_tokens.c.user_id == user_id.hex, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            ).rowcount


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
