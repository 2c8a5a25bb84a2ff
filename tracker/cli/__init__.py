"""The `tracker` command line: one group, its commands in a module per audience, domain errors as one line."""

from __future__ import annotations

import errno
import sqlite3
import sys
from typing import Any

import click
from eventsourcing.persistence import OperationalError as LogUnavailable
from sqlalchemy.exc import OperationalError as DatabaseUnavailable

from tracker.cli import accounts, audit, operations, records
from tracker.confidentiality import MasterKeyError
from tracker.domain.errors import DomainError

EXIT_BAD_INPUT = 1
EXIT_CONFIGURATION = 2
EXIT_STORAGE = 3
STORAGE_FAULTS = (sqlite3.OperationalError, LogUnavailable, DatabaseUnavailable)
STORAGE_CAUSES = ("full", "readonly", "read-only", "locked", "connect", "connection", "unable to open")
DISK_ERRNOS = (errno.ENOSPC, errno.EROFS, errno.EDQUOT)


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
        except STORAGE_FAULTS as error:  # a full disk, a read-only or unreachable database: say which, no traceback
            cause = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            if not any(word in cause.lower() for word in STORAGE_CAUSES):
                raise  # not a storage fault ("no such table" is a bug): let its traceback show
            click.echo(f"tracker: the database cannot be written or reached ({cause}); what was saved stays", err=True)
            sys.exit(EXIT_STORAGE)
        except OSError as error:
            if error.errno not in DISK_ERRNOS:
                raise
            click.echo(f"tracker: the disk refused to write ({error.strerror}); what was saved stays", err=True)
            sys.exit(EXIT_STORAGE)


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
    audit.witness_server,
    audit.mirror_command,
    audit.export_command,
    audit.import_command,
):
    main.add_command(command)
