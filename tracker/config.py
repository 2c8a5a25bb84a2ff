"""Settings from the environment: where the database, the instance folder and its secret files live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///var/tracker.sqlite3"


@dataclass(frozen=True)
class Settings:
    database_url: str
    instance_dir: Path

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        return cls(
            database_url=environ.get("TRACKER_DATABASE_URL") or DEFAULT_DATABASE_URL,
            instance_dir=Path(environ.get("TRACKER_INSTANCE_DIR") or "var/instance"),
        )

    @property
    def master_key_file(self) -> Path:
        return self.instance_dir / "master.key"

    @property
    def secret_key_file(self) -> Path:
        return self.instance_dir / "secret.key"

    @property
    def report_cache_dir(self) -> Path:
        """Rendered reports (pages and PDFs): public text only, emptied when any text is erased."""
        return self.instance_dir.parent / "cache" / "reports"

    @property
    def signing_key_file(self) -> Path:
        return self.instance_dir / "signing.key"
