"""Commands on a team's record: correcting its registration date, erasing an item's text for good, and writing a
team's public report as a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import click

from tracker.cli.context import cli_user, opened_services
from tracker.documents.report import render_pdf
from tracker.domain.errors import InvalidValue
from tracker.domain.values import ErasureReason
from tracker.queries.public_report import provenance, public_report, report_period, team_position


@click.command()
@click.argument("item_id", type=click.UUID)
@click.option("--reason", required=True, type=click.Choice([reason.value for reason in ErasureReason]))
def erase(item_id: UUID, reason: str) -> None:
    """Destroy an item's text for good (its data key): a meeting's minutes, agenda and place, a decision, a
    commitment's decision, a problem's text, or a member's name.

    The item stays in the record as erased, with its dates, statuses and outcome; an erased member keeps their
    role, sector, dates and commitments.
    """
    with opened_services() as services:
        key_id = services.erase_item(item_id, reason=reason, by=cli_user())
        click.echo(f"erased: the text of item {key_id} is destroyed ({reason})")


@click.command()
@click.argument("team")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Business date (default today).")
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), help="Start of the period.")
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), help="End of the period.")
@click.option("--language", default="en", type=click.Choice(["en", "ru", "ky", "tg", "uz_Latn"]), show_default=True)
@click.option("--variant", type=click.Choice(["a", "ua"]), help="PDF/A-3b (archival) or PDF/UA-1 (accessible).")
@click.option("--pdf", "pdf", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Where to write.")
def report(team: str, as_of: Any, start: Any, end: Any, language: str, variant: str | None, pdf: Path) -> None:
    """Write a team's public report as a PDF (TEAM is its code or id), the same document the web serves."""
    with opened_services() as services:
        team_id = services.app.team_id_for(team)
        asked = as_of.date() if as_of else None
        day = asked or services.app.today_for(team_id)
        period = report_period(
            services.app.team(team_id).registered_on, day, start and start.date(), end and end.date()
        )
        if period is None:
            raise InvalidValue("from", "the period's start is after its end")
        with services.record_as_of(team_id, asked) as (conn, known_at), services.engine.connect() as conn_now:
            opened = public_report(
                conn,
                services.reader,
                team_id,
                day,
                known_at,
                period,
                page="cli:report",
                provenance=provenance(services.signed_log, team_position(conn_now, team_id, known_at)),
            )
        if opened is None:
            raise InvalidValue("team", f"no report for {team}")
        document = render_pdf(opened, language, variant)
    pdf.write_bytes(document)
    click.echo(f"wrote {pdf} ({len(document) // 1024} KiB)")


@click.group()
def teams() -> None:
    """Teams' records."""


@teams.command("correct-registration")
@click.argument("team")
@click.option("--date", "registered_on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--reason", required=True, help="Why the date recorded was wrong.")
def correct_registration(team: str, registered_on: Any, reason: str) -> None:
    """Correct the date a team (code or id) was registered: a new event, the old date stays in the log."""
    with opened_services() as services:
        team_id = services.app.team_id_for(team)
        today = services.app.today_for(team_id)
        services.app.correct_registration_date(
            team_id, registered_on=registered_on.date(), reason=reason, on=today, by=cli_user()
        )
        click.echo(f"corrected: {team} was registered on {registered_on.date().isoformat()}")
