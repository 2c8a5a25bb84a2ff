"""A team's region comes from its country's list: chosen when it is registered, and put right by an admin later."""

from __future__ import annotations

import re

from tests.web.conftest import logged_in
from tracker.queries.teams import all_teams


def test_an_admin_registers_a_team_in_a_region_of_the_list_and_the_public_reads_its_name(web, world, services):
    admin = logged_in(web, "admin")
    form = admin.get("/admin/teams").get_data(as_text=True)
    assert '<optgroup label="Kyrgyzstan">' in form and 'value="KG-J"' in form and 'value="UZ-TK"' in form
    posted = admin.post(
        "/admin/teams",
        data={
            "name": "Жалал-Абад",
            "kind": "LCPC",
            "country": "KG",
            "region": "KG-J",
            "district": "Сузак району",
            "municipality": "Сузак",
            "registered_on": "2015-01-01",
        },
    )
    assert posted.status_code == 302
    with services.engine.connect() as conn:
        team = next(team for team in all_teams(conn) if team.name == "Жалал-Абад")
    assert team.region == "KG-J"
    page = web.test_client().get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Сузак району, Jalal-Abad Region" in page and "KG-J" not in page


def test_a_region_of_another_country_is_refused_on_its_field_in_the_readers_language(web, world):
    admin = logged_in(web, "admin")
    url = f"/admin/teams/{world.a.team_id}/region"
    refused = admin.post(url, data={"region": "UZ-FA"}, headers={"Accept-Language": "ru"})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "This region" not in body and 'aria-invalid="true"' in body


def test_an_admin_puts_a_teams_region_right_and_it_is_recorded_as_an_event(web, world, services):
    admin = logged_in(web, "admin")
    url = f"/admin/teams/{world.a.team_id}/region"
    page = admin.get(url).get_data(as_text=True)
    assert (
        re.search(r'<option selected value="KG-O">', page) and 'value="TJ-SU"' not in page
    )  # its own country's list only
    assert admin.post(url, data={"region": "KG-J"}).status_code == 302
    assert services.app.team(world.a.team_id).region == "KG-J"
    again = admin.post(url, data={"region": "KG-J"}, headers={"Accept-Language": "ky"})
    assert again.status_code == 422
    public = web.test_client().get(f"/teams/{world.a.team_id}", headers={"Accept-Language": "en"})
    assert "Jalal-Abad Region" in public.get_data(as_text=True)


def test_a_secretary_cannot_choose_a_region(web, world):
    secretary = logged_in(web, "secretary_a")
    assert secretary.post(f"/admin/teams/{world.a.team_id}/region", data={"region": "KG-J"}).status_code == 403
