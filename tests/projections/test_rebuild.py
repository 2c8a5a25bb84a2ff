"""Every read model rebuilt from the log equals the incremental one, row for row; positions move only forward."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from tests.story import tell_long_story
from tracker.projections import all_projections
from tracker.projections import runner as runner_module
from tracker.projections.runner import PositionMoved, projection_tracking
from tracker.rebuild import groups_of, rebuild

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


@pytest.mark.parametrize("batch_size", [1, 7, 10_000])
def test_every_batch_size_builds_the_same_read_models(services, monkeypatch, batch_size):
    # given a year of a team's life, projected as it was recorded
    tell_long_story(services.app)
    runner = services.projections
    recorded = {name: rows_of(services.engine, projection) for name, projection in runner.projections.items()}
    # when every read model is rebuilt in batches of this size (one event; batches that split a meeting's
    # events; the whole log at once, so commitments are made, changed and withdrawn within one batch)
    monkeypatch.setattr(runner_module, "BATCH_SIZE", batch_size)
    read = runner.rebuild()
    # then each event was read once for all read models, and each read model is the same, row for row
    assert read == len(services.app.recorder.select_notifications(start=0, limit=1_000_000))
    assert {name: rows_of(services.engine, projection) for name, projection in runner.projections.items()} == recorded


def test_a_changed_projection_schema_is_rebuilt_automatically(services, settings, master_key, clock):
    from tracker.bootstrap import build_services
    from tracker.projections.roster import Roster

    tell_long_story(services.app)
    before = rows_of(services.engine, Roster())
    with services.engine.begin() as conn:  # an older version of the roster was built here
        conn.execute(update(projection_tracking).where(projection_tracking.c.name == "roster").values(schema_version=0))
        conn.exec_driver_sql("DELETE FROM roster_members")
    # when the application starts again (inline projections: no write needed to bring it back)
    restarted = build_services(settings, master_key=master_key, clock=clock)
    # then the read model is applied again from the log as it starts
    assert restarted.projections.started_over == ["roster"]
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
    read_positions = runner._positions

    def positions_then_moved_by_another(names, locked=None):
        value = read_positions(names, locked)
        if locked is None:
            with services.engine.begin() as conn:
                conn.execute(update(projection_tracking).values(position=head))
        return value

    monkeypatch.setattr(runner, "_positions", positions_then_moved_by_another)
    # when it applies its batch, then the batch is refused and nothing is applied twice
    with pytest.raises(PositionMoved):
        runner._apply_batch([runner.projections["team_directory"]])
    monkeypatch.undo()
    assert rows_of(services.engine, runner.projections["team_directory"]) == before


def test_read_models_are_split_into_groups_of_about_equal_cost():
    # given the eight read models and two, three or more processes than read models
    for workers in (1, 2, 3, 20):
        # when they are grouped for a rebuild
        groups = groups_of(READ_MODELS, workers)
        # then each read model is in exactly one group, and there are no more groups than processes
        assert sorted(name for group in groups for name in group) == sorted(READ_MODELS)
        assert len(groups) == min(workers, len(READ_MODELS))
    # and two groups share the heaviest read models out
    first, second = groups_of(READ_MODELS, 2)
    assert ("merkle_tree" in first) != ("merkle_tree" in second)
    assert ("commitments" in first) != ("commitments" in second)


def test_a_rebuild_in_two_processes_equals_the_incremental_read_models(services):
    # given a year of a team's life, projected as it was recorded
    tell_long_story(services.app)
    runner = services.projections
    recorded = {name: rows_of(services.engine, projection) for name, projection in runner.projections.items()}
    head = services.app.recorder.max_notification_id()
    shown = []
    # when every read model is rebuilt by two processes, each applying the log to its group
    groups = rebuild(services, workers=2, progress=shown.append)
    # then the work was shared, each read model is the same row for row, and progress reached the head of the log
    assert len(groups) == 2
    assert {name: rows_of(services.engine, projection) for name, projection in runner.projections.items()} == recorded
    assert set(runner.positions().values()) == {head}
    assert sum(shown) == head
