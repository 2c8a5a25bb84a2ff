"""The JSON API through the test client: the minimum contract, problem details, and the OpenAPI document."""

from __future__ import annotations

import pytest

SUMMARY_KEYS = {"open", "in_progress", "kept", "partly_kept", "not_kept", "withdrawn", "overdue"}


@pytest.fixture
def api(web, services, world):
    def token(username):
        user_id = services.app.user_named(username).id
        return {"Authorization": f"Bearer {services.app.credentials.create_token(user_id)}"}

    client = web.test_client()
    client.admin, client.secretary = token("admin"), token("secretary_a")
    return client


def test_a_team_is_recorded_and_reported_through_the_api(api, world, services):
    # an admin registers a team; its secretary-to-be is given the team by the admin... here secretary_a records for A
    created = api.post(
        "/api/v1/teams",
        json={
            "name": "Жаңы-Жол",
            "kind": "LCPC",
            "country": "KG",
            "region": "KG-O",
            "district": "Ноокат",
            "municipality": "Жаңы-Жол",
        },
        headers=api.admin,
    )
    assert created.status_code == 201 and created.json["code"] == "ZHA"
    team = world.a.team_id
    member = api.post(
        f"/api/v1/teams/{team}/members",
        headers=api.secretary,
        json={
            "name": "Нурлан Абдыкеримов",
            "role": "member",
            "sector": "elders",
            "gender": "male",
            "age_band": "60_plus",
            "joined_on": "2015-01-20",
        },
    )
    assert member.status_code == 201
    meeting = api.post(
        f"/api/v1/teams/{team}/meetings",
        headers=api.secretary,
        json={
            "held_on": "2015-04-01",
            "kind": "town_meeting",
            "place": "Мектеп",
            "attendees": [member.json["id"]],
            "guests": {"female": 20, "male": 14},
            "visiting_team_ids": [],
            "agenda": ["Жарык"],
            "minutes": "Протокол",
            "decisions": [
                {
                    "text": "Жарык",
                    "visibility": "public",
                    "commitments": [
                        {
                            "owner_member_id": member.json["id"],
                            "description": "Чырак",
                            "due_on": "2015-05-01",
                            "visibility": "public",
                        },
                        {
                            "owner_body": "Айыл өкмөтү",
                            "description": "Акча",
                            "due_on": "2015-06-01",
                            "visibility": "public",
                        },
                    ],
                },
                {
                    "text": "Жашыруун",
                    "visibility": "confidential",
                    "commitments": [
                        {
                            "owner_member_id": member.json["id"],
                            "description": "Сыр",
                            "due_on": "2015-05-01",
                            "visibility": "confidential",
                        }
                    ],
                },
            ],
        },
    )
    assert meeting.status_code == 201
    assert len(meeting.json["decision_ids"]) == 2 and len(meeting.json["commitment_ids"]) == 3
    first = meeting.json["commitment_ids"][0]
    assert (
        api.post(
            f"/api/v1/commitments/{first}/follow-ups",
            headers=api.secretary,
            json={"on": "2015-04-20", "status": "kept", "note": "Бүттү"},
        ).status_code
        == 201
    )
    assert (
        api.post(
            "/api/v1/commitments/MIR-2015-05/due-date",
            headers=api.secretary,
            json={"due_on": "2015-09-01", "on": "2015-04-20", "reason": "Бюджет"},
        ).status_code
        == 200
    )
    assert (
        api.post(
            "/api/v1/commitments/MIR-2015-05/hand-over",
            headers=api.secretary,
            json={"owner_member_id": member.json["id"], "on": "2015-04-20", "reason": "Ал алды"},
        ).status_code
        == 200
    )
    # reading
    team_json = api.get(f"/api/v1/teams/{team}").json
    assert team_json["code"] == "MIR" and any(m["name"] == "Нурлан Абдыкеримов" for m in team_json["members"])
    report = api.get(f"/api/v1/teams/{team}/report?as_of=2015-05-15").json
    assert set(report["summary"]) >= SUMMARY_KEYS
    assert report["summary"]["kept"] == 1
    assert report["non_public"]["count"] == 2  # the story's confidential commitment and this one
    texts = [c["description"] for c in report["commitments"]]
    assert "Чырак" in texts and "Сыр" not in texts
    assert api.get(f"/api/v1/teams/{team}/report").json["known_at"] == services.signed_log.head()[0]  # a leaf count
    before = api.get(f"/api/v1/teams/{team}/report?as_of=2015-04-10").json
    assert before["summary"]["kept"] == 0
    ledger = api.get(f"/api/v1/members/{member.json['id']}/ledger?as_of=2015-05-15").json
    assert set(ledger["summary"]) >= SUMMARY_KEYS
    assert ledger["summary"]["kept"] == 1 and ledger["non_public"]["count"] == 1


def test_errors_are_problem_details_naming_the_field(api, world, services):
    team = world.a.team_id
    head = services.app.recorder.max_notification_id()
    response = api.post(
        f"/api/v1/teams/{team}/meetings",
        headers=api.secretary,
        json={
            "held_on": "2015-04-01",
            "kind": "regular",
            "place": "Hall",
            "decisions": [
                {
                    "text": "Lights",
                    "visibility": "public",
                    "commitments": [
                        {
                            "owner_member_id": str(world.a.chair),
                            "description": "Buy",
                            "due_on": "2015-03-01",
                            "visibility": "public",
                        }
                    ],
                }
            ],
        },
    )
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.json["field"] == "decisions[0].commitments[0].due_on"
    assert services.app.recorder.max_notification_id() == head
    invalid = api.post(f"/api/v1/teams/{team}/members", headers=api.secretary, json={"name": "X", "gender": "robot"})
    assert invalid.status_code == 422 and {p["name"] for p in invalid.json["invalid_params"]} >= {"gender", "sector"}
    missing = api.post(
        "/api/v1/commitments/MIR-2099-01/follow-ups", headers=api.secretary, json={"on": "2015-04-20", "status": "kept"}
    )
    assert missing.status_code == 404 and missing.content_type == "application/problem+json"
    bad_token = api.post(f"/api/v1/teams/{team}/members", headers={"Authorization": "Bearer nope"}, json={})
    assert bad_token.status_code == 401 and bad_token.headers["WWW-Authenticate"] == "Bearer"
    bad_date = api.get(f"/api/v1/teams/{team}/report?as_of=2015-13-01")
    assert bad_date.status_code == 422 and bad_date.json["field"] == "as_of"


def test_an_idempotency_key_header_records_once(api, world, services):
    body = {"on": "2015-04-20", "status": "in_progress", "note": "Жүрүүдө"}
    headers = {**api.secretary, "Idempotency-Key": "phone-42"}
    first = api.post(f"/api/v1/commitments/{world.a.meeting.commitment_ids[0]}/follow-ups", json=body, headers=headers)
    head = services.app.recorder.max_notification_id()
    again = api.post(f"/api/v1/commitments/{world.a.meeting.commitment_ids[0]}/follow-ups", json=body, headers=headers)
    assert first.json == again.json and services.app.recorder.max_notification_id() == head


def test_every_operation_declares_its_problems_in_the_openapi_document(api):
    spec = api.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    problem = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == ["application/problem+json"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation["responses"]["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}, (method, path)


def test_the_api_report_names_the_new_owner_after_a_hand_over_and_marks_a_late_follow_up(api, world, services):
    from datetime import date

    from tests.story import BY

    app, story = services.app, world.a
    lamps, install, _parents = story.meeting.commitment_ids
    # given a commitment handed over from a body to a member on the day, and a follow-up recorded ten years late
    today = app.today_for(story.team_id)
    app.hand_over(install, owner_member_id=story.youth, on=today, reason="Жаштар алды", by=BY)
    app.report_follow_up(lamps, on=date(2015, 4, 9), status="in_progress", note="Сурады", by=BY)
    # when anyone reads the team's report through the API
    report = api.get(f"/api/v1/teams/{story.team_id}/report").json
    by_id = {c["id"]: c for c in report["commitments"]}
    handed, followed = by_id[str(install)], by_id[str(lamps)]
    # then the new owner is named as publicly shown, and the hand-over is on time with both its dates
    assert handed["owner"] == "Азамат Өмүрбеков" and handed["owner_member_id"] == str(story.youth)
    (hand_over,) = [e for e in handed["history"] if e["event"] == "handed_over"]
    recorded = hand_over["recorded_on"]  # the log's time of recording (the wall clock), in the team's zone
    assert hand_over == {
        "on": today.isoformat(),
        "recorded_on": recorded,
        "late": recorded > today.isoformat(),  # recorded after the report's day (the test's clock stands still)
        "correction": False,
        "event": "handed_over",
        "status": None,
        "due_on": None,
        "owner": "Азамат Өмүрбеков",
    }
    # and the follow-up is marked late, with the day it is about and the day it was recorded
    (late,) = [e for e in followed["history"] if e["event"] == "follow_up_reported"]
    assert (late["on"], late["recorded_on"], late["late"], late["status"]) == (
        "2015-04-09",
        recorded,
        True,
        "in_progress",
    )
    assert followed["made_on"] == "2015-03-12" and followed["late"] is True and followed["recorded_on"] <= recorded
    # as report.json says too
    document = api.get(f"/teams/{story.team_id}/report.json").json
    assert {c["reference"]: c["owner"] for c in document["commitments"]}[handed["reference"]] == handed["owner"]
    assert next(c for c in document["commitments"] if c["id"] == str(lamps))["history"][-1]["late"] is True
