"""The donors' and ministries' dashboard, read as they read it: no login, drill-down, small counts hidden, CSV,
every language, and a fixed number of queries however many teams there are."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.story import BY, add_member, register_team, tell_long_story
from tests.web.test_query_counts import queries_for
from tracker.application.drafts import CommitmentDraft, DecisionDraft

LEVELS = ["/dashboard", "/dashboard?country=KG", "/dashboard?country=KG&region=KG-O"]


def test_anyone_drills_down_from_all_countries_to_a_teams_problems(web, services):
    story = tell_long_story(services.app)
    client = web.test_client()
    everything = client.get("/dashboard", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/dashboard?country=KG"' in everything and "Kyrgyzstan" in everything
    country = client.get("/dashboard?country=KG").get_data(as_text=True)
    assert "/dashboard?country=KG&amp;region=KG-O" in country and "Jalal-Abad Region" in country
    region = client.get("/dashboard?country=KG&region=KG-O").get_data(as_text=True)
    assert "<h1>Dashboard: Osh Region</h1>" in region and '<a href="/dashboard?country=KG">Kyrgyzstan</a>' in region
    assert "district=%D0%9A%D0%B0%D1%80%D0%B0-%D0%A1%D1%83%D1%83" in region  # Кара-Суу
    district = client.get("/dashboard?country=KG&region=KG-O&district=Кара-Суу").get_data(as_text=True)
    assert f'href="/teams/{story.team_id.hex}/problems"' in district or f"/teams/{story.team_id}/problems" in district
    assert "Мирный" in district and "<h1>Dashboard: Кара-Суу</h1>" in district
    assert '<a href="/dashboard?country=KG&amp;region=KG-O">Osh Region</a>' in district


def test_a_count_by_category_under_3_reads_fewer_than_3_and_no_text_of_any_record_is_shown(web, services):
    tell_long_story(services.app)  # one street lighting problem (public), one extortion at school (confidential)
    page = web.test_client().get("/dashboard?country=KG&region=KG-O", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert "fewer than 3" in html
    for text in ("Көчөлөр караңгы", "Мектепте акча талап кылуу", "Айгерим", "Мирный айыл өкмөтү"):
        assert text not in html
    rows = list(
        csv.DictReader(io.StringIO(web.test_client().get("/dashboard.csv?country=KG").data.decode("utf-8-sig")))
    )
    osh = next(row for row in rows if row["area"] == "KG-O")
    assert osh["problems_extortion_in_schools"] == "<3" and osh["problems_street_lighting"] == "<3"
    assert osh["problems_drugs"] == "0"


@pytest.mark.parametrize("language", ["ru", "ky", "tg", "uz"])
def test_the_dashboard_speaks_the_readers_language(web, services, language):
    tell_long_story(services.app)
    for url in LEVELS:
        html = web.test_client().get(url, headers={"Accept-Language": language}).get_data(as_text=True)
        for english in (
            "Dashboard",
            "Meetings held",
            "fewer than 3",
            "Kept on time",
            "By region",
            "Quarter by quarter",
        ):
            assert english not in html, (url, english)


def test_an_unknown_country_or_a_region_of_another_country_is_not_found(web, services):
    client = web.test_client()
    for url in (
        "/dashboard?country=KZ",
        "/dashboard?country=KG&region=UZ-FA",
        "/dashboard?country=KG&region=XX",
        "/dashboard?country=KG&region=KG-O&district=Nowhere",
        "/dashboard.csv?country=ZZ",
    ):
        assert client.get(url).status_code == 404, url


def test_the_history_by_quarter_downloads_as_csv(web, services):
    tell_long_story(services.app)
    body = web.test_client().get("/dashboard/quarters.csv?country=KG").data.decode("utf-8-sig")
    quarters = {row["quarter"]: row for row in csv.DictReader(io.StringIO(body))}
    assert quarters["2015-Q2"]["funding_received"] == "15000.00 KGS"
    assert int(quarters["2015-Q1"]["meetings"]) >= 1


def test_a_donor_reads_the_dashboard_as_of_a_past_day_and_drills_down_on_that_day(web, services):
    # given a year of a team's life whose lamps were reported installed (kept) on 1 June 2015
    tell_long_story(services.app)
    client = web.test_client()
    english = {"Accept-Language": "en"}
    # when a donor asks for the dashboard as of the end of March 2015
    march = client.get("/dashboard?country=KG&as_of=2015-03-31", headers=english).get_data(as_text=True)
    now = client.get("/dashboard?country=KG", headers=english).get_data(as_text=True)
    # then the page says so, keeps the day in every drill-down and way up, and offers the figures of now
    assert "As of Mar 31, 2015" in march and 'value="2015-03-31"' in march
    assert "/dashboard?country=KG&amp;as_of=2015-03-31&amp;region=KG-O" in march
    assert '<a href="/dashboard?as_of=2015-03-31">All countries</a>' in march
    assert '<a href="/dashboard?country=KG">Show now</a>' in march
    assert "/dashboard.csv?country=KG&amp;as_of=2015-03-31" in march
    assert march != now and "Show now" not in now
    # and its CSV holds the figures of that day
    spring = client.get("/dashboard/quarters.csv?country=KG&as_of=2015-03-31")
    assert spring.headers["Content-Disposition"] == 'attachment; filename="dashboard-quarters-2015-03-31.csv"'
    quarters = {row["quarter"]: row for row in csv.DictReader(io.StringIO(spring.data.decode("utf-8-sig")))}
    assert "2015-Q3" not in quarters and quarters["2015-Q2"]["funding_received"] == ""


@pytest.mark.parametrize("language", ["ru", "ky", "tg", "uz"])
def test_a_day_that_is_not_a_date_is_a_clear_error_in_the_readers_language(web, services, language):
    page = web.test_client().get("/dashboard?as_of=31.03.2015", headers={"Accept-Language": language})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "YYYY-MM-DD" in html and "is a date" not in html


def teams(app, count, first=0):
    for number in range(first, first + count):
        team = register_team(app, f"Команда {number}", code=f"Q{chr(65 + number // 26)}{chr(65 + number % 26)}")
        member = add_member(app, team, f"Мүчө {number}", "police", "female", "18_29")
        held_on = date(2015, 1 + number % 12, 10)
        app.record_meeting(
            team,
            held_on=held_on,
            kind="regular",
            place="Зал",
            attendee_ids=[member],
            decisions=[DecisionDraft("Чечим", "public", [CommitmentDraft("Убада", date(2016, 1, 1), "team", member)])],
            by=BY,
        )
        problem = app.report_problem(team, title="Көйгөй", category="drugs", on=held_on, by=BY, visibility="team")
        app.add_funding_line(
            problem,
            source="donor_grant",
            funder="Фонд",
            amount="100",
            currency="USD",
            state="received",
            on=held_on,
            by=BY,
        )


def test_the_dashboard_asks_the_database_as_many_times_for_30_teams_as_for_3(web, services):
    teams(services.app, 3)
    few = {
        url: queries_for(web, services, url)
        for url in [
            *LEVELS,
            "/dashboard.csv",
            "/dashboard?country=KG&region=KG-O&district=Кара-Суу",
            *(f"{url}{'&' if '?' in url else '?'}as_of=2015-06-30" for url in LEVELS),
        ]
    }
    teams(services.app, 27, first=3)
    many = {url: queries_for(web, services, url) for url in few}
    assert many == few
