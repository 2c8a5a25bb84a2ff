"""The administrator's commands for accounts: users and their roles, and API tokens."""

from __future__ import annotations

import click

from tracker.cli.context import cli_user, opened_services
from tracker.domain.values import UserRole


@click.group()
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
    with opened_services() as services:
        team_id = services.app.team_id_for(team) if team else None
        secret = password or click.prompt("Password", hide_input=True, confirmation_prompt=True)
        user_id = services.app.register_user(
            username=username, display_name=display_name, password=secret, by=cli_user()
        )
        services.app.grant_role(user_id, role=role, team_id=team_id, by=cli_user())
        click.echo(f"created user {username} ({role}{' of ' + team if team else ''})")


@users.command("grant")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([role.value for role in UserRole]))
@click.option("--team", "team", help="Team id or code; omit for every team (admin, auditor of all teams).")
def grant(username: str, role: str, team: str | None) -> None:
    """Grant a role to an existing account."""
    with opened_services() as services:
        user = services.app.user_named(username)
        services.app.grant_role(
            user.id, role=role, team_id=services.app.team_id_for(team) if team else None, by=cli_user()
        )
        click.echo(f"granted {role} to {username}")


@users.command("set-password")
@click.argument("username")
@click.option("--password", help="At least 10 characters; asked for when omitted.")
def set_password(username: str, password: str | None) -> None:
    """Give an account a new password (for one who forgot theirs; people change their own at /account/password)."""
    with opened_services() as services:
        user = services.app.user_named(username)
        secret = password or click.prompt("New password", hide_input=True, confirmation_prompt=True)
        services.app.change_password(user.id, password=secret, by=cli_user())
        click.echo(f"changed the password of {username}")


@click.group()
def tokens() -> None:
    """API bearer tokens."""


@tokens.command("create")
@click.argument("username")
def create_token(username: str) -> None:
    """Create an API token for a user; it is shown once, as the last word of the output."""
    with opened_services(project_synchronously=False) as services:
        user = services.app.user_named(username)
        click.echo(f"API token for {user.username}: {services.app.credentials.create_token(user.id)}")


@tokens.command("revoke")
@click.argument("username")
def revoke_tokens(username: str) -> None:
    """Revoke every API token of a user (a lost laptop, a secretary who left); new ones can be created after."""
    with opened_services(project_synchronously=False) as services:
        user = services.app.user_named(username)
        click.echo(f"revoked {services.app.credentials.revoke_tokens(user.id)} API token(s) of {user.username}")
