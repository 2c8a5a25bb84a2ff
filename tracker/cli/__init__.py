"""The `tracker` command line: one group, its commands in a module per audience, domain errors as one line."""

from __future__ import annotations

import sys
from typing import Any

import click

from tracker.cli import accounts, audit, operations, records
from tracker.confidentiality import MasterKeyError
from tracker.domain.errors import DomainError

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


@click.group(cls=TrackerGroup)
def main() -> None:
    """Partnership Tracker: every promise of a partnership team visible, every record trustworthy."""


for command in (
    operations.init,
    operations.demo,
    operations.serve,
    operations.projector,
    operations.projections,
    operations.keys,
    operations.events,
    operations.backup_command,
    operations.restore_command,
    accounts.users,
    accounts.tokens,
    records.teams,
    records.erase,
    records.report,
    audit.ledger,
    audit.verify,
    audit.witness,
    audit.export_command,
    audit.import_command,
):
    main.add_command(command)
