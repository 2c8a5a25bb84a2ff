"""What the use cases take in and give back: drafts of decisions, commitments and measures, and a recorded
meeting's ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class CommitmentDraft:
    description: str
    due_on: date
    visibility: str
    owner_member_id: UUID | None = None
    owner_body: str | None = None
    problem_id: UUID | None = None  # the problem whose action plan it joins, at the meeting that makes it


@dataclass(frozen=True)
class DecisionDraft:
    text: str
    visibility: str
    commitments: list[CommitmentDraft] = field(default_factory=list)


@dataclass(frozen=True)
class MeasureDraft:
    """A number before and after a problem's response, as typed: e.g. reported cases of extortion at school No. 3,
    7 in 2014, 1 in 2015, from police data."""

    what: str
    before: str
    after: str
    before_period: str
    after_period: str
    source: str


@dataclass(frozen=True)
class MeetingRecorded:
    id: UUID
    decision_ids: list[UUID]
    commitment_ids: list[UUID]

    @classmethod
    def from_answer(cls, answer: dict[str, Any]) -> MeetingRecorded:
        return cls(answer["id"], list(answer["decision_ids"]), list(answer["commitment_ids"]))
