"""Small-number suppression, so that no published figure can identify a person.

Counts from 1 to 4 show as "fewer than 5" (primary suppression). Where a row or column has a total, the hidden
cells' sum can be worked out from the total and the shown cells; if that sum pins down a hidden small count
(one
hidden cell, or four hidden cells summing to 4, or one "fewer than 5" beside a withheld cell known to be 0 or
at
least 5), another cell in that line is withheld too, the smallest shown one, and this repeats until no line
reveals a small count (secondary suppression, after the ONS and NHS Digital disclosure-control guidance)."""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 5
FEWER_THAN = f"fewer than {THRESHOLD}"
WITHHELD = "withheld"


@dataclass(frozen=True)
class Cell:
    value: int
    state: str = ""  # "" shown | "primary" fewer than 5 | "secondary" withheld to protect another cell

    @property
    def hidden(self) -> bool:
        return bool(self.state)

    @property
    def text(self) -> str:
        if self.state == "primary":
            return FEWER_THAN
        if self.state == "secondary":
            return WITHHELD
        return f"{self.value:,}"


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


def _others_can_sum_to(target: int, primaries: int, secondaries: int) -> bool:
    """Whether hidden cells (each primary 1-4; each secondary 0 or at least 5, as a reader knows) can total
    `target`."""
    low, high = primaries, (THRESHOLD - 1) * primaries
    if low <= target <= high:
        return True
    return secondaries > 0 and target >= low + THRESHOLD


def _domain(state: str, bound: int) -> range | list[int]:
    """What a reader knows of a hidden cell: "fewer than 5" is 1-4, "withheld" is 0 or 5 and more."""
    return range(1, THRESHOLD) if state == "primary" else [0, *range(THRESHOLD, bound + 1)]


def line_reveals(parts: list[tuple[int, str]], total: tuple[int, str]) -> bool:
    """Whether a line (cells that add up to a total) gives away a hidden cell: the only hidden cell in the
    line,
    or a "fewer than 5" cell that only one value fits, given what the reader can see."""
    hidden_parts = [state for _, state in parts if state]
    unknowns = len(hidden_parts) + (1 if total[1] else 0)
    if unknowns == 0:
        return False
    if unknowns == 1:
        return True
    shown_sum = sum(value for value, state in parts if not state)
    primaries, secondaries = hidden_parts.count("primary"), hidden_parts.count("secondary")
    bound = shown_sum + (THRESHOLD - 1) * primaries + 2 * THRESHOLD
    totals = _domain(total[1], bound) if total[1] else [total[0]]
    if (
        primaries
        and len(
            [
                x
                for x in range(1, THRESHOLD)
                if any(_others_can_sum_to(t - shown_sum - x, primaries - 1, secondaries) for t in totals)
            ]
        )
        <= 1
    ):
        return True
    if total[1] == "primary":
        return (
            len([t for t in range(1, THRESHOLD) if _others_can_sum_to(t - shown_sum, primaries, secondaries)])
            <= 1
        )
    return False


def suppress_grid(grid: list[list[int]], *, total_row: bool, total_column: bool) -> list[list[Cell]]:
    """Suppress a grid of counts whose last row and/or last column are totals of the others."""
    states = [["primary" if is_small(v) else "" for v in row] for row in grid]
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    lines: list[list[tuple[int, int]]] = []
    if total_column:
        lines += [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    if total_row:
        lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            parts, total_cell = line[:-1], line[-1]
            if not line_reveals(
                [(grid[r][c], states[r][c]) for r, c in parts],
                (grid[total_cell[0]][total_cell[1]], states[total_cell[0]][total_cell[1]]),
            ):
                continue
            shown = [cell for cell in line if not states[cell[0]][cell[1]]]
            if not shown:
                continue
            # Prefer the smallest non-zero part (a hidden zero protects little), then the total itself.
            pool = [cell for cell in shown if cell != total_cell and grid[cell[0]][cell[1]] > 0] or shown
            r, c = min(pool, key=lambda cell: (cell == total_cell, grid[cell[0]][cell[1]], cell))
            states[r][c] = "secondary"
            changed = True
    return [[Cell(grid[r][c], states[r][c]) for c in range(n_cols)] for r in range(n_rows)]
