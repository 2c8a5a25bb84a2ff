"""The public front page, through the Flask test client."""

from __future__ import annotations

from tests.story import register_team
from tracker.web import create_app


def test_the_front_page_lists_the_registered_teams(services):
    # given two registered teams
    register_team(services.app, "Нариман")
    register_team(services.app, "Ворух")
    client = create_app({"TESTING": True, "SECRET_KEY": "test"}, services=services).test_client()
    # when anyone opens the front page
    page = client.get("/")
    # then both teams are listed by name and code
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Нариман" in html and "NAR" in html
    assert "Ворух" in html and "VOR" in html
