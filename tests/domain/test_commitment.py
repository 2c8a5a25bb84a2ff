"""Stories of a commitment: made at a meeting, then followed up, revised, handed over, reopened, shown or hidden."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from tests.domain.given import BY, DUE_ON, HELD_ON, TODAY, hold_meeting, join, make_commitment, on
from tracker.domain import Commitment
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
    UnknownDecision,
    VisibilityUnchanged,
)
from tracker.domain.events import Stamp
from tracker.domain.values import CLOSED_STATUSES, CommitmentStatus, Visibility

BEFORE = date(2024, 2, 29)
LATER = date(2024, 4, 10)


def follow_up(commitment, meeting, status=CommitmentStatus.IN_PROGRESS, day=LATER, today=TODAY):
    commitment.report_follow_up(
        origin=meeting, status=status, note="sealed:note", meeting_id=None, today=today, stamp=on(day)
    )


def close(commitment, meeting, status=CommitmentStatus.KEPT):
    follow_up(commitment, meeting, status=status)
    commitment.collect_events()


# Making a commitment


def test_given_a_decision_when_a_member_commits_to_it_then_the_promise_is_open_from_the_meeting_day(
    team, meeting, decision_id, chair_id, only_event
):
    # given
    commitment_id = uuid4()
    # when
    commitment = Commitment.make(
        commitment_id=commitment_id,
        team=team,
        meeting=meeting,
        decision_id=decision_id,
        owner_member_id=chair_id,
        owner_body=None,
        description="sealed:buy 12 street lamps",
        due_on=date(2024, 4, 30),
        visibility=Visibility.TEAM,
        recorded_by="user:7",
    )
    # then
    made = only_event(commitment, Commitment.Made)
    assert made.originator_id == commitment_id
    assert (made.team_id, made.business_date, made.recorded_by) == (team.id, date(2024, 3, 1), "user:7")
    assert (made.meeting_id, made.decision_id) == (meeting.id, decision_id)
    assert (made.owner_member_id, made.owner_body) == (chair_id, None)
    assert (made.description, made.due_on, made.visibility) == ("sealed:buy 12 street lamps", date(2024, 4, 30), "team")
    # and
    assert (commitment.team_id, commitment.meeting_id, commitment.decision_id) == (team.id, meeting.id, decision_id)
    assert (commitment.owner_member_id, commitment.owner_body) == (chair_id, None)
    assert (commitment.made_on, commitment.due_on) == (date(2024, 3, 1), date(2024, 4, 30))
    assert (commitment.visibility, commitment.status) == (Visibility.TEAM, CommitmentStatus.OPEN)
    assert (commitment.is_closed, commitment.last_follow_up_on) == (False, None)


def test_given_a_decision_when_a_named_body_commits_to_it_then_the_body_owns_the_promise(
    team, meeting, decision_id, only_event
):
    # when
    commitment = make_commitment(team, meeting, decision_id, owner_member_id=None, owner_body="sealed:ayil okmotu")
    # then
    made = only_event(commitment, Commitment.Made)
    assert (made.owner_member_id, made.owner_body) == (None, "sealed:ayil okmotu")
    assert (commitment.owner_member_id, commitment.owner_body) == (None, "sealed:ayil okmotu")


def test_given_a_decision_when_a_commitment_is_due_on_the_meeting_day_then_it_is_made(team, meeting, decision_id):
    assert make_commitment(team, meeting, decision_id, due_on=HELD_ON).due_on == HELD_ON


def test_given_an_annulled_meeting_when_a_commitment_is_made_at_it_then_it_is_refused(team, meeting, decision_id):
    # given
    meeting.annul(reason="sealed:no quorum", stamp=on(LATER))
    meeting.collect_events()
    # when
    with pytest.raises(MeetingAnnulled):
        make_commitment(team, meeting, decision_id)
    # then
    assert meeting.pending_events == []


def test_given_a_meeting_when_a_commitment_names_a_decision_it_did_not_take_then_it_is_refused(team, meeting):
    with pytest.raises(UnknownDecision) as refused:
        make_commitment(team, meeting, uuid4())
    assert refused.value.field == "decision_id"


@pytest.mark.parametrize(
    ("owner_member", "owner_body"), [(False, None), (True, "sealed:ayil okmotu")], ids=["neither", "both"]
)
def test_given_a_commitment_owned_by_neither_or_both_a_member_and_a_body_then_it_is_refused(
    team, meeting, decision_id, chair_id, owner_member, owner_body
):
    with pytest.raises(OwnerRequired) as refused:
        make_commitment(
            team, meeting, decision_id, owner_member_id=chair_id if owner_member else None, owner_body=owner_body
        )
    assert refused.value.field == "owner"


def test_given_a_stranger_when_they_are_made_the_owner_then_it_is_refused(team, meeting, decision_id):
    with pytest.raises(OwnerNotAMember) as refused:
        make_commitment(team, meeting, decision_id, owner_member_id=uuid4(), owner_body=None)
    assert refused.value.field == "owner_member_id"


def test_given_a_member_who_joined_after_the_meeting_when_they_are_made_the_owner_then_it_is_refused(
    team, meeting, decision_id
):
    # given
    newcomer = join(team, date(2024, 3, 2))
    # when / then
    with pytest.raises(OwnerNotAMember):
        make_commitment(team, meeting, decision_id, owner_member_id=newcomer, owner_body=None)


def test_given_a_member_who_left_before_the_meeting_when_they_are_made_the_owner_then_it_is_refused(
    team, decision_id, secretary_id
):
    # given
    team.remove_member(secretary_id, reason="sealed:r", stamp=on(date(2024, 2, 1)))
    meeting = hold_meeting(team)
    meeting.record_decision(decision_id=decision_id, text="sealed:d", visibility=Visibility.PUBLIC, stamp=on(HELD_ON))
    # when / then
    with pytest.raises(OwnerNotAMember):
        make_commitment(team, meeting, decision_id, owner_member_id=secretary_id, owner_body=None)


def test_given_a_meeting_when_a_commitment_is_due_before_it_then_it_is_refused(team, meeting, decision_id):
    with pytest.raises(DueDateBeforeMeeting) as refused:
        make_commitment(team, meeting, decision_id, due_on=BEFORE)
    assert refused.value.field == "due_on"


# Follow-ups


def test_given_an_open_commitment_when_progress_is_reported_then_it_is_in_progress(
    commitment, team, meeting, only_event
):
    # given
    later_meeting_id = uuid4()
    # when
    commitment.report_follow_up(
        origin=meeting,
        status=CommitmentStatus.IN_PROGRESS,
        note="sealed:lamps ordered",
        meeting_id=later_meeting_id,
        today=TODAY,
        stamp=Stamp(LATER, "user:7"),
    )
    # then
    reported = only_event(commitment, Commitment.FollowUpReported)
    assert (reported.team_id, reported.business_date, reported.recorded_by) == (team.id, LATER, "user:7")
    assert (reported.meeting_id, reported.status) == (later_meeting_id, "in_progress")
    assert reported.note == "sealed:lamps ordered"
    assert (commitment.status, commitment.is_closed) == (CommitmentStatus.IN_PROGRESS, False)
    assert commitment.last_follow_up_on == LATER


@pytest.mark.parametrize("status", sorted(CLOSED_STATUSES))
def test_given_an_open_commitment_when_an_outcome_is_reported_then_it_is_closed(commitment, meeting, status):
    # when
    follow_up(commitment, meeting, status=status)
    # then
    assert (commitment.status, commitment.is_closed) == (status, True)
    assert [event.status for event in commitment.collect_events()] == [status.value]


def test_given_a_follow_up_when_another_is_reported_on_the_same_day_then_both_count(commitment, meeting):
    # given
    follow_up(commitment, meeting, day=LATER)
    # when
    follow_up(commitment, meeting, status=CommitmentStatus.KEPT, day=LATER)
    # then
    assert commitment.status is CommitmentStatus.KEPT
    assert len(commitment.collect_events()) == 2


def test_given_a_commitment_when_a_follow_up_reports_it_open_then_it_is_refused(commitment, meeting):
    # when
    with pytest.raises(InvalidValue) as refused:
        follow_up(commitment, meeting, status=CommitmentStatus.OPEN)
    # then
    assert refused.value.field == "status"
    assert commitment.pending_events == []


@pytest.mark.parametrize("status", sorted(CLOSED_STATUSES))
def test_given_a_closed_commitment_when_a_follow_up_is_reported_then_it_is_refused(commitment, meeting, status):
    # given
    close(commitment, meeting, status)
    # when
    with pytest.raises(CommitmentAlreadyClosed):
        follow_up(commitment, meeting, status=CommitmentStatus.IN_PROGRESS, day=TODAY)
    # then
    assert commitment.pending_events == []
    assert commitment.status is status


def test_given_today_when_a_follow_up_is_dated_tomorrow_then_it_is_refused(commitment, meeting):
    # when
    with pytest.raises(DateInFuture) as refused:
        follow_up(commitment, meeting, day=date(2024, 4, 11), today=date(2024, 4, 10))
    # then
    assert refused.value.field == "on"
    assert commitment.pending_events == []
    assert commitment.status is CommitmentStatus.OPEN


def test_given_a_follow_up_when_an_earlier_one_is_reported_after_it_then_it_is_refused(commitment, meeting):
    # given
    follow_up(commitment, meeting, day=date(2024, 4, 10))
    commitment.collect_events()
    # when
    with pytest.raises(FollowUpOutOfOrder) as refused:
        follow_up(commitment, meeting, status=CommitmentStatus.KEPT, day=date(2024, 4, 9))
    # then
    assert refused.value.field == "on"
    assert commitment.pending_events == []
    assert (commitment.status, commitment.last_follow_up_on) == (CommitmentStatus.IN_PROGRESS, date(2024, 4, 10))


def test_given_a_commitment_when_a_follow_up_is_dated_before_the_meeting_then_it_is_refused(commitment, meeting):
    # when
    with pytest.raises(DateBeforeMeeting) as refused:
        follow_up(commitment, meeting, day=BEFORE)
    # then
    assert refused.value.field == "on"
    assert commitment.pending_events == []


# Due date


def test_given_a_commitment_when_its_due_date_is_revised_then_it_is_due_on_the_new_date(
    commitment, team, meeting, only_event
):
    # when
    commitment.revise_due_date(origin=meeting, due_on=date(2024, 6, 30), reason="sealed:no budget", stamp=on(LATER))
    # then
    revised = only_event(commitment, Commitment.DueDateRevised)
    assert (revised.team_id, revised.business_date, revised.recorded_by) == (team.id, LATER, BY)
    assert (revised.due_on, revised.reason) == (date(2024, 6, 30), "sealed:no budget")
    assert commitment.due_on == date(2024, 6, 30)


def test_given_a_commitment_when_its_due_date_is_moved_before_the_meeting_then_it_is_refused(commitment, meeting):
    # when
    with pytest.raises(DueDateBeforeMeeting):
        commitment.revise_due_date(origin=meeting, due_on=BEFORE, reason="sealed:r", stamp=on(LATER))
    # then
    assert commitment.pending_events == []
    assert commitment.due_on == DUE_ON


def test_given_a_commitment_when_its_due_date_is_revised_to_the_same_date_then_it_is_refused(commitment, meeting):
    # when
    with pytest.raises(InvalidValue) as refused:
        commitment.revise_due_date(origin=meeting, due_on=DUE_ON, reason="sealed:r", stamp=on(LATER))
    # then
    assert refused.value.field == "due_on"
    assert commitment.pending_events == []


def test_given_a_closed_commitment_when_its_due_date_is_revised_then_it_is_refused(commitment, meeting):
    # given
    close(commitment, meeting)
    # when
    with pytest.raises(CommitmentAlreadyClosed):
        commitment.revise_due_date(origin=meeting, due_on=date(2024, 6, 30), reason="sealed:r", stamp=on(TODAY))
    # then
    assert commitment.pending_events == []
    assert commitment.due_on == DUE_ON


def test_given_a_commitment_when_its_due_date_is_revised_before_the_meeting_then_it_is_refused(commitment, meeting):
    # when
    with pytest.raises(DateBeforeMeeting):
        commitment.revise_due_date(origin=meeting, due_on=date(2024, 6, 30), reason="sealed:r", stamp=on(BEFORE))
    # then
    assert commitment.pending_events == []


# Handover


def test_given_a_members_commitment_when_another_member_takes_it_over_then_it_is_theirs(
    commitment, team, meeting, secretary_id, only_event
):
    # when
    commitment.hand_over(
        origin=meeting, team=team, owner_member_id=secretary_id, owner_body=None, reason="sealed:r", stamp=on(LATER)
    )
    # then
    handed = only_event(commitment, Commitment.HandedOver)
    assert (handed.team_id, handed.business_date, handed.recorded_by) == (team.id, LATER, BY)
    assert (handed.owner_member_id, handed.owner_body, handed.reason) == (secretary_id, None, "sealed:r")
    assert (commitment.owner_member_id, commitment.owner_body) == (secretary_id, None)


def test_given_a_members_commitment_when_a_body_takes_it_over_then_it_is_the_bodys(commitment, team, meeting):
    # when
    commitment.hand_over(
        origin=meeting, team=team, owner_member_id=None, owner_body="sealed:school", reason="sealed:r", stamp=on(LATER)
    )
    # then
    assert (commitment.owner_member_id, commitment.owner_body) == (None, "sealed:school")
    assert [type(event) for event in commitment.collect_events()] == [Commitment.HandedOver]


def test_given_a_member_who_joined_after_the_meeting_when_they_take_over_then_it_is_theirs(commitment, team, meeting):
    # given
    newcomer = join(team, date(2024, 4, 1))
    # when
    commitment.hand_over(
        origin=meeting, team=team, owner_member_id=newcomer, owner_body=None, reason="sealed:r", stamp=on(LATER)
    )
    # then
    assert commitment.owner_member_id == newcomer


def test_given_a_members_commitment_when_it_is_handed_over_to_the_same_member_then_it_is_refused(
    commitment, team, meeting, chair_id
):
    # when
    with pytest.raises(SameOwner) as refused:
        commitment.hand_over(
            origin=meeting, team=team, owner_member_id=chair_id, owner_body=None, reason="sealed:r", stamp=on(LATER)
        )
    # then
    assert refused.value.field == "owner"
    assert commitment.pending_events == []


def test_given_a_member_who_left_when_the_commitment_is_handed_over_to_them_then_it_is_refused(
    commitment, team, meeting, chair_id, secretary_id
):
    # given
    team.remove_member(secretary_id, reason="sealed:r", stamp=on(date(2024, 4, 1)))
    # when
    with pytest.raises(OwnerNotAMember):
        commitment.hand_over(
            origin=meeting, team=team, owner_member_id=secretary_id, owner_body=None, reason="sealed:r", stamp=on(LATER)
        )
    # then
    assert commitment.pending_events == []
    assert commitment.owner_member_id == chair_id


@pytest.mark.parametrize(
    ("owner_member", "owner_body"), [(False, None), (True, "sealed:school")], ids=["neither", "both"]
)
def test_given_a_commitment_when_it_is_handed_over_to_neither_or_both_then_it_is_refused(
    commitment, team, meeting, secretary_id, owner_member, owner_body
):
    # when
    with pytest.raises(OwnerRequired):
        commitment.hand_over(
            origin=meeting,
            team=team,
            owner_member_id=secretary_id if owner_member else None,
            owner_body=owner_body,
            reason="sealed:r",
            stamp=on(LATER),
        )
    # then
    assert commitment.pending_events == []


def test_given_a_closed_commitment_when_it_is_handed_over_then_it_is_refused(commitment, team, meeting, secretary_id):
    # given
    close(commitment, meeting)
    # when
    with pytest.raises(CommitmentAlreadyClosed):
        commitment.hand_over(
            origin=meeting, team=team, owner_member_id=secretary_id, owner_body=None, reason="sealed:r", stamp=on(TODAY)
        )
    # then
    assert commitment.pending_events == []


def test_given_a_commitment_when_it_is_handed_over_before_the_meeting_then_it_is_refused(
    commitment, team, meeting, secretary_id
):
    # when
    with pytest.raises(DateBeforeMeeting):
        commitment.hand_over(
            origin=meeting, team=team, owner_member_id=secretary_id, owner_body=None, reason="r", stamp=on(BEFORE)
        )
    # then
    assert commitment.pending_events == []


# Commitments of an annulled meeting


@pytest.mark.parametrize(
    "act",
    [
        lambda commitment, team, meeting: follow_up(commitment, meeting),
        lambda commitment, team, meeting: commitment.revise_due_date(
            origin=meeting, due_on=date(2024, 6, 30), reason="sealed:r", stamp=on(LATER)
        ),
        lambda commitment, team, meeting: commitment.hand_over(
            origin=meeting, team=team, owner_member_id=None, owner_body="sealed:school", reason="r", stamp=on(LATER)
        ),
    ],
    ids=["follow up", "revise the due date", "hand over"],
)
def test_given_a_commitment_of_an_annulled_meeting_when_it_is_changed_then_it_is_refused(
    commitment, team, meeting, act
):
    # given
    meeting.annul(reason="sealed:no quorum", stamp=on(date(2024, 3, 5)))
    # when
    with pytest.raises(MeetingAnnulled):
        act(commitment, team, meeting)
    # then
    assert commitment.pending_events == []


def test_given_a_closed_commitment_of_an_annulled_meeting_when_it_is_reopened_then_it_is_refused(commitment, meeting):
    # given
    close(commitment, meeting)
    meeting.annul(reason="sealed:no quorum", stamp=on(TODAY))
    # when
    with pytest.raises(MeetingAnnulled):
        commitment.reopen(origin=meeting, reason="sealed:r", stamp=on(TODAY))
    # then
    assert commitment.pending_events == []
    assert commitment.is_closed


# Reopening


def test_given_a_kept_commitment_when_it_is_reopened_by_correction_then_it_is_in_progress_again(
    commitment, team, meeting, only_event
):
    # given
    close(commitment, meeting, CommitmentStatus.KEPT)
    # when
    commitment.reopen(origin=meeting, reason="sealed:the lamps were not installed", stamp=on(TODAY))
    # then
    reopened = only_event(commitment, Commitment.Reopened)
    assert (reopened.team_id, reopened.business_date, reopened.recorded_by) == (team.id, TODAY, BY)
    assert (reopened.reason, reopened.is_correction) == ("sealed:the lamps were not installed", True)
    assert (commitment.status, commitment.is_closed) == (CommitmentStatus.IN_PROGRESS, False)


def test_given_a_reopened_commitment_when_an_outcome_is_reported_then_it_is_closed_again(commitment, meeting):
    # given
    close(commitment, meeting, CommitmentStatus.KEPT)
    commitment.reopen(origin=meeting, reason="sealed:r", stamp=on(TODAY))
    # when
    follow_up(commitment, meeting, status=CommitmentStatus.NOT_KEPT, day=TODAY)
    # then
    assert commitment.status is CommitmentStatus.NOT_KEPT


@pytest.mark.parametrize("status", [None, CommitmentStatus.IN_PROGRESS], ids=["open", "in progress"])
def test_given_a_commitment_not_closed_when_it_is_reopened_then_it_is_refused(commitment, meeting, status):
    # given
    if status is not None:
        follow_up(commitment, meeting, status=status)
        commitment.collect_events()
    # when
    with pytest.raises(CommitmentNotClosed):
        commitment.reopen(origin=meeting, reason="sealed:r", stamp=on(TODAY))
    # then
    assert commitment.pending_events == []


def test_given_a_closed_commitment_when_it_is_reopened_before_the_meeting_then_it_is_refused(commitment, meeting):
    # given
    close(commitment, meeting)
    # when
    with pytest.raises(DateBeforeMeeting):
        commitment.reopen(origin=meeting, reason="sealed:r", stamp=on(BEFORE))
    # then
    assert commitment.pending_events == []
    assert commitment.is_closed


# Visibility


def test_given_a_public_commitment_when_it_is_made_confidential_then_it_is_confidential(commitment, team, only_event):
    # when
    commitment.change_visibility(visibility=Visibility.CONFIDENTIAL, reason="sealed:names a victim", stamp=on(LATER))
    # then
    changed = only_event(commitment, Commitment.VisibilityChanged)
    assert (changed.team_id, changed.business_date, changed.recorded_by) == (team.id, LATER, BY)
    assert (changed.visibility, changed.reason) == ("confidential", "sealed:names a victim")
    assert changed.is_correction is True
    assert commitment.visibility is Visibility.CONFIDENTIAL


def test_given_a_public_commitment_when_it_is_made_public_again_then_it_is_refused(commitment):
    # when
    with pytest.raises(VisibilityUnchanged) as refused:
        commitment.change_visibility(visibility=Visibility.PUBLIC, reason="sealed:r", stamp=on(LATER))
    # then
    assert refused.value.field == "visibility"
    assert commitment.pending_events == []


def test_given_a_commitment_when_its_visibility_changes_before_the_meeting_then_it_is_refused(commitment):
    # when
    with pytest.raises(DateBeforeMeeting):
        commitment.change_visibility(visibility=Visibility.TEAM, reason="sealed:r", stamp=on(BEFORE))
    # then
    assert commitment.pending_events == []
    assert commitment.visibility is Visibility.PUBLIC


# Reload


def test_given_a_commitment_with_a_history_when_it_is_saved_and_reloaded_then_it_is_the_same_commitment(
    team, meeting, decision_id, chair_id, secretary_id, record
):
    # given
    commitment = make_commitment(team, meeting, decision_id, owner_member_id=chair_id, owner_body=None)
    follow_up(commitment, meeting, day=date(2024, 4, 1))
    commitment.revise_due_date(origin=meeting, due_on=date(2024, 6, 1), reason="sealed:r", stamp=on(date(2024, 4, 2)))
    commitment.hand_over(
        origin=meeting, team=team, owner_member_id=secretary_id, owner_body=None, reason="sealed:r", stamp=on(LATER)
    )
    follow_up(commitment, meeting, status=CommitmentStatus.PARTLY_KEPT, day=date(2024, 5, 1))
    commitment.reopen(origin=meeting, reason="sealed:r", stamp=on(date(2024, 5, 2)))
    commitment.change_visibility(visibility=Visibility.TEAM, reason="sealed:r", stamp=on(date(2024, 5, 3)))
    # when
    record.save(commitment)
    reloaded = record.repository.get(commitment.id)
    # then
    assert reloaded.version == commitment.version == 7
    assert (reloaded.team_id, reloaded.meeting_id, reloaded.decision_id) == (team.id, meeting.id, decision_id)
    assert (reloaded.owner_member_id, reloaded.owner_body) == (secretary_id, None)
    assert reloaded.description == "sealed:description"
    assert (reloaded.made_on, reloaded.due_on) == (HELD_ON, date(2024, 6, 1))
    assert (reloaded.status, reloaded.last_follow_up_on) == (CommitmentStatus.IN_PROGRESS, date(2024, 5, 1))
    assert reloaded.visibility is Visibility.TEAM
    assert reloaded.is_closed is False


def test_given_a_commitment_closed_on_a_date_when_it_is_reopened_before_that_date_then_it_is_refused(
    commitment, meeting
):
    # given a commitment closed on LATER
    close(commitment, meeting)
    # when it is reopened as of a day before it was closed
    with pytest.raises(FollowUpOutOfOrder):
        commitment.reopen(origin=meeting, reason="sealed:r", stamp=on(date(2024, 4, 1)))
    # then nothing is recorded
    assert commitment.pending_events == []
