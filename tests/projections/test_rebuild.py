"""Every read model rebuilt from the log equals the incremental one, row for row; positions move only forward."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from tests.story import BY, tell_story
from tracker.projections.runner import PositionMoved, projection_tracking


def _rows(services, name):
    projection = services.projections.projections[name]
    with services.engine.connect() as conn:
        return {
            table.name: sorted(map(tuple, conn.execute(select(table))), key=repr)
            for table in projection.metadata.sorted_tables
        }


@pytest.mark.parametrize("name", ["event_index", "team_directory"])
def test_a_rebuild_equals_the_incremental_read_model(services, name):
    # given a story projected event by event as it was recorded
    app = services.app
    story = tell_story(app)
    app.report_follow_up(story.meeting.commitment_ids[0], on=date(2015, 4, 1), status="kept", by=BY)
    app.remove_member(story.team_id, story.youth, reason="moved", on=date(2015, 5, 1), by=BY)
    incremental = _rows(services, name)
    assert any(incremental.values())
    # when the read model is dropped and rebuilt from the log
    services.projections.rebuild([name])
    # then it is the same, row for row
    assert _rows(services, name) == incremental


def test_the_event_index_holds_every_event_with_its_team_and_business_date(services):
    app = services.app
    story = tell_story(app)
    assert services.projections.position("event_index") == app.recorder.max_notification_id()
    from tracker.projections.event_index import event_index

    with services.engine.connect() as conn:
        rows = list(conn.execute(select(event_index).where(event_index.c.event_type == "Meeting.Held")))
    assert [(row.team_id, row.business_date, row.recorded_by) for row in rows] == [
        (story.team_id.hex, date(2015, 3, 12), BY)
    ]


def test_a_batch_whose_position_moved_meanwhile_is_rolled_back(services):
    # given a projection that another projector has just moved forward
    app = services.app
    tell_story(app)
    runner = services.projections
    runner.rebuild(["team_directory"])
    before = _rows(services, "team_directory")
    head = app.recorder.max_notification_id()
    with services.engine.begin() as conn:
        conn.execute(
            update(projection_tracking).where(projection_tracking.c.name == "team_directory").values(position=0)
        )
    original = runner.position

    def stale_position(name):  # our projector read position 0, but the row is moved before we write
        value = original(name)
        with services.engine.begin() as conn:
            conn.execute(update(projection_tracking).where(projection_tracking.c.name == name).values(position=head))
        return value

    runner.position = stale_position
    # when it applies its batch
    with pytest.raises(PositionMoved):
        runner._apply_batch(runner.projections["team_directory"])
    # then nothing was applied twice
    runner.position = original
    assert _rows(services, "team_directory") == before
