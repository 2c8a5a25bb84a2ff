"""Read model `dashboard`: the figures donors and ministries compare across teams, in the tables of
tracker.projections.dashboard_tables, so a country, a region or a district is summed by a few GROUP BY queries
however many teams there are. Events are applied a batch at a time over rows kept in memory.

Consumes Team.Registered, RegionChosen, MemberJoined; Meeting.Held, Annulled; every Commitment event that changes
a status, a due date or a visibility; every Problem event that changes a category, stage, visibility, plan or
funding. Owns the tables prefixed `dashboard_`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    select,
)

from tracker.domain.commitment import Commitment
from tracker.domain.meeting import Meeting
from tracker.domain.problem import Problem
from tracker.domain.team import Team
from tracker.domain.values import AgeBand, CommitmentStatus, Gender, Region, SaraStage
from tracker.projections.batch import Batch, Histories, Rows, insert_many
from tracker.projections.dashboard_histories import commitment_history, plan_history, problem_history
from tracker.projections.dashboard_tables import (
    COUNTERS,
    OUTCOMES,
    dashboard_commitments,
    dashboard_funding,
    dashboard_meetings,
    dashboard_members,
    dashboard_plan_items,
    dashboard_problems,
    dashboard_quarters,
    dashboard_teams,
    metadata,
    quarter_of,
)


class Dashboard:
    name = "dashboard"
    version = 5  # 2: counts per team and quarter; 3: annulled meetings' commitments; 4: histories; 5: log-order ends
    metadata = metadata
    consumes = (
        Team.Registered,
        Team.RegistrationDateCorrected,
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
        self.apply_batch(conn, [(event, position)])

    def apply_batch(self, conn: Connection, batch: Batch) -> None:
        """The batch's events in log order over rows kept in memory, then written at once: the rows an event
        changes are read once per batch, and each team's quarter counts are added up before they are written."""
        _Applied(conn, batch).run()


class _Applied:
    def __init__(self, conn: Connection, batch: Batch) -> None:
        self.conn, self.batch, self.rows = conn, batch, Rows(conn)
        self.members: dict[str, tuple[bool, bool]] = {}  # member id -> (woman, young)
        self.commitments: dict[str, dict[str, Any]] = {}  # rows read or made in this batch, as they now stand
        self.new_commitments: set[str] = set()
        self.changed_commitments: set[str] = set()
        self.teams: dict[str, dict[str, Any]] = {}  # teams registered in this batch
        self.problems: dict[str, dict[str, Any]] = {}  # problems reported in this batch
        self.plan_items: dict[tuple[str, str], dict[str, Any]] = {}  # plan items added in this batch
        self.counts: dict[tuple[str, str], dict[str, int]] = {}  # (team, quarter) -> what the batch adds
        self.histories = Histories(conn, self.rows)

    def run(self) -> None:
        self._read_ahead()
        for event, position in self.batch:
            if isinstance(event, Team.Event):
                self._team(event)
            elif isinstance(event, Meeting.Event):
                self._meeting(event)
            elif isinstance(event, Commitment.Event):
                self._commitment(event, position)
            else:
                self._problem(event, position)
        self._write()

    def _read_ahead(self) -> None:
        """The members at the batch's meetings and the commitments its follow-ups change, in a query or two each."""
        attendees = {m.hex for e, _ in self.batch if isinstance(e, Meeting.Held) for m in e.attendee_ids}
        members = dashboard_members.c
        for chunk in _chunks(sorted(attendees)):
            for row in self.conn.execute(
                select(members.member_id, members.woman, members.young).where(members.member_id.in_(chunk))
            ):
                self.members[row.member_id] = (row.woman, row.young)
        changed = {
            e.originator_id.hex
            for e, _ in self.batch
            if isinstance(e, Commitment.Event) and not isinstance(e, Commitment.Made)
        }
        for chunk in _chunks(sorted(changed)):
            query = select(dashboard_commitments).where(dashboard_commitments.c.commitment_id.in_(chunk))
            for row in self.conn.execute(query):
                self.commitments[row.commitment_id] = row._asdict()

    def _count(self, team_id: str, quarter: str, counts: dict[str, int], sign: int) -> None:
        if counts:
            added = self.counts.setdefault((team_id, quarter), dict.fromkeys(COUNTERS, 0))
            for name, value in counts.items():
                added[name] += sign * value

    def _team(self, event: Any) -> None:
        team_id = event.team_id.hex
        if isinstance(event, Team.Registered):
            region = event.region if event.region in Region._value2member_map_ else ""  # else written by hand
            row = dict(
                team_id=team_id,
                country=event.country,
                region=region,
                district=event.district,
                registered_on=event.business_date,
            )
            self.teams[team_id] = row
            self.rows.insert(dashboard_teams, row)
        elif isinstance(event, Team.RegistrationDateCorrected):
            changes = {"registered_on": event.registered_on}
            if team_id in self.teams:
                self.teams[team_id].update(changes)
            else:
                self.rows.update(dashboard_teams, dashboard_teams.c.team_id, team_id, changes)
        elif isinstance(event, Team.RegionChosen):
            if team_id in self.teams:
                self.teams[team_id]["region"] = event.region
            else:
                self.rows.update(dashboard_teams, dashboard_teams.c.team_id, team_id, {"region": event.region})
        else:
            woman, young = event.gender == Gender.FEMALE.value, AgeBand(event.age_band).is_young
            self.members[event.member_id.hex] = (woman, young)
            row = dict(member_id=event.member_id.hex, team_id=team_id, woman=woman, young=young)
            self.rows.insert(dashboard_members, row)

    def _meeting(self, event: Any) -> None:
        meeting_id = event.originator_id.hex
        if isinstance(event, Meeting.Annulled):
            self._annulled(meeting_id)
            return
        attendees = [member_id.hex for member_id in event.attendee_ids]
        present = [self.members[member_id] for member_id in attendees if member_id in self.members]
        row = dict(
            meeting_id=meeting_id,
            team_id=event.team_id.hex,
            quarter=quarter_of(event.business_date),
            held_on=event.business_date,
            people=len(attendees) + event.guests_female + event.guests_male,
            women=sum(1 for woman, _young in present if woman) + event.guests_female,
            members_present=len(attendees),
            young=sum(1 for _woman, young in present if young),
            annulled=False,
        )
        self.rows.insert(dashboard_meetings, row)
        self._count(row["team_id"], row["quarter"], _meeting_counts(row), +1)

    def _annulled(self, meeting_id: str) -> None:
        """A rare correction: what the batch holds is written first, so the meeting and its commitments are read
        as they stand."""
        self._write()
        held = self.conn.execute(select(dashboard_meetings).where(dashboard_meetings.c.meeting_id == meeting_id))
        meeting = held.one()._asdict()
        self._count(meeting["team_id"], meeting["quarter"], _meeting_counts(meeting), -1)
        self.rows.update(dashboard_meetings, dashboard_meetings.c.meeting_id, meeting_id, {"annulled": True})
        made = self.conn.execute(select(dashboard_commitments).where(dashboard_commitments.c.meeting_id == meeting_id))
        for row in made:
            commitment = self.commitments.setdefault(row.commitment_id, row._asdict())
            self._change(commitment, {"status": CommitmentStatus.WITHDRAWN.value, "annulled": True})

    def _commitment(self, event: Any, position: int) -> None:
        commitment_id = event.originator_id.hex
        commitment_history(self.histories, event, position)
        if isinstance(event, Commitment.Made):
            row = dict(
                commitment_id=commitment_id,
                team_id=event.team_id.hex,
                meeting_id=event.meeting_id.hex,
                due_on=event.due_on,
                quarter=quarter_of(event.due_on),
                status=CommitmentStatus.OPEN.value,
                closed_on=None,
                annulled=False,
            )
            self.commitments[commitment_id] = row
            self.new_commitments.add(commitment_id)
            self.rows.insert(dashboard_commitments, row)
            self._count(row["team_id"], row["quarter"], _commitment_counts(row), +1)
            return
        row = self.commitments.get(commitment_id)
        if row is None:
            return  # not made in this log (never so in a whole log; kept safe for a partial one)
        if isinstance(event, Commitment.DueDateRevised):
            self._change(row, {"due_on": event.due_on, "quarter": quarter_of(event.due_on)})
        elif row["annulled"]:
            return  # a commitment of an annulled meeting stays withdrawn, whatever is reported on it later
        elif isinstance(event, Commitment.FollowUpReported):
            closed = CommitmentStatus(event.status).is_closed
            self._change(row, {"status": event.status, "closed_on": event.business_date if closed else None})
        else:  # reopened
            self._change(row, {"status": CommitmentStatus.IN_PROGRESS.value, "closed_on": None})

    def _change(self, row: dict[str, Any], changes: dict[str, Any]) -> None:
        """Change a commitment's row in memory: its old counts taken away from its quarter, its new ones added."""
        self._count(row["team_id"], row["quarter"], _commitment_counts(row), -1)
        row.update(changes)  # a row inserted in this batch is still the dict the insert will write
        self._count(row["team_id"], row["quarter"], _commitment_counts(row), +1)
        if row["commitment_id"] not in self.new_commitments:
            self.changed_commitments.add(row["commitment_id"])

    def _problem(self, event: Any, position: int) -> None:
        problem_id = event.originator_id.hex
        problem_history(self.histories, event, position)
        if isinstance(event, Problem.Reported):
            row = dict(
                problem_id=problem_id,
                team_id=event.team_id.hex,
                category=event.category,
                stage=SaraStage.SCANNING.value,
                closed=False,
                reported_quarter=quarter_of(event.business_date),
                assessed_quarter=None,
            )
            self.problems[problem_id] = row
            self.rows.insert(dashboard_problems, row)
        elif isinstance(event, Problem.StageChanged):
            self._problem_changed(problem_id, {"stage": event.stage})
        elif isinstance(event, Problem.Assessed):
            assessed = quarter_of(event.business_date)
            self._problem_changed(
                problem_id, {"stage": SaraStage.ASSESSMENT.value, "closed": True, "assessed_quarter": assessed}
            )
        elif isinstance(event, Problem.Reopened):
            self._problem_changed(problem_id, {"stage": event.stage, "closed": False, "assessed_quarter": None})
        elif isinstance(event, Problem.PlanItemAdded):
            key = (problem_id, event.commitment_id.hex)
            if key in self.plan_items:  # added again in the batch: a log read only up to a day skips the removal
                self.plan_items[key]["weight"] = event.weight
            else:
                item = dict(problem_id=problem_id, commitment_id=key[1], team_id=event.team_id.hex)
                self.plan_items[key] = item | {"weight": event.weight}
                self.rows.insert(dashboard_plan_items, self.plan_items[key])
            plan_history(self.histories, event, position, in_plan=True)
        elif isinstance(event, Problem.PlanItemRemoved):
            self._write()  # the item may have been added in this batch
            items = dashboard_plan_items.c
            self.conn.execute(
                dashboard_plan_items.delete().where(
                    items.problem_id == problem_id, items.commitment_id == event.commitment_id.hex
                )
            )
            plan_history(self.histories, event, position, in_plan=False)
        else:  # a funding line
            line = dict(
                line_id=event.line_id.hex,
                team_id=event.team_id.hex,
                source=event.source,
                currency=event.currency,
                state=event.state,
                minor_units=int(Decimal(event.amount) * 100),
                quarter=quarter_of(event.business_date),
                dated_on=event.business_date,
            )
            self.rows.insert(dashboard_funding, line)

    def _problem_changed(self, problem_id: str, changes: dict[str, Any]) -> None:
        if problem_id in self.problems:
            self.problems[problem_id].update(changes)
        else:
            self.rows.update(dashboard_problems, dashboard_problems.c.problem_id, problem_id, changes)

    def _write(self) -> None:
        """Everything the batch holds so far, then its quarter counts added to those stored."""
        self.histories.write_stored()
        self.rows.flush()
        self.teams.clear()
        self.problems.clear()
        self.plan_items.clear()
        if self.changed_commitments:
            columns = ("due_on", "quarter", "status", "closed_on", "annulled")
            statement = (
                dashboard_commitments.update()
                .where(dashboard_commitments.c.commitment_id == bindparam("row_key"))
                .values({column: bindparam(column) for column in columns})
            )
            rows = [self.commitments[key] for key in sorted(self.changed_commitments)]
            self.conn.execute(
                statement, [{"row_key": row["commitment_id"], **{c: row[c] for c in columns}} for row in rows]
            )
        self.new_commitments.clear()
        self.changed_commitments.clear()
        self._write_counts()

    def _write_counts(self) -> None:
        if not self.counts:
            return
        q = dashboard_quarters.c
        stored: dict[tuple[str, str], dict[str, int]] = {}
        for chunk in _chunks(sorted({team_id for team_id, _quarter in self.counts})):
            for row in self.conn.execute(select(dashboard_quarters).where(q.team_id.in_(chunk))):
                if (row.team_id, row.quarter) in self.counts:
                    stored[(row.team_id, row.quarter)] = {name: getattr(row, name) for name in COUNTERS}
        updates, inserts = [], []
        for (team_id, quarter), added in sorted(self.counts.items()):
            if (team_id, quarter) in stored:
                total = {name: stored[(team_id, quarter)][name] + added[name] for name in COUNTERS}
                updates.append({"row_team": team_id, "row_quarter": quarter, **total})
            else:
                inserts.append({"team_id": team_id, "quarter": quarter, **added})
        if updates:
            statement = (
                dashboard_quarters.update()
                .where(q.team_id == bindparam("row_team"), q.quarter == bindparam("row_quarter"))
                .values({name: bindparam(name) for name in COUNTERS})
            )
            self.conn.execute(statement, updates)
        insert_many(self.conn, dashboard_quarters, inserts)
        self.counts.clear()


def _chunks(values: list[str], size: int = 900) -> list[list[str]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


def _meeting_counts(row: dict[str, Any]) -> dict[str, int]:
    """What a meeting adds to its team's quarter: nothing once annulled."""
    if row["annulled"]:
        return {}
    names = ("people", "women", "members_present", "young")
    return {"meetings": 1} | {name: row[name] for name in names}


def _commitment_counts(row: dict[str, Any]) -> dict[str, int]:
    """What a commitment adds to the quarter it is due in: due unless withdrawn; with an outcome once kept, partly
    kept or not kept; kept on time when reported kept by its (last) due date."""
    if row["status"] == CommitmentStatus.WITHDRAWN.value:
        return {}
    kept = row["status"] == CommitmentStatus.KEPT.value and row["closed_on"] <= row["due_on"]
    return {"due": 1, "with_outcome": int(row["status"] in OUTCOMES), "kept_on_time": int(kept)}
