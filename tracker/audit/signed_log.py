"""The signed log: the tree's head, proofs from its stored nodes, and the table of checkpoints signed over it."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    select,
)

from tracker.audit.errors import AuditError
from tracker.audit.merkle import ProofError, consistency_proof, inclusion_proof, verify_consistency
from tracker.audit.notes import Checkpoint, NoteKey, checkpoint_body, load_signing_key, open_checkpoint, sign_note
from tracker.persistence import write_transaction
from tracker.projections.merkle_tree import merkle_leaves, root_at, subtree_reader, tree_size
from tracker.projections.types import UTCDateTime

log = logging.getLogger("tracker.audit")
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
log_imports = Table(
    "log_imports",
    metadata,
    Column("import_id", Integer, primary_key=True),
    Column("started_at", UTCDateTime(), nullable=False),
)
"""An import under way (tracker.audit.export.import_log): nothing is signed while a row is here, so the imported
log keeps the checkpoints it came with."""
checkpoint_cosignatures = Table(
    "checkpoint_cosignatures",
    metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),  # the checkpoint's
    Column("witness", String(200), primary_key=True),
    Column("line", Text, nullable=False),  # the signed-note line the witness answered
    Column("received_at", UTCDateTime(), nullable=False),
)
witness_sizes = Table(
    "witness_sizes",
    metadata,
    Column("witness", String(200), primary_key=True),
    Column("size", BigInteger, nullable=False),  # the size of the last checkpoint it cosigned, as far as we know
)
IMPORT_GIVEN_UP_AFTER = timedelta(hours=6)  # an import row older than this was left by an import that was killed
SIGNING_LOCK = 0x7472_6163_6B65_72  # PostgreSQL advisory lock: one signer at a time, across processes


def default_origin() -> str:
    return os.environ.get("TRACKER_LOG_ORIGIN") or f"{socket.getfqdn()}/partnership-tracker"


class SignedLog:
    """The tree's head, proofs from stored nodes, and the checkpoints this server signed."""

    def __init__(
        self,
        engine: Engine,
        signing_key_file: Path,
        origin: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.engine = engine
        self.signing_key_file = signing_key_file
        self.origin = origin or default_origin()
        self.clock = clock or (lambda: datetime.now(UTC))
        metadata.create_all(engine)

    @property
    def can_sign(self) -> bool:
        """False where there is no signing key: an auditor's mirror, or a copy for reading only."""
        return self.signing_key_file.exists()

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
            _one_signer(conn)
            size = tree_size(conn)
            root = root_at(conn, size)
            last = _latest(conn)
            if last is not None and last.size == size and last.root == root:
                return Checkpoint(self.origin, size, root, last.note)
            return self._sign(conn, private, size, root, last)

    def sign_if_due(self, interval: timedelta) -> tuple[Checkpoint | None, datetime | None]:
        """Sign the head if the log has grown since the last checkpoint and `interval` has passed since it was
        signed (at once for the first); never while the tree is smaller than the last checkpoint (a rebuild in
        progress) or an import is under way. Returns the checkpoint signed, if any, and when the latest was."""
        with self.engine.connect() as conn:  # most calls end here, reading two rows, without the write lock
            due, signed_at = _due(conn, self.clock(), interval)
        if not due:
            return None, signed_at
        private = load_signing_key(self.signing_key_file)
        with write_transaction(self.engine) as conn:
            _one_signer(conn)
            due, signed_at = _due(conn, self.clock(), interval)  # again, under the lock: another may have signed
            if not due:
                return None, signed_at
            size = tree_size(conn)
            checkpoint = self._sign(conn, private, size, root_at(conn, size), _latest(conn))
        return checkpoint, self.clock()

    def _sign(self, conn: Connection, private: Any, size: int, root: bytes, last: Any) -> Checkpoint:
        if last is not None:
            try:
                proof = consistency_proof(last.size, size, subtree_reader(conn))
                verify_consistency(last.size, size, last.root, root, proof)
            except ProofError as error:
                raise AuditError(f"the log is not consistent with checkpoint {last.size}: {error}") from None
        checkpoint = Checkpoint(
            self.origin, size, root, sign_note(checkpoint_body(self.origin, size, root), self.origin, private)
        )
        _insert(conn, checkpoint, self.origin, self.clock())
        return checkpoint

    def served_note(self, checkpoint: Any) -> str:
        """A stored checkpoint's note with the witnesses' cosignatures received for it appended."""
        with self.engine.connect() as conn:
            lines = conn.execute(
                select(checkpoint_cosignatures.c.line)
                .where(checkpoint_cosignatures.c.size == checkpoint.size)
                .order_by(checkpoint_cosignatures.c.witness)
            ).scalars()
            return checkpoint.note + "".join(lines)

    def keep_cosignature(self, size: int, witness: str, line: str) -> None:
        with write_transaction(self.engine) as conn:
            conn.execute(
                delete(checkpoint_cosignatures).where(
                    checkpoint_cosignatures.c.size == size, checkpoint_cosignatures.c.witness == witness
                )
            )
            values = {"size": size, "witness": witness, "line": line, "received_at": self.clock()}
            conn.execute(checkpoint_cosignatures.insert().values(values))
            self._witness_at(conn, witness, size)

    def witness_size(self, witness: str) -> int:
        """The size of the last checkpoint the witness cosigned, as far as this log knows (0: none)."""
        with self.engine.connect() as conn:
            size = conn.execute(select(witness_sizes.c.size).where(witness_sizes.c.witness == witness)).scalar()
            return int(size or 0)

    def witness_said(self, witness: str, size: int) -> None:
        """What a witness answered with a 409: the size it knows."""
        with write_transaction(self.engine) as conn:
            self._witness_at(conn, witness, size)

    @staticmethod
    def _witness_at(conn: Connection, witness: str, size: int) -> None:
        conn.execute(delete(witness_sizes).where(witness_sizes.c.witness == witness))
        conn.execute(witness_sizes.insert().values(witness=witness, size=size))

    def covering(self, events: int) -> Any:
        """The first checkpoint that covers the log's first `events` events (its size at least that), or None."""
        with self.engine.connect() as conn:
            query = select(signed_checkpoints).where(signed_checkpoints.c.size >= events)
            return conn.execute(query.order_by(signed_checkpoints.c.size).limit(1)).first()

    @contextmanager
    def importing(self) -> Iterator[None]:
        """While an import runs: no process signs (the imported checkpoints are kept as they are)."""
        with write_transaction(self.engine) as conn:
            import_id = conn.execute(log_imports.insert().values(started_at=self.clock())).inserted_primary_key[0]
        try:
            yield
        finally:
            with write_transaction(self.engine) as conn:
                conn.execute(delete(log_imports).where(log_imports.c.import_id == import_id))

    def keep(self, notes: list[str], key: NoteKey) -> None:
        """Store checkpoints signed elsewhere (an imported log's), each opened with the key, unless one of its size
        is already here."""
        with write_transaction(self.engine) as conn:
            known = set(conn.execute(select(signed_checkpoints.c.size)).scalars())
            for note in notes:
                checkpoint = open_checkpoint(note, key)
                if checkpoint.size not in known:
                    _insert(conn, checkpoint, key.name, self.clock())

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


def _one_signer(conn: Connection) -> None:
    """Signers take turns (SQLite: the write lock taken at BEGIN; PostgreSQL: an advisory lock to the end of the
    transaction), so checkpoints are signed in order of size."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SIGNING_LOCK})")


def _due(conn: Connection, now: datetime, interval: timedelta) -> tuple[bool, datetime | None]:
    last = _latest(conn)
    started = conn.execute(select(func.max(log_imports.c.started_at))).scalar()
    if started is not None and now - started < IMPORT_GIVEN_UP_AFTER:
        return False, last.signed_at if last else None
    if started is not None:
        log.warning("an import started at %s never finished: signing checkpoints again", started.isoformat())
    size = tree_size(conn)
    if last is None:
        return size > 0, None
    return size > last.size and now - last.signed_at >= interval, last.signed_at


def _insert(conn: Connection, checkpoint: Checkpoint, key_name: str, signed_at: datetime | None = None) -> None:
    conn.execute(
        signed_checkpoints.insert(),
        {
            "size": checkpoint.size,
            "root": checkpoint.root,
            "note": checkpoint.note,
            "key_name": key_name,
            "signed_at": signed_at or datetime.now(UTC),
        },
    )
