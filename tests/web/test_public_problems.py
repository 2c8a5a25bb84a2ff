"""The public pages of problems: a team's board by SARA stage and one problem's page, a public problem in full,
a confidential one as structure only, in the reader's language."""

from __future__ import annotations

from datetime import date

from tests.story import BY, tell_long_story

STREETS = "Көчөлөр караңгы"
SCHOOL = "Мектепте акча талап кылуу"


def problem_ids(client, team_id):
    problems = client.get(f"/api/v1/teams/{team_id}/problems").get_json()["problems"]
    return {problem["category"]: problem["id"] for problem in problems}


def test_a_teams_board_shows_its_problems_by_stage_without_a_confidential_title(web, services):
    # given a year of the team's life with a public problem (assessed) and a confidential one (at analysis)
    story = tell_long_story(services.app)
    client = web.test_client()
    # when anyone opens the team's page and follows the link to its problems
    team_page = client.get(f"/teams/{story.team_id}").get_data(as_text=True)
    assert f"/teams/{story.team_id}/problems" in team_page
    board = client.get(f"/teams/{story.team_id}/problems")
    # then the public problem is there by its title, the confidential one by its category only
    page = board.get_data(as_text=True)
    assert board.status_code == 200
    assert STREETS in page and "Street lighting" in page and "Solved" in page
    assert SCHOOL not in page and "Extortion in schools" in page and "A non-public problem" in page
    assert "15,000 KGS" in page and "100% done" in page


def test_a_public_problems_page_tells_its_story_plan_funding_and_assessment(web, services):
    story = tell_long_story(services.app)
    client = web.test_client()
    streets = problem_ids(client, story.team_id)["street_lighting"]
    page = client.get(f"/problems/{streets}").get_data(as_text=True)
    assert STREETS in page and "Кечинде, мектептин жолу" in page and "Residents&#39; survey" in page
    assert "MIR-2015-01" in page and "Кечки кезүү" in page and "Мирный айыл өкмөтү" in page
    assert "Караңгы көчөлөр" in page and "Solved" in page


def test_a_confidential_problems_page_shows_its_structure_only(web, services):
    story = tell_long_story(services.app)
    client = web.test_client()
    school = problem_ids(client, story.team_id)["extortion_in_schools"]
    answer = client.get(f"/problems/{school}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert SCHOOL not in page and "This problem is not public" in page and "Analysis" in page


def test_problem_pages_come_in_the_readers_language(web, services):
    story = tell_long_story(services.app)
    client = web.test_client()
    client.post("/language", data={"language": "ru", "next": "/"})
    page = client.get(f"/teams/{story.team_id}/problems").get_data(as_text=True)
    for english in ("Street lighting", "A non-public problem", "Scanning", "done"):
        assert english not in page, english


def test_an_unknown_problem_or_team_is_a_404_page(web, services):
    tell_long_story(services.app)
    client = web.test_client()
    unknown = "01a2346d-7bdb-7dae-91d3-68a00f263164"
    for url in (f"/problems/{unknown}", f"/teams/{unknown}/problems"):
        assert client.get(url).status_code == 404, url


def test_problems_whose_plan_has_overdue_commitments_come_first_at_their_stage(web, services, world):
    # given two public problems at scanning, the second with an open commitment past its due date in its plan
    app, team = services.app, world.a.team_id
    public = {"by": BY, "visibility": "public"}
    first = app.report_problem(team, title="Биринчи", category="theft", on=date(2015, 3, 12), **public)
    second = app.report_problem(team, title="Экинчи", category="drugs", on=date(2015, 3, 13), **public)
    app.add_plan_item(second, world.a.meeting.commitment_ids[0], on=date(2015, 3, 13), by=BY)
    # when the board is read today (long after the commitment was due)
    page = web.test_client().get(f"/teams/{team}/problems").get_data(as_text=True)
    # then the second comes first, saying so
    assert page.index("Экинчи") < page.index("Биринчи") and "1 commitment overdue" in page
    assert str(first) in page and str(second) in page


def test_a_teams_problems_download_as_csv_and_json_without_a_confidential_title(web, services):
    story = tell_long_story(services.app)
    client = web.test_client()
    board = client.get(f"/teams/{story.team_id}/problems").get_data(as_text=True)
    assert f"/teams/{story.team_id}/problems.csv" in board and f"/teams/{story.team_id}/problems.json" in board
    csv_answer = client.get(f"/teams/{story.team_id}/problems.csv")
    rows = csv_answer.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert csv_answer.mimetype == "text/csv" and rows[0].startswith("id,category,visibility,title")
    assert any(STREETS in row and "15000 KGS received" in row for row in rows)
    assert not any(SCHOOL in row for row in rows) and any("extortion_in_schools" in row for row in rows)
    document = client.get(f"/teams/{story.team_id}/problems.json").get_json()
    by_category = {problem["category"]: problem for problem in document["problems"]}
    assert (
        by_category["street_lighting"]["title"] == STREETS
        and by_category["street_lighting"]["reported_on"] == "2015-03-12"
    )
    assert by_category["extortion_in_schools"]["title"] is None
