"""Applies the log to read models exactly once: rows and tracking position move together, and only forward."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic
from sqlalchemy import BigInteger, Column, Connection, Engine, Integer, MetaData, String, Table, insert, select, update

from tracker.persistence import write_transaction

tracking_metadata = MetaData()
projection_tracking = Table(
    "projection_tracking",
    tracking_metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("schema_version", Integer, nullable=False),
)

BATCH_SIZE = int(os.environ.get("TRACKER_PROJECTION_BATCH") or 500)


class Projection(Protocol):
    """A read model: the events it consumes, the tables it owns, and how one event changes them."""

    name: str
    version: int
    metadata: MetaData
    consumes: tuple[type, ...]

    def apply(self, conn: Connection, event: Any, position: int) -> None: ...


class PositionMoved(Exception):
    """Another projector applied this batch first; ours was rolled back."""


class ProjectionRunner:
    def __init__(self, app: Application[Any], engine: Engine, projections: Sequence[Projection]) -> None:
        self.app = app
        self.engine = engine
        self.projections = {projection.name: projection for projection in projections}
        self._topics = {
            projection.name: frozenset(get_topic(cls) for cls in _with_subclasses(projection.consumes))
            for projection in projections
        }
        self._catching_up = threading.Lock()  # one thread of this process projects at a time
        tracking_metadata.create_all(engine)
        for projection in projections:
            self._ensure_schema(projection)

    def position(self, name: str) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(select(projection_tracking.c.position).where(projection_tracking.c.name == name)).scalar()
                or 0
            )

    def catch_up(self, names: Sequence[str] | None = None, progress: Callable[[int], None] | None = None) -> int:
        """Apply every event not yet applied, batch by batch; returns how many events were read."""
        with self._catching_up:
            return self._catch_up(names, progress)

    def _catch_up(self, names: Sequence[str] | None, progress: Callable[[int], None] | None) -> int:
        read = 0
        for name in names or list(self.projections):
            while True:
                try:
                    count = self._apply_batch(self.projections[name])
                except PositionMoved:
                    continue
                if count == 0:
                    break
                read += count
                if progress:
                    progress(count)
        return read

    def wait_for(self, position: int, timeout: float = 5.0, names: Sequence[str] | None = None) -> bool:
        """Wait until the read models have applied the log up to a position (a projector runs elsewhere)."""
        deadline = time.monotonic() + timeout
        while True:
            if all(self.position(name) >= position for name in names or self.projections):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)

    def rebuild(self, names: Sequence[str] | None = None, progress: Callable[[int], None] | None = None) -> int:
        for name in names or list(self.projections):
            self._reset(self.projections[name])
        return self.catch_up(names, progress)

    def _apply_batch(self, projection: Projection) -> int:
        # Read the log before taking the write lock, so writers of the log wait as little as possible.
        start = self.position(projection.name)
        notifications = self.app.recorder.select_notifications(start=start, limit=BATCH_SIZE, inclusive_of_start=False)
        if not notifications:
            return 0
        topics = self._topics[projection.name]
        with write_transaction(self.engine) as conn:
            if self._locked_position(conn, projection.name) != start:
                raise PositionMoved(projection.name)
            raw = getattr(projection, "raw", False)
            for notification in notifications:
                if raw:
                    projection.apply(conn, notification, notification.id)
                elif notification.topic in topics:
                    projection.apply(conn, self._to_event(notification), notification.id)
            moved = conn.execute(
                update(projection_tracking)
                .where(projection_tracking.c.name == projection.name, projection_tracking.c.position == start)
                .values(position=notifications[-1].id)
            )
            if moved.rowcount != 1:
                raise PositionMoved(projection.name)
        return len(notifications)

    def _to_event(self, notification: Notification) -> Any:
        return self.app.mapper.to_domain_event(notification)

    def _locked_position(self, conn: Connection, name: str) -> int:
        query = select(projection_tracking.c.position).where(projection_tracking.c.name == name)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return int(conn.execute(query).scalar_one())

    def _ensure_schema(self, projection: Projection) -> None:
        with write_transaction(self.engine) as conn:
            version = conn.execute(
                select(projection_tracking.c.schema_version).where(projection_tracking.c.name == projection.name)
            ).scalar()
        if version != projection.version:
            self._reset(projection)
        else:
            projection.metadata.create_all(self.engine)

    def _reset(self, projection: Projection) -> None:
        """Drop the projection's tables and start it again from the beginning of the log."""
        with write_transaction(self.engine) as conn:
            projection.metadata.drop_all(conn)
            projection.metadata.create_all(conn)
            conn.execute(projection_tracking.delete().where(projection_tracking.c.name == projection.name))
            conn.execute(
                insert(projection_tracking).values(name=projection.name, position=0, schema_version=projection.version)
            )


def _with_subclasses(classes: tuple[type, ...]) -> Iterator[type]:
    for cls in classes:
        yield cls
        yield from _with_subclasses(tuple(cls.__subclasses__()))
