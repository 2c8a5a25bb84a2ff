"""Read model `dashboard`: the figures donors and ministries compare across teams, one row per team, member,
meeting, commitment, problem, plan item and funding line, each carrying only what is counted (no text at all) and
the quarter of its business date, so a country, a region or a district is summed by a few GROUP BY queries
however many teams there are.

Consumes Team.Registered, RegionChosen, MemberJoined; Meeting.Held, Annulled; every Commitment event that changes
a status, a due date or a visibility; every Problem event that changes a category, stage, visibility, plan or
funding. Owns the tables prefixed `dashboard_`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Connection, Date, Integer, MetaData, String, Table, select, update

from tracker.domain.commitment import Commitment
from tracker.domain.meeting import Meeting
from tracker.domain.problem import Problem
from tracker.domain.team import Team
from tracker.domain.values import AgeBand, CommitmentStatus, Gender, Region, SaraStage

COUNTERS = ("meetings", "people", "women", "members_present", "young", "due", "with_outcome", "kept_on_time")
_OUTCOMES = (CommitmentStatus.KEPT.value, CommitmentStatus.PARTLY_KEPT.value, CommitmentStatus.NOT_KEPT.value)

metadata = MetaData()
dashboard_teams = Table(
    "dashboard_teams",
    metadata,
    Column("team_id", String(32), primary_key=True),
    Column("country", String(2), nullable=False),
    Column("region", String(8), nullable=False),  # a code of the list; "" while only written by hand
    Column("district", String(200), nullable=False),
)
dashboard_members = Table(
    "dashboard_members",
    metadata,
    Column("member_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False),
    Column("woman", Boolean, nullable=False),
    Column("young", Boolean, nullable=False),  # under 30
)
dashboard_meetings = Table(
    "dashboard_meetings",
    metadata,
    Column("meeting_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("quarter", String(7), nullable=False),  # 2015-Q3, by the meeting's business date
    Column("people", Integer, nullable=False),  # members present and guests
    Column("women", Integer, nullable=False),  # women among them (members and guests)
    Column("members_present", Integer, nullable=False),
    Column("young", Integer, nullable=False),  # members present under 30 (guests' ages are not recorded)
    Column("annulled", Boolean, nullable=False),
)
dashboard_commitments = Table(
    "dashboard_commitments",
    metadata,
    Column("commitment_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("meeting_id", String(32), nullable=False, index=True),
    Column("due_on", Date, nullable=False),
    Column("quarter", String(7), nullable=False),  # of the (last) due date
    Column("status", String(16), nullable=False),  # withdrawn when its meeting was annulled
    Column("closed_on", Date, nullable=True),
)
dashboard_problems = Table(
    "dashboard_problems",
    metadata,
    Column("problem_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("category", String(32), nullable=False),
    Column("stage", String(16), nullable=False),
    Column("closed", Boolean, nullable=False),
    Column("reported_quarter", String(7), nullable=False),
    Column("assessed_quarter", String(7), nullable=True),  # while closed: the quarter of its assessment
)
dashboard_plan_items = Table(
    "dashboard_plan_items",
    metadata,
    Column("problem_id", String(32), primary_key=True),
    Column("commitment_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("weight", Integer, nullable=False),
)
dashboard_funding = Table(
    "dashboard_funding",
    metadata,
    Column("line_id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("source", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("state", String(16), nullable=False),
    Column("minor_units", BigInteger, nullable=False),  # the amount in hundredths: summed exactly by the database
    Column("quarter", String(7), nullable=False),
)


dashboard_quarters = Table(
    "dashboard_quarters",
    metadata,
    Column("team_id", String(32), primary_key=True),
    Column("quarter", String(7), primary_key=True),
    *(Column(name, Integer, nullable=False) for name in COUNTERS),
)
"""Each team's counts per quarter, kept up to date as meetings and commitments change (from their rows above), so
the dashboard sums a few rows per team and quarter instead of every meeting and commitment."""


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


class Dashboard:
    name = "dashboard"
    version = 2  # 2: counts per team and quarter
    metadata = metadata
    consumes = (
        Team.Registered,
        Team.RegionChosen,
        Team.MemberJoined,
        Meeting.Held,
        Meeting.Annulled,
        Commitment.Made,
        Commitment.FollowUpReported,
        Commitment.DueDateRevised,
        Commitment.Reopened,
        Problem.Reported,
        Problem.StageChanged,
        Problem.Assessed,
        Problem.Reopened,
        Problem.PlanItemAdded,
        Problem.PlanItemRemoved,
        Problem.FundingLineAdded,
    )

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        if isinstance(event, Team.Event):
            self._team(conn, event)
        elif isinstance(event, Meeting.Event):
            self._meeting(conn, event)
        elif isinstance(event, Commitment.Event):
            self._commitment(conn, event)
        else:
            self._problem(conn, event)

    def _team(self, conn: Connection, event: Any) -> None:
        team_id = event.team_id.hex
        if isinstance(event, Team.Registered):
            region = event.region if event.region in Region._value2member_map_ else ""  # else written by hand
            row = dict(team_id=team_id, country=event.country, region=region, district=event.district)
            conn.execute(dashboard_teams.insert(), row)
        elif isinstance(event, Team.RegionChosen):
            team = dashboard_teams.c.team_id == team_id
            conn.execute(dashboard_teams.update().where(team).values(region=event.region))
        else:
            conn.execute(
                dashboard_members.insert(),
                dict(
                    member_id=event.member_id.hex,
                    team_id=team_id,
                    woman=event.gender == Gender.FEMALE.value,
                    young=AgeBand(event.age_band).is_young,
                ),
            )

    def _meeting(self, conn: Connection, event: Any) -> None:
        meeting_id = event.originator_id.hex
        if isinstance(event, Meeting.Annulled):
            held = select(dashboard_meetings).where(dashboard_meetings.c.meeting_id == meeting_id)
            row = conn.execute(held).one()._asdict()
            _count(conn, row["team_id"], row["quarter"], _meeting_counts(row), -1)
            conn.execute(
                dashboard_meetings.update().where(dashboard_meetings.c.meeting_id == meeting_id).values(annulled=True)
            )
            of_meeting = dashboard_commitments.c.meeting_id == meeting_id
            for made in conn.execute(select(dashboard_commitments).where(of_meeting)).all():
                _count(conn, made.team_id, made.quarter, _commitment_counts(made._asdict()), -1)
            conn.execute(
                dashboard_commitments.update().where(of_meeting).values(status=CommitmentStatus.WITHDRAWN.value)
            )
            return
        attendees = [member_id.hex for member_id in event.attendee_ids]
        present = list(
            conn.execute(
                select(dashboard_members.c.woman, dashboard_members.c.young).where(
                    dashboard_members.c.member_id.in_(attendees)
                )
            )
        )
        row = dict(
            meeting_id=meeting_id,
            team_id=event.team_id.hex,
            quarter=quarter_of(event.business_date),
            people=len(attendees) + event.guests_female + event.guests_male,
            women=sum(1 for member in present if member.woman) + event.guests_female,
            members_present=len(attendees),
            young=sum(1 for member in present if member.young),
            annulled=False,
        )
        conn.execute(dashboard_meetings.insert(), row)
        _count(conn, row["team_id"], row["quarter"], _meeting_counts(row), +1)

    def _commitment(self, conn: Connection, event: Any) -> None:
        commitment_id = event.originator_id.hex
        if isinstance(event, Commitment.Made):
            made = dict(
                commitment_id=commitment_id,
                team_id=event.team_id.hex,
                meeting_id=event.meeting_id.hex,
                due_on=event.due_on,
                quarter=quarter_of(event.due_on),
                status=CommitmentStatus.OPEN.value,
                closed_on=None,
            )
            conn.execute(dashboard_commitments.insert(), made)
            _count(conn, made["team_id"], made["quarter"], _commitment_counts(made), +1)
            return
        key = dashboard_commitments.c.commitment_id == commitment_id
        old = conn.execute(select(dashboard_commitments).where(key)).one()._asdict()
        if isinstance(event, Commitment.DueDateRevised):
            changes = {"due_on": event.due_on, "quarter": quarter_of(event.due_on)}
        elif old["status"] == CommitmentStatus.WITHDRAWN.value and _annulled(conn, old["meeting_id"]):
            return  # a commitment of an annulled meeting stays withdrawn, whatever is reported on it later
        elif isinstance(event, Commitment.FollowUpReported):
            closed = CommitmentStatus(event.status).is_closed
            changes = {"status": event.status, "closed_on": event.business_date if closed else None}
        else:  # reopened
            changes = {"status": CommitmentStatus.IN_PROGRESS.value, "closed_on": None}
        new = old | changes
        conn.execute(dashboard_commitments.update().where(key).values(**changes))
        _count(conn, old["team_id"], old["quarter"], _commitment_counts(old), -1)
        _count(conn, new["team_id"], new["quarter"], _commitment_counts(new), +1)

    def _problem(self, conn: Connection, event: Any) -> None:
        problem_id = event.originator_id.hex
        row = dashboard_problems.c.problem_id == problem_id
        if isinstance(event, Problem.Reported):
            conn.execute(
                dashboard_problems.insert(),
                dict(
                    problem_id=problem_id,
                    team_id=event.team_id.hex,
                    category=event.category,
                    stage=SaraStage.SCANNING.value,
                    closed=False,
                    reported_quarter=quarter_of(event.business_date),
                    assessed_quarter=None,
                ),
            )
        elif isinstance(event, Problem.StageChanged):
            conn.execute(dashboard_problems.update().where(row).values(stage=event.stage))
        elif isinstance(event, Problem.Assessed):
            assessed = dict(
                stage=SaraStage.ASSESSMENT.value, closed=True, assessed_quarter=quarter_of(event.business_date)
            )
            conn.execute(dashboard_problems.update().where(row).values(**assessed))
        elif isinstance(event, Problem.Reopened):
            conn.execute(
                dashboard_problems.update().where(row).values(stage=event.stage, closed=False, assessed_quarter=None)
            )
        elif isinstance(event, Problem.PlanItemAdded):
            item = dict(problem_id=problem_id, commitment_id=event.commitment_id.hex, team_id=event.team_id.hex)
            conn.execute(dashboard_plan_items.insert(), item | {"weight": event.weight})
        elif isinstance(event, Problem.PlanItemRemoved):
            conn.execute(
                dashboard_plan_items.delete().where(
                    dashboard_plan_items.c.problem_id == problem_id,
                    dashboard_plan_items.c.commitment_id == event.commitment_id.hex,
                )
            )
        else:  # a funding line
            conn.execute(
                dashboard_funding.insert(),
                dict(
                    line_id=event.line_id.hex,
                    team_id=event.team_id.hex,
                    source=event.source,
                    currency=event.currency,
                    state=event.state,
                    minor_units=int(Decimal(event.amount) * 100),
                    quarter=quarter_of(event.business_date),
                ),
            )


def _meeting_counts(row: Any) -> dict[str, int]:
    """What a meeting adds to its team's quarter: nothing once annulled."""
    if row["annulled"]:
        return {}
    names = ("people", "women", "members_present", "young")
    return {"meetings": 1} | {name: row[name] for name in names}


def _commitment_counts(row: Any) -> dict[str, int]:
    """What a commitment adds to the quarter it is due in: due unless withdrawn; with an outcome once kept, partly
    kept or not kept; kept on time when reported kept by its (last) due date."""
    if row["status"] == CommitmentStatus.WITHDRAWN.value:
        return {}
    kept = row["status"] == CommitmentStatus.KEPT.value and row["closed_on"] <= row["due_on"]
    return {"due": 1, "with_outcome": int(row["status"] in _OUTCOMES), "kept_on_time": int(kept)}


def _count(conn: Connection, team_id: str, quarter: str, counts: dict[str, int], sign: int) -> None:
    """Add (sign +1) or take away (-1) counts from a team's quarter, creating its row when first counted."""
    changes = {name: value * sign for name, value in counts.items() if value}
    if not changes:
        return
    q = dashboard_quarters.c
    here = (q.team_id == team_id) & (q.quarter == quarter)
    updated = conn.execute(
        update(dashboard_quarters).where(here).values({name: q[name] + value for name, value in changes.items()})
    )
    if updated.rowcount == 0:
        conn.execute(
            dashboard_quarters.insert(),
            dict(team_id=team_id, quarter=quarter, **{name: changes.get(name, 0) for name in COUNTERS}),
        )


def _annulled(conn: Connection, meeting_id: str) -> bool:
    query = select(dashboard_meetings.c.annulled).where(dashboard_meetings.c.meeting_id == meeting_id)
    return bool(conn.execute(query).scalar())
