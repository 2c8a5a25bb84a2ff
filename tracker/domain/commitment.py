"""The commitment aggregate: a promise made at a meeting, and every later follow-up, revision and handover."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate

from tracker.domain.errors import (
    CommitmentAlreadyClosed,
    CommitmentNotClosed,
    DateBeforeMeeting,
    DateInFuture,
    DueDateBeforeMeeting,
    FollowUpOutOfOrder,
    InvalidValue,
    MeetingAnnulled,
    OwnerNotAMember,
    OwnerRequired,
    SameOwner,
    VisibilityUnchanged,
)
from tracker.domain.events import Sealed, Stamp, TrackedEvent
from tracker.domain.meeting import Meeting
from tracker.domain.team import Team
from tracker.domain.values import FOLLOW_UP_STATUSES, CommitmentStatus, Visibility


class Commitment(Aggregate):
    class Event(TrackedEvent):
        pass

    class Made(Event, Aggregate.Created):
        """A member, or a body the team names, promised at a meeting to do something by a due date."""

        meeting_id: UUID
        decision_id: UUID
        owner_member_id: UUID | None
        owner_body: Sealed | None
        description: Sealed
        due_on: date
        visibility: str

        def apply(self, commitment: Commitment) -> None:
            commitment.team_id = self.team_id
            commitment.meeting_id = self.meeting_id
            commitment.decision_id = self.decision_id
            commitment.owner_member_id = self.owner_member_id
            commitment.owner_body = self.owner_body
            commitment.description = self.description
            commitment.made_on = self.business_date
            commitment.due_on = self.due_on
            commitment.visibility = Visibility(self.visibility)
            commitment.status = CommitmentStatus.OPEN
            commitment.last_follow_up_on = None

    class FollowUpReported(Event):
        """Progress or an outcome was reported on the commitment, usually at a later meeting."""

        meeting_id: UUID | None
        status: str
        note: Sealed

        def apply(self, commitment: Commitment) -> None:
            commitment.status = CommitmentStatus(self.status)
            commitment.last_follow_up_on = self.business_date

    class DueDateRevised(Event):
        """The due date was moved, for a reason."""

        due_on: date
        reason: Sealed

        def apply(self, commitment: Commitment) -> None:
            commitment.due_on = self.due_on

    class HandedOver(Event):
        """Another member or body took the commitment over, for a reason."""

        owner_member_id: UUID | None
        owner_body: Sealed | None
        reason: Sealed

        def apply(self, commitment: Commitment) -> None:
            commitment.owner_member_id = self.owner_member_id
            commitment.owner_body = self.owner_body

    class Reopened(Event):
        """A closed commitment was reopened by correction, for a reason; it is in progress again."""

        is_correction = True
        reason: Sealed

        def apply(self, commitment: Commitment) -> None:
            commitment.status = CommitmentStatus.IN_PROGRESS

    class VisibilityChanged(Event):
        """The commitment was made more or less visible, for a reason."""

        is_correction = True
        visibility: str
        reason: Sealed

        def apply(self, commitment: Commitment) -> None:
            commitment.visibility = Visibility(self.visibility)

    @classmethod
    def make(
        cls,
        *,
        commitment_id: UUID,
        team: Team,
        meeting: Meeting,
        decision_id: UUID,
        owner_member_id: UUID | None,
        owner_body: Sealed | None,
        description: Sealed,
        due_on: date,
        visibility: Visibility,
        recorded_by: str,
    ) -> Commitment:
        if meeting.annulled:
            raise MeetingAnnulled(f"the meeting of {meeting.held_on} was annulled")
        meeting.decision(decision_id)
        _check_owner(team, owner_member_id, owner_body, meeting.held_on)
        if due_on < meeting.held_on:
            raise DueDateBeforeMeeting(f"the due date {due_on} is before the meeting of {meeting.held_on}")
        return cls._create(
            cls.Made,
            id=commitment_id,
            meeting_id=meeting.id,
            decision_id=decision_id,
            owner_member_id=owner_member_id,
            owner_body=owner_body,
            description=description,
            due_on=due_on,
            visibility=visibility.value,
            **Stamp(meeting.held_on, recorded_by).fields(team.id),
        )

    @property
    def is_closed(self) -> bool:
        return self.status.is_closed

    def report_follow_up(
        self,
        *,
        origin: Meeting,
        status: CommitmentStatus,
        note: Sealed,
        meeting_id: UUID | None,
        today: date,
        stamp: Stamp,
    ) -> None:
        if status not in FOLLOW_UP_STATUSES:
            raise InvalidValue("status", f"a follow-up reports one of: {', '.join(sorted(FOLLOW_UP_STATUSES))}")
        self._refuse_change(origin, stamp)
        if stamp.business_date > today:
            raise DateInFuture(f"a follow-up cannot be dated {stamp.business_date}, after today", "on")
        if self.last_follow_up_on is not None and stamp.business_date < self.last_follow_up_on:
            raise FollowUpOutOfOrder(
                f"a follow-up dated {stamp.business_date} comes before the last one, of {self.last_follow_up_on}"
            )
        self.trigger_event(
            self.FollowUpReported,
            meeting_id=meeting_id,
            status=status.value,
            note=note,
            **stamp.fields(self.team_id),
        )

    def revise_due_date(self, *, origin: Meeting, due_on: date, reason: Sealed, stamp: Stamp) -> None:
        self._refuse_change(origin, stamp)
        if due_on < self.made_on:
            raise DueDateBeforeMeeting(f"the due date {due_on} is before the meeting of {self.made_on}")
        if due_on == self.due_on:
            raise InvalidValue("due_on", f"the commitment is already due on {due_on}")
        self.trigger_event(self.DueDateRevised, due_on=due_on, reason=reason, **stamp.fields(self.team_id))

    def hand_over(
        self,
        *,
        origin: Meeting,
        team: Team,
        owner_member_id: UUID | None,
        owner_body: Sealed | None,
        reason: Sealed,
        stamp: Stamp,
    ) -> None:
        self._refuse_change(origin, stamp)
        _check_owner(team, owner_member_id, owner_body, stamp.business_date)
        if owner_member_id is not None and owner_member_id == self.owner_member_id:
            raise SameOwner("the commitment is already theirs")
        self.trigger_event(
            self.HandedOver,
            owner_member_id=owner_member_id,
            owner_body=owner_body,
            reason=reason,
            **stamp.fields(self.team_id),
        )

    def reopen(self, *, origin: Meeting, reason: Sealed, stamp: Stamp) -> None:
        if not self.is_closed:
            raise CommitmentNotClosed(f"the commitment is {self.status.value}, not closed")
        if origin.annulled:
            raise MeetingAnnulled(f"the meeting of {origin.held_on} was annulled")
        self._refuse_before_made(stamp)
        if self.last_follow_up_on is not None and stamp.business_date < self.last_follow_up_on:
            raise FollowUpOutOfOrder(f"it was closed on {self.last_follow_up_on}, after {stamp.business_date}")
        self.trigger_event(self.Reopened, reason=reason, **stamp.fields(self.team_id))

    def change_visibility(self, *, visibility: Visibility, reason: Sealed, stamp: Stamp) -> None:
        if visibility is self.visibility:
            raise VisibilityUnchanged(f"the commitment is already {visibility.value}")
        self._refuse_before_made(stamp)
        self.trigger_event(
            self.VisibilityChanged, visibility=visibility.value, reason=reason, **stamp.fields(self.team_id)
        )

    def _refuse_change(self, origin: Meeting, stamp: Stamp) -> None:
        if origin.annulled:
            raise MeetingAnnulled(f"the meeting of {origin.held_on} was annulled; its commitments are withdrawn")
        if self.is_closed:
            raise CommitmentAlreadyClosed(f"the commitment is closed as {self.status.value}; reopen it first")
        self._refuse_before_made(stamp)

    def _refuse_before_made(self, stamp: Stamp) -> None:
        if stamp.business_date < self.made_on:
            raise DateBeforeMeeting(f"{stamp.business_date} is before the commitment was made, on {self.made_on}")


def _check_owner(team: Team, owner_member_id: UUID | None, owner_body: Sealed | None, on: date) -> None:
    if (owner_member_id is None) == (owner_body is None):
        raise OwnerRequired("a commitment is owned by one member or one named body")
    if owner_member_id is not None and owner_member_id not in team.members_on(on):
        raise OwnerNotAMember(f"{owner_member_id} is not a member of team {team.code} on {on}")
