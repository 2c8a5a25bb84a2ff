"""The probes a load balancer uses."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import DATABASES, POSTGRES_URL
from tests.story import BY


def test_healthz_answers_and_readyz_reports_read_models_behind_the_log(web, services, world, monkeypatch):
    client = web.test_client()
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    # when a projector elsewhere falls far behind, the process is not ready
    services.app.after_save.clear()
    for day in range(1, 120):
        services.app.report_follow_up(
            world.a.meeting.commitment_ids[0], on=date(2015, 4, 1), status="in_progress", note=f"day {day}", by=BY
        )
    response = client.get("/readyz")
    assert response.status_code == 503 and "event_index" in response.json["behind"]
    services.projections.catch_up()
    assert client.get("/readyz").status_code == 200


def test_with_the_projector_stopped_a_write_answers_its_record_is_shown_and_readyz_turns_not_ready(
    settings, master_key, clock, monkeypatch
):
    import time

    from tests.story import tell_story
    from tests.web.conftest import PASSWORD, logged_in
    from tracker.bootstrap import build_services
    from tracker.web import create_app, operations

    # given a web process that leaves the read models to a projector, which has stopped
    story_services = build_services(settings, master_key=master_key, clock=clock)
    story = tell_story(story_services.app)
    story_services.app.register_user(username="secretary_a", display_name="S", password=PASSWORD, by=BY)
    story_services.app.grant_role(
        story_services.app.user_named("secretary_a").id, role="secretary", team_id=story.team_id, by=BY
    )
    story_services.close()
    monkeypatch.setenv("TRACKER_PROJECTIONS", "projector")
    monkeypatch.setattr(operations, "READY_STALL", 0.5)
    monkeypatch.setattr(operations, "_still_since", {})
    services = build_services(settings, master_key=master_key, clock=clock)
    try:
        web = create_app(
            {"TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False},
            services=services,
        )
        client = web.test_client()
        assert client.get("/readyz").status_code == 200
        token = services.app.credentials.create_token(services.app.user_named("secretary_a").id)
        headers = {"Authorization": f"Bearer {token}"}
        body = {
            "held_on": "2015-05-02",
            "kind": "regular",
            "place": "Зал",
            "decisions": [
                {
                    "text": "Жарык",
                    "visibility": "public",
                    "commitments": [
                        {
                            "description": "Чырак",
                            "due_on": "2015-06-01",
                            "visibility": "public",
                            "owner_member_id": str(story.chair),
                        }
                    ],
                }
            ],
        }
        # when a secretary records a meeting through the API
        started = time.monotonic()
        recorded = client.post(f"/api/v1/teams/{story.team_id}/meetings", json=body, headers=headers)
        # then it answers once the short wait has run out, not after the old ten seconds
        assert recorded.status_code == 201 and time.monotonic() - started < 8
        commitment = recorded.json["commitment_ids"][0]
        # and a follow-up on the commitment it returned is recorded, not a 404
        follow_up = client.post(
            f"/api/v1/commitments/{commitment}/follow-ups", json={"on": "2015-05-03", "status": "kept"}, headers=headers
        )
        assert follow_up.status_code == 201
        # and its page says it is still being processed, and looks again by itself
        page = logged_in(web, "secretary_a").get(f"/secretary/commitments/{commitment}")
        assert page.status_code == 200 and 'http-equiv="refresh"' in page.get_data(as_text=True)
        # and the process turns not ready once the read models have stood still long enough; healthz still answers
        client.get("/readyz")
        time.sleep(0.6)
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200
    finally:
        services.close()


def test_readyz_is_not_ready_when_the_disk_is_nearly_full(web, services, monkeypatch):
    from tracker.web import operations

    monkeypatch.setattr(operations, "READY_FREE_BYTES", 10**18)  # more than any disk has
    response = web.test_client().get("/readyz")
    if services.engine.dialect.name == "sqlite":
        assert response.status_code == 503 and "nearly full" in response.json["status"]
    else:
        assert response.status_code == 200  # PostgreSQL's disk is its server's to watch


def test_a_read_only_database_answers_writes_503_with_the_cause_and_readyz_is_not_ready(tmp_path):
    """SQLite itself refuses every write (query_only, as for a read-only file or file system): no fake error is
    injected. A server that cannot write says so on /readyz and answers writes 503 with the cause."""
    from sqlalchemy import event

    from tests.story import tell_story
    from tracker.bootstrap import build_services
    from tracker.confidentiality import MasterKey
    from tracker.config import Settings
    from tracker.web import create_app

    services = build_services(
        Settings(f"sqlite:///{tmp_path / 'read-only.sqlite3'}", tmp_path / "instance"), master_key=MasterKey.generate()
    )
    try:
        story = tell_story(services.app)
        secretary = services.app.register_user(username="sec", display_name="Sec", password="a long password!", by=BY)
        services.app.grant_role(secretary, role="secretary", team_id=story.team_id, by=BY)
        token = services.app.credentials.create_token(secretary)
        # From now on the database refuses writes, on every connection the app opens
        event.listen(services.engine, "connect", lambda connection, _: connection.execute("PRAGMA query_only = ON"))
        services.engine.dispose()
        pool = services.app.recorder.datastore.pool
        for pooled in list(pool._pool):
            pooled._sqlite_conn.execute("PRAGMA query_only = ON")
        make = pool._create_connection

        def read_only_connection():
            connection = make()
            connection._sqlite_conn.execute("PRAGMA query_only = ON")
            return connection

        pool._create_connection = read_only_connection
        head = services.app.recorder.max_notification_id()
        client = create_app({"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_ENABLED": False}, services=services)
        client = client.test_client()
        response = client.post(
            f"/api/v1/commitments/{story.meeting.commitment_ids[0]}/follow-ups",
            headers={"Authorization": f"Bearer {token}"},
            json={"on": "2015-04-20", "status": "kept"},
        )
        assert response.status_code == 503, response.get_data(as_text=True)
        assert "cannot be written to" in response.json["detail"]
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json["status"] == "the database refuses writes"
        assert ready.json["error"] == "OperationalError"  # the cause itself is in the server's log only
        assert services.app.recorder.max_notification_id() == head
    finally:
        services.close()


@pytest.mark.parametrize("database_url", [name for name in DATABASES if name == "postgres"], indirect=True)
def test_after_postgresql_cut_every_connection_the_next_requests_succeed(web, services, world):
    """A restart or failover of PostgreSQL kills every pooled connection: the next requests get fresh ones (the
    pools check a connection before use), never a 500."""
    import psycopg

    from tests.web.conftest import logged_in

    client = logged_in(web, "secretary_a")
    team_page = f"/secretary/teams/{world.a.team_id}"
    commitment = world.a.meeting.commitment_ids[0]
    assert client.get(team_page).status_code == 200  # the pools hold open connections now
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        cut = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert cut >= 1
    assert client.get(team_page).status_code == 200
    sent = client.post(
        f"/secretary/commitments/{commitment}/follow-up",
        data={"on": "2015-04-20", "status": "kept", "note": "", "meeting_id": "", "idempotency_key": "after-cut"},
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:500]
    assert client.get(f"/secretary/commitments/{commitment}").status_code == 200
