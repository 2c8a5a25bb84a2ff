"""One problem on A4 for a funder: what its public page shows, in the reader's language, as of a date."""

from __future__ import annotations

import subprocess

from tests.story import tell_problems, tell_story


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True).stdout.decode()


def test_a_funder_prints_a_public_problem_with_its_plan_funding_meetings_and_assessment(web, services):
    story = tell_story(services.app)
    streets, _school = tell_problems(services.app, story)
    text = pdf_text(web.test_client().get(f"/problems/{streets}.pdf", headers={"Accept-Language": "ru"}))
    assert "Көчөлөр караңгы" in text and "Мирный" in text
    assert "15 000" in text and "KGS" in text  # its funding line, never converted
    assert "Meetings that worked on it" not in text and "Action plan" not in text  # in Russian throughout


def test_a_non_public_problem_prints_as_its_structure_only(web, services):
    story = tell_story(services.app)
    _streets, school = tell_problems(services.app, story)
    text = pdf_text(web.test_client().get(f"/problems/{school}.pdf", headers={"Accept-Language": "en"}))
    assert "Extortion in schools" in text and "Analysis" in text
    assert "Мектепте" not in text and "Айгерим" not in text


def test_a_problem_printed_as_of_a_day_before_it_was_reported_is_not_found_and_a_bad_date_is_refused(web, services):
    story = tell_story(services.app)
    streets, _school = tell_problems(services.app, story)
    client = web.test_client()
    assert client.get(f"/problems/{streets}.pdf?as_of=2015-03-01").status_code == 404
    assert client.get(f"/problems/{streets}.pdf?as_of=yesterday").status_code == 400
    assert client.get("/problems/0193a1b2-0000-7000-8000-000000000000.pdf").status_code == 404
    april = pdf_text(client.get(f"/problems/{streets}.pdf?as_of=2015-04-05", headers={"Accept-Language": "en"}))
    assert "Response" in april and "Solved" not in april  # as it stood then: not yet assessed
