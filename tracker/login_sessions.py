"""Login sessions kept on the server: a row per session, so logging out, a new password or "sign out everywhere"
ends a session for good, even for someone holding a copy of its cookie. Only a digest of each token is stored."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import Column, Engine, MetaData, String, Table, insert, select, update

from tracker.projections.types import UTCDateTime

LIFETIME = timedelta(hours=12)

metadata = MetaData()
login_sessions = Table(
    "login_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(32), nullable=False, index=True),
    Column("opened_at", UTCDateTime(), nullable=False),
    Column("user_agent", String(200), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
)


@dataclass(frozen=True)
class LoginSession:
    token_hash: str
    opened_at: datetime
    user_agent: str


class LoginSessions:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] | None = None) -> None:
        self.engine = engine
        self.clock = clock or (lambda: datetime.now(UTC))
        metadata.create_all(engine)

    def open(self, user_id: UUID, user_agent: str = "") -> str:
        """A new session for the user; returns its token (kept in the cookie, never stored here)."""
        token = secrets.token_urlsafe(32)
        row = {
            "token_hash": _digest(token),
            "user_id": user_id.hex,
            "opened_at": self.clock(),
            "user_agent": user_agent[:200],
        }
        with self.engine.begin() as conn:
            conn.execute(insert(login_sessions), row)
        return token

    def is_open(self, user_id: UUID, token: str) -> bool:
        """Whether the token is the user's, not revoked and not older than LIFETIME."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(login_sessions.c.opened_at).where(
                    login_sessions.c.token_hash == _digest(token),
                    login_sessions.c.user_id == user_id.hex,
                    login_sessions.c.revoked_at.is_(None),
                )
            ).first()
        return row is not None and row.opened_at > self.clock() - LIFETIME

    def of(self, user_id: UUID) -> list[LoginSession]:
        """The user's sessions still open, the newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(login_sessions)
                .where(
                    login_sessions.c.user_id == user_id.hex,
                    login_sessions.c.revoked_at.is_(None),
                    login_sessions.c.opened_at > self.clock() - LIFETIME,
                )
                .order_by(login_sessions.c.opened_at.desc())
            )
            return [LoginSession(row.token_hash, row.opened_at, row.user_agent) for row in rows]

    def close(self, token: str) -> None:
        self._revoke(login_sessions.c.token_hash == _digest(token))

    def close_all(self, user_id: UUID) -> int:
        """End every session of the user (a new password, "sign out everywhere"); returns how many were open."""
        return self._revoke(login_sessions.c.user_id == user_id.hex)

    def _revoke(self, which: object) -> int:
        with self.engine.begin() as conn:
            return conn.execute(
                update(login_sessions)
                .where(which, login_sessions.c.revoked_at.is_(None))  # type: ignore[arg-type]
                .values(revoked_at=self.clock())
            ).rowcount


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
