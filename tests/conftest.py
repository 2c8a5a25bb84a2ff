"""Shared fixtures: a fresh database per test, on SQLite and, when configured, on PostgreSQL.

Under pytest-xdist each worker has a PostgreSQL database of its own, named after the configured one and the worker
(`tracker_test_gw0`), made on first use: `reset_postgres` empties a whole schema, so workers must not share one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from werkzeug.security import generate_password_hash

from tracker.audit.notes import new_signing_key_pem
from tracker.bootstrap import Services, build_services
from tracker.confidentiality import MasterKey
from tracker.config import Settings

CONFIGURED_POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL")
if os.environ.get("TRACKER_REQUIRE_POSTGRES") and not CONFIGURED_POSTGRES_URL:
    raise RuntimeError("TRACKER_REQUIRE_POSTGRES is set but TRACKER_TEST_POSTGRES_URL is not")


def worker_postgres_url(url: str, worker: str | None) -> str:
    """The configured database outside xdist; under xdist, a database of the worker's own beside it."""
    if worker is None or worker == "master":
        return url
    configured = make_url(url)
    return configured.set(database=f"{configured.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = CONFIGURED_POSTGRES_URL and worker_postgres_url(
    CONFIGURED_POSTGRES_URL, os.environ.get("PYTEST_XDIST_WORKER")
)

DATABASES = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
NOW = datetime(2025, 6, 30, 9, 0, tzinfo=UTC)


def sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def reset_postgres(url: str) -> None:
    engine = create_engine(sqlalchemy_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def create_postgres_database(configured_url: str, url: str) -> None:
    """Make the database named by `url`, if missing, through a connection to the configured one."""
    name = make_url(url).database
    engine = create_engine(sqlalchemy_url(configured_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def pytest_sessionstart(session: pytest.Session) -> None:
    if CONFIGURED_POSTGRES_URL and POSTGRES_URL != CONFIGURED_POSTGRES_URL:
        create_postgres_database(CONFIGURED_POSTGRES_URL, POSTGRES_URL)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """Passwords hashed with scrypt at a low cost: a web world registers five users, each 0.2 s at the real cost.
    The hash names its own parameters, so checking a password is cheap too; the CLI's processes keep the real cost."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "tracker.credentials.generate_password_hash", partial(generate_password_hash, method="scrypt:1024:8:1")
        )
        yield


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
