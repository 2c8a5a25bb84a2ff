"""A problem's story over time: its plan's progress on each day something changed it (drawn as a line), and the
meetings that worked on it (where it was reported, where commitments of its plan were made, added to it or
followed up); and, for commitments, the problems they serve.

Owns no table: it queries `problems`, `problem_plan_items` (removed items included), `commitments`,
`commitment_history` and `meetings`. No text is read: dates, statuses, weights and kinds only, so a non-public
problem's history can be shown as structure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, select

from tracker.domain.measures import progress_of
from tracker.domain.values import CommitmentStatus
from tracker.projections.commitments import commitment_history, commitments
from tracker.projections.meetings import meetings
from tracker.projections.problems import plan_history_of, problem_plan_items, problems


@dataclass(frozen=True)
class ProgressPoint:
    on: date
    progress: Fraction | None  # None: nothing in the plan counted on that day


def progress_over_time(conn: Connection, problem_id: str, until: date) -> list[ProgressPoint]:
    """The plan's progress on each business date when an item was added or removed or a planned commitment's
    status changed, up to `until`: the items in the plan that day, each with its status that day. A commitment of
    an annulled meeting counts as withdrawn throughout."""
    items = plan_history_of(conn, problem_id)
    if not items:
        return []
    planned = sorted({item.commitment_id for item in items})
    annulled = {
        row.commitment_id
        for row in conn.execute(
            select(commitments.c.commitment_id, commitments.c.withdrawn_by_annulment).where(
                commitments.c.commitment_id.in_(planned)
            )
        )
        if row.withdrawn_by_annulment
    }
    changes: dict[str, list[tuple[date, CommitmentStatus]]] = {commitment_id: [] for commitment_id in planned}
    query = (
        select(commitment_history.c.commitment_id, commitment_history.c.business_date, commitment_history.c.event_type)
        .add_columns(commitment_history.c.status)
        .where(commitment_history.c.commitment_id.in_(planned))
        .order_by(commitment_history.c.business_date, commitment_history.c.position)
    )
    for row in conn.execute(query):
        if row.event_type.endswith("FollowUpReported") and row.status:
            changes[row.commitment_id].append((row.business_date, CommitmentStatus(row.status)))
        elif row.event_type.endswith("Reopened"):
            changes[row.commitment_id].append((row.business_date, CommitmentStatus.IN_PROGRESS))
    days = {item.added_on for item in items} | {item.removed_on for item in items if item.removed_on}
    days |= {day for history in changes.values() for day, _status in history}
    points = []
    for day in sorted(day for day in days if day <= until):
        counted = [
            (item.weight, _status_on(changes[item.commitment_id], day, item.commitment_id in annulled))
            for item in items
            if item.added_on <= day and (item.removed_on is None or day < item.removed_on)
        ]
        points.append(ProgressPoint(day, progress_of(counted)))
    return points


def _status_on(history: list[tuple[date, CommitmentStatus]], day: date, annulled: bool) -> CommitmentStatus:
    if annulled:
        return CommitmentStatus.WITHDRAWN
    status = CommitmentStatus.OPEN
    for changed_on, changed_to in history:
        if changed_on > day:
            break
        status = changed_to
    return status


@dataclass(frozen=True)
class WorkingMeeting:
    """A meeting that worked on the problem, and what it did for it: reported it, made commitments of its plan,
    added commitments to the plan, or followed them up."""

    meeting_id: str
    held_on: date
    kind: str
    annulled: bool
    did: tuple[str, ...]  # of: reported, made, added, followed_up


def meetings_on(conn: Connection, problem_id: str) -> list[WorkingMeeting]:
    """The meetings that worked on the problem, oldest first."""
    did: dict[str, set[str]] = {}

    def note(meeting_id: str | None, what: str) -> None:
        if meeting_id:
            did.setdefault(meeting_id, set()).add(what)

    reported = conn.execute(select(problems.c.meeting_id).where(problems.c.problem_id == problem_id)).scalar()
    note(reported, "reported")
    items = plan_history_of(conn, problem_id)
    planned = sorted({item.commitment_id for item in items})
    for item in items:
        note(item.meeting_id, "added")
    if planned:
        made = select(commitments.c.meeting_id).where(commitments.c.commitment_id.in_(planned))
        for (meeting_id,) in conn.execute(made):
            note(meeting_id, "made")
        followed = select(commitment_history.c.meeting_id).where(
            commitment_history.c.commitment_id.in_(planned), commitment_history.c.meeting_id.is_not(None)
        )
        for (meeting_id,) in conn.execute(followed):
            note(meeting_id, "followed_up")
    if not did:
        return []
    rows: list[Any] = list(
        conn.execute(
            select(meetings.c.meeting_id, meetings.c.held_on, meetings.c.kind, meetings.c.annulled).where(
                meetings.c.meeting_id.in_(list(did))
            )
        )
    )
    order = ("reported", "made", "added", "followed_up")
    return sorted(
        (
            WorkingMeeting(
                row.meeting_id,
                row.held_on,
                row.kind,
                row.annulled,
                tuple(what for what in order if what in did[row.meeting_id]),
            )
            for row in rows
        ),
        key=lambda meeting: (meeting.held_on, meeting.meeting_id),
    )


@dataclass(frozen=True)
class Served:
    """A problem a commitment serves (it is in the problem's plan): a non-public one is named by its category."""

    problem_id: str
    category: str
    visibility: str


def problems_served(conn: Connection, commitment_ids: list[str]) -> dict[str, list[Served]]:
    """For each commitment, the problems whose plans hold it now, in one query."""
    if not commitment_ids:
        return {}
    items = problem_plan_items.c
    query = (
        select(items.commitment_id, problems.c.problem_id, problems.c.category, problems.c.visibility)
        .join(problems, problems.c.problem_id == items.problem_id)
        .where(items.commitment_id.in_(commitment_ids), items.removed_on.is_(None))
        .order_by(items.commitment_id, problems.c.reported_on, problems.c.problem_id)
    )
    served: dict[str, list[Served]] = {}
    for row in conn.execute(query):
        served.setdefault(row.commitment_id, []).append(Served(row.problem_id, row.category, row.visibility))
    return served
