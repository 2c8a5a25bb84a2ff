"""The dashboard as CSV: one row an area (or a team) of the scope's level below, then the scope's total; and its
history, one row a quarter. Counts by problem category that could point at a person are written "<3", as the
page shows them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from tracker.documents.report import spreadsheet_safe
from tracker.queries.dashboard import CATEGORIES, DashboardView, Row

AREA_COLUMNS = (
    "area",
    "name",
    "teams",
    "meetings",
    "people_at_meetings",
    "women_at_meetings",
    "members_present",
    "young_members_present",
    "commitments_with_outcome",
    "kept_on_time",
    "problems",
    "plan_progress",
    *(f"problems_{category}" for category in CATEGORIES),
)
QUARTER_COLUMNS = (
    "quarter",
    "meetings",
    "people_at_meetings",
    "women_at_meetings",
    "members_present",
    "young_members_present",
    "commitments_due",
    "commitments_with_outcome",
    "kept_on_time",
    "problems_reported",
    "problems_assessed",
    "funding_received",
)


def dashboard_csv(view: DashboardView, name_of: Callable[[Row], str]) -> bytes:
    """The areas and their total, named by `name_of` in the reader's language; UTF-8 with a byte-order mark so
    spreadsheets read Cyrillic right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AREA_COLUMNS)
    for row in view.rows:
        cells = [str(view.categories.cells[(row.key, category)]) for category in CATEGORIES]
        writer.writerow(_figures(row, row.key or "", name_of(row)) + cells)
    totals = [str(view.categories.column_totals[category]) for category in CATEGORIES]
    writer.writerow(_figures(view.total, "total", "") + totals)
    return ("\ufeff" + out.getvalue()).encode()


def quarters_csv(view: DashboardView) -> bytes:
    """The scope's history by business date, one row a quarter; funding received per currency, never converted."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(QUARTER_COLUMNS)
    for quarter in view.quarters:
        received = " ".join(f"{amount} {currency}" for currency, amount in sorted(quarter.received.items()))
        writer.writerow(
            [
                quarter.quarter,
                quarter.meetings,
                quarter.people,
                quarter.women,
                quarter.members_present,
                quarter.young,
                quarter.due,
                quarter.with_outcome,
                quarter.kept_on_time,
                quarter.problems_reported,
                quarter.problems_assessed,
                received,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


def _figures(row: Row, key: str, name: str) -> list[object]:
    progress = "" if row.progress is None else f"{row.progress:.3f}"
    return [
        spreadsheet_safe(key),
        spreadsheet_safe(name),
        row.teams,
        row.meetings,
        row.people,
        row.women,
        row.members_present,
        row.young,
        row.with_outcome,
        row.kept_on_time,
        str(row.problems),
        progress,
    ]
