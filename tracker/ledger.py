"""The verifiable log: signed checkpoints (C2SP tlog-checkpoint in a signed-note, Ed25519), proofs from the
stored tree, and a full verification of the tree against the stored events."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import BigInteger, Column, Connection, Engine, LargeBinary, MetaData, String, Table, Text, select

from tracker.audit.merkle import (
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_of,
    verify_consistency,
)
from tracker.domain.errors import DomainError
from tracker.persistence import write_transaction
from tracker.projections.merkle_tree import leaf_bytes, merkle_leaves, root_at, subtree_reader, tree_size
from tracker.projections.types import UTCDateTime

ED25519 = b"\x01"
metadata = MetaData()
signed_checkpoints = Table(
    "signed_checkpoints",
    metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("root", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("key_name", String(200), nullable=False),
    Column("signed_at", UTCDateTime(), nullable=False),
)


class LedgerError(DomainError):
    """The log does not verify, or a checkpoint or proof is not what it claims."""


def default_origin() -> str:
    return os.environ.get("TRACKER_LOG_ORIGIN") or f"{socket.getfqdn()}/partnership-tracker"


@dataclass(frozen=True)
class NoteKey:
    """A signed-note Ed25519 key: its name (the log's origin) and public key; the vkey string pins both."""

    name: str
    public: Ed25519PublicKey

    @property
    def public_bytes(self) -> bytes:
        return self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def key_id(self) -> bytes:
        return hashlib.sha256(self.name.encode() + b"\n" + ED25519 + self.public_bytes).digest()[:4]

    @property
    def vkey(self) -> str:
        """`name+keyid+base64(alg || key)`: the verifier key to pin, print on paper, or pass to `--key`."""
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(ED25519 + self.public_bytes).decode()}"

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(ED25519 + self.public_bytes).hexdigest()
        return " ".join(digest[i : i + 4] for i in range(0, 32, 4))

    @classmethod
    def parse(cls, vkey: str) -> NoteKey:
        try:
            name, key_id, encoded = vkey.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
            key = cls(name, Ed25519PublicKey.from_public_bytes(raw[1:]))
        except (ValueError, TypeError) as error:
            raise LedgerError(f"not a verifier key (name+keyid+base64): {error}", "key") from None
        if raw[:1] != ED25519 or key.key_id.hex() != key_id:
            raise LedgerError("the verifier key's id does not match its name and key", "key")
        return key


def new_signing_key_pem() -> str:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode().strip()


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        raise LedgerError(f"no log signing key: run `tracker init` to create {path}")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise LedgerError(f"{path} is not an Ed25519 key")
    return key


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def sign_note(body: str, name: str, private: Ed25519PrivateKey) -> str:
    key = NoteKey(name, private.public_key())
    signature = private.sign(body.encode())
    return f"{body}\n\u2014 {name} {base64.b64encode(key.key_id + signature).decode()}\n"


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    note: str


def verify_note(note: str, key: NoteKey) -> str:
    """The text of a C2SP signed note whose signature by the pinned key verifies; other keys' lines are ignored."""
    body, separator, signatures = note.partition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise LedgerError("not a signed note: no blank line before its signatures")
    body += "\n"
    verified = False
    for line in signatures[:-1].split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != "\u2014":
            raise LedgerError("a signature line is malformed")
        if parts[1] != key.name:
            continue
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except ValueError:
            raise LedgerError("a signature is not base64") from None
        if raw[:4] != key.key_id:
            continue
        try:
            key.public.verify(raw[4:], body.encode())
        except InvalidSignature:
            raise LedgerError("the signature does not verify with the pinned key") from None
        verified = True
    if not verified:
        raise LedgerError("the note carries no signature by the pinned key")
    return body


def open_checkpoint(note: str, key: NoteKey) -> Checkpoint:
    """Verify a signed checkpoint with a pinned key and read its origin, size and root."""
    lines = verify_note(note, key).split("\n")
    try:
        origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)
    except (IndexError, ValueError):
        raise LedgerError("the checkpoint body is not origin, size and root") from None
    if origin != key.name or len(root) != 32 or size < 0:
        raise LedgerError("the checkpoint is for another log, or its root is not a SHA-256 hash")
    return Checkpoint(origin, size, root, note)


class Ledger:
    """The tree's head, proofs from stored nodes, and the checkpoints this server signed."""

    def __init__(self, engine: Engine, signing_key_file: Path, origin: str | None = None) -> None:
        self.engine = engine
        self.signing_key_file = signing_key_file
        self.origin = origin or default_origin()
        metadata.create_all(engine)

    @property
    def key(self) -> NoteKey:
        return NoteKey(self.origin, load_signing_key(self.signing_key_file).public_key())

    def head(self) -> tuple[int, bytes]:
        with self.engine.connect() as conn:
            size = tree_size(conn)
            return size, root_at(conn, size)

    def latest(self) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(select(signed_checkpoints).order_by(signed_checkpoints.c.size.desc()).limit(1)).first()

    def sign_head(self) -> Checkpoint:
        """Sign the current head, never one inconsistent with the last checkpoint signed (checked by proof)."""
        private = load_signing_key(self.signing_key_file)
        with write_transaction(self.engine) as conn:
            size = tree_size(conn)
            root = root_at(conn, size)
            last = conn.execute(select(signed_checkpoints).order_by(signed_checkpoints.c.size.desc()).limit(1)).first()
            if last is not None and last.size == size and last.root == root:
                return Checkpoint(self.origin, size, root, last.note)
            if last is not None:
                try:
                    proof = consistency_proof(last.size, size, subtree_reader(conn))
                    verify_consistency(last.size, size, last.root, root, proof)
                except ProofError as error:
                    raise LedgerError(f"the log is not consistent with checkpoint {last.size}: {error}") from None
            note = sign_note(checkpoint_body(self.origin, size, root), self.origin, private)
            conn.execute(
                signed_checkpoints.insert(),
                {"size": size, "root": root, "note": note, "key_name": self.origin, "signed_at": datetime.now(UTC)},
            )
        return Checkpoint(self.origin, size, root, note)

    def inclusion(self, index: int, size: int) -> list[bytes]:
        with self.engine.connect() as conn:
            self._within(conn, size)
            return inclusion_proof(index, size, subtree_reader(conn))

    def consistency(self, old_size: int, new_size: int) -> list[bytes]:
        with self.engine.connect() as conn:
            self._within(conn, new_size)
            return consistency_proof(old_size, new_size, subtree_reader(conn))

    def leaf_index_of(self, position: int) -> int:
        with self.engine.connect() as conn:
            index = conn.execute(
                select(merkle_leaves.c.leaf_index).where(merkle_leaves.c.position == position)
            ).scalar()
        if index is None:
            raise LedgerError(f"log position {position} is not in the tree yet")
        return int(index)

    def checkpoints(self) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(signed_checkpoints).order_by(signed_checkpoints.c.size)))

    @staticmethod
    def _within(conn: Connection, size: int) -> None:
        if size > tree_size(conn):
            raise ProofError(f"the tree has fewer than {size} leaves")


def verify_log(engine: Engine, app: Any, checkpoint_notes: list[str], key: NoteKey) -> tuple[int, bytes]:
    """Recompute every leaf from the stored events, then the tree, then every checkpoint (stored, and given as
    files); raise naming the first leaf where the record differs. Returns the size and root recomputed."""
    with engine.connect() as conn:
        stored = {row.leaf_index: row.leaf_hash for row in conn.execute(select(merkle_leaves))}
        checkpoints = {row.size: row.root for row in conn.execute(select(signed_checkpoints))}
    for note in checkpoint_notes:
        checkpoint = open_checkpoint(note, key)
        if checkpoints.setdefault(checkpoint.size, checkpoint.root) != checkpoint.root:
            raise LedgerError(f"two checkpoints of size {checkpoint.size} with different roots: the log forked")
    leaves: list[bytes] = []
    start = 0
    while notifications := app.recorder.select_notifications(start, 1000, inclusive_of_start=False):
        for notification in notifications:
            digest = leaf_hash(
                leaf_bytes(
                    notification.originator_id,
                    notification.originator_version,
                    notification.topic,
                    bytes(notification.state),
                )
            )
            if stored.get(len(leaves)) != digest:
                raise LedgerError(
                    f"the record differs at leaf {len(leaves)}: the stored event does not hash to the tree's leaf"
                )
            leaves.append(digest)
        start = notifications[-1].id
    if len(stored) != len(leaves):
        raise LedgerError(
            f"the record differs at leaf {len(leaves)}: the tree has {len(stored)} leaves, the log {len(leaves)} events"
        )
    good = 0
    for size in sorted(checkpoints):
        if size > len(leaves):
            raise LedgerError(
                f"the record differs at leaf {len(leaves)}: a checkpoint covers {size} leaves, the "
                f"log has only {len(leaves)} (truncated)"
            )
        if root_of(leaves[:size]) != checkpoints[size]:
            raise LedgerError(
                f"the record differs at a leaf from {good} to {size - 1}: it no longer matches the "
                f"checkpoint of size {size} (rewritten)"
            )
        good = size
    with engine.connect() as conn:
        if root_at(conn, len(leaves)) != root_of(leaves):
            raise LedgerError("the stored tree's nodes do not hash to the root of its leaves")
    return len(leaves), root_of(leaves)


PROOF_FORMAT = "partnership-tracker-proof/1"


def prove_aggregate(ledger: Ledger, app: Any, aggregate_id: Any) -> dict[str, Any]:
    """One file proving every event of a record (a commitment, say) is in the log under a signed checkpoint.
    It holds the stored records as stored (free text stays sealed), their leaf indexes and inclusion proofs."""
    from tracker.projections.event_index import event_index

    with ledger.engine.connect() as conn:
        positions = dict(
            conn.execute(
                select(event_index.c.originator_version, event_index.c.position).where(
                    event_index.c.originator_id == aggregate_id.hex
                )
            ).all()
        )
    records = app.recorder.select_events(aggregate_id)
    if not records:
        raise LedgerError(f"no record {aggregate_id} in the log", "id")
    leaves = {
        record.originator_version: ledger.leaf_index_of(positions[record.originator_version]) for record in records
    }
    checkpoint = ledger.latest()
    if checkpoint is None or checkpoint.size <= max(leaves.values()):
        checkpoint = ledger.sign_head()
    return {
        "format": PROOF_FORMAT,
        "record": str(aggregate_id),
        "checkpoint": checkpoint.note,
        "events": [
            {
                "leaf_index": leaves[record.originator_version],
                "originator_id": str(record.originator_id),
                "originator_version": record.originator_version,
                "topic": record.topic,
                "state": base64.b64encode(bytes(record.state)).decode(),
                "inclusion_proof": [
                    base64.b64encode(h).decode()
                    for h in ledger.inclusion(leaves[record.originator_version], checkpoint.size)
                ],
            }
            for record in records
        ],
    }


def check_proof(document: dict[str, Any], key: NoteKey) -> Checkpoint:
    """Verify a proof file offline: the checkpoint's signature with the pinned key, then every event's leaf,
    rebuilt from its stored bytes, up to the checkpoint's root. No database, no trust in the sender."""
    from uuid import UUID

    from tracker.audit.merkle import verify_inclusion

    if document.get("format") != PROOF_FORMAT:
        raise LedgerError("not a Partnership Tracker proof file")
    checkpoint = open_checkpoint(document["checkpoint"], key)
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
            raise LedgerError(f"event {event['originator_version']} at leaf {event['leaf_index']}: {error}") from None
    return checkpoint
