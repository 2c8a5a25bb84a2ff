"""Commands on meetings and their decisions: record a meeting (with decisions and commitments), late decisions,
corrections of the minutes, annulment, and changes of visibility."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from tracker.application import inputs
from tracker.application.drafts import DecisionDraft, MeetingRecorded
from tracker.application.unit_of_work import Save, command
from tracker.domain import Commitment, Meeting, Problem, Stamp, Team
from tracker.domain.errors import DomainError
from tracker.domain.ids import new_id
from tracker.domain.values import MeetingKind, Visibility, parse


class MeetingCommands:
    @command(answer=MeetingRecorded.from_answer)
    def record_meeting(
        self: Any,
        team_id: UUID,
        *,
        held_on: date,
        kind: str,
        place: str,
        by: str,
        attendee_ids: Iterable[UUID] = (),
        guests_female: int = 0,
        guests_male: int = 0,
        visiting_team_ids: Iterable[UUID] = (),
        agenda: Iterable[str] = (),
        minutes: str = "",
        minutes_visibility: str = Visibility.TEAM,
        decisions: Iterable[DecisionDraft] = (),
    ) -> Save:
        """Record a held meeting with its decisions and commitments, all in one atomic write. Every error in the
        input is found in one pass (InvalidInputs when there are several), so a form shows them all at once."""
        problems = inputs.Problems()
        meeting_kind, visibility, agenda_items, minutes_text = MeetingKind.REGULAR, Visibility.TEAM, [], ""
        with problems.check():
            meeting_kind = parse(MeetingKind, kind, "kind")
        with problems.check():
            visibility = parse(Visibility, minutes_visibility, "minutes_visibility")
        with problems.check():
            agenda_items = [inputs.text(item, "agenda") for item in agenda if item.strip()]
        with problems.check():
            minutes_text = inputs.text(minutes, "minutes", inputs.LONG_TEXT, required=False)
        team = self._read(Team, team_id)
        visiting = [self._read(Team, visiting_id).id for visiting_id in visiting_team_ids]
        meeting_id, stamp = new_id(), Stamp(max(held_on, inputs.EARLIEST), by)  # checks the rest if refused below
        with problems.check():
            stamp = inputs.stamp(held_on, by, "held_on")
        self.sealer.new_item(meeting_id)
        facts = dict(team=team, kind=meeting_kind, guests_female=guests_female, guests_male=guests_male, stamp=stamp)
        meeting = None
        with problems.check():
            meeting = Meeting.hold(
                meeting_id=meeting_id,
                place=self.sealer.seal(meeting_id, place.strip()),
                attendee_ids=list(attendee_ids),
                visiting_team_ids=visiting,
                agenda=[self.sealer.seal(meeting_id, item) for item in agenda_items],
                minutes=self.sealer.seal(meeting_id, minutes_text),
                minutes_visibility=visibility,
                today=self._today(team),
                **facts,
            )
        if meeting is None:
            # The meeting was refused; its decisions are still checked, against a stand-in of the same date that is
            # never saved, so that their errors are reported now too and not on the next try.
            stand_in = Meeting.hold(
                meeting_id=new_id(),
                place="-",
                attendee_ids=[],
                visiting_team_ids=[],
                agenda=[],
                minutes=self.sealer.seal(meeting_id, ""),
                minutes_visibility=Visibility.TEAM,
                today=max(held_on, self._today(team)),
                **{**facts, "guests_female": 0, "guests_male": 0},
            )
            with problems.check():
                self._record_decisions(team, stand_in, list(decisions), stamp)
            problems.raise_any()
        assert meeting is not None
        with problems.check():
            decision_ids, commitments, plans = self._record_decisions(team, meeting, list(decisions), stamp)
        problems.raise_any()
        return Save(
            meeting,
            *commitments,
            *plans,
            stamp=stamp,
            id=meeting_id,
            decision_ids=decision_ids,
            commitment_ids=[commitment.id for commitment in commitments],
        )

    @command(answer=MeetingRecorded.from_answer)
    def record_decision(self: Any, meeting_id: UUID, draft: DecisionDraft, *, on: date, by: str) -> Save:
        """Record a decision (with its commitments) of a meeting already recorded: a late entry."""
        meeting, stamp = self._get(Meeting, meeting_id), inputs.stamp(on, by)
        team = self._read(Team, meeting.team_id)
        decision_ids, commitments, plans = self._record_decisions(team, meeting, [draft], stamp)
        return Save(
            meeting,
            *commitments,
            *plans,
            stamp=stamp,
            id=meeting.id,
            decision_ids=decision_ids,
            commitment_ids=[commitment.id for commitment in commitments],
        )

    @command(answer=lambda answer: None)
    def correct_minutes(self: Any, meeting_id: UUID, *, minutes: str, reason: str, on: date, by: str) -> Save:
        minutes_text, reason_text = inputs.text(minutes, "minutes", inputs.LONG_TEXT), inputs.reason(reason)
        meeting, stamp = self._get(Meeting, meeting_id), inputs.stamp(on, by)
        meeting.correct_minutes(
            minutes=self.sealer.seal(meeting.id, minutes_text),
            reason=self.sealer.seal(meeting.id, reason_text),
            stamp=stamp,
        )
        return Save(meeting, stamp=stamp)

    @command(answer=lambda answer: None)
    def annul_meeting(self: Any, meeting_id: UUID, *, reason: str, on: date, by: str) -> Save:
        reason_text = inputs.reason(reason)
        meeting, stamp = self._get(Meeting, meeting_id), inputs.stamp(on, by)
        meeting.annul(reason=self.sealer.seal(meeting.id, reason_text), stamp=stamp)
        return Save(meeting, stamp=stamp)

    @command(answer=lambda answer: None)
    def change_minutes_visibility(
        self: Any, meeting_id: UUID, *, visibility: str, reason: str, on: date, by: str
    ) -> Save:
        new_visibility, reason_text = parse(Visibility, visibility, "visibility"), inputs.reason(reason)
        meeting, stamp = self._get(Meeting, meeting_id), inputs.stamp(on, by)
        meeting.change_minutes_visibility(
            visibility=new_visibility, reason=self.sealer.seal(meeting.id, reason_text), stamp=stamp
        )
        return Save(meeting, stamp=stamp)

    @command(answer=lambda answer: None)
    def change_decision_visibility(
        self: Any, meeting_id: UUID, decision_id: UUID, *, visibility: str, reason: str, on: date, by: str
    ) -> Save:
        new_visibility, reason_text = parse(Visibility, visibility, "visibility"), inputs.reason(reason)
        meeting, stamp = self._get(Meeting, meeting_id), inputs.stamp(on, by)
        meeting.change_decision_visibility(
            decision_id, visibility=new_visibility, reason=self.sealer.seal(decision_id, reason_text), stamp=stamp
        )
        return Save(meeting, stamp=stamp)

    def _record_decisions(
        self: Any, team: Team, meeting: Meeting, drafts: list[DecisionDraft], stamp: Stamp
    ) -> tuple[list[UUID], list[Commitment], list[Problem]]:
        """Add the drafts to the meeting; every error of every decision and commitment is found before one is
        raised (InvalidInputs when there are several), each on its field (`decisions[0].commitments[1].due_on`).
        A commitment that names a problem joins that problem's action plan in the same write (the problems are
        returned to be saved with the meeting)."""
        problems = inputs.Problems()
        decision_ids: list[UUID] = []
        commitments: list[Commitment] = []
        plans: dict[UUID, Problem] = {}
        for index, draft in enumerate(drafts):
            text, visibility = "", Visibility.TEAM
            with problems.check(f"decisions[{index}]"):
                text = inputs.text(draft.text, "text")
            with problems.check(f"decisions[{index}]"):
                visibility = parse(Visibility, draft.visibility, "visibility")
            decision_id = new_id()
            self.sealer.new_item(decision_id)
            meeting.record_decision(
                decision_id=decision_id, text=self.sealer.seal(decision_id, text), visibility=visibility, stamp=stamp
            )
            decision_ids.append(decision_id)
            for position, commitment in enumerate(draft.commitments):
                with problems.check(f"decisions[{index}].commitments[{position}]"):
                    made = self._make_commitment(team, meeting, decision_id, commitment, stamp.recorded_by)
                    commitments.append(made)
                    if commitment.problem_id is not None:
                        self._plan(plans, commitment.problem_id, made, team, meeting, stamp)
        problems.raise_any()
        return decision_ids, commitments, list(plans.values())

    def _plan(
        self: Any,
        plans: dict[UUID, Problem],
        problem_id: UUID,
        commitment: Commitment,
        team: Team,
        meeting: Meeting,
        stamp: Stamp,
    ) -> None:
        """Add a commitment just made to a problem's action plan, dated as the meeting's record; an error is the
        field `problem_id`'s."""
        try:
            if problem_id not in plans:
                plans[problem_id] = self._get(Problem, problem_id)
            plans[problem_id].add_plan_item(
                commitment_id=commitment.id,
                commitment_team_id=team.id,
                weight=1,
                meeting_id=meeting.id,
                today=self._today(team),
                stamp=stamp,
            )
        except DomainError as error:
            error.field = "problem_id"
            raise
