"""Production mode: gunicorn with two web workers and a separate projector, concurrent writers through the API;
every acknowledged follow-up is in the log and projected exactly once (compared with a clean rebuild)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.projections.test_rebuild import rows_of
from tests.story import tell_story
from tracker.projections import all_projections

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(url, body, token):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_workers_and_a_projector_project_every_acknowledged_event_exactly_once(services, settings, master_key):
    story = tell_story(services.app)
    user = services.app.register_user(username="gulnara", display_name="G", password="long enough password", by="t")
    services.app.grant_role(user, role="secretary", team_id=story.team_id, by="t")
    token = services.app.credentials.create_token(user)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        TRACKER_DATABASE_URL=settings.database_url,
        TRACKER_INSTANCE_DIR=str(settings.instance_dir),
        TRACKER_MASTER_KEY=master_key.as_text(),
        TRACKER_SECRET_KEY="production-test",
        TRACKER_PROJECTIONS="projector",
    )
    port = free_port()
    projector = subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", "projector", "--poll", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    web = subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", "serve", "--production", "--workers", "2", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                assert web.poll() is None, "the web server exited"
                assert time.monotonic() - started < 180, "the web server never answered /healthz"
                time.sleep(0.2)
        acknowledged, lock = [], threading.Lock()

        def write(writer: int) -> None:
            for n in range(8):
                commitment = story.meeting.commitment_ids[(writer + n) % 3]
                note = f"writer {writer} report {n}"
                status = post(
                    f"{base}/api/v1/commitments/{commitment}/follow-ups",
                    {"on": "2015-04-01", "status": "in_progress", "note": note},
                    token,
                )
                if status == 201:
                    with lock:
                        acknowledged.append(note)

        writers = [threading.Thread(target=write, args=(w,)) for w in range(4)]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        assert len(acknowledged) == 32
        head = services.app.recorder.max_notification_id()
        assert services.projections.wait_for(head, timeout=60)
    finally:
        web.terminate()
        projector.terminate()
        web.wait(timeout=30)
        projector.wait(timeout=30)
    # every acknowledged follow-up is in the log once
    notes = [
        services.app.sealer.open(services.app.mapper.to_domain_event(n).note)
        for n in services.app.recorder.select_notifications(1, 100_000)
        if n.topic.endswith("Commitment.FollowUpReported")
    ]
    assert sorted(notes) == sorted(acknowledged)
    # and projected exactly once: the tables equal a clean rebuild
    projected = {p.name: rows_of(services.engine, p) for p in all_projections()}
    services.projections.rebuild()
    assert projected == {p.name: rows_of(services.engine, p) for p in all_projections()}
