"""Commands on commitments: make one, report a follow-up, revise its due date, hand it over, reopen it, change
its visibility."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from tracker.application import inputs
from tracker.application.drafts import CommitmentDraft
from tracker.application.unit_of_work import Save, command
from tracker.domain import Commitment, Meeting, Stamp, Team
from tracker.domain.errors import MeetingOfAnotherTeam
from tracker.domain.ids import new_id
from tracker.domain.values import CommitmentStatus, Visibility, parse


class CommitmentCommands:
    @command()
    def make_commitment(self: Any, meeting_id: UUID, decision_id: UUID, draft: CommitmentDraft, *, by: str) -> Save:
        meeting = self._get(Meeting, meeting_id)
        team = self._read(Team, meeting.team_id)
        commitment = self._make_commitment(team, meeting, decision_id, draft, by)
        return Save(commitment, stamp=Stamp(meeting.held_on, by))

    @command()
    def report_follow_up(
        self: Any,
        commitment_id: UUID,
        *,
        on: date,
        status: str,
        by: str,
        note: str = "",
        meeting_id: UUID | None = None,
    ) -> Save:
        new_status = parse(CommitmentStatus, status, "status")
        note_text = inputs.text(note, "note", required=False)
        commitment, stamp = self._get(Commitment, commitment_id), inputs.stamp(on, by)
        team = self._read(Team, commitment.team_id)
        if meeting_id is not None and self._read(Meeting, meeting_id).team_id != commitment.team_id:
            raise MeetingOfAnotherTeam("the follow-up meeting is another team's")
        commitment.report_follow_up(
            origin=self._read(Meeting, commitment.meeting_id),
            status=new_status,
            note=self.sealer.seal(commitment.decision_id, note_text),
            meeting_id=meeting_id,
            today=self._today(team),
            stamp=stamp,
        )
        return Save(commitment, stamp=stamp)

    @command()
    def revise_due_date(self: Any, commitment_id: UUID, *, due_on: date, reason: str, on: date, by: str) -> Save:
        reason_text = inputs.reason(reason)
        commitment, stamp = self._get(Commitment, commitment_id), inputs.stamp(on, by)
        commitment.revise_due_date(
            origin=self._read(Meeting, commitment.meeting_id),
            due_on=inputs.due_date(due_on, self._today(self._read(Team, commitment.team_id))),
            reason=self.sealer.seal(commitment.decision_id, reason_text),
            stamp=stamp,
        )
        return Save(commitment, stamp=stamp)

    @command()
    def hand_over(
        self: Any,
        commitment_id: UUID,
        *,
        reason: str,
        on: date,
        by: str,
        owner_member_id: UUID | None = None,
        owner_body: str | None = None,
    ) -> Save:
        reason_text = inputs.reason(reason)
        body_text = inputs.text(owner_body, "owner_body") if owner_body else None
        commitment, stamp = self._get(Commitment, commitment_id), inputs.stamp(on, by)
        commitment.hand_over(
            origin=self._read(Meeting, commitment.meeting_id),
            team=self._read(Team, commitment.team_id),
            owner_member_id=owner_member_id,
            owner_body=self.sealer.seal(commitment.decision_id, body_text) if body_text else None,
            reason=self.sealer.seal(commitment.decision_id, reason_text),
            stamp=stamp,
        )
        return Save(commitment, stamp=stamp)

    @command(answer=lambda answer: None)
    def reopen_commitment(self: Any, commitment_id: UUID, *, reason: str, on: date, by: str) -> Save:
        reason_text = inputs.reason(reason)
        commitment, stamp = self._get(Commitment, commitment_id), inputs.stamp(on, by)
        commitment.reopen(
            origin=self._read(Meeting, commitment.meeting_id),
            reason=self.sealer.seal(commitment.decision_id, reason_text),
            stamp=stamp,
        )
        return Save(commitment, stamp=stamp)

    @command(answer=lambda answer: None)
    def change_commitment_visibility(
        self: Any, commitment_id: UUID, *, visibility: str, reason: str, on: date, by: str
    ) -> Save:
        new_visibility, reason_text = parse(Visibility, visibility, "visibility"), inputs.reason(reason)
        commitment, stamp = self._get(Commitment, commitment_id), inputs.stamp(on, by)
        commitment.change_visibility(
            visibility=new_visibility, reason=self.sealer.seal(commitment.decision_id, reason_text), stamp=stamp
        )
        return Save(commitment, stamp=stamp)

    def _make_commitment(
        self: Any, team: Team, meeting: Meeting, decision_id: UUID, draft: CommitmentDraft, by: str
    ) -> Commitment:
        description = inputs.text(draft.description, "description")
        body = inputs.text(draft.owner_body, "owner_body") if draft.owner_body else None
        return Commitment.make(
            commitment_id=new_id(),
            team=team,
            meeting=meeting,
            decision_id=decision_id,
            owner_member_id=draft.owner_member_id,
            owner_body=self.sealer.seal(decision_id, body) if body else None,
            description=self.sealer.seal(decision_id, description),
            due_on=inputs.due_date(draft.due_on, self._today(team)),
            visibility=parse(Visibility, draft.visibility, "visibility"),
            recorded_by=by,
        )
