"""What the dashboard sums (tracker.queries.dashboard): the `dashboard_` read model's tables as they stand now, or
as they stood on a past day by business date, as known now.

As of a day, each table is a subquery with the same columns, derived from the read model's histories: teams
registered by then; each team's counts per quarter from the meetings held by then and the commitments made by then,
each with its status and due date as they were that day; problems reported by then, each at its stage that day;
the plan items in the plans that day; funding lines dated by then. A late entry counts from the day it is dated;
a commitment of an annulled meeting counts as withdrawn throughout (as a problem's progress over time does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Integer, and_, case, cast, false, func, literal, or_, select, true, union_all

from tracker.domain.values import CommitmentStatus
from tracker.projections.dashboard_tables import (
    COUNTERS,
    OUTCOMES,
    dashboard_commitment_statuses,
    dashboard_commitments,
    dashboard_due_dates,
    dashboard_funding,
    dashboard_meetings,
    dashboard_plan_items,
    dashboard_plan_spans,
    dashboard_problem_stages,
    dashboard_problems,
    dashboard_quarters,
    dashboard_teams,
)


@dataclass(frozen=True)
class Tables:
    """The tables the dashboard's queries read, each with the columns of the table of the same name."""

    teams: Any
    quarters: Any
    problems: Any
    plan_items: Any
    commitments: Any
    funding: Any


NOW = Tables(
    dashboard_teams,
    dashboard_quarters,
    dashboard_problems,
    dashboard_plan_items,
    dashboard_commitments,
    dashboard_funding,
)


def tables_as_of(day: date, in_scope: list[Any]) -> Tables:
    """The tables as they stood on the day; `in_scope` (conditions on `dashboard_teams`) narrows every history to
    the scope's teams before it is read, so a district reads its own teams' rows only."""
    teams = dashboard_teams.c
    scoped = select(teams.team_id).where(*in_scope) if in_scope else None

    def of_scope(table: Any) -> list[Any]:
        return [] if scoped is None else [table.c.team_id.in_(scoped)]

    commitments = _commitments_on(day, of_scope)
    return Tables(
        teams=select(dashboard_teams).where(teams.registered_on <= day, *in_scope).subquery("teams_then"),
        quarters=_quarters_on(day, commitments, of_scope),
        problems=_problems_on(day, of_scope),
        plan_items=_plan_items_on(day, of_scope),
        commitments=commitments,
        funding=select(dashboard_funding)
        .where(dashboard_funding.c.dated_on <= day, *of_scope(dashboard_funding))
        .subquery("funding_then"),
    )


def _on(table: Any, day: date) -> Any:
    """The rows of a history in force on the day: since it, and not yet ended (by a later row) then."""
    return and_(table.c.since <= day, or_(table.c.until.is_(None), table.c.until > day))


def _commitments_on(day: date, of_scope: Any) -> Any:
    """The commitments made by the day, each with its status (and the day it took it) and due date then."""
    status, due, made = dashboard_commitment_statuses, dashboard_due_dates, dashboard_commitments.c
    withdrawn = CommitmentStatus.WITHDRAWN.value
    return (
        select(
            made.commitment_id,
            made.team_id,
            made.meeting_id,
            due.c.due_on,
            due.c.quarter,
            case((made.annulled, literal(withdrawn)), else_=status.c.status).label("status"),
            status.c.since.label("closed_on"),  # the day it took its status: closed that day if the status closes
            made.annulled,
        )
        .select_from(status)
        .join(dashboard_commitments, made.commitment_id == status.c.commitment_id)
        .join(due, and_(due.c.commitment_id == status.c.commitment_id, _on(due, day)))
        .where(_on(status, day), *of_scope(status))
        .subquery("commitments_then")
    )


def _quarters_on(day: date, commitments: Any, of_scope: Any) -> Any:
    """Each team's counts per quarter as they stood on the day: meetings held by then, commitments made by then."""
    m, c = dashboard_meetings.c, commitments.c
    zero = cast(literal(0), Integer)
    meeting_sums = {
        "meetings": func.count(),
        "people": func.sum(m.people),
        "women": func.sum(m.women),
        "members_present": func.sum(m.members_present),
        "young": func.sum(m.young),
    }
    kept = and_(c.status == CommitmentStatus.KEPT.value, c.closed_on <= c.due_on)
    commitment_sums = {
        "due": func.sum(case((c.status == CommitmentStatus.WITHDRAWN.value, 0), else_=1)),
        "with_outcome": func.sum(case((c.status.in_(OUTCOMES), 1), else_=0)),
        "kept_on_time": func.sum(case((kept, 1), else_=0)),
    }
    held = select(m.team_id, m.quarter, *((meeting_sums.get(name, zero)).label(name) for name in COUNTERS)).where(
        m.held_on <= day, m.annulled == false(), *of_scope(dashboard_meetings)
    )
    made = select(c.team_id, c.quarter, *((commitment_sums.get(name, zero)).label(name) for name in COUNTERS))
    return union_all(held.group_by(m.team_id, m.quarter), made.group_by(c.team_id, c.quarter)).subquery("quarters_then")


def _problems_on(day: date, of_scope: Any) -> Any:
    """The problems reported by the day, each at its stage then (closed if an assessment had closed it)."""
    stage, reported = dashboard_problem_stages, dashboard_problems.c
    return (
        select(
            reported.problem_id,
            reported.team_id,
            reported.category,
            stage.c.stage,
            stage.c.closed,
            reported.reported_quarter,
            case((stage.c.closed == true(), stage.c.quarter), else_=None).label("assessed_quarter"),
        )
        .select_from(stage)
        .join(dashboard_problems, reported.problem_id == stage.c.problem_id)
        .where(_on(stage, day), *of_scope(stage))
        .subquery("problems_then")
    )


def _plan_items_on(day: date, of_scope: Any) -> Any:
    spans = dashboard_plan_spans.c
    return (
        select(spans.problem_id, spans.commitment_id, spans.team_id, spans.weight)
        .where(_on(dashboard_plan_spans, day), spans.in_plan == true(), *of_scope(dashboard_plan_spans))
        .subquery("plan_items_then")
    )
