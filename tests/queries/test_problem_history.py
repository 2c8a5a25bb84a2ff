"""A problem's plan over time and the meetings that worked on it, from the read models alone."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from tests.story import BY, tell_problems, tell_story
from tracker.queries.problem_history import ProgressPoint, meetings_on, progress_over_time


def test_the_plans_progress_is_drawn_on_each_day_it_changed_with_the_items_it_held_that_day(services):
    # given the lamps (weight 2) and the installation planned on 25 March, the installation taken out on 2 April,
    # the lamps reported in progress on 9 April and kept on 1 June
    app = services.app
    story = tell_story(app)
    lamps = story.meeting.commitment_ids[0]
    app.report_follow_up(lamps, on=date(2015, 4, 9), status="in_progress", by=BY)
    app.report_follow_up(lamps, on=date(2015, 6, 1), status="kept", by=BY)
    streets, _school = tell_problems(app, story)
    with services.engine.connect() as conn:
        # when its progress is read up to the end of the year, and up to May
        year = progress_over_time(conn, streets.hex, date(2015, 12, 31))
        may = progress_over_time(conn, streets.hex, date(2015, 5, 31))
    # then each day something changed is a point, the removed item counted only while it was in the plan
    assert year == [
        ProgressPoint(date(2015, 3, 25), Fraction(0)),
        ProgressPoint(date(2015, 4, 2), Fraction(0)),
        ProgressPoint(date(2015, 4, 9), Fraction(0)),
        ProgressPoint(date(2015, 6, 1), Fraction(1)),
    ]
    assert may == year[:3]


def test_the_meetings_that_worked_on_a_problem_say_what_each_did(services):
    app = services.app
    story = tell_story(app)
    streets, school = tell_problems(app, story)
    lamps = story.meeting.commitment_ids[0]
    later = app.record_meeting(
        story.team_id, held_on=date(2015, 4, 20), kind="regular", place="Айыл өкмөтү", attendee_ids=[story.chair], by=BY
    )
    app.report_follow_up(lamps, on=date(2015, 4, 20), status="in_progress", meeting_id=later.id, by=BY)
    with services.engine.connect() as conn:
        worked = meetings_on(conn, streets.hex)
        nothing = meetings_on(conn, school.hex)
    assert [(meeting.meeting_id, meeting.did) for meeting in worked] == [
        (story.meeting.id.hex, ("reported", "made")),
        (later.id.hex, ("followed_up",)),
    ]
    assert nothing == []
