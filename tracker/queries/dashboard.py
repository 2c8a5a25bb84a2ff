"""The donors' and ministries' dashboard: teams, meetings, promises kept on time, problems, plan progress, funding and
the participation of women and young people, for all countries, a country, a region or a district, each broken
down by the areas one level below (a district: by team), and per quarter by business date.

Owns no table: it sums the `dashboard_` read model (tracker.projections.dashboard) with a fixed number of GROUP
BY queries, whatever the number of teams. As of a past day, the same queries run over the read model's tables as
they stood that day by business date, derived from its histories (tracker.queries.dashboard_as_of). No text of
any record is read: non-public items are only counted, and counts by problem category go through
tracker.queries.disclosure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, case, func, select

from tracker.domain.values import (
    CommitmentStatus,
    Country,
    FundingSource,
    FundingState,
    ProblemCategory,
    Region,
    SaraStage,
)
from tracker.projections.dashboard_tables import (
    COUNTERS,
    dashboard_teams,
)
from tracker.projections.team_directory import team_directory
from tracker.queries.dashboard_as_of import NOW, Tables, tables_as_of
from tracker.queries.disclosure import Count, Table, suppressed

NO_REGION = "none"  # in a URL: the teams of a country whose region was written by hand, not yet chosen
CATEGORIES = [category.value for category in ProblemCategory]
STAGES = [stage.value for stage in SaraStage]


class UnknownArea(LookupError):
    """No such country, region or district on the dashboard."""


@dataclass(frozen=True)
class Scope:
    """Where the dashboard looks: everything, a country, a region of it ("" for teams without one) or a district."""

    country: str | None = None
    region: str | None = None
    district: str | None = None

    @property
    def level(self) -> str:
        """What the rows are: countries, regions, districts or teams."""
        if self.country is None:
            return "countries"
        if self.region is None:
            return "regions"
        return "districts" if self.district is None else "teams"

    @classmethod
    def parse(cls, country: str | None, region: str | None, district: str | None) -> Scope:
        """A scope from a URL's parameters; UnknownArea for a country or region not on the lists."""
        if not country:
            return cls()
        if country not in Country._value2member_map_:
            raise UnknownArea(country)
        if not region:
            return cls(country)
        if region == NO_REGION:
            region = ""
        elif region not in Region._value2member_map_ or Region(region).country != Country(country):
            raise UnknownArea(region)
        return cls(country, region, district or None)


@dataclass(kw_only=True)
class Counts:
    """What is summed from the teams' counts per quarter (tracker.projections.dashboard_tables.COUNTERS)."""

    meetings: int = 0
    people: int = 0
    women: int = 0
    members_present: int = 0
    young: int = 0
    due: int = 0
    with_outcome: int = 0
    kept_on_time: int = 0

    @property
    def women_share(self) -> float | None:
        return self.women / self.people if self.people else None

    @property
    def young_share(self) -> float | None:
        return self.young / self.members_present if self.members_present else None

    @property
    def on_time_rate(self) -> float | None:
        return self.kept_on_time / self.with_outcome if self.with_outcome else None


@dataclass
class Row(Counts):
    """One area (or team) of the level below the scope, with its figures."""

    key: str
    name: str = ""  # a team's name (areas are named by the page, in the reader's language)
    teams: int = 0
    problems: Count = field(default_factory=lambda: Count(0))
    progress: float | None = None  # the mean of its problems' plan progress, 0..1


@dataclass
class Quarter(Counts):
    quarter: str
    problems_reported: int = 0
    problems_assessed: int = 0
    received: dict[str, Decimal] = field(default_factory=dict)  # currency -> funding received in the quarter

    @property
    def any(self) -> bool:
        """Something happened in it (a quarter whose counts went back to nothing, as a due date moved on, is not
        shown)."""
        counted = (getattr(self, name) for name in COUNTERS)
        return any(counted) or bool(self.problems_reported or self.problems_assessed or self.received)


@dataclass(frozen=True)
class DashboardView:
    scope: Scope
    as_of: date | None  # None: now
    total: Row
    rows: list[Row]
    stages: dict[str, int]  # the scope's problems by stage
    closed_problems: int
    categories: Table  # rows' problems by category, small counts hidden
    funding: dict[tuple[str, str, str], Decimal]  # (source, currency, state) -> amount; never converted
    quarters: list[Quarter]

    @property
    def currencies(self) -> list[str]:
        return sorted({currency for _source, currency, _state in self.funding})

    @property
    def funding_by_source(self) -> list[tuple[str, dict[str, list[tuple[str, Decimal]]]]]:
        """Each source with funding, in the list's order (local budgets first): per currency, committed then
        received."""
        by_source: dict[str, dict[str, list[tuple[str, Decimal]]]] = {}
        for source in FundingSource:
            for state in FundingState:
                for currency in self.currencies:
                    if (amount := self.funding.get((source.value, currency, state.value))) is not None:
                        by_source.setdefault(source.value, {}).setdefault(currency, []).append((state.value, amount))
        return list(by_source.items())


def dashboard(conn: Connection, scope: Scope, as_of: date | None = None) -> DashboardView:
    """The scope's figures now, or as of a past day by business date (as known now: a late entry counts from the
    day it is dated, and a commitment of an annulled meeting never counts)."""
    in_scope = _in_scope(dashboard_teams.c, scope)
    t = NOW if as_of is None else tables_as_of(as_of, in_scope)
    teams = t.teams.c
    key = {"countries": teams.country, "regions": teams.region, "districts": teams.district, "teams": teams.team_id}[
        scope.level
    ]
    where = _in_scope(teams, scope)
    rows: dict[str, Row] = {}

    def row(value: str) -> Row:
        return rows.setdefault(value, Row(value))

    for value, count in conn.execute(select(key, func.count()).where(*where).group_by(key)):
        row(value).teams = count
    if scope.district is not None and not rows and (as_of is None or not _district_exists(conn, scope)):
        raise UnknownArea(scope.district)
    if scope.level == "teams":
        names = select(team_directory.c.team_id, team_directory.c.name).where(team_directory.c.team_id.in_(list(rows)))
        for team_id, name in conn.execute(names):
            row(team_id).name = name
    quarters: dict[str, Quarter] = {}

    def quarter(value: str) -> Quarter:
        return quarters.setdefault(value, Quarter(value))

    _counts(conn, t, key, where, row, quarter)
    categories, stages, closed = _problems(conn, t, key, where, rows, quarter)
    scope_progress = _progress(conn, t, key, where, row)
    funding = _funding(conn, t, where, quarter)
    ordered = sorted(rows.values(), key=lambda r: (r.name or r.key).casefold())
    total = Row("", teams=sum(r.teams for r in ordered), problems=categories.total, progress=scope_progress)
    for name in COUNTERS:
        setattr(total, name, sum(getattr(r, name) for r in ordered))
    return DashboardView(
        scope,
        as_of,
        total,
        ordered,
        stages,
        closed,
        categories,
        funding,
        [q for _, q in sorted(quarters.items()) if q.any],
    )


def _in_scope(teams: Any, scope: Scope) -> list[Any]:
    """The conditions on a teams table's columns that keep the scope's teams."""
    areas = ((teams.country, scope.country), (teams.region, scope.region), (teams.district, scope.district))
    return [column == value for column, value in areas if value is not None]


def _district_exists(conn: Connection, scope: Scope) -> bool:
    teams = dashboard_teams.c
    query = select(func.count()).where(
        teams.country == scope.country, teams.region == scope.region, teams.district == scope.district
    )
    return bool(conn.execute(query).scalar())


def _scoped(query: Any, t: Tables, team_id: Any, where: list[Any]) -> Any:
    return query.join(t.teams, t.teams.c.team_id == team_id).where(*where)


def _counts(conn: Connection, t: Tables, key: Any, where: list[Any], row: Any, quarter: Any) -> None:
    """Meetings, the people at them, and commitments due, with an outcome and kept on time: summed from each
    team's counts per quarter, by area and by quarter."""
    q = t.quarters.c
    sums = [func.sum(q[name]) for name in COUNTERS]
    for group, by in ((key, row), (q.quarter, quarter)):
        query = _scoped(select(group, *sums).select_from(t.quarters), t, q.team_id, where).group_by(group)
        for value, *counts in conn.execute(query):
            target = by(value)
            for name, count in zip(COUNTERS, counts, strict=True):
                setattr(target, name, int(count or 0))


def _problems(
    conn: Connection, t: Tables, key: Any, where: list[Any], rows: dict[str, Row], quarter: Any
) -> tuple[Table, dict[str, int], int]:
    p = t.problems.c
    query = _scoped(
        select(key, p.category, p.stage, p.closed, func.count()).select_from(t.problems), t, p.team_id, where
    )
    by_category: dict[tuple[Any, Any], int] = defaultdict(int)
    stages = dict.fromkeys(STAGES, 0)
    closed = 0
    for value, category, stage, is_closed, count in conn.execute(query.group_by(key, p.category, p.stage, p.closed)):
        by_category[(value, category)] += count
        stages[stage] = stages.get(stage, 0) + count
        closed += count if is_closed else 0
    table = suppressed(by_category, list(rows), CATEGORIES)
    for value, problems in table.row_totals.items():
        rows[value].problems = problems
    for group, attribute in ((p.reported_quarter, "problems_reported"), (p.assessed_quarter, "problems_assessed")):
        query = _scoped(select(group, func.count()).select_from(t.problems), t, p.team_id, where)
        for value, count in conn.execute(query.where(group.is_not(None)).group_by(group)):
            setattr(quarter(value), attribute, count)
    return table, stages, closed


def _progress(conn: Connection, t: Tables, key: Any, where: list[Any], row: Any) -> float | None:
    """Each area's plan progress, and the scope's: the mean of its problems' progress (kept 1, partly kept 1/2,
    others 0, weighted per plan item; withdrawn ones left out; a problem whose plan has nothing that counts is left
    out). A team's problems roll up to the team, teams to their district, region and country alike."""
    items, c = t.plan_items.c, t.commitments.c
    score = case(
        (c.status == CommitmentStatus.KEPT.value, 1.0), (c.status == CommitmentStatus.PARTLY_KEPT.value, 0.5), else_=0.0
    )
    per_problem = (
        select(
            items.problem_id,
            items.team_id,
            (func.sum(items.weight * score) / func.sum(items.weight)).label("progress"),
        )
        .join(t.commitments, c.commitment_id == items.commitment_id)
        .where(c.status != CommitmentStatus.WITHDRAWN.value)
        .group_by(items.problem_id, items.team_id)
        .subquery()
    )
    query = _scoped(
        select(key, func.avg(per_problem.c.progress), func.count(per_problem.c.progress)).select_from(per_problem),
        t,
        per_problem.c.team_id,
        where,
    )
    weighted, counted = 0.0, 0
    for value, progress, problems in conn.execute(query.group_by(key)):
        if progress is not None:
            row(value).progress = float(progress)
            weighted, counted = weighted + float(progress) * problems, counted + problems
    return weighted / counted if counted else None  # the scope's: the mean over all its problems, not of its areas


def _funding(conn: Connection, t: Tables, where: list[Any], quarter: Any) -> dict[tuple[str, str, str], Decimal]:
    f = t.funding.c
    query = _scoped(
        select(f.source, f.currency, f.state, func.sum(f.minor_units)).select_from(t.funding), t, f.team_id, where
    )
    funding = {
        (source, currency, state): Decimal(int(units)).scaleb(-2)
        for source, currency, state, units in conn.execute(query.group_by(f.source, f.currency, f.state))
    }
    query = _scoped(select(f.quarter, f.currency, func.sum(f.minor_units)).select_from(t.funding), t, f.team_id, where)
    for value, currency, units in conn.execute(
        query.where(f.state == FundingState.RECEIVED.value).group_by(f.quarter, f.currency)
    ):
        quarter(value).received[currency] = Decimal(int(units)).scaleb(-2)
    return funding
