"""What a command runs with: the services it opens, and the name it records under."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.bootstrap import Services


def cli_user() -> str:
    return f"cli:{getpass.getuser()}"


@contextmanager
def opened_services(**kwargs: Any) -> Iterator[Services]:
    """The services of one command (built with build_services' arguments), closed when it ends, however it ends."""
    from tracker.bootstrap import build_services  # late: `tracker --help` and `tracker witness` open no database

    services = build_services(**kwargs)
    try:
        yield services
    finally:
        services.close()
