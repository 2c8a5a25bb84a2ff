"""Open data: every team's public commitments (CSV), report (JSON) and problems (CSV and JSON) in one zip."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable

from tracker.documents.problems import problem_json, problems_csv
from tracker.documents.report import csv_of, json_of
from tracker.queries.problems import ProblemView
from tracker.queries.public_report import OpenedReport


def open_data_zip(teams: Iterable[tuple[OpenedReport, list[ProblemView]]]) -> bytes:
    """Each team's files under its code; its problems as the public sees them (a non-public one: its structure)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for opened, problems in teams:
            code = opened.report.team.code
            archive.writestr(f"{code}/commitments.csv", csv_of(opened))
            archive.writestr(f"{code}/report.json", json.dumps(json_of(opened), ensure_ascii=False, indent=1))
            archive.writestr(f"{code}/problems.csv", problems_csv(problems))
            body = {"team_id": opened.report.team.team_id, "problems": [problem_json(view) for view in problems]}
            archive.writestr(f"{code}/problems.json", json.dumps(body, ensure_ascii=False, indent=1, default=str))
    return buffer.getvalue()
