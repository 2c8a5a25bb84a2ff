"""An auditor's mirror: a full copy of the log, every leaf and root recomputed from the events; it resumes after
an interruption, refuses a forked log keeping the evidence, and `tracker verify --mirror` checks it with no
database and no signing key."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from tests.audit.forking import fork_the_log
from tests.story import tell_story
from tracker.audit import mirror as mirror_module
from tracker.audit.export import export_log
from tracker.audit.mirror import SplitView, mirror, verify_mirror
from tracker.audit.notes import NoteKey
from tracker.cli import main
from tracker.web import create_app

URL = "https://tracker.example"


@pytest.fixture
def log(services):
    """A log with a story told, its head signed, an auditor of every team's token, and a fetch through the app."""
    tell_story(services.app)
    services.signed_log.sign_head()
    user = services.app.register_user(username="auditor", display_name="A", password="Тоо-Суу 2015 жылдыз", by="t")
    services.app.grant_role(user, role="auditor", team_id=None, by="t")
    services.signed_log.sign_head()
    client = create_app({"TESTING": True, "SECRET_KEY": "t"}, services=services).test_client()
    services.token = services.app.credentials.create_token(user)
    services.key = NoteKey.parse(services.signed_log.key.vkey)

    def fetch(url, headers):
        answer = client.get(url.removeprefix(URL), headers=headers)
        assert answer.status_code == 200, (url, answer.status_code)
        return answer.data

    services.fetch = fetch
    return services


def exported_events(services):
    out = io.StringIO()
    export_log(services, out)
    return [line for line in out.getvalue().splitlines() if '"leaf_index"' in line]


def test_a_mirror_copies_every_event_and_follows_the_log_as_it_grows(log, tmp_path):
    directory = tmp_path / "mirror"
    first = mirror(URL, directory, log.key, log.token, fetch=log.fetch)
    assert first.previous_size == 0 and first.size == first.fetched == log.signed_log.latest().size
    tell_story(log.app)
    log.signed_log.sign_head()
    grown = mirror(URL, directory, log.key, log.token, fetch=log.fetch)
    assert (grown.previous_size, grown.fetched) == (first.size, grown.size - first.size)
    assert (directory / "events.ndjson").read_text().splitlines() == exported_events(log)
    assert verify_mirror(directory, log.key) == (grown.size, log.signed_log.latest().root)


def test_an_interrupted_mirror_resumes_where_it_stopped(log, tmp_path, monkeypatch):
    monkeypatch.setattr(mirror_module, "PAGE", 5)
    directory, pages = tmp_path / "mirror", []

    def cut_after_two_pages(url, headers):
        if "/ledger/events" in url:
            if len(pages) == 2:
                raise ConnectionResetError("the signal dropped")
            pages.append(url)
        return log.fetch(url, headers)

    # given a download cut after two pages of events, with half a line written as the signal dropped
    with pytest.raises(ConnectionResetError):
        mirror(URL, directory, log.key, log.token, fetch=cut_after_two_pages)
    assert len((directory / "events.ndjson").read_text().splitlines()) == 10
    assert not (directory / "log.json").exists()  # no checkpoint kept before its events are all checked
    with (directory / "events.ndjson").open("a") as events:
        events.write('{"leaf_index": 10, "originator_')
    # when it runs again, it fetches only what it lacks and ends identical to a copy made in one go
    resumed = mirror(URL, directory, log.key, log.token, fetch=log.fetch)
    assert resumed.fetched == resumed.size - 10
    assert (directory / "events.ndjson").read_text().splitlines() == exported_events(log)
    assert verify_mirror(directory)[0] == resumed.size


def test_a_forked_log_is_refused_with_the_evidence(log, tmp_path):
    directory = tmp_path / "mirror"
    kept = mirror(URL, directory, log.key, log.token, fetch=log.fetch)
    # given the server rolls its log back, rewrites an event, regrows it and signs the forked head with its key
    fork_the_log(log)
    tell_story(log.app)
    log.projections.catch_up(["merkle_tree"])
    log.signed_log.sign_head()
    # then the mirror refuses it, keeps both checkpoints and why, and still holds the log it had checked
    with pytest.raises(SplitView, match="evidence"):
        mirror(URL, directory, log.key, log.token, fetch=log.fetch)
    (evidence,) = directory.glob("evidence-*")
    assert {path.name for path in evidence.iterdir()} >= {"previous-checkpoint", "latest-checkpoint", "why"}
    assert "rewrote what its checkpoint of size" in (evidence / "why").read_text()
    assert json.loads((directory / "log.json").read_text())["size"] == kept.size


def test_tracker_verify_checks_a_mirror_with_no_database_and_no_signing_key(log, tmp_path, monkeypatch):
    directory = tmp_path / "mirror"
    size = mirror(URL, directory, log.key, log.token, fetch=log.fetch).size
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'nothing-here' / 'none.sqlite3'}")
    monkeypatch.setenv("TRACKER_INSTANCE_DIR", str(tmp_path / "no-instance"))
    result = CliRunner().invoke(main, ["verify", "--mirror", str(directory), "--key", log.key.vkey])
    assert result.exit_code == 0 and f"verified mirror: {size} leaves" in result.output
    # and a mirrored event changed afterwards is caught
    events = directory / "events.ndjson"
    lines = events.read_text().splitlines()
    changed = json.loads(lines[3]) | {"originator_version": 77}
    events.write_text("\n".join([*lines[:3], json.dumps(changed), *lines[4:]]) + "\n")
    result = CliRunner().invoke(main, ["verify", "--mirror", str(directory)])
    assert result.exit_code != 0 and "do not hash to the checkpoint" in result.output
    assert not (tmp_path / "nothing-here").exists() and not (tmp_path / "no-instance").exists()
