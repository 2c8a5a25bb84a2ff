"""The dashboard as of a past day equals the dashboard of a log that holds only what is dated on or before that day,
as known now: annulments count throughout, and teams sit in the region chosen for them last."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine

from tests.story import BY, tell_long_story, tell_story
from tracker.domain import Meeting, Team
from tracker.projections.dashboard import Dashboard
from tracker.queries.dashboard import Scope, dashboard

SCOPES = [Scope(), Scope("KG"), Scope("KG", "KG-O"), Scope("KG", "KG-J")]


def known_by(events, day):
    """The events a dashboard as of the day counts: those dated by then, applied in the order they were recorded;
    an annulment of a meeting held by then, whenever dated; what places a team (its region, its registration date
    as corrected) or describes a member, whenever dated; a team's registration if it was registered by then."""
    held = {e.originator_id for e, _ in events if isinstance(e, Meeting.Held) and e.business_date <= day}
    registered = {}
    for event, _ in events:
        if isinstance(event, Team.Registered):
            registered[event.originator_id] = event.business_date
        elif isinstance(event, Team.RegistrationDateCorrected):
            registered[event.originator_id] = event.registered_on
    return [
        (event, position)
        for event, position in events
        if (isinstance(event, Team.Registered) and registered[event.originator_id] <= day)
        or (not isinstance(event, Team.Event) and event.business_date <= day)
        or (isinstance(event, Meeting.Annulled) and event.originator_id in held)
        or (isinstance(event, Team.Event) and not isinstance(event, Team.Registered))
    ]


def dashboard_of(events, scope):
    """The dashboard now of a log holding only these events, in a database of its own."""
    engine = create_engine("sqlite://")
    Dashboard.metadata.create_all(engine)
    with engine.begin() as conn:
        Dashboard().apply_batch(conn, events)
        return comparable(dashboard(conn, scope))


def comparable(view):
    fields = dataclasses.asdict(view) | {"as_of": None}
    return repr(fields)


def logged(services):
    mapper, recorder = services.app.mapper, services.app.recorder
    events = [(mapper.to_domain_event(n), n.id) for n in recorder.select_notifications(start=1, limit=1_000_000)]
    return [(event, position) for event, position in events if isinstance(event, Dashboard.consumes)]


def test_the_dashboard_as_of_each_day_of_a_year_is_what_was_dated_by_then(services):
    # given a year of two teams' life: follow-ups, a revised due date, an annulled meeting, problems and their plans
    tell_long_story(services.app)
    assert_each_day_is_what_was_dated_by_then(services)


def test_records_dated_before_earlier_ones_count_once_from_their_date(services):
    # given records entered out of the order of their dates
    app = services.app
    story = tell_story(app)
    lamps, install, parents = story.meeting.commitment_ids
    app.revise_due_date(lamps, due_on=date(2015, 7, 1), on=date(2015, 4, 20), reason="Бюджет", by=BY)
    app.revise_due_date(lamps, due_on=date(2015, 6, 20), on=date(2015, 4, 12), reason="Эрте", by=BY)  # backdated
    app.report_follow_up(parents, on=date(2015, 4, 1), status="kept", note="Сүйлөштү", by=BY)
    app.reopen_commitment(parents, reason="Кайра ачылды", on=date(2015, 4, 20), by=BY)
    app.report_follow_up(parents, on=date(2015, 4, 10), status="not_kept", note="Кечигип", by=BY)  # before the reopen
    streets = app.report_problem(
        story.team_id, title="Көчөлөр", category="street_lighting", on=date(2015, 3, 12), by=BY
    )
    app.change_problem_stage(streets, stage="response", on=date(2015, 3, 25), by=BY)
    app.add_plan_item(streets, install, on=date(2015, 3, 25), by=BY)
    app.remove_plan_item(streets, install, reason="Башка иш", on=date(2015, 4, 20), by=BY)
    app.add_plan_item(streets, install, on=date(2015, 4, 10), by=BY, weight=3)  # added again, dated earlier
    app.correct_registration_date(
        story.team_id, registered_on=date(2015, 3, 1), reason="Ката", on=date(2015, 4, 1), by=BY
    )
    # then on each day each commitment and plan item counts once, as the log dated by then says
    assert_each_day_is_what_was_dated_by_then(services)
    with services.engine.connect() as conn:
        assert dashboard(conn, Scope("KG"), date(2015, 4, 15)).total.due == 3
        assert dashboard(conn, Scope("KG"), date(2015, 2, 15)).total.teams == 0  # registered on 1 March, corrected


def assert_each_day_is_what_was_dated_by_then(services):
    events = logged(services)
    days = sorted({event.business_date for event, _ in events})
    seen = set()
    with services.engine.connect() as conn:
        for day in [days[0] - timedelta(days=1), *days, date(2016, 12, 31)]:
            for scope in SCOPES:
                # when the dashboard is read as of the day
                as_of = comparable(dashboard(conn, scope, day))
                # then it is the dashboard of the events known by then
                assert as_of == dashboard_of(known_by(events, day), scope), (day, scope)
                seen.add(as_of)
    assert len(seen) > len(days)  # the days differ: the comparison is not between empty dashboards


def test_as_of_today_the_dashboard_is_the_one_of_now(services):
    tell_long_story(services.app)
    with services.engine.connect() as conn:
        for scope in SCOPES:
            assert comparable(dashboard(conn, scope, date(2030, 1, 1))) == comparable(dashboard(conn, scope))


def test_before_a_district_had_a_team_it_is_shown_empty_and_an_unknown_one_is_not_found(services):
    from tracker.queries.dashboard import UnknownArea

    tell_long_story(services.app)
    with services.engine.connect() as conn:
        early = dashboard(conn, Scope("KG", "KG-O", "Кара-Суу"), date(2000, 1, 1))
        assert early.rows == [] and early.total.teams == 0
        with pytest.raises(UnknownArea):
            dashboard(conn, Scope("KG", "KG-O", "Нет такого"), date(2000, 1, 1))
