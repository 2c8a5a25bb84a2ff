"""Issue 9's measurements in one run, each beside its limit, on SQLite and PostgreSQL: writes docs/benchmarks.md.

    .venv/bin/python bench/run.py --teams 2000 --years 10 \\
        [--postgres postgresql://tracker:tracker@127.0.0.1:5432/postgres --postgres-teams 100] [--runs 5]

Each database gets two data sets written through the application by bench/generate.py: a small one (20 teams)
and a large one (--teams), both --years long. They are kept under --data (SQLite files) or in databases named
`tracker_bench_<teams>x<years>` (the PostgreSQL role needs CREATEDB), so a second run does not generate again.
The load test needs wrk (Debian package `wrk`). Timings are medians; every figure sits beside its limit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.client import HTTPConnection
from importlib import metadata
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).parent))

from bare import bare_beside
from encryption import meeting, meeting_drafts, recording_team
from generate import build, generate_in_parallel
from sqlalchemy import create_engine, text

from tracker.persistence import is_sqlite
from tracker.rebuild import default_workers

ROOT = Path(__file__).resolve().parents[1]
WRK_SCRIPT = Path(__file__).parent / "percentiles.lua"
HOW_TO_READ = [
    "## How to read them",
    "",
    "- The report page is measured as readers get it: its body is rendered once per change of the team's record",
    "  and then served from the report cache. The as-of row shows a first render (random dates are never cached):",
    "  the team's log folded and the whole body rendered.",
    "- eventsourcing's bare save writes into a log as long as the data set's, in the same database: its table is",
    "  first filled with a copy of every stored event (bench/bare.py), so both saves insert into indexes of the",
    "  same depth. The application also writes one data key per confidential-capable item (crypto-shredding), "
    "in the same transaction as the events. Both give new aggregates time-ordered ids (UUID version 7).",
    "- Rebuild in one process reads the log once for all eight read models; in two processes (tracker.rebuild, "
    "PostgreSQL's default on 2 cores) each reads it once for its group. The raw read decodes the same events "
    "once, in one process; it varies from run to run by up to a third, and the ratio with it.",
    "- Data sets are made once by bench/generate.py and kept (var/bench/, databases tracker_bench_NxY); each run",
    "  records its measured meetings into a team of its own, which the team counts include.",
    "",
]


@dataclass
class DataSet:
    name: str
    url: str
    instance: Path
    teams: int
    years: int
    generated_seconds: float | None = None
    events: int = 0

    @property
    def label(self) -> str:
        return f"{self.teams} teams x {self.years} years"


@dataclass
class Results:
    database: str
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)  # what, measured, limit, ratio

    def add(self, what: str, measured: str, limit: str, ratio: str = "") -> None:
        self.rows.append((what, measured, limit, ratio))
        print(f"  {what}: {measured} | {limit} | {ratio}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--teams", type=int, default=2000, help="teams in the large data set")
    parser.add_argument("--small-teams", type=int, default=20, help="teams in the small data set")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--postgres", help="a PostgreSQL URL whose role may create the bench databases")
    parser.add_argument("--postgres-teams", type=int, help="teams in the large PostgreSQL data set")
    parser.add_argument("--runs", type=int, default=5, help="repeats of each timed measure (medians)")
    parser.add_argument("--load-seconds", type=int, default=10, help="length of one wrk run")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    started = time.perf_counter()
    databases = [("SQLite", lambda teams: _sqlite_data_set(args.data, teams, args.years), args.teams)]
    if args.postgres:
        large = args.postgres_teams or args.teams
        databases.append(("PostgreSQL", lambda teams: _postgres_data_set(args.postgres, teams, args.years), large))
    results = []
    for name, data_set, large_teams in databases:
        print(f"{name}:", flush=True)
        small, large = _generated(data_set(args.small_teams)), _generated(data_set(large_teams))
        results.append((measure_database(name, small, large, args), small, large))
    _write(args, results, time.perf_counter() - started)


def measure_database(name: str, small: DataSet, large: DataSet, args: argparse.Namespace) -> Results:
    results = Results(name)
    for data_set in (small, large):
        _rebuild_beside_read(results, data_set)
    with _server(large) as base:
        _recording(results, large, base, args.runs)
        team, reports = _first_team(large), {}
        for data_set in (small, large):
            with _server(data_set) if data_set is small else _same(base) as url:
                reports[data_set.label] = _load(results, data_set, url, _first_team(data_set), args)
        results.add(
            f"report page p50, {large.teams} teams beside {small.teams} (same team, same history)",
            f"{reports[large.label]['p50']:.1f} ms vs {reports[small.label]['p50']:.1f} ms",
            "independent of the number of teams",
            f"{reports[large.label]['p50'] / reports[small.label]['p50']:.2f}x",
        )
        _as_of(results, base, team, args.runs)
        _pdf(results, large, base, team, args.runs)
    return results


def _rebuild_beside_read(results: Results, data_set: DataSet) -> None:
    """In one process, and (PostgreSQL) as `tracker projections rebuild` does by default: one process per core."""
    for count in sorted({1, default_workers(data_set.url)}):
        out = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).parent / "projections.py"),
                "--measure",
                data_set.url,
                str(data_set.instance),
                "--workers",
                str(count),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        m = json.loads(out)
        where = "one process" if m["processes"] == 1 else f"{m['processes']} processes"
        results.add(
            f"rebuild of all read models, {data_set.label} ({m['events']:,} events), {where}",
            f"{m['rebuild_per_s']:,.0f} events/s, peak RSS {m['peak_rss_mb']:.0f} MB"
            + ("" if m["processes"] == 1 else " a process"),
            f"raw read of the same events: {m['read_per_s']:,.0f} events/s (target: at least 30%)",
            f"{m['rebuild_per_s'] / m['read_per_s']:.0%}",
        )
    subprocess.run([sys.executable, "-m", "tracker.cli", "init"], env=_env(data_set), check=True, capture_output=True)


def _recording(results: Results, data_set: DataSet, base: str, runs: int) -> None:
    """A meeting with 5 decisions and 10 commitments: through the application, through the HTTP API, and
    eventsourcing's bare save of the same events (same count, aggregates and sizes) beside them, interleaved."""
    services = build(data_set.url, data_set.instance, project_synchronously=False)
    app = services.app
    team, members = recording_team(app, code="R" + "".join(random.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(5)))
    user = app.register_user(
        username=f"bench{random.randrange(10**9)}", display_name="Bench", password="bench password long", by="bench"
    )
    app.grant_role(user, role="secretary", team_id=team, by="bench")
    token = app.credentials.create_token(user)
    projected = build(data_set.url, data_set.instance)  # the same application, read models updated on each write
    projected.projections.catch_up()
    with bare_beside(data_set.url) as bare:
        sizes = _event_sizes(app, team, members)
        timings: dict[str, list[float]] = {"app": [], "projected": [], "api": [], "bare": []}
        http = HTTPConnection(base.removeprefix("http://"))
        meetings = max(30, runs * 10)
        for n in range(meetings):
            held_on = date(2026, 1, 1) + timedelta(days=n % 60)
            started = time.perf_counter()
            app.record_meeting(team, **meeting(members, held_on), by="bench")
            timings["app"].append(time.perf_counter() - started)
            started = time.perf_counter()
            projected.app.record_meeting(team, **meeting(members, held_on + timedelta(days=90)), by="bench")
            timings["projected"].append(time.perf_counter() - started)
            started = time.perf_counter()
            _post_meeting(http, token, team, members, held_on + timedelta(days=180))
            timings["api"].append(time.perf_counter() - started)
            started = time.perf_counter()
            bare.save(*bare.meeting_like(sizes))
            timings["bare"].append(time.perf_counter() - started)
    projected.close()
    services.close()
    bare_ms = statistics.median(timings["bare"]) * 1000
    for key, what in (
        ("app", "the application"),
        ("projected", "the application, read models updated in the same call"),
        ("api", "the HTTP API (read models updated before the reply)"),
    ):
        ms = statistics.median(timings[key]) * 1000
        results.add(
            f"recording a meeting (5 decisions, 10 commitments) through {what}, median of {meetings}",
            f"{ms:.1f} ms",
            f"eventsourcing's bare save of the same {len(sizes)} events: {bare_ms:.1f} ms (target: at most 2x)",
            f"{ms / bare_ms:.2f}x",
        )


def _load(results: Results, data_set: DataSet, base: str, team: UUID, args: argparse.Namespace) -> dict[str, float]:
    """wrk from a second process: the public report page of a 10-year team, beside a trivial page."""
    report, trivial = [], []
    for _ in range(max(3, args.runs // 2)):  # alternated, so both see the same machine
        report.append(_wrk(f"{base}/teams/{team}/report", args.load_seconds))
        trivial.append(_wrk(f"{base}/healthz", args.load_seconds))
    p50, p95 = (statistics.median(run[q] for run in report) for q in ("p50", "p95"))
    t50, t95 = (statistics.median(run[q] for run in trivial) for q in ("p50", "p95"))
    rps = statistics.median(run["rps"] for run in report)
    results.add(
        f"public report page under load, {data_set.label} (wrk, 2 connections for 2 workers, {args.load_seconds} s)",
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, {rps:.0f} pages/s",
        f"trivial page on the same server: p50 {t50:.1f} ms, p95 {t95:.1f} ms (target: p95 under 50 ms on SQLite)",
        f"{p95 / t95:.1f}x (p95)",
    )
    return {"p50": p50, "p95": p95}


def _as_of(results: Results, base: str, team: UUID, runs: int) -> None:
    rng = random.Random(9)
    http, live, as_of = HTTPConnection(base.removeprefix("http://")), [], []
    for _ in range(max(10, runs * 4)):
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        as_of.append(_get(http, f"/teams/{team}/report?as_of={day}"))
        live.append(_get(http, f"/teams/{team}/report"))
    ms, live_ms = statistics.median(as_of) * 1000, statistics.median(live) * 1000
    results.add(
        f"as-of report page for a random date (the team's log folded anew), median of {len(as_of)}",
        f"{ms:.0f} ms",
        f"today's report page, one at a time: {live_ms:.1f} ms",
        f"{ms / live_ms:.1f}x",
    )


def _pdf(results: Results, data_set: DataSet, base: str, team: UUID, runs: int) -> None:
    """The PDF of about 25 pages (five years of the team), rendered anew each time, beside the cached one."""
    http, cache = HTTPConnection(base.removeprefix("http://")), data_set.instance.parent / "cache" / "reports"
    path, rendered = f"/teams/{team}/report.pdf?from=2015-01-01&to=2019-12-31", []
    for _ in range(max(2, runs // 2)):
        shutil.rmtree(cache, ignore_errors=True)
        rendered.append(_get(http, path))
    pdf = _get_body(http, path)
    cached = _get(http, path)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
    pages = next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
    seconds = statistics.median(rendered)
    results.add(
        f"report PDF, {pages} pages (five years of one team), rendered anew, median of {len(rendered)}",
        f"{seconds:.2f} s",
        f"the same PDF from the cache: {cached * 1000:.0f} ms",
        f"{seconds / cached:.0f}x",
    )


# --- data sets ---------------------------------------------------------------------------------------------


def _sqlite_data_set(folder: Path, teams: int, years: int) -> DataSet:
    home = folder / f"sqlite-{teams}x{years}"
    return DataSet(
        f"{teams} teams x {years} years", f"sqlite:///{home}/tracker.sqlite3", home / "instance", teams, years
    )


def _postgres_data_set(url: str, teams: int, years: int) -> DataSet:
    name = f"tracker_bench_{teams}x{years}"
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    home = ROOT / "var" / "bench" / f"postgres-{teams}x{years}"
    target = url.rsplit("/", 1)[0] + "/" + name
    return DataSet(f"{teams} teams x {years} years", target, home / "instance", teams, years)


def _generated(data_set: DataSet) -> DataSet:
    services = build(data_set.url, data_set.instance, project_synchronously=False)
    if not services.app.recorder.max_notification_id():
        print(f"  generating {data_set.label} ...", flush=True)
        started = time.perf_counter()
        generate_in_parallel(data_set.url, data_set.instance, teams=data_set.teams, years=data_set.years)
        data_set.generated_seconds = time.perf_counter() - started
    data_set.events, data_set.teams = _event_count(services)
    services.close()
    return data_set


def _event_count(services: Any) -> tuple[int, int]:
    """Events and teams in the log, as they are (a generation stopped early leaves fewer teams)."""
    table = "stored_events" if is_sqlite(services.settings.database_url) else "tracker_events"
    with services.engine.connect() as conn:
        events = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        teams = conn.execute(text(f"SELECT count(*) FROM {table} WHERE topic LIKE '%Team.Registered'")).scalar_one()
    return int(events), int(teams)


def _first_team(data_set: DataSet) -> UUID:
    """Team 0 of the generator: the same ten years in every data set (the generator's seed), so pages compare."""
    with create_engine(data_set.url.replace("postgresql://", "postgresql+psycopg://", 1)).connect() as conn:
        return UUID(conn.execute(text("SELECT team_id FROM team_directory WHERE code = 'TAAAA'")).scalar_one())


def _event_sizes(app: Any, team: UUID, members: list[UUID]) -> list[tuple[UUID, int]]:
    """Record one meeting and read back its stored events: (aggregate, size of the stored state) each."""
    head = app.recorder.max_notification_id() or 0
    app.record_meeting(team, **meeting(members, date(2025, 12, 1)), by="bench")
    recorded = app.recorder.select_notifications(head, 100, inclusive_of_start=False)
    return [
        (n.originator_id, len(n.state))
        for n in recorded
        if n.topic.startswith(("tracker.domain.meeting", "tracker.domain.commitment"))
    ]


def _post_meeting(http: HTTPConnection, token: str, team: UUID, members: list[UUID], held_on: date) -> None:
    drafts = meeting_drafts(members, held_on)
    body = {
        "held_on": held_on.isoformat(),
        "kind": "regular",
        "place": "Hall",
        "attendees": [str(m) for m in members],
        "guests": {"female": 0, "male": 0},
        "visiting_team_ids": [],
        "agenda": ["Lights", "Schools"],
        "minutes": "Minutes " * 40,
        "decisions": [
            {
                "text": d.text,
                "visibility": d.visibility,
                "commitments": [
                    {
                        "owner_member_id": str(c.owner_member_id),
                        "description": c.description,
                        "due_on": c.due_on.isoformat(),
                        "visibility": c.visibility,
                    }
                    for c in d.commitments
                ],
            }
            for d in drafts
        ],
    }
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    http.request("POST", f"/api/v1/teams/{team}/meetings", body=json.dumps(body), headers=headers)
    response = http.getresponse()
    answer = response.read()
    if response.status != 201:
        raise RuntimeError(f"the API refused the meeting: {response.status} {answer[:300]!r}")


# --- the server and the load --------------------------------------------------------------------------------


def _env(data_set: DataSet) -> dict[str, str]:
    return {
        **os.environ,
        "TRACKER_DATABASE_URL": data_set.url,
        "TRACKER_INSTANCE_DIR": str(data_set.instance),
    }


@contextmanager
def _server(data_set: DataSet):  # type: ignore[no-untyped-def]
    """gunicorn with two workers (this machine's cores) on the data set; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "tracker.web:create_app()"],
        env=_env(data_set),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if _get(HTTPConnection(f"127.0.0.1:{port}", timeout=60), "/readyz") is not None:
                    break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@contextmanager
def _same(base: str):  # type: ignore[no-untyped-def]
    yield base


def _get(http: HTTPConnection, path: str) -> float:
    started = time.perf_counter()
    _get_body(http, path)
    return time.perf_counter() - started


def _get_body(http: HTTPConnection, path: str) -> bytes:
    http.request("GET", path)
    response = http.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return body


def _wrk(url: str, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", "-c2", f"-d{seconds}s", "-s", str(WRK_SCRIPT), url], capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("{"))
    figures = json.loads(line)
    if figures["errors"]:
        raise RuntimeError(f"wrk saw {figures['errors']} errors on {url}")
    return figures


# --- the report ---------------------------------------------------------------------------------------------


def _write(args: argparse.Namespace, results: list[tuple[Results, DataSet, DataSet]], seconds: float) -> None:
    command = " ".join(["bench/run.py", *sys.argv[1:]]).replace(args.postgres or "\0", "URL")
    lines = [
        "# Benchmarks",
        "",
        "Written by `bench/run.py` (issue 9). Each figure stands beside its limit, measured in the same run on the",
        "same machine; timings are medians. Targets are goals to report against, never timed tests.",
        "",
        f"Reproduce: `.venv/bin/python {command}` (the whole run took {seconds / 60:.0f} minutes).",
        "",
        "## Machine and versions",
        "",
        *[f"- {line}" for line in _machine()],
        "",
        *HOW_TO_READ,
    ]
    for result, small, large in results:
        lines += [f"## {result.database}", ""]
        for data_set in (small, large):
            made = f", generated in {data_set.generated_seconds / 60:.0f} min" if data_set.generated_seconds else ""
            lines.append(f"- Data set: {data_set.label}, {data_set.events:,} events{made}.")
        lines += ["", "| measure | result | beside it, in the same run | ratio |", "| --- | --- | --- | --- |"]
        lines += [f"| {' | '.join(row)} |" for row in result.rows]
        lines.append("")
    args.output.write_text("\n".join(lines))
    print(f"wrote {args.output}")


def _machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line))
    import sqlite3

    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("eventsourcing", "sqlalchemy", "flask", "gunicorn", "weasyprint", "psycopg")
    )
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0].strip()
    return [
        f"{cpu}, {os.cpu_count()} cores, {memory / 1024 / 1024:.0f} GB memory, {platform.platform()}",
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {_postgres_version()}",
        versions + f", {wrk}",
    ]


def _postgres_version() -> str:
    out = subprocess.run(["psql", "--version"], capture_output=True, text=True)
    return out.stdout.strip().replace("psql (PostgreSQL)", "PostgreSQL") if out.returncode == 0 else "no PostgreSQL"


if __name__ == "__main__":
    main()
