"""Projection rebuild throughput beside the raw rate of reading the same events from the store, in one run,
with peak memory, as the log grows.

    .venv/bin/python bench/projections.py [--teams 10 20 40] [--years 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import build, generate

from tracker.rebuild import rebuild


def measure(database_url: str, instance: str, workers: int = 1) -> dict[str, float]:
    """In a fresh process (so peak memory is this work's own): read the whole log, then rebuild every model, in
    this process or in `workers` processes (tracker.rebuild), each with its own peak memory."""
    services = build(database_url, Path(instance), project_synchronously=False)
    app = services.app
    head = app.recorder.max_notification_id()
    started, position = time.perf_counter(), 0
    while notifications := app.recorder.select_notifications(position, 500, inclusive_of_start=False):
        for notification in notifications:
            app.mapper.to_domain_event(notification)
        position = notifications[-1].id
    read_seconds = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    groups = rebuild(services, workers=workers)
    rebuild_seconds = time.perf_counter() - started
    read_models = len(services.projections.projections)
    services.close()
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {
        "events": head,
        "read_per_s": head / read_seconds,
        "rebuild_per_s": head / rebuild_seconds,
        "read_models": read_models,
        "processes": len(groups),
        "peak_rss_mb": peak / 1024,
        "rss_before_rebuild_mb": rss_before / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--measure", nargs=2, metavar=("URL", "INSTANCE"), help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help="processes rebuilding groups of read models")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure, workers=args.workers)))
        return
    print("| teams | events | raw read (events/s) | rebuild of all read models (events/s) | ratio | peak RSS |")
    print("| --- | --- | --- | --- | --- | --- |")
    for teams in args.teams:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.sqlite3"
            services = build(url, Path(tmp) / "instance", project_synchronously=False)
            generate(services.app, teams=teams, years=args.years)
            services.close()
            out = subprocess.run(
                [sys.executable, __file__, "--measure", url, str(Path(tmp) / "instance")],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            m = json.loads(out)
            print(
                f"| {teams} | {m['events']} | {m['read_per_s']:,.0f} | {m['rebuild_per_s']:,.0f} "
                f"| {m['rebuild_per_s'] / m['read_per_s']:.0%} | {m['peak_rss_mb']:.0f} MB |"
            )


if __name__ == "__main__":
    main()
