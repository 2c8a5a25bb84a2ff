"""The public blueprint: what anyone may read without logging in."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request

from tracker.domain.access import PUBLIC
from tracker.projections.commitments import commitment_reference
from tracker.projections.public_report import public_commitments
from tracker.projections.roster import members_of, public_name
from tracker.projections.summaries import is_overdue
from tracker.projections.team_directory import list_teams, team_directory
from tracker.web.services import services

blueprint = Blueprint("public", __name__)


@blueprint.get("/")
def front_page() -> str:
    with services().engine.connect() as conn:
        teams = list_teams(conn)
    return render_template("public/index.html", teams=teams)


@blueprint.get("/teams/<uuid:team_id>")
def team(team_id: UUID) -> str:
    """A team's members and its public commitments; of the others, only their number and outcomes."""
    app = services().app
    with services().engine.connect() as conn:
        row = conn.execute(team_directory.select().where(team_directory.c.team_id == team_id.hex)).first()
        if row is None:
            abort(404)
        today = app.today_for(team_id)
        members = [(m, public_name(m)) for m in members_of(conn, team_id.hex) if m.left_on is None]
        record = public_commitments(conn, team_id.hex, today)
    texts = app.read_texts(
        team_id,
        [("commitment", UUID(c.commitment_id), "public", c.erased, c.description) for c in record.public],
        viewer=PUBLIC,
        page=request.path,
    )
    commitments = [
        {
            "row": c,
            "reference": commitment_reference(row.code, c),
            "description": description,
            "status": "withdrawn" if c.withdrawn_by_annulment else c.status,
            "overdue": is_overdue(c, today),
        }
        for c, description in zip(record.public, texts, strict=True)
    ]
    return render_template("public/team.html", team=row, members=members, record=record, commitments=commitments)


@blueprint.get("/search")
def search() -> Any:
    """A commitment said aloud (MIR-2015-07) or an id: to its page for its team's secretaries, else its report."""
    from flask import flash, redirect, url_for
    from flask_babel import gettext as _
    from flask_login import current_user

    from tracker.projections.commitments import find_commitment

    query = request.args.get("q", "").strip()
    with services().engine.connect() as conn:
        found = find_commitment(conn, query) if query else None
    if found is None:
        flash(_("No commitment %(reference)s was found.", reference=query), "error")
        return redirect(request.referrer if _is_local(request.referrer) else url_for("public.front_page"))
    commitment_id, team_id = found
    if current_user.is_authenticated and current_user.may_record_for(team_id):
        return redirect(url_for("secretary.commitment", commitment_id=commitment_id))
    return redirect(url_for("reports.report_page", team_id=team_id) + f"#c-{commitment_id.hex}")


def _is_local(target: str | None) -> bool:
    from urllib.parse import urlparse

    return bool(target) and urlparse(target).netloc in ("", request.host)
