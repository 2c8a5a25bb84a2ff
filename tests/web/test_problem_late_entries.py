"""A problem's late entries are marked as such, as the report marks them: on its page and in the API, with the day
each was recorded; what was entered on time is not marked."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

from tests.story import BY, tell_story
from tracker.domain.access import PUBLIC
from tracker.domain.events import TrackedEvent
from tracker.queries.problems import problem_views


def test_a_funding_line_and_a_stage_recorded_months_after_their_dates_are_marked_late(
    web, services, clock, monkeypatch
):
    # the recorded time is the events' own timestamp: here it reads the test's clock
    ticks = count()
    monkeypatch.setattr(
        TrackedEvent, "create_timestamp", staticmethod(lambda: clock.now + timedelta(microseconds=next(ticks)))
    )
    # given a problem reported and analysed as it happened, in May 2015
    app = services.app
    clock.now = datetime(2015, 5, 3, 9, 0, tzinfo=UTC)
    story = tell_story(app)
    school = app.report_problem(
        story.team_id, title="Мектеп", category="extortion_in_schools", on=date(2015, 5, 2), by=BY, visibility="public"
    )
    clock.now = datetime(2015, 5, 11, 9, 0, tzinfo=UTC)
    app.change_problem_stage(school, stage="analysis", on=date(2015, 5, 10), by=BY)
    # when, in September, a funding line and the move to response are entered for early June
    clock.now = datetime(2015, 9, 1, 9, 0, tzinfo=UTC)
    app.add_funding_line(
        school,
        source="donor_grant",
        funder="Фонд",
        amount="500",
        currency="USD",
        state="received",
        on=date(2015, 6, 1),
        by=BY,
    )
    app.change_problem_stage(school, stage="response", on=date(2015, 6, 2), by=BY)
    # then those two are late entries recorded on 1 September, and the rest is not
    with services.engine.connect() as conn:
        (view,) = problem_views(conn, services.reader, PUBLIC, "/test", story.team_id, school.hex)
    assert [step.late for step in view.stages] == [None, None, date(2015, 9, 1)]
    assert view.reported_late is None and [line.late for line in view.funding_lines] == [date(2015, 9, 1)]
    client, english = web.test_client(), {"Accept-Language": "en"}
    page = client.get(f"/problems/{school}", headers=english).get_data(as_text=True)
    assert page.count("late entry, recorded Sep 1, 2015") == 2
    answer = client.get(f"/api/v1/problems/{school}").get_json()
    assert answer["recorded_late_on"] is None and answer["funding"][0]["recorded_late_on"] == "2015-09-01"
