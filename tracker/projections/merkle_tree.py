"""Read model `merkle_tree`: an RFC 6962 tree over every stored event in log order, kept exactly once like any
projection, with the hash of every complete aligned subtree stored so proofs are served without the log.
A subtree of one leaf is the leaf itself: level 0 is read from `merkle_leaves`, never stored twice.

Consumes every stored record, as stored (ciphertext and all: an erasure changes nothing here); owns
`merkle_leaves` and `merkle_nodes`. A leaf's index is the event's place in the log sequence; the database's
notification ids (gaps on PostgreSQL) stay internal.
"""

from __future__ import annotations

import struct
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Column, Connection, Integer, LargeBinary, MetaData, Table, func, select

from tracker.audit.merkle import EMPTY_ROOT, leaf_hash, node_hash, split
from tracker.projections.batch import Batch, insert_many

LEAF_PREFIX = b"partnership-tracker/leaf/v1\n"

metadata = MetaData()
merkle_leaves = Table(
    "merkle_leaves",
    metadata,
    Column("leaf_index", BigInteger, primary_key=True, autoincrement=False),
    Column("position", BigInteger, nullable=False, unique=True),
    Column("leaf_hash", LargeBinary(32), nullable=False),
)
merkle_nodes = Table(
    "merkle_nodes",
    metadata,
    Column("level", Integer, primary_key=True, autoincrement=False),
    Column("node_index", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
)


def leaf_bytes(originator_id: UUID, originator_version: int, topic: str, state: bytes) -> bytes:
    """The canonical bytes of a stored record (docs/ledger.md): what a leaf hashes, and what a verifier rebuilds."""
    encoded_topic = topic.encode()
    return (
        LEAF_PREFIX
        + originator_id.bytes
        + struct.pack(">Q", originator_version)
        + struct.pack(">I", len(encoded_topic))
        + encoded_topic
        + struct.pack(">Q", len(state))
        + state
    )


class MerkleTree:
    name = "merkle_tree"
    version = 2  # 2: level-0 nodes are the leaves, no longer copied into merkle_nodes
    metadata = metadata
    consumes = ()
    raw = True  # gets the stored records themselves, every one, undecoded

    def apply(self, conn: Connection, notification: Any, position: int) -> None:
        self.apply_batch(conn, [(notification, position)])

    def apply_batch(self, conn: Connection, batch: Batch) -> None:
        """Append the leaves; each completed subtree's hash is computed once, from this batch's nodes or the
        stored left siblings (at most one a level), and all of them are written in one statement."""
        size = tree_size(conn)
        leaves, nodes = [], []
        fresh: dict[tuple[int, int], bytes] = {}
        for offset, (notification, position) in enumerate(batch):
            data = leaf_bytes(
                notification.originator_id,
                notification.originator_version,
                notification.topic,
                bytes(notification.state),
            )
            digest = leaf_hash(data)
            level, index, current = 0, size + offset, digest
            leaves.append({"leaf_index": index, "position": position, "leaf_hash": digest})
            fresh[(0, index)] = digest
            while index % 2 == 1:  # this leaf completes subtrees: store each one's hash
                left = fresh.get((level, index - 1)) or _node(conn, level, index - 1)
                current = node_hash(left, current)
                level, index = level + 1, index // 2
                nodes.append({"level": level, "node_index": index, "hash": current})
                fresh[(level, index)] = current
        insert_many(conn, merkle_leaves, leaves)
        insert_many(conn, merkle_nodes, nodes)


def tree_size(conn: Connection) -> int:
    last = conn.execute(select(func.max(merkle_leaves.c.leaf_index))).scalar()  # the primary key's index: O(log n)
    return 0 if last is None else int(last) + 1


def _node(conn: Connection, level: int, index: int) -> bytes:
    if level == 0:
        return conn.execute(select(merkle_leaves.c.leaf_hash).where(merkle_leaves.c.leaf_index == index)).scalar_one()
    return conn.execute(
        select(merkle_nodes.c.hash).where(merkle_nodes.c.level == level, merkle_nodes.c.node_index == index)
    ).scalar_one()


def subtree_reader(conn: Connection) -> Any:
    """MTH(D[start:end]) from the stored nodes: a perfect aligned range is one node; others split as RFC 6962."""

    @cache
    def subtree(start: int, end: int) -> bytes:
        n = end - start
        if n == 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0 and start % n == 0:
            return _node(conn, n.bit_length() - 1, start // n)
        k = split(n)
        return node_hash(subtree(start, start + k), subtree(start + k, end))

    return subtree


def root_at(conn: Connection, size: int) -> bytes:
    return subtree_reader(conn)(0, size)
