"""A team's problems as documents: JSON (the API's answer too) and CSV, from the queries' problem views; a
non-public problem as its structure only."""

from __future__ import annotations

import csv
import io
from typing import Any

from tracker.documents.report import spreadsheet_safe
from tracker.documents.templates import STATIC, render
from tracker.queries.problems import ProblemPage, ProblemView
from tracker.reading import Text

CSV_COLUMNS = (
    "id",
    "category",
    "visibility",
    "title",
    "reported_on",
    "stage",
    "stage_since",
    "closed",
    "conclusion",
    "progress",
    "plan_commitments",
    "overdue_commitments",
    "activities",
    "funding_lines",
    "funding_totals",
)


def problems_csv(views: list[ProblemView]) -> bytes:
    """One row a problem, UTF-8 with a byte-order mark so spreadsheets read Cyrillic right; a non-public one
    without its title and funding totals."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for view in views:
        line = view.line
        totals = "; ".join(f"{amount} {currency} {state}" for (currency, state), amount in sorted(line.funding.items()))
        cells = [
            line.problem_id,
            line.category,
            line.visibility,
            _shown(view.title) or "",
            view.reported_on.isoformat(),
            line.stage,
            line.stage_since.isoformat(),
            "yes" if line.closed else "no",
            line.conclusion or "",
            f"{float(line.progress):.3f}" if line.progress is not None else "",
            str(line.plan_items),
            str(line.overdue_items),
            str(view.activity_count),
            str(view.funding_line_count),
            totals if view.readable else "",
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def problem_json(view: ProblemView) -> dict[str, Any]:
    """One problem as JSON values (dates as `date`, for the API's schema or `json_default`)."""
    line = view.line
    return {
        "id": line.problem_id,
        "category": line.category,
        "visibility": line.visibility,
        "text_shown": view.readable,
        "erased": line.erased,
        "title": _shown(view.title),
        "place": _shown(view.place),
        "reported_on": view.reported_on,
        "recorded_late_on": view.reported_late,
        "stage": line.stage,
        "stage_since": line.stage_since,
        "closed": line.closed,
        "conclusion": line.conclusion,
        "review_on": view.review_on,
        "analysis": {name: _shown(text) for name, text in view.analysis.items()} if view.analysis else None,
        "sources": view.sources,
        "progress": float(line.progress) if line.progress is not None else None,
        "overdue_commitments": line.overdue_items,
        "plan": [
            {"commitment_id": i.commitment_id, "weight": i.weight, "status": i.status, "recorded_late_on": i.late}
            for i in view.plan
        ],
        "activity_count": view.activity_count,
        "activities": [
            {"kind": a.kind, "on": a.done_on, "description": _shown(a.description), "recorded_late_on": a.late}
            for a in view.activities
        ],
        "funding_line_count": view.funding_line_count,
        "funding_totals": [
            {"currency": currency, "state": state, "amount": str(amount)}
            for (currency, state), amount in sorted(line.funding.items())
        ]
        if view.readable
        else [],
        "funding": [
            {
                "source": f.source,
                "funder": _shown(f.funder),
                "amount": str(f.amount),
                "currency": f.currency,
                "state": f.state,
                "on": f.on,
                "recorded_late_on": f.late,
            }
            for f in view.funding_lines
        ],
        "measures": [
            {
                "what": _shown(m.what),
                "before": str(m.before),
                "after": str(m.after),
                "before_period": m.before_period,
                "after_period": m.after_period,
                "source": m.source,
            }
            for m in view.measures
        ],
    }


def _shown(text: Text | None) -> str | None:
    return text.value if text is not None and text.shown else None


def problem_pdf(page: ProblemPage, team: Any, language: str) -> bytes:
    """One problem on A4 for a funder (WeasyPrint): its SARA story, plan and its progress over time, the meetings
    that worked on it, activities, funding and assessment, as the public page shows them (a non-public problem:
    its structure only)."""
    from weasyprint import HTML  # imported when a PDF is made: it is slow to import

    html = render(
        "public/problem_pdf.html", language, team=team, page=page, view=page.view, commitments=page.commitments
    )
    return HTML(string=html, base_url=str(STATIC) + "/").write_pdf()
