"""The PDF of a long report (about 25 pages) through the app, beside WeasyPrint alone rendering the same HTML,
in one run: what the app adds to the render (queries, opening texts, templates), and what the cache saves.

    .venv/bin/python bench/pdf.py [--meetings 40] [--runs 3]
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import build, generate
from weasyprint import HTML

from tracker.web import create_app

STATIC = Path(__file__).resolve().parents[1] / "static"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = build(f"sqlite:///{tmp}/bench.sqlite3", Path(tmp) / "instance")
        generate(services.app, teams=1, years=args.years)
        team_id = services.app.recorder.select_notifications(1, 1)[0].originator_id
        app = create_app({"TESTING": True, "SECRET_KEY": "bench"}, services=services)
        logging.getLogger("tracker.requests").setLevel(logging.WARNING)
        client = app.test_client()
        whole, alone, pages = [], [], 0
        for _run in range(args.runs):
            shutil.rmtree(Path(tmp) / "cache", ignore_errors=True)  # each run renders
            started = time.perf_counter()
            pdf = client.get(f"/teams/{team_id}/report.pdf").data
            whole.append(time.perf_counter() - started)
            with app.test_request_context(f"/teams/{team_id}/report.pdf"):
                from flask import render_template

                from tracker.web.reports import _opened

                html = render_template("public/report_pdf.html", opened=_opened(team_id), printing=True)
            started = time.perf_counter()
            HTML(string=html, base_url=str(STATIC) + "/").write_pdf()
            alone.append(time.perf_counter() - started)
            path = Path(tmp) / "report.pdf"
            path.write_bytes(pdf)
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
            pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        started = time.perf_counter()
        client.get(f"/teams/{team_id}/report.pdf")
        cached = time.perf_counter() - started
        app_median, alone_median = statistics.median(whole), statistics.median(alone)
        print(f"| measure ({pages} pages, median of {args.runs}) | seconds |")
        print("| --- | --- |")
        print(f"| report.pdf through the app (uncached) | {app_median:.2f} |")
        print(f"| WeasyPrint alone on the same HTML | {alone_median:.2f} |")
        print(f"| ratio | {app_median / alone_median:.2f}x |")
        print(f"| report.pdf again (cached) | {cached:.4f} |")
        services.close()


if __name__ == "__main__":
    main()
