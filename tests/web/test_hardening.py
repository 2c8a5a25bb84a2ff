"""Hardening: redirects stay on this site, and no spreadsheet runs a formula from a public CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest

from tests.story import BY
from tests.web.conftest import PASSWORD, logged_in
from tracker.application.drafts import CommitmentDraft, DecisionDraft
from tracker.web.redirects import local_path


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/%2F%2Fevil.example",
        "javascript:alert(1)",
        "/%5Cevil.example",
        "",
    ],
)
def test_a_redirect_never_leaves_the_site(target):
    assert local_path(target) is None


def test_a_path_on_the_site_is_kept_with_its_query():
    assert local_path("/teams/1/report?from=2015-01-01") == "/teams/1/report?from=2015-01-01"


def test_login_with_a_next_that_points_away_lands_at_home(web, world):
    # given a link crafted to send the user elsewhere after logging in
    client = web.test_client()
    # when they log in through it
    response = client.post("/login?next=/%09/evil.example", data={"username": "secretary_a", "password": PASSWORD})
    # then they land on their own home page
    assert response.status_code == 302
    assert response.headers["Location"] == "/secretary/"


def test_the_language_switch_never_sends_the_reader_away(web):
    response = web.test_client().post("/language", data={"language": "ky", "next": "/\t/evil.example"})
    assert response.headers["Location"] == "/"
    kept = web.test_client().post("/language", data={"language": "ky", "next": "/teams"})
    assert kept.headers["Location"] == "/teams"


def test_public_csv_cells_that_look_like_formulas_are_made_inert(web, services, world):
    # given public commitments whose text starts like spreadsheet formulas
    texts = ['=HYPERLINK("http://evil.example")', "+1+2", "-3", "@SUM(A1)"]  # (leading tabs are trimmed)
    drafts = [CommitmentDraft(text, date(2015, 7, 1), "public", world.a.chair) for text in texts]
    services.app.record_meeting(
        world.a.team_id,
        held_on=date(2015, 5, 20),
        kind="regular",
        place="Зал",
        decisions=[DecisionDraft("=1+1", "public", drafts)],
        by=BY,
    )
    # when anyone downloads the report's CSV and the open data
    report = web.test_client().get(f"/teams/{world.a.team_id}/report.csv").data.decode("utf-8-sig")
    bundle = zipfile.ZipFile(io.BytesIO(web.test_client().get("/open-data/download").data))
    from_zip = bundle.read("MIR/commitments.csv").decode("utf-8-sig")
    # then no cell starts with a formula character, and each text is still there after an apostrophe
    for document in (report, from_zip):
        cells = [cell for row in csv.reader(io.StringIO(document)) for cell in row]
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
        for text in texts:
            assert f"'{text}" in cells


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"as_of": "9999-12-31"}, 400),
        ({"as_of": "0001-01-01"}, 400),
        ({"from": "2015-13-45"}, 400),
        ({"team_id": "x"}, 200),
        ({"_method": "POST"}, 200),
        ({"variant": "zz"}, 400),
    ],
)
@pytest.mark.parametrize("suffix", ["report", "report.pdf", "report.csv", "report.json"])
def test_odd_report_queries_get_a_4xx_or_the_report_never_a_500(web, world, query, status, suffix):
    response = web.test_client().get(f"/teams/{world.a.team_id}/{suffix}", query_string=query)
    expected = 200 if "variant" in query and suffix != "report.pdf" else status
    assert response.status_code == expected


def test_report_links_are_built_from_the_filters_only(web, world):
    # a forged Host and a url_for argument in the query string change nothing in the page's links
    html = (
        web.test_client()
        .get(
            f"/teams/{world.a.team_id}/report",
            query_string={"_external": "1", "from": "2015-01-01"},
            headers={"Host": "evil.example"},
        )
        .get_data(as_text=True)
    )
    assert "evil.example" not in html and "from=2015-01-01" in html


def test_a_reference_too_long_for_any_number_is_simply_not_found(web):
    response = web.test_client().get("/search", query_string={"q": "NAR-99999999999999999999-1"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("/audit/", {"page": "abc"}, 400),
        ("/audit/", {"page": "99999999999999999999"}, 400),
        ("/audit/", {"team": "abc"}, 400),
        ("/audit/", {"from": "0001-01-01"}, 400),
        ("/audit/replay", {"leaf": "1"}, 400),  # (with nothing at all, replay offers its form: tests/web/test_reach.py)
        ("/audit/replay", {"team": "TEAM", "leaf": "", "time": ""}, 400),
        ("/audit/replay", {"team": "abc", "leaf": "1"}, 400),
        ("/audit/replay", {"team": "TEAM", "leaf": "abc"}, 400),
        ("/audit/replay", {"team": "TEAM", "time": "0001-01-01"}, 400),
        ("/audit/replay", {"team": "00000000-0000-0000-0000-000000000000", "leaf": "1"}, 404),
    ],
)
def test_odd_audit_queries_get_a_4xx(web, world, path, query, status):
    query = {key: str(world.a.team_id) if value == "TEAM" else value for key, value in query.items()}
    assert logged_in(web, "auditor_a").get(path, query_string=query).status_code == status


def test_junk_in_id_fields_is_a_form_error_and_records_nothing(web, services, world):
    client = logged_in(web, "secretary_a")
    commitment = world.a.meeting.commitment_ids[0]
    before = services.app.recorder.max_notification_id()
    follow_up = {"on": "2015-04-01", "status": "kept", "meeting_id": "junk", "idempotency_key": "k1"}
    hand_over = {"on": "2015-04-01", "reason": "ill", "owner_member_id": "junk", "idempotency_key": "k2"}
    meeting = {"held_on": "2015-04-01", "kind": "regular", "place": "Зал", "attendee_ids": ["junk"], "save": "1"}
    owner = {
        **meeting,
        "attendee_ids": [],
        "decisions-0-text": "Чечим",
        "decisions-0-visibility": "public",
        "decisions-0-commitments-0-description": "Иш",
        "decisions-0-commitments-0-due_on": "2015-05-01",
        "decisions-0-commitments-0-visibility": "public",
        "decisions-0-commitments-0-owner_member_id": "junk",
    }
    for url, data in [
        (f"/secretary/commitments/{commitment}/follow-up", follow_up),
        (f"/secretary/commitments/{commitment}/hand-over", hand_over),
        (f"/secretary/teams/{world.a.team_id}/meetings/new", meeting),
        (f"/secretary/teams/{world.a.team_id}/meetings/new", owner),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 422, url
        assert "This is not one of the choices." in response.get_data(as_text=True)
    grant = logged_in(web, "admin").post(
        f"/admin/users/{world.users['member_a']}/roles", data={"role": "member", "team_id": "junk"}
    )
    assert grant.status_code == 302
    assert services.app.recorder.max_notification_id() == before


def _bearer(services, username):
    return {"Authorization": f"Bearer {services.app.credentials.create_token(services.app.user_named(username).id)}"}


def test_a_405_from_the_api_says_which_methods_are_allowed(web, world):
    response = web.test_client().delete(f"/api/v1/teams/{world.a.team_id}")
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"]


def test_a_fraction_of_a_guest_is_refused(web, services, world):
    body = {"held_on": "2015-04-01", "kind": "regular", "place": "Зал", "guests": {"female": 1.5, "male": 0}}
    response = web.test_client().post(
        f"/api/v1/teams/{world.a.team_id}/meetings", json=body, headers=_bearer(services, "secretary_a")
    )
    assert response.status_code == 422
    assert response.json["field"] == "guests.female"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ('{"held_on": "2015-04-01", "kind": "regular", "place": "\\ud800"}', 400),
        ("[" * 100_000 + "]" * 100_000, 400),
        ("[" * (10 * 1024 * 1024), 413),
    ],
    ids=["lone-surrogate", "deep", "ten-megabytes"],
)
def test_json_bodies_that_cannot_be_stored_are_refused_before_any_view(web, services, world, body, status):
    before = services.app.recorder.max_notification_id()
    response = web.test_client().post(
        f"/api/v1/teams/{world.a.team_id}/meetings",
        data=body,
        content_type="application/json",
        headers=_bearer(services, "secretary_a"),
    )
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert services.app.recorder.max_notification_id() == before


def test_a_reused_idempotency_key_with_other_content_is_a_409_naming_the_key(web, services, world):
    client, headers = web.test_client(), {**_bearer(services, "secretary_a"), "Idempotency-Key": "K-7"}
    body = {"due_on": "2015-09-01", "on": "2015-04-01", "reason": "budget"}
    first, other = world.a.meeting.commitment_ids[0], world.a.meeting.commitment_ids[1]
    assert client.post(f"/api/v1/commitments/{first}/due-date", json=body, headers=headers).status_code == 200
    head = services.app.recorder.max_notification_id()
    repeat = client.post(f"/api/v1/commitments/{first}/due-date", json=body, headers=headers)
    assert repeat.status_code == 200 and repeat.json == {"id": str(first)}
    refused = client.post(f"/api/v1/commitments/{other}/due-date", json=body, headers=headers)
    assert refused.status_code == 409
    assert refused.mimetype == "application/problem+json" and "K-7" in refused.json["detail"]
    assert services.app.recorder.max_notification_id() == head


def _limited_app(services):
    from tracker.web import create_app
    from tracker.web.limits import limiter

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False}, services=services)
    limiter.reset()
    return app


def test_only_failed_logins_count_against_the_limits(services, world):
    client = _limited_app(services).test_client()
    for _ in range(15):  # more than the 10 a minute an address may fail
        assert client.post("/login", data={"username": "secretary_a", "password": PASSWORD}).status_code == 302
        client.post("/logout")


def test_one_account_guessed_from_many_addresses_is_stopped(services, world):
    client = _limited_app(services).test_client()

    def guess(number):
        address = f"203.0.113.{number}"
        data = {"username": "Admin", "password": "wrong password!"}
        return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address}).status_code

    statuses = [guess(number) for number in range(25)]  # one try from each address
    assert statuses[0] == 200 and statuses[-1] == 429


def test_a_write_that_was_saved_is_answered_as_saved_when_the_read_models_fail_to_follow(web, services, world):
    # given the read models' update fails once, after the save (a full disk, say)
    real, calls = services.projections.catch_up, []

    def failing_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("database or disk is full")
        return real(*args, **kwargs)

    services.app.after_save[:] = [failing_once]
    client, headers = web.test_client(), _bearer(services, "secretary_a")
    commitment = world.a.meeting.commitment_ids[0]
    # when a follow-up is recorded through the API
    response = client.post(
        f"/api/v1/commitments/{commitment}/follow-ups",
        json={"on": "2015-04-01", "status": "in_progress"},
        headers=headers,
    )
    # then it is answered as recorded, and the read models catch up with the next command
    assert response.status_code == 201
    assert services.projections.position("commitments") < services.app.recorder.max_notification_id()
    client.post(
        f"/api/v1/commitments/{commitment}/follow-ups", json={"on": "2015-04-02", "status": "kept"}, headers=headers
    )
    assert services.projections.position("commitments") == services.app.recorder.max_notification_id()


def test_with_its_names_configured_the_server_refuses_other_hosts(services, world, monkeypatch):
    from tracker.web import create_app

    monkeypatch.setenv("TRACKER_HOSTS", "tracker.example.org")
    app = create_app({"TESTING": True, "SECRET_KEY": "t"}, services=services)
    client = app.test_client()
    assert client.get("/", headers={"Host": "tracker.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_digits_that_are_not_ascii_are_refused_not_a_500(web, world):
    assert web.test_client().get("/search", query_string={"q": "MIR-²²²²-1"}).status_code == 302
    assert logged_in(web, "auditor_a").get("/audit/", query_string={"page": "²"}).status_code == 400
    assert logged_in(web, "auditor_a").get("/audit/", query_string={"page": "9" * 5000}).status_code == 400
