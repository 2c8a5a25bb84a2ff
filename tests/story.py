"""A small team story shared by the tests: a team in Osh with members, a meeting and its commitments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from tracker.application import Tracker
from tracker.application.drafts import CommitmentDraft, DecisionDraft, MeasureDraft, MeetingRecorded

BY = "cli:test"


@dataclass
class Story:
    team_id: UUID
    chair: UUID
    police: UUID
    youth: UUID
    meeting: MeetingRecorded


def register_team(app: Tracker, name: str = "Мирный", code: str | None = None) -> UUID:
    return app.register_team(
        name=name,
        code=code,
        kind="LCPC",
        country="KG",
        region="KG-O",
        district="Кара-Суу",
        municipality="Мирный айыл өкмөтү",
        registered_on=date(2015, 1, 10),
        by=BY,
    )


def add_member(
    app: Tracker, team_id: UUID, name: str, sector: str, gender: str, age_band: str, role: str = "member"
) -> UUID:
    return app.add_member(
        team_id,
        name=name,
        role=role,
        sector=sector,
        gender=gender,
        age_band=age_band,
        joined_on=date(2015, 1, 10),
        by=BY,
    )


def tell_story(app: Tracker) -> Story:
    team_id = register_team(app)
    chair = add_member(app, team_id, "Айгүл Осмонова", "womens_committee", "female", "45_59", role="chair")
    police = add_member(app, team_id, "Бакыт Токтогулов", "police", "male", "30_44")
    youth = add_member(app, team_id, "Азамат Өмүрбеков", "youth_committee", "male", "18_29")
    meeting = app.record_meeting(
        team_id,
        held_on=date(2015, 3, 12),
        kind="regular",
        place="Айыл өкмөтүнүн залы",
        attendee_ids=[chair, police, youth],
        guests_female=4,
        guests_male=2,
        agenda=["Көчө жарыгы", "Мектептеги акча талап кылуу"],
        minutes="Протокол: жарык жана мектеп тууралуу сүйлөштүк",
        decisions=[
            DecisionDraft(
                "Борбордук көчөгө жарык орнотуу",
                "public",
                [
                    CommitmentDraft("12 чырак сатып алууну суроо", date(2015, 5, 1), "public", owner_member_id=chair),
                    CommitmentDraft("Чырактарды орнотуу", date(2015, 6, 1), "public", owner_body="Мирный айыл өкмөтү"),
                ],
            ),
            DecisionDraft(
                "Мектепте акча талап кылган окуучулар менен иштөө",
                "confidential",
                [
                    CommitmentDraft(
                        "Ата-энелер менен жашыруун сүйлөшүү", date(2015, 4, 1), "confidential", owner_member_id=police
                    )
                ],
            ),
        ],
        by=BY,
    )
    return Story(team_id, chair, police, youth, meeting)


def tell_problems(app: Tracker, story: Story) -> tuple[UUID, UUID]:
    """Two of the team's problems: dark streets (public), worked through the whole SARA cycle with the lamps as its
    plan, a budget line and a patrol, and assessed; and extortion at school (confidential), still being analysed."""
    lamps, install, _ = story.meeting.commitment_ids
    streets = app.report_problem(
        story.team_id,
        title="Көчөлөр караңгы",
        category="street_lighting",
        on=date(2015, 3, 12),
        by=BY,
        where="Мирный, Ленин көчөсү",
        raised_by_member_id=story.chair,
        meeting_id=story.meeting.id,
        visibility="public",
    )
    app.amend_problem_analysis(
        streets, on=date(2015, 3, 20), by=BY, location="Кечинде, мектептин жолу", sources=["residents_survey"]
    )
    app.change_problem_stage(streets, stage="response", on=date(2015, 3, 25), by=BY)
    app.add_plan_item(streets, lamps, on=date(2015, 3, 25), by=BY, weight=2)
    app.add_plan_item(streets, install, on=date(2015, 3, 25), by=BY)
    app.remove_plan_item(streets, install, reason="Башка иш", on=date(2015, 4, 2), by=BY)
    app.add_funding_line(
        streets,
        source="local_budget",
        funder="Мирный айыл өкмөтү",
        amount="15000",
        currency="KGS",
        state="received",
        on=date(2015, 4, 3),
        by=BY,
    )
    app.record_problem_activity(streets, kind="patrol", description="Кечки кезүү", on=date(2015, 4, 10), by=BY)
    app.assess_problem(
        streets,
        conclusion="solved",
        on=date(2015, 6, 20),
        by=BY,
        measures=[MeasureDraft("Караңгы көчөлөр", "12", "2", "2014", "2015", "residents_survey")],
        review_on=date(2015, 12, 1),
    )
    school = app.report_problem(
        story.team_id,
        title="Мектепте акча талап кылуу",
        category="extortion_in_schools",
        on=date(2015, 5, 2),
        by=BY,
        visibility="confidential",
    )
    app.change_problem_stage(school, stage="analysis", on=date(2015, 5, 10), by=BY)
    app.amend_problem_analysis(
        school, on=date(2015, 5, 12), by=BY, victim="Айгерим Бекова, 6-класс", offender="9-класстын балдары"
    )
    return streets, school


def tell_long_story(app: Tracker) -> Story:
    """The story, then a year of what happens: follow-ups, a revision, a handover, an annulled meeting,
    a late entry, a visibility change, an erasure and a member leaving; and another team beside it."""
    story = tell_story(app)
    lamps, install, parents = story.meeting.commitment_ids
    app.report_follow_up(lamps, on=date(2015, 4, 9), status="in_progress", note="Сурады", by=BY)
    app.revise_due_date(lamps, due_on=date(2015, 6, 15), on=date(2015, 4, 9), reason="Бюджет", by=BY)
    app.hand_over(install, owner_member_id=story.youth, on=date(2015, 4, 9), reason="Жаштар алды", by=BY)
    app.report_follow_up(parents, on=date(2015, 4, 9), status="kept", note="Сүйлөштү", by=BY)
    april = app.record_meeting(
        story.team_id,
        held_on=date(2015, 4, 20),
        kind="town_meeting",
        place="Мектеп",
        attendee_ids=[story.chair, story.youth],
        guests_female=12,
        guests_male=9,
        decisions=[
            DecisionDraft(
                "Спорт аянтчасы",
                "public",
                [CommitmentDraft("Акча издөө", date(2015, 5, 20), "public", owner_member_id=story.youth)],
            )
        ],
        by=BY,
    )
    app.annul_meeting(april.id, reason="Кворум жок", on=date(2015, 4, 25), by=BY)
    app.report_follow_up(lamps, on=date(2015, 6, 1), status="kept", note="Орнотулду", by=BY)
    app.change_commitment_visibility(parents, visibility="team", reason="Иш жабылды", on=date(2015, 7, 1), by=BY)
    app.erase_item(story.meeting.decision_ids[1], reason="person_request", by="cli:admin")
    tell_problems(app, story)
    app.remove_member(story.team_id, story.police, reason="Которулду", on=date(2015, 8, 1), by=BY)
    gulnara = app.register_user(username="gulnara", display_name="Гүлнара", password="long enough password", by=BY)
    app.grant_role(gulnara, role="secretary", team_id=story.team_id, by=BY)
    app.grant_role(gulnara, role="auditor", team_id=None, by=BY)
    app.revoke_role(gulnara, role="auditor", team_id=None, by=BY)
    other = register_team(app, "Ворух")
    other_member = add_member(app, other, "Зарина Ғафурова", "womens_committee", "female", "30_44")
    app.choose_team_region(other, region="KG-J", on=date(2015, 2, 1), by=BY)
    app.record_meeting(
        other,
        held_on=date(2015, 5, 5),
        kind="regular",
        place="Ҷамоат",
        attendee_ids=[other_member],
        decisions=[
            DecisionDraft("Равшанӣ", "public", [CommitmentDraft("Чароғ", date(2015, 6, 1), "public", other_member)])
        ],
        by=BY,
    )
    return story
