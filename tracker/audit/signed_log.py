"""The signed log: the tree's head, proofs from its stored nodes, and the table of checkpoints signed over it."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Column, Connection, Engine, LargeBinary, MetaData, String, Table, Text, select

from tracker.audit.errors import AuditError
from tracker.audit.merkle import ProofError, consistency_proof, inclusion_proof, verify_consistency
from tracker.audit.notes import Checkpoint, NoteKey, checkpoint_body, load_signing_key, open_checkpoint, sign_note
from tracker.persistence import write_transaction
from tracker.projections.merkle_tree import merkle_leaves, root_at, subtree_reader, tree_size
from tracker.projections.types import UTCDateTime

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


def default_origin() -> str:
    return os.environ.get("TRACKER_LOG_ORIGIN") or f"{socket.getfqdn()}/partnership-tracker"


class SignedLog:
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
            return _latest(conn)

    def sign_head(self) -> Checkpoint:
        """Sign the current head, never one inconsistent with the last checkpoint signed (checked by proof)."""
        private = load_signing_key(self.signing_key_file)
        with write_transaction(self.engine) as conn:
            size = tree_size(conn)
            root = root_at(conn, size)
            last = _latest(conn)
            if last is not None and last.size == size and last.root == root:
                return Checkpoint(self.origin, size, root, last.note)
            if last is not None:
                try:
                    proof = consistency_proof(last.size, size, subtree_reader(conn))
                    verify_consistency(last.size, size, last.root, root, proof)
                except ProofError as error:
                    raise AuditError(f"the log is not consistent with checkpoint {last.size}: {error}") from None
            checkpoint = Checkpoint(
                self.origin, size, root, sign_note(checkpoint_body(self.origin, size, root), self.origin, private)
            )
            _insert(conn, checkpoint, self.origin)
        return checkpoint

    def keep(self, notes: list[str], key: NoteKey) -> None:
        """Store checkpoints signed elsewhere (an imported log's), each opened with the key, unless one of its size
        is already here."""
        with write_transaction(self.engine) as conn:
            known = set(conn.execute(select(signed_checkpoints.c.size)).scalars())
            for note in notes:
                checkpoint = open_checkpoint(note, key)
                if checkpoint.size not in known:
                    _insert(conn, checkpoint, key.name)

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
            raise AuditError(f"log position {position} is not in the tree yet")
        return int(index)

    def checkpoints(self) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(signed_checkpoints).order_by(signed_checkpoints.c.size)))

    @staticmethod
    def _within(conn: Connection, size: int) -> None:
        if size > tree_size(conn):
            raise ProofError(f"the tree has fewer than {size} leaves")


def _latest(conn: Connection) -> Any:
    return conn.execute(select(signed_checkpoints).order_by(signed_checkpoints.c.size.desc()).limit(1)).first()


def _insert(conn: Connection, checkpoint: Checkpoint, key_name: str) -> None:
    conn.execute(
        signed_checkpoints.insert(),
        {
            "size": checkpoint.size,
            "root": checkpoint.root,
            "note": checkpoint.note,
            "key_name": key_name,
            "signed_at": datetime.now(UTC),
        },
    )
