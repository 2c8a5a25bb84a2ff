"""The problem aggregate: a local safety problem worked through the SARA cycle, with its action plan, funding and
assessment; progress is derived from the plan's commitments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from tracker.domain.errors import (
    AssessmentWithoutMeasure,
    CommitmentOfAnotherTeam,
    DateBeforeReported,
    DateInFuture,
    InvalidValue,
    ItemAlreadyErased,
    NotInPlan,
    PlanItemAlreadyThere,
    ProblemClosed,
    ProblemNotClosed,
    ReasonRequired,
    StageOutOfOrder,
    StageUnchanged,
    VisibilityUnchanged,
)
from tracker.domain.events import Sealed, Stamp, TrackedEvent
from tracker.domain.measures import Measure, amount_of
from tracker.domain.values import (
    ActivityKind,
    AnalysisSource,
    Conclusion,
    Currency,
    ErasureReason,
    FundingSource,
    FundingState,
    ProblemCategory,
    SaraStage,
    Visibility,
)

MAX_WEIGHT = 100


class Problem(Aggregate):
    class Event(TrackedEvent):
        pass

    class Reported(Event, Aggregate.Created):
        """A local safety problem was named (scanning), at a meeting or between meetings."""

        title: Sealed
        category: str
        where: Sealed | None
        raised_by_member_id: UUID | None
        raised_by: Sealed | None
        first_noticed_on: date | None
        meeting_id: UUID | None
        visibility: str

        def apply(self, problem: Problem) -> None:
            problem.team_id = self.team_id
            problem.category = ProblemCategory(self.category)
            problem.visibility = Visibility(self.visibility)
            problem.reported_on = self.business_date
            problem.stage = SaraStage.SCANNING
            problem.stage_since = self.business_date
            problem.last_on = self.business_date
            problem.plan = {}
            problem.closed = False
            problem.conclusion = None
            problem.erased = False

    class AnalysisAmended(Event):
        """The problem-analysis triangle (offender, victim, location), its sources and notes, as now understood; every
        version is kept."""

        offender: Sealed
        victim: Sealed
        location: Sealed
        sources: list[str]
        notes: Sealed

    class StageChanged(Event):
        """The problem moved to another stage of the SARA cycle; back to an earlier one only for a reason."""

        stage: str
        reason: Sealed | None

        def apply(self, problem: Problem) -> None:
            problem.stage = SaraStage(self.stage)
            problem.stage_since = self.business_date

    class PlanItemAdded(Event):
        """A commitment joined the problem's action plan (from the meeting form or later), with its weight."""

        commitment_id: UUID
        weight: int
        meeting_id: UUID | None

        def apply(self, problem: Problem) -> None:
            problem.plan[self.commitment_id] = self.weight

    class PlanItemRemoved(Event):
        """A commitment left the action plan, for a reason."""

        commitment_id: UUID
        reason: Sealed

        def apply(self, problem: Problem) -> None:
            problem.plan.pop(self.commitment_id, None)

    class ActivityRecorded(Event):
        """Something done against the problem (a campaign, a meeting with at-risk groups, a training, a patrol, a
        repair), on its business date."""

        activity_id: UUID
        kind: str
        description: Sealed

    class FundingLineAdded(Event):
        """Money for the plan: its source, funder, amount and currency, committed or received. Totals are kept per
        currency; nothing is converted."""

        line_id: UUID
        source: str
        funder: Sealed | None
        amount: str
        currency: str
        state: str

    class Assessed(Event):
        """The response was assessed: measures before and after, a conclusion, a date to review; the problem is
        closed."""

        measures: list[dict[str, str]]
        conclusion: str
        review_on: date | None
        reason: Sealed | None

        def apply(self, problem: Problem) -> None:
            problem.stage = SaraStage.ASSESSMENT
            problem.stage_since = self.business_date
            problem.closed = True
            problem.conclusion = Conclusion(self.conclusion)

    class Reopened(Event):
        """A closed problem was opened again, for a reason, at the stage where work resumes."""

        stage: str
        reason: Sealed

        def apply(self, problem: Problem) -> None:
            problem.stage = SaraStage(self.stage)
            problem.stage_since = self.business_date
            problem.closed = False
            problem.conclusion = None

    class TextErased(Event):
        """Every text of the problem (its title, place, analysis, reasons, funders, measures) was destroyed for
        good: its data key was shredded. Category, stage, dates, plan, amounts and counts stay."""

        is_correction = True
        reason_code: str

        def apply(self, problem: Problem) -> None:
            problem.erased = True

    class VisibilityChanged(Event):
        """The problem was made more or less visible, for a reason."""

        is_correction = True
        visibility: str
        reason: Sealed

        def apply(self, problem: Problem) -> None:
            problem.visibility = Visibility(self.visibility)

    @classmethod
    def report(
        cls,
        *,
        problem_id: UUID,
        team_id: UUID,
        title: Sealed,
        category: ProblemCategory,
        where: Sealed | None,
        raised_by_member_id: UUID | None,
        raised_by: Sealed | None,
        first_noticed_on: date | None,
        meeting_id: UUID | None,
        visibility: Visibility,
        today: date,
        stamp: Stamp,
    ) -> Problem:
        if stamp.business_date > today:
            raise DateInFuture(f"a problem cannot be reported on {stamp.business_date}, after today", "on")
        if first_noticed_on is not None and first_noticed_on > stamp.business_date:
            raise InvalidValue("first_noticed_on", f"first noticed on {first_noticed_on}, after it was reported")
        return cls._create(
            cls.Reported,
            id=problem_id,
            title=title,
            category=category.value,
            where=where,
            raised_by_member_id=raised_by_member_id,
            raised_by=raised_by,
            first_noticed_on=first_noticed_on,
            meeting_id=meeting_id,
            visibility=visibility.value,
            **stamp.fields(team_id),
        )

    def amend_analysis(
        self,
        *,
        offender: Sealed,
        victim: Sealed,
        location: Sealed,
        sources: list[AnalysisSource],
        notes: Sealed,
        today: date,
        stamp: Stamp,
    ) -> None:
        self._check_date(stamp, today)
        self._record(
            self.AnalysisAmended,
            stamp,
            offender=offender,
            victim=victim,
            location=location,
            sources=sorted({source.value for source in sources}),
            notes=notes,
        )

    def change_stage(self, *, stage: SaraStage, reason: Sealed | None, today: date, stamp: Stamp) -> None:
        self._refuse_when_closed()
        self._check_stage_date(stamp, today)
        if stage is self.stage:
            raise StageUnchanged(f"the problem is already at {stage.value}")
        if stage.order < self.stage.order and reason is None:
            raise ReasonRequired(f"going back from {self.stage.value} to {stage.value} needs a reason")
        self._record(self.StageChanged, stamp, stage=stage.value, reason=reason)

    def add_plan_item(
        self,
        *,
        commitment_id: UUID,
        commitment_team_id: UUID,
        weight: int,
        meeting_id: UUID | None,
        today: date,
        stamp: Stamp,
    ) -> None:
        self._refuse_when_closed()
        self._check_date(stamp, today)
        if commitment_team_id != self.team_id:
            raise CommitmentOfAnotherTeam("a plan holds only commitments of the problem's own team")
        if commitment_id in self.plan:
            raise PlanItemAlreadyThere("the commitment is already in the plan")
        if not 1 <= weight <= MAX_WEIGHT:
            raise InvalidValue("weight", f"a weight is a whole number from 1 to {MAX_WEIGHT}")
        self._record(self.PlanItemAdded, stamp, commitment_id=commitment_id, weight=weight, meeting_id=meeting_id)

    def remove_plan_item(self, *, commitment_id: UUID, reason: Sealed, today: date, stamp: Stamp) -> None:
        self._refuse_when_closed()
        self._check_date(stamp, today)
        if commitment_id not in self.plan:
            raise NotInPlan("the commitment is not in the plan")
        self._record(self.PlanItemRemoved, stamp, commitment_id=commitment_id, reason=reason)

    def record_activity(
        self, *, activity_id: UUID, kind: ActivityKind, description: Sealed, today: date, stamp: Stamp
    ) -> None:
        self._check_date(stamp, today)
        self._record(self.ActivityRecorded, stamp, activity_id=activity_id, kind=kind.value, description=description)

    def add_funding_line(
        self,
        *,
        line_id: UUID,
        source: FundingSource,
        funder: Sealed | None,
        amount: Decimal,
        currency: Currency,
        state: FundingState,
        today: date,
        stamp: Stamp,
    ) -> None:
        self._check_date(stamp, today)
        checked = amount_of(amount)
        self._record(
            self.FundingLineAdded,
            stamp,
            line_id=line_id,
            source=source.value,
            funder=funder,
            amount=str(checked),
            currency=currency.value,
            state=state.value,
        )

    def assess(
        self,
        *,
        measures: list[Measure],
        conclusion: Conclusion,
        review_on: date | None,
        reason: Sealed | None,
        today: date,
        stamp: Stamp,
    ) -> None:
        self._refuse_when_closed()
        self._check_stage_date(stamp, today)
        if not measures and reason is None:
            raise AssessmentWithoutMeasure("an assessment needs at least one measure, or the reason there is none")
        if review_on is not None and review_on < stamp.business_date:
            raise InvalidValue("review_on", f"the review on {review_on} is before the assessment")
        self._record(
            self.Assessed,
            stamp,
            measures=[measure.as_fields() for measure in measures],
            conclusion=conclusion.value,
            review_on=review_on,
            reason=reason,
        )

    def reopen(self, *, stage: SaraStage, reason: Sealed, today: date, stamp: Stamp) -> None:
        if not self.closed:
            raise ProblemNotClosed("the problem is not closed")
        self._check_stage_date(stamp, today)
        self._record(self.Reopened, stamp, stage=stage.value, reason=reason)

    def change_visibility(self, *, visibility: Visibility, reason: Sealed, today: date, stamp: Stamp) -> None:
        if visibility is self.visibility:
            raise VisibilityUnchanged(f"the problem is already {visibility.value}")
        self._check_date(stamp, today)
        self._record(self.VisibilityChanged, stamp, visibility=visibility.value, reason=reason)

    def erase_text(self, *, reason: ErasureReason, stamp: Stamp) -> None:
        if self.erased:
            raise ItemAlreadyErased(f"the problem {self.id} was already erased")
        self.trigger_event(self.TextErased, reason_code=reason.value, **stamp.fields(self.team_id))

    def _record(self, event: type[Problem.Event], stamp: Stamp, **fields: Any) -> None:
        self.trigger_event(event, **fields, **stamp.fields(self.team_id))
        self.last_on = max(self.last_on, stamp.business_date)

    def _refuse_when_closed(self) -> None:
        if self.closed:
            raise ProblemClosed(f"the problem was assessed as {self.conclusion.value}; reopen it first")

    def _check_date(self, stamp: Stamp, today: date) -> None:
        """Any entry, late ones included: between the day the problem was reported and today."""
        if stamp.business_date > today:
            raise DateInFuture(f"{stamp.business_date} is after today", "on")
        if stamp.business_date < self.reported_on:
            raise DateBeforeReported(f"{stamp.business_date} is before the problem was reported, on {self.reported_on}")

    def _check_stage_date(self, stamp: Stamp, today: date) -> None:
        """A move through the cycle: also not before the current stage began."""
        self._check_date(stamp, today)
        if stamp.business_date < self.stage_since:
            raise StageOutOfOrder(f"{stamp.business_date} is before the stage began, on {self.stage_since}")
