"""Probes for a load balancer: /healthz (the process answers) and /readyz (database up, read models caught up)."""

from __future__ import annotations

import os

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from tracker.web.services import services

blueprint = Blueprint("operations", __name__)
READY_LAG = int(os.environ.get("TRACKER_READY_LAG") or 100)


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
    behind = {name: head - position for name, position in positions.items() if head - position > READY_LAG}
    if behind:
        return jsonify(status="read models behind the log", head=head, behind=behind), 503
    return jsonify(status="ready", head=head), 200
