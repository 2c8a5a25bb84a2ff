"""An auditor's tools: a proof file checked offline, a witness on another machine, export and import."""

from __future__ import annotations

import io
import json

import pytest

from tests.audit.forking import fork_the_log
from tests.conftest import POSTGRES_URL, reset_postgres
from tests.story import tell_long_story, tell_story
from tracker.audit.errors import AuditError
from tracker.audit.export import export_log, import_log
from tracker.audit.notes import NoteKey
from tracker.audit.proofs import check_proof, prove_aggregate
from tracker.audit.witness import LogMisbehaved, witness
from tracker.bootstrap import build_services
from tracker.config import Settings
from tracker.domain.access import PUBLIC
from tracker.web import create_app


def test_a_commitment_s_proof_file_verifies_offline_and_a_changed_one_does_not(services):
    story = tell_long_story(services.app)
    commitment_id = story.meeting.commitment_ids[0]
    document = json.loads(json.dumps(prove_aggregate(services.signed_log, services.app, commitment_id)))
    key = NoteKey.parse(services.signed_log.key.vkey)
    assert len(document["events"]) == 4 and check_proof(document, key).size >= document["events"][-1]["leaf_index"]
    assert "Орнотулду" not in json.dumps(document)  # free text stays sealed
    for mutate in (
        lambda d: d["events"][1].__setitem__("state", d["events"][0]["state"]),
        lambda d: d["events"][0].__setitem__("leaf_index", d["events"][0]["leaf_index"] + 1),
        lambda d: d["events"][0]["inclusion_proof"].pop(),
        lambda d: d.__setitem__("checkpoint", d["checkpoint"].replace("\n", "\n\n", 1)),
    ):
        changed = json.loads(json.dumps(document))
        mutate(changed)
        with pytest.raises(AuditError):
            check_proof(changed, key)


def test_the_witness_accepts_growth_and_keeps_evidence_of_a_rewrite(services, tmp_path):
    client = create_app({"TESTING": True, "SECRET_KEY": "t"}, services=services).test_client()

    def fetch(url):
        response = client.get(url.removeprefix("http://tracker"))
        assert response.status_code == 200, url
        return response.get_data(as_text=True)

    key = NoteKey.parse(services.signed_log.key.vkey)
    tell_story(services.app)
    services.signed_log.sign_head()
    state = tmp_path / "witness"
    assert witness("http://tracker", key, state, fetch).previous_size is None
    tell_story(services.app)
    services.signed_log.sign_head()
    grown = witness("http://tracker", key, state, fetch)
    assert grown.size > grown.previous_size
    # the server signs a rewritten history (a forked log) with its own key: the witness refuses it, with evidence
    fork_the_log(services)
    with pytest.raises(LogMisbehaved, match="evidence"):
        witness("http://tracker", key, state, fetch)
    assert len(list(state.glob("evidence-*/*-checkpoint"))) == 2


def test_export_then_import_reproduces_the_root_and_with_the_keys_the_same_reports(services, tmp_path, clock):
    story = tell_long_story(services.app)
    services.signed_log.sign_head()
    out = io.StringIO()
    exported = export_log(services, out)
    assert "data_keys" not in out.getvalue() and "Орнотулду" not in out.getvalue()
    size, root = services.signed_log.head()
    original = _report(services, story.team_id)

    # into a fresh database without the keys: same root, and every text unreadable
    fresh = Settings(f"sqlite:///{tmp_path}/imported.sqlite3", tmp_path / "instance-2")
    fresh.instance_dir.mkdir()
    fresh.signing_key_file.write_text(services.settings.signing_key_file.read_text())
    imported = build_services(fresh, master_key=services.key_store.master_key.__class__.generate(), clock=clock)
    assert import_log(imported, iter(out.getvalue().splitlines())) == (exported, root)
    assert (size, root) == imported.signed_log.head()
    blind = _report(imported, story.team_id)
    assert all(c["description"] is None for c in blind["commitments"])
    # with the keys restored, the same report
    imported.key_store.import_keys(services.key_store.export_keys())
    assert _report(imported, story.team_id) == original
    with pytest.raises(AuditError, match="empty database"):
        import_log(imported, iter(out.getvalue().splitlines()))
    imported.close()
    # and into a fresh PostgreSQL database, when the source was SQLite and PostgreSQL is configured
    if POSTGRES_URL and services.engine.dialect.name == "sqlite":
        reset_postgres(POSTGRES_URL)
        on_postgres = Settings(POSTGRES_URL, fresh.instance_dir)
        target = build_services(on_postgres, master_key=services.key_store.master_key.__class__.generate(), clock=clock)
        assert import_log(target, iter(out.getvalue().splitlines())) == (exported, root)
        target.key_store.import_keys(services.key_store.export_keys())
        assert _report(target, story.team_id) == original
        target.close()


def _report(services, team_id):
    app = create_app({"TESTING": True, "SECRET_KEY": "t"}, services=services)
    report = app.test_client().get(f"/teams/{team_id}/report.json", query_string={"as_of": "2015-12-31"}).json
    report.pop("built_from")
    return report


def test_public_reading_is_never_logged(services):
    story = tell_story(services.app)
    services.app.read_meeting(story.meeting.id, viewer=PUBLIC, page="/")
    assert services.app.access_log.entries() == []
