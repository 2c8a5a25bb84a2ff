"""Shared fixtures: a fresh database per test, on SQLite and, when configured, on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tracker.audit.notes import new_signing_key_pem
from tracker.bootstrap import Services, build_services
from tracker.confidentiality import MasterKey
from tracker.config import Settings

POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL")
if os.environ.get("TRACKER_REQUIRE_POSTGRES") and not POSTGRES_URL:
    raise RuntimeError("TRACKER_REQUIRE_POSTGRES is set but TRACKER_TEST_POSTGRES_URL is not")

DATABASES = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
NOW = datetime(2025, 6, 30, 9, 0, tzinfo=UTC)


def reset_postgres(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        assert POSTGRES_URL
        reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return f"sqlite:///{tmp_path / 'tracker.sqlite3'}"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    settings = Settings(database_url=database_url, instance_dir=tmp_path / "instance")
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    settings.signing_key_file.write_text(new_signing_key_pem() + "\n")
    return settings


@pytest.fixture
def master_key() -> MasterKey:
    return MasterKey.generate()


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock(NOW)


class MutableClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def services(settings: Settings, master_key: MasterKey, clock: MutableClock) -> Iterator[Services]:
    built = build_services(settings, master_key=master_key, clock=clock)
    yield built
    built.close()
