"""Problems through the application: every text sealed under the problem's own key, bad input refused whole with
every error at once, nothing half-written, a repeated key answered once."""

from __future__ import annotations

from datetime import date

import pytest

from tests.story import BY, add_member, register_team, tell_story
from tracker.application.drafts import CommitmentDraft, DecisionDraft, MeasureDraft
from tracker.audit.verify import verify_log
from tracker.confidentiality import KeyErased
from tracker.domain.errors import (
    CommitmentOfAnotherTeam,
    InvalidInputs,
    InvalidValue,
    MeetingOfAnotherTeam,
    ProblemClosed,
    ReasonRequired,
    TextRequired,
)
from tracker.domain.values import Conclusion, SaraStage

TITLE = "Мектептеги опузалоо"


def report(app, story, **overrides):
    fields = dict(
        title=TITLE,
        category="extortion_in_schools",
        on=date(2015, 3, 12),
        by=BY,
        where="Мирный, №3 мектеп",
        raised_by_member_id=story.chair,
        meeting_id=story.meeting.id,
        visibility="confidential",
    )
    fields.update(overrides)
    return app.report_problem(story.team_id, **fields)


def test_a_problem_worked_through_the_whole_cycle_keeps_every_step_and_its_text_under_its_own_key(services):
    # given the team's story and a problem reported at its meeting
    app = services.app
    story = tell_story(app)
    problem_id = report(app, story)
    # when the team analyses it, plans against it with a commitment, funds it, acts and assesses it
    app.amend_problem_analysis(
        problem_id,
        on=date(2015, 3, 20),
        by=BY,
        offender="Улуу класстын балдары",
        victim="5-7-класстын окуучулары",
        location="Сабактан кийин, мектептин короосу",
        sources=["residents_survey", "school"],
        notes="Ата-энелер айтты",
    )
    app.change_problem_stage(problem_id, stage="response", on=date(2015, 4, 1), by=BY)
    app.add_plan_item(problem_id, story.meeting.commitment_ids[0], on=date(2015, 4, 1), by=BY, weight=2)
    line_id = app.add_funding_line(
        problem_id,
        source="local_budget",
        funder="Мирный айыл өкмөтү",
        amount="15000",
        currency="KGS",
        state="committed",
        on=date(2015, 4, 2),
        by=BY,
    )
    activity_id = app.record_problem_activity(
        problem_id, kind="patrol", description="Сабактан кийин кезүү", on=date(2015, 4, 10), by=BY
    )
    app.assess_problem(
        problem_id,
        conclusion="reduced",
        on=date(2015, 6, 1),
        by=BY,
        measures=[MeasureDraft("Катталган окуялар", "7", "1", "2014", "2015", "police_data")],
        review_on=date(2015, 12, 1),
    )
    # then the problem stands closed at assessment, with its plan, and its texts open under its own key
    problem = app.problem(problem_id)
    assert problem.closed and problem.conclusion is Conclusion.REDUCED and problem.stage is SaraStage.ASSESSMENT
    assert problem.plan == {story.meeting.commitment_ids[0]: 2}
    events = list(app.events.get(problem_id))
    assert line_id != activity_id
    assert [type(event).__name__ for event in events] == [
        "Reported",
        "AnalysisAmended",
        "StageChanged",
        "PlanItemAdded",
        "FundingLineAdded",
        "ActivityRecorded",
        "Assessed",
    ]
    reported = events[0]
    assert app.sealer.open(reported.title) == TITLE and reported.title.split(":")[1] == problem_id.hex
    assessed = events[-1]
    assert app.sealer.open(assessed.measures[0]["what"]) == "Катталган окуялар"
    assert assessed.measures[0]["before"] == "7" and assessed.measures[0]["after"] == "1"


def test_a_problem_refused_for_its_input_says_every_fault_at_once_and_writes_nothing(services):
    app = services.app
    story = tell_story(app)
    other_team = register_team(app, "Ворух")
    head = app.recorder.max_notification_id()
    with pytest.raises(InvalidInputs) as refused:
        report(app, story, title="  ", category="floods", visibility="secret")
    assert {error.field for error in refused.value.errors} == {"title", "category", "visibility"}
    assert isinstance(refused.value.errors[0], TextRequired)
    with pytest.raises(MeetingOfAnotherTeam):
        app.report_problem(
            other_team, title=TITLE, category="theft", on=date(2015, 3, 12), by=BY, meeting_id=story.meeting.id
        )
    assert app.recorder.max_notification_id() == head


def test_funding_needs_a_known_source_currency_state_and_an_amount_of_zero_or_more(services):
    app = services.app
    story = tell_story(app)
    problem_id = report(app, story)
    head = app.recorder.max_notification_id()
    with pytest.raises(InvalidInputs) as refused:
        app.add_funding_line(
            problem_id, source="lottery", amount="-5", currency="RUB", state="promised", on=date(2015, 4, 2), by=BY
        )
    assert {error.field for error in refused.value.errors} == {"source", "amount", "currency", "state"}
    assert app.recorder.max_notification_id() == head


def test_a_plan_takes_only_the_teams_own_commitments_and_a_closed_problem_none(services):
    app = services.app
    story = tell_story(app)
    other = register_team(app, "Ворух")
    member = add_member(app, other, "Зарина Ғафурова", "womens_committee", "female", "30_44")
    elsewhere = app.record_meeting(
        other,
        held_on=date(2015, 3, 20),
        kind="regular",
        place="Ҷамоат",
        attendee_ids=[member],
        decisions=[DecisionDraft("Равшанӣ", "public", [CommitmentDraft("Чароғ", date(2015, 6, 1), "public", member)])],
        by=BY,
    )
    problem_id = report(app, story)
    with pytest.raises(CommitmentOfAnotherTeam):
        app.add_plan_item(problem_id, elsewhere.commitment_ids[0], on=date(2015, 4, 1), by=BY)
    app.assess_problem(problem_id, conclusion="unchanged", on=date(2015, 4, 1), by=BY, reason="Маалымат жок")
    with pytest.raises(ProblemClosed):
        app.add_plan_item(problem_id, story.meeting.commitment_ids[0], on=date(2015, 4, 2), by=BY)
    with pytest.raises(ReasonRequired):
        app.reopen_problem(problem_id, reason=" ", on=date(2015, 4, 2), by=BY)
    app.reopen_problem(problem_id, reason="Кайра башталды", on=date(2015, 4, 2), by=BY, stage="response")
    app.add_plan_item(problem_id, story.meeting.commitment_ids[0], on=date(2015, 4, 2), by=BY)
    assert story.meeting.commitment_ids[0] in app.problem(problem_id).plan


def test_a_measure_is_checked_where_it_stands_in_the_list(services):
    app = services.app
    story = tell_story(app)
    problem_id = report(app, story)
    with pytest.raises(InvalidValue) as refused:
        app.assess_problem(
            problem_id,
            conclusion="solved",
            on=date(2015, 6, 1),
            by=BY,
            measures=[
                MeasureDraft("Окуялар", "7", "1", "2014", "2015", "police_data"),
                MeasureDraft("Окуялар", "7", "a few", "2014", "2015", "police_data"),
            ],
        )
    assert refused.value.field == "measures[1].after"


def test_reporting_a_problem_twice_under_one_key_records_it_once(services):
    app = services.app
    story = tell_story(app)
    first = report(app, story, idempotency_key="problem-1")
    second = report(app, story, idempotency_key="problem-1")
    assert first == second
    assert app.problem(first).category.value == "extortion_in_schools"


def test_an_erased_problem_keeps_its_category_stage_and_plan_but_no_text_and_the_log_still_verifies(services):
    # given a problem with its analysis and a funder, in a checkpointed log
    app = services.app
    story = tell_story(app)
    problem_id = report(app, story)
    app.amend_problem_analysis(problem_id, on=date(2015, 3, 20), by=BY, victim="Айгерим, 6-класс")
    app.add_plan_item(problem_id, story.meeting.commitment_ids[0], on=date(2015, 3, 20), by=BY)
    # when it is erased at a person's request
    assert app.erase_item(problem_id, reason="person_request", by="cli:admin") == problem_id
    # then no text of it opens any more, while its category, stage and plan stay
    events = list(app.events.get(problem_id))
    with pytest.raises(KeyErased):
        app.sealer.open(events[0].title)
    with pytest.raises(KeyErased):
        app.sealer.open(events[1].victim)
    problem = app.problem(problem_id)
    assert problem.erased and problem.category.value == "extortion_in_schools"
    assert problem.stage is SaraStage.SCANNING and story.meeting.commitment_ids[0] in problem.plan
    # and erasing again records nothing more, and every leaf of the log still verifies
    app.erase_item(problem_id, reason="person_request", by="cli:admin")
    assert [type(event).__name__ for event in app.events.get(problem_id)].count("TextErased") == 1
    services.projections.catch_up()
    checkpoint = services.signed_log.sign_head()
    size, _ = verify_log(services.engine, app, [checkpoint.note], services.signed_log.key)
    assert size == app.recorder.max_notification_id()
