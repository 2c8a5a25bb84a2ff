"""Reach and privacy: every page a reader needs is linked, each role lands on its own page, a member reads the
team-only text of their own team (never confidential text), secretaries see every item's visibility and are told
when what they type will be published, and an admin erases an item named by its reference after confirming it."""

from __future__ import annotations

import re
from datetime import date

from tests.story import BY
from tests.web.conftest import PASSWORD, logged_in
from tracker.application.drafts import CommitmentDraft, DecisionDraft

PUBLISHED = "This commitment is public: this text will be published in the public report."


def hrefs(page: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page))


def test_the_public_team_page_links_its_report_in_every_form_and_each_members_ledger(web, world):
    # given a team with members
    team = world.a.team_id
    # when anyone opens its public page
    page = web.test_client().get(f"/teams/{team}").get_data(as_text=True)
    # then it links to the report as a page, PDF, CSV and JSON, and to each current member's ledger
    links = hrefs(page)
    for suffix in ("report", "report.pdf", "report.csv", "report.json"):
        assert f"/teams/{team}/{suffix}" in links
    for member in (world.a.chair, world.a.police, world.a.youth):
        assert f"/teams/{team}/members/{member}" in links
    # and every one of those links opens (the PDF is left out: its rendering is tested elsewhere)
    client = web.test_client()
    for link in links:
        if link.startswith(f"/teams/{team}/") and not link.endswith(".pdf"):
            assert client.get(link).status_code == 200, link


def test_open_data_is_linked_from_every_page_and_replay_from_the_auditors_nav(web, world):
    assert "/open-data/download" in hrefs(web.test_client().get("/").get_data(as_text=True))
    auditor = logged_in(web, "auditor_a")
    assert "/audit/replay" in hrefs(auditor.get("/audit/").get_data(as_text=True))
    # replay asked with nothing chosen offers a form to choose the team and the point, not an error
    chooser = auditor.get("/audit/replay")
    assert chooser.status_code == 200
    assert f'value="{world.a.team_id.hex}"' in chooser.get_data(as_text=True)
    assert 'name="leaf"' in chooser.get_data(as_text=True)


def test_admin_has_a_home_linking_teams_users_erasure_and_the_audit(web, world):
    page = logged_in(web, "admin").get("/admin/")
    assert page.status_code == 200
    assert {"/admin/teams", "/admin/users", "/admin/erase", "/audit/", "/audit/replay"} <= hrefs(
        page.get_data(as_text=True)
    )
    for role in ("member_a", "auditor_a", "secretary_a"):
        assert logged_in(web, role).get("/admin/").status_code == 403, role
    assert "/login" in web.test_client().get("/admin/").headers["Location"]


def test_each_role_lands_on_its_own_page_and_a_safe_next_still_wins(web, world):
    landings = {"admin": "/admin/", "auditor_a": "/audit/", "secretary_a": "/secretary/", "member_a": "/member/"}
    for role, landing in landings.items():
        response = web.test_client().post("/login", data={"username": role, "password": PASSWORD})
        assert response.headers["Location"] == landing, role
    wanted = f"/teams/{world.a.team_id}/report"
    response = web.test_client().post(f"/login?next={wanted}", data={"username": "admin", "password": PASSWORD})
    assert response.headers["Location"] == wanted


def test_a_member_reads_the_team_only_text_of_their_team_and_never_its_confidential_text(web, services, world):
    # given a team-only commitment beside the story's public and confidential ones
    app, a = services.app, world.a
    app.record_meeting(
        a.team_id,
        held_on=date(2015, 4, 2),
        kind="regular",
        place="Мектеп",
        attendee_ids=[a.chair],
        minutes="Ички протокол",
        minutes_visibility="team",
        decisions=[
            DecisionDraft("Топтун ички чечими", "team", [CommitmentDraft("Ички иш", date(2015, 5, 2), "team", a.chair)])
        ],
        by=BY,
    )
    member = logged_in(web, "member_a")
    # when the member opens their area
    home = member.get("/member/")
    assert home.headers["Location"] == f"/member/teams/{a.team_id}"  # one team: straight to it
    page = member.get(home.headers["Location"])
    assert page.status_code == 200
    shown = page.get_data(as_text=True)
    # then team-only and public text shows, with each item's visibility
    for text in ("Ички протокол", "Топтун ички чечими", "Ички иш", "Протокол: жарык", "Борбордук көчөгө жарык орнотуу"):
        assert text in shown, text
    assert "visibility-team" in shown and "visibility-public" in shown and "visibility-confidential" in shown
    # and confidential text never does, nor is any confidential read logged for the member
    for secret in ("Мектепте акча талап кылган", "Ата-энелер менен жашыруун сүйлөшүү"):
        assert secret not in shown
    assert not [e for e in services.reader.access_log.entries(a.team_id) if e.viewer == "user:member_a"]
    # and the member link is in their nav
    assert "/member/" in hrefs(shown)


def test_the_member_page_is_refused_for_other_teams_and_other_readers(web, world):
    assert logged_in(web, "member_a").get(f"/member/teams/{world.b_team}").status_code == 403
    assert logged_in(web, "secretary_b").get(f"/member/teams/{world.a.team_id}").status_code == 403
    assert logged_in(web, "auditor_a").get(f"/member/teams/{world.a.team_id}").status_code == 403
    assert "/login" in web.test_client().get(f"/member/teams/{world.a.team_id}").headers["Location"]


def test_secretary_pages_show_each_items_visibility(web, world):
    a, secretary = world.a, logged_in(web, "secretary_a")
    meeting = secretary.get(f"/secretary/meetings/{a.meeting.id}").get_data(as_text=True)
    # the minutes, both decisions and all three commitments carry a badge
    assert meeting.count('class="badge visibility-') == 1 + 2 + 3
    assert meeting.count("visibility-confidential") == 2  # the confidential decision and its commitment
    confidential = secretary.get(f"/secretary/commitments/{a.meeting.commitment_ids[2]}").get_data(as_text=True)
    assert "visibility-confidential" in confidential
    follow_ups = secretary.get(f"/secretary/teams/{a.team_id}/follow-ups").get_data(as_text=True)
    assert follow_ups.count("visibility-public") == 2 and follow_ups.count("visibility-confidential") == 1
    team = secretary.get(f"/secretary/teams/{a.team_id}").get_data(as_text=True)
    assert "visibility-team" in team  # the meeting's minutes


def test_a_public_commitments_reasons_and_notes_say_they_will_be_published(web, world):
    secretary = logged_in(web, "secretary_a")
    public = secretary.get(f"/secretary/commitments/{world.a.meeting.commitment_ids[0]}").get_data(as_text=True)
    # follow-up note, due-date reason, hand-over reason, visibility reason
    assert public.count(PUBLISHED) == 4
    confidential = secretary.get(f"/secretary/commitments/{world.a.meeting.commitment_ids[2]}").get_data(as_text=True)
    assert PUBLISHED not in confidential
    assert "If you make this commitment public" in confidential


def test_a_closed_public_commitments_reopen_reason_says_it_will_be_published(web, services, world):
    commitment = world.a.meeting.commitment_ids[0]
    services.app.report_follow_up(commitment, on=date(2015, 4, 9), status="kept", note="Бүттү", by=BY)
    page = logged_in(web, "secretary_a").get(f"/secretary/commitments/{commitment}").get_data(as_text=True)
    assert "/reopen" in page
    assert page.count(PUBLISHED) == 2  # reopen reason, visibility reason


def test_history_names_who_recorded_and_when_in_the_teams_time(web, world):
    secretary = logged_in(web, "secretary_a")
    commitment = world.a.meeting.commitment_ids[0]
    form = {"on": "2015-04-02", "status": "in_progress", "note": "Жүрүп жатат", "meeting_id": ""}
    assert secretary.post(f"/secretary/commitments/{commitment}/follow-up", data=form).status_code == 302
    page = secretary.get(f"/secretary/commitments/{commitment}").get_data(as_text=True)
    assert "user:secretary_a" not in page and "UTC" not in page
    assert "by secretary_a" in page and "GMT+06:00" in page  # the team is in Kyrgyzstan (Asia/Bishkek)


def test_the_meeting_page_shows_a_named_body_as_owner_not_a_placeholder(web, world):
    page = logged_in(web, "secretary_a").get(f"/secretary/meetings/{world.a.meeting.id}").get_data(as_text=True)
    assert "Мирный айыл өкмөтү" in page
    assert "a named body" not in page and "None" not in page


def test_admin_erases_a_commitment_named_by_its_reference_only_after_confirming_it(web, services, world):
    app, admin = services.app, logged_in(web, "admin")
    commitment = world.a.meeting.commitment_ids[0]
    head = app.recorder.max_notification_id()
    # when the admin names the commitment by its reference
    first = admin.post("/admin/erase", data={"item_id": "mir-2015-01", "reason": "person_request"})
    # then nothing is erased yet: the item is named for them to confirm
    assert first.status_code == 200
    assert app.recorder.max_notification_id() == head
    shown = first.get_data(as_text=True)
    for fact in ("MIR-2015-01", str(commitment), "Мирный", "12 чырак сатып алууну суроо", "MIR-2015-02"):
        assert fact in shown, fact
    assert f'name="confirmed" type="hidden" value="{commitment.hex}"' in shown
    assert 'name="csrf_token"' in shown
    # when they confirm
    confirmed = admin.post(
        "/admin/erase", data={"item_id": "mir-2015-01", "reason": "person_request", "confirmed": commitment.hex}
    )
    # then it is erased, and the message names the reference and the id of what was confirmed
    assert confirmed.status_code == 302
    assert app.recorder.max_notification_id() > head
    message = admin.get("/admin/erase").get_data(as_text=True)
    assert f"The text of commitment MIR-2015-01 (id {commitment}) was destroyed for good" in message
    public = web.test_client().get(f"/teams/{world.a.team_id}").get_data(as_text=True)
    assert "12 чырак сатып алууну суроо" not in public


def test_a_confirmation_for_another_item_erases_nothing_and_asks_again(web, services, world):
    app, admin = services.app, logged_in(web, "admin")
    head = app.recorder.max_notification_id()
    data = {"item_id": "MIR-2015-01", "reason": "person_request", "confirmed": world.b_commitment.hex}
    again = admin.post("/admin/erase", data=data)
    assert again.status_code == 200 and "MIR-2015-01" in again.get_data(as_text=True)
    assert app.recorder.max_notification_id() == head


def test_admin_erase_names_meetings_and_decisions_by_id_and_refuses_an_unknown_name(web, services, world):
    admin = logged_in(web, "admin")
    meeting = admin.post("/admin/erase", data={"item_id": str(world.a.meeting.id), "reason": "court_order"})
    assert meeting.status_code == 200 and "Meeting: its minutes, agenda and place" in meeting.get_data(as_text=True)
    decision = admin.post("/admin/erase", data={"item_id": world.b_decision.hex, "reason": "court_order"})
    assert decision.status_code == 200 and "Ворух" in decision.get_data(as_text=True)
    unknown = admin.post("/admin/erase", data={"item_id": "MIR-2099-99", "reason": "court_order"})
    assert unknown.status_code == 422
    assert "No meeting, decision, commitment, problem or member MIR-2099-99 was found." in unknown.get_data(
        as_text=True
    )


def test_a_member_searching_a_reference_of_their_team_lands_on_it_in_their_area(web, world):
    found = logged_in(web, "member_a").get("/search", query_string={"q": "MIR-2015-03"})
    assert found.headers["Location"] == f"/member/teams/{world.a.team_id}#c-{world.a.meeting.commitment_ids[2].hex}"
    page = logged_in(web, "member_a").get(f"/member/teams/{world.a.team_id}").get_data(as_text=True)
    assert page.count(f'id="c-{world.a.meeting.commitment_ids[2].hex}"') == 1
