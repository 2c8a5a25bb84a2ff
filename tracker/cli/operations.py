"""The operator's commands: init, demo, serve, the projector and rebuilds, the keys, and the event catalogue."""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

import click

from tracker.cli.context import cli_user, opened_services
from tracker.confidentiality import MasterKey, open_backup, seal_backup
from tracker.config import Settings
from tracker.domain.errors import DomainError


@click.command()
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
    with opened_services(settings=settings) as services:
        services.projections.catch_up()
    click.echo(f"database ready: {_safe_url(settings.database_url)}")


@click.command()
@click.option("--if-empty", is_flag=True, help="Load only when no team is registered yet.")
def demo(if_empty: bool) -> None:
    """Load a realistic demo: three teams in Kyrgyzstan, Tajikistan and Uzbekistan, a year of meetings."""
    from tracker.demo import DEMO_PASSWORD, load_demo, load_demo_users

    with opened_services() as services:
        if if_empty and services.app.recorder.max_notification_id():
            click.echo("demo not loaded: the database already holds records")
            return
        teams = load_demo(services.app, by=cli_user())
        accounts = load_demo_users(services.app, teams, by=cli_user())
        services.signed_log.sign_head()
        click.echo(f"demo loaded: {len(teams)} teams, {services.app.recorder.max_notification_id()} events")
        click.echo(f"demo accounts (password {DEMO_PASSWORD!r}): {', '.join(accounts)}")


@click.command()
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


@click.group()
def events() -> None:
    """The event types of the record."""


@events.command()
def catalogue() -> None:
    """Print docs/events.md: every event type with its fields, types and meaning."""
    from tracker.catalogue import render_catalogue

    click.echo(render_catalogue(), nl=False)


@click.group()
def projections() -> None:
    """Read models built from the log."""


@click.command()
@click.option("--poll", default=1.0, show_default=True, help="Seconds between polls of the log.")
@click.option("--exit-when-idle", is_flag=True, help="Stop once every read model has caught up.")
def projector(poll: float, exit_when_idle: bool) -> None:
    """Follow the log and keep every read model up to date (run one beside the web workers)."""
    from tracker.projector import run_projector

    with opened_services(project_synchronously=False) as services:
        read = run_projector(services, poll_seconds=poll, exit_when_idle=exit_when_idle)
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

    with opened_services(project_synchronously=False) as services:
        names = [name] if name else list(services.projections.projections)
        unknown = set(names) - set(services.projections.projections)
        if unknown:
            raise DomainError(f"no projection named {', '.join(sorted(unknown))}", "name")
        total = services.app.recorder.max_notification_id() or 0
        workers = workers or default_workers(services.settings.database_url)
        for group in groups_of(names, workers):
            click.echo(f"rebuilding {', '.join(group)} (the log is read once for all of them)", err=True)
        try:
            with click.progressbar(length=total, label="events", file=sys.stderr) as bar:
                rebuild(services, names, workers=workers, progress=bar.update)
        except RebuildFailed as error:
            raise click.ClickException(str(error)) from error


@click.group()
def keys() -> None:
    """The data keys and the master key that wraps them."""


@keys.command()
def rotate() -> None:
    """Re-wrap every data key under a new master key; the event log is not touched."""
    with opened_services(project_synchronously=False) as services:
        settings = services.settings
        new_key = MasterKey.generate()
        pending = settings.instance_dir / "master.key.new"
        pending.unlink(missing_ok=True)
        new_key.write(pending)  # first on disk, so a crash after the database commit cannot lose it
        count = services.key_store.rewrap(new_key)
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
    with opened_services(project_synchronously=False) as services:
        exported = services.key_store.export_keys()
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
    with opened_services(project_synchronously=False) as services:
        count = services.import_keys(payload["keys"])
    click.echo(f"imported {count} data keys ({len(payload['keys']) - count} were already here)")


def _write_secret(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Copy the SQLite database to FILE, safely while the server writes (PostgreSQL: use pg_dump)."""
    from tracker.backup import backup

    backup(Settings.from_env(), file)
    click.echo(f"backed up to {file}: keep it apart from the master key")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Replace the SQLite database by the backup FILE once it verifies; stop the server first."""
    from tracker.backup import restore

    size = restore(Settings.from_env(), file)
    click.echo(f"restored from {file}: verified, {size} leaves")
