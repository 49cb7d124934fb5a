"""Small-number suppression, so that no published figure can identify a person.

Counts from 1 to 4 show as "fewer than 5" (primary suppression). Where a row or column has a total, a single
suppressed cell could be worked back from the total and the other cells, so a second cell in that line is withheld
too, the smallest shown one, and this repeats until no line has exactly one hidden cell (secondary suppression, as
in the ONS and NHS Digital disclosure-control guidance). Zero is shown: it identifies no one."""

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


def suppress_grid(grid: list[list[int]], *, total_row: bool, total_column: bool) -> list[list[Cell]]:
    """Suppress a grid of counts whose last row and/or last column are totals of the others."""
    states = [["primary" if is_small(v) else "" for v in row] for row in grid]
    lines: list[list[tuple[int, int]]] = []
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    if total_column:
        lines += [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    if total_row:
        lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [cell for cell in line if states[cell[0]][cell[1]]]
            if len(hidden) != 1:
                continue
            candidates = [cell for cell in line if not states[cell[0]][cell[1]]]
            # Prefer the smallest non-zero cell: a hidden zero would not stop the subtraction.
            positive = [cell for cell in candidates if grid[cell[0]][cell[1]] > 0]
            pool = positive or candidates
            if not pool:
                continue
            r, c = min(pool, key=lambda cell: (grid[cell[0]][cell[1]], cell))
            states[r][c] = "secondary"
            changed = True
    return [[Cell(grid[r][c], states[r][c]) for c in range(n_cols)] for r in range(n_rows)]
