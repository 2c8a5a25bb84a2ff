"""Request logs are JSON lines with a request id, and never carry what was typed."""

from __future__ import annotations

import json
import logging

from tests.web.conftest import PASSWORD


def test_each_request_logs_one_json_line_without_secrets_or_text(web, world, caplog):
    logger = logging.getLogger("tracker.requests")
    logger.addHandler(caplog.handler)
    try:
        client = web.test_client()
        client.post("/login", data={"username": "secretary_a", "password": PASSWORD})
        client.post(
            f"/secretary/commitments/{world.a.meeting.commitment_ids[0]}/follow-up",
            data={"on": "2015-04-02", "status": "in_progress", "note": "Жашыруун эскертүү", "meeting_id": ""},
        )
        response = client.get("/search?q=MIR-2015-01", headers={"X-Request-Id": "abc-123"})
    finally:
        logger.removeHandler(caplog.handler)
    lines = [
        json.loads(logging.getLogger("tracker.requests").handlers[0].formatter.format(r))
        for r in caplog.records
        if r.name == "tracker.requests"
    ]
    assert len(lines) == 3
    assert lines[-1]["request_id"] == "abc-123" and response.headers["X-Request-Id"] == "abc-123"
    assert lines[1]["user"] == "user:secretary_a" and lines[1]["status"] == 302
    everything = json.dumps(lines, ensure_ascii=False)
    assert PASSWORD not in everything and "Жашыруун" not in everything and "MIR-2015-01" not in everything


def test_a_request_with_a_bearer_token_is_logged_with_the_token_s_user(web, services, world, caplog):
    token = services.app.credentials.create_token(services.app.user_named("secretary_a").id)
    logger = logging.getLogger("tracker.requests")
    logger.addHandler(caplog.handler)
    try:
        web.test_client().post(
            f"/api/v1/commitments/{world.a.meeting.commitment_ids[0]}/follow-ups",
            json={"on": "2015-04-02", "status": "in_progress"},
            headers={"Authorization": f"Bearer {token}"},
        )
    finally:
        logger.removeHandler(caplog.handler)
    line = json.loads(logger.handlers[0].formatter.format(caplog.records[-1]))
    assert line["user"] == "user:secretary_a" and line["status"] == 201 and token not in json.dumps(line)
