"""Rebuilding read models with every core: the read models split into groups of about equal cost, one process
per group, each reading the log and applying it to its own group.

Each process is an ordinary projection runner, so nothing new can go wrong with exactly-once: every batch still
commits rows and positions together, and a process that dies leaves its group where it stopped (`tracker
projector`, or the next command, carries on from there).

PostgreSQL writes the groups side by side. SQLite has one writer at a time and, measured, gains nothing from a
second process (bench/run.py), so it rebuilds in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence

from tracker.bootstrap import Services, build_services
from tracker.confidentiality import MasterKey
from tracker.config import Settings
from tracker.persistence import is_sqlite

# Relative cost of applying the whole log to each read model (its share of a timed rebuild); others: 0.5.
COST = {"merkle_tree": 3.0, "commitments": 3.0, "event_index": 2.0, "meetings": 1.5}


class RebuildFailed(Exception):
    """A process rebuilding a group of read models stopped before the end of the log."""


def default_workers(database_url: str) -> int:
    """One process per core (at most 4) on PostgreSQL; one on SQLite, which has one writer at a time."""
    if is_sqlite(database_url):
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def groups_of(names: Sequence[str], workers: int) -> list[list[str]]:
    """Split read models into at most `workers` groups of about equal cost (longest first, to the lightest)."""
    groups: list[list[str]] = [[] for _ in range(max(1, min(workers, len(names))))]
    costs = [0.0] * len(groups)
    for name in sorted(names, key=lambda name: (-COST.get(name, 0.5), name)):
        lightest = costs.index(min(costs))
        groups[lightest].append(name)
        costs[lightest] += COST.get(name, 0.5)
    return [sorted(group) for group in groups]


def rebuild(
    services: Services,
    names: Sequence[str] | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[list[str]]:
    """Reset the read models, then apply the whole log to them, in `workers` processes; returns the groups."""
    runner = services.projections
    names = list(names or runner.projections)
    groups = groups_of(names, workers)
    if len(groups) == 1:
        runner.rebuild(names, progress=progress)
        return groups
    runner.reset(names)
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited connections or threads
    processes = [
        context.Process(
            target=_catch_up,
            args=(services.settings, services.key_store.master_key, group),
            name=f"the rebuild of {', '.join(group)}",
        )
        for group in groups
    ]
    for process in processes:
        process.start()
    shown = 0
    while any(process.is_alive() for process in processes):
        time.sleep(0.5)
        shown = _show(runner.positions(names), shown, progress)
    failed = [process.name for process in processes if process.exitcode != 0]
    if failed:
        raise RebuildFailed(f"{', '.join(failed)} stopped; run the rebuild again or start the projector")
    runner.catch_up(names)  # events recorded while the groups were rebuilt
    _show(runner.positions(names), shown, progress)
    return groups


def _show(positions: dict[str, int], shown: int, progress: Callable[[int], None] | None) -> int:
    """Report how far the slowest read model has come since last time."""
    reached = min(positions.values())
    if progress and reached > shown:
        progress(reached - shown)
    return max(shown, reached)


def _catch_up(settings: Settings, master_key: MasterKey, names: list[str]) -> None:
    services = build_services(settings, master_key=master_key, project_synchronously=False)
    try:
        services.projections.catch_up(names)
    finally:
        services.close()
