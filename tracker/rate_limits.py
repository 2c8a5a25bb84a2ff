"""Rate-limit counts in a table of the tracker's own database (a `limits` storage), so every web worker and
every server counts the same attempts; the `limits` package itself keeps counts only in memory, Redis,
Memcached or MongoDB. Fixed windows: one row a key, its count and when its window ends."""

from __future__ import annotations

import time
from typing import Any

from limits.storage import Storage
from sqlalchemy import Column, Engine, Float, Integer, MetaData, String, Table, delete, select, text
from sqlalchemy.exc import SQLAlchemyError

SCHEME = "tracker-sql"

metadata = MetaData()
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("window_ends", Float, nullable=False),
)

_INCREMENT = text(
    "INSERT INTO rate_limits (key, count, window_ends) VALUES (:key, :amount, :ends) "
    "ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN rate_limits.window_ends <= :now THEN :amount ELSE rate_limits.count + :amount END, "
    "window_ends = CASE WHEN rate_limits.window_ends <= :now THEN :ends ELSE rate_limits.window_ends END "
    "RETURNING count"
)


class SQLStorage(Storage):
    """`tracker-sql://` with the engine passed as the storage option `engine` (Flask-Limiter's
    RATELIMIT_STORAGE_OPTIONS). The table is created with the others, under the schema lock (tracker.bootstrap)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self.engine: Engine = options["engine"]

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self.engine.begin() as conn:
            row = conn.execute(_INCREMENT, {"key": key, "amount": amount, "ends": now + expiry, "now": now})
            return int(row.scalar_one())

    def get(self, key: str) -> int:
        with self.engine.connect() as conn:
            count = conn.execute(
                select(rate_limits.c.count).where(rate_limits.c.key == key, rate_limits.c.window_ends > time.time())
            ).scalar()
        return int(count or 0)

    def get_expiry(self, key: str) -> float:
        with self.engine.connect() as conn:
            ends = conn.execute(select(rate_limits.c.window_ends).where(rate_limits.c.key == key)).scalar()
        return float(ends or time.time())

    def check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(delete(rate_limits)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(rate_limits).where(rate_limits.c.key == key))
