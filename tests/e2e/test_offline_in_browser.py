"""Recording without a connection, in a real browser (Debian's Chromium): what is recorded offline waits in the
outbox on the phone, survives closing the page, a service-worker update and an ended session, and is recorded
exactly once when the connection returns; a refused item stays, to edit or discard, and blocks nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import offline_layer_settled, wait_until
from tests.e2e.test_secretary_in_browser import PHONE, log_in
from tracker.projections.commitments import commitments_of
from tracker.queries.team_record import members_and_meetings

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PLACE = "Мектептин залы"
DECISION = "Мектептин жанына жарык орнотуу"
MONDAY = "2025-06-23"
PHONE_TIME = datetime(2025, 6, 30, 20, 30, tzinfo=UTC)  # 02:30 on 1 July in Osh; the server's clock is 30 June


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, locale="en-US", service_workers="allow")
    yield context
    context.close()


class Cut:
    """No connection: the browser is offline, and every request that still tries (a service worker's own fetches
    are not reliably cut by set_offline) is aborted; what reached the server meanwhile is counted."""

    def __init__(self, context: BrowserContext, live_server: Any) -> None:
        self.context, self.live_server, self.tried = context, live_server, []

    def _abort(self, route: Any) -> None:
        self.tried.append(route.request.url)
        route.abort("internetdisconnected")

    def __enter__(self) -> Cut:
        self.seen_before = len(self.live_server.requests)
        self.context.set_offline(True)
        self.context.route("**/*", self._abort)
        return self

    def reached_server(self) -> list[str]:
        return self.live_server.requests[self.seen_before :]

    def __exit__(self, *exc: Any) -> None:
        self.context.unroute("**/*", self._abort)
        self.context.set_offline(False)


def meetings(live_server: Any) -> list[Any]:
    with live_server.services.engine.connect() as conn:
        return members_and_meetings(conn, live_server.team_id)[1]


def fill_offline_meeting(page: Page) -> None:
    page.get_by_label("Held on").fill(MONDAY)
    page.get_by_label("Place").fill(PLACE)
    page.locator('[name="decisions-0-text"]').fill(DECISION)
    for number, owner in ((0, "Айгүл Осмонова"), (1, "Бакыт Токтогулов")):
        row = f"decisions-0-commitments-{number}-"
        page.locator(f'[name="{row}description"]').fill(f"Иш {number + 1}")
        page.locator(f'[name="{row}owner_member_id"]').select_option(label=owner)
        page.locator(f'[name="{row}due_on"]').fill("2025-07-15")


def test_a_meeting_and_a_follow_up_recorded_offline_are_sent_once_when_the_connection_returns(
    context: BrowserContext, live_server: Any
) -> None:
    story, services = live_server.story, live_server.services
    commitment_id = story.meeting.commitment_ids[0]
    meeting_form = f"{live_server.url}/secretary/teams/{live_server.team_id}/meetings/new"
    # The phone's clock says the next morning: the forms are dated by it, not by the day the pages were copied
    context.clock.set_fixed_time(PHONE_TIME)
    page = context.new_page()
    log_in(page, live_server)
    page.goto(meeting_form)
    offline_layer_settled(page)
    before, version = len(meetings(live_server)), services.app.commitment(commitment_id).version
    with Cut(context, live_server) as cut:
        # Offline, the meeting form opens from the phone, says so, with today's date on the phone
        page.goto(meeting_form)
        expect(page.get_by_text("Kept on this phone, as of")).to_be_visible()
        expect(page.get_by_label("Held on")).to_have_value("2025-07-01")
        fill_offline_meeting(page)
        page.get_by_role("button", name="Record the meeting").click()
        expect(page.get_by_text("No connection: this was kept on this phone")).to_be_visible()
        expect(page.locator("[data-outbox-badge]")).to_have_text("1 unsent")
        # and a follow-up on an existing commitment
        page.goto(f"{live_server.url}/secretary/commitments/{commitment_id}")
        expect(page.get_by_label("Date", exact=True)).to_have_value("2025-07-01")
        page.get_by_label("Date", exact=True).fill("2025-06-28")
        page.get_by_label("Status").select_option("in_progress")
        page.get_by_label("Note").fill("Чырактар сатылып алынды")
        page.get_by_role("button", name="Record the follow-up").click()
        expect(page.locator("[data-outbox-badge]")).to_have_text("2 unsent")
        if not (Path(SCREENSHOTS).exists()):
            SCREENSHOTS.mkdir(parents=True)
        page.screenshot(path=str(SCREENSHOTS / "outbox-offline-phone.png"), full_page=True)
        # Closed and opened again, the phone still has both
        page.close()
        page = context.new_page()
        page.goto(f"{live_server.url}/secretary/")
        expect(page.locator("[data-outbox-badge]")).to_have_text("2 unsent")
        assert cut.reached_server() == []
    # Online again: both are sent, and the server has exactly one meeting with both commitments and one follow-up
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(lambda: len(meetings(live_server)) == before + 1 and "2 unsent" not in page.content())
    expect(page.locator("[data-outbox-badge]")).to_be_hidden()
    recorded = [m for m in meetings(live_server) if m.place == PLACE]
    assert len(recorded) == 1 and recorded[0].held_on == date(2025, 6, 23)  # the form's date, not the day sent
    with services.engine.connect() as conn:
        rows = commitments_of(conn, live_server.team_id.hex)
    assert len([row for row in rows if row.meeting_id == recorded[0].meeting_id]) == 2
    commitment = services.app.commitment(commitment_id)
    assert commitment.version == version + 1 and commitment.status == "in_progress"  # one follow-up
