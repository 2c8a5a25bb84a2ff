"""Languages: from the browser by default, a switch remembered in the session, dates in the reader's locale."""

from __future__ import annotations

import pytest

from tests.web.conftest import logged_in


@pytest.mark.parametrize(
    ("accept", "heading", "lang"),
    [
        ("ru-RU,ru;q=0.9", "Команды партнёрства", "ru"),
        ("ky", "Өнөктөштүк топтору", "ky"),
        ("tg", "Гурӯҳҳои шарикӣ", "tg"),
        ("uz-Latn", "Hamkorlik guruhlari", "uz-Latn"),
        ("uz", "Hamkorlik guruhlari", "uz-Latn"),
        ("en-GB", "Partnership teams", "en"),
    ],
)
def test_the_language_defaults_from_the_browser(web, world, accept, heading, lang):
    html = web.test_client().get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in html
    assert f'<html lang="{lang}">' in html


def test_a_chosen_language_is_remembered_and_dates_follow_it(web, world):
    client = logged_in(web, "secretary_a")
    client.post("/language", data={"language": "ky", "next": "/"})
    html = client.get(f"/secretary/teams/{world.a.team_id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h2>Мүчөлөр</h2>" in html
    assert "2015-ж." in html  # Babel's Kyrgyz date format for the meeting of 12 March 2015
    client.post("/language", data={"language": "ru", "next": "/"})
    assert "мар" in client.get(f"/secretary/teams/{world.a.team_id}").get_data(as_text=True)
