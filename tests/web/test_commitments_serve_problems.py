"""A public commitment says which problem it serves: a public one by a link, a non-public one by its category."""

from __future__ import annotations

import subprocess
from datetime import date

from tests.story import BY, tell_problems, tell_story


def test_a_public_commitment_serving_a_non_public_problem_names_only_its_category(web, services):
    # given the lamps (public) in the plan of the dark streets (public), and the lamps. installation (public) added
    # to the plan of the extortion at school (confidential)
    app = services.app
    story = tell_story(app)
    _streets, school = tell_problems(app, story)
    install = story.meeting.commitment_ids[1]
    app.add_plan_item(school, install, on=date(2015, 5, 12), by=BY)
    client = web.test_client()
    english = {"Accept-Language": "en"}
    # when anyone reads the team's page, its report and its printed report
    page = client.get(f"/teams/{story.team_id}", headers=english).get_data(as_text=True)
    report = client.get(f"/teams/{story.team_id}/report?as_of=2015-12-31", headers=english).get_data(as_text=True)
    pdf = client.get(f"/teams/{story.team_id}/report.pdf?as_of=2015-12-31", headers=english).data
    printed = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    # then the lamps link to the streets' problem, and the installation names the school's problem's category
    for text in (page, report, " ".join(printed.split())):
        assert "Serves a non-public problem: Extortion in schools" in text
        assert "Мектепте" not in text
    assert "Serves the problem: Street lighting" in page and f"/problems/{_streets.hex}" in report
