"""Views of meetings and commitments for one viewer: text opened only where allowed, confidential reads logged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from tracker.access_log import AccessEntry, AccessLog
from tracker.confidentiality import KeyErased, Sealer, is_sealed, parse_sealed
from tracker.domain import Commitment, Meeting
from tracker.domain.access import Viewer
from tracker.domain.values import CommitmentStatus, Visibility
from tracker.projections.types import ERASED_PLACE

SHOWN, WITHHELD, ERASED = "shown", "withheld", "erased"


@dataclass(frozen=True)
class Text:
    """A free-text field as one viewer sees it: shown, withheld (not theirs to read) or erased (gone for good)."""

    state: str
    value: str | None = None

    @property
    def shown(self) -> bool:
        return self.state == SHOWN


@dataclass(frozen=True)
class HistoryEntry:
    event_type: str
    business_date: date
    recorded_at: datetime
    recorded_by: str
    is_correction: bool
    text: Text | None = None
    status: str | None = None
    due_on: date | None = None
    owner_member_id: UUID | None = None
    owner_body: Text | None = None
    visibility: str | None = None


@dataclass(frozen=True)
class CommitmentView:
    id: UUID
    team_id: UUID
    meeting_id: UUID
    decision_id: UUID
    made_on: date
    due_on: date
    status: str
    recorded_status: str
    visibility: str
    owner_member_id: UUID | None
    owner_body: Text | None
    description: Text
    erased: bool
    withdrawn_by_annulment: bool
    history: list[HistoryEntry] = field(default_factory=list)

    def is_overdue(self, as_of: date) -> bool:
        return not CommitmentStatus(self.status).is_closed and self.due_on < as_of


@dataclass(frozen=True)
class DecisionView:
    id: UUID
    text: Text
    visibility: str
    erased: bool


@dataclass(frozen=True)
class MeetingView:
    id: UUID
    team_id: UUID
    held_on: date
    kind: str
    place: str
    attendee_ids: list[UUID]
    guests_female: int
    guests_male: int
    agenda: list[Text]
    minutes: Text
    minutes_visibility: str
    minutes_erased: bool
    annulled: bool
    decisions: list[DecisionView]


class Reader:
    """Opens sealed text for a viewer; every confidential item read by a person goes to the access log."""

    def __init__(
        self,
        get: Callable[[type, UUID], Any],
        history: Callable[[UUID], list[Any]],
        sealer: Sealer,
        access_log: AccessLog,
        clock: Callable[[], datetime],
    ) -> None:
        self._get = get
        self._history = history
        self.sealer = sealer
        self.access_log = access_log
        self.clock = clock

    def _place(self, meeting: Meeting, erased: bool) -> str:
        """Where the meeting was held (sealed from Meeting.Held version 2 so that it can be erased, not hidden)."""
        place = None if erased else self.sealer.open_erasable([meeting.place])[0]
        return ERASED_PLACE if place is None else place

    def meeting(self, meeting_id: UUID, viewer: Viewer, page: str) -> MeetingView:
        meeting: Meeting = self._get(Meeting, meeting_id)
        session = _ReadSession(self, viewer, page, meeting.team_id)
        minutes_visibility = meeting.minutes_visibility
        minutes_erased = meeting.is_erased(meeting.id)
        open_minutes = session.opener("minutes", meeting.id, minutes_visibility, minutes_erased)
        decisions = [
            DecisionView(
                decision.id,
                session.opener("decision", decision.id, decision.visibility, meeting.is_erased(decision.id))(
                    decision.text
                ),
                decision.visibility.value,
                meeting.is_erased(decision.id),
            )
            for decision in meeting.decisions.values()
        ]
        view = MeetingView(
            id=meeting.id,
            team_id=meeting.team_id,
            held_on=meeting.held_on,
            kind=meeting.kind.value,
            place=self._place(meeting, minutes_erased),
            attendee_ids=list(meeting.attendee_ids),
            guests_female=meeting.guests_female,
            guests_male=meeting.guests_male,
            agenda=[open_minutes(item) for item in meeting.agenda],
            minutes=open_minutes(meeting.minutes),
            minutes_visibility=minutes_visibility.value,
            minutes_erased=minutes_erased,
            annulled=meeting.annulled,
            decisions=decisions,
        )
        session.log()
        return view

    def commitment(self, commitment_id: UUID, viewer: Viewer, page: str) -> CommitmentView:
        commitment: Commitment = self._get(Commitment, commitment_id)
        meeting: Meeting = self._get(Meeting, commitment.meeting_id)
        session = _ReadSession(self, viewer, page, commitment.team_id)
        erased = meeting.is_erased(commitment.decision_id)
        open_text = session.opener("commitment", commitment.id, commitment.visibility, erased)
        history = [_history_entry(event, open_text) for event in self._history(commitment.id)[1:]]
        view = CommitmentView(
            id=commitment.id,
            team_id=commitment.team_id,
            meeting_id=commitment.meeting_id,
            decision_id=commitment.decision_id,
            made_on=commitment.made_on,
            due_on=commitment.due_on,
            status=CommitmentStatus.WITHDRAWN.value if meeting.annulled else commitment.status.value,
            recorded_status=commitment.status.value,
            visibility=commitment.visibility.value,
            owner_member_id=commitment.owner_member_id,
            owner_body=open_text(commitment.owner_body) if commitment.owner_body else None,
            description=open_text(commitment.description),
            erased=erased,
            withdrawn_by_annulment=meeting.annulled,
            history=history,
        )
        session.log()
        return view

    def texts(
        self, viewer: Viewer, page: str, team_id: UUID, items: list[tuple[str, UUID, str, bool, str | None]]
    ) -> list[Text | None]:
        """Open many read-model texts at once: (kind, item id, visibility, erased, sealed) each; one log write."""
        session = _ReadSession(self, viewer, page, team_id)
        session.prefetch(
            [
                sealed
                for _kind, _id, visibility, erased, sealed in items
                if sealed and not erased and viewer.may_read(team_id, Visibility(visibility))
            ]
        )
        opened = [
            session.opener(kind, item_id, Visibility(visibility), erased)(sealed) if sealed is not None else None
            for kind, item_id, visibility, erased, sealed in items
        ]
        session.log()
        return opened

    def event_fields(
        self, viewer: Viewer, page: str, events: list[tuple[UUID, dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """Events' own fields (each with its team) for the audit browser: sealed text opened for an auditor of the
        team only, each item opened logged once (kind "audit") in one write; everything else as it is."""
        sessions: dict[UUID, _ReadSession] = {}
        shown = []
        for team_id, fields in events:
            session = sessions.setdefault(team_id, _ReadSession(self, viewer, page, team_id))
            shown.append({name: _open_field(session, value) for name, value in fields.items()})
        self.access_log.record([entry for session in sessions.values() for entry in session.entries()])
        return shown


def _open_field(session: _ReadSession, value: Any) -> Any:
    if is_sealed(value):
        return session.audit_opener(value)
    if isinstance(value, list) and value and all(is_sealed(item) for item in value):
        return [session.audit_opener(item) for item in value]
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):  # a problem's measures
        return [{name: _open_field(session, part) for name, part in item.items()} for item in value]
    return value


class _ReadSession:
    """One page's reading: collects which confidential items were opened, to log each once."""

    def __init__(self, reader: Reader, viewer: Viewer, page: str, team_id: UUID) -> None:
        self.reader = reader
        self.viewer = viewer
        self.page = page
        self.team_id = team_id
        self.opened: dict[UUID, str] = {}
        self.keys: dict[UUID, bytes] | None = None

    def prefetch(self, sealed_texts: list[str]) -> None:
        """Fetch the keys of many texts in one query, so a page's cost does not grow with its number of texts."""
        key_ids = {parse_sealed(sealed)[0] for sealed in sealed_texts}
        self.keys = self.reader.sealer.key_store.get_many(list(key_ids)) if key_ids else {}

    def opener(self, kind: str, item_id: UUID, visibility: Visibility, erased: bool) -> Callable[[str], Text]:
        entitled = self.viewer.may_read(self.team_id, visibility)

        def open_text(sealed: str) -> Text:
            if erased:
                return Text(ERASED)
            if not entitled:
                return Text(WITHHELD)
            try:
                value = self.reader.sealer.open(sealed, self.keys)
            except KeyErased:
                return Text(ERASED)
            if visibility is Visibility.CONFIDENTIAL and self.viewer.is_person:
                self.opened[item_id] = kind
            return Text(SHOWN, value)

        return open_text

    def audit_opener(self, sealed: str) -> Text:
        if not self.viewer.audits(self.team_id):
            return Text(WITHHELD)
        try:
            value = self.reader.sealer.open(sealed, self.keys)
        except KeyErased:
            return Text(ERASED)
        if self.viewer.is_person:
            self.opened[parse_sealed(sealed)[0]] = "audit"
        return Text(SHOWN, value)

    def entries(self) -> list[AccessEntry]:
        now = self.reader.clock()
        return [
            AccessEntry(now, self.viewer.name, self.team_id, kind, item_id, self.page)
            for item_id, kind in self.opened.items()
        ]

    def log(self) -> None:
        self.reader.access_log.record(self.entries())


def _history_entry(event: Any, open_text: Callable[[str], Text]) -> HistoryEntry:
    sealed_text = getattr(event, "note", None) or getattr(event, "reason", None)
    owner_body = getattr(event, "owner_body", None)
    return HistoryEntry(
        event_type=type(event).__qualname__,
        business_date=event.business_date,
        recorded_at=event.timestamp,
        recorded_by=event.recorded_by,
        is_correction=event.is_correction,
        text=open_text(sealed_text) if sealed_text else None,
        status=getattr(event, "status", None),
        due_on=getattr(event, "due_on", None),
        owner_member_id=getattr(event, "owner_member_id", None),
        owner_body=open_text(owner_body) if owner_body else None,
        visibility=getattr(event, "visibility", None),
    )
