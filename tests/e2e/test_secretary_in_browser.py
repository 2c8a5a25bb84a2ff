"""A secretary records a meeting and reports a follow-up in a real browser, at phone and desktop widths."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

PLACE = "Айыл өкмөтүнүн чоң залы"
AGENDA = ["Көчөгө жарык орнотуу", "Мектептин жанындагы жол"]
MINUTES = "Протокол: көчө жарыгы жана жол тууралуу сүйлөштүк. Үч адам сүйлөдү; баары макул болушту, эң жакшы."
DECISION = "Борбордук көчөгө жарык орнотуу"
BY_MEMBER = "Айгүл Осмонова он эки чырак сатып алууну айыл өкмөтүнөн суранат"
BY_BODY = "Чырактарды мамыларга орнотуу жана иштетүү"
BODY = "Мирный айыл өкмөтү"
NOTE = "Чырактар сатылып алынды; эң акыркысы дүйшөмбүдө орнотулат, бирөө гана калды"


def shoot(page: Page, name: str, viewport: dict[str, int]) -> None:
    """A full-page picture at a width, after checking that nothing runs off its side."""
    page.set_viewport_size(viewport)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: the page is {overflow}px wider than a {viewport['width']}px screen"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def follow(page: Page, link: Locator) -> None:
    """Click a link, and check it led to a page."""
    with page.expect_navigation():
        link.click()
    assert "404" not in page.title(), page.url


def log_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Username").fill(live_server.secretary)
    page.get_by_label("Password").fill(live_server.password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Your teams")).to_be_visible()


def fill_commitment(page: Page, number: int, description: str, due_on: str) -> None:
    prefix = f"decisions-0-commitments-{number}"
    page.locator(f'[name="{prefix}-description"]').fill(description)
    page.locator(f'[name="{prefix}-due_on"]').fill(due_on)
    page.locator(f'[name="{prefix}-visibility"]').select_option("public")


def test_a_secretary_records_a_meeting_and_reports_a_follow_up(page: Page, live_server) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, live_server)

    follow(page, page.get_by_role("link", name="Record a meeting"))
    expect(page.get_by_role("heading", name="Record a meeting of Мирный")).to_be_visible()
    page.get_by_label("Held on").fill("2025-06-20")
    page.get_by_label("Place").fill(PLACE)
    page.get_by_label("Айгүл Осмонова").check()
    page.get_by_label("Азамат Өмүрбеков").check()
    page.get_by_label("Guests: women").fill("5")
    page.get_by_label("Guests: men").fill("3")
    page.get_by_label("Agenda (one item a line)").fill("\n".join(AGENDA))
    page.get_by_label("Minutes", exact=True).fill(MINUTES)
    page.locator('[name="decisions-0-text"]').fill(DECISION)
    page.locator('[name="decisions-0-visibility"]').select_option("public")
    fill_commitment(page, 0, BY_MEMBER, "2025-07-15")
    page.locator('[name="decisions-0-commitments-0-owner_member_id"]').select_option(label="Айгүл Осмонова")
    fill_commitment(page, 1, BY_BODY, "2025-08-31")
    page.locator('[name="decisions-0-commitments-1-owner_body"]').fill(BODY)
    shoot(page, "secretary-meeting-form-phone", PHONE)
    shoot(page, "secretary-meeting-form-desktop", DESKTOP)

    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_role("status")).to_have_text("The meeting was recorded.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting of Jun 20, 2025")
    facts = page.locator("dl.facts")
    for shown in [PLACE, "Айгүл Осмонова", "Азамат Өмүрбеков", "5 women, 3 men", *AGENDA, MINUTES]:
        expect(facts).to_contain_text(shown)
    expect(page.locator("section.card").first).to_contain_text(DECISION)
    commitments = page.locator("ul.commitments > li")
    expect(commitments).to_have_count(2)
    expect(commitments.nth(0)).to_contain_text(
        re.compile(rf"MIR-2025-01\s+Open\s+Public\s+{re.escape(BY_MEMBER)}\s+— Айгүл Осмонова, due Jul 15, 2025")
    )
    expect(commitments.nth(1)).to_contain_text(
        re.compile(rf"MIR-2025-02\s+Open\s+Public\s+{re.escape(BY_BODY)}\s+— {BODY}, due Aug 31, 2025")
    )
    shoot(page, "secretary-meeting-recorded-desktop", DESKTOP)
    shoot(page, "secretary-meeting-recorded-phone", PHONE)

    follow(page, page.get_by_role("link", name="MIR-2025-01"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("MIR-2025-01")
    expect(page.locator("p.lead")).to_have_text(BY_MEMBER)
    follow_up = page.locator("form", has=page.get_by_role("button", name="Record the follow-up"))
    follow_up.get_by_label("Status").select_option(label="Kept")
    follow_up.get_by_label("Note").fill(NOTE)
    follow_up.get_by_role("button", name="Record the follow-up").click()

    expect(page.get_by_role("status")).to_have_text("The follow-up was recorded.")
    expect(page.locator("h1 .badge.status-kept")).to_have_text("Kept")
    history = page.locator("ol.history > li")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text(re.compile(r"Jun 30, 2025 · Follow-up\s+Kept"))
    expect(history.first).to_contain_text(NOTE)
    expect(history.first).to_contain_text("by Гүлнара")
    shoot(page, "secretary-follow-up-phone", PHONE)


def test_every_link_on_the_secretary_pages_leads_to_a_page(page: Page, live_server) -> None:
    log_in(page, live_server)
    meeting = live_server.story.meeting
    pages = [
        "/secretary/",
        f"/secretary/teams/{live_server.team_id}",
        f"/secretary/teams/{live_server.team_id}/follow-ups",
        f"/secretary/meetings/{meeting.id}",
        f"/secretary/commitments/{meeting.commitment_ids[0]}",
    ]
    broken = []
    for path in pages:
        page.goto(live_server.url + path)
        hrefs = page.locator("main a[href]").evaluate_all("links => links.map(link => link.getAttribute('href'))")
        assert hrefs, f"{path} has links"
        for href in hrefs:
            status = page.request.get(live_server.url + href).status
            if status != 200:
                broken.append(f"{path} -> {href}: {status}")
    assert not broken, "\n".join(broken)


def test_a_secretary_changes_her_password_and_logs_in_with_it(page: Page, live_server) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    follow(page, page.get_by_role("link", name="Password", exact=True))
    expect(page.get_by_role("heading", name="Change password")).to_be_visible()
    # a mistyped repeat is refused, next to the field and in the summary at the top (password fields come back
    # empty, as browsers expect)
    page.get_by_label("Current password", exact=True).fill(live_server.password)
    page.get_by_label("New password", exact=True).fill("a new and long password")
    page.get_by_label("New password again", exact=True).fill("a new and long pasword")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("p.error", has_text="The two new passwords differ.")).to_be_visible()
    expect(page.locator(".error-summary a", has_text="New password again")).to_be_visible()
    shoot(page, "password-phone", PHONE)
    page.get_by_label("Current password", exact=True).fill(live_server.password)
    page.get_by_label("New password", exact=True).fill("a new and long password")
    page.get_by_label("New password again", exact=True).fill("a new and long password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()
    # the next login takes the new password
    page.get_by_role("button", name=re.compile("^Log out")).click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()  # the outbox checks the phone first
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Username").fill(live_server.secretary)
    page.get_by_label("Password").fill("a new and long password")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Your teams")).to_be_visible()
