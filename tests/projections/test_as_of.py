"""As-of views: the record as of a business date, as known at a log position, from the same projections."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.projections.test_rebuild import rows_in, rows_of
from tests.story import BY, tell_long_story, tell_story
from tracker.projections import team_projections
from tracker.projections.commitments import commitment_history, commitments_of
from tracker.queries.summaries import ledger_for_member, summarise, team_dashboard


def test_a_commitment_kept_on_1_june_is_in_progress_the_day_before_and_kept_from_that_day(services):
    # given a commitment reported in progress in April and kept on 2015-06-01
    app = services.app
    story = tell_story(app)
    lamps = story.meeting.commitment_ids[0]
    app.report_follow_up(lamps, on=date(2015, 4, 9), status="in_progress", by=BY)
    app.report_follow_up(lamps, on=date(2015, 6, 1), status="kept", by=BY)
    # when the chair's ledger is read as of 31 May and as of 1 June
    with services.team_as_of(story.team_id, date(2015, 5, 31)) as view:
        before = ledger_for_member(view.conn, story.chair.hex, view.as_of)
    with services.team_as_of(story.team_id, date(2015, 6, 1)) as view:
        after = ledger_for_member(view.conn, story.chair.hex, view.as_of)
    # then it is in progress (and overdue: it was due on 1 May) the day before, and kept from that day
    assert [row.status for row in before.current] == ["in_progress"]
    assert (before.summary["in_progress"], before.summary["overdue"], before.summary["kept"]) == (1, 1, 0)
    assert [row.status for row in after.current] == ["kept"]
    assert (after.summary["kept"], after.summary["overdue"]) == (1, 0)
    assert after.on_time_rate == 0.0  # kept a month after it was due


def test_an_as_of_view_at_the_head_equals_the_live_read_models(services):
    # given a year of a team's life
    story = tell_long_story(services.app)
    # when it is viewed as of a date after everything, as known now
    with services.team_as_of(story.team_id, date(2016, 1, 1)) as view:
        # then every read model holds exactly the team's live rows
        for projection in team_projections():
            scratch = rows_in(view.conn, projection)
            live = rows_of(services.engine, projection)
            for table, rows in scratch.items():
                team_rows = [row for row in live[table] if story.team_id.hex in row]
                assert rows == team_rows, table


def test_late_entries_count_as_of_their_date_only_once_they_are_known(services, clock):
    # given a follow-up about 20 April that was only recorded after a report as of 30 April was made
    app = services.app
    story = tell_story(app)
    lamps = story.meeting.commitment_ids[0]
    known_before = app.recorder.max_notification_id()
    app.report_follow_up(lamps, on=date(2015, 4, 20), status="kept", by=BY)
    # when the team is viewed as of 30 April, as known before and as known after the late entry
    with services.team_as_of(story.team_id, date(2015, 4, 30), known_at=known_before) as then:
        status_then = commitments_of(then.conn, then.team_id)[0].status
    with services.team_as_of(story.team_id, date(2015, 4, 30)) as now:
        row = commitments_of(now.conn, now.team_id)[0]
        history = now.conn.execute(select(commitment_history).order_by(commitment_history.c.position)).all()
        # then the report as then known shows it open; as known now it is kept, and the entry is marked late
        assert status_then == "open"
        assert row.status == "kept"
        assert now.recorded_late(history[-1].recorded_at)


def test_corrections_apply_whatever_the_as_of_date(services):
    # given a meeting of 20 April annulled on 25 April, and an item erased in the autumn
    story = tell_long_story(services.app)
    # when the team is viewed as of 21 April (before both corrections), as known now
    with services.team_as_of(story.team_id, date(2015, 4, 21)) as view:
        rows = commitments_of(view.conn, view.team_id)
        summary = summarise(rows, view.as_of)
        dashboard = team_dashboard(view.conn, view.team_id, view.as_of)
    # then the annulled meeting's commitment counts as withdrawn, and the erased one shows as erased
    assert [row.withdrawn_by_annulment for row in rows] == [False, False, False, True]
    assert summary["withdrawn"] == 1
    assert [row.erased for row in rows] == [False, False, True, False]
    assert dashboard.meetings_per_quarter == {"2015-Q1": 1}


def test_the_dashboard_counts_meetings_attendance_women_and_young_people(services):
    story = tell_long_story(services.app)
    with services.engine.connect() as conn:
        dashboard = team_dashboard(conn, story.team_id.hex, date(2015, 9, 1))
    # the April meeting was annulled: one meeting counts, all three members present with 4 women and 2 men guests
    assert dashboard.meetings_per_quarter == {"2015-Q1": 1}
    assert dashboard.attendance_rate == 1.0
    assert dashboard.women_share == (1 + 4) / (3 + 6)
    assert dashboard.young_share == 1 / 3
    assert dashboard.outcomes["kept"] == 2 and dashboard.outcomes["withdrawn"] == 1
    assert [row.commitment_id for row in dashboard.overdue] == [story.meeting.commitment_ids[1].hex]
