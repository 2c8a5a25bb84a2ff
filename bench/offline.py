"""What a secretary's phone downloads to be ready to record offline (issue 18): the pages of /secretary/offline.json
copied with X-Device-Copy, for one team with years of records, beside one meeting form page, in one run. Weak
signal and prepaid data make the bytes matter as much as the time; the copies are refreshed at most every five
minutes while online, and after each item sent.

    .venv/bin/python bench/offline.py [--years 6] [--runs 3]
"""

from __future__ import annotations

import argparse
import gzip
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import build, generate

from tracker.web import create_app

PASSWORD = "a long enough password"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = build(f"sqlite:///{tmp}/bench.sqlite3", Path(tmp) / "instance")
        generate(services.app, teams=1, years=args.years)
        team_id = services.app.recorder.select_notifications(1, 1)[0].originator_id
        user = services.app.register_user(username="bench", display_name="Bench", password=PASSWORD, by="cli:bench")
        services.app.grant_role(user, role="secretary", team_id=team_id, by="cli:bench")
        app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench"}, services=services)
        logging.getLogger("tracker.requests").setLevel(logging.WARNING)
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": PASSWORD})
        form = f"/secretary/teams/{team_id}/meetings/new"
        copies, one = [], []
        for _run in range(args.runs):
            started = time.perf_counter()
            pages = client.get("/secretary/offline.json").get_json()["pages"]
            bodies = [client.get(page, headers={"X-Device-Copy": "1"}).data for page in pages]
            copies.append(time.perf_counter() - started)
            started = time.perf_counter()
            page = client.get(form).data
            one.append(time.perf_counter() - started)
        raw, packed = sum(map(len, bodies)), sum(len(gzip.compress(body)) for body in bodies)
        copy_s, one_s = statistics.median(copies), statistics.median(one)
        print(f"team with {args.years} years of records: {len(pages)} pages kept on the phone")
        print(f"  all copies: {raw / 1024:.0f} KiB ({packed / 1024:.0f} KiB gzipped), {copy_s * 1000:.0f} ms to render")
        print(
            f"  one meeting form: {len(page) / 1024:.0f} KiB ({len(gzip.compress(page)) / 1024:.0f} KiB gzipped),"
            f" {one_s * 1000:.0f} ms"
        )
        print(f"  ratio copies / one form: bytes {raw / len(page):.1f}x, time {copy_s / one_s:.1f}x")
        services.close()


if __name__ == "__main__":
    main()
