"""How dates, members and decisions are written into stored events and snapshots (JSON)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Transcoding

from tracker.domain.meeting import Decision
from tracker.domain.team import Member
from tracker.domain.values import AgeBand, Gender, PublicDisplay, Role, Sector, Visibility


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class MemberAsDict(Transcoding):
    type = Member
    name = "member"

    def encode(self, obj: Member) -> dict[str, Any]:
        return {field.name: getattr(obj, field.name) for field in dataclasses.fields(obj)}

    def decode(self, data: dict[str, Any]) -> Member:
        return Member(
            id=data["id"],
            name=data["name"],
            role=Role(data["role"]),
            sector=Sector(data["sector"]),
            gender=Gender(data["gender"]),
            age_band=AgeBand(data["age_band"]),
            public_display=PublicDisplay(data["public_display"]),
            joined_on=data["joined_on"],
            left_on=data["left_on"],
            erased=data.get("erased", False),  # snapshots taken before members could be erased
        )


class DecisionAsDict(Transcoding):
    type = Decision
    name = "decision"

    def encode(self, obj: Decision) -> dict[str, Any]:
        return {"id": obj.id, "text": obj.text, "visibility": obj.visibility.value}

    def decode(self, data: dict[str, Any]) -> Decision:
        decision_id = data["id"]
        assert isinstance(decision_id, UUID)
        return Decision(decision_id, data["text"], Visibility(data["visibility"]))


TRANSCODINGS = (DateAsISO(), MemberAsDict(), DecisionAsDict())
