"""Read model `problems`: each problem's category, stage, visibility and closure, its stage history, action plan,
activities and funding lines (texts stay sealed, as in the log).

Consumes every Problem event; owns `problems`, `problem_stages`, `problem_plan_items`, `problem_activities` and
`problem_funding`.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
)

from tracker.domain.problem import Problem
from tracker.domain.values import SaraStage
from tracker.projections.types import UTCDateTime

metadata = MetaData()
problems = Table(
    "problems",
    metadata,
    Column("problem_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("category", String(32), nullable=False),
    Column("visibility", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("place", Text, nullable=True),
    Column("reported_on", Date, nullable=False),
    Column("first_noticed_on", Date, nullable=True),
    Column("meeting_id", String(32), nullable=True),
    Column("stage", String(16), nullable=False),
    Column("stage_since", Date, nullable=False),
    Column("closed", Boolean, nullable=False),
    Column("conclusion", String(16), nullable=True),
    Column("review_on", Date, nullable=True),
    Column("analysed_on", Date, nullable=True),  # the latest analysis (its earlier versions stay in the log)
    Column("offender", Text, nullable=True),
    Column("victim", Text, nullable=True),
    Column("location", Text, nullable=True),
    Column("analysis_notes", Text, nullable=True),
    Column("sources", String(200), nullable=True),  # space-separated
    Column("measures", Text, nullable=True),  # the latest assessment's measures, as JSON (each `what` sealed)
    Column("assessment_reason", Text, nullable=True),
    Column("erased", Boolean, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)
problem_stages = Table(
    "problem_stages",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("problem_id", String(32), nullable=False, index=True),
    Column("team_id", String(32), nullable=False),
    Column("stage", String(16), nullable=False),
    Column("since", Date, nullable=False),
    Column("event_type", String(32), nullable=False),
    Column("reason", Text, nullable=True),
    Column("recorded_at", UTCDateTime(), nullable=False),
)
problem_plan_items = Table(
    "problem_plan_items",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),  # of its PlanItemAdded event
    Column("problem_id", String(32), nullable=False, index=True),
    Column("commitment_id", String(32), nullable=False, index=True),
    Column("team_id", String(32), nullable=False),
    Column("weight", Integer, nullable=False),
    Column("added_on", Date, nullable=False),
    Column("meeting_id", String(32), nullable=True),
    Column("removed_on", Date, nullable=True),  # a removed item stays, so the plan's past can be drawn
    Column("recorded_at", UTCDateTime(), nullable=False),
)
problem_activities = Table(
    "problem_activities",
    metadata,
    Column("activity_id", String(32), primary_key=True),
    Column("problem_id", String(32), nullable=False, index=True),
    Column("team_id", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("description", Text, nullable=False),
    Column("done_on", Date, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)
problem_funding = Table(
    "problem_funding",
    metadata,
    Column("line_id", String(32), primary_key=True),
    Column("problem_id", String(32), nullable=False, index=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("source", String(16), nullable=False),
    Column("funder", Text, nullable=True),
    Column("amount", String(32), nullable=False),  # a decimal string: never a float, never converted
    Column("currency", String(3), nullable=False),
    Column("state", String(16), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)


class Problems:
    name = "problems"
    version = 3  # 2: a removed plan item stays, with the date it was removed; 3: when each thing was recorded
    metadata = metadata
    consumes = (Problem.Event,)

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        problem_id = event.originator_id.hex
        if isinstance(event, Problem.Reported):
            self._reported(conn, event, problem_id, position)
            return
        if conn.execute(select(problems.c.problem_id).where(problems.c.problem_id == problem_id)).first() is None:
            return  # an as-of view may hold a correction of a problem it does not include
        row = problems.c.problem_id == problem_id
        if isinstance(event, Problem.StageChanged | Problem.Reopened):
            closing = {"closed": False, "conclusion": None, "review_on": None}
            changes = {"stage": event.stage, "stage_since": event.business_date}
            if isinstance(event, Problem.Reopened):
                changes |= closing
            conn.execute(problems.update().where(row).values(**changes))
            self._stage(conn, event, problem_id, position, event.stage, event.reason)
        elif isinstance(event, Problem.AnalysisAmended):
            conn.execute(
                problems.update()
                .where(row)
                .values(
                    analysed_on=event.business_date,
                    offender=event.offender,
                    victim=event.victim,
                    location=event.location,
                    analysis_notes=event.notes,
                    sources=" ".join(event.sources),
                )
            )
        elif isinstance(event, Problem.Assessed):
            conn.execute(
                problems.update()
                .where(row)
                .values(
                    stage=SaraStage.ASSESSMENT.value,
                    stage_since=event.business_date,
                    closed=True,
                    conclusion=event.conclusion,
                    review_on=event.review_on,
                    measures=json.dumps(event.measures, ensure_ascii=False),
                    assessment_reason=event.reason,
                )
            )
            self._stage(conn, event, problem_id, position, SaraStage.ASSESSMENT.value, event.reason)
        elif isinstance(event, Problem.PlanItemAdded):
            conn.execute(
                problem_plan_items.insert(),
                dict(
                    position=position,
                    problem_id=problem_id,
                    team_id=event.team_id.hex,
                    commitment_id=event.commitment_id.hex,
                    weight=event.weight,
                    added_on=event.business_date,
                    meeting_id=event.meeting_id.hex if event.meeting_id else None,
                    recorded_at=event.timestamp,
                ),
            )
        elif isinstance(event, Problem.PlanItemRemoved):
            conn.execute(
                problem_plan_items.update()
                .where(
                    problem_plan_items.c.problem_id == problem_id,
                    problem_plan_items.c.commitment_id == event.commitment_id.hex,
                    problem_plan_items.c.removed_on.is_(None),
                )
                .values(removed_on=event.business_date)
            )
        elif isinstance(event, Problem.ActivityRecorded):
            conn.execute(
                problem_activities.insert(),
                dict(
                    activity_id=event.activity_id.hex,
                    problem_id=problem_id,
                    team_id=event.team_id.hex,
                    kind=event.kind,
                    description=event.description,
                    done_on=event.business_date,
                    recorded_at=event.timestamp,
                ),
            )
        elif isinstance(event, Problem.FundingLineAdded):
            conn.execute(
                problem_funding.insert(),
                dict(
                    line_id=event.line_id.hex,
                    problem_id=problem_id,
                    team_id=event.team_id.hex,
                    source=event.source,
                    funder=event.funder,
                    amount=event.amount,
                    currency=event.currency,
                    state=event.state,
                    on_date=event.business_date,
                    recorded_at=event.timestamp,
                ),
            )
        elif isinstance(event, Problem.VisibilityChanged):
            conn.execute(problems.update().where(row).values(visibility=event.visibility))
        elif isinstance(event, Problem.TextErased):
            conn.execute(problems.update().where(row).values(erased=True))
        conn.execute(problems.update().where(row).values(position=position))

    def _reported(self, conn: Connection, event: Problem.Reported, problem_id: str, position: int) -> None:
        conn.execute(
            problems.insert(),
            dict(
                problem_id=problem_id,
                team_id=event.team_id.hex,
                category=event.category,
                visibility=event.visibility,
                title=event.title,
                place=event.where,
                reported_on=event.business_date,
                first_noticed_on=event.first_noticed_on,
                meeting_id=event.meeting_id.hex if event.meeting_id else None,
                stage=SaraStage.SCANNING.value,
                stage_since=event.business_date,
                closed=False,
                conclusion=None,
                review_on=None,
                analysed_on=None,
                offender=None,
                victim=None,
                location=None,
                analysis_notes=None,
                sources=None,
                measures=None,
                assessment_reason=None,
                erased=False,
                position=position,
                recorded_at=event.timestamp,
            ),
        )
        self._stage(conn, event, problem_id, position, SaraStage.SCANNING.value, None)

    @staticmethod
    def _stage(conn: Connection, event: Any, problem_id: str, position: int, stage: str, reason: str | None) -> None:
        conn.execute(
            problem_stages.insert(),
            dict(
                position=position,
                problem_id=problem_id,
                team_id=event.team_id.hex,
                stage=stage,
                since=event.business_date,
                event_type=type(event).__name__,
                reason=reason,
                recorded_at=event.timestamp,
            ),
        )


def problems_of(conn: Connection, team_id: str) -> list[Any]:
    """A team's problems, open ones first, then by the date they were reported."""
    query = (
        select(problems)
        .where(problems.c.team_id == team_id)
        .order_by(problems.c.closed, problems.c.reported_on, problems.c.problem_id)
    )
    return list(conn.execute(query))


def plan_of(conn: Connection, problem_id: str) -> list[Any]:
    """The plan's items now (removed ones left out)."""
    return [item for item in plan_history_of(conn, problem_id) if item.removed_on is None]


def plan_history_of(conn: Connection, problem_id: str) -> list[Any]:
    """Every item the plan ever held, each with the dates it was added and (if it was) removed."""
    query = select(problem_plan_items).where(problem_plan_items.c.problem_id == problem_id)
    return list(conn.execute(query.order_by(problem_plan_items.c.added_on, problem_plan_items.c.commitment_id)))


def funding_of(conn: Connection, problem_id: str) -> list[Any]:
    query = select(problem_funding).where(problem_funding.c.problem_id == problem_id)
    return list(conn.execute(query.order_by(problem_funding.c.on_date, problem_funding.c.line_id)))


def team_of_problem(conn: Connection, problem_id: str) -> str | None:
    """The team a problem belongs to (its hex id), or None for no such problem."""
    return conn.execute(select(problems.c.team_id).where(problems.c.problem_id == problem_id)).scalar()
