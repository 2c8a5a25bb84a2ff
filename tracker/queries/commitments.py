"""Commitments as one reader sees them: reference, status, overdue, owner and texts opened through the Reader.

Every list of commitments (a team's public page, the report and its CSV and JSON, the API, a member's ledger,
the secretary's pages) is made of `CommitmentLine`s from `commitment_lines`: one way to build them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from tracker.domain.access import Viewer
from tracker.projections.commitments import commitment_reference, commitments, commitments_of
from tracker.projections.team_directory import team_directory
from tracker.queries.summaries import effective_status, is_overdue
from tracker.reading import Reader, Text


@dataclass(frozen=True)
class CommitmentLine:
    row: Any
    reference: str
    description: Text
    owner_body: Text | None
    owner_name: str | None
    status: str
    overdue: bool

    @property
    def id(self) -> UUID:
        return UUID(self.row.commitment_id)

    @property
    def owner(self) -> str:
        """The owner as this reader may see them: the member's name, or the body's text, or a dash."""
        if self.owner_name is not None:
            return self.owner_name
        return self.owner_body.value if self.owner_body and self.owner_body.shown and self.owner_body.value else "—"


def commitment_lines(
    reader: Reader,
    viewer: Viewer,
    page: str,
    team_id: UUID,
    code: str,
    rows: list[Any],
    as_of: date,
    names: dict[str, str] | None = None,
) -> list[CommitmentLine]:
    """Open the description and owner body of each row for the viewer, in one pass of the Reader, by each row's
    own visibility (a row without one is an error, never taken as public)."""
    items = [
        ("commitment", UUID(row.commitment_id), row.visibility, row.erased, sealed)
        for row in rows
        for sealed in (row.description, row.owner_body)
    ]
    texts = reader.texts(viewer, page, team_id, items) if items else []
    return [
        CommitmentLine(
            row=row,
            reference=commitment_reference(code, row),
            description=texts[2 * index] or Text("erased"),
            owner_body=texts[2 * index + 1],
            owner_name=(names or {}).get(row.owner_member_id, "?") if row.owner_member_id else None,
            status=effective_status(row),
            overdue=is_overdue(row, as_of),
        )
        for index, row in enumerate(rows)
    ]


def still_open(conn: Connection, team_id: UUID, as_of: date) -> list[Any]:
    """The follow-ups list: commitments open or in progress, the overdue ones first, then by due date."""
    rows = [row for row in commitments_of(conn, team_id.hex) if effective_status(row) in ("open", "in_progress")]
    return sorted(rows, key=lambda row: (not is_overdue(row, as_of), row.due_on))


def find_commitment(conn: Connection, reference: str) -> tuple[UUID, UUID] | None:
    """A commitment named by id or by the reference people say aloud (MIR-2015-07): its id and its team's."""
    try:
        where = [commitments.c.commitment_id == UUID(reference).hex]
        query = select(commitments.c.commitment_id, commitments.c.team_id).where(*where)
    except ValueError:
        code, _, rest = reference.strip().upper().partition("-")
        year, _, number = rest.partition("-")
        if not (year.isascii() and number.isascii() and year.isdigit() and number.isdigit()):
            return None
        if len(year) != 4 or len(number) > 9:
            return None
        query = (
            select(commitments.c.commitment_id, commitments.c.team_id)
            .join(team_directory, team_directory.c.team_id == commitments.c.team_id)
            .where(
                team_directory.c.code == code,
                commitments.c.reference_year == int(year),
                commitments.c.reference_number == int(number),
            )
        )
    row = conn.execute(query).first()
    return (UUID(row.commitment_id), UUID(row.team_id)) if row else None
