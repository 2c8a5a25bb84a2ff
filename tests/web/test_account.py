"""People change their own password; an admin sets a new one from the command line for one who forgot it."""

from __future__ import annotations

import re

from tests.web.conftest import PASSWORD, logged_in

NEW = "another long password"


def _password_changes(services, user_id):
    return [
        n
        for n in services.app.recorder.select_notifications(1, 100_000)
        if n.originator_id == user_id and n.topic.endswith("User.PasswordChanged")
    ]


def test_a_secretary_changes_her_password_and_logs_in_with_the_new_one(web, world, services):
    # given a logged-in secretary
    client = logged_in(web, "secretary_a")
    assert 'href="/account/password"' in client.get("/").get_data(as_text=True)
    before = len(_password_changes(services, world.users["secretary_a"]))
    # when she changes her password
    response = client.post("/account/password", data={"current": PASSWORD, "new": NEW, "again": NEW})
    # then she is sent on, told so, and the change is in the log (never the password or its hash)
    assert response.status_code == 302
    assert "Your password is changed." in client.get(response.location).get_data(as_text=True)
    changes = _password_changes(services, world.users["secretary_a"])
    assert len(changes) == before + 1
    assert NEW.encode() not in changes[-1].state and b"scrypt" not in changes[-1].state
    # and only the new password opens the account
    fresh = web.test_client()
    assert fresh.post("/login", data={"username": "secretary_a", "password": PASSWORD}).status_code == 200
    assert fresh.post("/login", data={"username": "secretary_a", "password": NEW}).status_code == 302


def test_a_wrong_current_password_or_a_bad_new_one_changes_nothing(web, world, services):
    client = logged_in(web, "member_a")
    user_id = world.users["member_a"]
    before = len(_password_changes(services, user_id))
    cases = [
        ({"current": "not my password", "new": NEW, "again": NEW}, "Wrong password."),
        ({"current": PASSWORD, "new": NEW, "again": NEW + "!"}, "The two new passwords differ."),
        ({"current": PASSWORD, "new": "short", "again": "short"}, "At least 10 characters."),
        ({"current": PASSWORD, "new": "", "again": ""}, "This field is required."),
    ]
    for data, message in cases:
        response = client.post("/account/password", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert re.search(rf'<p class="error" id="\w+-error">{re.escape(message)}</p>', page), (data, page)
    # nothing was recorded, and the old password still works
    assert len(_password_changes(services, user_id)) == before
    assert services.app.credentials.check_password(user_id, PASSWORD)


def test_the_password_page_needs_a_login(web, world):
    response = web.test_client().get("/account/password")
    assert response.status_code == 302 and "/login" in response.location


def test_the_password_page_is_translated(web, world):
    client = logged_in(web, "member_a")
    client.post("/language", data={"language": "ru", "next": "/"})
    page = client.get("/account/password").get_data(as_text=True)
    assert "Текущий пароль" in page


def test_a_new_password_ends_the_other_sessions_but_not_the_one_that_changed_it(web, world, services):
    # given the secretary logged in on two devices
    phone, office = logged_in(web, "secretary_a"), logged_in(web, "secretary_a")
    assert phone.get("/secretary/").status_code == 200 and office.get("/secretary/").status_code == 200
    # when she changes her password on her phone
    response = phone.post("/account/password", data={"current": PASSWORD, "new": NEW, "again": NEW})
    assert response.status_code == 302
    # then the phone stays logged in, and the office computer must log in again
    assert phone.get("/secretary/").status_code == 200
    office_page = office.get("/secretary/")
    assert office_page.status_code == 302 and "/login" in office_page.location


def test_a_password_set_by_an_admin_ends_every_session_of_that_account(web, world, services):
    client = logged_in(web, "member_a")
    assert client.get("/account/password").status_code == 200
    services.app.change_password(world.users["member_a"], password=NEW, by="cli:admin")
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.location


def _copy_of_the_cookie(web, client):
    thief = web.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_copied_session_cookie_stops_working_at_logout(web, world):
    # given a secretary logged in, and someone holding a copy of their session cookie
    client = logged_in(web, "secretary_a")
    thief = _copy_of_the_cookie(web, client)
    assert thief.get("/secretary/").status_code == 200
    # when the secretary logs out
    client.post("/logout")
    # then the copy is worth nothing
    assert thief.get("/secretary/").status_code == 302


def test_signing_out_everywhere_ends_every_session_of_the_account(web, world):
    # given the same account logged in on two devices
    phone, laptop = logged_in(web, "secretary_a"), logged_in(web, "secretary_a")
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert page.count('class="card"') >= 2 and "this device" in page
    # when one of them signs out everywhere
    assert laptop.post("/account/sessions/close").status_code == 302
    # then neither is logged in any more
    assert phone.get("/secretary/").status_code == 302
    assert laptop.get("/secretary/").status_code == 302
