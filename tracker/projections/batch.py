"""Applying many events to a read model at once: rows buffered per table, written with one executemany each."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Connection, Dialect, Table, bindparam, or_, select

Batch = Sequence[tuple[Any, int]]  # (event, log position) in log order; raw projections get the stored records


class Rows:
    """Rows to write, kept in order per table; `flush` sends each table's rows in one statement.

    A projection flushes before any statement that must see earlier rows of the same batch (a rare correction),
    so the result is exactly that of applying the events one by one.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._inserts: dict[Table, list[dict[str, Any]]] = {}
        self._updates: list[tuple[tuple[Table, str, tuple[str, ...]], dict[str, Any]]] = []

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        """Insert a row; the dict may still be changed until the flush (a row made and changed in one batch)."""
        self._inserts.setdefault(table, []).append(row)

    def update(self, table: Table, key: Column[Any], key_value: Any, values: dict[str, Any]) -> None:
        """UPDATE table SET values WHERE key = key_value, after the inserts; consecutive ones of a shape together."""
        self._updates.append(((table, key.name, tuple(sorted(values))), {"row_key": key_value, **values}))

    def flush(self) -> None:
        for table, rows in self._inserts.items():
            insert_many(self.conn, table, rows)
        for (table, key, columns), group in groupby(self._updates, key=itemgetter(0)):
            statement = (
                table.update()
                .where(table.c[key] == bindparam("row_key"))
                .values({column: bindparam(column) for column in columns})
            )
            self.conn.execute(statement, [values for _, values in group])
        self._inserts.clear()
        self._updates.clear()


class Histories:
    """Rows of histories (tables with `since` and `until`): a row is in force on a day when it is the last recorded,
    in the log's order, of the key's rows dated on or before that day, as if the log up to then were applied as it
    was recorded. So each row holds from its business date (since) until the earliest date of any row recorded after
    it (until; null while there is none): a row recorded later but dated earlier (a late entry, a backdated revision)
    ends every earlier row from its own date, and on any day exactly one row of a key is in force."""

    def __init__(self, conn: Connection, rows: Rows) -> None:
        self.conn, self.rows = conn, rows
        self.batch_rows: dict[tuple[str, str], list[dict[str, Any]]] = {}  # (table, key) -> rows not yet written
        self.ends: dict[tuple[Any, str], list[dict[str, Any]]] = {}  # (table, key column) -> stored rows' ends
        self.new: set[tuple[str, str]] = set()  # keys whose first row ever is in this batch: none stored to end

    def add(self, table: Any, key_column: str, row: dict[str, Any], *, first: bool = False) -> None:
        """Add a row; `first`: the key's first row ever (a commitment made, a problem reported)."""
        key, since = row[key_column], row["since"]
        for earlier in self.batch_rows.setdefault((table.name, key), []):
            if earlier["until"] is None or earlier["until"] > since:
                earlier["until"] = since
        if first:
            self.new.add((table.name, key))
        elif (table.name, key) not in self.new:
            self.ends.setdefault((table, key_column), []).append({"row_key": key, "new_until": since})
        row["until"] = None
        self.batch_rows[(table.name, key)].append(row)
        self.rows.insert(table, row)

    def write_stored(self) -> None:
        """End the rows stored by earlier batches (before this batch's own rows are written)."""
        for (table, key_column), ends in self.ends.items():
            until = table.c.until
            statement = (
                table.update()
                .where(
                    table.c[key_column] == bindparam("row_key"),
                    or_(until.is_(None), until > bindparam("new_until")),
                )
                .values(until=bindparam("new_until"))
            )
            self.conn.execute(statement, ends)
        self.ends.clear()
        self.batch_rows.clear()
        self.new.clear()


def insert_many(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """One statement for many rows of the same columns (INSERT; COPY on PostgreSQL), each value converted by its
    column type's bind processor.

    The same conversions SQLAlchemy's executemany makes, without its generic per-row parameter assembly, which
    costs more than the database's own work when a read model is rebuilt (bench/projections.py).
    """
    if not rows:
        return
    sql, values = _insert_plan(table, tuple(rows[0]), conn.dialect)
    if conn.dialect.name == "postgresql":
        # COPY: one statement streams every row; the server parses and plans nothing per row (bench/run.py)
        with conn.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(values(row))
        return
    conn.exec_driver_sql(sql, [values(row) for row in rows])


@cache
def _insert_plan(table: Table, names: tuple[str, ...], dialect: Dialect) -> tuple[str, Callable[[Any], tuple]]:
    """The INSERT (PostgreSQL: the COPY), and a function from a row to its values that converts only the columns
    that need it."""
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    if dialect.name == "postgresql":
        sql = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
    else:
        sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({', '.join(['?'] * len(names))})"
    processors = [table.c[name].type.bind_processor(dialect) for name in names]
    converted = [(i, p) for i, p in enumerate(processors) if p is not None]
    get = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    if not converted:
        return sql, get

    def values(row: Any) -> tuple:
        out = list(get(row))
        for i, process in converted:
            out[i] = process(out[i])
        return tuple(out)

    return sql, values


def stored_ids(conn: Connection, key: Column[Any], ids: Iterable[str]) -> set[str]:
    """Which of these ids already have a row: one query per thousand ids, not one per event."""
    wanted, found = sorted(set(ids)), set()
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        found.update(conn.execute(select(key).where(key.in_(chunk))).scalars())
    return found


def apply_events(projection: Any, conn: Connection, batch: Batch) -> None:
    """Apply a batch through the projection's own batch method, or event by event if it has none."""
    if not batch:
        return
    if hasattr(projection, "apply_batch"):
        projection.apply_batch(conn, batch)
        return
    for event, position in batch:
        projection.apply(conn, event, position)
