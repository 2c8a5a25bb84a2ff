"""Stories of a problem: reported, analysed, answered by a plan with funding, assessed, reopened, shown or hidden."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from uuid import uuid4

import pytest

from tests.domain.given import HELD_ON, TODAY, on
from tracker.domain import Problem
from tracker.domain.errors import (
    AssessmentWithoutMeasure,
    CommitmentOfAnotherTeam,
    DateBeforeReported,
    DateInFuture,
    InvalidValue,
    NotInPlan,
    PlanItemAlreadyThere,
    ProblemClosed,
    ProblemNotClosed,
    ReasonRequired,
    StageOutOfOrder,
    StageUnchanged,
    VisibilityUnchanged,
)
from tracker.domain.measures import Measure, amount_of, progress_of
from tracker.domain.values import (
    ActivityKind,
    AnalysisSource,
    CommitmentStatus,
    Conclusion,
    Currency,
    FundingSource,
    FundingState,
    ProblemCategory,
    SaraStage,
    Visibility,
)

NOTICED_ON = date(2024, 2, 1)
ANALYSED_ON = date(2024, 3, 15)
RESPONSE_ON = date(2024, 4, 1)
ASSESSED_ON = date(2024, 6, 1)


def report(team, meeting=None, **overrides):
    fields = {
        "problem_id": uuid4(),
        "team_id": team.id,
        "title": "sealed:extortion at school No. 3",
        "category": ProblemCategory.EXTORTION_IN_SCHOOLS,
        "where": "sealed:Mirny, school No. 3",
        "raised_by_member_id": None,
        "raised_by": "sealed:parents' committee",
        "first_noticed_on": NOTICED_ON,
        "meeting_id": meeting.id if meeting else None,
        "visibility": Visibility.CONFIDENTIAL,
        "today": TODAY,
        "stamp": on(HELD_ON),
    }
    fields.update(overrides)
    return Problem.report(**fields)


@pytest.fixture
def problem(team, meeting):
    """Extortion at school No. 3, reported (confidential) at the meeting of 1 March 2024."""
    problem = report(team, meeting)
    problem.collect_events()
    return problem


def to_stage(problem, stage, day, reason=None):
    problem.change_stage(stage=stage, reason=reason, today=TODAY, stamp=on(day))
    problem.collect_events()


def measure(before="7", after="1"):
    return Measure(
        what="sealed:reported cases of extortion at school No. 3",
        before=Decimal(before),
        after=Decimal(after),
        before_period="2023",
        after_period="2024",
        source=AnalysisSource.POLICE_DATA,
    )


def assess(problem, day=ASSESSED_ON, measures=None, reason=None, conclusion=Conclusion.REDUCED):
    problem.assess(
        measures=[measure()] if measures is None else measures,
        conclusion=conclusion,
        review_on=date(2024, 12, 1),
        reason=reason,
        today=TODAY,
        stamp=on(day),
    )


# Scanning


def test_given_a_meeting_when_a_problem_is_reported_then_it_is_at_scanning_since_that_day(team, meeting, only_event):
    # when
    problem = report(team, meeting)
    # then
    event = only_event(problem, Problem.Reported)
    assert event.category == "extortion_in_schools" and event.visibility == "confidential"
    assert event.title == "sealed:extortion at school No. 3" and event.meeting_id == meeting.id
    assert problem.stage is SaraStage.SCANNING and problem.stage_since == HELD_ON
    assert problem.closed is False and problem.plan == {}


def test_given_between_meetings_when_a_problem_is_reported_without_a_place_then_it_stands_alone(team, only_event):
    problem = report(team, where=None, raised_by=None, first_noticed_on=None, stamp=on(date(2024, 3, 5)))
    event = only_event(problem, Problem.Reported)
    assert event.meeting_id is None and event.where is None and event.business_date == date(2024, 3, 5)


def test_a_problem_cannot_be_first_noticed_after_it_was_reported_nor_reported_after_today(team):
    with pytest.raises(InvalidValue) as noticed:
        report(team, first_noticed_on=date(2024, 3, 2))
    assert noticed.value.field == "first_noticed_on"
    with pytest.raises(DateInFuture):
        report(team, stamp=on(date(2024, 7, 1)))


# Analysis


def test_given_a_problem_when_its_analysis_is_amended_twice_then_both_versions_are_kept(problem):
    # when
    for notes in ("sealed:first look", "sealed:after the survey"):
        problem.amend_analysis(
            offender="sealed:older pupils",
            victim="sealed:pupils of grades 5-7",
            location="sealed:the school yard after classes",
            sources=[AnalysisSource.RESIDENTS_SURVEY, AnalysisSource.SCHOOL, AnalysisSource.SCHOOL],
            notes=notes,
            today=TODAY,
            stamp=on(ANALYSED_ON),
        )
    # then
    events = problem.collect_events()
    assert [type(event) for event in events] == [Problem.AnalysisAmended, Problem.AnalysisAmended]
    assert [event.notes for event in events] == ["sealed:first look", "sealed:after the survey"]
    assert events[0].sources == ["residents_survey", "school"]


# Stages


def test_given_scanning_when_the_team_moves_on_then_each_stage_starts_on_its_own_date(problem, only_event):
    problem.change_stage(stage=SaraStage.ANALYSIS, reason=None, today=TODAY, stamp=on(ANALYSED_ON))
    event = only_event(problem, Problem.StageChanged)
    assert event.stage == "analysis" and event.reason is None
    assert problem.stage is SaraStage.ANALYSIS and problem.stage_since == ANALYSED_ON


def test_given_a_response_when_new_facts_send_the_team_back_to_analysis_then_it_needs_a_reason(problem):
    # given
    to_stage(problem, SaraStage.RESPONSE, RESPONSE_ON)
    # when going back without a reason, then it is refused
    with pytest.raises(ReasonRequired):
        problem.change_stage(stage=SaraStage.ANALYSIS, reason=None, today=TODAY, stamp=on(date(2024, 4, 20)))
    # and with one it is recorded
    to_stage(problem, SaraStage.ANALYSIS, date(2024, 4, 20), reason="sealed:the victims named another group")
    assert problem.stage is SaraStage.ANALYSIS and problem.stage_since == date(2024, 4, 20)


def test_a_stage_change_is_not_to_the_same_stage_nor_dated_before_the_stage_began(problem):
    to_stage(problem, SaraStage.ANALYSIS, ANALYSED_ON)
    with pytest.raises(StageUnchanged):
        problem.change_stage(stage=SaraStage.ANALYSIS, reason=None, today=TODAY, stamp=on(RESPONSE_ON))
    with pytest.raises(StageOutOfOrder):
        problem.change_stage(stage=SaraStage.RESPONSE, reason=None, today=TODAY, stamp=on(date(2024, 3, 10)))


def test_nothing_is_dated_before_the_problem_was_reported_nor_after_today(problem):
    with pytest.raises(DateBeforeReported):
        problem.record_activity(
            activity_id=uuid4(), kind=ActivityKind.PATROL, description="", today=TODAY, stamp=on(date(2024, 2, 1))
        )
    with pytest.raises(DateInFuture):
        problem.record_activity(
            activity_id=uuid4(), kind=ActivityKind.PATROL, description="", today=TODAY, stamp=on(date(2024, 7, 1))
        )


# Response: the plan, activities and funding


def test_given_a_commitment_of_the_team_when_it_joins_the_plan_then_it_counts_with_its_weight(
    problem, commitment, meeting, only_event
):
    # when
    problem.add_plan_item(
        commitment_id=commitment.id,
        commitment_team_id=commitment.team_id,
        weight=3,
        meeting_id=meeting.id,
        today=TODAY,
        stamp=on(HELD_ON),
    )
    # then
    event = only_event(problem, Problem.PlanItemAdded)
    assert event.commitment_id == commitment.id and event.weight == 3
    assert problem.plan == {commitment.id: 3}


def test_a_plan_holds_a_commitment_once_of_its_own_team_with_a_sensible_weight(problem, commitment):
    add = dict(commitment_id=commitment.id, meeting_id=None, today=TODAY, stamp=on(HELD_ON))
    with pytest.raises(CommitmentOfAnotherTeam):
        problem.add_plan_item(commitment_team_id=uuid4(), weight=1, **add)
    with pytest.raises(InvalidValue) as weight:
        problem.add_plan_item(commitment_team_id=commitment.team_id, weight=0, **add)
    assert weight.value.field == "weight"
    problem.add_plan_item(commitment_team_id=commitment.team_id, weight=1, **add)
    with pytest.raises(PlanItemAlreadyThere):
        problem.add_plan_item(commitment_team_id=commitment.team_id, weight=1, **add)


def test_given_a_plan_item_when_it_is_removed_for_a_reason_then_it_no_longer_counts(problem, commitment):
    # given
    problem.add_plan_item(
        commitment_id=commitment.id,
        commitment_team_id=commitment.team_id,
        weight=1,
        meeting_id=None,
        today=TODAY,
        stamp=on(HELD_ON),
    )
    problem.collect_events()
    # when
    problem.remove_plan_item(
        commitment_id=commitment.id, reason="sealed:belongs to another problem", today=TODAY, stamp=on(RESPONSE_ON)
    )
    # then
    assert problem.plan == {}
    with pytest.raises(NotInPlan):
        problem.remove_plan_item(commitment_id=commitment.id, reason="sealed:again", today=TODAY, stamp=on(RESPONSE_ON))


def test_given_a_response_when_an_activity_is_recorded_then_it_is_a_fact_of_its_day(problem, only_event):
    activity_id = uuid4()
    problem.record_activity(
        activity_id=activity_id,
        kind=ActivityKind.MEETING_WITH_AT_RISK_GROUPS,
        description="sealed:talk with grade 9 boys",
        today=TODAY,
        stamp=on(RESPONSE_ON),
    )
    event = only_event(problem, Problem.ActivityRecorded)
    assert event.activity_id == activity_id and event.kind == "meeting_with_at_risk_groups"


def test_given_a_plan_when_funding_lines_are_added_then_each_keeps_its_currency_and_state(problem, only_event):
    # when
    problem.add_funding_line(
        line_id=uuid4(),
        source=FundingSource.LOCAL_BUDGET,
        funder="sealed:Mirny ayil okmotu",
        amount=Decimal("15000"),
        currency=Currency.KGS,
        state=FundingState.COMMITTED,
        today=TODAY,
        stamp=on(RESPONSE_ON),
    )
    # then
    event = only_event(problem, Problem.FundingLineAdded)
    assert (event.source, event.amount, event.currency, event.state) == ("local_budget", "15000", "KGS", "committed")


@pytest.mark.parametrize("amount", ["-1", "NaN", "Infinity", "12.345", "a lot", ""])
def test_a_funding_line_needs_an_amount_of_zero_or_more(problem, amount):
    with pytest.raises(InvalidValue) as refused:
        problem.add_funding_line(
            line_id=uuid4(),
            source=FundingSource.DONOR_GRANT,
            funder=None,
            amount=amount,
            currency=Currency.USD,
            state=FundingState.RECEIVED,
            today=TODAY,
            stamp=on(RESPONSE_ON),
        )
    assert refused.value.field == "amount"


def test_an_amount_of_zero_with_two_decimals_is_an_amount():
    assert amount_of("0") == Decimal("0") and amount_of(" 1250.50 ") == Decimal("1250.50")


# Assessment and reopening


def test_given_a_response_when_it_is_assessed_with_a_measure_then_the_problem_is_closed(problem, only_event):
    # given
    to_stage(problem, SaraStage.RESPONSE, RESPONSE_ON)
    # when
    assess(problem)
    # then
    event = only_event(problem, Problem.Assessed)
    assert event.conclusion == "reduced" and event.review_on == date(2024, 12, 1)
    assert event.measures == [
        {
            "what": "sealed:reported cases of extortion at school No. 3",
            "before": "7",
            "after": "1",
            "before_period": "2023",
            "after_period": "2024",
            "source": "police_data",
        }
    ]
    assert problem.closed and problem.stage is SaraStage.ASSESSMENT and problem.conclusion is Conclusion.REDUCED


def test_an_assessment_needs_at_least_one_measure_or_a_reason(problem):
    with pytest.raises(AssessmentWithoutMeasure):
        assess(problem, measures=[])
    assess(problem, measures=[], reason="sealed:the school kept no records", conclusion=Conclusion.UNCHANGED)
    assert problem.closed


def test_given_a_closed_problem_then_it_takes_no_plan_item_nor_stage_change_until_reopened(problem, commitment):
    # given
    assess(problem)
    problem.collect_events()
    add = dict(
        commitment_id=commitment.id,
        commitment_team_id=commitment.team_id,
        weight=1,
        meeting_id=None,
        today=TODAY,
        stamp=on(ASSESSED_ON),
    )
    # then
    with pytest.raises(ProblemClosed):
        problem.add_plan_item(**add)
    with pytest.raises(ProblemClosed):
        problem.change_stage(stage=SaraStage.RESPONSE, reason="sealed:more", today=TODAY, stamp=on(ASSESSED_ON))
    with pytest.raises(ProblemClosed):
        assess(problem)
    # when it is reopened for a reason, at the stage where work resumes
    problem.reopen(stage=SaraStage.RESPONSE, reason="sealed:it started again", today=TODAY, stamp=on(TODAY))
    # then the plan takes the commitment again
    problem.add_plan_item(**{**add, "stamp": on(TODAY)})
    assert not problem.closed and problem.conclusion is None and problem.stage is SaraStage.RESPONSE
    assert commitment.id in problem.plan


def test_only_a_closed_problem_is_reopened(problem):
    with pytest.raises(ProblemNotClosed):
        problem.reopen(stage=SaraStage.ANALYSIS, reason="sealed:why", today=TODAY, stamp=on(TODAY))


# Visibility


def test_given_a_confidential_problem_when_it_is_made_public_for_a_reason_then_it_is_a_correction(problem, only_event):
    problem.change_visibility(
        visibility=Visibility.PUBLIC, reason="sealed:the case is closed", today=TODAY, stamp=on(TODAY)
    )
    event = only_event(problem, Problem.VisibilityChanged)
    assert event.is_correction and problem.visibility is Visibility.PUBLIC
    with pytest.raises(VisibilityUnchanged):
        problem.change_visibility(visibility=Visibility.PUBLIC, reason="sealed:again", today=TODAY, stamp=on(TODAY))


# Reloaded from its events


def test_given_a_problem_saved_when_it_is_reloaded_then_its_stage_plan_and_closure_come_back(record, team):
    # given: the events of a problem's whole story, saved in the event store
    plan_item = uuid4()
    fresh = report(team)
    fresh.add_plan_item(
        commitment_id=plan_item,
        commitment_team_id=team.id,
        weight=2,
        meeting_id=None,
        today=TODAY,
        stamp=on(HELD_ON),
    )
    fresh.change_stage(stage=SaraStage.RESPONSE, reason=None, today=TODAY, stamp=on(RESPONSE_ON))
    assess(fresh)
    record.save(fresh)
    # when
    reloaded = record.repository.get(fresh.id)
    # then
    assert reloaded.plan == {plan_item: 2} and reloaded.closed and reloaded.conclusion is Conclusion.REDUCED
    assert reloaded.stage_since == ASSESSED_ON and reloaded.category is ProblemCategory.EXTORTION_IN_SCHOOLS


# Progress


def test_progress_counts_kept_as_one_partly_kept_as_half_and_leaves_withdrawn_out():
    kept, partly, open_, withdrawn = (
        CommitmentStatus.KEPT,
        CommitmentStatus.PARTLY_KEPT,
        CommitmentStatus.OPEN,
        CommitmentStatus.WITHDRAWN,
    )
    assert progress_of([(1, kept), (1, partly), (1, open_), (1, withdrawn)]) == Fraction(1, 2)
    assert progress_of([(3, kept), (1, open_)]) == Fraction(3, 4)
    assert progress_of([(1, withdrawn)]) is None and progress_of([]) is None
