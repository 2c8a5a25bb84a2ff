"""The histories of read model `dashboard` (tracker.projections.dashboard): what each event sets from its business
date on, as rows of the history tables in tracker.projections.dashboard_tables, whose ends
tracker.projections.batch.Histories keeps, so the dashboard can be read as of any past day."""

from __future__ import annotations

from typing import Any

from tracker.domain.commitment import Commitment
from tracker.domain.problem import Problem
from tracker.domain.values import CommitmentStatus, SaraStage
from tracker.projections.batch import Histories
from tracker.projections.dashboard_tables import (
    dashboard_commitment_statuses,
    dashboard_due_dates,
    dashboard_plan_spans,
    dashboard_problem_stages,
    quarter_of,
)


def commitment_history(histories: Histories, event: Any, position: int) -> None:
    """The status or due date the event sets from its business date on (both when made)."""
    made = isinstance(event, Commitment.Made)
    status = None
    if made:
        status = CommitmentStatus.OPEN.value
    elif isinstance(event, Commitment.FollowUpReported):
        status = event.status
    elif isinstance(event, Commitment.Reopened):
        status = CommitmentStatus.IN_PROGRESS.value
    key = event.originator_id.hex
    row = dict(position=position, commitment_id=key, team_id=event.team_id.hex, since=event.business_date)
    if status is not None:
        histories.add(dashboard_commitment_statuses, "commitment_id", row | {"status": status}, first=made)
    if made or isinstance(event, Commitment.DueDateRevised):
        due = {"due_on": event.due_on, "quarter": quarter_of(event.due_on)}
        histories.add(dashboard_due_dates, "commitment_id", row | due, first=made)


def problem_history(histories: Histories, event: Any, position: int) -> None:
    """The stage the event puts the problem in from its business date on, and whether that closes it."""
    if isinstance(event, Problem.Reported):
        stage, closed = SaraStage.SCANNING.value, False
    elif isinstance(event, Problem.StageChanged | Problem.Reopened):
        stage, closed = event.stage, False
    elif isinstance(event, Problem.Assessed):
        stage, closed = SaraStage.ASSESSMENT.value, True
    else:
        return
    key = event.originator_id.hex
    row = dict(
        position=position,
        problem_id=key,
        team_id=event.team_id.hex,
        since=event.business_date,
        quarter=quarter_of(event.business_date),
        stage=stage,
        closed=closed,
    )
    histories.add(dashboard_problem_stages, "problem_id", row, first=isinstance(event, Problem.Reported))


def plan_history(histories: Histories, event: Any, position: int, *, in_plan: bool) -> None:
    """Whether the commitment is in the problem's plan from the event's business date on."""
    problem_id, commitment_id = event.originator_id.hex, event.commitment_id.hex
    row = dict(
        position=position,
        item_key=problem_id + commitment_id,
        problem_id=problem_id,
        commitment_id=commitment_id,
        team_id=event.team_id.hex,
        in_plan=in_plan,
        weight=event.weight if in_plan else 0,
        since=event.business_date,
    )
    histories.add(dashboard_plan_spans, "item_key", row)
