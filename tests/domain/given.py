"""The givens of the domain stories: one team, its meeting and a commitment, on fixed business dates."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder

from tracker.domain import Commitment, Meeting, Stamp, Team
from tracker.domain.values import (
    AgeBand,
    Country,
    Gender,
    MeetingKind,
    PublicDisplay,
    Role,
    Sector,
    TeamKind,
    Visibility,
)
from tracker.transcodings import TRANSCODINGS

BY = "cli:test"
REGISTERED_ON = date(2024, 1, 1)
JOINED_ON = date(2024, 1, 10)
HELD_ON = date(2024, 3, 1)
DUE_ON = date(2024, 4, 30)
TODAY = date(2024, 6, 30)


def on(day: date) -> Stamp:
    return Stamp(day, BY)


class InMemoryRecord(Application[UUID]):
    """The event store alone, in memory, with the project's transcodings: enough to save and reload aggregates."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in TRANSCODINGS:
            transcoder.register(transcoding)


def register_team(**overrides: object) -> Team:
    fields: dict[str, object] = {
        "team_id": uuid4(),
        "name": "Мирный",
        "code": "MIR",
        "kind": TeamKind.LCPC,
        "country": Country.KG,
        "region": "KG-C",
        "district": "Sokuluk",
        "municipality": "Mirny ayil okmotu",
        "time_zone": "Asia/Bishkek",
        "stamp": on(REGISTERED_ON),
    }
    fields.update(overrides)
    return Team.register(**fields)


def join(team: Team, day: date, *, member_id: UUID | None = None, role: Role = Role.MEMBER) -> UUID:
    member_id = member_id or uuid4()
    team.add_member(
        member_id=member_id,
        name="Nurlan Sadykov",
        role=role,
        sector=Sector.YOUTH_COMMITTEE,
        gender=Gender.MALE,
        age_band=AgeBand.FROM_18_TO_29,
        public_display=PublicDisplay.INITIALS,
        stamp=on(day),
    )
    return member_id


def hold_meeting(team: Team, **overrides: object) -> Meeting:
    fields: dict[str, object] = {
        "meeting_id": uuid4(),
        "team": team,
        "kind": MeetingKind.REGULAR,
        "place": "Ayil okmotu hall",
        "attendee_ids": sorted(team.members_on(HELD_ON)),
        "guests_female": 3,
        "guests_male": 2,
        "visiting_team_ids": [],
        "agenda": ["sealed:agenda-1", "sealed:agenda-2"],
        "minutes": "sealed:minutes",
        "minutes_visibility": Visibility.TEAM,
        "today": TODAY,
        "stamp": on(HELD_ON),
    }
    fields.update(overrides)
    return Meeting.hold(**fields)


def make_commitment(team: Team, meeting: Meeting, decision_id: UUID, **overrides: object) -> Commitment:
    fields: dict[str, object] = {
        "commitment_id": uuid4(),
        "team": team,
        "meeting": meeting,
        "decision_id": decision_id,
        "owner_member_id": None,
        "owner_body": "sealed:ayil okmotu",
        "description": "sealed:description",
        "due_on": DUE_ON,
        "visibility": Visibility.PUBLIC,
        "recorded_by": BY,
    }
    fields.update(overrides)
    return Commitment.make(**fields)
