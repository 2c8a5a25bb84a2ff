"""Rows written in one statement read back exactly as given, whatever their text holds, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import BigInteger, Boolean, Column, Date, LargeBinary, MetaData, String, Table, Text, select

from tracker.persistence import create_database_engine, write_transaction
from tracker.projections.batch import insert_many
from tracker.projections.types import UTCDateTime

metadata = MetaData()
samples = Table(
    "batch_samples",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("text", Text, nullable=True),
    Column("label", String(32), nullable=True),
    Column("on", Date, nullable=True),
    Column("at", UTCDateTime(), nullable=True),
    Column("flag", Boolean, nullable=True),
    Column("digest", LargeBinary(32), nullable=True),
)

AWKWARD = [
    "tab\there, newline\nthere, carriage return\r",
    "back\\slash, \\N, \\., a quote ' and \" and a comma,",
    "Кыргызстан · Тоҷикистон · Oʻzbekiston ✓",
    "",
]


def test_rows_written_at_once_read_back_as_given(database_url):
    # given rows whose text holds tabs, newlines, backslashes, copy markers, quotes and Cyrillic, and empty values
    engine = create_database_engine(database_url)
    metadata.create_all(engine)
    tashkent = timezone(timedelta(hours=5))
    rows = [
        dict(
            position=n,
            text=text,
            label=f"label {n}",
            on=date(2025, 1, 1) + timedelta(days=n),
            at=datetime(2025, 6, 30, 9, 0, n, 123456, tzinfo=tashkent),
            flag=n % 2 == 0,
            digest=bytes(range(n, n + 32)),
        )
        for n, text in enumerate(AWKWARD)
    ]
    rows.append(dict(position=99, text=None, label=None, on=None, at=None, flag=None, digest=None))
    # when they are written in one statement
    with write_transaction(engine, wait_for_disk=False) as conn:
        insert_many(conn, samples, rows)
    # then each reads back exactly as given (times in UTC)
    with engine.connect() as conn:
        stored = [row._asdict() for row in conn.execute(select(samples).order_by(samples.c.position))]
    for row in rows:
        if row["at"] is not None:
            row["at"] = row["at"].astimezone(UTC)
    assert stored == rows
    engine.dispose()
