"""A web world: two teams with a recorded meeting each, and an account for every role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import pytest

from tests.story import BY, Story, add_member, register_team, tell_story
from tracker.application.drafts import CommitmentDraft, DecisionDraft
from tracker.web import create_app

PASSWORD = "a long enough password"
ROLES = ("anonymous", "member_a", "auditor_a", "secretary_b", "secretary_a", "admin")


@dataclass
class World:
    a: Story
    b_team: UUID
    b_member: UUID
    b_meeting: UUID
    b_decision: UUID
    b_commitment: UUID
    users: dict[str, UUID]


@pytest.fixture
def web(services):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False},
        services=services,
    )
    return app


@pytest.fixture
def world(services) -> World:
    app = services.app
    a = tell_story(app)
    b_team = register_team(app, "Ворух")
    b_member = add_member(app, b_team, "Зарина Ғафурова", "womens_committee", "female", "30_44")
    b = app.record_meeting(
        b_team,
        held_on=date(2015, 3, 20),
        kind="regular",
        place="Ҷамоат",
        attendee_ids=[b_member],
        decisions=[
            DecisionDraft("Равшанӣ", "public", [CommitmentDraft("Чароғ", date(2015, 6, 1), "public", b_member)])
        ],
        by=BY,
    )
    users = {}
    for name, role, team in [
        ("member_a", "member", a.team_id),
        ("auditor_a", "auditor", a.team_id),
        ("secretary_b", "secretary", b_team),
        ("secretary_a", "secretary", a.team_id),
        ("admin", "admin", None),
    ]:
        users[name] = app.register_user(username=name, display_name=name, password=PASSWORD, by=BY)
        app.grant_role(users[name], role=role, team_id=team, by=BY)
    return World(a, b_team, b_member, b.id, b.decision_ids[0], b.commitment_ids[0], users)


def logged_in(web, role: str):
    client = web.test_client()
    if role != "anonymous":
        response = client.post("/login", data={"username": role, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
    return client
