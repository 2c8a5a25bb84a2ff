"""Stories of a meeting: holding it, its decisions, corrections to its minutes, visibility and annulment."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from tests.domain.given import BY, HELD_ON, TODAY, hold_meeting, join, on, register_team
from tracker.domain import Decision, Meeting
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
from tracker.domain.events import Stamp
from tracker.domain.values import ErasureReason, MeetingKind, Visibility

BEFORE = date(2024, 2, 29)
LATER = date(2024, 3, 20)

# Holding a meeting


def test_given_a_team_when_it_holds_a_meeting_then_the_attendance_agenda_and_minutes_are_recorded(
    team, chair_id, secretary_id, only_event
):
    # given
    meeting_id = uuid4()
    # when
    meeting = Meeting.hold(
        meeting_id=meeting_id,
        team=team,
        kind=MeetingKind.TOWN_MEETING,
        place="  School No. 3 ",
        attendee_ids=[chair_id, secretary_id],
        guests_female=12,
        guests_male=9,
        visiting_team_ids=[],
        agenda=["sealed:lighting", "sealed:youth"],
        minutes="sealed:minutes",
        minutes_visibility=Visibility.PUBLIC,
        today=date(2024, 3, 1),
        stamp=Stamp(date(2024, 3, 1), "user:7"),
    )
    # then
    held = only_event(meeting, Meeting.Held)
    assert held.originator_id == meeting_id
    assert (held.team_id, held.business_date, held.recorded_by) == (team.id, date(2024, 3, 1), "user:7")
    assert (held.kind, held.place, held.attendee_ids) == ("town_meeting", "School No. 3", [chair_id, secretary_id])
    assert (held.guests_female, held.guests_male, held.visiting_team_ids) == (12, 9, [])
    assert held.agenda == ["sealed:lighting", "sealed:youth"]
    assert (held.minutes, held.minutes_visibility) == ("sealed:minutes", "public")
    # and
    assert (meeting.team_id, meeting.held_on, meeting.kind) == (team.id, date(2024, 3, 1), MeetingKind.TOWN_MEETING)
    assert (meeting.place, meeting.attendee_ids) == ("School No. 3", [chair_id, secretary_id])
    assert (meeting.guests_female, meeting.guests_male, meeting.visiting_team_ids) == (12, 9, [])
    assert (meeting.agenda, meeting.minutes) == (["sealed:lighting", "sealed:youth"], "sealed:minutes")
    assert meeting.minutes_visibility is Visibility.PUBLIC
    assert (meeting.decisions, meeting.annulled) == ({}, False)


def test_given_two_teams_when_one_hosts_an_experience_exchange_then_the_visitors_are_recorded(team, only_event):
    # given
    visitors = register_team(code="JAL")
    # when
    meeting = hold_meeting(team, kind=MeetingKind.EXCHANGE, visiting_team_ids=[visitors.id])
    # then
    held = only_event(meeting, Meeting.Held)
    assert (held.kind, held.visiting_team_ids) == ("exchange", [visitors.id])
    assert (meeting.kind, meeting.visiting_team_ids) == (MeetingKind.EXCHANGE, [visitors.id])


def test_given_a_meeting_with_no_members_present_when_it_is_held_then_only_guests_are_counted(team):
    # when
    meeting = hold_meeting(team, attendee_ids=[], guests_female=0, guests_male=0)
    # then
    assert (meeting.attendee_ids, meeting.guests_female, meeting.guests_male) == ([], 0, 0)


def test_given_today_when_a_meeting_is_recorded_as_held_tomorrow_then_it_is_refused(team):
    # when
    with pytest.raises(DateInFuture) as refused:
        hold_meeting(team, today=date(2024, 3, 1), stamp=on(date(2024, 3, 2)))
    # then
    assert refused.value.field == "held_on"
    assert team.pending_events == []


def test_given_a_team_when_a_meeting_is_held_nowhere_then_it_is_refused(team):
    with pytest.raises(InvalidValue) as refused:
        hold_meeting(team, place="  ")
    assert refused.value.field == "place"


@pytest.mark.parametrize(("female", "male"), [(-1, 0), (0, -1)])
def test_given_a_team_when_a_meeting_counts_negative_guests_then_it_is_refused(team, female, male):
    with pytest.raises(InvalidValue) as refused:
        hold_meeting(team, guests_female=female, guests_male=male)
    assert refused.value.field == "guests"


def test_given_a_member_listed_twice_when_the_meeting_is_held_then_it_is_refused(team, chair_id, secretary_id):
    with pytest.raises(InvalidValue) as refused:
        hold_meeting(team, attendee_ids=[chair_id, secretary_id, chair_id])
    assert refused.value.field == "attendees"


def test_given_a_stranger_when_they_are_listed_as_attending_then_it_is_refused(team, chair_id):
    # when
    with pytest.raises(AttendeeNotAMember) as refused:
        hold_meeting(team, attendee_ids=[chair_id, uuid4()])
    # then
    assert refused.value.field == "attendees"
    assert team.pending_events == []


def test_given_a_member_who_joined_after_the_meeting_when_listed_as_attending_then_it_is_refused(team, chair_id):
    # given
    newcomer = join(team, HELD_ON.replace(day=2))
    team.collect_events()
    # when
    with pytest.raises(AttendeeNotAMember):
        hold_meeting(team, attendee_ids=[chair_id, newcomer])
    # then
    assert team.pending_events == []


def test_given_a_member_who_left_before_the_meeting_when_listed_as_attending_then_it_is_refused(
    team, chair_id, secretary_id
):
    # given
    team.remove_member(secretary_id, reason="sealed:reason", stamp=on(date(2024, 2, 1)))
    team.collect_events()
    # when
    with pytest.raises(AttendeeNotAMember):
        hold_meeting(team, attendee_ids=[chair_id, secretary_id])
    # then
    assert team.pending_events == []


def test_given_a_member_who_left_after_the_meeting_when_the_meeting_is_recorded_late_then_they_attended(
    team, chair_id, secretary_id
):
    # given
    team.remove_member(secretary_id, reason="sealed:reason", stamp=on(date(2024, 4, 1)))
    # when
    meeting = hold_meeting(team, attendee_ids=[chair_id, secretary_id])
    # then
    assert meeting.attendee_ids == [chair_id, secretary_id]


def test_given_a_member_who_joined_on_the_meeting_day_when_listed_as_attending_then_they_attended(team):
    # given
    newcomer = join(team, HELD_ON)
    # when
    meeting = hold_meeting(team, attendee_ids=[newcomer])
    # then
    assert meeting.attendee_ids == [newcomer]


@pytest.mark.parametrize("kind", [MeetingKind.REGULAR, MeetingKind.EXTRAORDINARY, MeetingKind.TOWN_MEETING])
def test_given_a_meeting_that_is_not_an_exchange_when_it_has_visiting_teams_then_it_is_refused(team, kind):
    with pytest.raises(InvalidValue) as refused:
        hold_meeting(team, kind=kind, visiting_team_ids=[uuid4()])
    assert refused.value.field == "visiting_team_ids"


def test_given_an_exchange_when_the_team_is_listed_as_visiting_itself_then_it_is_refused(team):
    with pytest.raises(InvalidValue) as refused:
        hold_meeting(team, kind=MeetingKind.EXCHANGE, visiting_team_ids=[uuid4(), team.id])
    assert refused.value.field == "visiting_team_ids"


# Decisions


def test_given_a_meeting_when_it_records_a_decision_then_the_decision_is_kept_with_its_visibility(
    meeting, team, only_event
):
    # given
    decision_id = uuid4()
    # when
    meeting.record_decision(
        decision_id=decision_id, text="sealed:campaign", visibility=Visibility.CONFIDENTIAL, stamp=Stamp(LATER, BY)
    )
    # then
    recorded = only_event(meeting, Meeting.DecisionRecorded)
    assert (recorded.team_id, recorded.business_date, recorded.recorded_by) == (team.id, LATER, BY)
    assert (recorded.decision_id, recorded.text) == (decision_id, "sealed:campaign")
    assert recorded.visibility == "confidential"
    assert meeting.decision(decision_id) == Decision(decision_id, "sealed:campaign", Visibility.CONFIDENTIAL)
    assert len(meeting.decisions) == 2


def test_given_a_meeting_when_a_decision_is_dated_before_it_then_it_is_refused(meeting):
    # when
    with pytest.raises(DateBeforeMeeting) as refused:
        meeting.record_decision(decision_id=uuid4(), text="sealed:t", visibility=Visibility.TEAM, stamp=on(BEFORE))
    # then
    assert refused.value.field == "on"
    assert meeting.pending_events == []
    assert len(meeting.decisions) == 1


def test_given_a_meeting_when_an_unknown_decision_is_looked_up_then_it_is_refused(meeting):
    with pytest.raises(UnknownDecision) as refused:
        meeting.decision(uuid4())
    assert refused.value.field == "decision_id"


# Minutes


def test_given_a_meeting_when_its_minutes_are_corrected_then_the_correction_replaces_them(meeting, team, only_event):
    # when
    meeting.correct_minutes(minutes="sealed:corrected", reason="sealed:typo", stamp=Stamp(LATER, BY))
    # then
    corrected = only_event(meeting, Meeting.MinutesCorrected)
    assert (corrected.team_id, corrected.business_date, corrected.recorded_by) == (team.id, LATER, BY)
    assert (corrected.minutes, corrected.reason, corrected.is_correction) == ("sealed:corrected", "sealed:typo", True)
    assert meeting.minutes == "sealed:corrected"


def test_given_a_meeting_when_its_minutes_are_corrected_before_it_was_held_then_it_is_refused(meeting):
    # when
    with pytest.raises(DateBeforeMeeting):
        meeting.correct_minutes(minutes="sealed:corrected", reason="sealed:typo", stamp=on(BEFORE))
    # then
    assert meeting.pending_events == []
    assert meeting.minutes == "sealed:minutes"


def test_given_team_only_minutes_when_they_are_made_public_then_they_are_public(meeting, team, only_event):
    # when
    meeting.change_minutes_visibility(visibility=Visibility.PUBLIC, reason="sealed:approved", stamp=Stamp(LATER, BY))
    # then
    changed = only_event(meeting, Meeting.MinutesVisibilityChanged)
    assert (changed.team_id, changed.business_date, changed.recorded_by) == (team.id, LATER, BY)
    assert (changed.visibility, changed.reason, changed.is_correction) == ("public", "sealed:approved", True)
    assert meeting.minutes_visibility is Visibility.PUBLIC


def test_given_team_only_minutes_when_they_are_made_team_only_again_then_it_is_refused(meeting):
    # when
    with pytest.raises(VisibilityUnchanged) as refused:
        meeting.change_minutes_visibility(visibility=Visibility.TEAM, reason="sealed:r", stamp=on(LATER))
    # then
    assert refused.value.field == "visibility"
    assert meeting.pending_events == []


def test_given_a_meeting_when_its_minutes_visibility_changes_before_it_was_held_then_it_is_refused(meeting):
    # when
    with pytest.raises(DateBeforeMeeting):
        meeting.change_minutes_visibility(visibility=Visibility.PUBLIC, reason="sealed:r", stamp=on(BEFORE))
    # then
    assert meeting.pending_events == []
    assert meeting.minutes_visibility is Visibility.TEAM


# Decision visibility


def test_given_a_public_decision_when_it_is_made_confidential_then_it_is_confidential(
    meeting, team, decision_id, only_event
):
    # when
    meeting.change_decision_visibility(
        decision_id, visibility=Visibility.CONFIDENTIAL, reason="sealed:names a minor", stamp=Stamp(LATER, BY)
    )
    # then
    changed = only_event(meeting, Meeting.DecisionVisibilityChanged)
    assert (changed.team_id, changed.business_date, changed.recorded_by) == (team.id, LATER, BY)
    assert (changed.decision_id, changed.visibility) == (decision_id, "confidential")
    assert changed.reason == "sealed:names a minor"
    assert changed.is_correction is True
    assert meeting.decision(decision_id).visibility is Visibility.CONFIDENTIAL
    assert meeting.decision(decision_id).text == "sealed:decision"


def test_given_a_public_decision_when_it_is_made_public_again_then_it_is_refused(meeting, decision_id):
    # when
    with pytest.raises(VisibilityUnchanged):
        meeting.change_decision_visibility(
            decision_id, visibility=Visibility.PUBLIC, reason="sealed:r", stamp=on(LATER)
        )
    # then
    assert meeting.pending_events == []


def test_given_a_meeting_when_the_visibility_of_an_unknown_decision_changes_then_it_is_refused(meeting):
    # when
    with pytest.raises(UnknownDecision):
        meeting.change_decision_visibility(uuid4(), visibility=Visibility.TEAM, reason="sealed:r", stamp=on(LATER))
    # then
    assert meeting.pending_events == []


def test_given_a_decision_when_its_visibility_changes_before_the_meeting_then_it_is_refused(meeting, decision_id):
    # when
    with pytest.raises(DateBeforeMeeting):
        meeting.change_decision_visibility(decision_id, visibility=Visibility.TEAM, reason="sealed:r", stamp=on(BEFORE))
    # then
    assert meeting.pending_events == []
    assert meeting.decision(decision_id).visibility is Visibility.PUBLIC


# Annulment


def test_given_a_meeting_when_it_is_annulled_then_it_counts_as_annulled(meeting, team, only_event):
    # when
    meeting.annul(reason="sealed:no quorum", stamp=Stamp(LATER, BY))
    # then
    annulled = only_event(meeting, Meeting.Annulled)
    assert (annulled.team_id, annulled.business_date, annulled.recorded_by) == (team.id, LATER, BY)
    assert (annulled.reason, annulled.is_correction) == ("sealed:no quorum", True)
    assert meeting.annulled is True


def test_given_a_meeting_when_it_is_annulled_before_it_was_held_then_it_is_refused(meeting):
    # when
    with pytest.raises(DateBeforeMeeting):
        meeting.annul(reason="sealed:r", stamp=on(BEFORE))
    # then
    assert meeting.pending_events == []
    assert meeting.annulled is False


@pytest.mark.parametrize(
    "act",
    [
        lambda meeting: meeting.annul(reason="sealed:again", stamp=on(TODAY)),
        lambda meeting: meeting.record_decision(
            decision_id=uuid4(), text="sealed:t", visibility=Visibility.PUBLIC, stamp=on(TODAY)
        ),
        lambda meeting: meeting.correct_minutes(minutes="sealed:m", reason="sealed:r", stamp=on(TODAY)),
    ],
    ids=["annul again", "record a decision", "correct the minutes"],
)
def test_given_an_annulled_meeting_when_it_is_changed_then_it_is_refused(meeting, act):
    # given
    meeting.annul(reason="sealed:no quorum", stamp=on(LATER))
    meeting.collect_events()
    # when
    with pytest.raises(MeetingAnnulled):
        act(meeting)
    # then
    assert meeting.pending_events == []
    assert len(meeting.decisions) == 1
    assert meeting.minutes == "sealed:minutes"


# Erasure


def test_given_a_decision_when_its_text_is_erased_then_it_stays_in_the_record_as_erased(
    meeting, team, decision_id, only_event
):
    # when
    meeting.erase_item(decision_id, reason=ErasureReason.COURT_ORDER, stamp=Stamp(LATER, BY))
    # then
    erased = only_event(meeting, Meeting.ItemErased)
    assert (erased.team_id, erased.business_date, erased.recorded_by) == (team.id, LATER, BY)
    assert (erased.item_id, erased.reason_code, erased.is_correction) == (decision_id, "court_order", True)
    assert meeting.is_erased(decision_id)
    assert not meeting.is_erased(meeting.id)
    assert meeting.decision(decision_id).visibility is Visibility.PUBLIC


def test_given_a_meeting_when_the_text_of_its_minutes_is_erased_then_the_minutes_are_erased(meeting, only_event):
    # when the minutes are named by the meeting's own id
    meeting.erase_item(meeting.id, reason=ErasureReason.PERSON_REQUEST, stamp=on(LATER))
    # then
    erased = only_event(meeting, Meeting.ItemErased)
    assert (erased.item_id, erased.reason_code) == (meeting.id, "person_request")
    assert meeting.is_erased(meeting.id)


def test_given_an_erased_decision_when_it_is_erased_again_then_it_is_refused(meeting, decision_id):
    # given
    meeting.erase_item(decision_id, reason=ErasureReason.PUBLISHED_BY_MISTAKE, stamp=on(LATER))
    meeting.collect_events()
    # when
    with pytest.raises(ItemAlreadyErased) as refused:
        meeting.erase_item(decision_id, reason=ErasureReason.COURT_ORDER, stamp=on(TODAY))
    # then
    assert refused.value.field == "item_id"
    assert meeting.pending_events == []


def test_given_a_meeting_when_an_item_it_does_not_hold_is_erased_then_it_is_refused(meeting):
    # when
    with pytest.raises(UnknownDecision):
        meeting.erase_item(uuid4(), reason=ErasureReason.COURT_ORDER, stamp=on(LATER))
    # then
    assert meeting.pending_events == []
    assert meeting.erased_items == []


# Reload


def test_given_a_meeting_with_a_history_when_it_is_saved_and_reloaded_then_it_is_the_same_meeting(
    team, chair_id, secretary_id, record
):
    # given
    visitors = register_team(code="JAL")
    meeting = hold_meeting(team, kind=MeetingKind.EXCHANGE, visiting_team_ids=[visitors.id])
    first, second = uuid4(), uuid4()
    meeting.record_decision(decision_id=first, text="sealed:a", visibility=Visibility.PUBLIC, stamp=on(HELD_ON))
    meeting.record_decision(decision_id=second, text="sealed:b", visibility=Visibility.TEAM, stamp=on(HELD_ON))
    meeting.correct_minutes(minutes="sealed:corrected", reason="sealed:typo", stamp=on(LATER))
    meeting.change_minutes_visibility(visibility=Visibility.CONFIDENTIAL, reason="sealed:r", stamp=on(LATER))
    meeting.change_decision_visibility(second, visibility=Visibility.PUBLIC, reason="sealed:r", stamp=on(LATER))
    meeting.erase_item(first, reason=ErasureReason.COURT_ORDER, stamp=on(LATER))
    meeting.annul(reason="sealed:no quorum", stamp=on(TODAY))
    # when
    record.save(meeting)
    reloaded = record.repository.get(meeting.id)
    # then
    assert reloaded.version == meeting.version == 8
    assert (reloaded.team_id, reloaded.held_on) == (team.id, HELD_ON)
    assert (reloaded.kind, reloaded.place) == (MeetingKind.EXCHANGE, "Ayil okmotu hall")
    assert reloaded.attendee_ids == sorted([chair_id, secretary_id])
    assert (reloaded.guests_female, reloaded.guests_male, reloaded.visiting_team_ids) == (3, 2, [visitors.id])
    assert (reloaded.agenda, reloaded.minutes) == (["sealed:agenda-1", "sealed:agenda-2"], "sealed:corrected")
    assert reloaded.minutes_visibility is Visibility.CONFIDENTIAL
    assert reloaded.decisions == meeting.decisions
    assert reloaded.decision(second).visibility is Visibility.PUBLIC
    assert (reloaded.is_erased(first), reloaded.is_erased(second)) == (True, False)
    assert reloaded.annulled is True
