"""An item an admin is about to erase, named as people know it: its kind, reference, team, date and text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from tracker.domain.access import Viewer
from tracker.projections.commitments import commitment_reference, commitments
from tracker.projections.meetings import decisions, meetings
from tracker.projections.problems import problems
from tracker.projections.roster import roster_members
from tracker.projections.types import is_erased
from tracker.queries.commitments import find_commitment
from tracker.queries.teams import find_team
from tracker.reading import Reader, Text


@dataclass(frozen=True)
class ErasableItem:
    kind: str  # "meeting", "decision", "commitment", "problem" or "member"
    item_id: UUID
    reference: str | None  # a commitment's, as people say it aloud
    team: Any
    on: date
    text: Text | None  # a member's: their name
    erased: bool
    also_erased: list[str]  # the references of the other commitments whose text goes with it


def erasable_item(conn: Connection, reader: Reader, viewer: Viewer, page: str, named: str) -> ErasableItem | None:
    """The meeting, decision, commitment, problem or member named by a commitment's reference (NAR-2026-42), any of
    the five ids, or an address holding one (a member's ledger page); its text (a problem: its title; a member:
    their name) opened for the viewer through the Reader (what they may not read stays withheld)."""
    named = named.strip()
    if found := find_commitment(conn, named):
        return _commitment(conn, reader, viewer, page, found[0])
    ids = UUID_IN_TEXT.findall(named)
    if not ids:
        return None
    item_id = UUID(ids[-1])
    if row := conn.execute(select(meetings).where(meetings.c.meeting_id == item_id.hex)).first():
        text = _open(
            reader,
            viewer,
            page,
            row.team_id,
            ("minutes", item_id, row.minutes_visibility, row.minutes_erased, row.minutes or None),
        )
        return ErasableItem(
            "meeting", item_id, None, _team(conn, row.team_id), row.held_on, text, row.minutes_erased, []
        )
    if row := conn.execute(select(decisions).where(decisions.c.decision_id == item_id.hex)).first():
        text = _open(reader, viewer, page, row.team_id, ("decision", item_id, row.visibility, row.erased, row.text))
        team = _team(conn, row.team_id)
        made = _references(conn, team, row.decision_id)
        return ErasableItem("decision", item_id, None, team, row.business_date, text, row.erased, made)
    if row := conn.execute(select(problems).where(problems.c.problem_id == item_id.hex)).first():
        text = _open(reader, viewer, page, row.team_id, ("problem", item_id, row.visibility, row.erased, row.title))
        return ErasableItem("problem", item_id, None, _team(conn, row.team_id), row.reported_on, text, row.erased, [])
    if row := conn.execute(select(roster_members).where(roster_members.c.member_id == item_id.hex)).first():
        name = Text("erased") if is_erased(row.name) else Text("shown", row.name)
        return ErasableItem(
            "member", item_id, None, _team(conn, row.team_id), row.joined_on, name, is_erased(row.name), []
        )
    return None


UUID_IN_TEXT = re.compile(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")


def _commitment(conn: Connection, reader: Reader, viewer: Viewer, page: str, commitment_id: UUID) -> ErasableItem:
    row = conn.execute(select(commitments).where(commitments.c.commitment_id == commitment_id.hex)).one()
    team = _team(conn, row.team_id)
    text = _open(
        reader, viewer, page, row.team_id, ("commitment", commitment_id, row.visibility, row.erased, row.description)
    )
    reference = commitment_reference(team.code, row)
    others = [other for other in _references(conn, team, row.decision_id) if other != reference]
    return ErasableItem("commitment", commitment_id, reference, team, row.made_on, text, row.erased, others)


def _references(conn: Connection, team: Any, decision_id: str) -> list[str]:
    rows = conn.execute(
        select(commitments).where(commitments.c.decision_id == decision_id).order_by(commitments.c.reference_number)
    )
    return [commitment_reference(team.code, row) for row in rows]


def _team(conn: Connection, team_id: str) -> Any:
    return find_team(conn, UUID(team_id))


def _open(
    reader: Reader, viewer: Viewer, page: str, team_id: str, item: tuple[str, UUID, str, bool, str | None]
) -> Text | None:
    return reader.texts(viewer, page, UUID(team_id), [item])[0]
