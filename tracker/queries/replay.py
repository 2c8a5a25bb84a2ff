"""Replay: a team's public record, dashboard and member ledgers as recorded by a past point of the log, beside
today's; rows that changed since are marked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from tracker.projections.commitments import commitment_reference
from tracker.projections.event_index import event_index
from tracker.projections.merkle_tree import merkle_leaves
from tracker.projections.roster import members_of, public_name
from tracker.queries.public_record import PublicReport, build_public_report
from tracker.queries.summaries import effective_status, ledger_for_member, team_dashboard


@dataclass(frozen=True)
class Replay:
    now: PublicReport
    then: PublicReport | None
    leaf: int | None
    comparison: list[dict[str, Any]]
    dashboard: list[tuple[str, Any, Any, bool]]  # (key, then, now, changed): keys are named for people by the page
    ledgers: list[tuple[str, Any, Any, bool]]
    public_counts: list[tuple[str, int, int, bool]]  # (outcome, then, now, changed) over public commitments


def position_recorded_by(conn: Connection, moment: datetime) -> int:
    """The log position of the last event recorded at or before a moment (0 when none)."""
    query = (
        select(event_index.c.position)
        .where(event_index.c.recorded_at <= moment)
        .order_by(event_index.c.position.desc())
        .limit(1)
    )
    return int(conn.execute(query).scalar() or 0)


def position_of_leaf(conn: Connection, leaf: int) -> int | None:
    return conn.execute(select(merkle_leaves.c.position).where(merkle_leaves.c.leaf_index == leaf)).scalar()


def replay(
    now_conn: Connection, now_known_at: int, then_conn: Connection, then_known_at: int, team_id: str, today: date
) -> Replay | None:
    """Compare the live read models with an as-of view folded from the log up to `then_known_at`."""
    now = build_public_report(now_conn, team_id, today, now_known_at)
    if now is None:
        return None
    then = build_public_report(then_conn, team_id, today, then_known_at)
    leaf = now_conn.execute(
        select(merkle_leaves.c.leaf_index)
        .where(merkle_leaves.c.position <= then_known_at)
        .order_by(merkle_leaves.c.leaf_index.desc())
        .limit(1)
    ).scalar()
    then_rows = {row.commitment_id: row for row in (then.record.public if then else [])}
    comparison = [
        {
            "now": row,
            "then": then_rows.get(row.commitment_id),
            "reference": commitment_reference(now.team.code, row),
            "changed": row.commitment_id not in then_rows or _outcome(then_rows[row.commitment_id]) != _outcome(row),
        }
        for row in now.record.public
    ]
    now_board, now_ledgers = _dashboard_and_ledgers(now_conn, team_id, today)
    then_board, then_ledgers = _dashboard_and_ledgers(then_conn, team_id, today)
    dashboard = [
        (key, then_value, now_value, then_value != now_value)
        for key, then_value, now_value in (
            ("meetings_per_quarter", _quarters(then_board), _quarters(now_board)),
            ("attendance_rate", _share(then_board.attendance_rate), _share(now_board.attendance_rate)),
            ("women_share", _share(then_board.women_share), _share(now_board.women_share)),
            ("young_share", _share(then_board.young_share), _share(now_board.young_share)),
            *((outcome, then_board.outcomes[outcome], now_board.outcomes[outcome]) for outcome in now_board.outcomes),
        )
    ]
    ledgers = []
    for member_id, (name, summary) in now_ledgers.items():
        then_summary = then_ledgers[member_id][1] if member_id in then_ledgers else None
        ledgers.append((name, then_summary, summary, then_summary != summary))
    then_counts = then.record.public_summary if then else {}
    public_counts = [
        (outcome, then_counts.get(outcome, 0), count, then_counts.get(outcome, 0) != count)
        for outcome, count in now.record.public_summary.items()
    ]
    return Replay(now, then, leaf, comparison, dashboard, ledgers, public_counts)


def _dashboard_and_ledgers(
    conn: Connection, team_id: str, today: date
) -> tuple[Any, dict[str, tuple[str, dict[str, int]]]]:
    """The team dashboard and every member's ledger totals by member id (two members may show alike: initials,
    or erased), with their public name, from live tables or an as-of view alike."""
    ledgers = {}
    for member in members_of(conn, team_id):
        ledger = ledger_for_member(conn, member.member_id, today)
        if ledger is not None:
            ledgers[member.member_id] = (public_name(member), ledger.summary)
    return team_dashboard(conn, team_id, today), ledgers


def _quarters(board: Any) -> list[tuple[str, int]]:
    """Meetings held per quarter, oldest first: ("2025-Q4", 1)."""
    return sorted(board.meetings_per_quarter.items())


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _outcome(row: Any) -> tuple[Any, ...]:
    return (effective_status(row), row.due_on, row.erased)
