"""No English for a reader of another language: every form of the secretary, admin and account areas sent invalid,
and every error page, read in Kyrgyz, Tajik, Uzbek and Russian, show none of the English strings we know of
(WTForms' and Werkzeug's own messages, and our catalogue's English). The same run in English finds them, so the
check cannot pass by seeing nothing. Also: a fresh demo reads as timely work, and a member's figures agree."""

from __future__ import annotations

import html
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from uuid import UUID

import pytest
from babel.messages.pofile import read_po
from flask import abort

from tests.web.conftest import PASSWORD, logged_in
from tracker.web import create_app

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("ky", "tg", "uz_Latn", "ru")

LIBRARY_ENGLISH = (
    # WTForms' defaults
    "This field is required.",
    "Not a valid",
    "Field must be",
    "Field cannot be longer",
    "Invalid Choice",
    "Not a valid integer value",
    "Not a valid date value",
    "Invalid CSRF",
    "The CSRF token",
    # Werkzeug's error titles and descriptions
    "Bad Request",
    "Not Found",
    "Forbidden",
    "Method Not Allowed",
    "Too Many Requests",
    "Request Entity Too Large",
    "Conflict",
    "The requested URL",
    "The browser (or proxy)",
    # English our own code once let through (issue 15)
    "this cannot be empty",
)
AREAS = ("secretary.", "admin.", "auth.")
FIELDS_OF_HIDDEN_FORMS = {"on", "reason", "role", "team_id", "visibility", "due_on", "status"}
GARBAGE = "x" * 3000  # too long for any text field, not a date, not a number, not a choice


def catalogue_english() -> list[tuple[str, str]]:
    """Each English msgid of our catalogue longer than 12 characters, as the literal run of it a page would show
    (the longest stretch between placeholders), with the msgid itself."""
    with (TRANSLATIONS / "messages.pot").open("rb") as pot:
        catalogue = read_po(pot)
    found = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            literal = max(re.split(r"%\(\w+\)[sd]|%[sd]", msgid), key=len).strip(" .,:;")
            if len(literal) > 12:
                found.append((literal, ids[0]))
    return found


def english_strings(language: str) -> list[str]:
    """What an English page would say that a page in `language` must not: the libraries' English, and our msgids
    whose translation differs from the English (a name such as "PDF/A" is the same in every language)."""
    if language == "en":
        return list(LIBRARY_ENGLISH) + [literal for literal, _ in catalogue_english()]
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        translated = {
            message.id if isinstance(message.id, str) else message.id[0]: message.string
            for message in read_po(po)
            if message.id
        }

    def kept_on_purpose(literal: str, msgid: str) -> bool:  # translated, and the translation keeps the English
        strings = translated.get(msgid) or ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        return all(strings) and any(literal in string for string in strings)

    ours = [literal for literal, msgid in catalogue_english() if not kept_on_purpose(literal, msgid)]
    return list(LIBRARY_ENGLISH) + ours


class Forms(HTMLParser):
    """The POST forms of a page: each action with the names of its fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, set[str]] = {}
        self._action: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form" and (named.get("method") or "").lower() == "post":
            self._action = html.unescape(named.get("action") or "")
            self.forms.setdefault(self._action, set())
        elif tag in ("input", "select", "textarea") and self._action is not None and named.get("name"):
            self.forms[self._action].add(named["name"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._action = None


def post_routes(web, world) -> list[tuple[str, str]]:
    """Every POST route of the secretary, admin and account areas, as (endpoint, path) filled from the world."""
    values = {
        "team_id": world.a.team_id,
        "meeting_id": world.a.meeting.id,
        "decision_id": world.a.meeting.decision_ids[0],
        "commitment_id": world.a.meeting.commitment_ids[0],
        "member_id": world.a.chair,
        "user_id": world.users["member_a"],
        "problem_id": a_problem(web, world),
    }
    routes = []
    for rule in web.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or not rule.endpoint.startswith(AREAS):
            continue
        missing = set(rule.arguments) - set(values)
        assert not missing, f"{rule.rule}: add a value for {missing} to this test"
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match.group(1)]), rule.rule)
        routes.append((rule.endpoint, path))
    return sorted(routes)


def a_problem(web, world) -> UUID:
    """The team's problem whose forms are sent (reported once per world)."""
    app = web.extensions["tracker"].app
    if not hasattr(world, "problem_id"):
        world.problem_id = app.report_problem(
            world.a.team_id, title="Көчө караңгы", category="street_lighting", on=date(2015, 3, 12), by="cli:test"
        )
    return world.problem_id


def role_for(endpoint: str) -> str:
    if endpoint.startswith("admin."):
        return "admin"
    if endpoint == "auth.login":
        return "anonymous"
    return "secretary_a"


def pages_of_forms(client, world) -> dict[str, set[str]]:
    """The fields of every POST form found on the pages where the areas' forms are shown."""
    found: dict[str, set[str]] = {}
    for path in (
        "/login",
        "/account/password",
        f"/secretary/teams/{world.a.team_id}",
        f"/secretary/teams/{world.a.team_id}/meetings/new",
        f"/secretary/teams/{world.a.team_id}/members/new",
        f"/secretary/meetings/{world.a.meeting.id}",
        f"/secretary/commitments/{world.a.meeting.commitment_ids[0]}",
        f"/secretary/teams/{world.a.team_id}/problems/new",
        f"/secretary/problems/{a_problem(client.application, world)}",
        "/admin/teams",
        "/admin/users",
        "/admin/erase",
    ):
        parser = Forms()
        parser.feed(client.get(path).get_data(as_text=True))
        for action, fields in parser.forms.items():
            found.setdefault(action.split("?")[0] or path, set()).update(fields)
    return found


def english_seen(page: str, language: str) -> set[str]:
    text = html.unescape(page)
    return {english for english in english_strings(language) if english in text}


def read_invalid_forms(web, world, language: str) -> dict[str, set[str]]:
    """Each POST route sent empty and then with junk in every field; the English seen on each answer."""
    clients, forms = {}, {}
    seen: dict[str, set[str]] = {}
    for endpoint, path in post_routes(web, world):
        role = role_for(endpoint)
        if role not in clients:
            clients[role] = logged_in(web, role)
            clients[role].post("/language", data={"language": language})
            forms[role] = pages_of_forms(clients[role], world) if role != "anonymous" else {}  # read once a role
        client = clients[role]
        fields = forms[role].get(path) if role != "anonymous" else {"username", "password"}
        fields = fields or FIELDS_OF_HIDDEN_FORMS  # a form its page shows only in another state (reopen: closed)
        for data in ({}, {name: GARBAGE for name in fields}):
            if endpoint in ("auth.logout", "auth.sign_out_everywhere"):
                continue  # nothing to get wrong: sending them is always valid
            response = client.post(path, data=data, follow_redirects=True)
            assert response.status_code < 500, (path, response.status_code)
            seen[f"POST {path} {sorted(data)}"] = english_seen(response.get_data(as_text=True), language)
    return seen


def read_error_pages(services, world, language: str) -> dict[str, set[str]]:
    """Every error status a page can answer, each opened in `language`."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "MAX_CONTENT_LENGTH": 10_000, "WTF_CSRF_ENABLED": True}, services=services
    )
    app.add_url_rule("/_conflict", "conflict", lambda: abort(409))
    from tracker.web.limits import limiter

    limiter.reset()
    seen = {}

    def client_in_language():
        client = app.test_client()
        client.post("/language", data={"language": language})
        return client

    anonymous = client_in_language()
    team = world.a.team_id
    requests = {
        "400 report": lambda: anonymous.get(f"/teams/{team}/report", query_string={"from": "2015-06-01", "to": "2015"}),
        "400 replay": lambda: _auditor(app, language).get("/audit/replay", query_string={"team": str(team)}),
        "403": lambda: _auditor(app, language, "member_a").get("/audit/"),
        "404": lambda: anonymous.get("/no/such/page"),
        "405": lambda: anonymous.get("/logout"),
        "409": lambda: anonymous.get("/_conflict"),
        "413": lambda: anonymous.post("/login", data={"username": "x" * 20_000}),
        "CSRF": lambda: anonymous.post("/login", data={"username": "secretary_a", "password": PASSWORD}),
    }
    statuses = {}
    for name, send in requests.items():
        response = send()
        statuses[name] = response.status_code
        seen[name] = english_seen(response.get_data(as_text=True), language)
    limited = client_in_language()
    token = _csrf_token(limited)
    for _ in range(12):
        response = limited.post(
            "/login", data={"username": "Admin", "password": "wrong password!", "csrf_token": token}
        )
        if response.status_code == 429:
            break
    statuses["429"] = response.status_code
    seen["429"] = english_seen(response.get_data(as_text=True), language)
    assert statuses == {
        "400 report": 400,
        "400 replay": 400,
        "403": 403,
        "404": 404,
        "405": 405,
        "409": 409,
        "413": 413,
        "CSRF": 400,
        "429": 429,
    }
    return seen


def _auditor(app, language, role="auditor_a"):
    """A client logged in (with a CSRF token read from the login page), reading in `language`."""
    client = app.test_client()
    client.post("/language", data={"language": language})
    response = client.post("/login", data={"username": role, "password": PASSWORD, "csrf_token": _csrf_token(client)})
    assert response.status_code == 302
    return client


def _csrf_token(client) -> str:
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    assert token, "the login form carries a CSRF token"
    return token.group(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_invalid_forms_and_error_pages_show_no_english(web, services, world, language):
    seen = read_invalid_forms(web, world, language) | read_error_pages(services, world, language)
    leaks = {page: sorted(found) for page, found in seen.items() if found}
    assert not leaks, f"English on pages read in {language}: {leaks}"


def test_the_same_run_in_english_finds_the_english(web, services, world):
    seen = read_invalid_forms(web, world, "en") | read_error_pages(services, world, "en")
    found = set().union(*seen.values())
    assert len(seen) >= 20, "every form and error page was read"
    assert len(found) >= 20, f"the English run saw too little English to trust the check: {sorted(found)}"
    assert any(english in found for english in ("This field is required.", "There is no such page"))


@pytest.fixture
def demo(services):
    from tracker.demo import load_demo

    team_ids = load_demo(services.app, by="cli:test")
    services.signed_log.sign_head()
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_ENABLED": False}, services=services)
    return app, team_ids


def test_a_fresh_demo_reads_as_timely_work_with_no_late_entry(demo):
    app, team_ids = demo
    client = app.test_client()
    for team_id in team_ids:
        report = client.get(f"/teams/{team_id}/report", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert report.count('<tr id="c-') >= 3, "the report lists public commitments"
        assert report.count('class="badge late"') == 0
        assert "late entry" not in report


def test_a_member_s_kept_on_time_agrees_with_their_kept_count(demo, services):
    from tracker.projections.roster import members_of

    app, team_ids = demo
    client = app.test_client()
    with services.engine.connect() as conn:
        members = members_of(conn, team_ids[0].hex)
    figures = []
    for member in members:
        page = client.get(f"/teams/{team_ids[0]}/members/{member.member_id}", headers={"Accept-Language": "en"})
        text = html.unescape(page.get_data(as_text=True))
        found = re.search(r"Kept by the due date: (\d+) of (\d+) commitments? with an outcome \((\d+)%\)", text)
        if found:
            on_time, closed, rate = (int(group) for group in found.groups())
            kept = _count_after(text, "status-kept")
            closed_shown = kept + _count_after(text, "status-partly_kept") + _count_after(text, "status-not_kept")
            assert on_time <= kept and closed == closed_shown and rate == round(100 * on_time / closed)
            figures.append((on_time, kept))
    assert figures, "some member of the demo has a commitment with an outcome"
    assert any(on_time > 0 for on_time, _ in figures), "the demo keeps some promises on time"


def _count_after(text: str, badge: str) -> int:
    """The count beside a status badge in the ledger's summary line."""
    found = re.search(rf'<span class="badge {badge}">[^<]*</span>\s*(\d+)', text)
    return int(found.group(1)) if found else 0


def test_audit_pages_name_things_as_people_do(web, services, world):
    # given a correction and an erasure on the team's first meeting, and a follow-up by the team's secretary
    from datetime import date

    from tests.story import BY

    app, story = services.app, world.a
    app.correct_minutes(story.meeting.id, minutes="Протокол", reason="Ката", on=date(2015, 3, 20), by=BY)
    app.erase_item(story.meeting.decision_ids[1], reason="person_request", by="cli:admin")
    auditor = logged_in(web, "auditor_a")
    commitment = story.meeting.commitment_ids[0]
    record = html.unescape(auditor.get(f"/audit/records/{commitment}").get_data(as_text=True))
    assert "History of commitment MIR-2015-01" in record
    assert "Commitment made" in record and "Due" in record and ">None<" not in record and "due_on" not in record
    log = html.unescape(auditor.get("/audit/", query_string={"team": str(story.team_id)}).get_data(as_text=True))
    assert "Minutes corrected" in log and "Text erased" in log and "A person named in it asked" in log
    assert " UTC</td>" not in log and "reason_code" not in log
    replay = auditor.get("/audit/replay", query_string={"team": str(story.team_id), "leaf": 3}).get_data(as_text=True)
    assert "{'" not in html.unescape(replay) and "commitments kept" not in replay and "Commitments kept" in replay
    report = web.test_client().get(f"/teams/{story.team_id}/report", headers={"Accept-Language": "en"})
    text = html.unescape(report.get_data(as_text=True))
    assert "MinutesCorrected" not in text and "ItemErased" not in text and "person_request" not in text
    assert "Minutes corrected" in text and "Text erased (A person named in it asked)" in text
