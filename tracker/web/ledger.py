"""The ledger blueprint: the signed head of the log, its proofs and its hash tiles, for anyone to check (RFC 6962,
C2SP tlog-checkpoint and tlog-tiles); the stored events themselves for auditors of every team only."""

from __future__ import annotations

import base64
import json
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from flask_babel import gettext

from tracker.audit.export import events_page
from tracker.audit.merkle import ProofError
from tracker.audit.tiles import NoSuchTile, parse_tile, tile_bytes
from tracker.web.auth import Account, bearer_user_id
from tracker.web.problems import problem
from tracker.web.services import services

blueprint = Blueprint("ledger", __name__, url_prefix="/ledger")


@blueprint.get("/head")
def head() -> Response:
    latest = _latest()
    if latest is None:
        abort(404, gettext("No checkpoint is signed yet."))
    body, _, signatures = latest.note.partition("\n\n")
    key = services().signed_log.key
    return jsonify(
        size=latest.size,
        root=base64.b64encode(latest.root).decode(),
        checkpoint=body + "\n",
        signature=signatures.strip(),
        note=latest.note,
        public_key=key.vkey,
        fingerprint=key.fingerprint,
    )


@blueprint.get("/checkpoint")
def checkpoint() -> Response:
    """The latest checkpoint, with the cosignatures its witnesses answered (C2SP signed note)."""
    latest = _latest()
    if latest is None:
        abort(404, gettext("No checkpoint is signed yet."))
    note = services().signed_log.served_note(latest)
    return Response(note, mimetype="text/plain", headers={"Cache-Control": "no-cache"})  # always the latest


@blueprint.get("/proof/inclusion")
def inclusion() -> Response:
    index, size = _number("index"), _number("size")
    try:
        proof = services().signed_log.inclusion(index, size)
    except ProofError as error:
        abort(400, str(error))
    return jsonify(index=index, size=size, proof=[base64.b64encode(h).decode() for h in proof])


@blueprint.get("/proof/consistency")
def consistency() -> Response:
    old, new = _number("from"), _number("to")
    try:
        proof = services().signed_log.consistency(old, new)
    except ProofError as error:
        abort(400, str(error))
    return jsonify(**{"from": old, "to": new, "proof": [base64.b64encode(h).decode() for h in proof]})


@blueprint.get("/tile/<level>/<path:rest>")
def tile(level: str, rest: str) -> Response:
    """A hash tile (C2SP tlog-tiles): a full one never changes, nor does a partial one of a given width."""
    try:
        wanted = parse_tile(level, rest)
        with services().engine.connect() as conn:
            body = tile_bytes(conn, wanted)
    except NoSuchTile:
        abort(404, gettext("The tree has no such tile yet."))
    cache = "public, max-age=31536000, immutable" if wanted.full else "public, max-age=60"
    return Response(body, mimetype="application/octet-stream", headers={"Cache-Control": cache})


EVENTS_PAGE = 1000


@blueprint.get("/events")
def events() -> Response:
    """The stored events from leaf `start`, in the export format, one JSON line each: for auditors of every team,
    with a bearer token (a leaf may be any team's, and its metadata is not for the public)."""
    user_id = bearer_user_id()
    if user_id is None:
        detail = gettext("Send an auditor's bearer token: Authorization: Bearer <token>.")
        return problem(401, detail=detail, headers={"WWW-Authenticate": "Bearer"})
    if not Account(services().app.user(user_id)).viewer.auditor_of_all_teams:
        return problem(403, detail=gettext("Only an auditor of every team reads the stored events."))
    try:
        start, limit = int(request.args.get("start", "")), int(request.args.get("limit", EVENTS_PAGE))
    except ValueError:
        start, limit = -1, 0
    if not 0 <= start < 2**62 or not 1 <= limit <= EVENTS_PAGE:
        detail = gettext("start is a leaf index (0 or more) and limit a number from 1 to %(most)d.", most=EVENTS_PAGE)
        return problem(400, detail=detail, field="start")
    lines = "".join(json.dumps(line) + "\n" for line in events_page(services(), start, limit))
    return Response(lines, mimetype="application/x-ndjson", headers={"Cache-Control": "private, no-store"})


def _latest() -> Any:
    """The latest checkpoint, signed first if one is due (where this process keeps the read models): a quiet log
    whose last writes came within the interval is signed when an auditor asks, not at its next write."""
    if services().checkpointer is not None:
        services().checkpointer()
    return services().signed_log.latest()


def _number(name: str) -> int:
    try:
        return int(request.args[name])
    except (KeyError, ValueError):
        abort(400, gettext("%(name)s is a whole number.", name=name))
