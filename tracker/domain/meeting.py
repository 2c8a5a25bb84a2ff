"""The meeting aggregate: a held meeting, its attendance, minutes and decisions, corrections and annulment."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate

from tracker.domain.errors import (
    AttendeeNotAMember,
    DateBeforeMeeting,
    DateInFuture,
    InvalidValue,
    ItemAlreadyErased,
    MeetingAnnulled,
    UnknownDecision,
    VisibilityUnchanged,
)
from tracker.domain.events import Sealed, Stamp, TrackedEvent
from tracker.domain.team import Team
from tracker.domain.values import ErasureReason, MeetingKind, Visibility


@dataclass(frozen=True)
class Decision:
    id: UUID
    text: Sealed
    visibility: Visibility


class Meeting(Aggregate):
    class Event(TrackedEvent):
        pass

    class Held(Event, Aggregate.Created):
        """A meeting was recorded as held on its business date, with attendance, agenda and minutes. Its place is
        sealed under the meeting's key from version 2 (erasing the meeting erases it); version 1 held it in the
        clear."""

        class_version = 2
        kind: str
        place: Sealed
        attendee_ids: list[UUID]
        guests_female: int
        guests_male: int
        visiting_team_ids: list[UUID]
        agenda: list[Sealed]
        minutes: Sealed
        minutes_visibility: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            """Version 1 held the place in the clear: it is read as it was stored (is_sealed tells them apart)."""

        def apply(self, meeting: Meeting) -> None:
            meeting.team_id = self.team_id
            meeting.held_on = self.business_date
            meeting.kind = MeetingKind(self.kind)
            meeting.place = self.place
            meeting.attendee_ids = list(self.attendee_ids)
            meeting.guests_female = self.guests_female
            meeting.guests_male = self.guests_male
            meeting.visiting_team_ids = list(self.visiting_team_ids)
            meeting.agenda = list(self.agenda)
            meeting.minutes = self.minutes
            meeting.minutes_visibility = Visibility(self.minutes_visibility)
            meeting.decisions: dict[str, Decision] = {}
            meeting.annulled = False
            meeting.erased_items: list[str] = []

    class DecisionRecorded(Event):
        """The meeting agreed a decision."""

        decision_id: UUID
        text: Sealed
        visibility: str

        def apply(self, meeting: Meeting) -> None:
            meeting.decisions[str(self.decision_id)] = Decision(
                self.decision_id, self.text, Visibility(self.visibility)
            )

    class MinutesCorrected(Event):
        """The minutes were corrected: the corrected text replaces the earlier one, which stays in the log."""

        is_correction = True
        minutes: Sealed
        reason: Sealed

        def apply(self, meeting: Meeting) -> None:
            meeting.minutes = self.minutes

    class MinutesVisibilityChanged(Event):
        """The minutes were made more or less visible, for a reason."""

        is_correction = True
        visibility: str
        reason: Sealed

        def apply(self, meeting: Meeting) -> None:
            meeting.minutes_visibility = Visibility(self.visibility)

    class DecisionVisibilityChanged(Event):
        """A decision was made more or less visible, for a reason."""

        is_correction = True
        decision_id: UUID
        visibility: str
        reason: Sealed

        def apply(self, meeting: Meeting) -> None:
            decision = meeting.decisions[str(self.decision_id)]
            meeting.decisions[str(self.decision_id)] = replace(decision, visibility=Visibility(self.visibility))

    class Annulled(Event):
        """The meeting was annulled: its decisions and commitments count as withdrawn from then on."""

        is_correction = True
        reason: Sealed

        def apply(self, meeting: Meeting) -> None:
            meeting.annulled = True

    class ItemErased(Event):
        """An item's text (a decision with its commitments, or the minutes) was destroyed for good: its data key
        was shredded. Dates, statuses and outcomes stay; the log is not rewritten."""

        is_correction = True
        item_id: UUID
        reason_code: str

        def apply(self, meeting: Meeting) -> None:
            meeting.erased_items.append(str(self.item_id))

    @classmethod
    def hold(
        cls,
        *,
        meeting_id: UUID,
        team: Team,
        kind: MeetingKind,
        place: Sealed,
        attendee_ids: list[UUID],
        guests_female: int,
        guests_male: int,
        visiting_team_ids: list[UUID],
        agenda: list[Sealed],
        minutes: Sealed,
        minutes_visibility: Visibility,
        today: date,
        stamp: Stamp,
    ) -> Meeting:
        held_on = stamp.business_date
        if held_on > today:
            raise DateInFuture(f"a meeting cannot be recorded as held on {held_on}, after today", "held_on")
        if not place.strip():
            raise InvalidValue("place", "say where the meeting was held")
        if guests_female < 0 or guests_male < 0:
            raise InvalidValue("guests", "guest counts cannot be negative")
        strangers = set(attendee_ids) - team.members_on(held_on)
        if strangers:
            raise AttendeeNotAMember(f"not members of team {team.code} on {held_on}: {sorted(map(str, strangers))}")
        if len(set(attendee_ids)) != len(attendee_ids):
            raise InvalidValue("attendees", "a member is listed twice")
        if visiting_team_ids and kind is not MeetingKind.EXCHANGE:
            raise InvalidValue("visiting_team_ids", "only an experience exchange has visiting teams")
        if team.id in visiting_team_ids:
            raise InvalidValue("visiting_team_ids", "a team cannot visit itself")
        return cls._create(
            cls.Held,
            id=meeting_id,
            kind=kind.value,
            place=place.strip(),
            attendee_ids=list(attendee_ids),
            guests_female=guests_female,
            guests_male=guests_male,
            visiting_team_ids=list(visiting_team_ids),
            agenda=list(agenda),
            minutes=minutes,
            minutes_visibility=minutes_visibility.value,
            **stamp.fields(team.id),
        )

    def record_decision(self, *, decision_id: UUID, text: Sealed, visibility: Visibility, stamp: Stamp) -> None:
        self._refuse_if_annulled()
        self._refuse_before_meeting(stamp)
        self.trigger_event(
            self.DecisionRecorded,
            decision_id=decision_id,
            text=text,
            visibility=visibility.value,
            **stamp.fields(self.team_id),
        )

    def correct_minutes(self, *, minutes: Sealed, reason: Sealed, stamp: Stamp) -> None:
        self._refuse_if_annulled()
        self._refuse_before_meeting(stamp)
        self.trigger_event(self.MinutesCorrected, minutes=minutes, reason=reason, **stamp.fields(self.team_id))

    def change_minutes_visibility(self, *, visibility: Visibility, reason: Sealed, stamp: Stamp) -> None:
        if visibility is self.minutes_visibility:
            raise VisibilityUnchanged(f"the minutes are already {visibility.value}")
        self._refuse_before_meeting(stamp)
        self.trigger_event(
            self.MinutesVisibilityChanged, visibility=visibility.value, reason=reason, **stamp.fields(self.team_id)
        )

    def change_decision_visibility(
        self, decision_id: UUID, *, visibility: Visibility, reason: Sealed, stamp: Stamp
    ) -> None:
        if self.decision(decision_id).visibility is visibility:
            raise VisibilityUnchanged(f"the decision is already {visibility.value}")
        self._refuse_before_meeting(stamp)
        self.trigger_event(
            self.DecisionVisibilityChanged,
            decision_id=decision_id,
            visibility=visibility.value,
            reason=reason,
            **stamp.fields(self.team_id),
        )

    def annul(self, *, reason: Sealed, stamp: Stamp) -> None:
        self._refuse_if_annulled()
        self._refuse_before_meeting(stamp)
        self.trigger_event(self.Annulled, reason=reason, **stamp.fields(self.team_id))

    def erase_item(self, item_id: UUID, *, reason: ErasureReason, stamp: Stamp) -> None:
        """Record that the text of the minutes (item id = meeting id) or of a decision was destroyed."""
        if item_id != self.id:
            self.decision(item_id)
        if self.is_erased(item_id):
            raise ItemAlreadyErased(f"item {item_id} was already erased")
        self.trigger_event(self.ItemErased, item_id=item_id, reason_code=reason.value, **stamp.fields(self.team_id))

    def is_erased(self, item_id: UUID) -> bool:
        return str(item_id) in self.erased_items

    def decision(self, decision_id: UUID) -> Decision:
        try:
            return self.decisions[str(decision_id)]
        except KeyError:
            raise UnknownDecision(f"meeting {self.id} has no decision {decision_id}") from None

    def _refuse_if_annulled(self) -> None:
        if self.annulled:
            raise MeetingAnnulled(f"the meeting of {self.held_on} was annulled")

    def _refuse_before_meeting(self, stamp: Stamp) -> None:
        if stamp.business_date < self.held_on:
            raise DateBeforeMeeting(f"{stamp.business_date} is before the meeting of {self.held_on}")
