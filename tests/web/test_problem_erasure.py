"""An admin erases a problem's text from the admin pages: named first, erased on confirmation; everywhere its text
is gone while its category, stage and counts stay, on its page, its PDF, the board and the dashboard."""

from __future__ import annotations

import subprocess

from tests.story import tell_problems
from tests.web.conftest import logged_in

TITLE = "Көчөлөр караңгы"


def test_an_admin_erases_a_problem_named_by_its_id_only_after_confirming_it(web, services, world):
    streets, _school = tell_problems(services.app, world.a)
    admin, head = logged_in(web, "admin"), services.app.recorder.max_notification_id()
    # when the admin names the problem by its id
    first = admin.post("/admin/erase", data={"item_id": str(streets), "reason": "person_request"})
    # then it is shown to confirm, its title and team named, and nothing is erased yet
    shown = first.get_data(as_text=True)
    assert first.status_code == 200 and TITLE in shown and "Мирный" in shown
    assert services.app.recorder.max_notification_id() == head
    # when they confirm
    confirmed = admin.post(
        "/admin/erase", data={"item_id": str(streets), "reason": "person_request", "confirmed": streets.hex}
    )
    assert confirmed.status_code == 302
    assert "its category, stage, dates and counts stay" in admin.get("/admin/erase").get_data(as_text=True)
    # then its text is on no page or PDF any more, while its category and stage are
    client, english = web.test_client(), {"Accept-Language": "en"}
    page = client.get(f"/problems/{streets}", headers=english).get_data(as_text=True)
    board = client.get(f"/teams/{world.a.team_id}/problems", headers=english).get_data(as_text=True)
    pdf = client.get(f"/problems/{streets}.pdf", headers=english).data
    printed = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    for text in (page, board, printed):
        assert TITLE not in text and "Street lighting" in text and "[erased]" in text
    dashboard = client.get("/dashboard.csv?country=KG").data.decode("utf-8-sig")
    assert TITLE not in dashboard and "problems_street_lighting" in dashboard


def test_a_name_that_is_no_item_says_so_on_its_field(web, world):
    admin = logged_in(web, "admin")
    refused = admin.post(
        "/admin/erase", data={"item_id": "0193a1b2-0000-7000-8000-000000000000", "reason": "court_order"}
    )
    assert refused.status_code == 422 and "No meeting, decision, commitment, problem or member" in refused.get_data(
        as_text=True
    )
