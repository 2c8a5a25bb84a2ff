"""The `tracker` command line: init, demo, serve, erasure, keys, the event catalogue and projection rebuilds."""

from __future__ import annotations

import getpass
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

import click

from tracker.confidentiality import MasterKey, MasterKeyError, open_backup, seal_backup
from tracker.config import Settings
from tracker.domain.errors import DomainError
from tracker.domain.values import ErasureReason, UserRole

EXIT_BAD_INPUT = 1
EXIT_CONFIGURATION = 2


class TrackerGroup(click.Group):
    """Turns every domain or configuration error into one clear line on stderr and a non-zero exit."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MasterKeyError as error:
            click.echo(f"tracker: {error.message}", err=True)
            sys.exit(EXIT_CONFIGURATION)
        except DomainError as error:
            field = f" ({error.field})" if error.field else ""
            click.echo(f"tracker: {error.message}{field}", err=True)
            sys.exit(EXIT_BAD_INPUT)


def cli_user() -> str:
    return f"cli:{getpass.getuser()}"


def _services(**kwargs: Any) -> Any:
    from tracker.bootstrap import build_services

    return build_services(**kwargs)


@click.group(cls=TrackerGroup)
def main() -> None:
    """Partnership Tracker: every promise of a partnership team visible, every record trustworthy."""


@main.command()
def init() -> None:
    """Create var/ with the instance folder and its secret keys, and the database's tables."""
    settings = Settings.from_env()
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.instance_dir, 0o700)
    if not os.environ.get("TRACKER_MASTER_KEY") and not settings.master_key_file.exists():
        MasterKey.generate().write(settings.master_key_file)
        click.echo(f"created master key {settings.master_key_file} (mode 0600): back it up, apart from the data")
    if not settings.secret_key_file.exists():
        _write_secret(settings.secret_key_file, secrets.token_urlsafe(48))
        click.echo(f"created session secret {settings.secret_key_file}")
    if not settings.signing_key_file.exists():
        from tracker.audit.notes import new_signing_key_pem

        _write_secret(settings.signing_key_file, new_signing_key_pem())
        click.echo(f"created log signing key {settings.signing_key_file}")
    services = _services(settings=settings)
    services.projections.catch_up()
    services.close()
    click.echo(f"database ready: {_safe_url(settings.database_url)}")


@main.command()
@click.option("--if-empty", is_flag=True, help="Load only when no team is registered yet.")
def demo(if_empty: bool) -> None:
    """Load a realistic demo: three teams in Kyrgyzstan, Tajikistan and Uzbekistan, a year of meetings."""
    from tracker.demo import DEMO_PASSWORD, load_demo, load_demo_users

    services = _services()
    try:
        if if_empty and services.app.recorder.max_notification_id():
            click.echo("demo not loaded: the database already holds records")
            return
        teams = load_demo(services.app, by=cli_user())
        accounts = load_demo_users(services.app, teams, by=cli_user())
        services.signed_log.sign_head()
        click.echo(f"demo loaded: {len(teams)} teams, {services.app.recorder.max_notification_id()} events")
        click.echo(f"demo accounts (password {DEMO_PASSWORD!r}): {', '.join(accounts)}")
    finally:
        services.close()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--production", is_flag=True, help="Run gunicorn with several workers instead of Flask's server.")
@click.option("--workers", default=3, show_default=True, type=int, help="gunicorn workers, with --production.")
def serve(host: str, port: int, production: bool, workers: int) -> None:
    """Serve the web app (Flask's server; with --production, gunicorn)."""
    if production:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"{host}:{port}",
            "--access-logfile",
            "-",
            "tracker.web:create_app()",
        ]
        os.execv(sys.executable, command)
    from tracker.web import create_app

    create_app().run(host=host, port=port)


@main.command()
@click.argument("team")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Business date (default today).")
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), help="Start of the period.")
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), help="End of the period.")
@click.option("--language", default="en", type=click.Choice(["en", "ru", "ky", "tg", "uz_Latn"]), show_default=True)
@click.option("--variant", type=click.Choice(["a", "ua"]), help="PDF/A-3b (archival) or PDF/UA-1 (accessible).")
@click.option("--pdf", "pdf", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Where to write.")
def report(team: str, as_of: Any, start: Any, end: Any, language: str, variant: str | None, pdf: Path) -> None:
    """Write a team's public report as a PDF (TEAM is its code or id)."""
    from tracker.web import create_app

    app = create_app()
    services = app.extensions["tracker"]
    team_id = services.app.team_id_for(team)
    query = {key: value.date().isoformat() for key, value in (("as_of", as_of), ("from", start), ("to", end)) if value}
    if variant:
        query["variant"] = variant
    client = app.test_client()
    response = client.get(f"/teams/{team_id}/report.pdf", query_string=query, headers={"Accept-Language": language})
    if response.status_code != 200:
        raise DomainError(response.get_data(as_text=True)[:200], "report")
    pdf.write_bytes(response.data)
    services.close()
    click.echo(f"wrote {pdf} ({len(response.data) // 1024} KiB)")


@main.group()
def events() -> None:
    """The event types of the record."""


@events.command()
def catalogue() -> None:
    """Print docs/events.md: every event type with its fields, types and meaning."""
    from tracker.catalogue import render_catalogue

    click.echo(render_catalogue(), nl=False)


@main.group()
def projections() -> None:
    """Read models built from the log."""


@main.command()
@click.option("--poll", default=1.0, show_default=True, help="Seconds between polls of the log.")
@click.option("--exit-when-idle", is_flag=True, help="Stop once every read model has caught up.")
def projector(poll: float, exit_when_idle: bool) -> None:
    """Follow the log and keep every read model up to date (run one beside the web workers)."""
    from tracker.projector import run_projector

    services = _services(project_synchronously=False)
    try:
        read = run_projector(services, poll_seconds=poll, exit_when_idle=exit_when_idle)
    finally:
        services.close()
    click.echo(f"projector stopped after {read} events")


@projections.command()
@click.argument("name", required=False)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes, each rebuilding a group of read models. Default: one per core (up to 4) on PostgreSQL, "
    "1 on SQLite (one writer at a time).",
)
def rebuild(name: str | None, workers: int | None) -> None:
    """Drop and rebuild one read model (or all) from the log, in batches."""
    from tracker.rebuild import RebuildFailed, default_workers, groups_of, rebuild

    services = _services(project_synchronously=False)
    try:
        names = [name] if name else list(services.projections.projections)
        unknown = set(names) - set(services.projections.projections)
        if unknown:
            raise DomainError(f"no projection named {', '.join(sorted(unknown))}", "name")
        total = services.app.recorder.max_notification_id() or 0
        workers = workers or default_workers(services.settings.database_url)
        for group in groups_of(names, workers):
            click.echo(f"rebuilding {', '.join(group)} (the log is read once for all of them)", err=True)
        with click.progressbar(length=total, label="events", file=sys.stderr) as bar:
            rebuild(services, names, workers=workers, progress=bar.update)
    except RebuildFailed as error:
        raise click.ClickException(str(error)) from error
    finally:
        services.close()


@main.command()
@click.argument("item_id", type=click.UUID)
@click.option("--reason", required=True, type=click.Choice([reason.value for reason in ErasureReason]))
def erase(item_id: UUID, reason: str) -> None:
    """Destroy an item's text for good (its data key): a meeting's minutes, a decision, or a commitment's decision.

    The item stays in the record as erased, with its dates, statuses and outcome.
    """
    services = _services()
    try:
        key_id = services.erase_item(item_id, reason=reason, by=cli_user())
        click.echo(f"erased: the text of item {key_id} is destroyed ({reason})")
    finally:
        services.close()


@main.group()
def users() -> None:
    """Accounts and their roles."""


@users.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([role.value for role in UserRole]))
@click.option("--team", "team", help="Team id or code, for a secretary, a member or an auditor of one team.")
@click.option("--display-name", default="", help="The name shown for the account (default: the username).")
@click.option("--password", help="At least 10 characters; asked for when omitted.")
def create_user(username: str, role: str, team: str | None, display_name: str, password: str | None) -> None:
    """Create an account with one role (more with `tracker users grant`)."""
    services = _services()
    try:
        team_id = services.app.team_id_for(team) if team else None
        secret = password or click.prompt("Password", hide_input=True, confirmation_prompt=True)
        user_id = services.app.register_user(
            username=username, display_name=display_name, password=secret, by=cli_user()
        )
        services.app.grant_role(user_id, role=role, team_id=team_id, by=cli_user())
        click.echo(f"created user {username} ({role}{' of ' + team if team else ''})")
    finally:
        services.close()


@users.command("grant")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([role.value for role in UserRole]))
@click.option("--team", "team", help="Team id or code; omit for every team (admin, auditor of all teams).")
def grant(username: str, role: str, team: str | None) -> None:
    """Grant a role to an existing account."""
    services = _services()
    try:
        user = services.app.user_named(username)
        services.app.grant_role(
            user.id, role=role, team_id=services.app.team_id_for(team) if team else None, by=cli_user()
        )
        click.echo(f"granted {role} to {username}")
    finally:
        services.close()


@users.command("set-password")
@click.argument("username")
@click.option("--password", help="At least 10 characters; asked for when omitted.")
def set_password(username: str, password: str | None) -> None:
    """Give an account a new password (for one who forgot theirs; people change their own at /account/password)."""
    services = _services()
    try:
        user = services.app.user_named(username)
        secret = password or click.prompt("New password", hide_input=True, confirmation_prompt=True)
        services.app.change_password(user.id, password=secret, by=cli_user())
        click.echo(f"changed the password of {username}")
    finally:
        services.close()


@main.group()
def tokens() -> None:
    """API bearer tokens."""


@tokens.command("create")
@click.argument("username")
def create_token(username: str) -> None:
    """Create an API token for a user; it is shown once, as the last word of the output."""
    services = _services(project_synchronously=False)
    try:
        user = services.app.user_named(username)
        click.echo(f"API token for {user.username}: {services.app.credentials.create_token(user.id)}")
    finally:
        services.close()


@tokens.command("revoke")
@click.argument("username")
def revoke_tokens(username: str) -> None:
    """Revoke every API token of a user (a lost laptop, a secretary who left); new ones can be created after."""
    services = _services(project_synchronously=False)
    try:
        user = services.app.user_named(username)
        click.echo(f"revoked {services.app.credentials.revoke_tokens(user.id)} API token(s) of {user.username}")
    finally:
        services.close()


@main.group()
def keys() -> None:
    """The data keys and the master key that wraps them."""


@keys.command()
def rotate() -> None:
    """Re-wrap every data key under a new master key; the event log is not touched."""
    services = _services(project_synchronously=False)
    settings = services.settings
    new_key = MasterKey.generate()
    pending = settings.instance_dir / "master.key.new"
    pending.unlink(missing_ok=True)
    new_key.write(pending)  # first on disk, so a crash after the database commit cannot lose it
    try:
        count = services.key_store.rewrap(new_key)
    finally:
        services.close()
    if os.environ.get("TRACKER_MASTER_KEY"):
        click.echo(f"re-wrapped {count} data keys; set TRACKER_MASTER_KEY to the contents of {pending}, then delete it")
    else:
        os.replace(pending, settings.master_key_file)
        click.echo(f"re-wrapped {count} data keys under a new master key in {settings.master_key_file}")


def _passphrase(passphrase_file: Path | None, confirm: bool) -> str:
    if passphrase_file is not None:
        return passphrase_file.read_text().strip()
    if os.environ.get("TRACKER_BACKUP_PASSPHRASE"):
        return os.environ["TRACKER_BACKUP_PASSPHRASE"]
    return click.prompt("Backup passphrase", hide_input=True, confirmation_prompt=confirm)


@keys.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def export_keys(file: Path, passphrase_file: Path | None) -> None:
    """Write every live data key to FILE for a backup, encrypted under a passphrase."""
    passphrase = _passphrase(passphrase_file, confirm=True)
    if len(passphrase) < 12:
        raise DomainError("a backup passphrase needs at least 12 characters", "passphrase")
    services = _services(project_synchronously=False)
    try:
        exported = services.key_store.export_keys()
    finally:
        services.close()
    payload = json.dumps({"format": "partnership-tracker-keys/1", "keys": exported}).encode()
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(seal_backup(payload, passphrase))
    click.echo(f"exported {len(exported)} data keys to {file}")


@keys.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_keys(file: Path, passphrase_file: Path | None) -> None:
    """Restore data keys from a backup made by `tracker keys export`."""
    payload = json.loads(open_backup(file.read_bytes(), _passphrase(passphrase_file, confirm=False)))
    services = _services(project_synchronously=False)
    try:
        count = services.key_store.import_keys(payload["keys"])
    finally:
        services.close()
    click.echo(f"imported {count} data keys ({len(payload['keys']) - count} were already here)")


def _write_secret(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


from tracker.audit_cli import export_command, import_command, ledger, verify, witness  # noqa: E402

for command in (ledger, verify, witness, export_command, import_command):
    main.add_command(command)


if __name__ == "__main__":
    main()
