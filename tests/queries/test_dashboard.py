"""The dashboard's own read model agrees with the teams' pages, and every level adds up to the level above."""

from __future__ import annotations

from collections import Counter
from datetime import date
from uuid import uuid4

from sqlalchemy import select

from tests.story import BY, register_team, tell_long_story
from tracker.domain import Stamp, Team
from tracker.projections.commitments import commitments
from tracker.projections.meetings import meetings
from tracker.projections.problems import problems
from tracker.queries.dashboard import NO_REGION, Scope, dashboard
from tracker.queries.problems import plan_progress
from tracker.queries.summaries import kept_on_time, with_outcome


def test_a_teams_figures_on_the_dashboard_are_those_of_its_own_pages(services):
    # given a year of a team's life beside another team in another region
    story = tell_long_story(services.app)
    with services.engine.connect() as conn:
        # when the dashboard is read for the team's district
        view = dashboard(conn, Scope("KG", "KG-O", "Кара-Суу"))
        (row,) = view.rows
        team = story.team_id.hex
        # then its meetings, promises kept on time, problems and progress are those the team's pages count
        held = conn.execute(select(meetings).where(meetings.c.team_id == team, ~meetings.c.annulled)).all()
        promises = conn.execute(select(commitments).where(commitments.c.team_id == team)).all()
        worked = conn.execute(select(problems).where(problems.c.team_id == team)).all()
        progresses = [plan_progress(conn, problem.problem_id) for problem in worked]
    assert row.key == team and row.name == "Мирный"
    assert row.meetings == len(held)
    assert (row.with_outcome, row.kept_on_time) == (with_outcome(promises), kept_on_time(promises))
    assert row.problems.value == len(worked)
    assert Counter({key[1]: cell.value for key, cell in view.categories.cells.items() if cell.value}) == Counter(
        problem.category for problem in worked
    )
    counted = [float(progress) for progress in progresses if progress is not None]
    assert row.progress == (sum(counted) / len(counted) if counted else None)
    assert view.funding == {("local_budget", "KGS", "received"): 15000}
    assert view.quarters[0].quarter == "2015-Q1"


def test_every_level_adds_up_to_the_level_above(services):
    app = services.app
    tell_long_story(app)  # Мирный in Osh Region; Ворух, registered there too, moved to Jalal-Abad Region
    third = register_team(app, "Сузак", code="SUZ")
    app.choose_team_region(third, region="KG-J", on=date(2015, 3, 1), by=BY)
    with services.engine.connect() as conn:
        everything = dashboard(conn, Scope())
        country = dashboard(conn, Scope("KG"))
        region = dashboard(conn, Scope("KG", "KG-J"))
    assert [row.key for row in everything.rows] == ["KG"] and everything.rows[0].teams == 3
    assert sorted((row.key, row.teams) for row in country.rows) == [("KG-J", 2), ("KG-O", 1)]
    assert sum(row.meetings for row in country.rows) == everything.total.meetings == country.total.meetings
    assert region.total.teams == 2 and {row.key for row in region.rows} == {"Кара-Суу"}
    jalal_abad = next(row for row in country.rows if row.key == "KG-J")
    assert (region.total.meetings, region.total.kept_on_time) == (jalal_abad.meetings, jalal_abad.kept_on_time)


def test_a_team_whose_region_was_written_by_hand_is_counted_under_its_country_until_one_is_chosen(services):
    # given a team as recorded before regions came from a list: its Registered event holds the region as written
    team_id = uuid4()
    written = dict(name="Ноокат", code="NOO", kind="LCPC", country="KG", region="Ош облусу", district="Ноокат")
    team = Team._create(
        Team.Registered,
        id=team_id,
        municipality="Ноокат",
        time_zone="Asia/Bishkek",
        **written,
        **Stamp(date(2014, 1, 1), BY).fields(team_id),
    )
    services.app.save(team)
    services.projections.catch_up()
    with services.engine.connect() as conn:
        # then the dashboard counts it in its country, in no region, until one is chosen
        assert [(row.key, row.teams) for row in dashboard(conn, Scope("KG")).rows] == [("", 1)]
        assert dashboard(conn, Scope.parse("KG", NO_REGION, None)).total.teams == 1
    services.app.choose_team_region(team_id, region="KG-O", by=BY)
    with services.engine.connect() as conn:
        assert [(row.key, row.teams) for row in dashboard(conn, Scope("KG")).rows] == [("KG-O", 1)]
