"""A realistic demo: three teams in Kyrgyzstan, Tajikistan and Uzbekistan, a year of monthly meetings, and the
problems they work on."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from tracker.application import Tracker
from tracker.application.drafts import CommitmentDraft, DecisionDraft, MeasureDraft
from tracker.demo_teams import TEAMS, DemoTeam
from tracker.domain.events import TrackedEvent


def load_demo(app: Tracker, *, by: str, seed: int = 2015) -> list[UUID]:
    """Record the demo through the application's own use cases; dates run over the year before today.

    Each entry is stamped as recorded on the evening of the day it is about (never after the application's now),
    the three teams' meetings in date order, so the log reads as a year of timely work: recorded today, every
    entry would show as a late entry."""
    rng = random.Random(seed)
    now = app.clock()
    today = now.date()
    start = date(today.year - 1, today.month, 1)
    ticks = itertools.count()
    loads = [_register(app, spec, by, start, (now, ticks)) for spec in TEAMS]
    for month in range(12):
        for held_on, index in sorted((_monthly(start, month, rng), index) for index in range(len(loads))):
            load = loads[index]
            if held_on > app.today_for(load.team_id):
                continue
            with _recorded_on(app, held_on, load.time_zone, (now, ticks)):
                _hold_meeting(app, load, month, held_on, by, rng)
    return [load.team_id for load in loads]


_DemoClock = tuple[datetime, Iterator[int]]
"""The application's real now, and a count that keeps the demo's recorded times in log order."""


_FIRST_CHOSEN = {"KG-O": "KG-GO"}  # Kara-Suu lies in Osh Region, not in the city of Osh


@dataclass
class _TeamLoad:
    spec: DemoTeam
    team_id: UUID
    time_zone: str
    members: list[UUID]
    open_commitments: list[tuple[UUID, date]]
    problems: dict[str, UUID] = field(default_factory=dict)  # "public" and "confidential", once reported


def _register(app: Tracker, spec: DemoTeam, by: str, start: date, clock: _DemoClock) -> _TeamLoad:
    registered_on = start - timedelta(days=30)
    with _recorded_on(app, registered_on, "UTC", clock):
        team_id = app.register_team(
            name=spec.name,
            kind=spec.kind,
            country=spec.country,
            region=_FIRST_CHOSEN.get(spec.region, spec.region),
            district=spec.district,
            municipality=spec.municipality,
            registered_on=registered_on,
            by=by,
        )
        if spec.region in _FIRST_CHOSEN:  # the region was chosen wrongly at first, and put right
            app.choose_team_region(team_id, region=spec.region, on=registered_on, by=by)
        members = [
            app.add_member(
                team_id,
                name=name,
                role=role,
                sector=sector,
                gender=gender,
                age_band=age_band,
                joined_on=registered_on,
                public_display="initials" if sector == "youth_committee" and age_band == "18_29" else "full_name",
                by=by,
            )
            for name, role, sector, gender, age_band in spec.members
        ]
    return _TeamLoad(spec, team_id, app.team(team_id).time_zone, members, [])


def _hold_meeting(app: Tracker, load: _TeamLoad, month: int, held_on: date, by: str, rng: random.Random) -> None:
    spec, members, open_commitments = load.spec, load.members, load.open_commitments
    follow_ups = [(cid, due) for cid, due in open_commitments if rng.random() < 0.6]
    minutes_note = "; ".join(spec.notes.values())
    recorded = app.record_meeting(
        load.team_id,
        held_on=held_on,
        kind="town_meeting" if month % 4 == 3 else "regular",
        place=spec.place,
        attendee_ids=rng.sample(members, k=max(4, int(len(members) * rng.uniform(0.6, 0.95)))),
        guests_female=rng.randint(0, 6),
        guests_male=rng.randint(0, 6),
        agenda=[promise[0] for promise in rng.sample(spec.promises, k=2)],
        minutes=f"{spec.place}, {held_on.isoformat()}. {minutes_note}",
        decisions=_decisions(spec, members, held_on, rng),
        by=by,
    )
    for commitment_id, due_on in follow_ups:
        status = _outcome(rng, held_on, due_on)
        app.report_follow_up(
            commitment_id, on=held_on, status=status, note=spec.notes.get(status, ""), meeting_id=recorded.id, by=by
        )
        if status != "in_progress":
            open_commitments.remove((commitment_id, due_on))
    commitments = [app.commitment(cid) for cid in recorded.commitment_ids]
    open_commitments += [(c.id, c.due_on) for c in commitments]
    if month == 5 and open_commitments:
        commitment_id, due_on = open_commitments[0]
        new_due = max(due_on, held_on) + timedelta(days=30)
        app.revise_due_date(commitment_id, due_on=new_due, reason=spec.notes["in_progress"], on=held_on, by=by)
        open_commitments[0] = (commitment_id, new_due)
    _work_problems(app, load, month, held_on, recorded.id, commitments, by)
    if month == 7:
        app.correct_minutes(
            recorded.id, minutes=f"{spec.place}, {held_on.isoformat()}.", reason=spec.notes["kept"], on=held_on, by=by
        )


CURRENCIES = {"KG": ("KGS", "15000"), "TJ": ("TJS", "6000"), "UZ": ("UZS", "12000000")}


def _work_problems(
    app: Tracker, load: _TeamLoad, month: int, held_on: date, meeting_id: UUID, made: list[Any], by: str
) -> None:
    """The team's two problems through the year: dark streets (public), scanned at the first meeting, analysed,
    answered by the lighting commitments with a local budget line and patrols, and assessed after nine months; and
    its last confidential case, reported at the third meeting and still being analysed."""
    spec, problems = load.spec, load.problems
    lighting, lamps = spec.promises[0][0], spec.promises[0][1]
    if month == 0:
        problems["public"] = app.report_problem(
            load.team_id,
            title=lighting,
            category="street_lighting",
            on=held_on,
            by=by,
            where=spec.municipality,
            raised_by_member_id=load.members[0],
            meeting_id=meeting_id,
            visibility="public",
        )
    streets = problems.get("public")
    if streets is None:
        return
    if not app.problem(streets).closed:
        for commitment in made:
            if app.sealer.open(commitment.description) == lamps:
                app.add_plan_item(streets, commitment.id, on=held_on, by=by, meeting_id=meeting_id)
    if month == 1:
        app.amend_problem_analysis(
            streets, on=held_on, by=by, location=spec.place, sources=["residents_survey", "elders"], notes=lighting
        )
        app.change_problem_stage(streets, stage="analysis", on=held_on, by=by)
    elif month == 2:
        app.change_problem_stage(streets, stage="response", on=held_on, by=by)
        currency, amount = CURRENCIES[spec.country]
        app.add_funding_line(
            streets,
            source="local_budget",
            funder=spec.bodies[0],
            amount=amount,
            currency=currency,
            state="committed",
            on=held_on,
            by=by,
        )
        problems["confidential"] = app.report_problem(
            load.team_id,
            title=spec.confidential[-1][0],
            category=spec.confidential_category,
            on=held_on,
            by=by,
            meeting_id=meeting_id,
            visibility="confidential",
        )
    elif month == 3:
        app.record_problem_activity(streets, kind="patrol", description=spec.promises[1][1], on=held_on, by=by)
        app.change_problem_stage(problems["confidential"], stage="analysis", on=held_on, by=by)
    elif month == 9:
        app.assess_problem(
            streets,
            conclusion="reduced",
            on=held_on,
            by=by,
            measures=[MeasureDraft(lighting, "12", "4", str(held_on.year - 1), str(held_on.year), "residents_survey")],
            review_on=held_on + timedelta(days=180),
        )


@contextmanager
def _recorded_on(app: Tracker, day: date, time_zone: str, clock: _DemoClock) -> Iterator[None]:
    """Record as if on the evening of `day` in the team's time zone (or at now, if earlier): the application's
    clock and the events' timestamps (the recorded time) both read that moment, a microsecond apart per event."""
    now, ticks = clock
    evening = datetime.combine(day, time(18, 0), ZoneInfo(time_zone)).astimezone(UTC)
    moment = min(evening, now)
    clock, own = app.clock, TrackedEvent.__dict__.get("create_timestamp")
    app.clock = lambda: moment
    TrackedEvent.create_timestamp = staticmethod(lambda: moment + timedelta(microseconds=next(ticks)))  # type: ignore[method-assign]
    try:
        yield
    finally:
        app.clock = clock
        if own is None:
            del TrackedEvent.create_timestamp
        else:
            TrackedEvent.create_timestamp = own  # type: ignore[method-assign]


def _monthly(start: date, month: int, rng: random.Random) -> date:
    year, index = divmod(start.month - 1 + month, 12)
    return date(start.year + year, index + 1, rng.randint(5, 20))


def _decisions(spec: DemoTeam, members: list[UUID], held_on: date, rng: random.Random) -> list[DecisionDraft]:
    decisions = []
    for text, description, visibility in rng.sample(spec.promises, k=rng.randint(1, 2)):
        owners = rng.sample(members, k=rng.randint(1, 2))
        commitments = [
            CommitmentDraft(
                description, held_on + timedelta(days=rng.choice([14, 30, 45, 60])), visibility, owner_member_id=o
            )
            for o in owners
        ]
        if rng.random() < 0.3:
            commitments.append(
                CommitmentDraft(
                    description, held_on + timedelta(days=30), visibility, owner_body=rng.choice(spec.bodies)
                )
            )
        decisions.append(DecisionDraft(text, visibility, commitments))
    if rng.random() < 0.35:
        text, description = rng.choice(spec.confidential)
        decisions.append(
            DecisionDraft(
                text,
                "confidential",
                [
                    CommitmentDraft(
                        description, held_on + timedelta(days=21), "confidential", owner_member_id=members[0]
                    )
                ],
            )
        )
    return decisions


def _outcome(rng: random.Random, held_on: date, due_on: date) -> str:
    if held_on <= due_on:
        return rng.choice(["in_progress", "kept", "kept"])
    return rng.choice(["kept", "partly_kept", "not_kept", "in_progress"])


DEMO_PASSWORD = "partnership-demo"


def load_demo_users(app: Tracker, team_ids: list[UUID], *, by: str) -> list[str]:
    """Accounts to try the demo with, all with the password DEMO_PASSWORD: never use them on a real server."""
    accounts = [("admin", "Administrator", "admin", None), ("auditor", "Donor auditor", "auditor", None)]
    for team_id in team_ids:
        code = app.team(team_id).code.lower()
        accounts += [
            (f"secretary-{code}", f"Secretary {code.upper()}", "secretary", team_id),
            (f"member-{code}", f"Member {code.upper()}", "member", team_id),
        ]
    for username, display_name, role, team_id in accounts:
        user_id = app.register_user(username=username, display_name=display_name, password=DEMO_PASSWORD, by=by)
        app.grant_role(user_id, role=role, team_id=team_id, by=by)
    return [username for username, *_ in accounts]
