"""How long a writer of the log waits while every read model is rebuilt (SQLite: the rebuild and the writer share
one write lock). A writer process adds members to a team in a loop, timing each save of the log; the main process
rebuilds all read models meanwhile. Prints the writer's longest and 99th-percentile wait during the rebuild beside
those before it.

    .venv/bin/python bench/generate.py --teams 20 --years 10 --database-url sqlite:///var/stall.sqlite3
    .venv/bin/python bench/rebuild_stall.py --database-url sqlite:///var/stall.sqlite3 --instance var/bench-instance
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from datetime import date
from pathlib import Path
from uuid import UUID

from tracker.bootstrap import build_services
from tracker.confidentiality import MasterKey
from tracker.config import Settings
from tracker.queries.teams import all_teams


def _writer(url: str, instance: str, stop: multiprocessing.Event, out: multiprocessing.Queue) -> None:
    settings = Settings(url, Path(instance))
    master_key = MasterKey.load(None, settings.master_key_file)
    services = build_services(settings, master_key=master_key, project_synchronously=False)
    with services.engine.connect() as conn:
        team = UUID(all_teams(conn)[0].team_id)
    number = 0
    while not stop.is_set():
        number += 1
        began = time.monotonic()
        services.app.add_member(
            team,
            name=f"Stall {number}",
            role="member",
            sector="elders",
            gender="female",
            age_band="30_44",
            joined_on=date(2025, 1, 1),
            by="cli:bench",
        )
        out.put((began, time.monotonic() - began))
    services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="sqlite:///var/stall.sqlite3")
    parser.add_argument("--instance", default="var/bench-instance")
    args = parser.parse_args()
    settings = Settings(args.database_url, Path(args.instance))
    services = build_services(settings, master_key=MasterKey.load(None, settings.master_key_file))
    services.projections.catch_up()  # the writer finds its team in the read models
    stop, out = multiprocessing.Event(), multiprocessing.Queue()
    writer = multiprocessing.Process(target=_writer, args=(args.database_url, args.instance, stop, out))
    writer.start()
    time.sleep(5)
    began = time.monotonic()
    events = services.projections.rebuild()
    ended = time.monotonic()
    time.sleep(2)
    stop.set()
    writer.join()
    waits = []
    while not out.empty():
        waits.append(out.get())
    before = [wait for at, wait in waits if at < began]
    during = [wait for at, wait in waits if began <= at <= ended]

    def p99(values: list[float]) -> float:  # nearest rank
        return sorted(values)[max(0, -(-len(values) * 99 // 100) - 1)] if values else 0.0

    print(f"rebuild: {events} events in {ended - began:.1f} s")
    print(f"writes before: {len(before)}, longest {max(before, default=0):.3f} s, p99 {p99(before):.3f} s")
    print(f"writes during: {len(during)}, longest {max(during, default=0):.3f} s, p99 {p99(during):.3f} s")
    services.close()


if __name__ == "__main__":
    main()
