"""A commitment made at a meeting can join a problem's action plan from the meeting form itself, in the same
write as the meeting; a problem it cannot join says why, on that commitment's row."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.story import BY, tell_problems
from tests.web.conftest import logged_in
from tests.web.test_secretary_flows import errors_in, meeting_form
from tracker.projections.problems import problem_plan_items


def test_a_secretary_adds_a_new_commitment_to_a_problems_plan_from_the_meeting_form(web, services, world):
    _streets, school = tell_problems(services.app, world.a)  # the streets are assessed (closed); the school is open
    client = logged_in(web, "secretary_a")
    url = f"/secretary/teams/{world.a.team_id}/meetings/new"
    form = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Serves the problem (optional)" in form and f'value="{school.hex}"' in form
    assert f'value="{_streets.hex}"' not in form  # a closed problem takes no new plan items
    data = meeting_form(world, held_on="2015-05-20", **{"decisions-0-commitments-0-problem_id": school.hex})
    data["decisions-0-commitments-0-due_on"] = "2015-06-20"
    data["decisions-0-commitments-1-due_on"] = "2015-06-20"
    assert client.post(url, data=data).status_code == 302
    with services.engine.connect() as conn:
        items = list(conn.execute(select(problem_plan_items).where(problem_plan_items.c.problem_id == school.hex)))
    assert len(items) == 1 and items[0].added_on == date(2015, 5, 20) and items[0].meeting_id is not None
    page = client.get(f"/secretary/problems/{school}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "made commitments of its plan; added commitments to its plan" in page


def test_a_meeting_before_the_problem_was_reported_is_refused_on_the_commitments_row_and_nothing_is_saved(
    web, services, world
):
    _streets, school = tell_problems(services.app, world.a)  # the school's problem was reported on 2 May 2015
    client = logged_in(web, "secretary_a")
    head = services.app.recorder.max_notification_id()
    data = meeting_form(world, **{"decisions-0-commitments-0-problem_id": school.hex})  # held on 1 April
    refused = client.post(
        f"/secretary/teams/{world.a.team_id}/meetings/new", data=data, headers={"Accept-Language": "en"}
    )
    assert refused.status_code == 422
    assert any("before" in message for message in errors_in(refused))
    assert 'id="decisions-0-commitments-0-problem_id"' in refused.get_data(as_text=True)
    assert services.app.recorder.max_notification_id() == head  # neither the meeting nor its commitments


def test_a_problem_of_another_team_is_refused(services, world):
    import pytest

    from tracker.application.drafts import CommitmentDraft, DecisionDraft
    from tracker.domain.errors import CommitmentOfAnotherTeam

    _streets, school = tell_problems(services.app, world.a)
    with pytest.raises(CommitmentOfAnotherTeam) as refused:
        services.app.record_meeting(
            world.b_team,
            held_on=date(2015, 5, 20),
            kind="regular",
            place="Ҷамоат",
            attendee_ids=[world.b_member],
            decisions=[
                DecisionDraft(
                    "Қарор",
                    "team",
                    [CommitmentDraft("Кор", date(2015, 6, 1), "team", world.b_member, problem_id=school)],
                )
            ],
            by=BY,
        )
    assert refused.value.field == "decisions[0].commitments[0].problem_id"
