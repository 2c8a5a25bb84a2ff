"""A small team story shared by the tests: a team in Osh with members, a meeting and its commitments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from tracker.application import Tracker
from tracker.drafts import CommitmentDraft, DecisionDraft, MeetingRecorded

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
        region="Ош облусу",
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
