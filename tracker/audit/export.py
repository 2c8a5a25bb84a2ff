"""Export and import of the whole log as JSON Lines: every stored event as stored, and the signed checkpoints."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import select

from tracker.audit.errors import AuditError
from tracker.audit.notes import NoteKey
from tracker.audit.verify import verify_log
from tracker.projections.merkle_tree import merkle_leaves

if TYPE_CHECKING:  # for hints only: the audit part does not depend on how a process is wired
    from tracker.bootstrap import Services

FORMAT = "partnership-tracker-log/1"
BATCH = 500


def export_log(services: Services, out: IO[str]) -> int:
    """Write the header, every event in log order with its leaf index, then every checkpoint; returns the number of
    events. The file holds no keys: given to an auditor, it proves integrity without revealing any text."""
    services.projections.catch_up(["merkle_tree"])
    key = services.signed_log.key
    out.write(json.dumps({"format": FORMAT, "origin": services.signed_log.origin, "verifier_key": key.vkey}) + "\n")
    count, start = 0, 0
    while notifications := services.app.recorder.select_notifications(start, BATCH, inclusive_of_start=False):
        for notification in notifications:
            out.write(json.dumps(event_line(count, notification)) + "\n")
            count += 1
        start = notifications[-1].id
    for checkpoint in services.signed_log.checkpoints():
        out.write(json.dumps({"checkpoint": checkpoint.note}) + "\n")
    return count


def event_line(leaf_index: int, notification: Any) -> dict[str, Any]:
    """A stored event as exported: what its leaf hashes (tracker.projections.merkle_tree.leaf_bytes), in JSON."""
    return {
        "leaf_index": leaf_index,
        "originator_id": str(notification.originator_id),
        "originator_version": notification.originator_version,
        "topic": notification.topic,
        "state": base64.b64encode(bytes(notification.state)).decode(),
    }


def events_page(services: Services, start: int, limit: int) -> list[dict[str, Any]]:
    """The stored events of leaves start .. start+limit-1 that the tree holds, in the export format (for an
    auditor's mirror: paged by leaf index, any size)."""
    with services.engine.connect() as conn:
        leaves = merkle_leaves.c
        positions = list(
            conn.execute(
                select(leaves.leaf_index, leaves.position)
                .where(leaves.leaf_index.between(start, start + limit - 1))
                .order_by(leaves.leaf_index)
            )
        )
    if not positions:
        return []
    first, last = positions[0].position, positions[-1].position
    stored = services.app.recorder.select_notifications(first, len(positions), stop=last)
    by_position = {notification.id: notification for notification in stored}
    return [event_line(leaf.leaf_index, by_position[leaf.position]) for leaf in positions]


def import_log(services: Services, lines: Iterator[str], key: NoteKey | None = None) -> tuple[int, bytes]:
    """Into an empty database: insert every event in order, rebuild the tree and the read models, and check the
    tree against every checkpoint in the file (signed by the file's key, or by `key` when given).

    This is the one place that writes stored events verbatim, past the application and its domain events: each
    keeps the bytes it was exported with, so it keeps its leaf hash and the log still matches its checkpoints."""
    if services.app.recorder.max_notification_id():
        raise AuditError("import needs an empty database: this one already holds a log")
    header = json.loads(next(lines))
    if header.get("format") != FORMAT:
        raise AuditError("not a Partnership Tracker log export")
    key = key or NoteKey.parse(header["verifier_key"])
    with services.signed_log.importing():  # no process signs the log while it is imported
        return _import(services, lines, key)


def _import(services: Services, lines: Iterator[str], key: NoteKey) -> tuple[int, bytes]:
    notes: list[str] = []
    batch: list[StoredEvent] = []
    expected = 0
    for line in lines:
        item = json.loads(line)
        if "checkpoint" in item:
            notes.append(item["checkpoint"])
            continue
        if item["leaf_index"] != expected:
            raise AuditError(f"the export is out of order at leaf {expected}")
        expected += 1
        batch.append(
            StoredEvent(
                UUID(item["originator_id"]), item["originator_version"], item["topic"], base64.b64decode(item["state"])
            )
        )
        if len(batch) == BATCH:
            services.app.recorder.insert_events(batch)
            batch = []
    if batch:
        services.app.recorder.insert_events(batch)
    services.projections.catch_up()
    size, root = verify_log(services.engine, services.app, notes, key)
    services.signed_log.keep(notes, key)
    return size, root


def read_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        yield from (line for line in handle if line.strip())
