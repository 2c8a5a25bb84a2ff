"""The verifiable log at scale: a tree of N leaves (default 1,000,000) stored as the merkle_tree projection keeps
it, then: inclusion proof size, time to serve a proof from the stored nodes and to verify it, and time for a
full verification (every leaf recomputed from record bytes, then the root) beside hashing the same bytes with
hashlib alone. One run, medians of repeated proofs.

    .venv/bin/python bench/ledger.py [--leaves 1000000]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
import uuid

from sqlalchemy import create_engine

from tracker.audit.merkle import inclusion_proof, leaf_hash, node_hash, root_of, verify_inclusion
from tracker.projections.merkle_tree import leaf_bytes, merkle_leaves, merkle_nodes, metadata, subtree_reader

RECORD_STATE = b'{"timestamp":{"_type_":"datetime_iso","_data_":"2026-11-23T00:00:00+00:00"},' + b"x" * 300 + b"}"


def records(n: int):
    originator = uuid.UUID(int=1)
    for i in range(n):
        yield leaf_bytes(originator, i + 1, "tracker.domain.commitment:Commitment.FollowUpReported", RECORD_STATE)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaves", type=int, default=1_000_000)
    args = parser.parse_args()
    n = args.leaves

    started = time.perf_counter()
    plain = [hashlib.sha256(b"\x00" + data).digest() for data in records(n)]
    hashlib_seconds = time.perf_counter() - started

    started = time.perf_counter()
    leaves = [leaf_hash(data) for data in records(n)]
    root = root_of(leaves)
    verify_seconds = time.perf_counter() - started
    assert leaves == plain

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/tree.sqlite3")
        metadata.create_all(engine)
        level, nodes = 0, leaves
        with engine.begin() as conn:
            conn.execute(
                merkle_leaves.insert(),
                [{"leaf_index": i, "position": i + 1, "leaf_hash": h} for i, h in enumerate(leaves)],
            )
            while nodes:
                if level > 0:  # level 0 is the leaves themselves
                    conn.execute(
                        merkle_nodes.insert(),
                        [{"level": level, "node_index": i, "hash": h} for i, h in enumerate(nodes)],
                    )
                nodes = [node_hash(nodes[i], nodes[i + 1]) for i in range(0, len(nodes) - 1, 2)]
                level += 1
        rng = random.Random(1)
        serve, check, sizes = [], [], []
        with engine.connect() as conn:
            for _ in range(200):
                index = rng.randrange(n)
                started = time.perf_counter()
                proof = inclusion_proof(index, n, subtree_reader(conn))
                serve.append(time.perf_counter() - started)
                started = time.perf_counter()
                verify_inclusion(index, n, leaves[index], proof, root)
                check.append(time.perf_counter() - started)
                sizes.append(len(proof))
    print(f"| measure ({n:,} leaves) | value |")
    print("| --- | --- |")
    print(f"| inclusion proof size | at most {max(sizes)} hashes ({max(sizes) * 32} bytes) |")
    print(f"| serve a proof from stored nodes (SQLite), median | {statistics.median(serve) * 1000:.2f} ms |")
    print(f"| verify a proof, median | {statistics.median(check) * 1e6:.0f} µs |")
    print(f"| full verification: every leaf and the root | {verify_seconds:.2f} s |")
    print(f"| hashlib alone over the same bytes (leaves only) | {hashlib_seconds:.2f} s |")
    print(f"| ratio | {verify_seconds / hashlib_seconds:.2f}x |")


if __name__ == "__main__":
    main()
