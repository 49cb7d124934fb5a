"""Small-number suppression, checked by an attacker who tries every value the hidden cells could take."""

import itertools

import pytest

from licensing.reports.suppression import FEWER_THAN, WITHHELD, suppress_grid


def _possible_values(cells, grid, *, total_row, total_column):
    """Every assignment of the hidden cells consistent with what is shown: "fewer than 5" is 1-4, "withheld"
    is
    0 or 5 and more (a reader knows 1-4 would have said "fewer than 5"), and the totals add up."""
    hidden = [(r, c) for r, row in enumerate(cells) for c, cell in enumerate(row) if cell.hidden]
    ceiling = sum(max(row) for row in grid) + 1  # a reader knows no upper bound; this one is generous
    domains = [range(1, 5) if cells[r][c].state == "primary" else [0, *range(5, ceiling)] for r, c in hidden]
    possible = {cell: set() for cell in hidden}
    for values in itertools.product(*domains):
        trial = [[cell.value for cell in row] for row in cells]
        for (r, c), value in zip(hidden, values, strict=True):
            trial[r][c] = value
        parts_rows = trial[:-1] if total_row else trial
        if total_column and any(sum(row[:-1]) != row[-1] for row in trial):
            continue
        if total_row and any(sum(row[c] for row in parts_rows) != trial[-1][c] for c in range(len(trial[0]))):
            continue
        for cell, value in zip(hidden, values, strict=True):
            possible[cell].add(value)
    return possible


def _assert_no_small_count_revealed(grid, **totals):
    cells = suppress_grid(grid, **totals)
    possible = _possible_values(cells, grid, **totals)
    for (r, c), values in possible.items():
        if cells[r][c].state == "primary":
            assert len(values) > 1, f"cell {(r, c)} = {grid[r][c]} can be worked back: {values}"
    return cells


def test_counts_from_1_to_4_show_as_fewer_than_5_and_others_as_numbers():
    cells = suppress_grid([[0, 1, 4, 5, 1234]], total_row=False, total_column=False)
    assert [cell.text for cell in cells[0]] == ["0", FEWER_THAN, FEWER_THAN, "5", "1,234"]


def test_a_total_that_would_reveal_the_one_suppressed_cell_makes_another_cell_withheld():
    # Decisions by grounds: 3 + 10 + 7 = 20. Showing 10, 7 and 20 would give away the 3.
    grid = [[3], [10], [7], [20]]
    cells = _assert_no_small_count_revealed(grid, total_row=True, total_column=False)
    assert [row[0].text for row in cells] == [FEWER_THAN, "10", WITHHELD, "20"]


def test_a_withheld_cell_known_to_be_zero_or_five_plus_does_not_leave_the_small_one_exposed():
    # 1 + 5 + 0 = 6: hiding the 5 alone leaves 6 = 1 + 5 as the only split, so the total goes too.
    grid = [[1], [5], [0], [6]]
    cells = _assert_no_small_count_revealed(grid, total_row=True, total_column=False)
    assert cells[0][0].text == FEWER_THAN and cells[-1][0].text == WITHHELD


@pytest.mark.parametrize(
    "grid",
    [
        [[1, 2, 3], [6, 7, 13], [7, 9, 16]],
        [[0, 4, 4], [9, 0, 9], [9, 4, 13]],
        [[12, 3, 15], [8, 6, 14], [20, 9, 29]],
    ],
)
def test_two_way_tables_with_row_and_column_totals_never_reveal_a_small_count(grid):
    _assert_no_small_count_revealed(grid, total_row=True, total_column=True)


def test_several_small_cells_whose_total_pins_them_down_are_protected():
    grid = [[1], [1], [1], [9], [12]]  # 12 - 9 = 3 split over three cells that are each at least 1
    _assert_no_small_count_revealed(grid, total_row=True, total_column=False)


def test_without_totals_only_the_small_counts_are_hidden():
    cells = suppress_grid([[3, 10], [7, 0]], total_row=False, total_column=False)
    assert [[cell.text for cell in row] for row in cells] == [[FEWER_THAN, "10"], ["7", "0"]]
