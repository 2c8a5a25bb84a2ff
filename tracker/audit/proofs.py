"""Proof files: every event of one record with its inclusion proof under a signed checkpoint, checked offline."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select

from tracker.audit.cosign import CosignerKey, check_quorum
from tracker.audit.errors import AuditError
from tracker.audit.merkle import ProofError, leaf_hash, verify_inclusion
from tracker.audit.notes import Checkpoint, NoteKey, open_checkpoint
from tracker.audit.signed_log import SignedLog
from tracker.projections.event_index import event_index
from tracker.projections.merkle_tree import leaf_bytes

PROOF_FORMAT = "partnership-tracker-proof/1"


def prove_aggregate(signed_log: SignedLog, app: Any, aggregate_id: Any) -> dict[str, Any]:
    """One file proving every event of a record (a commitment, say) is in the log under a signed checkpoint.
    It holds the stored records as stored (free text stays sealed), their leaf indexes and inclusion proofs."""
    with signed_log.engine.connect() as conn:
        positions = dict(
            conn.execute(
                select(event_index.c.originator_version, event_index.c.position).where(
                    event_index.c.originator_id == aggregate_id.hex
                )
            ).all()
        )
    records = app.recorder.select_events(aggregate_id)
    if not records:
        raise AuditError(f"no record {aggregate_id} in the log", "id")
    leaves = {
        record.originator_version: signed_log.leaf_index_of(positions[record.originator_version]) for record in records
    }
    checkpoint = signed_log.latest()
    if checkpoint is None or checkpoint.size <= max(leaves.values()):
        checkpoint = signed_log.sign_head()
    return {
        "format": PROOF_FORMAT,
        "record": str(aggregate_id),
        "checkpoint": signed_log.served_note(checkpoint),  # with the witnesses' cosignatures received so far
        "events": [
            {
                "leaf_index": leaves[record.originator_version],
                "originator_id": str(record.originator_id),
                "originator_version": record.originator_version,
                "topic": record.topic,
                "state": base64.b64encode(bytes(record.state)).decode(),
                "inclusion_proof": [
                    base64.b64encode(h).decode()
                    for h in signed_log.inclusion(leaves[record.originator_version], checkpoint.size)
                ],
            }
            for record in records
        ],
    }


def check_proof(
    document: dict[str, Any], key: NoteKey, witnesses: Sequence[CosignerKey] = (), quorum: int = 0
) -> Checkpoint:
    """Verify a proof file offline: the checkpoint's signature with the pinned key, at least `quorum` cosignatures
    by the given witnesses, then every event's leaf, rebuilt from its stored bytes, up to the checkpoint's root.
    No database, no trust in the sender."""
    if document.get("format") != PROOF_FORMAT:
        raise AuditError("not a Partnership Tracker proof file")
    checkpoint = open_checkpoint(document["checkpoint"], key)
    check_quorum(document["checkpoint"], list(witnesses), quorum)
    for event in document["events"]:
        leaf = leaf_hash(
            leaf_bytes(
                UUID(event["originator_id"]),
                int(event["originator_version"]),
                event["topic"],
                base64.b64decode(event["state"]),
            )
        )
        proof = [base64.b64decode(h) for h in event["inclusion_proof"]]
        try:
            verify_inclusion(int(event["leaf_index"]), checkpoint.size, leaf, proof, checkpoint.root)
        except ProofError as error:
            raise AuditError(f"event {event['originator_version']} at leaf {event['leaf_index']}: {error}") from None
    return checkpoint
