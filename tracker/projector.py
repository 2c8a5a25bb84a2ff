"""The projector process: follows the log and keeps every read model up to date, exactly once.

On PostgreSQL it wakes on the log's NOTIFY (LISTEN on eventsourcing's channel); it also polls, so a dropped
listen connection only slows it down until it reconnects. On SQLite it polls.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from sqlalchemy.engine import make_url

from tracker.bootstrap import Services

log = logging.getLogger(__name__)


class Wakeup:
    """Waits for a NOTIFY on the log's channel, or for the poll interval; reconnects when the listener drops."""

    def __init__(self, database_url: str, channel: str) -> None:
        url = make_url(database_url)
        self.is_postgres = url.get_backend_name() == "postgresql"
        self.conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.channel = channel
        self.connection: Any = None

    def wait(self, seconds: float) -> None:
        if not self.is_postgres:
            time.sleep(seconds)
            return
        try:
            if self.connection is None:
                self._listen()
            for _ in self.connection.notifies(timeout=seconds, stop_after=1):
                pass
        except Exception as error:
            log.warning("listen connection lost (%s); polling until it is back", type(error).__name__)
            self.close()
            time.sleep(seconds)

    def _listen(self) -> None:
        import psycopg

        self.connection = psycopg.connect(self.conninfo, autocommit=True)
        self.connection.execute(f'LISTEN "{self.channel}"')

    def close(self) -> None:
        if self.connection is not None:
            with suppress(Exception):
                self.connection.close()
        self.connection = None


def run_projector(
    services: Services,
    *,
    poll_seconds: float = 1.0,
    exit_when_idle: bool = False,
    should_stop: Callable[[], bool] = lambda: False,
) -> int:
    """Catch up, then wait for new events, until stopped; returns how many events were read."""
    wakeup = Wakeup(services.settings.database_url, f"{services.app.name.lower()}_events")
    read = 0
    try:
        while not should_stop():
            caught = services.projections.catch_up()
            read += caught
            if services.checkpointer is not None:
                services.checkpointer()  # signs the head once it has grown and the interval has passed
            if caught == 0 and exit_when_idle:
                break
            if caught == 0:
                wakeup.wait(poll_seconds)
    finally:
        wakeup.close()
        if services.checkpointer is not None and services.checkpointer.cosigning is not None:
            services.checkpointer.cosigning.finish()  # the witnesses' answers to the last checkpoint are kept
    return read
