"""Typed work in a real browser, with and without JavaScript: Back, then send again, records nothing twice; a
session that ends while the form is typed loses nothing, and nothing is sent without the user's confirmation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import offline_layer_settled
from tests.e2e.test_secretary_in_browser import PHONE, log_in
from tracker.queries.team_record import members_and_meetings

PLACE = "Айыл өкмөтүнүн чоң залы"
MINUTES = "Протокол: көчө жарыгы тууралуу сүйлөштүк."
DECISION = "Борбордук көчөгө жарык орнотуу"


def meetings_of(live_server) -> int:
    with live_server.services.engine.connect() as conn:
        return len(members_and_meetings(conn, live_server.team_id)[1])


@pytest.fixture(params=["with JavaScript", "without JavaScript"])
def phone(request, browser: Browser) -> Page:
    context = browser.new_context(
        java_script_enabled=request.param == "with JavaScript", viewport=PHONE, locale="en-US"
    )
    yield context.new_page()
    context.close()


def fill_meeting(page: Page) -> None:
    page.get_by_label("Place").fill(PLACE)
    page.get_by_label("Minutes", exact=True).fill(MINUTES)
    page.locator('[name="decisions-0-text"]').fill(DECISION)


def test_back_then_send_again_records_the_meeting_once(phone: Page, live_server) -> None:
    log_in(phone, live_server)
    before = meetings_of(live_server)
    phone.goto(f"{live_server.url}/secretary/teams/{live_server.team_id}/meetings/new")
    fill_meeting(phone)
    phone.get_by_role("button", name="Record the meeting").click()
    expect(phone.get_by_text("The meeting was recorded.")).to_be_visible()
    assert meetings_of(live_server) == before + 1
    # Back to the form, as the browser keeps it, and send it again
    phone.go_back()
    expect(phone.get_by_label("Place")).to_have_value(PLACE)
    phone.get_by_role("button", name="Record the meeting").click()
    expect(phone.get_by_text("This form was already sent")).to_be_visible()
    assert meetings_of(live_server) == before + 1
    # The page links to the record; sending the form once more is a deliberate second record
    expect(phone.get_by_role("link", name="See the record")).to_be_visible()
    expect(phone.get_by_label("Place")).to_have_value(PLACE)
    phone.get_by_role("button", name="Record the meeting").click()
    expect(phone.get_by_text("The meeting was recorded.")).to_be_visible()
    assert meetings_of(live_server) == before + 2


def test_a_session_that_ends_while_typing_loses_nothing_and_sends_nothing_unconfirmed(phone: Page, live_server) -> None:
    # Given a secretary typing a meeting whose session ends meanwhile (the phone drops the cookie)
    log_in(phone, live_server)
    before = meetings_of(live_server)
    form = f"{live_server.url}/secretary/teams/{live_server.team_id}/meetings/new"
    phone.goto(form)
    if phone.evaluate("Boolean(window.TrackerOutbox)"):
        offline_layer_settled(phone)  # its background requests would set the session cookie again
    fill_meeting(phone)
    phone.context.clear_cookies()
    # When she sends it
    phone.get_by_role("button", name="Record the meeting").click()
    # Then nothing is recorded, and the page says what she typed is kept
    expect(phone.get_by_role("heading", name="Your session ended: what you typed is kept")).to_be_visible()
    assert meetings_of(live_server) == before
    # When she logs in again from that page
    phone.get_by_label("Username").fill(live_server.secretary)
    phone.get_by_label("Password").fill(live_server.password)
    phone.get_by_role("button", name="Log in", exact=True).click()
    # Then the form is back, filled in, and still nothing is recorded until she sends it
    expect(phone.get_by_text("This is what you typed before your session ended.")).to_be_visible()
    assert phone.url == form
    expect(phone.get_by_label("Place")).to_have_value(PLACE)
    expect(phone.get_by_label("Minutes", exact=True)).to_have_value(MINUTES)
    assert meetings_of(live_server) == before
    phone.get_by_role("button", name="Record the meeting").click()
    expect(phone.get_by_text("The meeting was recorded.")).to_be_visible()
    assert meetings_of(live_server) == before + 1


def test_with_javascript_a_page_left_unsent_keeps_its_draft_and_key(browser: Browser, live_server) -> None:
    context = browser.new_context(viewport=PHONE, locale="en-US")
    phone = context.new_page()
    log_in(phone, live_server)
    before = meetings_of(live_server)
    form = f"{live_server.url}/secretary/teams/{live_server.team_id}/meetings/new"
    phone.goto(form)
    fill_meeting(phone)
    key = phone.locator('[name="idempotency_key"]').input_value()
    # the phone leaves the page without sending (a wrong tap, a lost tab) and comes back to the form
    phone.goto(f"{live_server.url}/secretary/")
    phone.goto(form)
    expect(phone.get_by_text("What you typed here before and did not send was put back.")).to_be_visible()
    expect(phone.get_by_label("Place")).to_have_value(PLACE)
    assert phone.locator('[name="idempotency_key"]').input_value() == key
    phone.get_by_role("button", name="Record the meeting").click()
    expect(phone.get_by_text("The meeting was recorded.")).to_be_visible()
    assert meetings_of(live_server) == before + 1
    # once recorded, the draft is gone: the form is fresh again
    phone.goto(form)
    expect(phone.get_by_label("Place")).to_have_value("")
    expect(phone.get_by_text("What you typed here before and did not send was put back.")).to_be_hidden()
    context.close()


def test_the_meeting_form_with_errors_on_a_kyrgyz_phone(browser: Browser, live_server) -> None:
    """The picture in docs/screenshots: every error in the summary at the top, in Kyrgyz, at 360 px."""
    from tests.e2e.test_secretary_in_browser import shoot

    context = browser.new_context(viewport=PHONE, locale="ky-KG")
    phone = context.new_page()
    phone.goto(f"{live_server.url}/login")
    phone.locator('[name="username"]').fill(live_server.secretary)
    phone.locator('[name="password"]').fill(live_server.password)
    phone.locator('form.card button[type="submit"]').click()
    phone.goto(f"{live_server.url}/secretary/teams/{live_server.team_id}/meetings/new")
    phone.locator('[name="place"]').fill("Мектеп")
    phone.locator('[name="decisions-0-commitments-0-description"]').fill("Чырак сатып алуу")
    phone.locator('[name="decisions-0-commitments-1-description"]').fill("Орнотуу")
    phone.locator('[name="decisions-0-commitments-0-due_on"]').fill("2001-01-01")
    phone.locator('[name="save"]').click()
    summary = phone.locator(".error-summary")
    expect(summary).to_be_visible()
    assert summary.locator("li").count() >= 3
    assert "This field is required." not in phone.content()
    shoot(phone, "meeting-form-errors-phone-ky", PHONE)
    context.close()
