"""The donors' and ministries' dashboard at national scale (issue 19): its pages at every level over --teams teams,
beside the trivial page, in one run, through the application in one process (Flask's test client, no network).

    .venv/bin/python bench/dashboard.py [--teams 2000] [--years 1] [--runs 20]

The data set (bench/generate.py: teams in every region, monthly meetings, follow-ups, one to three problems a team
with plans and funding) is made once and kept in var/bench/ (dashboard-<teams>x<years>.sqlite3). Each page reads
the `dashboard_` read model with the same few GROUP BY queries however many teams there are; the figures are the
median of --runs requests each, the ratio the median beside the trivial page's.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import build, generate_in_parallel
from sqlalchemy import event

from tracker.web import create_app

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=2000)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--data", default=str(ROOT / "var" / "bench"))
    args = parser.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    database = data / f"dashboard-{args.teams}x{args.years}.sqlite3"
    url, instance = f"sqlite:///{database}", data / f"dashboard-{args.teams}x{args.years}-instance"
    if not database.exists():
        started = time.perf_counter()
        generate_in_parallel(url, instance, teams=args.teams, years=args.years)
        print(f"generated {args.teams} teams x {args.years} years in {time.perf_counter() - started:.0f} s")
    services = build(url, instance)
    services.projections.catch_up()
    events = services.app.recorder.max_notification_id()
    app = create_app({"TESTING": True, "SECRET_KEY": "bench"}, services=services)
    logging.getLogger("tracker.requests").setLevel(logging.WARNING)
    client = app.test_client()
    with services.engine.connect() as conn:
        region, district = conn.exec_driver_sql(
            "SELECT region, district FROM dashboard_teams WHERE country = 'KG' GROUP BY region, district "
            "ORDER BY count(*) DESC LIMIT 1"
        ).one()
        first, last = conn.exec_driver_sql("SELECT min(held_on), max(held_on) FROM dashboard_meetings").one()
    first, last = date.fromisoformat(str(first)), date.fromisoformat(str(last))
    midway = (first + (last - first) / 2).isoformat()  # as of a past day: every history half-way through
    pages = {
        "trivial page (/healthz)": "/healthz",
        "all countries": "/dashboard",
        "a country (KG: its regions)": "/dashboard?country=KG",
        f"a region ({region}: its districts)": f"/dashboard?country=KG&region={region}",
        f"a district ({district}: its teams)": f"/dashboard?country=KG&region={region}&district={district}",
        "all countries as CSV": "/dashboard.csv",
        f"all countries as of {midway}": f"/dashboard?as_of={midway}",
        f"a district as of {midway}": f"/dashboard?country=KG&region={region}&district={district}&as_of={midway}",
    }
    queries = 0

    def count(*_args: object) -> None:
        nonlocal queries
        queries += 1

    event.listen(services.engine, "before_cursor_execute", count)
    medians = {}
    for name, page in pages.items():
        assert client.get(page).status_code == 200, page  # warm: templates compiled, caches filled
        queries, times = 0, []
        for _run in range(args.runs):
            started = time.perf_counter()
            client.get(page)
            times.append(time.perf_counter() - started)
        medians[name] = (statistics.median(times), queries // args.runs)
    trivial = medians["trivial page (/healthz)"][0]
    print(f"{args.teams} teams x {args.years} years ({events:,} events), median of {args.runs} requests each:")
    for name, (median, per_request) in medians.items():
        print(f"  {name}: {median * 1000:.1f} ms, {per_request} queries, {median / trivial:.0f}x the trivial page")
    services.close()


if __name__ == "__main__":
    main()
