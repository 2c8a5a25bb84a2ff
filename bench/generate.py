"""A synthetic national data set, written through the application: teams of 8-15 members, monthly meetings,
2-6 commitments a meeting, follow-ups, revisions, handovers and some confidential items.

    .venv/bin/python bench/generate.py --teams 20 --years 2 [--database-url sqlite:///var/bench.sqlite3] [--first N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from tracker.application import Tracker
from tracker.application.drafts import CommitmentDraft, DecisionDraft
from tracker.bootstrap import Services, build_services
from tracker.confidentiality import MasterKey
from tracker.config import Settings
from tracker.domain.errors import InvalidValue
from tracker.domain.values import Country, ProblemCategory, regions_of

COUNTRIES = ("KG", "TJ", "UZ")
CATEGORIES = [category.value for category in ProblemCategory]
FUNDING_SOURCES = ("local_budget", "local_budget", "donor_grant", "ngo", "community")
LOCAL_CURRENCY = {"KG": "KGS", "TJ": "TJS", "UZ": "UZS"}
SECTORS = (
    "police",
    "local_government",
    "elders",
    "womens_committee",
    "youth_committee",
    "religious_leader",
    "school",
    "civil_society",
    "activist",
)
AGE_BANDS = ("18_29", "30_44", "45_59", "60_plus")
START = date(2015, 1, 1)


def generate(app: Tracker, *, teams: int, years: int, seed: int = 1, first: int = 0, step: int = 1) -> int:
    """Record teams number `first`, `first + step`, ... below `first + teams`; returns the meetings recorded.
    Each team has its own random sequence, so a team is the same whichever process records it."""
    meetings = 0
    for number in range(first, first + teams, step):
        meetings += _team(app, random.Random(f"{seed}/{number}"), number, years)
    return meetings


def generate_in_parallel(database_url: str, instance: Path, *, teams: int, years: int, first: int = 0) -> int:
    """`generate` in one process per core, each recording every n-th team into the same database: the log's
    writes are one at a time, but each command's own work (checks, sealing, encoding) runs side by side."""
    build(database_url, instance, project_synchronously=False).close()  # the data set's master key, once
    workers = max(1, min(os.cpu_count() or 1, teams))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        # worker k records teams first + k, first + k + workers, ...
        parts = [
            pool.submit(_generate_part, database_url, instance, teams - k, years, first + k, workers)
            for k in range(workers)
        ]
        return sum(part.result() for part in parts)


def _generate_part(database_url: str, instance: Path, teams: int, years: int, first: int, step: int) -> int:
    services = build(database_url, instance, project_synchronously=False)
    try:
        return generate(services.app, teams=teams, years=years, first=first, step=step)
    finally:
        services.close()


def _team(app: Tracker, rng: random.Random, number: int, years: int) -> int:
    code = "T" + "".join(chr(65 + (number // 26**k) % 26) for k in range(4))
    country = rng.choice(COUNTRIES)
    team_id = app.register_team(
        name=f"Team {number}",
        code=code,
        kind=rng.choice(("CPPT", "LCPC")),
        country=country,
        region=rng.choice(regions_of(Country(country))).value,
        district=f"District {number % 5}",
        municipality=f"Municipality {number}",
        registered_on=START,
        by="bench",
    )
    members = [
        app.add_member(
            team_id,
            name=f"Member {number}.{m}",
            role="chair" if m == 0 else "member",
            sector=rng.choice(SECTORS),
            gender=rng.choice(("female", "male")),
            age_band=rng.choice(AGE_BANDS),
            joined_on=START,
            by="bench",
        )
        for m in range(rng.randint(8, 15))
    ]
    open_commitments: list[UUID] = []
    meetings: list[tuple[date, UUID, list[UUID]]] = []
    for month in range(12 * years):
        held_on = date(START.year + month // 12, month % 12 + 1, rng.randint(3, 25))
        recorded = app.record_meeting(
            team_id,
            held_on=held_on,
            kind="regular",
            place="Hall",
            attendee_ids=rng.sample(members, k=len(members) * 2 // 3),
            guests_female=rng.randint(0, 5),
            guests_male=rng.randint(0, 5),
            agenda=["Safety", "Youth"],
            minutes="Minutes of the meeting. " * 8,
            decisions=_decisions(rng, members, held_on),
            by="bench",
        )
        for commitment_id in list(open_commitments):
            if rng.random() < 0.5:
                status = rng.choice(("in_progress", "kept", "kept", "partly_kept", "not_kept"))
                app.report_follow_up(
                    commitment_id,
                    on=held_on,
                    status=status,
                    note="Reported at the meeting",
                    meeting_id=recorded.id,
                    by="bench",
                )
                if status != "in_progress":
                    open_commitments.remove(commitment_id)
            elif rng.random() < 0.05:
                with suppress(InvalidValue):  # already due on that day: the record refuses a revision to it
                    app.revise_due_date(
                        commitment_id,
                        due_on=held_on + timedelta(days=45),
                        on=held_on,
                        reason="More time needed",
                        by="bench",
                    )
        open_commitments += recorded.commitment_ids
        meetings.append((held_on, recorded.id, recorded.commitment_ids))
    _problems(app, rng, team_id, country, meetings)
    return 12 * years


def _problems(app: Tracker, rng: random.Random, team_id: UUID, country: str, meetings: list[Any]) -> None:
    """One to three local safety problems, each reported at a meeting and worked to its response with some of
    that meeting's commitments as its plan and a funding line; a third of them assessed a quarter later."""
    for held_on, meeting_id, commitment_ids in rng.sample(meetings, k=min(len(meetings), rng.randint(1, 3))):
        problem = app.report_problem(
            team_id,
            title="A local safety problem",
            category=rng.choice(CATEGORIES),
            on=held_on,
            meeting_id=meeting_id,
            visibility=rng.choice(("public", "public", "team", "confidential")),
            by="bench",
        )
        app.change_problem_stage(problem, stage="response", on=held_on, by="bench")
        for commitment_id in commitment_ids[: rng.randint(1, 3)]:
            app.add_plan_item(problem, commitment_id, on=held_on, meeting_id=meeting_id, by="bench")
        app.add_funding_line(
            problem,
            source=rng.choice(FUNDING_SOURCES),
            funder="Funder",
            amount=str(rng.randint(1, 100) * 1000),
            currency=rng.choice((LOCAL_CURRENCY[country], "USD")),
            state=rng.choice(("committed", "received")),
            on=held_on,
            by="bench",
        )
        if rng.random() < 0.3:
            app.assess_problem(
                problem,
                conclusion=rng.choice(("solved", "reduced", "unchanged")),
                reason="Assessed by the team",
                on=held_on + timedelta(days=90),
                by="bench",
            )


def _decisions(rng: random.Random, members: list[UUID], held_on: date) -> list[DecisionDraft]:
    count = rng.randint(2, 6)
    decisions = []
    while count > 0:
        size = min(count, rng.randint(1, 2))
        visibility = "confidential" if rng.random() < 0.1 else rng.choice(("public", "public", "team"))
        decisions.append(
            DecisionDraft(
                "Agreed to act on a local safety problem",
                visibility,
                [
                    CommitmentDraft(
                        "Do the agreed work",
                        held_on + timedelta(days=rng.choice((14, 30, 60))),
                        visibility,
                        owner_member_id=rng.choice(members),
                    )
                    for _ in range(size)
                ],
            )
        )
        count -= size
    return decisions


def build(database_url: str, instance: Path, master_key: MasterKey | None = None, **kwargs: object) -> Services:
    """Services over a data set; its master key is kept in the instance directory, so it can be served later."""
    clock = lambda: datetime(START.year + 30, 1, 1, tzinfo=UTC)  # noqa: E731 - every generated date is in the past
    settings = Settings(database_url, instance)
    if master_key is None and settings.master_key_file.exists():
        master_key = MasterKey.from_text(settings.master_key_file.read_text())
    if master_key is None:
        master_key = MasterKey.generate()
    if not settings.master_key_file.exists():
        master_key.write(settings.master_key_file)
    return build_services(settings, master_key=master_key, clock=clock, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--database-url", default="sqlite:///var/bench.sqlite3")
    parser.add_argument("--instance", default="var/bench-instance")
    parser.add_argument("--first", type=int, default=0, help="number of the first team (to add teams to a data set)")
    args = parser.parse_args()
    started = time.perf_counter()
    meetings = generate_in_parallel(
        args.database_url, Path(args.instance), teams=args.teams, years=args.years, first=args.first
    )
    elapsed = time.perf_counter() - started
    services = build(args.database_url, Path(args.instance), project_synchronously=False)
    events = services.app.recorder.max_notification_id()
    services.close()
    print(
        f"{args.teams} teams x {args.years} years: {meetings} meetings in {elapsed:.1f} s; "
        f"the log holds {events} events"
    )


if __name__ == "__main__":
    main()
