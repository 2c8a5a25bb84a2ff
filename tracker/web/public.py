"""The public blueprint: what anyone may read without logging in."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template, request

from tracker.domain.access import PUBLIC
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
            "reference": f"{row.code}-{c.reference_year}-{c.reference_number:02d}",
            "description": description,
            "status": "withdrawn" if c.withdrawn_by_annulment else c.status,
            "overdue": is_overdue(c, today),
        }
        for c, description in zip(record.public, texts, strict=True)
    ]
    return render_template("public/team.html", team=row, members=members, record=record, commitments=commitments)
