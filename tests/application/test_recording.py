"""Recording through the application: atomic writes, ids in order, nothing half-written on bad input."""

from __future__ import annotations

from datetime import date

import pytest

from tests.story import BY, add_member, register_team, tell_story
from tracker.application.drafts import CommitmentDraft, DecisionDraft
from tracker.bootstrap import build_services
from tracker.domain import Stamp, Team
from tracker.domain.errors import (
    DateInFuture,
    DateTooEarly,
    DueDateBeforeMeeting,
    DueDateTooFar,
    InvalidValue,
    MeetingAnnulled,
    MeetingOfAnotherTeam,
    NotFound,
    OwnerNotAMember,
    ReasonRequired,
    TeamCodeTaken,
    WeakPassword,
)


def test_recording_a_meeting_saves_all_its_events_in_one_write(services):
    # given a team with members
    app = services.app
    story = tell_story(app)
    # then the meeting, its two decisions and three commitments were written together, in order
    assert len(story.meeting.decision_ids) == 2
    assert len(story.meeting.commitment_ids) == 3
    meeting = app.meeting(story.meeting.id)
    assert list(meeting.decisions) == [str(decision_id) for decision_id in story.meeting.decision_ids]
    commitments = [app.commitment(commitment_id) for commitment_id in story.meeting.commitment_ids]
    assert [c.decision_id for c in commitments] == [story.meeting.decision_ids[0]] * 2 + [story.meeting.decision_ids[1]]
    assert [c.owner_member_id for c in commitments] == [story.chair, None, story.police]
    assert app.sealer.open(commitments[1].owner_body) == "Мирный айыл өкмөтү"
    assert app.sealer.open(commitments[0].description) == "12 чырак сатып алууну суроо"


def test_a_meeting_rejected_for_one_bad_commitment_writes_nothing(services):
    # given a team
    app = services.app
    team_id = register_team(app)
    member = add_member(app, team_id, "Бакыт", "police", "male", "30_44")
    head = app.recorder.max_notification_id()
    # when the second decision's commitment is due before the meeting
    with pytest.raises(DueDateBeforeMeeting):
        app.record_meeting(
            team_id,
            held_on=date(2015, 3, 12),
            kind="regular",
            place="Hall",
            attendee_ids=[member],
            decisions=[
                DecisionDraft("Lights", "public", [CommitmentDraft("Buy lamps", date(2015, 4, 1), "public", member)]),
                DecisionDraft("Patrols", "public", [CommitmentDraft("Patrol", date(2015, 3, 1), "public", member)]),
            ],
            by=BY,
        )
    # then no event at all was written
    assert app.recorder.max_notification_id() == head


def test_bad_values_name_the_field_at_fault(services):
    app = services.app
    team_id = register_team(app)
    with pytest.raises(InvalidValue) as error:
        app.record_meeting(
            team_id,
            held_on=date(2015, 3, 12),
            kind="regular",
            place="Hall",
            by=BY,
            decisions=[DecisionDraft("Lights", "secret")],
        )
    assert error.value.field == "decisions[0].visibility"
    with pytest.raises(InvalidValue) as error:
        app.record_meeting(
            team_id,
            held_on=date(2015, 3, 12),
            kind="regular",
            place="Hall",
            by=BY,
            decisions=[
                DecisionDraft("Lights", "public", [CommitmentDraft("", date(2015, 4, 1), "public", None, "Body")])
            ],
        )
    assert error.value.field == "decisions[0].commitments[0].description"
    with pytest.raises(InvalidValue) as error:
        app.register_team(
            name="X",
            kind="LCPC",
            country="KZ",
            region="",
            district="",
            municipality="",
            registered_on=date(2015, 1, 1),
            by=BY,
        )
    assert error.value.field == "country"


def test_an_owner_who_is_not_a_member_is_refused(services):
    app = services.app
    team_id = register_team(app)
    other_team = register_team(app, "Ворух")
    stranger = add_member(app, other_team, "Ҷамшед Қодиров", "police", "male", "30_44")
    with pytest.raises(OwnerNotAMember):
        app.record_meeting(
            team_id,
            held_on=date(2015, 3, 12),
            kind="regular",
            place="Hall",
            by=BY,
            decisions=[
                DecisionDraft("Lights", "public", [CommitmentDraft("Buy", date(2015, 4, 1), "public", stranger)])
            ],
        )


def test_follow_ups_revisions_and_handovers_are_recorded_with_their_reasons(services):
    # given the story's commitments
    app = services.app
    story = tell_story(app)
    lamps, install, _ = story.meeting.commitment_ids
    # when progress is reported, the due date revised and the work handed over
    app.report_follow_up(lamps, on=date(2015, 4, 9), status="in_progress", note="Асылбек сурады", by=BY)
    app.revise_due_date(lamps, due_on=date(2015, 6, 1), on=date(2015, 4, 9), reason="Бюджет кечигет", by=BY)
    app.hand_over(install, owner_member_id=story.youth, on=date(2015, 4, 9), reason="Жаштар комитети алды", by=BY)
    app.report_follow_up(lamps, on=date(2015, 6, 1), status="kept", by=BY)
    # then the commitments show it
    commitment = app.commitment(lamps)
    assert (commitment.status, commitment.due_on) == ("kept", date(2015, 6, 1))
    assert app.commitment(install).owner_member_id == story.youth
    # and a reopened commitment takes follow-ups again
    app.reopen_commitment(lamps, reason="Чырактар иштебей калды", on=date(2015, 6, 10), by=BY)
    app.report_follow_up(lamps, on=date(2015, 6, 11), status="in_progress", by=BY)
    assert app.commitment(lamps).status == "in_progress"


def test_corrections_need_a_reason(services):
    app = services.app
    story = tell_story(app)
    with pytest.raises(ReasonRequired):
        app.correct_minutes(story.meeting.id, minutes="Fixed", reason="  ", on=date(2015, 3, 13), by=BY)
    app.correct_minutes(story.meeting.id, minutes="Протокол оңдолду", reason="Ката", on=date(2015, 3, 13), by=BY)
    assert app.sealer.open(app.meeting(story.meeting.id).minutes) == "Протокол оңдолду"


def test_commitments_of_an_annulled_meeting_take_no_more_follow_ups(services):
    app = services.app
    story = tell_story(app)
    app.annul_meeting(story.meeting.id, reason="Кворум болгон жок", on=date(2015, 3, 20), by=BY)
    with pytest.raises(MeetingAnnulled):
        app.report_follow_up(story.meeting.commitment_ids[0], on=date(2015, 4, 1), status="kept", by=BY)


def test_a_follow_up_at_another_teams_meeting_is_refused(services):
    app = services.app
    story = tell_story(app)
    other = register_team(app, "Ворух")
    other_meeting = app.record_meeting(other, held_on=date(2015, 3, 20), kind="regular", place="Ҷамоат", by=BY)
    with pytest.raises(MeetingOfAnotherTeam):
        app.report_follow_up(
            story.meeting.commitment_ids[0], on=date(2015, 4, 1), status="kept", meeting_id=other_meeting.id, by=BY
        )


def test_visibility_changes_are_recorded(services):
    app = services.app
    story = tell_story(app)
    decision = story.meeting.decision_ids[1]
    app.change_decision_visibility(
        story.meeting.id, decision, visibility="public", reason="Иш жабылды", on=date(2015, 9, 1), by=BY
    )
    app.change_commitment_visibility(
        story.meeting.commitment_ids[2], visibility="team", reason="Иш жабылды", on=date(2015, 9, 1), by=BY
    )
    app.change_minutes_visibility(story.meeting.id, visibility="public", reason="Элге ачык", on=date(2015, 9, 1), by=BY)
    meeting = app.meeting(story.meeting.id)
    assert meeting.decision(decision).visibility == "public"
    assert meeting.minutes_visibility == "public"
    assert app.commitment(story.meeting.commitment_ids[2]).visibility == "team"


def test_team_codes_are_derived_and_unique(services):
    app = services.app
    first = register_team(app, "Мирный")
    second = register_team(app, "Мир")
    assert (app.team(first).code, app.team(second).code) == ("MIR", "MIRB")
    with pytest.raises(TeamCodeTaken):
        register_team(app, "Anything", code="MIR")


def test_members_leave_with_a_sealed_reason(services):
    app = services.app
    story = tell_story(app)
    app.remove_member(story.team_id, story.youth, reason="Окууга кетти", on=date(2015, 9, 1), by=BY)
    app.change_member_role(story.team_id, story.police, role="secretary", sector="police", on=date(2015, 9, 1), by=BY)
    app.change_member_display(story.team_id, story.chair, public_display="initials", on=date(2015, 9, 1), by=BY)
    app.rename_team(story.team_id, name="Мирный-2", on=date(2015, 9, 1), by=BY)
    team = app.team(story.team_id)
    assert team.member(story.youth).left_on == date(2015, 9, 1)
    assert team.member(story.police).role == "secretary"
    assert team.member(story.chair).public_display == "initials"
    assert team.name == "Мирный-2"


def test_an_unknown_record_is_not_found(services):
    from uuid import uuid4

    with pytest.raises(NotFound):
        services.app.report_follow_up(uuid4(), on=date(2015, 4, 1), status="kept", by=BY)


def test_a_team_changed_by_another_process_is_seen_by_this_ones_cached_copy(services, settings, master_key, clock):
    # given two processes on one database, and this one has the team in its aggregate cache
    app = services.app
    team_id = register_team(app)
    first = add_member(app, team_id, "Бакыт", "police", "male", "30_44")
    assert app.team(team_id).members_on(date(2015, 3, 12)) == {first}
    other = build_services(settings, master_key=master_key, clock=clock)
    try:
        # when the other process adds a member
        second = add_member(other.app, team_id, "Айгүл", "school", "female", "18_29")
    finally:
        other.close()
    # then this process sees the new member at once, and may record her commitment
    assert app.team(team_id).members_on(date(2015, 3, 12)) == {first, second}
    assert app._read(Team, team_id).members_on(date(2015, 3, 12)) == {first, second}
    recorded = app.record_meeting(
        team_id,
        held_on=date(2015, 3, 12),
        kind="regular",
        place="Hall",
        attendee_ids=[first, second],
        decisions=[DecisionDraft("Lights", "public", [CommitmentDraft("Lamps", date(2015, 4, 1), "public", second)])],
        by=BY,
    )
    assert app.commitment(recorded.commitment_ids[0]).owner_member_id == second


def test_a_command_changes_a_copy_so_an_unsaved_change_never_reaches_the_cache(services):
    # given a cached team
    app = services.app
    team_id = register_team(app)
    assert app.team(team_id).name == "Мирный"
    # when a command's copy is changed and never saved (as when a later step of the command fails)
    copy = app._get(Team, team_id)
    copy.rename("Changed", Stamp(date(2015, 3, 1), BY))
    # then the team read afterwards is the saved one
    assert app.team(team_id).name == "Мирный"
    assert app._read(Team, team_id) is not copy


def test_a_cached_team_being_read_never_changes_under_its_reader(services, settings, master_key, clock):
    # given a reader (another thread, say) holding this process's cached team
    app = services.app
    team_id = register_team(app)
    first = add_member(app, team_id, "Бакыт", "police", "male", "30_44")
    held = app._read(Team, team_id)
    # when another process adds a member and this one reads the team again
    other = build_services(settings, master_key=master_key, clock=clock)
    try:
        second = add_member(other.app, team_id, "Айгүл", "school", "female", "18_29")
    finally:
        other.close()
    fresh = app._read(Team, team_id)
    # then the new reading has her, and the object held before is exactly as it was (a new one was cached)
    assert fresh.members_on(date(2015, 3, 12)) == {first, second}
    assert held.members_on(date(2015, 3, 12)) == {first}
    assert app._read(Team, team_id) is fresh


def _register(app, registered_on):
    return app.register_team(
        name="Жаңы",
        kind="LCPC",
        country="KG",
        region="KG-O",
        district="Ош",
        municipality="Ош",
        registered_on=registered_on,
        by=BY,
    )


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (lambda app, s: _register(app, date(9999, 12, 1)), DateInFuture),
        (lambda app, s: _register(app, date(2025, 7, 1)), DateInFuture),
        (lambda app, s: _register(app, date(1989, 12, 31)), DateTooEarly),
        (
            lambda app, s: app.record_meeting(s.team_id, held_on=date(1, 1, 1), kind="regular", place="X", by=BY),
            DateTooEarly,
        ),
        (
            lambda app, s: app.add_member(
                s.team_id,
                name="A",
                role="member",
                sector="school",
                gender="female",
                age_band="30_44",
                joined_on=date(1, 1, 1),
                by=BY,
            ),
            DateTooEarly,
        ),
        (
            lambda app, s: app.revise_due_date(
                s.meeting.commitment_ids[0], due_on=date(2036, 1, 1), reason="x", on=date(2015, 4, 1), by=BY
            ),
            DueDateTooFar,
        ),
        (
            lambda app, s: app.report_follow_up(s.meeting.commitment_ids[0], on=date(1980, 1, 1), status="kept", by=BY),
            DateTooEarly,
        ),
    ],
    ids=[
        "registered-in-9999",
        "registered-tomorrow",
        "registered-in-1989",
        "meeting-in-year-1",
        "joined-in-year-1",
        "due-in-11-years",
        "follow-up-in-1980",
    ],
)
def test_dates_outside_what_a_record_can_be_about_are_refused_and_nothing_is_recorded(services, command, error):
    # given a story (the clock reads 2025-06-30)
    app = services.app
    story = tell_story(app)
    head = app.recorder.max_notification_id()
    # when a command carries a date no record can be about, then it is refused with the field named
    with pytest.raises(error) as refused:
        command(app, story)
    assert refused.value.field
    assert app.recorder.max_notification_id() == head


def test_a_team_s_registration_date_is_corrected_by_an_event_and_its_report_follows(services):
    # given a team whose registration date was recorded wrongly
    app = services.app
    story = tell_story(app)
    # when it is corrected
    app.correct_registration_date(
        story.team_id, registered_on=date(2014, 11, 1), reason="typing slip", on=date(2025, 6, 30), by=BY
    )
    # then the team and its directory row carry the corrected date
    assert app.team(story.team_id).registered_on == date(2014, 11, 1)
    with services.engine.connect() as conn:
        from tracker.queries.teams import find_team

        assert find_team(conn, story.team_id).registered_on == date(2014, 11, 1)


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "1234567890", "password12", "qwertyuiop", "gulnara2015"])
def test_common_passwords_and_the_user_s_own_name_are_refused_everywhere_a_password_is_set(services, password):
    # given an account
    app = services.app
    user_id = app.register_user(username="gulnara", display_name="Гүлнара", password="a long enough password", by=BY)
    head = app.recorder.max_notification_id()
    # when a weak password is set, for a new account or as a new password
    with pytest.raises(WeakPassword):
        app.register_user(username="aibek", display_name="Айбек", password=password, by=BY)
    with pytest.raises(WeakPassword):
        app.change_password(user_id, password=password, by=BY)
    # then nothing was recorded, and the old password still opens the account
    assert app.recorder.max_notification_id() == head
    assert app.authenticate("gulnara", "a long enough password") is not None
