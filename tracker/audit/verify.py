"""A full check of the log: every leaf recomputed from the stored events, then the tree, then every checkpoint."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from tracker.audit.errors import AuditError
from tracker.audit.merkle import leaf_hash, root_of
from tracker.audit.notes import NoteKey, open_checkpoint
from tracker.audit.signed_log import signed_checkpoints
from tracker.projections.merkle_tree import leaf_bytes, merkle_leaves, root_at


def verify_log(
    engine: Engine, app: Any, checkpoint_notes: list[str], key: NoteKey, *, up_to: int | None = None
) -> tuple[int, bytes]:
    """Recompute every leaf from the stored events, then the tree, then every checkpoint (stored, and given as
    files); raise naming the first leaf where the record differs. Returns the size and root recomputed.

    On a live server, pass `up_to`: the log position the tree had reached (after catching it up). The events up to
    it (or up to the largest checkpoint, if that is further) must all be leaves; events recorded meanwhile are
    left for the next run, so a busy log never looks tampered with. Without it, every event must be a leaf."""
    # The checkpoints first, then the tree: a log that grows meanwhile only adds leaves past them.
    with engine.connect() as conn:
        checkpoints = {row.size: row.root for row in conn.execute(select(signed_checkpoints))}
        rows = list(
            conn.execute(select(merkle_leaves.c.leaf_index, merkle_leaves.c.position, merkle_leaves.c.leaf_hash))
        )
    stored = {row.leaf_index: row.leaf_hash for row in rows}
    for note in checkpoint_notes:
        checkpoint = open_checkpoint(note, key)
        if checkpoints.setdefault(checkpoint.size, checkpoint.root) != checkpoint.root:
            raise AuditError(f"two checkpoints of size {checkpoint.size} with different roots: the log forked")
    if up_to is not None and checkpoints:
        covered = {row.leaf_index: row.position for row in rows}.get(max(checkpoints) - 1)
        up_to = max(up_to, covered or 0)
    leaves: list[bytes] = []
    start = 0
    while notifications := app.recorder.select_notifications(start, 1000, inclusive_of_start=False):
        for notification in notifications:
            if up_to is not None and notification.id > up_to:
                break
            digest = leaf_hash(
                leaf_bytes(
                    notification.originator_id,
                    notification.originator_version,
                    notification.topic,
                    bytes(notification.state),
                )
            )
            if stored.get(len(leaves)) != digest:
                raise AuditError(
                    f"the record differs at leaf {len(leaves)}: the stored event does not hash to the tree's leaf"
                )
            leaves.append(digest)
        else:
            start = notifications[-1].id
            continue
        break
    if up_to is not None:  # leaves past the snapshot were added meanwhile: check the tree up to it (a leaf whose
        # event has gone from the log still counts, so a log cut short after its last checkpoint is caught)
        stored = {row.leaf_index: row.leaf_hash for row in rows if row.position <= up_to}
    if len(stored) != len(leaves):
        raise AuditError(
            f"the record differs at leaf {len(leaves)}: the tree has {len(stored)} leaves, the log {len(leaves)} events"
        )
    good = 0
    for size in sorted(checkpoints):
        if size > len(leaves):
            raise AuditError(
                f"the record differs at leaf {len(leaves)}: a checkpoint covers {size} leaves, the "
                f"log has only {len(leaves)} (truncated)"
            )
        if root_of(leaves[:size]) != checkpoints[size]:
            raise AuditError(
                f"the record differs at a leaf from {good} to {size - 1}: it no longer matches the "
                f"checkpoint of size {size} (rewritten)"
            )
        good = size
    with engine.connect() as conn:
        if root_at(conn, len(leaves)) != root_of(leaves):
            raise AuditError("the stored tree's nodes do not hash to the root of its leaves")
    return len(leaves), root_of(leaves)
