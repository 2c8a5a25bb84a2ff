"""The projector process: killed at random points and restarted, or run twice at once, it applies every event
exactly once, ending with the tables a clean rebuild gives. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.projections.test_rebuild import rows_of
from tracker.bootstrap import build_services
from tracker.demo import load_demo
from tracker.projections import all_projections

ROOT = Path(__file__).resolve().parents[2]
STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def projectors_are_ended():
    """Every projector process a test started is ended, and its pipes closed, when the test ends."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
        with process:  # closes its pipes and waits for it
            pass


@pytest.fixture
def unprojected(settings, master_key, clock):
    """A log of a few hundred events whose read models are all behind: a projector process must catch up."""
    services = build_services(settings, master_key=master_key, clock=clock, project_synchronously=False)
    load_demo(services.app, by="cli:test")
    yield services
    services.close()


def projector(settings, master_key, batch="7", gap="0.1"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        TRACKER_DATABASE_URL=settings.database_url,
        TRACKER_INSTANCE_DIR=str(settings.instance_dir),
        TRACKER_MASTER_KEY=master_key.as_text(),
        TRACKER_PROJECTION_BATCH=batch,
        TRACKER_PROJECTION_GAP=gap,  # SQLite: the pause after each full batch (every batch of one event is full)
    )
    command = [sys.executable, "-m", "tracker.cli", "projector", "--poll", "0.05", "--exit-when-idle"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    STARTED.append(process)
    return process


def all_rows(services):
    return {projection.name: rows_of(services.engine, projection) for projection in all_projections()}


def clean_rebuild(services):
    services.projections.rebuild()
    return all_rows(services)


def positions(services):
    return sorted(services.projections.position(p.name) for p in all_projections())


def killed_after_progress(process, services, rng, deadline=240.0):
    """Kill the projector a random moment after it has applied at least one more event.

    Waiting for progress rather than for a fixed time keeps the test meaningful on a slow machine, where
    starting the interpreter alone can take longer than any fixed delay."""
    before = positions(services)
    started = time.monotonic()
    while process.poll() is None:
        if positions(services) != before:
            time.sleep(rng.uniform(0.0, 0.25))
            if process.poll() is not None:
                break
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        assert time.monotonic() - started < deadline, "the projector made no progress"
        time.sleep(0.02)
    return False


def test_a_projector_killed_at_random_points_ends_identical_to_a_clean_rebuild(unprojected, settings, master_key):
    head = unprojected.app.recorder.max_notification_id()
    assert head > 300
    rng = random.Random(7)
    kills, positions_at_kills = 0, []
    while kills < 8:
        process = projector(settings, master_key, batch="1", gap="0.01")
        if not killed_after_progress(process, unprojected, rng):
            break
        kills += 1
        positions_at_kills.append(positions(unprojected))
    else:
        process = projector(settings, master_key, batch="1", gap="0.01")
    assert process.wait(timeout=240) == 0, process.stderr.read().decode()
    # it was killed several times, part-way through the log
    assert kills >= 3, f"killed only {kills} times: the test proved little"
    assert any(0 < position < head for at_kill in positions_at_kills for position in at_kill)
    assert all(unprojected.projections.position(p.name) == head for p in all_projections())
    killed_and_restarted = all_rows(unprojected)
    assert killed_and_restarted == clean_rebuild(unprojected)


def test_two_projectors_at_once_apply_every_event_once_and_sign_the_head_in_turn(unprojected, settings, master_key):
    first, second = projector(settings, master_key), projector(settings, master_key)
    for process in (first, second):
        assert process.wait(timeout=240) == 0, process.stderr.read().decode()
        assert b"could not sign" not in process.stderr.read()
    both = all_rows(unprojected)
    # the head they reached is signed (once: the second finds it signed), with no manual step
    checkpoints = unprojected.signed_log.checkpoints()
    assert [c.size for c in checkpoints] == [unprojected.signed_log.head()[0]]
    assert both == clean_rebuild(unprojected)


def test_the_web_process_can_wait_for_a_position(unprojected, settings, master_key):
    head = unprojected.app.recorder.max_notification_id()
    assert not unprojected.projections.wait_for(head, timeout=0.1)
    process = projector(settings, master_key)
    assert unprojected.projections.wait_for(head, timeout=120)
    process.wait(timeout=60)
