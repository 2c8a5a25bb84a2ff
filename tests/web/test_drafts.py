"""Typed work is never lost or doubled: a form refused because the session ended is kept and comes back filled
after logging in again, for the user to send; a form sent twice says it is recorded and links to the record."""

from __future__ import annotations

import re

from tests.web.conftest import PASSWORD, logged_in
from tests.web.test_fuzz import logged_in_with_csrf
from tests.web.test_secretary_flows import meeting_form
from tracker.web import create_app


def csrf_app(services):
    return create_app({"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_ENABLED": False}, services=services)


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    assert found, f"no {name} in the page"
    return found.group(1)


def test_a_meeting_sent_after_the_session_ended_is_kept_and_comes_back_filled_to_confirm(services, world):
    # Given a secretary whose session ended while she typed the minutes (her browser holds no session any more)
    app = csrf_app(services)
    url = f"/secretary/teams/{world.a.team_id}/meetings/new"
    head = services.app.recorder.max_notification_id()
    browser = app.test_client()
    # When she sends the meeting
    refused = browser.post(
        url, data=meeting_form(world, idempotency_key="typed-1"), headers={"Referer": f"http://localhost{url}"}
    )
    # Then nothing is recorded, the page says what she typed is kept, and offers to log in again
    assert refused.status_code == 400
    assert services.app.recorder.max_notification_id() == head
    page = refused.get_data(as_text=True)
    assert "what you typed is kept" in page and "Протокол" not in page  # the text itself is on the server only
    token, csrf = hidden(page, "kept_form"), hidden(page, "csrf_token")
    # When she logs in from that page
    logged = browser.post(
        f"/login?next={url}",
        data={"username": "secretary_a", "password": PASSWORD, "kept_form": token, "csrf_token": csrf},
    )
    assert logged.status_code == 302 and logged.headers["Location"] == url
    form = browser.get(url).get_data(as_text=True)
    # Then the form is filled as she typed it, with the same idempotency key, and still nothing is recorded
    assert "This is what you typed before your session ended." in form
    assert "Протокол" in form and "Чырак сатып алуу" in form and "Айыл өкмөтү" in form
    assert hidden(form, "idempotency_key") == "typed-1"
    assert services.app.recorder.max_notification_id() == head
    # and the kept form is given back once: a reload shows a fresh form
    again = browser.get(url).get_data(as_text=True)
    assert "Протокол" not in again
    # When she sends it herself, it is recorded once
    sent = browser.post(
        url, data={**meeting_form(world, idempotency_key="typed-1"), "csrf_token": hidden(form, "csrf_token")}
    )
    assert sent.status_code == 302
    assert len(services.app.recorder.select_notifications(head + 1, 100)) >= 1


def test_a_kept_form_is_shown_only_on_its_page_and_never_run_for_someone_else(services, world):
    app = csrf_app(services)
    url = f"/secretary/teams/{world.a.team_id}/meetings/new"
    head = services.app.recorder.max_notification_id()
    refused = app.test_client().post(url, data=meeting_form(world), headers={"Referer": f"http://localhost{url}"})
    token = hidden(refused.get_data(as_text=True), "kept_form")
    # a secretary of another team who logs in with the token gets no form of team A, and nothing is recorded
    other, csrf = logged_in_with_csrf(app, "secretary_b")
    other.post("/account/kept-form", data={"kept_form": token, "next": url, "csrf_token": csrf})
    assert other.get(url).status_code == 403
    assert services.app.recorder.max_notification_id() == head
    # a wrong token opens nothing
    mine, csrf = logged_in_with_csrf(app, "secretary_a")
    mine.post("/account/kept-form", data={"kept_form": "guess", "next": url, "csrf_token": csrf})
    assert "Протокол" not in mine.get(url).get_data(as_text=True)


def test_a_form_sent_after_the_login_session_was_closed_elsewhere_is_kept_too(services, world, web):
    client = logged_in(web, "secretary_a")
    commitment = world.a.meeting.commitment_ids[0]
    services.app.credentials.sessions.close_all(services.app.user_named("secretary_a").id)  # "sign out everywhere"
    page = f"/secretary/commitments/{commitment}"
    refused = client.post(
        f"{page}/follow-up",
        data={"on": "2015-04-20", "status": "kept", "note": "Сатып алынды", "meeting_id": "", "idempotency_key": "f-1"},
        headers={"Referer": f"http://localhost{page}"},
    )
    assert refused.status_code == 401
    token = hidden(refused.get_data(as_text=True), "kept_form")
    logged = client.post(
        f"/login?next={page}", data={"username": "secretary_a", "password": PASSWORD, "kept_form": token}
    )
    assert logged.headers["Location"] == page
    shown = client.get(page).get_data(as_text=True)
    assert "Сатып алынды" in shown and 'value="f-1"' in shown


def test_passwords_are_never_kept(services, world):
    app = csrf_app(services)
    refused = app.test_client().post("/account/password", data={"current": "x", "new": "y", "again": "y"})
    assert "kept_form" not in refused.get_data(as_text=True)


def test_a_meeting_sent_twice_with_its_key_says_it_is_recorded_and_links_to_it(web, services, world):
    # Given a meeting recorded from the form
    client = logged_in(web, "secretary_a")
    url = f"/secretary/teams/{world.a.team_id}/meetings/new"
    first = client.post(url, data=meeting_form(world, idempotency_key="back-1"))
    assert first.status_code == 302
    head = services.app.recorder.max_notification_id()
    # When the same form is sent again (a double tap; Back, then send), it leads to the one record, saying so
    same = client.post(url, data=meeting_form(world, idempotency_key="back-1"))
    assert same.headers["Location"] == first.headers["Location"]
    assert "This form was already sent: it is recorded once, here." in client.get(same.headers["Location"]).get_data(
        as_text=True
    )
    # When a changed copy is sent with the same key (Back, an edit, send)
    changed = client.post(url, data=meeting_form(world, idempotency_key="back-1", place="Айыл өкмөтү"))
    # Then nothing more is recorded; the page says it is recorded, links to it, and keeps the form with a new key
    # (sending it once more would be a deliberate second record)
    page = changed.get_data(as_text=True)
    assert changed.status_code == 409
    assert services.app.recorder.max_notification_id() == head
    assert "This form was already sent, and it is recorded." in page
    assert f'href="{first.headers["Location"]}"' in page
    assert hidden(page, "idempotency_key") != "back-1"
    assert "Протокол" in page and 'value="Айыл өкмөтү"' in page
    second = client.post(url, data=meeting_form(world, idempotency_key=hidden(page, "idempotency_key"), place="Y"))
    assert second.status_code == 302 and second.headers["Location"] != first.headers["Location"]


def test_a_follow_up_sent_twice_is_recorded_once_and_says_so(web, services, world):
    client = logged_in(web, "secretary_a")
    commitment = world.a.meeting.commitment_ids[0]
    data = {"on": "2015-04-20", "status": "kept", "note": "", "meeting_id": "", "idempotency_key": "fu-1"}
    assert client.post(f"/secretary/commitments/{commitment}/follow-up", data=data).status_code == 302
    head = services.app.recorder.max_notification_id()
    again = client.post(f"/secretary/commitments/{commitment}/follow-up", data=data, follow_redirects=True)
    assert "This form was already sent: it is recorded once, here." in again.get_data(as_text=True)
    assert services.app.recorder.max_notification_id() == head


def test_admin_forms_and_passwords_typed_there_are_never_kept(services, world):
    app = csrf_app(services)
    refused = app.test_client().post("/admin/users", data={"username": "x", "password": "a secret password"})
    assert refused.status_code == 400 and "kept_form" not in refused.get_data(as_text=True)


def test_a_mistyped_password_on_the_refusal_page_does_not_lose_the_kept_form(services, world):
    app = csrf_app(services)
    url = f"/secretary/teams/{world.a.team_id}/meetings/new"
    browser = app.test_client()
    refused = browser.post(url, data=meeting_form(world), headers={"Referer": f"http://localhost{url}"})
    page = refused.get_data(as_text=True)
    token, csrf = hidden(page, "kept_form"), hidden(page, "csrf_token")
    wrong = browser.post(
        f"/login?next={url}",
        data={"username": "secretary_a", "password": "wrong", "kept_form": token, "csrf_token": csrf},
    )
    again = wrong.get_data(as_text=True)
    assert hidden(again, "kept_form") == token
    browser.post(
        f"/login?next={url}",
        data={
            "username": "secretary_a",
            "password": PASSWORD,
            "kept_form": token,
            "csrf_token": hidden(again, "csrf_token"),
        },
    )
    assert "Протокол" in browser.get(url).get_data(as_text=True)


def test_a_follow_up_refused_once_then_kept_comes_back_on_the_commitment_page(services, world, web):
    # the page that refused the first try (422) is shown at the POST-only address /follow-up; the form kept after
    # the session ended there comes back on the commitment's own page
    client = logged_in(web, "secretary_a")
    commitment = world.a.meeting.commitment_ids[0]
    action = f"/secretary/commitments/{commitment}/follow-up"
    services.app.credentials.sessions.close_all(services.app.user_named("secretary_a").id)
    refused = client.post(
        action,
        data={"on": "2015-04-20", "status": "kept", "note": "Сатып алынды", "meeting_id": "", "idempotency_key": "f-2"},
        headers={"Referer": f"http://localhost{action}"},
    )
    token = hidden(refused.get_data(as_text=True), "kept_form")
    page = f"/secretary/commitments/{commitment}"
    logged = client.post(
        f"/login?next={page}", data={"username": "secretary_a", "password": PASSWORD, "kept_form": token}
    )
    assert logged.headers["Location"] == page
    assert "Сатып алынды" in client.get(page).get_data(as_text=True)


def test_logging_out_leaves_nothing_of_the_drafts_for_the_next_user(web, services, world):
    client = logged_in(web, "secretary_a")
    url = f"/secretary/teams/{world.a.team_id}/meetings/new"
    assert client.post(url, data=meeting_form(world, idempotency_key="one")).status_code == 302
    client.post("/logout")
    with client.session_transaction() as session:
        assert not {"recent_records", "recorded_keys", "kept_form"} & set(session)
