"""A team's public report with its public texts opened: what the page, the PDF, the CSV and the JSON are made of."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, func, select

from tracker.audit.errors import AuditError
from tracker.domain.access import PUBLIC
from tracker.projections.event_index import event_index
from tracker.queries.commitments import CommitmentLine, commitment_lines
from tracker.queries.problem_history import Served, problems_served
from tracker.queries.public_record import PublicReport, build_public_report
from tracker.queries.teams import member_names
from tracker.reading import Reader, Text


@dataclass(frozen=True)
class OpenedReport:
    """A public report with its public texts opened: the commitments as lines, decisions' and history's texts."""

    report: PublicReport
    lines: list[CommitmentLine]
    texts: dict[tuple[str, str], Text]
    member_names: dict[str, str]
    provenance: dict[str, Any] = field(default_factory=dict)
    served: dict[str, list[Served]] = field(default_factory=dict)  # commitment id -> the problems it serves

    def text(self, kind: str, item_id: str) -> Text | None:
        return self.texts.get((kind, item_id))


def public_report(
    conn: Connection,
    reader: Reader,
    team_id: UUID,
    as_of: date,
    known_at: int,
    period: tuple[date, date] | None,
    *,
    page: str,
    provenance: dict[str, Any],
) -> OpenedReport | None:
    """The team's public record as of a date (from live read models or an as-of view), opened for the public."""
    report = build_public_report(conn, team_id.hex, as_of, known_at, period)
    if report is None:
        return None
    names = member_names(conn, team_id, public=True)
    lines = commitment_lines(reader, PUBLIC, page, team_id, report.team.code, report.record.public, as_of, names)
    items: list[tuple[tuple[str, str], tuple[str, UUID, str, bool, str | None]]] = []
    for row in report.record.public:
        for entry in report.history.get(row.commitment_id, []):
            if entry.text:
                key = (f"history:{entry.position}", row.commitment_id)
                items.append((key, ("commitment", UUID(row.commitment_id), "public", row.erased, entry.text)))
    for line in report.meetings:
        for decision in line.public_decisions:
            key = ("decision", decision.decision_id)
            items.append((key, ("decision", UUID(decision.decision_id), "public", decision.erased, decision.text)))
    opened = reader.texts(PUBLIC, page, team_id, [item for _, item in items]) if items else []
    texts = {key: text for (key, _), text in zip(items, opened, strict=True) if text is not None}
    served = problems_served(conn, [row.commitment_id for row in report.record.public])
    return OpenedReport(report, lines, texts, names, provenance, served)


def report_period(registered_on: date, as_of: date, start: date | None, end: date | None) -> tuple[date, date] | None:
    """The period a report covers: from the team's registration (or `start`) to `end`, never past `as_of`; None
    when it would start after it ends."""
    first, last = start or registered_on, min(end or as_of, as_of)
    return (first, last) if first <= last else None


def team_position(conn: Connection, team_id: UUID, known_at: int) -> int:
    """The log position of the team's own latest event known at `known_at`: what a team's report depends on."""
    query = select(func.max(event_index.c.position)).where(
        event_index.c.team_id == team_id.hex, event_index.c.position <= known_at
    )
    return int(conn.execute(query).scalar() or 0)


def provenance(signed_log: Any, known_at: int) -> dict[str, Any]:
    """What a report was built from: the log's first events up to `known_at` (how many), the first signed
    checkpoint that covers them (None until one does: so a report changes once when it is covered, not at every
    checkpoint), and the log's key."""
    try:
        events = signed_log.leaf_index_of(known_at) + 1 if known_at else 0
    except AuditError:
        events = None
    latest = signed_log.covering(events) if events else None
    try:
        fingerprint = signed_log.key.fingerprint
    except AuditError:
        fingerprint = None
    return {
        "events": events,
        "checkpoint_size": latest.size if latest else None,
        "checkpoint_root": base64.b64encode(latest.root).decode() if latest else None,
        "key_fingerprint": fingerprint,
    }
