"""The public ledger endpoints: the signed head, and proofs that a client verifies on its own."""

from __future__ import annotations

import base64

from tests.story import tell_long_story
from tracker.audit.merkle import leaf_hash, verify_consistency, verify_inclusion
from tracker.audit.notes import NoteKey, open_checkpoint
from tracker.projections.merkle_tree import leaf_bytes
from tracker.web import create_app


def test_a_client_checks_the_head_and_the_proofs_with_the_pinned_key(services):
    app = create_app({"TESTING": True, "SECRET_KEY": "test"}, services=services)
    client = app.test_client()
    assert client.get("/ledger/head").status_code == 404
    tell_long_story(services.app)
    first = services.signed_log.sign_head()
    tell_long_story_again = services.app.record_meeting  # more events after the first checkpoint
    team = services.app.recorder.select_notifications(1, 1)[0].originator_id
    tell_long_story_again(team, held_on=services.app.today_for(team), kind="regular", place="Hall", by="cli:t")
    services.signed_log.sign_head()
    head = client.get("/ledger/head").json
    key = NoteKey.parse(head["public_key"])
    checkpoint = open_checkpoint(client.get("/ledger/checkpoint").get_data(as_text=True), key)
    assert (checkpoint.size, base64.b64encode(checkpoint.root).decode()) == (head["size"], head["root"])
    # inclusion of the first event, rebuilt from the stored record by the client itself
    record = services.app.recorder.select_notifications(1, 1)[0]
    leaf = leaf_hash(leaf_bytes(record.originator_id, record.originator_version, record.topic, record.state))
    proof = client.get("/ledger/proof/inclusion", query_string={"index": 0, "size": checkpoint.size}).json
    verify_inclusion(0, checkpoint.size, leaf, [base64.b64decode(h) for h in proof["proof"]], checkpoint.root)
    consistency = client.get("/ledger/proof/consistency", query_string={"from": first.size, "to": checkpoint.size})
    verify_consistency(
        first.size,
        checkpoint.size,
        first.root,
        checkpoint.root,
        [base64.b64decode(h) for h in consistency.json["proof"]],
    )
    assert client.get("/ledger/proof/inclusion", query_string={"index": 0, "size": 10**6}).status_code == 400
    assert client.get("/ledger/proof/consistency", query_string={"from": "x", "to": 3}).status_code == 400
