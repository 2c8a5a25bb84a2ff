"""Tampering with a database, as an insider could: every change is caught by `tracker verify` (against the stored
tree and checkpoints, or a checkpoint kept elsewhere), naming the leaf where the record differs."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.story import tell_long_story, tell_story
from tracker.audit.errors import AuditError
from tracker.audit.verify import verify_log
from tracker.projections.event_index import stored_events_table


@pytest.fixture
def logged(services):
    tell_long_story(services.app)
    services.projections.catch_up()
    checkpoint = services.signed_log.sign_head()
    return services, checkpoint


def run_sql(services, sql, **params):
    table, position = stored_events_table(services.engine.dialect.name)
    with services.engine.begin() as conn:
        conn.execute(text(sql.format(table=table, position=position)), params)


def nth_position(services, n):
    table, position = stored_events_table(services.engine.dialect.name)
    with services.engine.connect() as conn:
        return conn.execute(
            text(f"SELECT {position} FROM {table} ORDER BY {position} LIMIT 1 OFFSET :n"), {"n": n}
        ).scalar()


def verify(services, notes=()):
    return verify_log(services.engine, services.app, list(notes), services.signed_log.key)


def test_an_untouched_log_verifies_also_after_an_erasure(logged):
    services, checkpoint = logged
    assert verify(services, [checkpoint.note])[0] == checkpoint.size
    story_meeting = services.app.recorder.select_notifications(1, 1000)
    assert story_meeting
    # the long story already erased one item; erase another now: the stored bytes do not change
    decision = next(n for n in story_meeting if n.topic.endswith("Meeting.DecisionRecorded"))
    services.app.erase_item(services.app.mapper.to_domain_event(decision).decision_id, reason="court_order", by="t")
    services.projections.catch_up()
    size, _root = verify(services, [checkpoint.note])
    assert size == checkpoint.size + 1


@pytest.mark.parametrize(
    ("tampering", "leaf"),
    [
        ("one byte of one event", 5),
        ("an event deleted", 5),
        ("two events swapped", 5),
        ("a recorded time changed", 7),
    ],
)
def test_a_changed_event_is_caught_at_its_leaf(logged, tampering, leaf):
    services, checkpoint = logged
    at, after = nth_position(services, leaf), nth_position(services, leaf + 1)
    if tampering == "one byte of one event":
        run_sql(
            services,
            "UPDATE {table} SET state = :state WHERE {position} = :at",
            at=at,
            state=_state(services, at).replace(b'"recorded_by":"', b'"recorded_by":"X', 1),
        )
    elif tampering == "an event deleted":
        run_sql(services, "DELETE FROM {table} WHERE {position} = :at", at=at)
    elif tampering == "two events swapped":
        first, second = _state(services, at), _state(services, after)
        run_sql(services, "UPDATE {table} SET state = :state WHERE {position} = :at", at=at, state=second)
        run_sql(services, "UPDATE {table} SET state = :state WHERE {position} = :at", at=after, state=first)
    else:
        state = _state(services, at)
        start = state.index(b'"timestamp":{"_type_":"datetime_iso","_data_":"') + 48
        run_sql(
            services,
            "UPDATE {table} SET state = :state WHERE {position} = :at",
            at=at,
            state=state[:start] + b"2014" + state[start + 4 :],
        )
    with pytest.raises(AuditError, match=f"differs at leaf {leaf}"):
        verify(services, [checkpoint.note])


def test_an_inserted_event_is_caught(logged):
    services, checkpoint = logged
    last = services.app.recorder.select_notifications(1, 10_000)[-1]
    from uuid import uuid4

    from eventsourcing.persistence import StoredEvent

    services.app.recorder.insert_events([StoredEvent(uuid4(), 1, last.topic, last.state)])
    with pytest.raises(AuditError, match=f"differs at leaf {checkpoint.size}"):
        verify(services, [checkpoint.note])


def test_a_tree_rewritten_consistently_is_caught_by_the_checkpoints(logged, tmp_path):
    # given an insider who changes an event AND rebuilds the tree so that leaves and nodes agree again
    services, checkpoint = logged
    at = nth_position(services, 3)
    run_sql(
        services,
        "UPDATE {table} SET state = :state WHERE {position} = :at",
        at=at,
        state=_state(services, at).replace(b'"recorded_by":"', b'"recorded_by":"X', 1),
    )
    services.projections.rebuild(["merkle_tree"])
    # then the stored checkpoint no longer matches
    with pytest.raises(AuditError, match=r"differs at a leaf from [0-2] to \d+.*rewritten"):  # signed at the 1st write
        verify(services)
    # and if the insider deletes the stored checkpoints too, a checkpoint kept elsewhere still catches it
    with services.engine.begin() as conn:
        conn.execute(text("DELETE FROM signed_checkpoints"))
    verify(services)  # nothing left inside the database to contradict it...
    with pytest.raises(AuditError, match="rewritten"):
        verify(services, [checkpoint.note])  # ...but the witness's copy does


def test_a_log_truncated_and_regrown_is_caught(logged):
    services, checkpoint = logged
    cut = nth_position(services, checkpoint.size - 3)
    run_sql(services, "DELETE FROM {table} WHERE {position} >= :cut", cut=cut)
    services.projections.rebuild(["merkle_tree"])
    with pytest.raises(AuditError, match="truncated"):
        verify(services, [checkpoint.note])
    tell_story(services.app)  # regrown past the old size
    services.projections.rebuild(["merkle_tree"])
    with pytest.raises(AuditError, match="rewritten"):
        verify(services, [checkpoint.note])


def _state(services, at) -> bytes:
    table, position = stored_events_table(services.engine.dialect.name)
    with services.engine.connect() as conn:
        return bytes(conn.execute(text(f"SELECT state FROM {table} WHERE {position} = :at"), {"at": at}).scalar())


def test_verify_on_a_busy_server_passes_on_an_honest_log_and_still_catches_a_changed_event(logged):
    import threading
    from datetime import date

    from tests.story import BY

    services, checkpoint = logged
    team_id = services.app.mapper.to_domain_event(services.app.recorder.select_notifications(1, 1)[0]).team_id
    stop, failures = threading.Event(), []

    def writer():  # a secretary recording while the auditor verifies; each write also projects the tree
        while not stop.is_set():
            try:
                services.app.record_meeting(team_id, held_on=date(2015, 12, 1), kind="regular", place="Зал", by=BY)
            except Exception as error:  # a failed write must fail the test, not vanish in the thread
                failures.append(error)
                return

    head = services.app.recorder.max_notification_id()
    thread = threading.Thread(target=writer)
    thread.start()
    try:

        def on_the_server():  # as `tracker verify` does: up to where the tree had got
            up_to = services.projections.position("merkle_tree")
            return verify_log(services.engine, services.app, [checkpoint.note], services.signed_log.key, up_to=up_to)

        sizes = [on_the_server()[0] for _ in range(5)]  # an honest log verifies every time
        assert sizes == sorted(sizes) and sizes[0] >= checkpoint.size
        assert services.app.recorder.max_notification_id() > head and not failures  # it really was busy
        run_sql(  # an insider changes an event recorded before the auditor started
            services,
            "UPDATE {table} SET state = :state WHERE {position} = :position",
            state=b"{}",
            position=nth_position(services, 5),
        )
        with pytest.raises(AuditError, match="leaf 5"):
            on_the_server()
    finally:
        stop.set()
        thread.join()
