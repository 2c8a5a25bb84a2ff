"""Small counts by category are hidden, and so is whatever would give them away through a total."""

from __future__ import annotations

import itertools

from tracker.queries.disclosure import suppressed


def shown(table):
    return {key: str(count) for key, count in table.cells.items()}


def test_a_count_of_one_or_two_is_hidden_and_zeros_and_larger_counts_are_shown():
    table = suppressed(
        {("Ош", "drugs"): 4, ("Ош", "theft"): 5, ("Ноокат", "drugs"): 6, ("Ноокат", "theft"): 7},
        ["Ош", "Ноокат"],
        ["drugs", "theft", "other"],
    )
    assert shown(table) == {
        ("Ош", "drugs"): "4",
        ("Ош", "theft"): "5",
        ("Ош", "other"): "0",
        ("Ноокат", "drugs"): "6",
        ("Ноокат", "theft"): "7",
        ("Ноокат", "other"): "0",
    }
    assert str(table.total) == "22" and str(table.row_totals["Ош"]) == "9"


def test_a_hidden_cell_takes_a_second_one_in_its_row_and_column_so_no_total_gives_it_away():
    # given one district with 2 cases of early marriage beside larger counts
    counts = {("A", "early_marriage"): 2, ("A", "theft"): 5, ("B", "early_marriage"): 4, ("B", "theft"): 7}
    # when the table is published with its totals
    table = suppressed(counts, ["A", "B"], ["early_marriage", "theft"])
    # then no hidden cell is alone in a line whose total is shown
    hidden = {key for key, count in table.cells.items() if count.hidden}
    assert ("A", "early_marriage") in hidden
    for row in ["A", "B"]:
        in_row = [key for key in hidden if key[0] == row]
        assert len(in_row) != 1 or table.row_totals[row].hidden
    for column in ["early_marriage", "theft"]:
        in_column = [key for key in hidden if key[1] == column]
        assert len(in_column) != 1 or table.column_totals[column].hidden


def test_no_published_line_ever_reveals_a_hidden_count():
    # every table of 2 areas x 3 categories with counts 0..3: a hidden count is never the only unknown of a line
    for values in itertools.product(range(4), repeat=6):
        counts = {(row, column): values[i * 3 + j] for i, row in enumerate("AB") for j, column in enumerate("xyz")}
        table = suppressed(counts, ["A", "B"], ["x", "y", "z"])
        lines = [[(row, c) for c in "xyz"] + [("total", row)] for row in "AB"]
        lines += [[(r, column) for r in "AB"] + [("total", column)] for column in "xyz"]
        cells = table.cells | {("total", r): table.row_totals[r] for r in "AB"}
        cells |= {("total", c): table.column_totals[c] for c in "xyz"}
        for line in lines:
            assert sum(1 for key in line if cells[key].hidden) != 1, (values, line)
        assert all(cell.hidden for cell in cells.values() if 0 < cell.value < 3)
