"""The offline layer's server side: the service worker and manifest, the pages kept on the phone (no confidential
text in them), and the JSON API as the outbox uses it (the page's session, a CSRF header, answers in the reader's
language, each key answered once)."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

from tests.web.conftest import PASSWORD, logged_in
from tests.web.test_drafts import csrf_app, hidden

CONFIDENTIAL = "Ата-энелер менен жашыруун сүйлөшүү"


def meeting_body(world, **overrides):
    body = {
        "held_on": "2015-04-01",
        "kind": "regular",
        "place": "Мектеп",
        "attendees": [world.a.chair.hex],
        "guests": {"female": 1, "male": 0},
        "agenda": "Жарык\nМектеп",
        "minutes": "Протокол",
        "minutes_visibility": "team",
        "decisions": [
            {
                "text": "Жарык орнотуу",
                "visibility": "public",
                "commitments": [
                    {
                        "description": "Чырак",
                        "owner_member_id": world.a.chair.hex,
                        "owner_body": None,
                        "due_on": "2015-05-01",
                        "visibility": "public",
                    },
                    {
                        "description": "Орнотуу",
                        "owner_member_id": None,
                        "owner_body": "Айыл өкмөтү",
                        "due_on": "2015-06-01",
                        "visibility": "team",
                    },
                ],
            }
        ],
    }
    body.update(overrides)
    return body


def session_client(services, role="secretary_a", language=None):
    """A browser logged in through the login form (CSRF on), and the token its page's script would send."""
    app = csrf_app(services)
    client = app.test_client()
    token = hidden(client.get("/login").get_data(as_text=True), "csrf_token")
    answer = client.post("/login", data={"username": role, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302
    if language:
        client.post("/language", data={"language": language, "next": "/"})
    session = client.get("/api/v1/session")
    assert session.status_code == 200
    return client, session.get_json()["csrf_token"]


def send(client, url, body, token, key):
    return client.post(url, json=body, headers={"X-CSRFToken": token, "Idempotency-Key": key})


def test_the_service_worker_is_served_for_the_secretary_pages_with_its_version(web, services):
    # Given no one logged in (a worker checks for its update whatever the session)
    client = web.test_client()
    # When the browser fetches the worker and the manifest
    worker = client.get("/secretary/sw.js")
    manifest = client.get("/secretary/manifest.webmanifest")
    # Then the worker is a script, never from the HTTP cache, with a version of the files it keeps
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    script = worker.get_data(as_text=True)
    assert "__VERSION__" not in script and 'importScripts("/static/outbox.js?v=' in script
    # and the manifest makes the secretary's pages an app, with icons that exist
    found = json.loads(manifest.get_data(as_text=True))
    assert found["scope"] == "/secretary/" and found["start_url"] == "/secretary/"
    for icon in found["icons"]:
        with client.get(icon["src"]) as answer:
            assert answer.status_code == 200


def test_a_new_version_of_the_kept_files_is_a_new_worker(services):
    first = csrf_app(services)
    second = csrf_app(services)
    second.config["OFFLINE_VERSION"] = "next"
    assert first.test_client().get("/secretary/sw.js").data != second.test_client().get("/secretary/sw.js").data


def test_the_pages_kept_on_the_phone_are_the_secretarys_own_teams_forms_and_open_commitments(web, world):
    # Given the secretary of team A
    client = logged_in(web, "secretary_a")
    # When her phone asks which pages to keep
    pages = client.get("/secretary/offline.json").get_json()["pages"]
    # Then they are her team's meeting form, follow-ups, roster and open commitments, and the outbox
    team = world.a.team_id
    assert f"/secretary/teams/{team}/meetings/new" in pages and f"/secretary/teams/{team}/follow-ups" in pages
    assert "/secretary/outbox" in pages and f"/secretary/teams/{team}" in pages
    for commitment_id in world.a.meeting.commitment_ids:
        assert f"/secretary/commitments/{commitment_id}" in pages
    # and nothing of team B, whose secretary she is not
    assert not any(str(world.b_team) in page or str(world.b_commitment) in page for page in pages)
    # and each page listed opens for her
    for page in pages:
        assert client.get(page, headers={"X-Device-Copy": "1"}).status_code == 200, page


def test_the_list_of_pages_to_keep_needs_a_login(web, world):
    answer = logged_in(web, "anonymous").get("/secretary/offline.json")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_an_answer_in_the_background_never_replaces_the_login_pages_session(web, services, world):
    # given a phone with no session yet: its login page sets the session that holds the form's token
    client = csrf_app(services).test_client()
    login = client.get("/login")
    assert "session=" in login.headers.get("Set-Cookie", "")
    # when requests the phone's offline layer sent before that page came back are answered after it
    for url in ("/secretary/offline.json", "/api/v1/session", "/secretary/sw.js", "/secretary/manifest.webmanifest"):
        late = csrf_app(services).test_client().get(url)  # sent without the cookie the login page has just set
        # then none of them sets a cookie, so none replaces that session and its token
        assert "Set-Cookie" not in late.headers, (url, late.headers.get("Set-Cookie"))
    # and the login page's form still logs in
    token = login.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    answer = client.post("/login", data={"username": "secretary_a", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302


def test_a_copy_for_the_phone_leaves_confidential_text_out_and_says_when_it_was_made(web, world, services):
    # Given a confidential commitment of the secretary's team
    client = logged_in(web, "secretary_a")
    confidential = world.a.meeting.commitment_ids[2]
    page = f"/secretary/commitments/{confidential}"
    # When her phone copies its page (and the follow-ups list)
    copy = client.get(page, headers={"X-Device-Copy": "1"}).get_data(as_text=True)
    listed = client.get(f"/secretary/teams/{world.a.team_id}/follow-ups", headers={"X-Device-Copy": "1"})
    # Then the text is not in it: the page shows it is confidential, by its reference, and when it was copied
    assert CONFIDENTIAL not in copy and CONFIDENTIAL not in listed.get_data(as_text=True)
    assert "[confidential: not kept on this phone]" in copy
    assert "Kept on this phone, as of" in copy and "data-device-copy" in copy
    assert f'data-copied-on="{services.app.today_for(world.a.team_id).isoformat()}"' in copy
    # and the forms to record on it are there
    assert f"/secretary/commitments/{confidential}/follow-up" in copy
    # while the page read online shows her the text
    assert CONFIDENTIAL in client.get(page).get_data(as_text=True)


def test_the_outbox_page_and_the_badge_are_on_the_secretarys_pages(web, world):
    client = logged_in(web, "secretary_a")
    home = client.get("/secretary/").get_data(as_text=True)
    assert "data-outbox-badge" in home and 'rel="manifest"' in home and "data-user=" in home
    words = json.loads(home.split('id="outbox-words">', 1)[1].split("</script>", 1)[0])
    assert words["unsent"]["one"] == "{n} unsent" and words["login"]["other"] == "Log in to send {n} items"
    outbox = client.get("/secretary/outbox")
    assert outbox.status_code == 200 and "data-outbox-list" in outbox.get_data(as_text=True)
    # and not for a member, who records nothing
    member = logged_in(web, "member_a").get("/").get_data(as_text=True)
    assert 'rel="manifest"' not in member and "data-outbox-badge" not in member


def test_the_words_of_the_outbox_come_in_every_plural_form_of_the_readers_language(web, world):
    client = logged_in(web, "secretary_a")
    client.post("/language", data={"language": "ru", "next": "/"})
    home = client.get("/secretary/").get_data(as_text=True)
    words = json.loads(home.split('id="outbox-words">', 1)[1].split("</script>", 1)[0])
    assert set(words["unsent"]) >= {"one", "few", "many", "other"}
    assert all("{n}" in form for form in words["unsent"].values())
    assert not any("unsent" in form for form in words["unsent"].values())


def test_the_outbox_sends_with_the_pages_session_and_its_csrf_header(services, world):
    # Given a secretary logged in on her phone
    client, token = session_client(services)
    url = f"/api/v1/teams/{world.a.team_id}/meetings"
    head = services.app.recorder.max_notification_id()
    # When the outbox sends a meeting without the CSRF header, nothing is recorded
    refused = client.post(url, json=meeting_body(world), headers={"Idempotency-Key": "k1"})
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert services.app.recorder.max_notification_id() == head
    # When it sends it with the header, twice (the answer was lost on the way)
    first = send(client, url, meeting_body(world), token, "k1")
    again = send(client, url, meeting_body(world), token, "k1")
    # Then one meeting is recorded with both commitments, and both answers name it
    assert first.status_code == 201 and again.status_code == 201
    assert first.get_json() == again.get_json() and len(first.get_json()["commitment_ids"]) == 2
    assert services.app.meeting(UUID(first.get_json()["id"])).held_on == date(2015, 4, 1)
    # When the same key comes with other content, it is a 409 and nothing is recorded
    head = services.app.recorder.max_notification_id()
    other = send(client, url, meeting_body(world, place="Башка жер"), token, "k1")
    assert other.status_code == 409 and other.get_json()["type"].endswith("idempotency-key-reused")
    assert services.app.recorder.max_notification_id() == head


def test_without_a_session_the_outbox_is_told_to_log_in(web, services, world):
    client = csrf_app(services).test_client()
    answer = client.get("/api/v1/session")
    assert answer.status_code == 401 and answer.mimetype == "application/problem+json"
    sent = client.post(f"/api/v1/teams/{world.a.team_id}/meetings", json=meeting_body(world))
    assert sent.status_code == 401


def test_a_follow_up_on_a_commitment_closed_meanwhile_gets_the_domain_error_in_the_readers_language(services, world):
    # Given a commitment closed on the server while the phone was offline
    commitment = world.a.meeting.commitment_ids[0]
    services.app.report_follow_up(commitment, on=date(2015, 4, 2), status="kept", note="", by="cli:test")
    client, token = session_client(services, language="ru")
    # When the outbox sends the follow-up typed before that
    body = {"on": "2015-04-01", "status": "in_progress", "note": "Жарым-жартылай", "meeting_id": None}
    answer = send(client, f"/api/v1/commitments/{commitment}/follow-ups", body, token, "f1")
    # Then it is refused with the domain's reason, in Russian, for the item in the outbox
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    detail = answer.get_json()["detail"]
    assert detail and not any(word in detail for word in ("commitment", "closed", "cannot"))
    assert any("а" <= letter <= "я" for letter in detail.lower())


def test_a_form_field_refused_by_the_api_is_named_in_the_readers_language(services, world):
    client, token = session_client(services, language="ky")
    body = meeting_body(world)
    body["decisions"][0]["commitments"][0]["due_on"] = None
    answer = send(client, f"/api/v1/teams/{world.a.team_id}/meetings", body, token, "m2")
    assert answer.status_code == 422
    detail = answer.get_json()["detail"]
    assert "decisions[0].commitments[0].due_on" in detail and "Some fields" not in detail


def test_another_teams_secretary_cannot_send_for_a_team_through_her_session(services, world):
    client, token = session_client(services, role="secretary_b")
    answer = send(client, f"/api/v1/teams/{world.a.team_id}/meetings", meeting_body(world), token, "m3")
    assert answer.status_code == 403


def test_a_body_refused_before_the_api_reads_it_is_still_said_in_the_readers_language(services, world):
    # Given the outbox of a secretary reading Russian
    client, token = session_client(services, language="ru")
    url = f"/api/v1/teams/{world.a.team_id}/meetings"
    # When it sends a body nested too deep, and one too large (refused before the API's own check runs)
    deep: dict = {}
    inner = deep
    for _ in range(40):
        inner["a"] = {}
        inner = inner["a"]
    nested = send(client, url, deep, token, "deep")
    large = client.post(
        url,
        data=b"x" * (3 * 1024 * 1024),
        headers={"Content-Type": "application/json", "X-CSRFToken": token, "Idempotency-Key": "large"},
    )
    # Then each is a problem, in Russian, with nothing recorded
    for answer, status in ((nested, 400), (large, 413)):
        assert answer.status_code == status and answer.mimetype == "application/problem+json"
        detail = answer.get_json()["detail"]
        assert any("а" <= letter <= "я" for letter in detail.lower()), detail
