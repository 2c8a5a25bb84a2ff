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


def measure(database_url: str, instance: str) -> dict[str, float]:
    """In a fresh process (so peak memory is this work's own): read the whole log, then rebuild every model."""
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
    services.projections.rebuild()
    rebuild_seconds = time.perf_counter() - started
    read_models = len(services.projections.projections)
    services.close()
    return {
        "events": head,
        "read_per_s": head / read_seconds,
        "rebuild_per_s": head / rebuild_seconds,
        "read_models": read_models,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_rebuild_mb": rss_before / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--measure", nargs=2, metavar=("URL", "INSTANCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
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
