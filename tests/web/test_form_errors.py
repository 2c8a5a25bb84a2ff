"""Every error of a form in one pass, in a summary at the top that links to each field and names its decision
and commitment; nothing typed is lost and nothing is recorded."""

from __future__ import annotations

import html
import re

from tests.web.conftest import logged_in
from tests.web.test_secretary_flows import errors_in, meeting_form


def summary_of(page: str) -> list[str]:
    block = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert block, "no error summary at the top"
    lines = re.findall(r"<li[^>]*>(.*?)</li>", block.group(0), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", line)).strip() for line in lines]


def test_three_mistakes_are_all_reported_at_once_each_naming_its_decision_and_commitment(web, services, world):
    # Given a secretary filling the meeting form with three mistakes of three kinds: one the form itself finds
    # (no place), one the rows find (a due date missing), and one only the domain knows (a due date before the
    # meeting), in the second decision, with a blank first decision left to be skipped
    client = logged_in(web, "secretary_a")
    head = services.app.recorder.max_notification_id()
    data = meeting_form(world, place="")
    for name in [key for key in data if key.startswith("decisions-0-")]:
        data[name.replace("decisions-0-", "decisions-1-")] = data[name]
        data[name] = "team" if name.endswith("visibility") else ""  # a browser sends the blank row too
    data["decisions-1-commitments-0-due_on"] = "2015-03-01"
    data["decisions-1-commitments-1-due_on"] = ""
    # When it is sent once
    response = client.post(f"/secretary/teams/{world.a.team_id}/meetings/new", data=data)
    # Then nothing is recorded, and all three are listed at the top, each linked to its field
    assert response.status_code == 422
    assert services.app.recorder.max_notification_id() == head
    page = response.get_data(as_text=True)
    lines = summary_of(page)
    assert len(lines) == 3, lines
    assert any(line.startswith("Place:") for line in lines), lines
    assert "Decision 2 · Commitment 1 · Due on: The due date cannot be before the meeting." in lines
    assert "Decision 2 · Commitment 2 · Due on: A commitment needs a due date." in lines
    for anchor in ("place", "decisions-1-commitments-0-due_on", "decisions-1-commitments-1-due_on"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    # and each message also stands next to its field, and what was typed is still there
    assert "The due date cannot be before the meeting." in errors_in(response)
    assert "Чырак сатып алуу" in page and "Айыл өкмөтү" in page


def test_an_empty_description_with_an_owner_says_what_to_empty_to_skip_the_row(web, services, world):
    client = logged_in(web, "secretary_a")
    data = meeting_form(world, **{"decisions-0-commitments-1-description": ""})
    response = client.post(f"/secretary/teams/{world.a.team_id}/meetings/new", data=data)
    assert response.status_code == 422
    assert "Say who will do what; or empty the whole commitment (owner and due date too) to skip it." in errors_in(
        response
    )
    assert "this text cannot be empty" not in response.get_data(as_text=True)


def test_a_long_text_is_not_cut_by_the_browser_the_server_says_it_is_too_long_and_keeps_it(web, services, world):
    client = logged_in(web, "secretary_a")
    form = client.get(f"/secretary/teams/{world.a.team_id}/meetings/new").get_data(as_text=True)
    assert "maxlength" not in form  # a pasted text is never cut without a word
    assert "Up to 2000 characters." in form
    long_text = "Ж" * 2001
    response = client.post(
        f"/secretary/teams/{world.a.team_id}/meetings/new",
        data=meeting_form(world, **{"decisions-0-text": long_text}),
    )
    assert response.status_code == 422
    assert "Field cannot be longer than 2000 characters." in errors_in(response)
    assert long_text in response.get_data(as_text=True)


def test_the_api_reports_every_error_of_a_meeting_at_once(web, services, world):
    user_id = services.app.user_named("secretary_a").id
    headers = {"Authorization": f"Bearer {services.app.credentials.create_token(user_id)}"}
    commitment = {"owner_body": "Айыл өкмөтү", "description": "Акча", "visibility": "public"}
    response = web.test_client().post(
        f"/api/v1/teams/{world.a.team_id}/meetings",
        headers=headers,
        json={
            "held_on": "2015-04-01",
            "kind": "regular",
            "place": "Мектеп",
            "decisions": [
                {"text": "Жарык", "visibility": "public", "commitments": [{**commitment, "due_on": "2015-03-01"}]},
                {"text": " ", "visibility": "team", "commitments": [{**commitment, "due_on": "2015-05-01"}]},
            ],
        },
    )
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    names = [param["name"] for param in response.json["invalid_params"]]
    assert names == ["decisions[0].commitments[0].due_on", "decisions[1].text"], response.json


def test_a_meeting_date_before_records_begin_does_not_hide_the_other_errors(web, services, world):
    client = logged_in(web, "secretary_a")
    data = meeting_form(world, held_on="1985-04-01", **{"decisions-0-commitments-1-description": ""})
    response = client.post(f"/secretary/teams/{world.a.team_id}/meetings/new", data=data)
    lines = summary_of(response.get_data(as_text=True))
    assert any("1990" in line for line in lines), lines
    assert any(line.startswith("Decision 1 · Commitment 2") for line in lines), lines
