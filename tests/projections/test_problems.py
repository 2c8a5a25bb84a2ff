"""The problems read model: rebuilt equal to incremental (tests/projections/test_rebuild.py covers every read model),
and a problem's plan, progress and funding as they stood on a past date, from the same projections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from tests.story import BY, tell_problems, tell_story
from tracker.queries.problems import plan_progress, problem_lines


def lines_as_of(services, team_id, day, known_at=None):
    with services.team_as_of(team_id, day, known_at) as view:
        return {line.category: line for line in problem_lines(view.conn, view.team_id)}


def test_a_problems_plan_and_progress_as_of_a_past_date_are_as_they_stood_then(services):
    # given the team's story, its lamps kept on 1 June, and its two problems
    app = services.app
    story = tell_story(app)
    lamps = story.meeting.commitment_ids[0]
    app.report_follow_up(lamps, on=date(2015, 4, 9), status="in_progress", by=BY)
    app.report_follow_up(lamps, on=date(2015, 6, 1), status="kept", by=BY)
    tell_problems(app, story)
    # when the problems are read as of 30 March, and as of 1 July
    march = lines_as_of(services, story.team_id, date(2015, 3, 30))
    july = lines_as_of(services, story.team_id, date(2015, 7, 1))
    # then on 30 March only the dark streets were known, at response, with both commitments planned and none kept
    assert set(march) == {"street_lighting"}
    streets = march["street_lighting"]
    assert (streets.stage, streets.closed, streets.plan_items, streets.progress) == ("response", False, 2, Fraction(0))
    assert streets.funding == {}
    # and on 1 July the streets were solved, the lamps (kept) alone in the plan, the budget line received;
    # the school's extortion, confidential, was at analysis
    streets = july["street_lighting"]
    assert (streets.stage, streets.closed, streets.conclusion) == ("assessment", True, "solved")
    assert (streets.plan_items, streets.progress) == (1, Fraction(1))
    assert streets.funding == {("KGS", "received"): Decimal("15000")}
    school = july["extortion_in_schools"]
    assert (school.stage, school.visibility, school.plan_items, school.progress) == (
        "analysis",
        "confidential",
        0,
        None,
    )


def test_the_live_read_model_answers_as_the_as_of_view_at_the_head(services):
    app = services.app
    story = tell_story(app)
    streets, _ = tell_problems(app, story)
    with services.engine.connect() as conn:
        live = {line.category: line for line in problem_lines(conn, story.team_id.hex)}
        progress = plan_progress(conn, streets.hex)
    assert live == lines_as_of(services, story.team_id, date(2016, 1, 1))
    assert progress == Fraction(0)  # the lamps were never followed up in this story


def test_a_problem_recorded_late_is_not_in_the_view_as_known_before_it_was_recorded(services):
    # given the team's story, known at the log's position before any problem was recorded
    app = services.app
    story = tell_story(app)
    before = app.recorder.max_notification_id()
    tell_problems(app, story)
    # when the problems are read as of 1 July, as known then, and as known now
    known_then = lines_as_of(services, story.team_id, date(2015, 7, 1), known_at=before)
    known_now = lines_as_of(services, story.team_id, date(2015, 7, 1))
    # then the late entries are in the second view only
    assert known_then == {} and set(known_now) == {"street_lighting", "extortion_in_schools"}
