"""Wires one process's services from settings: the database, the key store, the application and its projections."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Connection, Engine

from tracker.access_log import AccessLog
from tracker.application import Tracker
from tracker.audit.checkpointer import Checkpointer
from tracker.audit.cosigning import Cosigning, witnesses_from_env
from tracker.audit.signed_log import SignedLog
from tracker.confidentiality import KeyStore, MasterKey, Sealer
from tracker.config import Settings
from tracker.credentials import Credentials
from tracker.documents.report import ReportCache, forget_rendered_reports
from tracker.persistence import (
    create_database_engine,
    drop_dead_connections_at_once,
    eventsourcing_env,
    readiness,
    schema_lock,
)
from tracker.projections import Meetings, Roster, all_projections, team_projections
from tracker.projections.as_of import AsOf, team_as_of
from tracker.projections.runner import ProjectionRunner
from tracker.rate_limits import metadata as rate_limits
from tracker.reading import Reader
from tracker.stashed_forms import StashedForms


@dataclass
class Services:
    settings: Settings
    engine: Engine
    key_store: KeyStore
    app: Tracker
    projections: ProjectionRunner
    signed_log: SignedLog
    stashed_forms: StashedForms
    checkpointer: Checkpointer | None = None  # where this process keeps the read models: signs the head when due

    @property
    def reader(self) -> Reader:
        """The one door to sealed text: entitlement checked, confidential reads logged."""
        return self.app.reader

    def team_as_of(self, team_id: UUID, as_of: date, known_at: int | None = None) -> AbstractContextManager[AsOf]:
        """The team's read models as of a business date, as known at a log position (default: now)."""
        return team_as_of(
            self.app,
            self.engine,
            team_projections(self.app.sealer.open_erasable),
            team_id,
            as_of,
            known_at,
            self.app.team(team_id).time_zone,
        )

    @contextmanager
    def record_as_of(self, team_id: UUID, as_of: date | None) -> Iterator[tuple[Connection, int]]:
        """The live read models when no date is asked (today), else the team's as-of view; with the log position."""
        if as_of is None:
            with self.engine.connect() as conn:
                yield conn, self.projections.position("commitments")
            return
        with self.team_as_of(team_id, as_of) as view:
            yield view.conn, view.known_at

    def erase_item(self, item_id: UUID, *, reason: str, by: str) -> UUID:
        """Destroy an item's text for good, and every rendered report that could still hold it."""
        key_id = self.app.erase_item(item_id, reason=reason, by=by)
        forget_rendered_reports(self.settings.report_cache_dir)
        return key_id

    def import_keys(self, keys: dict[str, str]) -> int:
        """Restore data keys from a backup; when any were missing, the read models that keep members' names and
        meetings' places opened read them again."""
        count = self.key_store.import_keys(keys)
        if count:
            self.projections.rebuild([Roster.name, Meetings.name])
        return count

    def close(self) -> None:
        self.app.close()
        self.engine.dispose()


# Teams are read by almost every command: keep recently used aggregates in memory, brought up to date from the
# log (fast-forward), so several processes stay correct. Cached aggregates are never changed in place: see
# Tracker._get and Tracker._fast_forward.
logger = logging.getLogger("tracker.projections")

AGGREGATE_CACHE = {"AGGREGATE_CACHE_MAXSIZE": "1000", "AGGREGATE_CACHE_FASTFORWARD": "y"}


def build_services(
    settings: Settings | None = None,
    *,
    master_key: MasterKey | None = None,
    clock: Callable[[], datetime] | None = None,
    project_synchronously: bool = True,
) -> Services:
    """Everything one process needs; with `project_synchronously` read models are up to date after every command:
    applied in this process, or (TRACKER_PROJECTIONS=projector) awaited from the projector process."""
    settings = settings or Settings.from_env()
    engine = create_database_engine(settings.database_url)
    master_key = master_key or MasterKey.load(os.environ.get("TRACKER_MASTER_KEY"), settings.master_key_file)
    with schema_lock(engine):  # processes starting together create tables one at a time
        key_store = KeyStore(engine, master_key)
        app = Tracker(
            {**eventsourcing_env(settings.database_url), **AGGREGATE_CACHE},
            sealer=Sealer(key_store),
            access_log=AccessLog(engine),
            credentials=Credentials(engine),
            clock=clock,
        )
        drop_dead_connections_at_once(app.recorder)
        projections = ProjectionRunner(app, engine, all_projections(app.sealer.open_erasable))
        signed_log = SignedLog(engine, settings.signing_key_file, clock=clock)
        rate_limits.create_all(engine)  # counts shared by every worker (tracker.rate_limits)
        readiness.create_all(engine)  # /readyz's write probe (tracker.persistence.write_refused)
        stashed = StashedForms(engine, master_key.derive(b"tracker stashed forms"), clock)
    app.after_team_change.append(ReportCache(settings.report_cache_dir).forget_team)
    cosigning = Cosigning(signed_log, witnesses_from_env())
    checkpointer: Checkpointer | None = Checkpointer(signed_log, cosigning=cosigning)  # the projector calls it too
    if project_synchronously and os.environ.get("TRACKER_PROJECTIONS", "inline") == "projector":
        # A separate `tracker projector` applies the log: wait for it, so a user still sees their own write.
        app.after_save.append(lambda: _wait_for_projector(app, projections))
        checkpointer = None  # the projector signs
    elif project_synchronously:
        app.after_save.append(projections.catch_up)
        app.after_save.append(checkpointer)
        if projections.started_over:  # a new version of a read model: apply the log to it now, not at a next write
            projections.catch_up()
    return Services(settings, engine, key_store, app, projections, signed_log, stashed, checkpointer)


PROJECTOR_WAIT = float(os.environ.get("TRACKER_PROJECTOR_WAIT") or 2)
"""How long a web worker waits for the projector to apply its own write, at most: a stalled projector must not
hold every worker (the page shows the record as still being processed, and /readyz says not ready)."""


def _wait_for_projector(app: Tracker, projections: ProjectionRunner) -> None:
    head = app.recorder.max_notification_id() or 0
    if not projections.wait_for(head, timeout=PROJECTOR_WAIT):
        logger.warning("the projector has not applied position %d within %.1f s", head, PROJECTOR_WAIT)
