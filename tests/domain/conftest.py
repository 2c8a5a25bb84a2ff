"""Fixtures for the domain stories: team Mirny with two members, its meeting with a decision, a promise made there."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate

from tests.domain.given import HELD_ON, JOINED_ON, InMemoryRecord, hold_meeting, make_commitment, on, register_team
from tracker.domain import Commitment, Meeting, Team
from tracker.domain.values import AgeBand, Gender, PublicDisplay, Role, Sector, Visibility


@pytest.fixture
def record() -> InMemoryRecord:
    return InMemoryRecord(env={"PERSISTENCE_MODULE": "eventsourcing.popo", "IS_SNAPSHOTTING_ENABLED": "y"})


@pytest.fixture
def only_event() -> Callable[[Aggregate, type], Aggregate.Event]:
    """Collect an aggregate's new events, check they are exactly one of the given type, and return it."""

    def collect(aggregate: Aggregate, event_class: type) -> Aggregate.Event:
        events = aggregate.collect_events()
        assert [type(event) for event in events] == [event_class]
        return events[0]

    return collect


@pytest.fixture
def chair_id() -> UUID:
    return uuid4()


@pytest.fixture
def secretary_id() -> UUID:
    return uuid4()


@pytest.fixture
def team(chair_id: UUID, secretary_id: UUID) -> Team:
    """Team Mirny, registered on 1 January 2024; its chair and secretary joined on 10 January."""
    team = register_team()
    for member_id, name, role, sector, gender in (
        (chair_id, "Aigul Toktogulova", Role.CHAIR, Sector.WOMENS_COMMITTEE, Gender.FEMALE),
        (secretary_id, "Bakyt Asanov", Role.SECRETARY, Sector.POLICE, Gender.MALE),
    ):
        team.add_member(
            member_id=member_id,
            name=name,
            role=role,
            sector=sector,
            gender=gender,
            age_band=AgeBand.FROM_30_TO_44,
            public_display=PublicDisplay.FULL_NAME,
            stamp=on(JOINED_ON),
        )
    team.collect_events()
    return team


@pytest.fixture
def decision_id() -> UUID:
    return uuid4()


@pytest.fixture
def meeting(team: Team, decision_id: UUID) -> Meeting:
    """A regular meeting of team Mirny on 1 March 2024, attended by both members, with one public decision."""
    meeting = hold_meeting(team)
    meeting.record_decision(
        decision_id=decision_id, text="sealed:decision", visibility=Visibility.PUBLIC, stamp=on(HELD_ON)
    )
    meeting.collect_events()
    return meeting


@pytest.fixture
def commitment(team: Team, meeting: Meeting, decision_id: UUID, chair_id: UUID) -> Commitment:
    """The chair's public promise, made at the meeting of 1 March 2024, due on 30 April 2024."""
    commitment = make_commitment(team, meeting, decision_id, owner_member_id=chair_id, owner_body=None)
    commitment.collect_events()
    return commitment
