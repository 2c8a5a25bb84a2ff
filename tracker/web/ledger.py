"""The ledger blueprint: the signed head of the log and its proofs, for anyone to check (RFC 6962, C2SP)."""

from __future__ import annotations

import base64
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from flask_babel import gettext

from tracker.audit.merkle import ProofError
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
    latest = _latest()
    if latest is None:
        abort(404, gettext("No checkpoint is signed yet."))
    return Response(latest.note, mimetype="text/plain")


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
