"""Error pages for people are in the site's layout and the reader's language; a storage fault is a 503 naming its
cause, for pages and for the API, and nothing is recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.support import Translations
from eventsourcing.persistence import OperationalError

from tests.web.conftest import PASSWORD, logged_in
from tracker.web import create_app

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def translated(language, message):
    return Translations.load(str(TRANSLATIONS), [language]).gettext(message)


@pytest.mark.parametrize("language", ["ky", "ru", "tg", "uz_Latn"])
@pytest.mark.parametrize(
    ("path", "query", "status", "title"),
    [
        (
            "/teams/{team}/report",
            {"from": "2015-06-01", "to": "2015-02-01"},
            400,
            "The request could not be understood",
        ),
        ("/teams/{team}/report", {"as_of": "9999-12-31"}, 400, "The request could not be understood"),
        ("/teams/00000000-0000-0000-0000-000000000000", {}, 404, "There is no such page"),
        ("/no/such/page", {}, 404, "There is no such page"),
    ],
)
def test_error_pages_speak_the_reader_s_language(web, world, language, path, query, status, title):
    client = web.test_client()
    client.post("/language", data={"language": language})
    response = client.get(path.format(team=world.a.team_id), query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == status and response.mimetype == "text/html"
    assert f"<h1>{translated(language, title)}</h1>" in html
    assert translated(language, title) != title
    for english in ("Bad Request", "Not Found", "The requested URL", "is a date", "Werkzeug"):
        assert english not in html


def test_a_form_sent_after_its_session_ended_says_so_in_the_reader_s_language(services, world):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_ENABLED": False}, services=services)
    client = app.test_client()
    client.post("/language", data={"language": "ky"})  # no CSRF token: refused as a stale form would be
    response = client.post("/login", data={"username": "secretary_a", "password": PASSWORD})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "CSRF" not in html and "Bad Request" not in html


def _full_disk(services, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(services.app.recorder, "insert_events", refuse)


def test_a_full_disk_is_a_503_that_says_so_and_records_nothing(web, services, world, monkeypatch):
    token = services.app.credentials.create_token(services.app.user_named("secretary_a").id)
    head = services.app.recorder.max_notification_id()
    _full_disk(services, monkeypatch)
    commitment = world.a.meeting.commitment_ids[0]
    api = web.test_client().post(
        f"/api/v1/commitments/{commitment}/follow-ups",
        json={"on": "2015-04-01", "status": "kept"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert "disk is full" in api.json["detail"]
    page = logged_in(web, "secretary_a").post(
        f"/secretary/commitments/{commitment}/follow-up", data={"on": "2015-04-01", "status": "kept"}
    )
    assert page.status_code == 503 and "disk is full" in page.get_data(as_text=True)
    monkeypatch.undo()
    assert services.app.recorder.max_notification_id() == head
