"""The probes a load balancer uses."""

from __future__ import annotations

from datetime import date

from tests.story import BY


def test_healthz_answers_and_readyz_reports_read_models_behind_the_log(web, services, world, monkeypatch):
    client = web.test_client()
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    # when a projector elsewhere falls far behind, the process is not ready
    services.app.after_save.clear()
    for day in range(1, 120):
        services.app.report_follow_up(
            world.a.meeting.commitment_ids[0], on=date(2015, 4, 1), status="in_progress", note=f"day {day}", by=BY
        )
    response = client.get("/readyz")
    assert response.status_code == 503 and "event_index" in response.json["behind"]
    services.projections.catch_up()
    assert client.get("/readyz").status_code == 200
