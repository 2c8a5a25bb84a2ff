"""The public record of a team, redacted by construction: the queries for non-public items select only their
dates and outcomes, never their text, owner or notes, so no page or export built on them can show them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import Connection, select

from tracker.domain.timing import is_late_entry, local_date
from tracker.domain.values import AgeBand
from tracker.projections.commitments import commitment_history, commitments
from tracker.projections.meetings import decisions, meeting_attendance, meeting_corrections, meetings
from tracker.projections.roster import roster_members
from tracker.projections.team_directory import team_directory
from tracker.queries.summaries import OUTCOMES, is_overdue, summarise

PUBLIC_COMMITMENT_COLUMNS = (
    commitments.c.commitment_id,
    commitments.c.reference_year,
    commitments.c.reference_number,
    commitments.c.meeting_id,
    commitments.c.decision_id,
    commitments.c.owner_member_id,
    commitments.c.owner_body,
    commitments.c.description,
    commitments.c.made_on,
    commitments.c.due_on,
    commitments.c.original_due_on,
    commitments.c.status,
    commitments.c.closed_on,
    commitments.c.erased,
    commitments.c.withdrawn_by_annulment,
    commitments.c.recorded_at,
    commitments.c.visibility,  # "public" on every row selected with these columns; readers check it all the same
)
OUTCOME_COLUMNS = (
    commitments.c.made_on,
    commitments.c.due_on,
    commitments.c.status,
    commitments.c.closed_on,
    commitments.c.withdrawn_by_annulment,
)
PUBLIC_HISTORY_COLUMNS = (
    commitment_history.c.position,
    commitment_history.c.commitment_id,
    commitment_history.c.event_type,
    commitment_history.c.business_date,
    commitment_history.c.recorded_at,
    commitment_history.c.is_correction,
    commitment_history.c.status,
    commitment_history.c.due_on,
    commitment_history.c.owner_member_id,
    commitment_history.c.owner_body,
    commitment_history.c.text,
)


@dataclass(frozen=True)
class PublicCommitments:
    public: list[Any]
    public_summary: dict[str, int]
    non_public_summary: dict[str, int]


def public_commitments(
    conn: Connection, team_id: str, as_of: date, period: tuple[date, date] | None = None
) -> PublicCommitments:
    """Public commitments with their text (still sealed); of the others, only how many and their outcomes."""
    where = [commitments.c.team_id == team_id]
    if period:
        where += [commitments.c.made_on >= period[0], commitments.c.made_on <= period[1]]
    order = (commitments.c.reference_year, commitments.c.reference_number)
    public = list(
        conn.execute(
            select(*PUBLIC_COMMITMENT_COLUMNS).where(*where, commitments.c.visibility == "public").order_by(*order)
        )
    )
    others = list(conn.execute(select(*OUTCOME_COLUMNS).where(*where, commitments.c.visibility != "public")))
    return PublicCommitments(public, summarise(public, as_of), summarise(others, as_of))


@dataclass(frozen=True)
class MeetingLine:
    held_on: date
    kind: str
    place: str
    annulled: bool
    members_present: int
    guests: int
    women_share: float | None
    young_share: float | None
    public_decisions: list[Any]
    non_public_decisions: int
    corrections: list[Any]


@dataclass(frozen=True)
class PublicReport:
    """Everything a public report shows, as sealed text where there is text: the caller opens it for PUBLIC."""

    team: Any
    period: tuple[date, date]
    as_of: date
    known_at: int
    members: list[Any]
    meetings: list[MeetingLine]
    record: PublicCommitments
    history: dict[str, list[Any]]
    chart: list[tuple[date, dict[str, int]]]
    attendance: dict[str, float | None] = field(default_factory=dict)

    def recorded_late(self, business_date: date, recorded_at: datetime) -> bool:
        return is_late_entry(business_date, recorded_at, self.team.time_zone, self.as_of)

    def recorded_on(self, recorded_at: datetime) -> date:
        return local_date(recorded_at, self.team.time_zone)

    def overdue(self, row: Any) -> bool:
        return is_overdue(row, self.as_of)


def build_public_report(
    conn: Connection, team_id: str, as_of: date, known_at: int, period: tuple[date, date] | None = None
) -> PublicReport | None:
    team = conn.execute(select(team_directory).where(team_directory.c.team_id == team_id)).first()
    if team is None:
        return None
    period = period or (team.registered_on, as_of)
    members = [
        m
        for m in conn.execute(select(roster_members).where(roster_members.c.team_id == team_id))
        if m.joined_on <= as_of and (m.left_on is None or m.left_on > as_of)
    ]
    record = public_commitments(conn, team_id, as_of, period)
    public_ids = [row.commitment_id for row in record.public]
    history: dict[str, list[Any]] = {}
    if public_ids:
        query = (
            select(*PUBLIC_HISTORY_COLUMNS)
            .join(commitments, commitments.c.commitment_id == commitment_history.c.commitment_id)
            .where(commitment_history.c.team_id == team_id, commitments.c.visibility == "public")
            .order_by(commitment_history.c.position)
        )
        for row in conn.execute(query):
            history.setdefault(row.commitment_id, []).append(row)
    lines = _meeting_lines(conn, team_id, period)
    held = [line for line in lines if not line.annulled]
    return PublicReport(
        team=team,
        period=period,
        as_of=as_of,
        known_at=known_at,
        members=members,
        meetings=lines,
        record=record,
        history=history,
        chart=_outcomes_over_time(conn, team_id, period, as_of),
        attendance={
            "women": _mean([line.women_share for line in held]),
            "young": _mean([line.young_share for line in held]),
        },
    )


def _meeting_lines(conn: Connection, team_id: str, period: tuple[date, date]) -> list[MeetingLine]:
    rows = list(
        conn.execute(
            select(meetings)
            .where(meetings.c.team_id == team_id, meetings.c.held_on >= period[0], meetings.c.held_on <= period[1])
            .order_by(meetings.c.held_on, meetings.c.position)
        )
    )
    roster = {m.member_id: m for m in conn.execute(select(roster_members).where(roster_members.c.team_id == team_id))}
    present: dict[str, list[Any]] = {}
    for row in conn.execute(select(meeting_attendance).where(meeting_attendance.c.team_id == team_id)):
        if row.member_id in roster:
            present.setdefault(row.meeting_id, []).append(roster[row.member_id])
    public_decisions: dict[str, list[Any]] = {}
    hidden_decisions: Counter[str] = Counter()
    decision_columns = (decisions.c.meeting_id, decisions.c.visibility)
    for row in conn.execute(select(*decision_columns).where(decisions.c.team_id == team_id)):
        if row.visibility != "public":
            hidden_decisions[row.meeting_id] += 1
    public_query = (
        select(
            decisions.c.decision_id,
            decisions.c.meeting_id,
            decisions.c.text,
            decisions.c.erased,
            decisions.c.business_date,
            decisions.c.recorded_at,
        )
        .where(decisions.c.team_id == team_id, decisions.c.visibility == "public")
        .order_by(decisions.c.position)
    )
    for row in conn.execute(public_query):
        public_decisions.setdefault(row.meeting_id, []).append(row)
    corrections: dict[str, list[Any]] = {}
    correction_columns = (
        meeting_corrections.c.meeting_id,
        meeting_corrections.c.event_type,
        meeting_corrections.c.business_date,
        meeting_corrections.c.recorded_at,
        meeting_corrections.c.reason_code,
    )
    for row in conn.execute(select(*correction_columns).where(meeting_corrections.c.team_id == team_id)):
        corrections.setdefault(row.meeting_id, []).append(row)
    lines = []
    for row in rows:
        here = present.get(row.meeting_id, [])
        people = len(here) + row.guests_female + row.guests_male
        women = sum(1 for m in here if m.gender == "female") + row.guests_female
        lines.append(
            MeetingLine(
                held_on=row.held_on,
                kind=row.kind,
                place=row.place,
                annulled=row.annulled,
                members_present=len(here),
                guests=row.guests_female + row.guests_male,
                women_share=women / people if people else None,
                young_share=sum(1 for m in here if AgeBand(m.age_band).is_young) / len(here) if here else None,
                public_decisions=public_decisions.get(row.meeting_id, []),
                non_public_decisions=hidden_decisions[row.meeting_id],
                corrections=corrections.get(row.meeting_id, []),
            )
        )
    return lines


def _outcomes_over_time(
    conn: Connection, team_id: str, period: tuple[date, date], as_of: date
) -> list[tuple[date, dict[str, int]]]:
    """Counts per outcome (all commitments, public or not: counts only) at each quarter's end in the period.

    A commitment's outcome at a moment is that of its latest recorded follow-up dated on or before it. Each
    commitment adds its outcomes as spans of quarters, so the cost grows with commitments plus quarters, not
    with their product (a ten-year team has 40 quarters and hundreds of commitments).
    """
    moments = _quarter_ends(period[0], min(period[1], as_of))
    rows = list(
        conn.execute(select(*OUTCOME_COLUMNS, commitments.c.commitment_id).where(commitments.c.team_id == team_id))
    )
    statuses: dict[str, list[tuple[date, int, str]]] = {}
    for recorded, row in enumerate(
        conn.execute(
            select(
                commitment_history.c.commitment_id,
                commitment_history.c.business_date,
                commitment_history.c.status,
                commitment_history.c.event_type,
            )
            .where(commitment_history.c.team_id == team_id)
            .order_by(commitment_history.c.position)
        )
    ):
        if row.event_type.endswith("FollowUpReported"):
            statuses.setdefault(row.commitment_id, []).append((row.business_date, recorded, row.status))
        elif row.event_type.endswith("Reopened"):
            statuses.setdefault(row.commitment_id, []).append((row.business_date, recorded, "in_progress"))
    spans: dict[str, list[int]] = {outcome: [0] * (len(moments) + 1) for outcome in OUTCOMES}

    def count(outcome: str, first: int, end: int) -> None:
        if first < end:
            spans[outcome][first] += 1
            spans[outcome][end] -= 1

    for row in rows:
        first = bisect_left(moments, row.made_on)  # the first moment that counts it
        if row.withdrawn_by_annulment:
            count("withdrawn", first, len(moments))
            continue
        changes, latest = [(first, "open")], -1
        for day, recorded, status in sorted(statuses.get(row.commitment_id, [])):
            if recorded > latest:  # recorded after every follow-up dated before it: it decides from its day on
                latest = recorded
                changes.append((max(first, bisect_left(moments, day)), status))
        overdue_from = bisect_right(moments, row.due_on)  # moments after the due date
        for (start, status), (end, _) in zip(changes, [*changes[1:], (len(moments), "")], strict=True):
            count(status, start, end)
            if status in ("open", "in_progress"):
                count("overdue", max(start, overdue_from), end)
    totals = {outcome: list(accumulate(spans[outcome])) for outcome in OUTCOMES}
    return [(moment, {outcome: totals[outcome][k] for outcome in OUTCOMES}) for k, moment in enumerate(moments)]


def _quarter_ends(start: date, end: date) -> list[date]:
    ends, year, quarter = [], start.year, (start.month - 1) // 3
    while True:
        month = quarter * 3 + 3
        last = date(year + (month // 12), month % 12 + 1, 1) - timedelta(days=1)
        if last >= end:
            ends.append(end)
            return ends
        ends.append(last)
        quarter += 1
        if quarter == 4:
            year, quarter = year + 1, 0


def _mean(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) / len(known) if known else None
