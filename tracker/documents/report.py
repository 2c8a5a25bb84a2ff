"""A public report as documents: CSV, JSON, the HTML body of its page and its PDF, from `OpenedReport`; and the
cache of rendered pages and PDFs."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import functools
import hashlib
import io
import os
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from tracker.documents.templates import STATIC, TEMPLATES, TRANSLATIONS, render
from tracker.projections.types import is_erased
from tracker.queries.commitments import CommitmentLine
from tracker.queries.public_report import OpenedReport

PDF_VARIANTS = {"a": "pdf/a-3b", "ua": "pdf/ua-1"}
DEFAULT_CACHE_BYTES = int(os.environ.get("TRACKER_REPORT_CACHE_MB") or 200) * 1024 * 1024
CSV_COLUMNS = (
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
)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: one starting with = + - @ tab or CR gets a leading
    apostrophe (OWASP's advice for CSV injection); the text itself stays readable."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def csv_of(opened: OpenedReport) -> bytes:
    """The public commitments as CSV, UTF-8 with a byte-order mark so spreadsheets read Cyrillic right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for line in opened.lines:
        row = line.row
        cells = [
            line.reference,
            line.description.value if line.description.shown else "",
            line.owner,
            row.made_on.isoformat(),
            row.due_on.isoformat(),
            row.original_due_on.isoformat(),
            line.status,
            "yes" if line.overdue else "no",
            row.closed_on.isoformat() if row.closed_on else "",
            "yes" if row.erased else "no",
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
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
        "commitments": [_iso(public_commitment(opened, line)) for line in opened.lines],
    }


def public_commitment(opened: OpenedReport, line: CommitmentLine) -> dict[str, Any]:
    """A public commitment as the report's page shows it: its owner as publicly shown (name, initials or the body,
    after any hand-over), when it was made and recorded (a late entry marked), and each later entry with both its
    dates, late entries and corrections marked. Dates as dates."""
    report, row = opened.report, line.row
    return {
        "id": str(line.id),
        "reference": line.reference,
        "description": line.description.value,
        "owner": line.owner,
        "made_on": row.made_on,
        "recorded_on": report.recorded_on(row.recorded_at),
        "late": report.recorded_late(row.made_on, row.recorded_at),
        "due_on": row.due_on,
        "original_due_on": row.original_due_on,
        "status": line.status,
        "overdue": line.overdue,
        "erased": row.erased,
        "history": [_entry(opened, entry) for entry in report.history.get(row.commitment_id, [])],
    }


def _entry(opened: OpenedReport, entry: Any) -> dict[str, Any]:
    report = opened.report
    event = re.sub(r"(?<!^)(?=[A-Z])", "_", entry.event_type.rsplit(".", 1)[-1]).lower()  # follow_up_reported
    found = {
        "on": entry.business_date,
        "recorded_on": report.recorded_on(entry.recorded_at),
        "late": report.recorded_late(entry.business_date, entry.recorded_at),
        "correction": bool(entry.is_correction),
        "event": event,
        "status": entry.status,
        "due_on": entry.due_on,
    }
    if entry.owner_member_id:  # handed over to a member: their name as publicly shown
        found["owner"] = opened.member_names.get(entry.owner_member_id)
    return found


def _iso(value: Any) -> Any:
    """Dates as ISO text, in dicts and lists, for JSON; an erased member's name as null."""
    if is_erased(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _iso(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_iso(item) for item in value]
    return value


def render_body(opened: OpenedReport, language: str, member_url: Callable[[str, str], str] | None = None) -> str:
    """The report's body for its web page; members link to their ledgers through `member_url`."""
    return render("public/report_body.html", language, opened=opened, printing=False, member_url=member_url)


def render_pdf(opened: OpenedReport, language: str, variant: str | None = None) -> bytes:
    """The report on A4 (WeasyPrint), in one language; `variant` "a" is PDF/A-3b, "ua" is PDF/UA-1."""
    from weasyprint import HTML  # imported when a PDF is made: it is slow to import

    html = render("public/report_pdf.html", language, opened=opened, printing=True, member_url=None)
    options = {"pdf_variant": PDF_VARIANTS[variant]} if variant else {}
    return HTML(string=html, base_url=str(STATIC) + "/").write_pdf(**options)


class ReportCache:
    """Rendered reports (PDFs, report pages) by what they depend on: team, period, as-of date, language, variant,
    the team's latest event position and the layout (`layout_fingerprint`), so a new event of the team or a new
    version of the templates means a new render, never a stale one.

    A render holds a lock file for its key: a second request for the same report waits and then reads the file,
    so it is rendered once; requests for other reports are never held up. Files are the owner's only (0600 in a
    0700 folder); a team's renders are forgotten as soon as anything in its record changes (`forget_team`), and
    the least recently read go first when the folder outgrows `max_bytes`.
    """

    def __init__(self, folder: Path, max_bytes: int = DEFAULT_CACHE_BYTES, layout: str | None = None) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.layout = layout if layout is not None else layout_fingerprint()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)

    def get_or_render(self, key: tuple[Any, ...], render: Callable[[], bytes]) -> tuple[bytes, bool]:
        """The render for `key` (kind, team id, ...) and whether it was rendered just now."""
        name = f"{key[1]}-{hashlib.sha256(repr((self.layout, key)).encode()).hexdigest()[:40]}"
        path = self.folder / f"{name}.{key[0]}"
        if (cached := _read(path)) is not None:
            return cached, False
        with open(self.folder / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if (cached := _read(path)) is not None:
                return cached, False
            rendered = render()
            partial = path.with_suffix(f".{os.getpid()}.part")
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(rendered)
            os.replace(partial, path)
        self._trim()
        return rendered, True

    def forget_team(self, team_id: UUID) -> None:
        """Anything in the team's record changed (a visibility included): no earlier render of it may stay."""
        with contextlib.suppress(OSError):  # after a command has saved: never turn it into an error
            for path in self.folder.glob(f"{team_id.hex}-*"):
                path.unlink(missing_ok=True)

    def _trim(self) -> None:
        files = []
        for path in self.folder.glob("*-*.*"):
            if path.suffix in (".html", ".pdf"):
                with contextlib.suppress(FileNotFoundError):
                    stat = path.stat()
                    files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size


@functools.cache
def layout_fingerprint() -> str:
    """The report's templates, print stylesheet and catalogues: a render made with other ones (before an upgrade)
    is never served."""
    digest = hashlib.sha256()
    files = [*TEMPLATES.glob("public/report*.html"), TEMPLATES / "macros.html", STATIC / "report-print.css"]
    for path in sorted([*files, *TRANSLATIONS.glob("*/LC_MESSAGES/messages.mo")]):
        with contextlib.suppress(FileNotFoundError):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _read(path: Path) -> bytes | None:
    """A cached render, marked as just read (the cache forgets the least recently read first)."""
    try:
        data = path.read_bytes()
        os.utime(path)
    except FileNotFoundError:
        return None
    return data


def forget_rendered_reports(folder: Path) -> None:
    """After an erasure: no rendered page or PDF may keep the destroyed text."""
    shutil.rmtree(folder, ignore_errors=True)
