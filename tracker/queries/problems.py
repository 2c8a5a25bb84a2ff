"""A team's problems with their plan's progress and funding per currency, live or as of a past date; and each
problem for one viewer, its texts opened by the Reader, with structural redaction.

Owns no table: it queries `problems`, `problem_plan_items`, `problem_funding` and `commitments`, live or in an
as-of scratch database (tracker.projections.as_of), with the same code. Texts stay sealed here: who may read them
is the Reader's business.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from tracker.domain.access import Viewer
from tracker.domain.measures import progress_of
from tracker.domain.timing import is_late_entry, local_date
from tracker.domain.values import CommitmentStatus, Visibility
from tracker.projections.commitments import commitments
from tracker.projections.problems import funding_of, plan_of, problem_activities, problem_stages, problems_of
from tracker.projections.team_directory import team_directory
from tracker.queries.commitments import CommitmentLine, commitment_lines
from tracker.queries.problem_history import ProgressPoint, WorkingMeeting, meetings_on, progress_over_time
from tracker.queries.summaries import effective_status, is_overdue
from tracker.queries.teams import member_names
from tracker.reading import Reader, Text


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
    overdue_items: int = 0  # commitments of its plan past their due date, as of the date asked (none asked: 0)


def open_problems(conn: Connection, team_id: UUID) -> list[Any]:
    """The team's problems not closed by an assessment, oldest first: what a new commitment may serve."""
    return [row for row in problems_of(conn, team_id.hex) if not row.closed]


def problem_lines(conn: Connection, team_id: str, as_of: date | None = None) -> list[ProblemLine]:
    return [_line(conn, row, as_of) for row in problems_of(conn, team_id)]


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


def _line(conn: Connection, row: Any, as_of: date | None = None) -> ProblemLine:
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
        overdue_items=_overdue(conn, row.problem_id, as_of) if as_of else 0,
    )


def _overdue(conn: Connection, problem_id: str, as_of: date) -> int:
    planned = [item.commitment_id for item in plan_of(conn, problem_id)]
    if not planned:
        return 0
    rows = conn.execute(select(commitments).where(commitments.c.commitment_id.in_(planned)))
    return sum(1 for row in rows if is_overdue(row, as_of))


def _statuses(conn: Connection, commitment_ids: list[str]) -> dict[str, CommitmentStatus]:
    if not commitment_ids:
        return {}
    query = select(commitments.c.commitment_id, commitments.c.status, commitments.c.withdrawn_by_annulment).where(
        commitments.c.commitment_id.in_(commitment_ids)
    )
    return {row.commitment_id: CommitmentStatus(effective_status(row)) for row in conn.execute(query)}


@dataclass(frozen=True)
class PlanItem:
    commitment_id: str
    weight: int
    status: str | None  # None: the commitment is not in this view (an as-of date before it was made)
    added_on: Any
    late: date | None = None  # a late entry: the day it was recorded (tracker.domain.timing.is_late_entry)


@dataclass(frozen=True)
class Activity:
    kind: str
    done_on: Any
    description: Text
    late: date | None = None


@dataclass(frozen=True)
class FundingLine:
    source: str
    funder: Text | None
    amount: Decimal
    currency: str
    state: str
    on: Any
    late: date | None = None


@dataclass(frozen=True)
class Stage:
    """A step of the problem's SARA story: the stage it reached, since when, by which event."""

    stage: str
    since: date
    event_type: str  # Reported, StageChanged, Assessed or Reopened
    late: date | None = None


@dataclass(frozen=True)
class MeasureView:
    what: Text
    before: Decimal
    after: Decimal
    before_period: str
    after_period: str
    source: str


@dataclass(frozen=True)
class ProblemView:
    """One problem for one viewer. Where the viewer may not read its visibility, the structure alone: category,
    stage, dates and counts, and no text, funder or measure (`readable` is False and those are None or empty)."""

    line: ProblemLine
    readable: bool
    reported_on: Any
    review_on: Any
    title: Text | None
    place: Text | None
    analysis: dict[str, Text] | None
    sources: list[str]
    plan: list[PlanItem]
    activities: list[Activity]
    activity_count: int
    funding_lines: list[FundingLine]
    funding_line_count: int
    measures: list[MeasureView]
    stages: list[Stage]  # oldest first
    reported_late: date | None = None  # reported as a late entry: the day it was recorded


@dataclass(frozen=True)
class ProblemPage:
    """A problem and the commitments of its plan, each as the viewer may read it; its plan's progress over time
    and the meetings that worked on it (no text: shown for a non-public problem too)."""

    view: ProblemView
    commitments: list[CommitmentLine]
    progress: list[ProgressPoint]
    meetings: list[WorkingMeeting]
    as_of: date


def problem_page(
    conn: Connection, reader: Reader, viewer: Viewer, page: str, team: Any, problem_id: str, as_of: date
) -> ProblemPage | None:
    """One problem of the team (its directory row, from `find_team`) as of a date; None if not reported by then."""
    team_id = UUID(team.team_id)
    views = problem_views(conn, reader, viewer, page, team_id, problem_id, as_of)
    if not views:
        return None
    planned = [item.commitment_id for item in views[0].plan]
    rows = list(conn.execute(select(commitments).where(commitments.c.commitment_id.in_(planned)))) if planned else []
    names = member_names(conn, team_id, public=not viewer.is_person)
    lines = commitment_lines(reader, viewer, page, team_id, team.code, rows, as_of, names)
    return ProblemPage(
        views[0], lines, progress_over_time(conn, problem_id, as_of), meetings_on(conn, problem_id), as_of
    )


def problem_views(
    conn: Connection,
    reader: Reader,
    viewer: Viewer,
    page: str,
    team_id: UUID,
    problem_id: str | None = None,
    as_of: date | None = None,
) -> list[ProblemView]:
    """The team's problems (or the one asked for) for the viewer, texts opened by the Reader; those whose plan has
    commitments overdue as of the date come first (open ones before closed ones, then by date reported)."""
    rows = [row for row in problems_of(conn, team_id.hex) if problem_id is None or row.problem_id == problem_id]
    views = [_view(conn, reader, viewer, page, team_id, row, as_of) for row in rows]
    return sorted(views, key=lambda view: -view.line.overdue_items)


def _view(
    conn: Connection, reader: Reader, viewer: Viewer, page: str, team_id: UUID, row: Any, as_of: date | None = None
) -> ProblemView:
    readable = viewer.may_read(team_id, Visibility(row.visibility))
    plan = plan_of(conn, row.problem_id)
    statuses = _statuses(conn, [item.commitment_id for item in plan])
    activities = list(conn.execute(select(problem_activities).where(problem_activities.c.problem_id == row.problem_id)))
    lines = funding_of(conn, row.problem_id)
    measures = json.loads(row.measures) if row.measures else []
    sealed: list[str | None] = [row.title, row.place, row.offender, row.victim, row.location, row.analysis_notes]
    sealed += [activity.description for activity in activities] + [line.funder for line in lines]
    sealed += [measure["what"] for measure in measures]
    texts: list[Text | None] = [None] * len(sealed)
    if readable:
        item = UUID(row.problem_id)
        texts = reader.texts(
            viewer, page, team_id, [("problem", item, row.visibility, row.erased, text) for text in sealed]
        )
    title, place, offender, victim, location, notes = texts[:6]
    rest = texts[6:]
    of_this = problem_stages.c.problem_id == row.problem_id
    zone = conn.execute(select(team_directory.c.time_zone).where(team_directory.c.team_id == team_id.hex)).scalar()

    def late(business_date: date, recorded_at: Any) -> date | None:
        """The local day it was recorded, when that makes it a late entry (as the report marks them)."""
        if zone is None or not is_late_entry(business_date, recorded_at, zone, as_of):
            return None
        return local_date(recorded_at, zone)

    stages = [
        Stage(step.stage, step.since, step.event_type, late(step.since, step.recorded_at))
        for step in conn.execute(select(problem_stages).where(of_this).order_by(problem_stages.c.position))
    ]
    return ProblemView(
        stages=stages,
        reported_late=late(row.reported_on, row.recorded_at),
        line=_line(conn, row, as_of),
        readable=readable,
        reported_on=row.reported_on,
        review_on=row.review_on,
        title=title,
        place=place,
        analysis=(
            {"offender": offender, "victim": victim, "location": location, "notes": notes}
            if readable and row.analysed_on
            else None
        ),
        sources=(row.sources or "").split() if readable else [],
        plan=[
            PlanItem(
                item.commitment_id,
                item.weight,
                statuses[item.commitment_id].value if item.commitment_id in statuses else None,
                item.added_on,
                late(item.added_on, item.recorded_at),
            )
            for item in plan
        ],
        activities=[
            Activity(
                activity.kind,
                activity.done_on,
                rest[index] or Text("erased"),
                late(activity.done_on, activity.recorded_at),
            )
            for index, activity in enumerate(activities)
        ]
        if readable
        else [],
        activity_count=len(activities),
        funding_lines=[
            FundingLine(
                line.source,
                rest[len(activities) + index],
                Decimal(line.amount),
                line.currency,
                line.state,
                line.on_date,
                late(line.on_date, line.recorded_at),
            )
            for index, line in enumerate(lines)
        ]
        if readable
        else [],
        funding_line_count=len(lines),
        measures=[
            MeasureView(
                rest[len(activities) + len(lines) + index] or Text("erased"),
                Decimal(measure["before"]),
                Decimal(measure["after"]),
                measure["before_period"],
                measure["after_period"],
                measure["source"],
            )
            for index, measure in enumerate(measures)
        ]
        if readable
        else [],
    )
