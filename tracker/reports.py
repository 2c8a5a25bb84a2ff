"""Public reports as documents: the texts opened for the public, a PDF rendered once per key and cached, CSV/JSON."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, func, select

from tracker.application import Tracker
from tracker.domain.access import PUBLIC
from tracker.projections.commitments import commitment_reference
from tracker.projections.event_index import event_index
from tracker.projections.public_report import PublicReport
from tracker.projections.roster import public_name
from tracker.reading import Text

PDF_VARIANTS = {"a": "pdf/a-3b", "ua": "pdf/ua-1"}


@dataclass(frozen=True)
class OpenedReport:
    """A public report with its public texts opened: what every format (page, PDF, CSV, JSON) is made from."""

    report: PublicReport
    texts: dict[tuple[str, str], Text]
    member_names: dict[str, str]
    provenance: dict[str, Any] = field(default_factory=dict)

    def text(self, kind: str, item_id: str) -> Text | None:
        return self.texts.get((kind, item_id))

    def owner(self, row: Any) -> str:
        if row.owner_member_id:
            return self.member_names.get(row.owner_member_id, "?")
        body = self.text("owner", row.commitment_id)
        return body.value if body and body.shown else "—"

    def reference(self, row: Any) -> str:
        return commitment_reference(self.report.team.code, row)


def open_report(
    app: Tracker, report: PublicReport, member_names: dict[str, str], page: str, provenance: dict[str, Any]
) -> OpenedReport:
    """Open every public text of the report in one pass (public items only were selected)."""
    items: list[tuple[tuple[str, str], tuple[str, UUID, str, bool, str | None]]] = []
    for row in report.record.public:
        commitment_id = UUID(row.commitment_id)
        items.append(
            (("commitment", row.commitment_id), ("commitment", commitment_id, "public", row.erased, row.description))
        )
        if row.owner_body:
            items.append(
                (("owner", row.commitment_id), ("commitment", commitment_id, "public", row.erased, row.owner_body))
            )
        for entry in report.history.get(row.commitment_id, []):
            if entry.text:
                items.append(
                    (
                        (f"history:{entry.position}", row.commitment_id),
                        ("commitment", commitment_id, "public", row.erased, entry.text),
                    )
                )
    for line in report.meetings:
        for decision in line.public_decisions:
            items.append(
                (
                    ("decision", decision.decision_id),
                    ("decision", UUID(decision.decision_id), "public", decision.erased, decision.text),
                )
            )
    team_id = UUID(report.team.team_id)
    opened = app.read_texts(team_id, [item for _, item in items], viewer=PUBLIC, page=page) if items else []
    texts = {key: text for (key, _), text in zip(items, opened, strict=True) if text is not None}
    return OpenedReport(report, texts, member_names, provenance)


def member_names(report: PublicReport, all_members: list[Any]) -> dict[str, str]:
    return {member.member_id: public_name(member) for member in all_members}


def team_position(conn: Connection, team_id: str, known_at: int) -> int:
    """The log position of the team's own latest event known at `known_at`: what a team's report depends on."""
    query = select(func.max(event_index.c.position)).where(
        event_index.c.team_id == team_id, event_index.c.position <= known_at
    )
    return int(conn.execute(query).scalar() or 0)


def csv_of(opened: OpenedReport) -> bytes:
    """The public commitments as CSV, UTF-8 with a byte-order mark so spreadsheets read Cyrillic right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "reference",
            "commitment",
            "owner",
            "made_on",
            "due_on",
            "original_due_on",
            "status",
            "overdue",
            "closed_on",
            "erased",
        ]
    )
    for row in opened.report.record.public:
        description = opened.text("commitment", row.commitment_id)
        writer.writerow(
            [
                opened.reference(row),
                description.value if description and description.shown else "",
                opened.owner(row),
                row.made_on.isoformat(),
                row.due_on.isoformat(),
                row.original_due_on.isoformat(),
                "withdrawn" if row.withdrawn_by_annulment else row.status,
                "yes" if opened.report.overdue(row) else "no",
                row.closed_on.isoformat() if row.closed_on else "",
                "yes" if row.erased else "no",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def json_of(opened: OpenedReport) -> dict[str, Any]:
    report = opened.report
    return {
        "team": {"id": str(UUID(report.team.team_id)), "name": report.team.name, "code": report.team.code},
        "period": {"from": report.period[0].isoformat(), "to": report.period[1].isoformat()},
        "as_of": report.as_of.isoformat(),
        "built_from": opened.provenance,
        "summary": report.record.public_summary,
        "non_public": {"count": report.record.non_public_summary["made"], "summary": report.record.non_public_summary},
        "commitments": [
            {
                "reference": opened.reference(row),
                "description": (opened.text("commitment", row.commitment_id) or Text("erased")).value,
                "owner": opened.owner(row),
                "made_on": row.made_on.isoformat(),
                "due_on": row.due_on.isoformat(),
                "status": "withdrawn" if row.withdrawn_by_annulment else row.status,
                "overdue": report.overdue(row),
                "erased": row.erased,
            }
            for row in report.record.public
        ],
    }


class ReportCache:
    """Rendered reports (PDFs, report pages) by what they depend on: team, period, as-of date, language, variant
    and the team's latest event position, so a new event of the team means a new render, never a stale one.

    A render holds a lock file for its key: a second request for the same report waits and then reads the file,
    so it is rendered once; requests for other reports are never held up.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def get_or_render(self, key: tuple[Any, ...], render: Callable[[], bytes]) -> bytes:
        name = hashlib.sha256(repr(key).encode()).hexdigest()[:40]
        path = self.folder / f"{name}.{key[0]}"
        if path.exists():
            return path.read_bytes()
        with open(self.folder / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if path.exists():
                return path.read_bytes()
            pdf = render()
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(pdf)
            os.replace(partial, path)
            return pdf


def forget_rendered_reports(folder: Path) -> None:
    """After an erasure: no rendered page or PDF may keep the destroyed text."""
    shutil.rmtree(folder, ignore_errors=True)


def render_pdf(html: str, base_url: str, variant: str | None) -> bytes:
    from weasyprint import HTML

    options = {"pdf_variant": PDF_VARIANTS[variant]} if variant else {}
    return HTML(string=html, base_url=base_url).write_pdf(**options)
