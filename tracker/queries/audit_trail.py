"""The audit trail: every event in log order (filtered) and one record's history, each with its leaf index and
its own fields, sealed text opened through the Reader for auditors of the team."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from sqlalchemy import Connection, Select, select, text

from tracker.domain import Meeting, Team
from tracker.domain.access import Viewer
from tracker.domain.timing import is_late_entry
from tracker.projections.commitments import commitment_reference, commitments
from tracker.projections.event_index import event_index, stored_events_table
from tracker.projections.meetings import meetings
from tracker.projections.merkle_tree import merkle_leaves
from tracker.projections.roster import roster_members
from tracker.projections.team_directory import list_teams
from tracker.projections.types import ERASED_MEMBER, ERASED_PLACE
from tracker.projections.user_directory import user_directory
from tracker.reading import Reader

PAGE_SIZE = 100
_NOT_SHOWN = {"originator_id", "originator_version", "timestamp", "originator_topic"}
_NOT_SHOWN |= {"team_id", "business_date", "recorded_by"}  # shown in their own columns

Decode = Callable[[Notification], Any]


@dataclass(frozen=True)
class Filters:
    team_id: UUID | None = None
    record_id: UUID | None = None
    event_type: str | None = None
    recorder: str | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None


@dataclass(frozen=True)
class RecordName:
    """What a record is, for a page's title: a commitment's reference, a meeting's date, a team's or user's name."""

    kind: str  # "commitment", "meeting", "team", "user" or "record" (none of these)
    name: str
    on: date | None = None


@dataclass(frozen=True)
class TrailPage:
    entries: list[dict[str, Any]]
    teams: list[Any]
    more: bool


def audit_log(
    conn: Connection, reader: Reader, viewer: Viewer, page: str, decode: Decode, filters: Filters, number: int = 1
) -> TrailPage:
    """One page (PAGE_SIZE events) of the log in order, filtered by team, record, type, recorder and time."""
    query = _with_leaves()
    if filters.team_id:
        query = query.where(event_index.c.team_id == filters.team_id.hex)
    if filters.record_id:
        query = query.where(event_index.c.originator_id == filters.record_id.hex)
    if filters.event_type:
        query = query.where(event_index.c.event_type.contains(filters.event_type))
    if filters.recorder:
        query = query.where(event_index.c.recorded_by == filters.recorder)
    if filters.recorded_from:
        query = query.where(event_index.c.recorded_at >= filters.recorded_from)
    if filters.recorded_to:
        query = query.where(event_index.c.recorded_at <= filters.recorded_to)
    query = query.order_by(event_index.c.position).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    rows = list(conn.execute(query))
    teams = list_teams(conn)
    entries = _entries(conn, reader, viewer, page, decode, rows, teams)
    return TrailPage(entries, teams, more=len(rows) == PAGE_SIZE)


def record_history(
    conn: Connection, reader: Reader, viewer: Viewer, page: str, decode: Decode, record_id: UUID
) -> list[dict[str, Any]]:
    """One record's full history: every event of the aggregate, in order (empty when there is no such record)."""
    query = _with_leaves().where(event_index.c.originator_id == record_id.hex).order_by(event_index.c.position)
    rows = list(conn.execute(query))
    return _entries(conn, reader, viewer, page, decode, rows, list_teams(conn)) if rows else []


def record_name(conn: Connection, record_id: UUID) -> RecordName:
    """A record named as people name it: NAR-2026-04, the meeting of a date, a team's code, an account."""
    teams = {team.team_id: team for team in list_teams(conn)}
    commitment = conn.execute(select(commitments).where(commitments.c.commitment_id == record_id.hex)).first()
    if commitment is not None and commitment.team_id in teams:
        return RecordName("commitment", commitment_reference(teams[commitment.team_id].code, commitment))
    meeting = conn.execute(select(meetings).where(meetings.c.meeting_id == record_id.hex)).first()
    if meeting is not None:
        team = teams.get(meeting.team_id)
        return RecordName("meeting", team.code if team else "—", meeting.held_on)
    if record_id.hex in teams:
        return RecordName("team", teams[record_id.hex].code)
    user = conn.execute(select(user_directory).where(user_directory.c.user_id == record_id.hex)).first()
    if user is not None:
        return RecordName("user", user.display_name)
    return RecordName("record", str(record_id))


def _with_leaves() -> Select[Any]:
    return select(event_index, merkle_leaves.c.leaf_index).join(
        merkle_leaves, merkle_leaves.c.position == event_index.c.position, isouter=True
    )


def _entries(
    conn: Connection, reader: Reader, viewer: Viewer, page: str, decode: Decode, rows: list[Any], teams: list[Any]
) -> list[dict[str, Any]]:
    events = _stored_events(conn, decode, [row.position for row in rows])
    by_id = {team.team_id: team for team in teams}
    joined = [e.member_id.hex for e in events.values() if isinstance(e, Team.MemberJoined)]
    held = [e.originator_id.hex for e in events.values() if isinstance(e, Meeting.Held)]
    erased = _erased(conn, roster_members.c.member_id, roster_members.c.name, joined)
    erased |= _erased(conn, meetings.c.meeting_id, meetings.c.place, held)
    fields = reader.event_fields(
        viewer, page, [(UUID(row.team_id), _own_fields(events.get(row.position), erased)) for row in rows]
    )
    entries = []
    for row, shown in zip(rows, fields, strict=True):
        team = by_id.get(row.team_id)
        time_zone = team.time_zone if team else "UTC"
        entries.append(
            {
                "row": row,
                "fields": shown,
                "late": is_late_entry(row.business_date, row.recorded_at, time_zone),
                "team": team.code if team else "—",
                "time_zone": time_zone,
            }
        )
    return entries


def _own_fields(event: Any, erased: set[str]) -> dict[str, Any]:
    """An event's fields as the audit browser lists them. The name of an erased member, or the place of an erased
    meeting, recorded before they were sealed (it stays in the stored event) is shown as erased, as a sealed one
    whose key is gone is."""
    if event is None:
        return {}
    fields = {
        field.name: getattr(event, field.name) for field in dataclasses.fields(event) if field.name not in _NOT_SHOWN
    }
    if isinstance(event, Team.MemberJoined) and event.member_id.hex in erased:
        fields["name"] = ERASED_MEMBER
    if isinstance(event, Meeting.Held) and event.originator_id.hex in erased:
        fields["place"] = ERASED_PLACE
    return fields


def _erased(conn: Connection, id_column: Any, text_column: Any, ids: list[str]) -> set[str]:
    """Those of the ids whose erasable text (a member's name, a meeting's place) is erased in the read model."""
    if not ids:
        return set()
    return set(conn.execute(select(id_column).where(id_column.in_(ids), text_column.is_(None))).scalars())


def _stored_events(conn: Connection, decode: Decode, positions: list[int]) -> dict[int, Any]:
    """The stored events at these log positions, decoded, in one query."""
    if not positions:
        return {}
    table, position = stored_events_table(conn.dialect.name)
    listed = ",".join(str(int(p)) for p in positions)
    columns = f"{position}, originator_id, originator_version, topic, state"
    stored = conn.execute(text(f"SELECT {columns} FROM {table} WHERE {position} IN ({listed})"))
    return {
        row[0]: decode(
            Notification(
                id=row[0], originator_id=UUID(str(row[1])), originator_version=row[2], topic=row[3], state=bytes(row[4])
            )
        )
        for row in stored
    }
