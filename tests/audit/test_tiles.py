"""The tree served as C2SP tlog-tiles: a client written from the specifications alone (tests/audit/tlog_client.py,
which imports nothing of the server's) recomputes the root from tiles at sizes 1, 255, 256, 257 and 65,537, finds
each earlier checkpoint's root in the same tiles (consistency), and checks inclusion proofs; full tiles are
cacheable for a year, partial ones briefly; the stored events are for auditors only."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from uuid import UUID

import pytest

from tests.audit import tlog_client as client_spec
from tests.story import add_member, register_team
from tracker.persistence import write_transaction
from tracker.projections.merkle_tree import MerkleTree, leaf_bytes, tree_size
from tracker.web import create_app


@dataclass
class Record:
    """A stored record as the tree reads it (the tree hashes any record; no event is needed to grow it)."""

    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


def record(index: int) -> Record:
    return Record(UUID(int=index + 1), 1, "tests.Leaf", f"leaf {index}".encode())


def grow_to(services, size):
    with write_transaction(services.engine) as conn:
        start = tree_size(conn)
        batch = [(record(index), 1_000_000 + index) for index in range(start, size)]
        MerkleTree().apply_batch(conn, batch)


@pytest.fixture
def web_client(services):
    return create_app({"TESTING": True, "SECRET_KEY": "test"}, services=services).test_client()


def test_a_client_from_the_spec_alone_recomputes_the_root_and_checks_inclusion(services, web_client):
    vkey = services.signed_log.key.vkey  # pinned out of band, as an auditor would
    fetched = []

    def get(path):
        answer = web_client.get(f"/ledger/{path}")
        assert answer.status_code == 200, path
        assert answer.mimetype == "application/octet-stream"
        cache = answer.headers["Cache-Control"]
        assert ("immutable" in cache and "max-age=31536000" in cache) == (".p/" not in path), (path, cache)
        fetched.append(path)
        return answer.data

    seen = []
    for size in (1, 255, 256, 257, 65_537):
        # given the log grown to this size and its head signed
        grow_to(services, size)
        services.signed_log.sign_head()
        origin, signed_size, root = client_spec.open_checkpoint(web_client.get("/ledger/checkpoint").text, vkey)
        assert (origin, signed_size) == (services.signed_log.origin, size)
        # then the root recomputed from tiles alone is the signed one, and so is every earlier checkpoint's
        tree = client_spec.TiledTree(size, get)
        assert tree.root(size) == root
        for old_size, old_root in seen:
            assert tree.root(old_size) == old_root
        seen.append((size, root))
        # and a leaf's inclusion checks, by a proof built from tiles and by the server's own
        for index in {0, size // 2, size - 1}:
            leaf = client_spec.leaf_hash(leaf_bytes(**vars(record(index))))
            assert client_spec.verify_inclusion(index, size, leaf, tree.inclusion_proof(index, size), root)
            served = web_client.get(f"/ledger/proof/inclusion?index={index}&size={size}").json["proof"]
            proof = [client_spec.base64.b64decode(h) for h in served]
            assert client_spec.verify_inclusion(index, size, leaf, proof, root)
            assert not client_spec.verify_inclusion(index, size, leaf, proof, bytes(32))
    assert {"tile/0/128", "tile/1/000", "tile/2/000.p/1"} <= set(fetched)  # full and partial tiles at three levels


def test_tiles_the_tree_does_not_have_and_malformed_paths_are_not_found(services, web_client):
    grow_to(services, 300)
    assert web_client.get("/ledger/tile/0/000").status_code == 200
    assert len(web_client.get("/ledger/tile/0/001.p/44").data) == 44 * 32
    assert len(web_client.get("/ledger/tile/0/001.p/10").data) == 10 * 32  # a prefix: immutable as well
    for path in (
        "0/001",
        "0/001.p/45",
        "1/000",
        "1/000.p/2",
        "0/002.p/1",
        "0/0001",
        "0/x000/000",
        "0/1",
        "00/000",
        "0/001.p/0",
        "%C2%B2/000",
        "0/000.p/%C2%B2",
        "0/%D9%A0%D9%A0%D9%A0",
        "0/x001/x001/x001/x001/x001/x001/x001/000",
        "0/001.p/256",
        "0/000.p/01",
        "64/000",
        "0/x001",
        "a/000",
    ):
        answer = web_client.get(f"/ledger/tile/{path}")
        assert answer.status_code == 404, path


def bearer(services, username, role, team_id=None):
    password = "Тоо-Суу 2015 жылдыз"
    user = services.app.register_user(username=username, display_name=username, password=password, by="test")
    services.app.grant_role(user, role=role, team_id=team_id, by="test")
    return {"Authorization": f"Bearer {services.app.credentials.create_token(user)}"}


def test_the_stored_events_are_for_auditors_of_every_team_only(services, web_client):
    team = register_team(services.app)
    add_member(services.app, team, "Айгерим Осмонова", "police", "female", "30_44")
    # anyone: refused, with a problem document
    anonymous = web_client.get("/ledger/events?start=0")
    assert anonymous.status_code == 401 and anonymous.mimetype == "application/problem+json"
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    # an auditor of one team, or an administrator: forbidden (a leaf may be any team's)
    for headers in (bearer(services, "auditor_one", "auditor", team), bearer(services, "admin", "admin")):
        assert web_client.get("/ledger/events?start=0", headers=headers).status_code == 403
    # an auditor of every team: the stored events as exported, paged by leaf index, each hashing to its leaf
    auditor = bearer(services, "auditor_all", "auditor")
    size = services.signed_log.head()[0]
    page = web_client.get(f"/ledger/events?start=1&limit={size}", headers=auditor)
    assert page.status_code == 200 and page.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in page.text.splitlines()]
    assert [line["leaf_index"] for line in lines] == list(range(1, size))
    tile = web_client.get(f"/ledger/tile/0/000.p/{size}").data
    for line in lines:
        data = leaf_bytes(
            UUID(line["originator_id"]), line["originator_version"], line["topic"], base64.b64decode(line["state"])
        )
        index = line["leaf_index"]
        assert client_spec.leaf_hash(data) == tile[index * 32 : index * 32 + 32]
    assert web_client.get(f"/ledger/events?start={size}", headers=auditor).text == ""
    for bad in ("start=-1", "start=x", "start=0&limit=0", "start=0&limit=100001"):
        answer = web_client.get(f"/ledger/events?{bad}", headers=auditor)
        assert answer.status_code == 400 and answer.mimetype == "application/problem+json", bad
