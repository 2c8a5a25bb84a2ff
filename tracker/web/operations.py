"""Probes for a load balancer: /healthz (the process answers) and /readyz (database up and taking a real write,
with room to write, read models caught up and moving)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tracker.persistence import write_refused
from tracker.web.services import services

blueprint = Blueprint("operations", __name__)
READY_LAG = int(os.environ.get("TRACKER_READY_LAG") or 100)
READY_STALL = float(os.environ.get("TRACKER_READY_STALL") or 30)
"""Seconds the read models may stand still while the log has grown before this process says it is not ready."""
READY_FREE_BYTES = int(os.environ.get("TRACKER_READY_FREE_MB") or 50) * 1024 * 1024
_still_since: dict[str, tuple[int, float]] = {}  # read model -> (position, when it was first seen there)


@blueprint.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@blueprint.get("/readyz")
def readyz() -> tuple[Response, int]:
    try:
        with services().engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        head = services().app.recorder.max_notification_id() or 0
        positions = services().projections.positions()
    except Exception as error:
        return jsonify(status="database unreachable", error=type(error).__name__), 503
    if (refused := write_refused(services().engine)) is not None:
        return jsonify(status="the database refuses writes", error=refused), 503
    if (free := _free_bytes()) is not None and free < READY_FREE_BYTES:
        return jsonify(status="the disk is nearly full: writes would fail", free_bytes=free), 503
    behind = {name: head - position for name, position in positions.items() if head - position > READY_LAG}
    if behind:
        return jsonify(status="read models behind the log", head=head, behind=behind), 503
    if stalled := _stalled(head, positions):
        return jsonify(status="read models stand still while the log grows", head=head, stalled=stalled), 503
    return jsonify(status="ready", head=head), 200


def _stalled(head: int, positions: dict[str, int]) -> dict[str, float]:
    """Read models behind the log that have not moved for READY_STALL seconds (a projector that died), by how
    long they have stood still."""
    now, stalled = time.monotonic(), {}
    for name, position in positions.items():
        seen_at, since = _still_since.get(name, (None, now))
        if position != seen_at or position >= head:  # moved, or caught up: the clock starts again
            _still_since[name] = (position, now)
        elif position < head and now - since >= READY_STALL:
            stalled[name] = round(now - since, 1)
    return stalled


def _free_bytes() -> int | None:
    """Free space where the SQLite database lives (PostgreSQL's disk is its server's to watch)."""
    url = make_url(services().settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    return shutil.disk_usage(Path(url.database).resolve().parent).free
