"""Commands on problems: report one, amend its analysis, move it through the SARA cycle, build its action plan,
record activities and funding, assess it, reopen it, change its visibility. Every text is sealed under the
problem's own key, so a problem can be erased on its own."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from tracker.application import inputs
from tracker.application.drafts import MeasureDraft
from tracker.application.unit_of_work import Save, command
from tracker.domain import Commitment, Meeting, Problem, Stamp, Team
from tracker.domain.errors import MeetingOfAnotherTeam, UnknownMember
from tracker.domain.ids import new_id
from tracker.domain.measures import Measure, amount_of
from tracker.domain.values import (
    ActivityKind,
    AnalysisSource,
    Conclusion,
    Currency,
    FundingSource,
    FundingState,
    ProblemCategory,
    SaraStage,
    Visibility,
    parse,
)

SHORT_LABEL = 40  # a measure's period ("2014", "Q1 2015")


class ProblemCommands:
    @command()
    def report_problem(
        self: Any,
        team_id: UUID,
        *,
        title: str,
        category: str,
        on: date,
        by: str,
        where: str = "",
        raised_by_member_id: UUID | None = None,
        raised_by: str = "",
        first_noticed_on: date | None = None,
        meeting_id: UUID | None = None,
        visibility: str = Visibility.TEAM,
    ) -> Save:
        """Name a local safety problem (scanning), at a meeting or between meetings."""
        problems = inputs.Problems()
        title_text = where_text = raised_by_text = ""
        kind, shown = ProblemCategory.OTHER, Visibility.TEAM
        with problems.check():
            title_text = inputs.text(title, "title")
        with problems.check():
            kind = parse(ProblemCategory, category, "category")
        with problems.check():
            shown = parse(Visibility, visibility, "visibility")
        with problems.check():
            where_text = inputs.text(where, "where", required=False)
        with problems.check():
            raised_by_text = inputs.text(raised_by, "raised_by", required=False)
        with problems.check():
            if first_noticed_on is not None:
                inputs.business_date(first_noticed_on, "first_noticed_on")
        team = self._read(Team, team_id)
        with problems.check():
            if raised_by_member_id is not None and raised_by_member_id not in team.members_on(on):
                raise UnknownMember(f"{raised_by_member_id} is not a member of the team on {on}", "raised_by_member_id")
        with problems.check():
            if meeting_id is not None and self._read(Meeting, meeting_id).team_id != team_id:
                raise MeetingOfAnotherTeam("the meeting is another team's")
        problems.raise_any()
        problem_id, stamp = new_id(), inputs.stamp(on, by)
        self.sealer.new_item(problem_id)
        problem = Problem.report(
            problem_id=problem_id,
            team_id=team.id,
            title=self.sealer.seal(problem_id, title_text),
            category=kind,
            where=self.sealer.seal(problem_id, where_text) if where_text else None,
            raised_by_member_id=raised_by_member_id,
            raised_by=self.sealer.seal(problem_id, raised_by_text) if raised_by_text else None,
            first_noticed_on=first_noticed_on,
            meeting_id=meeting_id,
            visibility=shown,
            today=self._today(team),
            stamp=stamp,
        )
        return Save(problem, stamp=stamp)

    @command(answer=lambda answer: None)
    def amend_problem_analysis(
        self: Any,
        problem_id: UUID,
        *,
        on: date,
        by: str,
        offender: str = "",
        victim: str = "",
        location: str = "",
        sources: list[str] | tuple[str, ...] = (),
        notes: str = "",
    ) -> Save:
        """The analysis as now understood (offender, victim, location, sources, notes); the earlier versions stay."""
        problem, stamp, today = self._problem_on(problem_id, on, by)
        texts = {
            name: inputs.text(value, name, inputs.LONG_TEXT, required=False)
            for name, value in (("offender", offender), ("victim", victim), ("location", location), ("notes", notes))
        }
        problem.amend_analysis(
            **{name: self.sealer.seal(problem.id, value) for name, value in texts.items()},
            sources=[parse(AnalysisSource, source, "sources") for source in sources],
            today=today,
            stamp=stamp,
        )
        return Save(problem, stamp=stamp)

    @command(answer=lambda answer: None)
    def change_problem_stage(self: Any, problem_id: UUID, *, stage: str, on: date, by: str, reason: str = "") -> Save:
        """Move the problem to another SARA stage; going back needs a reason."""
        new_stage = parse(SaraStage, stage, "stage")
        reason_text = inputs.text(reason, "reason", required=False)
        problem, stamp, today = self._problem_on(problem_id, on, by)
        problem.change_stage(
            stage=new_stage,
            reason=self.sealer.seal(problem.id, reason_text) if reason_text else None,
            today=today,
            stamp=stamp,
        )
        return Save(problem, stamp=stamp)

    @command(answer=lambda answer: None)
    def add_plan_item(
        self: Any,
        problem_id: UUID,
        commitment_id: UUID,
        *,
        on: date,
        by: str,
        weight: int = 1,
        meeting_id: UUID | None = None,
    ) -> Save:
        """Put a commitment of the team into the problem's action plan."""
        problem, stamp, today = self._problem_on(problem_id, on, by)
        commitment = self._read(Commitment, commitment_id)
        problem.add_plan_item(
            commitment_id=commitment.id,
            commitment_team_id=commitment.team_id,
            weight=weight,
            meeting_id=meeting_id,
            today=today,
            stamp=stamp,
        )
        return Save(problem, stamp=stamp)

    @command(answer=lambda answer: None)
    def remove_plan_item(self: Any, problem_id: UUID, commitment_id: UUID, *, reason: str, on: date, by: str) -> Save:
        reason_text = inputs.reason(reason)
        problem, stamp, today = self._problem_on(problem_id, on, by)
        problem.remove_plan_item(
            commitment_id=commitment_id,
            reason=self.sealer.seal(problem.id, reason_text),
            today=today,
            stamp=stamp,
        )
        return Save(problem, stamp=stamp)

    @command()
    def record_problem_activity(self: Any, problem_id: UUID, *, kind: str, description: str, on: date, by: str) -> Save:
        """Something done against the problem on a day; answers the activity's id."""
        activity_kind, text = parse(ActivityKind, kind, "kind"), inputs.text(description, "description")
        (problem, stamp, today), activity_id = self._problem_on(problem_id, on, by), new_id()
        problem.record_activity(
            activity_id=activity_id,
            kind=activity_kind,
            description=self.sealer.seal(problem.id, text),
            today=today,
            stamp=stamp,
        )
        return Save(problem, stamp=stamp, id=activity_id)

    @command()
    def add_funding_line(
        self: Any,
        problem_id: UUID,
        *,
        source: str,
        amount: Any,
        currency: str,
        state: str,
        on: date,
        by: str,
        funder: str = "",
    ) -> Save:
        """Money for the problem's plan, in its own currency; answers the line's id."""
        problems = inputs.Problems()
        found: dict[str, Any] = {}
        for name, vocabulary, value in (
            ("source", FundingSource, source),
            ("currency", Currency, currency),
            ("state", FundingState, state),
        ):
            with problems.check():
                found[name] = parse(vocabulary, value, name)
        with problems.check():
            found["amount"] = amount_of(amount)
        with problems.check():
            found["funder"] = inputs.text(funder, "funder", required=False)
        problems.raise_any()
        (problem, stamp, today), line_id = self._problem_on(problem_id, on, by), new_id()
        problem.add_funding_line(
            line_id=line_id,
            source=found["source"],
            funder=self.sealer.seal(problem.id, found["funder"]) if found["funder"] else None,
            amount=found["amount"],
            currency=found["currency"],
            state=found["state"],
            today=today,
            stamp=stamp,
        )
        return Save(problem, stamp=stamp, id=line_id)

    @command(answer=lambda answer: None)
    def assess_problem(
        self: Any,
        problem_id: UUID,
        *,
        conclusion: str,
        on: date,
        by: str,
        measures: list[MeasureDraft] | tuple[MeasureDraft, ...] = (),
        review_on: date | None = None,
        reason: str = "",
    ) -> Save:
        """Close the problem with what was measured before and after (or why nothing could be) and a conclusion."""
        problem, stamp, today = self._problem_on(problem_id, on, by)
        reason_text = inputs.text(reason, "reason", required=False)
        problem.assess(
            measures=[self._measure(problem.id, draft, number) for number, draft in enumerate(measures)],
            conclusion=parse(Conclusion, conclusion, "conclusion"),
            review_on=review_on,
            reason=self.sealer.seal(problem.id, reason_text) if reason_text else None,
            today=today,
            stamp=stamp,
        )
        return Save(problem, stamp=stamp)

    @command(answer=lambda answer: None)
    def reopen_problem(
        self: Any, problem_id: UUID, *, reason: str, on: date, by: str, stage: str = SaraStage.ANALYSIS
    ) -> Save:
        reason_text, resume_at = inputs.reason(reason), parse(SaraStage, stage, "stage")
        problem, stamp, today = self._problem_on(problem_id, on, by)
        problem.reopen(
            stage=resume_at,
            reason=self.sealer.seal(problem.id, reason_text),
            today=today,
            stamp=stamp,
        )
        return Save(problem, stamp=stamp)

    @command(answer=lambda answer: None)
    def change_problem_visibility(
        self: Any, problem_id: UUID, *, visibility: str, reason: str, on: date, by: str
    ) -> Save:
        shown, reason_text = parse(Visibility, visibility, "visibility"), inputs.reason(reason)
        problem, stamp, today = self._problem_on(problem_id, on, by)
        problem.change_visibility(
            visibility=shown,
            reason=self.sealer.seal(problem.id, reason_text),
            today=today,
            stamp=stamp,
        )
        return Save(problem, stamp=stamp)

    def problem(self: Any, problem_id: UUID) -> Problem:
        return self._get(Problem, problem_id, to_change=False)

    def _problem_on(self: Any, problem_id: UUID, on: date, by: str) -> tuple[Problem, Stamp, date]:
        """The problem to change, the stamp of the command, and its team's today (what every command checks)."""
        problem = self._get(Problem, problem_id)
        return problem, inputs.stamp(on, by), self._today(self._read(Team, problem.team_id))

    def _measure(self: Any, problem_id: UUID, draft: MeasureDraft, number: int) -> Measure:
        field = f"measures[{number}]"
        return Measure(
            what=self.sealer.seal(problem_id, inputs.text(draft.what, f"{field}.what")),
            before=amount_of(draft.before, f"{field}.before"),
            after=amount_of(draft.after, f"{field}.after"),
            before_period=inputs.text(draft.before_period, f"{field}.before_period", SHORT_LABEL),
            after_period=inputs.text(draft.after_period, f"{field}.after_period", SHORT_LABEL),
            source=parse(AnalysisSource, draft.source, f"{field}.source"),
        )
