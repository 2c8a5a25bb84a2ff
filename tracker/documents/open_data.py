"""Open data: every team's public commitments (CSV) and report (JSON) in one zip."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable

from tracker.documents.report import csv_of, json_of
from tracker.queries.public_report import OpenedReport


def open_data_zip(reports: Iterable[OpenedReport]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for opened in reports:
            code = opened.report.team.code
            archive.writestr(f"{code}/commitments.csv", csv_of(opened))
            archive.writestr(f"{code}/report.json", json.dumps(json_of(opened), ensure_ascii=False, indent=1))
    return buffer.getvalue()
