"""Witnesses that cosign (C2SP tlog-witness, tlog-cosignature): the witness server answers a stale size with 409,
a bad proof with 422 and a good one with a cosignature that verifies with its key; the log asks its witnesses in
the background and serves their cosignatures with the checkpoint; a proof file passes `check-proof --quorum 1` only
once a witness has cosigned it."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta

import pytest
from click.testing import CliRunner

from tests.story import add_member, register_team
from tracker.audit.cosign import CosignerKey, Witness, add_checkpoint_request, cosigned_by
from tracker.audit.cosigning import Cosigning, WitnessConfig
from tracker.audit.notes import NoteKey, checkpoint_body, sign_note
from tracker.audit.proofs import prove_aggregate
from tracker.cli import main
from tracker.web import create_app
from tracker.web.witness_server import create_witness_app

WITNESS = "witness.example.org/w1"


@pytest.fixture
def witness(services, tmp_path):
    served = Witness(WITNESS, tmp_path / "witness.key", [services.signed_log.key], tmp_path / "witness-state")
    served.http = create_witness_app(served).test_client()
    return served


def post_to(witness):
    def post(url, body):
        assert url == "https://witness.example.org/add-checkpoint"
        answer = witness.http.post("/add-checkpoint", data=body.encode())
        return answer.status_code, answer.get_data(as_text=True)

    return post


def add(witness, old, proof, note):
    return witness.http.post("/add-checkpoint", data=add_checkpoint_request(old, proof, note).encode())


def grown_and_signed(services, name):
    team = register_team(services.app, name, code=name[:3].upper())
    add_member(services.app, team, "Айгерим", "police", "female", "30_44")
    return services.signed_log.sign_head()


def test_the_witness_cosigns_a_consistent_checkpoint_and_refuses_the_rest(services, witness):
    first = grown_and_signed(services, "Alpha")
    # a first checkpoint, from size 0: cosigned, with a cosignature that verifies with the witness's key
    answer = add(witness, 0, [], first.note)
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    assert cosigned_by(first.note + answer.text, [witness.key]) == {WITNESS}
    second = grown_and_signed(services, "Bravo")
    proof = services.signed_log.consistency(first.size, second.size)
    # a stale old size: 409 with the size the witness knows
    stale = add(witness, 0, [], second.note)
    assert (stale.status_code, stale.headers["Content-Type"], stale.text) == (
        409,
        "text/x.tlog.size",
        f"{first.size}\n",
    )
    # a proof that does not verify: 422, and nothing kept
    forged = [bytes(32), *proof[1:]]
    assert add(witness, first.size, forged, second.note).status_code == 422
    # the good proof: cosigned, and the witness now knows the new size
    good = add(witness, first.size, proof, second.note)
    assert good.status_code == 200 and cosigned_by(second.note + good.text, [witness.key]) == {WITNESS}
    assert add(witness, first.size, proof, second.note).text == f"{second.size}\n"
    # another log's checkpoint, a signature by another key, and malformed requests
    other = NoteKey("other.example/log", services.signed_log.key.public)
    assert add(witness, 0, [], other.name + first.note[first.note.index("\n") :]).status_code == 404
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    body = checkpoint_body(services.signed_log.origin, second.size, second.root)
    impostor = sign_note(body, services.signed_log.origin, Ed25519PrivateKey.generate())
    assert add(witness, second.size, [], impostor).status_code == 403
    assert add(witness, second.size + 1, [], second.note).status_code == 400
    for malformed in (
        "",
        "old 01\n\n" + second.note,
        "old x\n\n",
        "old \u00b2\n\n" + second.note,
        "new 0\n\n" + second.note,
        "old 0\nnot-base64!\n\n",
    ):
        assert witness.http.post("/add-checkpoint", data=malformed.encode()).status_code == 400, malformed


def test_the_log_asks_its_witnesses_and_serves_their_cosignatures_with_the_checkpoint(services, witness, clock):
    config = WitnessConfig("https://witness.example.org", CosignerKey.parse(witness.key.vkey))
    services.checkpointer.cosigning = Cosigning(services.signed_log, [config], post_to(witness))
    client = create_app({"TESTING": True, "SECRET_KEY": "test"}, services=services).test_client()
    # given a write that signs a checkpoint (the first): the witness is asked in the background
    register_team(services.app)
    size = services.signed_log.latest().size
    served = wait_for_cosignature(client)
    assert cosigned_by(served, [config.key]) == {WITNESS} and f"\n{size}\n" in served
    # when the log has grown and the interval passed, the next checkpoint is cosigned from the last one
    clock.now += timedelta(seconds=61)
    add_member(services.app, services.app.team_id_for("MIR"), "Бакыт", "elders", "male", "60_plus")
    assert services.signed_log.latest().size > size
    served = wait_for_cosignature(client)
    assert f"\n{services.signed_log.latest().size}\n" in served
    # and a log that lost track of what the witness knows learns it from a 409 and asks again from there
    services.signed_log.witness_said(WITNESS, 0)
    checkpoint = services.signed_log.sign_head()
    assert services.checkpointer.cosigning.ask_all(checkpoint) == 1


def wait_for_cosignature(client, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        note = client.get("/ledger/checkpoint").text
        if note.count("\u2014 ") == 2:
            return note
        time.sleep(0.02)
    raise AssertionError(f"no cosignature served: {note}")


def test_check_proof_with_a_quorum_passes_only_once_a_witness_has_cosigned(services, witness, tmp_path):
    team = register_team(services.app)
    log_key, witness_key = services.signed_log.key.vkey, witness.key.vkey
    proof_file = tmp_path / "proof.json"
    command = ["ledger", "check-proof", str(proof_file), "--key", log_key, "--witness", witness_key, "--quorum", "1"]
    # given a proof file whose checkpoint no witness has cosigned yet
    proof_file.write_text(json.dumps(prove_aggregate(services.signed_log, services.app, team)))
    refused = CliRunner().invoke(main, command)
    assert refused.exit_code != 0 and "0 of the 1 witness cosignatures needed verify" in refused.output
    assert CliRunner().invoke(main, command[:5]).exit_code == 0  # without a quorum: the log's signature suffices
    # when the witness cosigns the checkpoint
    config = WitnessConfig("https://witness.example.org", CosignerKey.parse(witness_key))
    Cosigning(services.signed_log, [config], post_to(witness)).ask_all(services.signed_log.latest())
    proof_file.write_text(json.dumps(prove_aggregate(services.signed_log, services.app, team)))
    # then the same check passes
    passed = CliRunner().invoke(main, command)
    assert passed.exit_code == 0 and "cosigned by 1 of 1 witnesses" in passed.output
    # and a cosignature line tampered with does not count
    document = json.loads(proof_file.read_text())
    line = document["checkpoint"].splitlines()[-1]
    name, blob = line.rsplit(" ", 1)
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 1
    document["checkpoint"] = document["checkpoint"].replace(line, f"{name} {base64.b64encode(bytes(raw)).decode()}")
    proof_file.write_text(json.dumps(document))
    assert CliRunner().invoke(main, command).exit_code != 0
