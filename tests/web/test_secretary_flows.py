"""The secretary's flows through the Flask test client: what is recorded, what is refused and why."""

from __future__ import annotations

import html
import re

from tests.web.conftest import logged_in
from tracker.web import create_app


def meeting_form(world, **overrides):
    data = {
        "held_on": "2015-04-01",
        "kind": "regular",
        "place": "Мектеп",
        "minutes_visibility": "team",
        "attendee_ids": [world.a.chair.hex, world.a.police.hex],
        "guests_female": "3",
        "guests_male": "1",
        "agenda": "Жарык\nМектеп",
        "minutes": "Протокол",
        "decisions-0-text": "Жарык орнотуу",
        "decisions-0-visibility": "public",
        "decisions-0-commitments-0-description": "Чырак сатып алуу",
        "decisions-0-commitments-0-owner_member_id": world.a.chair.hex,
        "decisions-0-commitments-0-due_on": "2015-05-01",
        "decisions-0-commitments-0-visibility": "public",
        "decisions-0-commitments-1-description": "Орнотуу",
        "decisions-0-commitments-1-owner_member_id": "",
        "decisions-0-commitments-1-owner_body": "Айыл өкмөтү",
        "decisions-0-commitments-1-due_on": "2015-06-01",
        "decisions-0-commitments-1-visibility": "team",
        "idempotency_key": "form-1",
        "save": "1",
    }
    data.update(overrides)
    return data


def errors_in(response) -> list[str]:
    found = re.findall(r'<(?:p|li) class="error[^"]*"[^>]*>([^<]*)</(?:p|li)>', response.get_data(as_text=True))
    return [html.unescape(message) for message in found]


def test_a_secretary_records_a_meeting_with_two_commitments_and_sees_what_was_recorded(web, services, world):
    client = logged_in(web, "secretary_a")
    response = client.post(f"/secretary/teams/{world.a.team_id}/meetings/new", data=meeting_form(world))
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "The meeting was recorded." in html
    assert "Жарык орнотуу" in html and "Чырак сатып алуу" in html and "Орнотуу" in html
    assert re.search(r"MIR-2015-0\d", html), "each commitment shows its reference"


def test_a_double_submitted_meeting_form_records_once(web, services, world):
    client = logged_in(web, "secretary_a")
    url = f"/secretary/teams/{world.a.team_id}/meetings/new"
    first = client.post(url, data=meeting_form(world))
    head = services.app.recorder.max_notification_id()
    second = client.post(url, data=meeting_form(world))
    assert first.headers["Location"] == second.headers["Location"]
    assert services.app.recorder.max_notification_id() == head


def test_the_meeting_form_offers_another_decision_without_javascript(web, world):
    client = logged_in(web, "secretary_a")
    url = f"/secretary/teams/{world.a.team_id}/meetings/new"
    html = client.post(url, data={**meeting_form(world), "add_decision": "1", "save": ""}).get_data(as_text=True)
    assert 'name="decisions-2-text"' in html


def test_each_validation_error_is_shown_on_its_field_and_writes_nothing(web, services, world):
    client = logged_in(web, "secretary_a")
    url = f"/secretary/teams/{world.a.team_id}/meetings/new"
    cases = {
        "an impossible date": ({"held_on": "2015-02-30"}, "Not a valid date value."),
        "a due date before the meeting": (
            {"decisions-0-commitments-0-due_on": "2015-03-01"},
            "The due date cannot be before the meeting.",
        ),
        "an owner who is not a member": (
            {"decisions-0-commitments-0-owner_member_id": world.b_member.hex},
            "The owner must be a member of the team.",
        ),
        "a member present who is not one": (
            {"attendee_ids": [world.b_member.hex]},
            "Only members of the team on the meeting's date can be marked present.",
        ),
        "a commitment without a due date": ({"decisions-0-commitments-0-due_on": ""}, "A commitment needs a due date."),
        "a meeting in the future": ({"held_on": "2031-01-01"}, "This date is in the future."),
        "no place": ({"place": ""}, "This field is required."),
    }
    for case, (overrides, message) in cases.items():
        head = services.app.recorder.max_notification_id()
        response = client.post(url, data=meeting_form(world, idempotency_key=case, **overrides))
        assert response.status_code == 422, case
        assert message in errors_in(response), (case, errors_in(response))
        assert services.app.recorder.max_notification_id() == head, f"{case}: an event was written"


def test_a_form_without_its_csrf_token_is_refused_with_400(services, world):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False}, services=services)
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    assert (
        client.post(
            "/login", data={"username": "secretary_a", "password": "a long enough password", "csrf_token": token}
        ).status_code
        == 302
    )
    head = services.app.recorder.max_notification_id()
    response = client.post(f"/secretary/teams/{world.a.team_id}/meetings/new", data=meeting_form(world))
    assert response.status_code == 400
    assert services.app.recorder.max_notification_id() == head


def test_follow_ups_list_the_overdue_first_and_take_a_report(web, services, world):
    client = logged_in(web, "secretary_a")
    html = client.get(f"/secretary/teams/{world.a.team_id}/follow-ups").get_data(as_text=True)
    references = re.findall(r"<strong>(MIR-\d{4}-\d{2})</strong>", html)
    assert references == ["MIR-2015-03", "MIR-2015-01", "MIR-2015-02"]  # due 1 April, 1 May, 1 June: all overdue
    commitment = world.a.meeting.commitment_ids[0]
    response = client.post(
        f"/secretary/commitments/{commitment}/follow-up",
        data={"on": "2015-04-20", "status": "kept", "note": "Сатып алынды", "meeting_id": ""},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The follow-up was recorded." in page and "Сатып алынды" in page
    refused = client.post(
        f"/secretary/commitments/{commitment}/follow-up",
        data={"on": "2015-04-21", "status": "kept", "note": "again", "meeting_id": ""},
    )
    assert refused.status_code == 422
    assert "This commitment is closed; reopen it first." in errors_in(refused)


def test_corrections_are_recorded_with_their_reason_and_shown_as_such(web, services, world):
    client = logged_in(web, "secretary_a")
    commitment = world.a.meeting.commitment_ids[0]
    client.post(
        f"/secretary/commitments/{commitment}/due-date",
        data={"due_on": "2015-09-01", "on": "2015-04-02", "reason": "Бюджет кечигет"},
    )
    client.post(
        f"/secretary/commitments/{commitment}/hand-over",
        data={"owner_member_id": world.a.youth.hex, "owner_body": "", "on": "2015-04-03", "reason": "Жаштар"},
    )
    client.post(
        f"/secretary/meetings/{world.a.meeting.id}/minutes",
        data={"minutes": "Оңдолгон протокол", "on": "2015-04-03", "reason": "Ката"},
    )
    missing_reason = client.post(
        f"/secretary/meetings/{world.a.meeting.id}/visibility",
        data={"visibility": "public", "on": "2015-04-03", "reason": ""},
        follow_redirects=True,
    )
    assert "Reason: This field is required." in missing_reason.get_data(as_text=True)
    html = client.get(f"/secretary/commitments/{commitment}").get_data(as_text=True)
    assert "Due date revised" in html and "Бюджет кечигет" in html and "Handed over" in html
    meeting = client.get(f"/secretary/meetings/{world.a.meeting.id}").get_data(as_text=True)
    assert "Оңдолгон протокол" in meeting


def test_the_login_is_rate_limited(services, world):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False}, services=services)
    client = app.test_client()
    statuses = [
        client.post("/login", data={"username": "admin", "password": "wrong password!"}).status_code for _ in range(12)
    ]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_behind_a_proxy_the_login_limit_counts_each_client_not_the_proxy(services, world, monkeypatch):
    # given the app behind one proxy (nginx), where every request comes from the proxy's address
    monkeypatch.setenv("TRACKER_PROXIES", "1")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False}, services=services)
    client = app.test_client()

    def attempt(address):
        return client.post(
            "/login",
            data={"username": "admin", "password": "wrong password!"},
            headers={"X-Forwarded-For": address},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        ).status_code

    # when one client guesses until it is stopped
    guesses = [attempt("203.0.113.7") for _ in range(12)]
    # then that client is stopped, and another client behind the same proxy still may sign in
    assert guesses[-1] == 429 and attempt("198.51.100.20") == 200


def test_pages_carry_security_headers_and_no_external_assets(web, world):
    response = web.test_client().get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    html = response.get_data(as_text=True)
    assert "http://" not in html.replace("http://localhost", "") and "https://" not in html
    assert "<script" not in html


def test_the_search_box_finds_a_commitment_by_the_reference_said_aloud(web, world):
    secretary = logged_in(web, "secretary_a")
    response = secretary.get("/search", query_string={"q": "mir-2015-02"})
    assert response.headers["Location"].endswith(f"/secretary/commitments/{world.a.meeting.commitment_ids[1]}")
    public = web.test_client().get("/search", query_string={"q": "MIR-2015-02"})
    assert f"/teams/{world.a.team_id}/report#c-{world.a.meeting.commitment_ids[1].hex}" in public.headers["Location"]
    missing = web.test_client().get("/search", query_string={"q": "MIR-1999-01"}, follow_redirects=True)
    assert "No commitment MIR-1999-01 was found." in missing.get_data(as_text=True)


def test_a_meeting_form_kept_open_for_an_hour_still_saves(services, world, monkeypatch):
    import itsdangerous.timed

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False}, services=services)
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    client.post(
        "/login", data={"username": "secretary_a", "password": "a long enough password", "csrf_token": token.group(1)}
    )
    form = client.get(f"/secretary/teams/{world.a.team_id}/meetings/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    # when the secretary types the minutes for an hour and ten minutes
    later = itsdangerous.timed.time.time() + 70 * 60
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    response = client.post(
        f"/secretary/teams/{world.a.team_id}/meetings/new", data=meeting_form(world, csrf_token=token)
    )
    # then the meeting is recorded
    assert response.status_code == 302, errors_in(response)
