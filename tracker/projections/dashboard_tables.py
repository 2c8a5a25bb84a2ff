"""The tables of read model `dashboard` (tracker.projections.dashboard): one row per team, member, meeting,
commitment, problem, plan item and funding line, each carrying only what is counted (no text at all) and the
quarter of its business date; each team's counts per quarter; and the history of what changes (a commitment's
status and due date, a problem's stage, a plan's items) by business date, so the dashboard can be summed as of any
past day (tracker.queries.dashboard_as_of)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Boolean, Column, Date, Integer, MetaData, String, Table

from tracker.domain.values import CommitmentStatus

COUNTERS = ("meetings", "people", "women", "members_present", "young", "due", "with_outcome", "kept_on_time")
OUTCOMES = (CommitmentStatus.KEPT.value, CommitmentStatus.PARTLY_KEPT.value, CommitmentStatus.NOT_KEPT.value)

metadata = MetaData()
dashboard_teams = Table(
    "dashboard_teams",
    metadata,
    Column("team_id", String(32), primary_key=True),
    Column("country", String(2), nullable=False),
    Column("region", String(8), nullable=False),  # a code of the list; "" while only written by hand
    Column("district", String(200), nullable=False),
    Column("registered_on", Date, nullable=False),
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
    Column("held_on", Date, nullable=False),
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
    Column("annulled", Boolean, nullable=False),  # its meeting was annulled: withdrawn for good
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
    Column("dated_on", Date, nullable=False),
)
dashboard_commitment_statuses = Table(
    "dashboard_commitment_statuses",
    metadata,
    Column("position", BigInteger, primary_key=True),  # of the event in the log: made, followed up or reopened
    Column("commitment_id", String(32), nullable=False, index=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("since", Date, nullable=False),  # the event's business date
    Column("until", Date, nullable=True),  # the earliest date of a row recorded after it; null while none is
    Column("status", String(16), nullable=False),
)
"""A commitment's status from each business date on: as of a day, each commitment's row with since <= day < until
(the ends are kept by tracker.projections.batch.Histories: the row recorded last among those dated by the day);
a commitment of an annulled meeting counts as withdrawn throughout."""
dashboard_due_dates = Table(
    "dashboard_due_dates",
    metadata,
    Column("position", BigInteger, primary_key=True),  # made, or its due date revised
    Column("commitment_id", String(32), nullable=False, index=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("since", Date, nullable=False),
    Column("until", Date, nullable=True),  # the earliest date of a revision recorded after it
    Column("due_on", Date, nullable=False),
    Column("quarter", String(7), nullable=False),  # of due_on
)
dashboard_problem_stages = Table(
    "dashboard_problem_stages",
    metadata,
    Column("position", BigInteger, primary_key=True),  # reported, stage changed, assessed or reopened
    Column("problem_id", String(32), nullable=False, index=True),
    Column("team_id", String(32), nullable=False, index=True),
    Column("since", Date, nullable=False),
    Column("until", Date, nullable=True),
    Column("quarter", String(7), nullable=False),  # of since
    Column("stage", String(16), nullable=False),
    Column("closed", Boolean, nullable=False),
)
"""A problem's stage from each business date on, and whether an assessment had closed it."""
dashboard_plan_spans = Table(
    "dashboard_plan_spans",
    metadata,
    Column("position", BigInteger, primary_key=True),  # of the PlanItemAdded or PlanItemRemoved event
    Column("item_key", String(64), nullable=False, index=True),  # problem_id + commitment_id
    Column("problem_id", String(32), nullable=False),
    Column("commitment_id", String(32), nullable=False),
    Column("team_id", String(32), nullable=False, index=True),
    Column("in_plan", Boolean, nullable=False),  # added (with its weight), or removed
    Column("weight", Integer, nullable=False),
    Column("since", Date, nullable=False),
    Column("until", Date, nullable=True),
)
"""Whether a commitment was in a problem's plan, from each day it was added or removed on: on any day, one state."""


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
