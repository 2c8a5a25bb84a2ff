"""The audit pages: auditors and admins only; every event with its leaf; text for auditors in scope, logged;
replay of a team as recorded by a past leaf, beside today's."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.story import BY
from tests.web.conftest import PASSWORD, logged_in
from tracker.domain.timing import is_late_entry


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("member_a", 403), ("secretary_a", 403), ("auditor_a", 200), ("admin", 200)],
)
def test_only_auditors_and_admins_see_the_event_log(web, world, role, status):
    assert logged_in(web, role).get("/audit/").status_code == status


def test_an_auditor_reads_the_log_with_text_of_teams_in_scope_and_every_reading_is_logged(web, services, world):
    client = logged_in(web, "auditor_a")
    html = client.get("/audit/", query_string={"team": str(world.a.team_id)}).get_data(as_text=True)
    assert "Meeting.Held" in html and "Commitment.Made" in html
    assert "Мектепте акча талап кылган окуучулар менен иштөө" in html  # a confidential decision, in scope
    assert services.app.access_log.entries(world.a.team_id)
    other = client.get("/audit/", query_string={"team": str(world.b_team)}).get_data(as_text=True)
    assert "Равшанӣ" not in other and "[not public]" in other  # out of scope: withheld
    admin = logged_in(web, "admin").get("/audit/", query_string={"team": str(world.a.team_id)}).get_data(as_text=True)
    assert "Мектепте акча" not in admin
    history = client.get(f"/audit/records/{world.a.meeting.commitment_ids[0]}").get_data(as_text=True)
    assert "Commitment.Made" in history


def test_replay_shows_the_record_as_it_was_beside_today(web, services, world):
    head_leaf = services.signed_log.head()[0] - 1
    services.app.report_follow_up(world.a.meeting.commitment_ids[0], on=date(2015, 4, 20), status="kept", by=BY)
    html = (
        logged_in(web, "auditor_a")
        .get("/audit/replay", query_string={"team": str(world.a.team_id), "leaf": head_leaf})
        .get_data(as_text=True)
    )
    # the commitment, its owner's ledger and the dashboard's count of kept commitments changed
    assert html.count('class="changed"') >= 3
    assert "MIR-2015-01" in html and "Commitments kept" in html
    assert PASSWORD not in html


def test_a_replay_by_a_past_leaf_equals_the_report_produced_at_that_time(web, services, world):
    from tracker.queries.public_record import build_public_report

    today = services.app.today_for(world.a.team_id)
    position = services.projections.position("commitments")
    with services.engine.connect() as conn:
        produced_then = build_public_report(conn, world.a.team_id.hex, today, position)
    services.app.report_follow_up(world.a.meeting.commitment_ids[0], on=date(2015, 4, 20), status="kept", by=BY)
    services.app.annul_meeting(world.a.meeting.id, reason="Кворум жок", on=date(2015, 4, 21), by=BY)
    with services.team_as_of(world.a.team_id, today, known_at=position) as view:
        replayed = build_public_report(view.conn, view.team_id, today, position)
    assert [tuple(row) for row in replayed.record.public] == [tuple(row) for row in produced_then.record.public]
    assert replayed.record.public_summary == produced_then.record.public_summary
    assert replayed.record.non_public_summary == produced_then.record.non_public_summary


def test_the_audit_browser_opens_sealed_text_through_the_reader_on_the_application_s_clock(web, services, world):
    # given a clock far from the wall clock
    # when an auditor in scope reads the team's events
    logged_in(web, "auditor_a").get("/audit/", query_string={"team": str(world.a.team_id)})
    # then every opening is logged once per item, by the application's clock, with the page it was read from
    entries = [entry for entry in services.app.access_log.entries(world.a.team_id) if entry.item_kind == "audit"]
    assert entries
    assert {entry.read_at for entry in entries} == {services.app.clock()}
    assert {entry.page for entry in entries} == {"/audit/"}
    assert len({entry.item_id for entry in entries}) == len(entries)


def test_a_late_entry_in_the_audit_browser_follows_the_team_s_local_date(web, services, world, monkeypatch):
    # given a follow-up about 1 April recorded at 19:00 UTC on 15 April: 14 days by the UTC date, 15 in Bishkek
    recorded = datetime(2015, 4, 15, 19, 0, tzinfo=UTC)
    monkeypatch.setattr("eventsourcing.domain.datetime_now_with_tzinfo", lambda: recorded)
    commitment_id = world.a.meeting.commitment_ids[0]
    services.app.report_follow_up(commitment_id, on=date(2015, 4, 1), status="in_progress", by=BY)
    monkeypatch.undo()
    # when an auditor reads the commitment's history
    html = logged_in(web, "auditor_a").get(f"/audit/records/{commitment_id}").get_data(as_text=True)
    # then the follow-up is marked late, as the public report marks it (the team's local date)
    row = next(row for row in html.split("<tr>") if "2015-04-15 19:00" in row)
    assert "FollowUpReported" in row and "late entry" in row
    assert is_late_entry(date(2015, 4, 1), recorded, "Asia/Bishkek")
    assert not is_late_entry(date(2015, 4, 1), recorded, "UTC")
