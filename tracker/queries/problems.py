"""A team's problems with their plan's progress and funding per currency, live or as of a past date.

Owns no table: it queries `problems`, `problem_plan_items`, `problem_funding` and `commitments`, live or in an
as-of scratch database (tracker.projections.as_of), with the same code. Texts stay sealed here: who may read them
is the Reader's business.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, select

from tracker.domain.problem import progress_of
from tracker.domain.values import CommitmentStatus
from tracker.projections.commitments import commitments
from tracker.projections.problems import funding_of, plan_of, problems_of
from tracker.queries.summaries import effective_status


@dataclass(frozen=True)
class ProblemLine:
    """One problem as a board or a dashboard counts it: no text, only its facts."""

    problem_id: str
    category: str
    visibility: str
    stage: str
    stage_since: Any
    closed: bool
    conclusion: str | None
    erased: bool
    plan_items: int
    progress: Fraction | None  # None: nothing in the plan counts yet
    funding: dict[tuple[str, str], Decimal]  # (currency, state) -> total; never converted


def problem_lines(conn: Connection, team_id: str) -> list[ProblemLine]:
    return [_line(conn, row) for row in problems_of(conn, team_id)]


def plan_progress(conn: Connection, problem_id: str) -> Fraction | None:
    """The plan's progress from its commitments' statuses (a withdrawn or annulled one is left out)."""
    items = plan_of(conn, problem_id)
    statuses = _statuses(conn, [item.commitment_id for item in items])
    return progress_of(
        [(item.weight, statuses[item.commitment_id]) for item in items if item.commitment_id in statuses]
    )


def funding_totals(conn: Connection, problem_id: str) -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in funding_of(conn, problem_id):
        totals[(line.currency, line.state)] += Decimal(line.amount)
    return dict(totals)


def _line(conn: Connection, row: Any) -> ProblemLine:
    return ProblemLine(
        problem_id=row.problem_id,
        category=row.category,
        visibility=row.visibility,
        stage=row.stage,
        stage_since=row.stage_since,
        closed=row.closed,
        conclusion=row.conclusion,
        erased=row.erased,
        plan_items=len(plan_of(conn, row.problem_id)),
        progress=plan_progress(conn, row.problem_id),
        funding=funding_totals(conn, row.problem_id),
    )


def _statuses(conn: Connection, commitment_ids: list[str]) -> dict[str, CommitmentStatus]:
    if not commitment_ids:
        return {}
    query = select(commitments.c.commitment_id, commitments.c.status, commitments.c.withdrawn_by_annulment).where(
        commitments.c.commitment_id.in_(commitment_ids)
    )
    return {row.commitment_id: CommitmentStatus(effective_status(row)) for row in conn.execute(query)}
