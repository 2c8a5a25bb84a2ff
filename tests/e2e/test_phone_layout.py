"""Every page of the public, secretary, auditor and admin areas fits a 360 px phone, in every language.

The pages are drawn from the app's url_map, so a new route is visited (or fails this test) without anyone having to
remember it. A page fits when the document is no wider than the screen and no element that scrolls or clips
sideways hides any of its content (a table in its own scrolling box counts as hiding columns)."""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from flask import Flask, url_for
from playwright.sync_api import Browser, Page
from werkzeug.routing import Rule
from werkzeug.serving import make_server

from tests.story import BY, Story, tell_long_story
from tracker.audit.notes import new_signing_key_pem
from tracker.bootstrap import build_services
from tracker.confidentiality import MasterKey
from tracker.config import Settings
from tracker.demo import load_demo
from tracker.projections.problems import problems_of
from tracker.web import LANGUAGES, create_app

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
TABLET = {"width": 800, "height": 1280}
DESKTOP = {"width": 1280, "height": 900}
A4_TEXT_RIGHT = 595.28 - 16 / 25.4 * 72  # points: the page's width less its right margin (report-print.css)
NOW = datetime(2025, 6, 30, 9, 0, tzinfo=UTC)
USERNAME, PASSWORD = "everyone", "a long enough password"

# Who reads each blueprint: the people's areas are visited, the machines' are not (they answer JSON, text or files).
AREAS = {"public", "reports", "dashboard", "auth", "secretary", "member", "audit", "admin"}
MACHINES = {"api", "api-docs", "ledger", "offline", "operations", "static"}
DOWNLOADS = {
    "reports.report_pdf",
    "reports.report_csv",
    "reports.report_json",
    "reports.open_data",
    "public.problems_csv",
    "public.problems_json",
    "reports.problem_pdf",
    "dashboard.areas_csv",
    "dashboard.history_csv",
}
# Pages that show nothing useful without a query: what a reader would have asked.
QUERIES = {
    "audit.replay": lambda world: {"team": world.story.team_id.hex, "leaf": "40"},
    "public.search": lambda world: {"q": world.commitment_id.hex},
    "dashboard.page": lambda world: {"country": "KG"},  # its regions, the widest of its tables
}
# The pages pictured in docs/screenshots/, in Kyrgyz on a phone: the whole report, the top of the log (its hundred
# events on a page are all alike).
PICTURES = {
    "reports.report_page": ("report-phone-ky", 20_000),
    "audit.log": ("audit-log-phone-ky", 2400),
    "public.problems": ("problems-board-phone-ky", 6000),
    "public.problem": ("problem-page-phone-ky", 8000),
    "dashboard.page": ("dashboard-phone-ky", 6000),
}

FIND_OVERFLOW = """() => {
  document.querySelectorAll('details').forEach((details) => { details.open = true; });  // folded forms count too
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    problems.push(`the page is ${root.scrollWidth}px wide on a ${window.innerWidth}px screen`);
  }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  for (const el of document.querySelectorAll('body, body *')) {
    if (el.closest('.visually-hidden')) continue;  // text for screen readers only, clipped on purpose
    const overflow = getComputedStyle(el).overflowX;
    if (['auto', 'scroll', 'hidden', 'clip'].includes(overflow) && el.scrollWidth > el.clientWidth + 1) {
      const text = (el.innerText || '').trim().slice(0, 60).replace(/\\s+/g, ' ');
      problems.push(`${name(el)} hides ${el.scrollWidth - el.clientWidth}px sideways: "${text}"`);
    }
  }
  return problems;
}"""


@dataclass
class World:
    url: str
    story: Story
    app: Flask
    problem_id: UUID  # the story's public problem, worked through the whole cycle

    @property
    def commitment_id(self) -> UUID:
        return self.story.meeting.commitment_ids[0]  # followed up, revised and kept: the richest history

    def arguments(self) -> dict[str, UUID]:
        """The ids to fill a route's <uuid:...> arguments with, by argument name."""
        return {
            "team_id": self.story.team_id,
            "member_id": self.story.chair,
            "meeting_id": self.story.meeting.id,
            "commitment_id": self.commitment_id,
            "record_id": self.commitment_id,
            "problem_id": self.problem_id,
        }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One server for the module: the demo's three teams, the long story beside them, a signed checkpoint, and one
    user who is admin, auditor of every team, and secretary and member of the story's team."""
    tmp_path = tmp_path_factory.mktemp("phone")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv("TRACKER_PROJECTIONS", raising=False)
        settings = Settings(f"sqlite:///{tmp_path / 'phone.sqlite3'}", tmp_path / "instance")
        settings.instance_dir.mkdir()
        settings.signing_key_file.write_text(new_signing_key_pem())
        services = build_services(settings, master_key=MasterKey.generate(), clock=lambda: NOW)
        load_demo(services.app, by=BY)
        story = tell_long_story(services.app)
        user = services.app.register_user(username=USERNAME, display_name="Гүлнара", password=PASSWORD, by=BY)
        services.app.grant_role(user, role="admin", team_id=None, by=BY)
        services.app.grant_role(user, role="auditor", team_id=None, by=BY)
        services.app.grant_role(user, role="secretary", team_id=story.team_id, by=BY)
        services.app.grant_role(user, role="member", team_id=story.team_id, by=BY)
        services.signed_log.sign_head()
        app = create_app({"SECRET_KEY": "phone", "TESTING": False}, services=services)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="phone-server", daemon=True)
        thread.start()
        try:
            with services.engine.connect() as conn:
                streets = next(row for row in problems_of(conn, story.team_id.hex) if row.visibility == "public")
            yield World(f"http://127.0.0.1:{server.server_port}", story, app, UUID(streets.problem_id))
        finally:
            server.shutdown()
            thread.join(timeout=5)
            server.server_close()
            services.close()


def people_pages(app: Flask) -> list[Rule]:
    """Every GET route of the people's areas that answers with a page (not a download)."""
    rules = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        area = rule.endpoint.split(".")[0] if "." in rule.endpoint else rule.endpoint
        assert area in AREAS | MACHINES, f"{rule.rule}: say whether {area!r} is read by people or by machines"
        if area in AREAS and rule.endpoint not in DOWNLOADS:
            rules.append(rule)
    return sorted(rules, key=lambda rule: rule.rule)


def address(world: World, rule: Rule) -> str:
    """The route with its arguments filled from the story; a route this test cannot fill fails it."""
    ids = world.arguments()
    missing = rule.arguments - ids.keys()
    assert not missing, f"{rule.rule}: no id to fill {sorted(missing)} with; add one to World.arguments"
    with world.app.test_request_context():
        query = QUERIES.get(rule.endpoint, lambda _world: {})(world)
        return url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments}, **query)


def picture(page: Page, name: str, most: int) -> None:
    """A picture of the page's top, at most `most` pixels high, for docs/screenshots/."""
    height = min(most, page.evaluate("document.documentElement.scrollHeight"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    clip = {"x": 0, "y": 0, "width": PHONE["width"], "height": height}
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True, clip=clip)


def log_in(page: Page, world: World, language: str) -> None:
    page.goto(f"{world.url}/login")
    page.locator('[name="username"]').fill(USERNAME)
    page.locator('[name="password"]').fill(PASSWORD)
    with page.expect_navigation():
        page.locator('form.card button[type="submit"]').click()
    page.request.post(f"{world.url}/language", form={"language": language, "next": "/"})


def test_the_pages_are_drawn_from_the_url_map(world: World) -> None:
    endpoints = {rule.endpoint for rule in people_pages(world.app)}
    assert {"public.team", "reports.report_page", "reports.member_ledger", "secretary.commitment"} <= endpoints
    assert {"audit.log", "audit.record", "audit.replay", "admin.home", "admin.users", "member.team"} <= endpoints
    assert not endpoints & DOWNLOADS
    assert len(endpoints) >= 24


def test_the_check_sees_a_table_that_hides_columns_and_a_page_that_runs_off_the_screen(browser: Browser) -> None:
    """The control: the check finds what it looks for, so the pages cannot pass by its seeing nothing."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    cells = "".join(f"<td>Жарым-жартылай_аткарылды_{n}</td>" for n in range(8))
    page.set_content(f'<table style="display:block; overflow-x:auto"><tr>{cells}</tr></table>')
    found = page.evaluate(FIND_OVERFLOW)
    assert len(found) == 1 and found[0].startswith("table hides")
    page.set_content(f"<table><tr>{cells}</tr></table>")
    assert any(problem.startswith("the page is") for problem in page.evaluate(FIND_OVERFLOW))
    hidden = "position:absolute; width:1px; height:1px; overflow:hidden"
    page.set_content(f'<p>short</p><label class="visually-hidden" style="{hidden}">for screen readers</label>')
    assert page.evaluate(FIND_OVERFLOW) == []
    context.close()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_fits_a_phone(browser: Browser, world: World, language: str) -> None:
    problems = visit_every_page(browser, world, language, PHONE)
    assert not problems, "\n".join(f"{path}: {'; '.join(found[:5])}" for path, found in problems.items())


@pytest.mark.parametrize(
    ("language", "viewport"),
    [("ky", TABLET), ("ky", DESKTOP), ("ru", DESKTOP)],
    ids=["ky-800px", "ky-1280px", "ru-1280px"],
)
def test_every_page_fits_a_tablet_and_a_desktop(
    browser: Browser, world: World, language: str, viewport: dict[str, int]
) -> None:
    """At 1280 px the longest words (Russian, Kyrgyz) once clipped the outcomes table and cut status badges."""
    problems = visit_every_page(browser, world, language, viewport)
    assert not problems, "\n".join(f"{path}: {'; '.join(found[:5])}" for path, found in problems.items())


def visit_every_page(browser: Browser, world: World, language: str, viewport: dict[str, int]) -> dict[str, list[str]]:
    """What hides or runs off the screen on each page, by page; it checks that every page was visited."""
    context = browser.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    log_in(page, world, language)
    pages = people_pages(world.app)
    problems: dict[str, list[str]] = {}
    visited = 0
    for rule in pages:
        path = address(world, rule)
        response = page.goto(world.url + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        assert rule.endpoint == "auth.login" or "/login" not in page.url, f"{path}: logged out"
        assert page.locator("html").get_attribute("lang") == language.replace("_", "-"), path
        visited += 1
        if found := page.evaluate(FIND_OVERFLOW):
            problems[path] = found
        if language == "ky" and viewport == PHONE and rule.endpoint in PICTURES:
            picture(page, *PICTURES[rule.endpoint])
    context.close()
    assert visited == len(pages) >= 24
    return problems


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_column_of_the_printed_report_stays_on_the_page(world: World, language: str, tmp_path: Path) -> None:
    """The Kyrgyz PDF once lost its overdue column off the page's edge: no word may end beyond the right margin."""
    response = world.app.test_client().get(
        f"/teams/{world.story.team_id}/report.pdf", headers={"Accept-Language": language.replace("_", "-")}
    )
    assert response.status_code == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.data)
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    words = re.findall(r'xMax="([0-9.]+)"[^>]*>([^<]*)</word>', boxes)
    assert len(words) > 200
    beyond = [(word, float(x)) for x, word in words if float(x) > A4_TEXT_RIGHT + 0.5]
    assert not beyond, f"words past the right margin: {beyond[:10]}"
