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

from tracker.persistence import checkpoint, write_transaction
from tracker.projections.batch import apply_events

tracking_metadata = MetaData()
projection_tracking = Table(
    "projection_tracking",
    tracking_metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("schema_version", Integer, nullable=False),
)

BATCH_SIZE = int(os.environ.get("TRACKER_PROJECTION_BATCH") or 2000)
WRITER_GAP = float(os.environ.get("TRACKER_PROJECTION_GAP") or 0.1)
"""SQLite: seconds a long catch-up (a rebuild) leaves the write lock free between full batches. A writer waiting
for the lock polls it at growing intervals, up to 100 ms; without a gap the next batch takes the lock first, and a
save of the log waited up to 2.3 s during a 5 s rebuild (bench/rebuild_stall.py)."""


class Projection(Protocol):
    """A read model: the events it consumes, the tables it owns, and how one event changes them."""

    name: str
    version: int
    metadata: MetaData
    consumes: tuple[type, ...]

    def apply(self, conn: Connection, event: Any, position: int) -> None: ...

    # Optional: `apply_batch(conn, batch)` applies many events at once (tracker.projections.batch), with the
    # same result as `apply` on each in turn.


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
        self.started_over: list[str] = []  # read models whose schema changed: emptied, to be applied again
        tracking_metadata.create_all(engine)
        for projection in projections:
            self._ensure_schema(projection)

    def position(self, name: str) -> int:
        return self.positions([name])[name]

    def positions(self, names: Sequence[str] | None = None) -> dict[str, int]:
        """Where each read model stands in the log (0: nothing applied yet), in one query."""
        wanted = list(names or self.projections)
        return {name: 0 for name in wanted} | self._positions(wanted)

    def catch_up(self, names: Sequence[str] | None = None, progress: Callable[[int], None] | None = None) -> int:
        """Apply every event not yet applied, batch by batch; returns how many events were read."""
        with self._catching_up:
            return self._catch_up(names, progress)

    def _catch_up(self, names: Sequence[str] | None, progress: Callable[[int], None] | None) -> int:
        selected = [self.projections[name] for name in sorted(names or self.projections)]
        read = 0
        while True:
            try:
                count = self._apply_batch(selected)
            except PositionMoved:
                continue
            if count == 0:
                if read >= BATCH_SIZE:
                    checkpoint(self.engine)  # a rebuild's last pages, before a user's save would copy them
                return read
            read += count
            if progress:
                progress(count)
            if count >= BATCH_SIZE and self.engine.dialect.name == "sqlite":
                time.sleep(WRITER_GAP)  # let a waiting writer of the log in before the next batch

    def wait_for(self, position: int, timeout: float = 5.0, names: Sequence[str] | None = None) -> bool:
        """Wait until the read models have applied the log up to a position (a projector runs elsewhere)."""
        deadline = time.monotonic() + timeout
        while True:
            if all(applied >= position for applied in self.positions(names).values()):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)

    def rebuild(self, names: Sequence[str] | None = None, progress: Callable[[int], None] | None = None) -> int:
        self.reset(names)
        return self.catch_up(names, progress)

    def reset(self, names: Sequence[str] | None = None) -> None:
        """Empty the read models and put them back at the start of the log, all in one transaction."""
        with write_transaction(self.engine, wait_for_disk=False) as conn:
            for name in names or list(self.projections):
                self._reset(self.projections[name], conn)

    def _apply_batch(self, projections: Sequence[Projection]) -> int:
        """Read the next batch once, decode each event once, and apply it to every projection in one transaction."""
        # Read the log before taking the write lock, so writers of the log wait as little as possible.
        names = [projection.name for projection in projections]
        starts = self._positions(names)
        notifications = self.app.recorder.select_notifications(
            start=min(starts.values()), limit=BATCH_SIZE, inclusive_of_start=False
        )
        if not notifications:
            return 0
        decoded: dict[int, Any] = {}
        with write_transaction(self.engine, wait_for_disk=False) as conn:
            if self._positions(names, conn) != starts:
                raise PositionMoved(", ".join(names))
            moving: dict[int, list[str]] = {}  # start -> the projections that move from it to the batch's end
            for projection in projections:
                unseen = [n for n in notifications if n.id > starts[projection.name]]
                if not unseen:
                    continue
                if getattr(projection, "raw", False):
                    batch = [(n, n.id) for n in unseen]
                else:
                    topics = self._topics[projection.name]
                    batch = [(self._decoded(decoded, n), n.id) for n in unseen if n.topic in topics]
                apply_events(projection, conn, batch)
                moving.setdefault(starts[projection.name], []).append(projection.name)
            for start, moved_names in moving.items():  # usually one statement: they all started together
                moved = conn.execute(
                    update(projection_tracking)
                    .where(projection_tracking.c.name.in_(moved_names), projection_tracking.c.position == start)
                    .values(position=notifications[-1].id)
                )
                if moved.rowcount != len(moved_names):
                    raise PositionMoved(", ".join(moved_names))
        return len(notifications)

    def _decoded(self, decoded: dict[int, Any], notification: Notification) -> Any:
        if notification.id not in decoded:
            decoded[notification.id] = self.app.mapper.to_domain_event(notification)
        return decoded[notification.id]

    def _positions(self, names: Sequence[str], locked: Connection | None = None) -> dict[str, int]:
        """Each projection's position; inside a transaction, locked in name order until it ends."""
        query = select(projection_tracking.c.name, projection_tracking.c.position).where(
            projection_tracking.c.name.in_(names)
        )
        if locked is not None:
            if locked.dialect.name == "postgresql":
                query = query.order_by(projection_tracking.c.name).with_for_update()
            return {name: int(position) for name, position in locked.execute(query)}
        with self.engine.connect() as conn:
            return {name: int(position) for name, position in conn.execute(query)}

    def _ensure_schema(self, projection: Projection) -> None:
        """Create the read model's tables, or start it again if its schema version changed (checked and reset
        in one transaction, so two processes starting together reset it once)."""
        with write_transaction(self.engine, wait_for_disk=False) as conn:
            version = conn.execute(
                select(projection_tracking.c.schema_version).where(projection_tracking.c.name == projection.name)
            ).scalar()
            if version != projection.version:
                self._reset(projection, conn)
                self.started_over.append(projection.name)
            else:
                projection.metadata.create_all(conn)

    def _reset(self, projection: Projection, conn: Connection) -> None:
        """Drop the projection's tables and start it again from the beginning of the log."""
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
