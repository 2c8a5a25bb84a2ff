"""Small counts that could point at a person are shown as "fewer than 3", and so is what would give them away.

A table of counts (areas by problem category, say) is published with its margins: each row's total and each
column's total. Hiding a cell of 1 or 2 (primary suppression) is not enough when its row or column shows a total:
the total minus the other cells tells it. So, until nothing changes, in every line (a row or a column with its
total) that hides exactly one entry, the smallest other non-zero entry is hidden too (secondary suppression); a
total of 1 or 2 is hidden like any cell. Zeros are shown: an empty cell points at nobody. This is the rule
statistical offices apply to small tables (cell-suppression with complementary cells); it does not protect
against a reader who combines this table with the same counts published for the areas inside a cell: the pages
show categories for one level of areas at a time, with the totals of the level above.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

THRESHOLD = 3
ROW_TOTAL, COLUMN_TOTAL = object(), object()  # the margins' places in a table


@dataclass(frozen=True)
class Count:
    value: int
    hidden: bool = False  # shown as "fewer than 3" (or, for a complementary cell, "hidden")

    def __str__(self) -> str:
        return "<3" if self.hidden else str(self.value)


@dataclass(frozen=True)
class Table:
    cells: dict[tuple[Hashable, Hashable], Count]
    row_totals: dict[Hashable, Count]
    column_totals: dict[Hashable, Count]
    total: Count


def suppressed(counts: Mapping[tuple[Hashable, Hashable], int], rows: list[Hashable], columns: list[Hashable]) -> Table:
    """The table of `counts` (missing cells are 0) with its totals, small counts and their complements hidden."""
    values: dict[tuple[Hashable, Hashable], int] = {(r, c): counts.get((r, c), 0) for r in rows for c in columns}
    for r in rows:
        values[(r, COLUMN_TOTAL)] = sum(values[(r, c)] for c in columns)
    for c in columns:
        values[(ROW_TOTAL, c)] = sum(values[(r, c)] for r in rows)
    values[(ROW_TOTAL, COLUMN_TOTAL)] = sum(values[(r, COLUMN_TOTAL)] for r in rows)
    hidden = {key for key, value in values.items() if 0 < value < THRESHOLD}
    lines = [[(r, c) for c in [*columns, COLUMN_TOTAL]] for r in [*rows, ROW_TOTAL]]
    lines += [[(r, c) for r in [*rows, ROW_TOTAL]] for c in [*columns, COLUMN_TOTAL]]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for key in line if key in hidden) != 1:
                continue
            others = [key for key in line if key not in hidden and values[key] > 0]
            if others:
                hidden.add(min(others, key=lambda key: values[key]))
                changed = True

    def count(key: tuple[Hashable, Hashable]) -> Count:
        return Count(values[key], key in hidden)

    return Table(
        cells={(r, c): count((r, c)) for r in rows for c in columns},
        row_totals={r: count((r, COLUMN_TOTAL)) for r in rows},
        column_totals={c: count((ROW_TOTAL, c)) for c in columns},
        total=count((ROW_TOTAL, COLUMN_TOTAL)),
    )
