"""Every read model rebuilt from the log equals the incremental one, row for row; positions move only forward."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from tests.story import tell_long_story
from tracker.projections import all_projections
from tracker.projections.runner import PositionMoved, projection_tracking

READ_MODELS = [projection.name for projection in all_projections()]


def rows_of(engine, projection):
    with engine.connect() as conn:
        return rows_in(conn, projection)


def rows_in(conn, projection):
    return {
        table.name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
        for table in projection.metadata.sorted_tables
    }


@pytest.mark.parametrize("name", READ_MODELS)
def test_a_rebuild_equals_the_incremental_read_model(services, name):
    # given a year of a team's life, projected event by event as it was recorded
    tell_long_story(services.app)
    projection = services.projections.projections[name]
    incremental = rows_of(services.engine, projection)
    assert all(incremental.values()), f"{name} has an empty table: the story does not exercise it"
    # when the read model is dropped and rebuilt from the log
    services.projections.rebuild([name])
    # then it is the same, row for row
    assert rows_of(services.engine, projection) == incremental


def test_a_changed_projection_schema_is_rebuilt_automatically(services, settings, master_key, clock):
    from tracker.bootstrap import build_services
    from tracker.projections.roster import Roster

    tell_long_story(services.app)
    before = rows_of(services.engine, Roster())
    with services.engine.begin() as conn:  # an older version of the roster was built here
        conn.execute(update(projection_tracking).where(projection_tracking.c.name == "roster").values(schema_version=0))
        conn.exec_driver_sql("DELETE FROM roster_members")
    restarted = build_services(settings, master_key=master_key, clock=clock)
    restarted.projections.catch_up()
    assert rows_of(restarted.engine, Roster()) == before
    restarted.close()


def test_a_batch_whose_position_moved_meanwhile_is_rolled_back(services, monkeypatch):
    # given a projector that read position 0, while another projector moves the position on before it writes
    tell_long_story(services.app)
    runner = services.projections
    runner.rebuild(["team_directory"])
    before = rows_of(services.engine, runner.projections["team_directory"])
    head = services.app.recorder.max_notification_id()
    with services.engine.begin() as conn:
        conn.execute(
            update(projection_tracking).where(projection_tracking.c.name == "team_directory").values(position=0)
        )
    read_position = runner.position

    def position_then_moved_by_another(name):
        value = read_position(name)
        with services.engine.begin() as conn:
            conn.execute(update(projection_tracking).where(projection_tracking.c.name == name).values(position=head))
        return value

    monkeypatch.setattr(runner, "position", position_then_moved_by_another)
    # when it applies its batch, then the batch is refused and nothing is applied twice
    with pytest.raises(PositionMoved):
        runner._apply_batch(runner.projections["team_directory"])
    monkeypatch.undo()
    assert rows_of(services.engine, runner.projections["team_directory"]) == before
