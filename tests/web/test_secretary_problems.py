"""A secretary works a problem through the SARA cycle with the forms of her pages (no script needed): reports it,
analyses it, moves it to response, puts a commitment in its plan, funds it, records an activity, assesses it and
reopens it; a refused form keeps what was typed and says why next to the field; other teams' problems are refused."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from tests.web.conftest import logged_in

TITLE = "Мектептин жанындагы мушташтар"


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', page).group(1)


def test_a_secretary_reports_a_problem_and_works_it_through_the_cycle(web, services, world):
    client = logged_in(web, "secretary_a")
    team = world.a.team_id
    # Given the team's problems board, with a link to report one
    board = client.get(f"/secretary/teams/{team}/problems").get_data(as_text=True)
    assert f"/secretary/teams/{team}/problems/new" in board
    # When she reports a confidential problem
    form = client.get(f"/secretary/teams/{team}/problems/new").get_data(as_text=True)
    answer = client.post(
        f"/secretary/teams/{team}/problems/new",
        data={
            "idempotency_key": hidden(form, "idempotency_key"),
            "title": TITLE,
            "category": "youth_conflict",
            "where": "Мирный",
            "raised_by_member_id": world.a.chair.hex,
            "raised_by": "",
            "first_noticed_on": "2015-03-01",
            "on": "2015-03-12",
            "visibility": "confidential",
        },
    )
    # Then she lands on its page, which shows its title to her
    assert answer.status_code == 302
    page_url = answer.headers["Location"]
    problem_id = page_url.rsplit("/", 1)[-1]
    page = client.get(page_url).get_data(as_text=True)
    assert (TITLE in page and "Youth" not in page) or TITLE in page

    def act(action: str, **fields: str) -> object:
        page = client.get(page_url).get_data(as_text=True)
        data = {f"{action}-idempotency_key": hidden(page, f"{action}-idempotency_key")}
        data |= {f"{action}-{name}": value for name, value in fields.items()}
        return client.post(f"/secretary/problems/{problem_id}/{action}", data=data)

    # When she works it through the cycle
    assert act("analysis", victim="5-класстын окуучулары", sources="school", on="2015-03-15").status_code == 302
    assert act("stage", stage="response", on="2015-03-20", reason="").status_code == 302
    commitment = world.a.meeting.commitment_ids[0]
    assert act("plan", commitment_id=commitment.hex, weight="2", on="2015-03-20").status_code == 302
    assert (
        act(
            "funding",
            source="donor_grant",
            funder="ЮНИСЕФ",
            amount="500",
            currency="USD",
            state="received",
            on="2015-03-21",
        ).status_code
        == 302
    )
    assert act("activity", kind="training", description="Мугалимдер үчүн тренинг", on="2015-03-25").status_code == 302
    assessed = act(
        "assessment",
        conclusion="reduced",
        what="Мушташтар",
        before="9",
        before_period="2014",
        after="3",
        after_period="2015",
        source="school",
        reason="",
        review_on="",
        on="2015-06-01",
    )
    assert assessed.status_code == 302
    # Then the problem is closed as reduced, with its plan, funding and measure; and the reopen form is offered
    problem = services.app.problem(UUID(problem_id))
    assert problem.closed and problem.conclusion.value == "reduced" and commitment in problem.plan
    page = client.get(page_url).get_data(as_text=True)
    assert "ЮНИСЕФ" in page and "Мугалимдер үчүн тренинг" in page and "Мушташтар" in page and "500 USD" in page
    assert "reopen-reason" in page and 'name="stage-stage"' not in page
    assert act("reopen", stage="response", reason="Кайра башталды", on="2015-07-01").status_code == 302
    assert not services.app.problem(UUID(problem_id)).closed


def test_a_refused_form_keeps_what_was_typed_and_says_why_next_to_the_field(web, services, world):
    client = logged_in(web, "secretary_a")
    team = world.a.team_id
    form = client.get(f"/secretary/teams/{team}/problems/new").get_data(as_text=True)
    answer = client.post(
        f"/secretary/teams/{team}/problems/new",
        data={
            "idempotency_key": hidden(form, "idempotency_key"),
            "title": TITLE,
            "category": "youth_conflict",
            "on": "2015-03-12",
            "first_noticed_on": "2015-04-01",  # after it was reported
            "visibility": "team",
        },
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and TITLE in page and 'aria-invalid="true"' in page


def test_a_funding_line_with_a_negative_amount_is_refused_on_its_field(web, services, world):
    client = logged_in(web, "secretary_a")
    problem_id = services.app.report_problem(
        world.a.team_id, title=TITLE, category="theft", on=date(2015, 3, 12), by="cli:test"
    )
    page = client.get(f"/secretary/problems/{problem_id}").get_data(as_text=True)
    answer = client.post(
        f"/secretary/problems/{problem_id}/funding",
        data={
            "funding-idempotency_key": hidden(page, "funding-idempotency_key"),
            "funding-source": "community",
            "funding-amount": "-5",
            "funding-currency": "KGS",
            "funding-state": "committed",
            "funding-on": "2015-03-20",
        },
    )
    refused = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'id="funding-amount-error"' in refused and 'value="-5"' in refused


def test_another_teams_secretary_and_the_public_cannot_work_on_a_problem(web, services, world):
    problem_id = services.app.report_problem(
        world.a.team_id, title=TITLE, category="theft", on=date(2015, 3, 12), by="cli:test"
    )
    other = logged_in(web, "secretary_b")
    assert other.get(f"/secretary/problems/{problem_id}").status_code == 403
    assert other.post(f"/secretary/problems/{problem_id}/stage", data={}).status_code == 403
    anonymous = logged_in(web, "anonymous")
    assert anonymous.get(f"/secretary/problems/{problem_id}").status_code in (302, 401)
    assert (
        logged_in(web, "secretary_a").get("/secretary/problems/01a2346d-7bdb-7dae-91d3-68a00f263164").status_code == 404
    )


def test_a_stage_dated_before_the_current_one_began_is_refused_with_the_domains_reason(web, services, world):
    client = logged_in(web, "secretary_a")
    problem_id = services.app.report_problem(
        world.a.team_id, title=TITLE, category="theft", on=date(2015, 3, 12), by="cli:test"
    )
    services.app.change_problem_stage(problem_id, stage="analysis", on=date(2015, 4, 1), by="cli:test")
    page = client.get(f"/secretary/problems/{problem_id}").get_data(as_text=True)
    assert 'name="stage-stage"' in page and '<option selected value="response">' in page  # the next stage offered
    answer = client.post(
        f"/secretary/problems/{problem_id}/stage",
        data={
            "stage-idempotency_key": hidden(page, "stage-idempotency_key"),
            "stage-stage": "response",
            "stage-on": "2015-03-20",
            "stage-reason": "",
        },
    )
    refused = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "This date is before the problem&#39;s current stage began." in refused and 'id="stage-on-error"' in refused
