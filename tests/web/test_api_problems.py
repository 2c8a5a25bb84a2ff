"""The API's problems, read by anyone: a public problem in full, a confidential one as structure only, as of any
date; unknown ones are a 404 problem."""

from __future__ import annotations

import json

from tests.story import tell_long_story

STREETS = "Көчөлөр караңгы"
SCHOOL = "Мектепте акча талап кылуу"


def by_category(answer):
    return {problem["category"]: problem for problem in answer.get_json()["problems"]}


def test_a_teams_problems_show_a_public_one_in_full_and_a_confidential_one_as_structure_only(web, services):
    # given a year of the team's life with a public and a confidential problem
    story = tell_long_story(services.app)
    client = web.test_client()
    # when anyone asks for the team's problems
    answer = client.get(f"/api/v1/teams/{story.team_id}/problems")
    # then the public one comes with its title, the confidential one with its category, stage and counts only
    assert answer.status_code == 200
    problems = by_category(answer)
    streets, school = problems["street_lighting"], problems["extortion_in_schools"]
    assert streets["title"] == STREETS and streets["text_shown"] and streets["closed"]
    assert (streets["conclusion"], streets["progress"]) == ("solved", 1.0)
    assert streets["funding_totals"] == [{"currency": "KGS", "state": "received", "amount": "15000"}]
    assert (school["stage"], school["text_shown"], school["title"], school["analysis"]) == (
        "analysis",
        False,
        None,
        None,
    )
    assert school["funding"] == [] and school["funding_totals"] == [] and school["measures"] == []
    assert SCHOOL not in answer.get_data(as_text=True)


def test_one_public_problem_tells_its_sara_story_with_analysis_funding_and_measures(web, services):
    story = tell_long_story(services.app)
    client = web.test_client()
    streets = by_category(client.get(f"/api/v1/teams/{story.team_id}/problems"))["street_lighting"]
    # when its own page is asked for
    answer = client.get(f"/api/v1/problems/{streets['id']}")
    # then its analysis, funder, activity and measures are there, with the lamps in its plan
    problem = answer.get_json()
    assert answer.status_code == 200 and problem["title"] == STREETS
    assert problem["analysis"]["location"] == "Кечинде, мектептин жолу"
    assert problem["sources"] == ["residents_survey"]
    assert problem["funding"][0]["funder"] == "Мирный айыл өкмөтү" and problem["funding"][0]["amount"] == "15000"
    assert [activity["description"] for activity in problem["activities"]] == ["Кечки кезүү"]
    assert problem["measures"][0]["what"] == "Караңгы көчөлөр" and problem["measures"][0]["after"] == "2"
    assert [item["status"] for item in problem["plan"]] == ["kept"]


def test_a_problem_as_of_a_past_date_shows_its_plan_and_progress_as_they_stood(web, services):
    story = tell_long_story(services.app)
    client = web.test_client()
    streets = by_category(client.get(f"/api/v1/teams/{story.team_id}/problems"))["street_lighting"]
    # when asked as of 30 March 2015, before the lamps were kept and the install was taken out of the plan
    answer = client.get(f"/api/v1/problems/{streets['id']}?as_of=2015-03-30")
    problem = answer.get_json()
    assert (problem["stage"], problem["closed"], problem["progress"]) == ("response", False, 0.0)
    assert sorted(item["status"] for item in problem["plan"]) == ["open", "open"]
    assert problem["funding"] == [] and problem["measures"] == []
    # and before it was reported it is not there
    before = client.get(f"/api/v1/problems/{streets['id']}?as_of=2015-03-01")
    assert before.status_code == 404 and before.mimetype == "application/problem+json"


def test_an_unknown_problem_or_team_is_a_404_problem(web, services):
    tell_long_story(services.app)
    client = web.test_client()
    for url in (
        "/api/v1/problems/01a2346d-7bdb-7dae-91d3-68a00f263164",
        "/api/v1/teams/01a2346d-7bdb-7dae-91d3-68a00f263164/problems",
        "/api/v1/problems/not-an-id",
    ):
        answer = client.get(url)
        assert answer.status_code == 404 and answer.mimetype == "application/problem+json", url


def test_the_problems_are_in_the_api_document(web):
    document = json.loads(web.test_client().get("/api/v1/openapi.json").get_data(as_text=True))
    assert {"/api/v1/teams/{team_id}/problems", "/api/v1/problems/{problem_id}"} <= set(document["paths"])
