"""The command line as an operator uses it: init, demo, bad input and a wrong master key."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.catalogue import render_catalogue

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def environment(database_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_DATABASE_URL=database_url, TRACKER_INSTANCE_DIR=str(tmp_path / "instance"))
    return env


def tracker(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "tracker.cli", *args], env=env, capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_init_creates_secret_files_readable_by_the_owner_only(environment, tmp_path):
    result = tracker(environment, "init")
    assert result.returncode == 0, result.stderr
    for name in ("master.key", "secret.key", "signing.key"):
        mode = stat.S_IMODE((tmp_path / "instance" / name).stat().st_mode)
        assert mode == 0o600, name
    # a second init keeps the keys it made
    key = (tmp_path / "instance" / "master.key").read_text()
    assert tracker(environment, "init").returncode == 0
    assert (tmp_path / "instance" / "master.key").read_text() == key


def test_demo_loads_once(environment):
    assert tracker(environment, "init").returncode == 0
    first = tracker(environment, "demo", "--if-empty")
    assert first.returncode == 0, first.stderr
    assert "demo loaded: 3 teams" in first.stdout
    second = tracker(environment, "demo", "--if-empty")
    assert "demo not loaded" in second.stdout


def test_a_wrong_master_key_stops_with_one_line_and_exit_code_2(environment):
    assert tracker(environment, "init").returncode == 0
    environment["TRACKER_MASTER_KEY"] = "A" * 43 + "="
    result = tracker(environment, "demo")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "wrong master key" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_master_key_is_a_clear_start_up_error(environment):
    result = tracker(environment, "demo")
    assert result.returncode == 2
    assert "no master key" in result.stderr and "tracker init" in result.stderr


def test_bad_input_gets_one_line_on_stderr_and_a_non_zero_exit(environment):
    assert tracker(environment, "init").returncode == 0
    result = tracker(environment, "projections", "rebuild", "no_such_read_model")
    assert result.returncode == 1
    assert result.stderr.strip() == "tracker: no projection named no_such_read_model (name)"


def test_the_event_catalogue_in_docs_is_up_to_date():
    committed = (ROOT / "docs" / "events.md").read_text()
    assert committed == render_catalogue(), "docs/events.md is stale: run `make catalogue`"


def test_projections_rebuild_reports_progress(environment):
    assert tracker(environment, "init").returncode == 0
    assert tracker(environment, "demo").returncode == 0
    result = tracker(environment, "projections", "rebuild")
    assert result.returncode == 0, result.stderr
    assert "event_index" in result.stderr and "team_directory" in result.stderr
    # and with two processes, each rebuilds its own group of read models
    result = tracker(environment, "projections", "rebuild", "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("rebuilding ") == 2


def _first_member(environment):
    """The demo's first member: id and name (opened with the key store)."""
    from tracker.bootstrap import build_services
    from tracker.config import Settings

    services = build_services(Settings.from_env(environment), master_key=_master_key(environment))
    try:
        (joined,) = services.app.recorder.select_notifications(1, 1, topics=["tracker.domain.team:Team.MemberJoined"])
        event = services.app.mapper.to_domain_event(joined)
        return event.member_id, services.app.sealer.open(event.name)
    finally:
        services.close()


def _first_confidential_commitment(environment):
    from tracker.bootstrap import build_services
    from tracker.config import Settings

    services = build_services(Settings.from_env(environment), master_key=_master_key(environment))
    try:
        for notification in services.app.recorder.select_notifications(1, 100_000):
            if notification.topic.endswith("Commitment.Made"):
                commitment = services.app.commitment(notification.originator_id)
                if commitment.visibility == "confidential":
                    return commitment
    finally:
        services.close()
    raise AssertionError("the demo has no confidential commitment")


def _master_key(environment):
    from tracker.confidentiality import MasterKey

    return MasterKey.from_text((Path(environment["TRACKER_INSTANCE_DIR"]) / "master.key").read_text())


def test_erase_rotate_and_restart(environment):
    # given the demo
    assert tracker(environment, "init").returncode == 0
    assert tracker(environment, "demo").returncode == 0
    commitment = _first_confidential_commitment(environment)
    # when an admin erases a commitment with a reason from the list
    bad = tracker(environment, "erase", str(commitment.id), "--reason", "because Айгүл asked")
    assert bad.returncode == 2 and "Invalid value for '--reason'" in bad.stderr
    erased = tracker(environment, "erase", str(commitment.id), "--reason", "person_request")
    assert erased.returncode == 0, erased.stderr
    assert str(commitment.decision_id) in erased.stdout
    # and erases a member of the demo, at their request: the log still verifies, every proof with it
    member_id, name = _first_member(environment)
    erased = tracker(environment, "erase", str(member_id), "--reason", "person_request")
    assert erased.returncode == 0, erased.stderr
    verified = tracker(environment, "verify")
    assert verified.returncode == 0, verified.stderr
    assert name not in verified.stdout
    # and rotates the master key
    old_key = (Path(environment["TRACKER_INSTANCE_DIR"]) / "master.key").read_text()
    rotated = tracker(environment, "keys", "rotate")
    assert rotated.returncode == 0, rotated.stderr
    assert (Path(environment["TRACKER_INSTANCE_DIR"]) / "master.key").read_text() != old_key
    # then the tracker starts again with the new key, and refuses the old one
    assert tracker(environment, "demo", "--if-empty").returncode == 0
    environment["TRACKER_MASTER_KEY"] = old_key.strip()
    assert tracker(environment, "demo", "--if-empty").returncode == 2


def test_keys_export_and_import_with_a_passphrase(environment, tmp_path):
    assert tracker(environment, "init").returncode == 0
    assert tracker(environment, "demo").returncode == 0
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("a long enough passphrase\n")
    backup = tmp_path / "keys.backup"
    exported = tracker(environment, "keys", "export", str(backup), "--passphrase-file", str(passphrase))
    assert exported.returncode == 0, exported.stderr
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert b"data_keys" not in backup.read_bytes()
    imported = tracker(environment, "keys", "import", str(backup), "--passphrase-file", str(passphrase))
    assert imported.returncode == 0, imported.stderr
    assert "imported 0 data keys" in imported.stdout
    passphrase.write_text("not the passphrase at all")
    wrong = tracker(environment, "keys", "import", str(backup), "--passphrase-file", str(passphrase))
    assert wrong.returncode == 2 and "wrong passphrase" in wrong.stderr


def test_users_and_tokens_are_created_on_the_command_line(environment):
    assert tracker(environment, "init").returncode == 0
    assert tracker(environment, "demo").returncode == 0
    created = tracker(
        environment,
        "users",
        "create",
        "gulnara",
        "--role",
        "secretary",
        "--team",
        "NAR",
        "--password",
        "a long enough password",
    )
    assert created.returncode == 0, created.stderr
    short = tracker(environment, "users", "create", "bakyt", "--role", "member", "--team", "NAR", "--password", "short")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    unknown_team = tracker(
        environment,
        "users",
        "create",
        "aibek",
        "--role",
        "secretary",
        "--team",
        "ZZZ",
        "--password",
        "a long enough password",
    )
    assert unknown_team.returncode == 1 and "Traceback" not in unknown_team.stderr
    issued = tracker(environment, "tokens", "create", "gulnara")
    assert issued.returncode == 0
    token = issued.stdout.split()[-1]
    assert token.startswith("pt_") and len(token) > 40
    from tracker.bootstrap import build_services
    from tracker.config import Settings

    # an admin gives a new password to one who forgot hers; a too short one is refused with the reason
    reset = tracker(environment, "users", "set-password", "gulnara", "--password", "a brand new password")
    assert reset.returncode == 0 and "changed the password of gulnara" in reset.stdout
    refused = tracker(environment, "users", "set-password", "gulnara", "--password", "short")
    assert refused.returncode == 1 and "at least 10 characters" in refused.stderr
    services = build_services(Settings.from_env(environment), master_key=_master_key(environment))
    try:
        user_id = services.app.credentials.user_for_token(token)
        assert services.app.user(user_id).username == "gulnara"
        assert services.app.authenticate("gulnara", "a brand new password") is not None
        assert services.app.authenticate("gulnara", "a long enough password") is None
    finally:
        services.close()
    # her laptop is lost: an admin revokes her tokens, and the token no longer opens the API
    revoked = tracker(environment, "tokens", "revoke", "gulnara")
    assert revoked.returncode == 0 and "revoked 1 API token(s) of gulnara" in revoked.stdout
    services = build_services(Settings.from_env(environment), master_key=_master_key(environment))
    try:
        assert services.app.credentials.user_for_token(token) is None
    finally:
        services.close()
    nobody = tracker(environment, "tokens", "revoke", "no_such_user")
    assert nobody.returncode == 1 and "Traceback" not in nobody.stderr


def test_an_auditor_s_command_line_prove_check_verify_export_import(environment, tmp_path):
    assert tracker(environment, "init").returncode == 0
    assert tracker(environment, "demo").returncode == 0
    verified = tracker(environment, "verify")
    assert verified.returncode == 0 and verified.stdout.startswith("verified: ")
    key = tracker(environment, "ledger", "key").stdout.split("\n")[0]
    commitment = _first_confidential_commitment(environment)
    proof = tmp_path / "proof.json"
    assert tracker(environment, "ledger", "prove", str(commitment.id), "-o", str(proof)).returncode == 0
    offline = {k: v for k, v in environment.items() if k != "TRACKER_DATABASE_URL"}
    offline["TRACKER_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/nothing"  # no database is needed
    checked = tracker(offline, "ledger", "check-proof", str(proof), "--key", key)
    assert checked.returncode == 0, checked.stderr
    moved = re.sub(r'"leaf_index": (\d+)', lambda m: f'"leaf_index": {int(m.group(1)) + 1}', proof.read_text(), count=1)
    proof.write_text(moved)  # the first event's leaf index, one off
    tampered = tracker(offline, "ledger", "check-proof", str(proof), "--key", key)
    assert tampered.returncode == 1 and "Traceback" not in tampered.stderr
    exported = tmp_path / "log.jsonl"
    assert tracker(environment, "export", str(exported)).returncode == 0
    other = {
        **environment,
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path}/imported.sqlite3",
        "TRACKER_INSTANCE_DIR": str(tmp_path / "other-instance"),
    }
    assert tracker(other, "init").returncode == 0
    imported = tracker(other, "import", str(exported))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.split()[-1] == verified.stdout.split()[-1]  # the same root


def test_tracker_report_writes_the_pdf_without_a_web_app(environment, tmp_path):
    # given a database with the demo teams
    assert tracker(environment, "init").returncode == 0
    assert tracker(environment, "demo").returncode == 0
    # when the report is written by a process in which Flask and the web package cannot even be imported
    out = tmp_path / "NAR.pdf"
    no_web = (
        "import sys; sys.modules['flask'] = sys.modules['tracker.web'] = None; from tracker.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", no_web, "report", "NAR", "--language", "ky", "--pdf", str(out)],
        env=environment,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    # then the PDF is there, in Kyrgyz, with the team's public commitments
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Нариман" in text and "NAR-" in text
    assert "МИЛДЕТТЕНМЕЛЕРДИН АТКАРЫЛЫШЫ ТУУРАЛУУ ЖАЛПЫГА АЧЫК ОТЧЕТ" in text  # the title, in capitals


def test_verify_refuses_a_missing_or_empty_database_instead_of_making_one(environment, tmp_path):
    # given a mistyped database path, and a database that exists but holds no log
    missing = {**environment, "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'typo.sqlite3'}"}
    assert tracker(environment, "init").returncode == 0
    for env in (missing, environment):
        # when an auditor verifies it
        result = tracker(env, "verify")
        # then it refuses with one clear line, and makes no database
        assert result.returncode != 0
        assert "no log at" in result.stderr and "TRACKER_DATABASE_URL" in result.stderr
    assert not (tmp_path / "typo.sqlite3").exists()


def test_a_full_disk_stops_a_command_with_one_line_and_no_traceback(environment, tmp_path):
    # given a database whose writes fail as on a full disk (an in-process stand-in for a filled filesystem)
    assert tracker(environment, "init").returncode == 0
    refuse = (
        "import sys, eventsourcing.sqlite as s, eventsourcing.postgres as p\n"
        "def full(*a, **k): raise s.OperationalError('database or disk is full')\n"
        "s.SQLiteAggregateRecorder._insert_events = s.SQLiteApplicationRecorder._insert_events = full\n"
        "p.PostgresApplicationRecorder._insert_events = full\n"
        "from tracker.cli import main; sys.argv[0] = 'tracker'; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", refuse, "demo"], env=environment, capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    # then the demo stops with one line that names the cause
    assert result.returncode == 3, result.stderr
    assert "disk is full" in result.stderr and "Traceback" not in result.stderr
