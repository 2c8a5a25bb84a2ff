"""Checkpoints that sign themselves: the first write of a fresh log is signed at once, later ones once the interval
has passed; never out of order, never during a rebuild or an import, never without a key; a failure to sign is
logged and never fails the command that saved."""

from __future__ import annotations

import io
import itertools
import logging
import threading
from datetime import timedelta

from sqlalchemy import select

from tests.story import add_member, register_team
from tracker.audit.export import export_log, import_log
from tracker.audit.merkle import verify_consistency
from tracker.audit.signed_log import signed_checkpoints
from tracker.bootstrap import build_services
from tracker.config import Settings
from tracker.web import create_app


def sizes(services):
    with services.engine.connect() as conn:
        return list(conn.execute(select(signed_checkpoints.c.size).order_by(signed_checkpoints.c.size)).scalars())


def assert_each_consistent_with_the_last(services):
    checkpoints = services.signed_log.checkpoints()
    for older, newer in itertools.pairwise(checkpoints):
        proof = services.signed_log.consistency(older.size, newer.size)
        verify_consistency(older.size, newer.size, older.root, newer.root, proof)


def test_the_first_write_of_a_fresh_log_yields_a_signed_head_with_no_manual_step(services):
    client = create_app({"TESTING": True, "SECRET_KEY": "test"}, services=services).test_client()
    # given a fresh deployment: nothing to pin yet
    assert client.get("/ledger/head").status_code == 404
    # when the first team is registered
    register_team(services.app)
    # then an auditor finds a signed head covering it
    head = client.get("/ledger/head")
    assert head.status_code == 200 and head.json["size"] == services.signed_log.head()[0] > 0


def test_later_writes_are_signed_once_the_interval_has_passed_by_the_applications_clock(services, clock):
    team = register_team(services.app)
    first = sizes(services)
    # when more is written within the interval, no checkpoint is signed
    add_member(services.app, team, "Айгерим", "police", "female", "30_44")
    assert sizes(services) == first
    # and once the interval has passed by the application's clock, the next write signs the head
    clock.now += timedelta(seconds=61)
    add_member(services.app, team, "Бакыт", "elders", "male", "60_plus")
    assert sizes(services) == [*first, services.signed_log.head()[0]]
    assert services.signed_log.latest().signed_at == clock.now
    assert_each_consistent_with_the_last(services)


def test_a_quiet_log_is_signed_when_an_auditor_asks_once_the_interval_has_passed(services, clock):
    team = register_team(services.app)
    add_member(services.app, team, "Айгерим", "police", "female", "30_44")
    client = create_app({"TESTING": True, "SECRET_KEY": "test"}, services=services).test_client()
    assert client.get("/ledger/head").json["size"] < services.signed_log.head()[0]
    clock.now += timedelta(seconds=61)
    assert client.get("/ledger/head").json["size"] == services.signed_log.head()[0]


def test_a_failure_to_sign_is_logged_and_never_fails_the_command_that_saved(services, clock, caplog):
    team = register_team(services.app)
    key = services.settings.signing_key_file.read_text()
    services.settings.signing_key_file.write_text("not a key\n")
    clock.now += timedelta(seconds=61)
    # when a command saves while the key cannot be read
    with caplog.at_level(logging.ERROR, logger="tracker.audit"):
        member = add_member(services.app, team, "Айгерим", "police", "female", "30_44")
    # then the command succeeded, the failure is logged, and nothing was signed
    assert str(member) in services.app.team(team).members
    assert "could not sign a checkpoint" in caplog.text
    assert len(sizes(services)) == 1
    # and once the key is back, the next write signs
    services.settings.signing_key_file.write_text(key)
    add_member(services.app, team, "Бакыт", "elders", "male", "60_plus")
    assert sizes(services)[-1] == services.signed_log.head()[0]


def test_nothing_is_signed_where_there_is_no_signing_key(services):
    services.settings.signing_key_file.unlink()
    register_team(services.app)
    assert sizes(services) == []


def test_nothing_is_signed_while_the_tree_is_smaller_than_the_last_checkpoint(services, clock):
    team = register_team(services.app)
    add_member(services.app, team, "Айгерим", "police", "female", "30_44")
    services.signed_log.sign_head()
    before = sizes(services)
    # given a rebuild of the tree in progress: the tree is smaller than the last checkpoint
    services.projections.reset(["merkle_tree"])
    clock.now += timedelta(seconds=61)
    assert services.checkpointer() is None and sizes(services) == before
    # when the tree has caught up and grown, the head is signed again, consistent with the last
    services.projections.catch_up()
    add_member(services.app, team, "Бакыт", "elders", "male", "60_plus")
    assert sizes(services)[-1] == services.signed_log.head()[0] > before[-1]
    assert_each_consistent_with_the_last(services)


def test_an_import_keeps_the_checkpoints_it_came_with_and_signs_none_of_its_own(services, tmp_path, clock):
    team = register_team(services.app)
    for name in ("Айгерим", "Бакыт", "Чолпон"):
        clock.now += timedelta(seconds=61)
        add_member(services.app, team, name, "police", "female", "30_44")
    out = io.StringIO()
    export_log(services, out)
    exported = [c.note for c in services.signed_log.checkpoints()]
    fresh = Settings(f"sqlite:///{tmp_path}/imported.sqlite3", tmp_path / "instance-2")
    fresh.instance_dir.mkdir()
    fresh.signing_key_file.write_text(services.settings.signing_key_file.read_text())
    imported = build_services(fresh, master_key=services.key_store.master_key, clock=clock)
    clock.now += timedelta(seconds=61)
    import_log(imported, iter(out.getvalue().splitlines()))
    assert [c.note for c in imported.signed_log.checkpoints()] == exported
    imported.close()


def test_concurrent_writers_sign_in_order_with_no_error(services, clock, caplog):
    services.checkpointer.interval = timedelta(0)  # every write due: the most contention there can be
    teams = [register_team(services.app, f"Команда {n}", code=f"CC{'AB'[n]}") for n in range(2)]
    failures = []

    def write(team):
        try:
            for number in range(8):
                add_member(services.app, team, f"Мүчө {number}", "police", "female", "30_44")
        except Exception as error:  # collected, asserted below
            failures.append(error)

    with caplog.at_level(logging.ERROR, logger="tracker.audit"):
        writers = [threading.Thread(target=write, args=(team,)) for team in teams]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
    assert failures == [] and "could not sign" not in caplog.text
    assert sizes(services)[-1] == services.signed_log.head()[0]
    assert_each_consistent_with_the_last(services)
