"""Any input, any role: every route of the app (drawn from its url_map) gets arbitrary query strings, form bodies
and JSON, from each role with a valid CSRF token. No answer is a 500 or shows a traceback, a refused request
records nothing, and a good share of requests reach the views (not all stopped by CSRF or the login)."""

from __future__ import annotations

import re
from collections import Counter
from uuid import uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import PASSWORD, ROLES
from tracker.web import create_app

FIELDS = [
    "on",
    "status",
    "note",
    "meeting_id",
    "reason",
    "due_on",
    "visibility",
    "minutes",
    "held_on",
    "kind",
    "place",
    "attendee_ids",
    "guests_female",
    "guests_male",
    "agenda",
    "owner_member_id",
    "owner_body",
    "name",
    "role",
    "sector",
    "gender",
    "age_band",
    "public_display",
    "joined_on",
    "code",
    "country",
    "region",
    "district",
    "municipality",
    "registered_on",
    "username",
    "password",
    "display_name",
    "team_id",
    "item_id",
    "language",
    "next",
    "decisions-0-text",
    "decisions-0-visibility",
    "decisions-0-commitments-0-description",
    "decisions-0-commitments-0-due_on",
    "decisions-0-commitments-0-owner_member_id",
    "add_decision",
    "save",
    "current",
    "new",
    "again",
    "idempotency_key",
    "q",
    "as_of",
    "from",
    "to",
    "variant",
    "page",
    "team",
    "record",
    "type",
    "recorder",
    "leaf",
    "time",
    "size",
    "first",
    "second",
    "index",
]
AWKWARD = [
    "",
    "0",
    "-1",
    "1.5",
    "99999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "2015-04-01",
    "abc",
    "%00",
    "NAR-2015-01",
    "//evil.example",
    "/\t/evil",
    "<script>x</script>",
    "=1+1",
    "' OR 1=1 --",
    "ы" * 3000,
]
VALUES = st.one_of(st.sampled_from(AWKWARD), st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5)),
    max_leaves=12,
)


def routes(app):
    """Every route with each of its methods, its parameters to fill."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.rule, method))
    return found


def fill(path, world, choice):
    ids = {
        "team_id": [world.a.team_id, world.b_team, uuid4()],
        "meeting_id": [world.a.meeting.id, world.b_meeting, uuid4()],
        "commitment_id": [world.a.meeting.commitment_ids[0], world.b_commitment, uuid4()],
        "decision_id": [world.a.meeting.decision_ids[0], uuid4()],
        "member_id": [world.a.chair, world.b_member, uuid4()],
        "user_id": [world.users["member_a"], uuid4()],
        "record_id": [world.a.meeting.commitment_ids[0], uuid4()],
        "commitment": ["MIR-2015-01", str(world.b_commitment), "junk"],
    }

    def value(match):
        name = match.group(1).split(":")[-1]
        options = ids.get(name, ["x"])
        return str(options[choice % len(options)])

    return re.sub(r"<([^>]+)>", value, path)


def test_no_input_from_any_role_reaches_a_500_or_records_what_was_refused(services, world):
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "RATELIMIT_ENABLED": False}, services=services)
    clients, tokens = {}, {}
    for role in ROLES:
        clients[role], tokens[role] = logged_in_with_csrf(app, role)
    every = routes(app)
    assert len(every) >= 50
    outcomes: Counter[str] = Counter()

    @settings(max_examples=400, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(
        route=st.sampled_from(every),
        role=st.sampled_from(ROLES),
        choice=st.integers(0, 5),
        query=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=4),
        form=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8),
        body=JSON,
    )
    def any_request(route, role, choice, query, form, body):
        path, method = route
        url = fill(path, world, choice)
        client = clients[role]
        before = services.app.recorder.max_notification_id()
        if method == "GET":
            response = client.get(url, query_string=query)
        elif path.startswith("/api/"):
            response = client.open(url, method=method, json=body, query_string=query)
        else:
            response = client.open(url, method=method, data={**form, "csrf_token": tokens[role]}, query_string=query)
        text = response.get_data().decode("utf-8", "replace")
        assert response.status_code < 500, (method, url, query, form, response.status_code)
        assert "Traceback" not in text
        if response.status_code >= 400:
            assert services.app.recorder.max_notification_id() == before, (method, url, response.status_code)
        stopped = response.status_code in (401, 403) or "/login" in response.headers.get("Location", "")
        stopped = stopped or "CSRF" in text
        outcomes["stopped" if stopped else "reached"] += 1

    any_request()
    assert sum(outcomes.values()) >= 300, outcomes
    assert outcomes["reached"] >= 0.3 * sum(outcomes.values()), outcomes


def logged_in_with_csrf(app, role):
    """A client of the role, and the CSRF token of its session (the same for every form of the session)."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    if role != "anonymous":
        response = client.post("/login", data={"username": role, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)
    return client, token
