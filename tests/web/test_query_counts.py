"""A report page costs a fixed number of queries, whatever the size of the team's history (no N+1)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event

from tests.story import BY, add_member, register_team
from tracker.application.drafts import CommitmentDraft, DecisionDraft


def team_with_history(app, name, meetings):
    team = register_team(app, name)
    member = add_member(app, team, "Айгүл", "police", "female", "30_44")
    for month in range(meetings):
        held_on = date(2015, 1, 15) + timedelta(days=30 * month)
        recorded = app.record_meeting(
            team,
            held_on=held_on,
            kind="regular",
            place="Hall",
            attendee_ids=[member],
            by=BY,
            decisions=[
                DecisionDraft(
                    "Decision",
                    "public",
                    [
                        CommitmentDraft("Promise", held_on + timedelta(days=20), "public", member),
                        CommitmentDraft("Secret", held_on + timedelta(days=20), "confidential", member),
                    ],
                )
            ],
        )
        app.report_follow_up(recorded.commitment_ids[0], on=held_on + timedelta(days=10), status="kept", by=BY)
    return team


def queries_for(web, services, url):
    count = 0

    def counter(*_args):
        nonlocal count
        count += 1

    event.listen(services.engine, "before_cursor_execute", counter)
    try:
        assert web.test_client().get(url).status_code == 200
    finally:
        event.remove(services.engine, "before_cursor_execute", counter)
    return count


def test_the_report_page_makes_as_many_queries_for_a_long_history_as_for_a_short_one(web, services):
    small = team_with_history(services.app, "Small", 2)
    large = team_with_history(services.app, "Large", 20)
    for suffix in ("report", "report.json", "report.csv"):
        assert queries_for(web, services, f"/teams/{small}/{suffix}") == queries_for(
            web, services, f"/teams/{large}/{suffix}"
        )
