"""A log forked by its own server: history rolled back and rewritten, and the forked head signed with its key."""

from __future__ import annotations

from eventsourcing.persistence import StoredEvent
from sqlalchemy import text

from tracker.projections.event_index import stored_events_table


def fork_the_log(services) -> None:
    """Delete the checkpoints and the tree, move the log's first event to its end (a rewritten history whose
    leaves all still hash), rebuild the tree and sign the forked head."""
    with services.engine.begin() as conn:
        for table in ("signed_checkpoints", "merkle_leaves", "merkle_nodes"):
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text("UPDATE projection_tracking SET position = 0 WHERE name = 'merkle_tree'"))
    first = services.app.recorder.select_notifications(1, 1)[0]
    services.app.recorder.insert_events([StoredEvent(first.originator_id, 999, first.topic, first.state)])
    table, position = stored_events_table(services.engine.dialect.name)
    with services.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {table} WHERE {position} = :p"), {"p": first.id})
    services.projections.catch_up(["merkle_tree"])
    services.signed_log.sign_head()
