"""Recording without a connection, in a real browser (Debian's Chromium): what is recorded offline waits in the
outbox on the phone, survives closing the page, a service-worker update and an ended session, and is recorded
exactly once when the connection returns; a refused item stays, to edit or discard, and blocks nothing else."""

from __future__ import annotations

import re
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

BY = "user:secretary_a"  # as the secretary's own page records
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PLACE = "Мектептин залы"
DECISION = "Мектептин жанына жарык орнотуу"
MONDAY = "2025-06-23"
PHONE_TIME = datetime(2025, 6, 30, 20, 30, tzinfo=UTC)  # 02:30 on 1 July in Osh; the server's clock is 30 June


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:  # closed before the server stops
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
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOTS / "offline-meeting-form-phone.png"))
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


def ready_phone(context: BrowserContext, live_server: Any, path: str) -> Page:
    """A secretary's phone, logged in, on `path`, with the offline layer in place (worker, copies)."""
    page = context.new_page()
    log_in(page, live_server)
    page.goto(f"{live_server.url}{path}")
    offline_layer_settled(page)
    return page


def follow_up_offline(page: Page, live_server: Any, commitment_id: Any, note: str) -> None:
    page.goto(f"{live_server.url}/secretary/commitments/{commitment_id}")
    page.get_by_label("Date", exact=True).fill("2025-06-28")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Record the follow-up").click()
    expect(page.get_by_text("No connection: this was kept on this phone")).to_be_visible()


def outbox_items(page: Page) -> list[dict[str, Any]]:
    return page.evaluate("TrackerOutbox.items()")


def abort(route: Any) -> None:
    route.abort("internetdisconnected")


def test_a_meeting_sent_twice_on_a_flaky_connection_is_recorded_once(context: BrowserContext, live_server: Any) -> None:
    meeting_form = f"/secretary/teams/{live_server.team_id}/meetings/new"
    page = ready_phone(context, live_server, meeting_form)
    before = len(meetings(live_server))

    def answer_lost(route: Any) -> None:  # the form reaches the server, its answer never reaches the phone
        if route.request.method == "POST":
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/meetings/new", answer_lost)
    context.route("**/api/**", abort)  # and the outbox cannot send it again yet
    page.goto(f"{live_server.url}{meeting_form}")
    fill_offline_meeting(page)
    page.get_by_role("button", name="Record the meeting").click()
    # the first try was recorded, but the phone does not know: it keeps the form, under the form's key
    expect(page.get_by_text("No connection: this was kept on this phone")).to_be_visible()
    wait_until(lambda: len(meetings(live_server)) == before + 1)
    assert len(outbox_items(page)) == 1
    # When the connection returns, the outbox sends it again: the server answers the first result, once
    context.unroute("**/meetings/new", answer_lost)
    context.unroute("**/api/**", abort)
    page.reload()  # sent on load (or already by Background Sync, whichever comes first)
    wait_until(lambda: outbox_items(page) == [])
    expect(page.locator("[data-outbox-badge]")).to_be_hidden()
    assert len([m for m in meetings(live_server) if m.place == PLACE]) == 1


def test_items_queued_when_the_session_ended_are_sent_after_logging_in(
    context: BrowserContext, live_server: Any
) -> None:
    commitment_id = live_server.story.meeting.commitment_ids[0]
    page = ready_phone(context, live_server, f"/secretary/commitments/{commitment_id}")
    version = live_server.services.app.commitment(commitment_id).version
    with Cut(context, live_server):
        follow_up_offline(page, live_server, commitment_id, "Сессия бүттү")
        context.route("**/api/**", abort)  # not sent before the session ends
    # the session ends while the phone waits (expired, or the cookie is gone)
    context.clear_cookies()
    context.unroute("**/api/**", abort)
    page.goto(f"{live_server.url}/secretary/outbox")
    # Then the login page says what waits, and nothing is sent
    expect(page.locator("[data-outbox-badge]")).to_have_text("Log in to send 1 item")
    assert live_server.services.app.commitment(commitment_id).version == version
    assert len(outbox_items(page)) == 1
    # When she logs in again, it is sent
    page.get_by_label("Username").fill(live_server.secretary)
    page.get_by_label("Password").fill(live_server.password)
    page.get_by_role("button", name="Log in", exact=True).click()
    wait_until(lambda: live_server.services.app.commitment(commitment_id).version == version + 1)
    wait_until(lambda: outbox_items(page) == [])
    expect(page.locator("[data-outbox-badge]")).to_be_hidden()


def test_a_reused_key_and_a_commitment_closed_meanwhile_stay_in_the_outbox_and_block_nothing(
    context: BrowserContext, live_server: Any
) -> None:
    app = live_server.services.app
    closed, other, _ = live_server.story.meeting.commitment_ids
    page = ready_phone(context, live_server, f"/secretary/teams/{live_server.team_id}/meetings/new")
    before = len(meetings(live_server))
    with Cut(context, live_server):
        follow_up_offline(page, live_server, closed, "Кеч келди")
        follow_up_offline(page, live_server, other, "Ачкыч башка")
        page.goto(f"{live_server.url}/secretary/teams/{live_server.team_id}/meetings/new")
        fill_offline_meeting(page)
        page.get_by_role("button", name="Record the meeting").click()
        expect(page.locator("[data-outbox-badge]")).to_have_text("3 unsent")
        context.route("**/api/**", abort)  # nothing is sent when the connection returns, until the server is set
    # Meanwhile, on the server: the first commitment is closed, and the second item's key was used for other content
    app.report_follow_up(closed, on=date(2025, 6, 29), status="kept", note="Бүттү", by=BY)
    key = next(item["key"] for item in outbox_items(page) if item["action"].endswith(f"{other}/follow-up"))
    app.report_follow_up(other, on=date(2025, 6, 29), status="in_progress", note="Башка", by=BY, idempotency_key=key)
    # When the phone sends
    context.unroute("**/api/**", abort)
    page.goto(f"{live_server.url}/secretary/outbox")
    page.get_by_role("button", name="Send now").click()
    # Then the meeting is recorded, and the two refused items stay, each saying why
    wait_until(lambda: len(meetings(live_server)) == before + 1)
    refused = page.locator(".outbox-item.refused")
    expect(refused).to_have_count(2)
    expect(refused.filter(has_text="key was used before for other content")).to_have_count(1)
    expect(refused.filter(has_text="Refused:")).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "outbox-refused-phone.png"), full_page=True)
    # the closed commitment's follow-up is discarded; the other is edited, sent with a key of its own, and recorded
    refused.filter(has_text="Refused:").get_by_role("button", name="Discard").click()
    expect(refused).to_have_count(1)
    version = app.commitment(other).version
    refused.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Note")).to_have_value("Ачкыч башка")
    page.get_by_label("Date", exact=True).fill("2025-06-30")  # after the follow-up recorded meanwhile
    page.get_by_role("button", name="Record the follow-up").click()
    expect(page.get_by_text("The follow-up was recorded.")).to_be_visible()
    assert app.commitment(other).version == version + 1
    wait_until(lambda: outbox_items(page) == [])


def test_a_service_worker_update_keeps_and_sends_what_waits(context: BrowserContext, live_server: Any) -> None:
    commitment_id = live_server.story.meeting.commitment_ids[0]
    page = ready_phone(context, live_server, f"/secretary/commitments/{commitment_id}")
    old = page.evaluate("caches.keys()")
    version = live_server.services.app.commitment(commitment_id).version
    with Cut(context, live_server):
        follow_up_offline(page, live_server, commitment_id, "Жаңы версия")
        context.route("**/api/**", abort)  # the outbox cannot send before the update
    # A new version of the app is deployed while the item waits, and the phone takes it
    live_server.app.config["OFFLINE_VERSION"] = "next"
    page.evaluate("navigator.serviceWorker.getRegistration('/secretary/').then(r => r.update())")
    wait_until(lambda: "tracker-static-next" in page.evaluate("caches.keys()"))
    wait_until(lambda: not set(page.evaluate("caches.keys()")) & (set(old) - {"tracker-pages"}))
    assert len(outbox_items(page)) == 1
    # and when it can send, what waited is recorded
    context.unroute("**/api/**", abort)
    page.goto(f"{live_server.url}/secretary/outbox")
    wait_until(lambda: live_server.services.app.commitment(commitment_id).version == version + 1)
    wait_until(lambda: outbox_items(page) == [])


def test_logging_out_with_unsent_items_asks_first_and_discarding_wipes_the_phone(
    context: BrowserContext, live_server: Any
) -> None:
    commitment_id = live_server.story.meeting.commitment_ids[0]
    page = ready_phone(context, live_server, f"/secretary/commitments/{commitment_id}")
    version = live_server.services.app.commitment(commitment_id).version
    with Cut(context, live_server):
        follow_up_offline(page, live_server, commitment_id, "Чыгуу")
        context.route("**/api/**", abort)
    page.goto(f"{live_server.url}/secretary/")
    page.get_by_role("button", name=re.compile("^Log out")).click()
    question = page.locator("[data-logout-question]")
    expect(question).to_contain_text("1 item not sent: send it first, or discard it?")
    question.get_by_role("button", name="Cancel").click()
    expect(question).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("^Log out"))).to_be_visible()  # still logged in
    page.get_by_role("button", name=re.compile("^Log out")).click()
    page.locator("[data-logout-question]").get_by_role("button", name="Discard and log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto(f"{live_server.url}/login")
    assert outbox_items(page) == []
    assert "tracker-pages" not in page.evaluate("caches.keys()")
    assert live_server.services.app.commitment(commitment_id).version == version  # discarded, never sent


def test_on_a_shared_phone_the_next_account_neither_sees_the_last_ones_pages_nor_touches_its_outbox(
    context: BrowserContext, live_server: Any
) -> None:
    app, team_id = live_server.services.app, live_server.team_id
    other = app.register_user(username="secretary_b", display_name="Бакыт", password=live_server.password, by=BY)
    app.grant_role(other, role="secretary", team_id=team_id, by=BY)
    commitment_id = live_server.story.meeting.commitment_ids[0]
    # Given secretary A's item waiting on the phone, and A's session ending without logging out
    page = ready_phone(context, live_server, f"/secretary/commitments/{commitment_id}")
    first = page.evaluate("TrackerOutbox.meta('copies-of')")
    with Cut(context, live_server):
        follow_up_offline(page, live_server, commitment_id, "А жазды")
        context.route("**/api/**", abort)
    context.clear_cookies()
    context.unroute("**/api/**", abort)
    # When secretary B logs in on the same phone at once, while its background requests are still answered (they
    # set no cookie, so none can replace the login page's session and make its form's token stale)
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Username").fill("secretary_b")
    page.get_by_label("Password").fill(live_server.password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Your teams")).to_be_visible()
    # Then A's copies are gone (B's own replace them), and A's item is neither sent, counted nor B's to discard
    wait_until(lambda: page.evaluate("TrackerOutbox.meta('copies-of')") == other.hex)
    assert first != other.hex
    page.goto(f"{live_server.url}/secretary/outbox")
    expect(page.get_by_text("Kept for another account: log in as that account to send it.")).to_be_visible()
    expect(page.locator(".outbox-item").get_by_role("button", name="Discard")).to_have_count(0)
    expect(page.locator("[data-outbox-badge]").first).to_be_hidden()
    assert len(outbox_items(page)) == 1
    # and logging out leaves A's item for A
    page.get_by_role("button", name=re.compile("^Log out")).click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    log_in(page, live_server)
    wait_until(lambda: outbox_items(page) == [])  # A is back: sent
    assert app.commitment(commitment_id).status == "in_progress"
