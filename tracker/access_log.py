"""The access log: every reading of a confidential item's text by a person, kept beside the event log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import BigInteger, Column, Engine, Index, Integer, MetaData, String, Table, insert, select

from tracker.projections.types import UTCDateTime

metadata = MetaData()
access_log = Table(
    "access_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("read_at", UTCDateTime(), nullable=False),
    Column("viewer", String(200), nullable=False),
    Column("team_id", String(32), nullable=False),
    Column("item_kind", String(32), nullable=False),
    Column("item_id", String(32), nullable=False),
    Column("page", String(500), nullable=False),
    Index("ix_access_log_team_read_at", "team_id", "read_at"),
)


@dataclass(frozen=True)
class AccessEntry:
    read_at: datetime
    viewer: str
    team_id: UUID
    item_kind: str
    item_id: UUID
    page: str


class AccessLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    def record(self, entries: list[AccessEntry]) -> None:
        if not entries:
            return
        with self.engine.begin() as conn:
            conn.execute(
                insert(access_log),
                [
                    {
                        "read_at": entry.read_at,
                        "viewer": entry.viewer,
                        "team_id": entry.team_id.hex,
                        "item_kind": entry.item_kind,
                        "item_id": entry.item_id.hex,
                        "page": entry.page[:500],
                    }
                    for entry in entries
                ],
            )

    def entries(self, team_id: UUID | None = None) -> list[AccessEntry]:
        query = select(access_log).order_by(access_log.c.id)
        if team_id is not None:
            query = query.where(access_log.c.team_id == team_id.hex)
        with self.engine.connect() as conn:
            return [
                AccessEntry(row.read_at, row.viewer, UUID(row.team_id), row.item_kind, UUID(row.item_id), row.page)
                for row in conn.execute(query)
            ]
