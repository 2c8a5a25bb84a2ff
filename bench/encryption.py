"""Encryption overhead: recording a meeting (5 decisions, 10 commitments) with the real cipher, and with the
cipher replaced by an identity function (inside this benchmark only), in one run. Prints medians and the ratio.

    .venv/bin/python bench/encryption.py [--meetings 60]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tracker.application.drafts import CommitmentDraft, DecisionDraft
from tracker.bootstrap import build_services
from tracker.confidentiality import MasterKey, Sealer
from tracker.config import Settings


class IdentitySealer(Sealer):
    """No key, no cipher: the text as it is. Only for measuring what encryption costs."""

    def seal(self, key_id, text):  # type: ignore[no-untyped-def]
        return text

    def open(self, sealed):  # type: ignore[no-untyped-def]
        return sealed


def meeting_drafts(members, held_on):
    return [
        DecisionDraft(
            f"Decision {d}: light the streets near school {d}",
            "public" if d % 3 else "confidential",
            [
                CommitmentDraft(
                    f"Commitment {d}.{c}: ask the ayil okmotu for lamps",
                    held_on + timedelta(days=30),
                    "public",
                    owner_member_id=members[(d + c) % len(members)],
                )
                for c in range(2)
            ],
        )
        for d in range(5)
    ]


def recording_team(app, code=None):
    """A team of ten members to record meetings for; `code` when the database may already hold one."""
    team = app.register_team(
        name="Bench",
        code=code,
        kind="CPPT",
        country="KG",
        region="KG-C",
        district="d",
        municipality="m",
        registered_on=date(2015, 1, 1),
        by="bench",
    )
    members = [
        app.add_member(
            team,
            name=f"Member {n}",
            role="member",
            sector="police",
            gender="female" if n % 2 else "male",
            age_band="30_44",
            joined_on=date(2015, 1, 1),
            by="bench",
        )
        for n in range(10)
    ]
    return team, members


def meeting(members, held_on):
    """record_meeting's arguments for a meeting with 5 decisions and 10 commitments."""
    return dict(
        held_on=held_on,
        kind="regular",
        place="Hall",
        attendee_ids=members,
        minutes="Minutes " * 40,
        agenda=["Lights", "Schools"],
        decisions=meeting_drafts(members, held_on),
    )


def setup(database_url, instance):
    clock = lambda: datetime(2026, 1, 1, tzinfo=UTC)  # noqa: E731
    services = build_services(Settings(database_url, instance), master_key=MasterKey.generate(), clock=clock)
    return (services, *recording_team(services.app))


def time_one(services, team, members, n):
    held_on = date(2015, 2, 1) + timedelta(days=n)
    started = time.perf_counter()
    services.app.record_meeting(team, **meeting(members, held_on), by="bench")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sealed_run = setup(f"sqlite:///{tmp}/sealed.sqlite3", Path(tmp) / "sealed")
        identity_run = setup(f"sqlite:///{tmp}/identity.sqlite3", Path(tmp) / "identity")
        identity_run[0].app.sealer = IdentitySealer(identity_run[0].key_store)
        timings: dict[str, list[float]] = {"sealed": [], "identity": []}
        for n in range(args.meetings):  # interleaved, so both see the same machine
            timings["sealed"].append(time_one(*sealed_run, n))
            timings["identity"].append(time_one(*identity_run, n))
        sealed, plain = statistics.median(timings["sealed"]), statistics.median(timings["identity"])
        print(f"record_meeting (5 decisions, 10 commitments) on SQLite, median of {args.meetings}:")
        print(f"  sealed (AES-256-GCM, per-item keys): {sealed * 1000:.2f} ms")
        print(f"  identity cipher:                      {plain * 1000:.2f} ms")
        print(f"  encryption overhead: {sealed / plain:.2f}x ({(sealed / plain - 1) * 100:+.0f}%)")
        for services, _, _ in (sealed_run, identity_run):
            services.close()


if __name__ == "__main__":
    main()
