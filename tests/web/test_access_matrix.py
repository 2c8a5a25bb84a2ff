"""Every write route and API endpoint x every role x own team / other team: only the allowed cells record;
the others get 403 (or the login page, or 401 from the API) and write no event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.web.conftest import ROLES, World, logged_in


@dataclass(frozen=True)
class Route:
    name: str
    audience: str  # "admin" or "secretary"
    url: Callable[[World, str], str]
    data: Callable[[World, str], dict[str, Any]]
    api: bool = False


def team(world: World, which: str):
    return world.a.team_id if which == "a" else world.b_team


def meeting(world: World, which: str):
    return world.a.meeting.id if which == "a" else world.b_meeting


def decision(world: World, which: str):
    return world.a.meeting.decision_ids[0] if which == "a" else world.b_decision


def commitment(world: World, which: str):
    return world.a.meeting.commitment_ids[0] if which == "a" else world.b_commitment


def member(world: World, which: str):
    return world.a.chair if which == "a" else world.b_member


def correction(**extra):
    return lambda world, which: {"on": "2015-04-02", "reason": "Ката болгон", **extra}


MEETING_FORM = {
    "held_on": "2015-04-01",
    "kind": "regular",
    "place": "Hall",
    "minutes_visibility": "team",
    "decisions-0-text": "Lights",
    "decisions-0-visibility": "public",
    "decisions-0-commitments-0-description": "Buy lamps",
    "decisions-0-commitments-0-due_on": "2015-05-01",
    "decisions-0-commitments-0-visibility": "public",
    "save": "1",
}

ROUTES = [
    Route(
        "register team",
        "admin",
        lambda w, t: "/admin/teams",
        lambda w, t: {
            "name": f"New {t}",
            "kind": "CPPT",
            "country": "KG",
            "region": "KG-C",
            "district": "D",
            "municipality": "M",
            "registered_on": "2015-01-01",
        },
    ),
    Route(
        "create account",
        "admin",
        lambda w, t: "/admin/users",
        lambda w, t: {"username": f"new-{t}", "display_name": "New", "password": "another long password"},
    ),
    Route(
        "grant role",
        "admin",
        lambda w, t: f"/admin/users/{w.users['member_a']}/roles",
        lambda w, t: {"role": "auditor", "team_id": team(w, t).hex},
    ),
    Route(
        "erase",
        "admin",
        lambda w, t: "/admin/erase",
        lambda w, t: {"item_id": str(commitment(w, t)), "reason": "person_request", "confirmed": commitment(w, t).hex},
    ),
    Route(
        "add member",
        "secretary",
        lambda w, t: f"/secretary/teams/{team(w, t)}/members/new",
        lambda w, t: {
            "name": "Нурлан",
            "role": "member",
            "sector": "elders",
            "gender": "male",
            "age_band": "60_plus",
            "public_display": "full_name",
            "joined_on": "2015-02-01",
        },
    ),
    Route(
        "record meeting",
        "secretary",
        lambda w, t: f"/secretary/teams/{team(w, t)}/meetings/new",
        lambda w, t: {
            **MEETING_FORM,
            "attendee_ids": [member(w, t).hex],
            "decisions-0-commitments-0-owner_member_id": member(w, t).hex,
        },
    ),
    Route(
        "correct minutes",
        "secretary",
        lambda w, t: f"/secretary/meetings/{meeting(w, t)}/minutes",
        correction(minutes="Оңдолгон протокол"),
    ),
    Route(
        "minutes visibility",
        "secretary",
        lambda w, t: f"/secretary/meetings/{meeting(w, t)}/visibility",
        correction(visibility="public"),
    ),
    Route(
        "decision visibility",
        "secretary",
        lambda w, t: f"/secretary/meetings/{meeting(w, t)}/decisions/{decision(w, t)}/visibility",
        correction(visibility="team"),
    ),
    Route("annul meeting", "secretary", lambda w, t: f"/secretary/meetings/{meeting(w, t)}/annul", correction()),
    Route(
        "follow-up",
        "secretary",
        lambda w, t: f"/secretary/commitments/{commitment(w, t)}/follow-up",
        lambda w, t: {"on": "2015-04-02", "status": "in_progress", "note": "Жүрүп жатат", "meeting_id": ""},
    ),
    Route(
        "revise due date",
        "secretary",
        lambda w, t: f"/secretary/commitments/{commitment(w, t)}/due-date",
        lambda w, t: {"due_on": "2015-09-01", "on": "2015-04-02", "reason": "Бюджет"},
    ),
    Route(
        "hand over",
        "secretary",
        lambda w, t: f"/secretary/commitments/{commitment(w, t)}/hand-over",
        lambda w, t: {"owner_member_id": "", "owner_body": "Айыл өкмөтү", "on": "2015-04-02", "reason": "Алар алды"},
    ),
    Route(
        "commitment visibility",
        "secretary",
        lambda w, t: f"/secretary/commitments/{commitment(w, t)}/visibility",
        correction(visibility="team"),
    ),
    Route(
        "api: create team",
        "admin",
        lambda w, t: "/api/v1/teams",
        lambda w, t: {
            "name": f"Api {t}",
            "kind": "LCPC",
            "country": "KG",
            "region": "KG-C",
            "district": "D",
            "municipality": "M",
        },
        api=True,
    ),
    Route(
        "api: add member",
        "secretary",
        lambda w, t: f"/api/v1/teams/{team(w, t)}/members",
        lambda w, t: {
            "name": "Api member",
            "sector": "police",
            "gender": "male",
            "age_band": "30_44",
            "joined_on": "2015-02-01",
        },
        api=True,
    ),
    Route(
        "api: record meeting",
        "secretary",
        lambda w, t: f"/api/v1/teams/{team(w, t)}/meetings",
        lambda w, t: {
            "held_on": "2015-04-01",
            "kind": "regular",
            "place": "Hall",
            "attendees": [str(member(w, t))],
            "decisions": [
                {
                    "text": "Lights",
                    "visibility": "public",
                    "commitments": [
                        {
                            "owner_member_id": str(member(w, t)),
                            "description": "Buy",
                            "due_on": "2015-05-01",
                            "visibility": "public",
                        }
                    ],
                }
            ],
        },
        api=True,
    ),
    Route(
        "api: follow-up",
        "secretary",
        lambda w, t: f"/api/v1/commitments/{commitment(w, t)}/follow-ups",
        lambda w, t: {"on": "2015-04-02", "status": "kept", "note": "Done"},
        api=True,
    ),
    Route(
        "api: due date",
        "secretary",
        lambda w, t: f"/api/v1/commitments/{commitment(w, t)}/due-date",
        lambda w, t: {"due_on": "2015-09-01", "on": "2015-04-02", "reason": "Budget"},
        api=True,
    ),
    Route(
        "api: hand over",
        "secretary",
        lambda w, t: f"/api/v1/commitments/{commitment(w, t)}/hand-over",
        lambda w, t: {"owner_body": "Ayil okmotu", "on": "2015-04-02", "reason": "They took it"},
        api=True,
    ),
]


def allowed(route: Route, role: str, which: str) -> bool:
    if route.audience == "admin":
        return role == "admin"
    return role == f"secretary_{which}"


def send(web, services, route: Route, role: str, url: str, data: dict[str, Any]):
    if route.api:
        headers = {}
        if role != "anonymous":
            user_id = services.app.user_named(role).id
            headers["Authorization"] = f"Bearer {services.app.credentials.create_token(user_id)}"
        return web.test_client().post(url, json=data, headers=headers)
    return logged_in(web, role).post(url, data=data)


@pytest.mark.parametrize("which", ["a", "b"], ids=["own team", "other team"])
@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_only_the_allowed_cells_record(web, services, world, route, which):
    app = services.app
    url, data = route.url(world, which), route.data(world, which)
    # the roles that are refused: nothing written
    for role in ROLES:
        if allowed(route, role, which):
            continue
        head = app.recorder.max_notification_id()
        response = send(web, services, route, role, url, data)
        expected = {401} if (role == "anonymous" and route.api) else ({302} if role == "anonymous" else {403})
        assert response.status_code in expected, (role, response.status_code, response.get_data(as_text=True)[:300])
        if role == "anonymous" and not route.api:
            assert "/login" in response.headers["Location"]
        assert app.recorder.max_notification_id() == head, f"{role} wrote an event"
    # the role that is allowed: recorded
    allowed_roles = [role for role in ROLES if allowed(route, role, which)]
    for role in allowed_roles:
        head = app.recorder.max_notification_id()
        response = send(web, services, route, role, url, data)
        assert response.status_code in (200, 201, 302), (role, response.get_data(as_text=True)[:500])
        if response.status_code == 302:
            assert "/login" not in response.headers["Location"]
        assert app.recorder.max_notification_id() > head, f"{role} was allowed but nothing was recorded"
