"""Small-number suppression, so that no published figure can identify a person.

Counts from 1 to 4 show as "fewer than 5" (primary suppression). Where a row or column has a total, the hidden
cells' sum can be worked out from the total and the shown cells; if that sum pins down a hidden small count (one
hidden cell, or four hidden cells summing to 4, or one "fewer than 5" beside a withheld cell known to be 0 or at
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
    """Whether hidden cells (each primary 1-4; each secondary 0 or at least 5, as a reader knows) can total `target`."""
    low, high = primaries, (THRESHOLD - 1) * primaries
    if low <= target <= high:
        return True
    return secondaries > 0 and target >= low + THRESHOLD


def reveals_small_count(hidden_sum: int, states: list[str]) -> bool:
    """Whether a reader who knows the hidden cells' sum can tell the exact value of one "fewer than 5" cell."""
    primaries, secondaries = states.count("primary"), states.count("secondary")
    if primaries == 0:
        return False
    feasible = [v for v in range(1, THRESHOLD) if _others_can_sum_to(hidden_sum - v, primaries - 1, secondaries)]
    return len(feasible) <= 1


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
            total_cell, parts = line[-1], line[:-1]
            if states[total_cell[0]][total_cell[1]]:
                continue  # a hidden total gives nothing away in this line
            hidden = [cell for cell in parts if states[cell[0]][cell[1]]]
            hidden_sum = grid[total_cell[0]][total_cell[1]] - sum(
                grid[r][c] for r, c in parts if not states[r][c])
            if not hidden or not reveals_small_count(hidden_sum, [states[r][c] for r, c in hidden]):
                continue
            shown = [cell for cell in parts if not states[cell[0]][cell[1]]]
            # Prefer the smallest non-zero cell (a hidden zero protects little); else hide the total itself.
            pool = [cell for cell in shown if grid[cell[0]][cell[1]] > 0] or [total_cell]
            r, c = min(pool, key=lambda cell: (grid[cell[0]][cell[1]], cell))
            states[r][c] = "secondary"
            changed = True
    return [[Cell(grid[r][c], states[r][c]) for c in range(n_cols)] for r in range(n_rows)]
